#!/usr/bin/env bash
# make bench: throughput of the real client against the real firmware in the
# emulator, measured in simulated time (the emulator's SIGUSR1 statistics),
# so the figures do not depend on the load of the machine.
#
# For each line rate and bridge latency: read, write (erase + program +
# verify) and verify of a W25Q80 (1 MiB).  Ratios are against the emulated
# line rate, which simavr counts as baud / 11 bytes a second, and, for
# writes, against min(line rate, chip rate), the chip rate being the
# datasheet's typical 64 KiB erase and page program times.  Then the time of
# a 16 MiB re-flash of a W25Q128 where one 4 KiB sector changed, at 115200.
#
#   tools/bench.sh [--quick]      (--quick: fewer configurations, smaller sizes)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
quick=0
[ "${1:-}" = --quick ] && quick=1
tmp=$(mktemp -d)
emu_pid=
cleanup() {
	[ -n "$emu_pid" ] && kill -TERM "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
# a private copy of the binaries: a rebuild during a long run cannot touch it
mkdir -p "$tmp/bin"
cp "$BUILD/spiflash" "$BUILD/spiflash-emu" "$BUILD/spiflash.elf" "$tmp/bin/" || exit 1
BUILD="$tmp/bin"

# W25Q80, typical times from its datasheet (as in the emulator's part table)
T_BE64_US=150000
T_PP_US=800

emu_start() {   # emu_start CHIP IMAGE LATENCY
	build_emu_out="$tmp/emu.out"
	: >"$build_emu_out"
	"$BUILD/spiflash-emu" --chip "$1" --image "$2" --latency-ms "$3" "$BUILD/spiflash.elf" \
		>"$build_emu_out" 2>"$tmp/emu.err" &
	emu_pid=$!
	dev=
	for _ in $(seq 1 100); do
		dev=$(head -n1 "$build_emu_out" 2>/dev/null)
		[ -n "$dev" ] && [ -e "$dev" ] && return 0
		sleep 0.1
	done
	echo "bench: emulator did not start" >&2
	cat "$tmp/emu.err" >&2
	exit 1
}

emu_stop() {
	kill -TERM "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	emu_pid=
}

# simulated seconds now, from a fresh statistics line
sim_now() {
	local before
	before=$(grep -c 'sim_time=' "$tmp/emu.err")
	kill -USR1 "$emu_pid"
	for _ in $(seq 1 100); do
		[ "$(grep -c 'sim_time=' "$tmp/emu.err")" -gt "$before" ] && break
		sleep 0.02
	done
	grep 'sim_time=' "$tmp/emu.err" | tail -n1 | sed 's/.*sim_time=\([0-9.]*\).*/\1/'
}

# timed LABEL COMMAND...: runs the command, prints simulated seconds
timed() {
	local t0 t1
	t0=$(sim_now)
	if ! "$@" >"$tmp/out.txt" 2>"$tmp/cmd.err"; then
		echo "bench: '$*' failed:" >&2
		cat "$tmp/cmd.err" >&2
		exit 1
	fi
	t1=$(sim_now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

real_baud() {   # the AVR's actual rate (U2X): F_CPU / (8 * (UBRR + 1))
	awk -v b="$1" 'BEGIN { u = int((16000000 + 4 * b) / (8 * b)) - 1; printf "%d", 16000000 / (8 * (u + 1)) }'
}

if [ "$quick" = 1 ]; then
	rates="115200 2000000"
	lats="0 16"
else
	rates="115200 1000000 2000000"
	lats="0 1 16"
fi

echo "| rate | latency | read | write vs line | write vs min(line, chip) | verify | read KB/s | write KB/s | verify KB/s |"
echo "|---|---|---|---|---|---|---|---|---|"
for rate in $rates; do
	if [ "$rate" = 115200 ]; then kib=256; else kib=1024; fi
	[ "$quick" = 1 ] && kib=$((kib / 4))
	bytes=$((kib * 1024))
	line=$(awk -v b="$(real_baud "$rate")" 'BEGIN { printf "%.1f", b / 11 }')
	# chip rate: erase every 64 KiB block and program every page, typical
	chip=$(awk -v n="$bytes" -v e="$T_BE64_US" -v p="$T_PP_US" \
		'BEGIN { t = (n / 65536) * e / 1e6 + (n / 256) * p / 1e6; printf "%.1f", n / t }')
	for lat in $lats; do
		head -c $((1024 * 1024)) /dev/urandom >"$tmp/chip.bin"
		head -c "$bytes" /dev/urandom >"$tmp/data.bin"
		emu_start W25Q80 "$tmp/chip.bin" "$lat"
		# --no-backup: the backup of the old contents is a read of the
		# range, measured by the read column; the write figure is erase +
		# program + verify
		sf=("$BUILD/spiflash" -q -d "$dev" --rate "$rate")
		tr=$(timed "${sf[@]}" -l "$kib" -f "$tmp/dump.bin" read) || exit 1
		tw=$(timed "${sf[@]}" --no-backup -f "$tmp/data.bin" write) || exit 1
		tv=$(timed "${sf[@]}" -f "$tmp/data.bin" verify) || exit 1
		emu_stop
		if ! cmp -s "$tmp/data.bin" <(head -c "$bytes" "$tmp/chip.bin"); then
			echo "bench: the chip does not hold what was written" >&2
			exit 1
		fi
		awk -v n="$bytes" -v line="$line" -v chip="$chip" -v tr="$tr" -v tw="$tw" -v tv="$tv" \
			-v rate="$rate" -v lat="$lat" 'BEGIN {
			lim = line < chip ? line : chip
			printf "| %d | %d ms | %.3f | %.3f | %.3f | %.2f s | %.1f | %.1f | %.1f |\n", rate, lat,
				n / tr / line, n / tw / line, n / tw / lim, tv, n / tr / 1000, n / tw / 1000, n / tv / 1000
		}'
	done
done
echo
echo "Line rate = actual AVR baud / 11 bytes/s (115200 is 117647 on a 16 MHz AVR)."

# Re-flash: 16 MiB image already on the chip, one 4 KiB sector changed.
if [ "$quick" = 1 ]; then
	exit 0
fi
head -c $((16 * 1024 * 1024)) /dev/urandom >"$tmp/big.bin"
cp "$tmp/big.bin" "$tmp/chip16.bin"
printf 'changed sector!!' | dd of="$tmp/big.bin" bs=1 seek=$((0x7A3000)) conv=notrunc status=none
emu_start W25Q128 "$tmp/chip16.bin" 0
t=$(timed "$BUILD/spiflash" -q -d "$dev" --rate 115200 --no-backup -f "$tmp/big.bin" write) || exit 1
emu_stop
if ! cmp -s "$tmp/big.bin" "$tmp/chip16.bin"; then
	echo "bench: the re-flashed chip does not hold the image" >&2
	exit 1
fi
echo
echo "16 MiB re-flash (W25Q128), one 4 KiB sector changed, 115200: $t s simulated"
