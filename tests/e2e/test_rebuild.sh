#!/usr/bin/env bash
# Touching any source makes every binary built from it out of date: in a copy
# of the tree and its build/, each source is touched in turn, `make -q TARGET`
# must then fail for every binary that is built from it, and the source's old
# time is put back before the next one.  Catches rules that name too few
# prerequisites (a stale test binary passes against old code).
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the tracked and the new files as they are in the working tree, and build/
git ls-files -co --exclude-standard -z | grep -zv '^build/' |
	xargs -0 cp -a --parents -t "$tmp" 2>/dev/null
cp -a build "$tmp/"
cd "$tmp" || exit 1

mk() { make -s --no-print-directory "$@" >/dev/null 2>&1; }
targets="build/spiflash build/spiflash-emu build/spiflash.elf build/test_proto build/test_fw_core build/test_fw_stream
	build/test_ops build/test_flashchip build/test_chips build/test_sfdp build/test_regions
	build/replay_sfdp build/proto_probe"
# the Windows client too, where its cross-compiler is installed
win=
command -v x86_64-w64-mingw32-gcc >/dev/null && win=build/win/spiflash.exe
targets="$targets $win"
# shellcheck disable=SC2086
mk $targets || { echo "FAIL: the copy does not build"; echo "0 passed, 1 failed"; exit 1; }
for t in $targets; do
	if mk -q "$t"; then ok "$t is up to date before any touch"; else bad "$t out of date before any touch"; fi
done

# stale SOURCE TARGET...: after touching SOURCE, every TARGET is out of date
stale() {
	local src=$1 t missed=""
	shift
	touch -r "$src" "$tmp/.ref"
	touch -d '+2 seconds' "$src"
	for t in "$@"; do
		mk -q "$t" && missed="$missed $t"
	done
	touch -r "$tmp/.ref" "$src"
	if [ -z "$missed" ]; then ok "touch $src: $* out of date"; else bad "touch $src: still up to date:$missed"; fi
}

# every source and header of the client makes the client out of date
for f in client/*/*.c client/*/*.h client/*.c client/*.h; do
	[ -e "$f" ] || continue
	case "$f" in
	# build/insp-tool's own main, not in the client
	client/inspect/insp_tool.c) continue ;;
	# Windows only (client/windows.mk)
	*_win32.c | *_none.c) [ -n "$win" ] && stale "$f" $win; continue ;;
	esac
	stale "$f" build/spiflash
done
for f in client/compat/win32/*.h client/compat/win32/sys/*.h; do
	[ -n "$win" ] && stale "$f" $win
done
# the chip model: the emulator, its unit tests and the client's dummy programmer
for f in chipmodel/*.c chipmodel/*.h; do
	stale "$f" build/spiflash-emu build/test_flashchip build/spiflash
done
# the codec: the client and its tests, from protocol/
stale protocol/proto.h build/spiflash build/test_proto build/proto_probe build/test_ops
stale protocol/proto.c build/spiflash build/test_proto build/proto_probe
# the sketch's sources: the firmware, and the host tests that run its core
stale firmware/spiflash/src/fw_core.c build/spiflash.elf build/test_fw_core build/test_ops
stale firmware/spiflash/src/fw_core.h build/spiflash.elf build/test_fw_core build/test_ops
stale firmware/spiflash/src/fw_read_stream.c build/spiflash.elf build/test_fw_stream build/test_ops
stale firmware/spiflash/src/hal_arduino.cpp build/spiflash.elf
stale firmware/spiflash/src/hal_arduino_loops.cpp build/spiflash.elf
stale firmware/spiflash/src/hal_arduino.h build/spiflash.elf
stale firmware/spiflash/spiflash.ino build/spiflash.elf
# sanitizer builds and test helpers
stale client/chips/sfdp.h build/test_sfdp build/replay_sfdp build/spiflash
stale tests/unit/fw_bench.h build/test_ops
stale tests/unit/fw_frames.h build/test_fw_core build/test_fw_stream
stale tests/emu/emu_bridge.h build/spiflash-emu

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
