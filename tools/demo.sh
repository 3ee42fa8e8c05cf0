#!/usr/bin/env bash
# make demo: the real firmware in the emulator with a 16 MiB W25Q128, driven
# by the real client: info, write, verify, read.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
dir="$BUILD/demo"
mkdir -p "$dir"
img="$dir/w25q128.bin"
rm -f "$img" "$dir/dump.bin"

"$BUILD/spiflash-emu" --chip W25Q128 --image "$img" "$BUILD/spiflash.elf" >"$dir/emu.out" 2>"$dir/emu.err" &
emu=$!
trap 'kill -TERM $emu 2>/dev/null; wait $emu 2>/dev/null' EXIT
dev=
for _ in $(seq 1 100); do
	dev=$(head -n1 "$dir/emu.out" 2>/dev/null || true)
	[ -n "$dev" ] && [ -e "$dev" ] && break
	dev=
	sleep 0.1
done
if [ -z "$dev" ]; then
	echo "demo: the emulator did not start:" >&2
	cat "$dir/emu.err" >&2
	exit 1
fi
echo "== emulated programmer on $dev (W25Q128, image $img)"
run() {
	echo "\$ $*"
	"$@"
}
head -c $((256 * 1024)) /dev/urandom >"$dir/image.bin"
run "$BUILD/spiflash" -d "$dev" info
run "$BUILD/spiflash" -d "$dev" -f "$dir/image.bin" --flash-offset 0x100000 write
run "$BUILD/spiflash" -d "$dev" -f "$dir/image.bin" --flash-offset 0x100000 verify
run "$BUILD/spiflash" -d "$dev" -l 256 --flash-offset 0x100000 -f "$dir/dump.bin" read
run cmp "$dir/image.bin" "$dir/dump.bin"
echo "== the dump equals the image written"
