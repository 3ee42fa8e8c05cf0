#!/usr/bin/env bash
# make bench: throughput of the real client against the real firmware in the
# emulator, measured in simulated time (the emulator's SIGUSR1 statistics),
# so the figures do not depend on the load of the machine.
#
# For each line rate and USB bridge model (the emulator's --bridge: none, or
# an FTDI FT232R with its default 16 ms latency timer): read, write (erase +
# program + verify) and verify of a W25Q80 (1 MiB), and a read of an erased
# chip.  Each figure is printed with its goal (issue 12) and its bound:
#   read     bytes / s over the line rate, which simavr counts as baud / 11
#            bytes a second; goal >= 0.95, and at 2 Mbaud the time under
#            1.06 x the line time of the bytes
#   blank    an erased chip read: time over the raw line time of its bytes,
#            the whole command (start-up and all: 0.16 s at 115200), and the
#            cost of the sectors alone (the second half of the range: the read
#            of all of it less the read of its first half); goal <= 0.03
#   write    --no-backup, random over random; bound T = erase (64 KiB blocks,
#            typical) + max(line time, page programs, typical) + the device's
#            CRC-32 of the range (29 cycles a byte); goal >= 0.85 of T, and
#            behind the FTDI model >= 0.7 of the same write with no bridge
# Then, on a noisy line (the emulator's --fault drop=N / flip=N, N bytes in a
# million), the same read and write against their clean times: goal <= 1.5 x
# at 1e-4, and at 1e-3 finish or fail clean (exit 1-5 with a message).  Then
# the default write (with its backup) right after a read of the same range,
# against the --no-backup write: goal <= 1.1 x at 115200 (the backup comes
# from the dump, issue 12).  Then the time of a 16 MiB re-flash of a W25Q128
# where one 4 KiB sector changed, at 115200.
#
# --big instead: 16 MiB figures of a W25Q128 (full read, full write, a
# one-sector re-flash) at 1000000 and 2000000, with no bridge and the FTDI
# model; about 40 minutes.  Not at 115200: the line is the bound there and
# an idle emulated AVR keeps to the wall clock, so a full read alone takes
# its 26 minutes of line time, a write more; BIG_RATES="115200" runs it.
#
#   tools/bench.sh [--quick|--big]  (--quick: fewer configurations, smaller sizes)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
quick=0 big=0
[ "${1:-}" = --quick ] && quick=1
[ "${1:-}" = --big ] && big=1
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

emu_start() {   # emu_start CHIP IMAGE BRIDGE [FAULT]
	local fault=()
	[ -n "${4:-}" ] && fault=(--fault "$4")
	build_emu_out="$tmp/emu.out"
	: >"$build_emu_out"
	"$BUILD/spiflash-emu" --chip "$1" --image "$2" --bridge "$3" "${fault[@]}" \
		"$BUILD/spiflash.elf" >"$build_emu_out" 2>"$tmp/emu.err" &
	emu_pid=$!
	dev=
	for _ in $(seq 1 100); do
		dev=$(head -n1 "$build_emu_out" 2>/dev/null)
		[ -n "$dev" ] && [ -e "$dev" ] && break
		sleep 0.1
	done
	if [ -z "$dev" ] || [ ! -e "$dev" ]; then
		echo "bench: emulator did not start" >&2
		cat "$tmp/emu.err" >&2
		exit 1
	fi
}

emu_stop() {
	kill -TERM "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	emu_pid=
}

# sim_line N: simulated seconds of the emulator's Nth statistics line
# (SIGUSR1 asks for one), once it is there
sim_line() {
	for _ in $(seq 1 100); do
		[ "$(grep -c 'sim_time=' "$tmp/emu.err")" -ge "$1" ] && break
		sleep 0.02
	done
	grep 'sim_time=' "$tmp/emu.err" | sed -n "$1p" | sed 's/.*sim_time=\([0-9.]*\).*/\1/'
}

# run_timed COMMAND...: runs the command; sets rc, and t to its simulated
# seconds.  The emulator's clock is asked for right before the command
# starts and right after it ends, and read afterwards: waiting for the
# first reading before starting counted up to 0.04 s of the wait, by the
# 20 ms steps of the polling (the emulated AVR idles at the pace of the
# wall clock): a 4 KiB read at 115200 measured 0.154-0.191 s that way,
# 0.157-0.160 s this way.
run_timed() {
	local n t0 t1
	n=$(grep -c 'sim_time=' "$tmp/emu.err")
	kill -USR1 "$emu_pid"
	"$@" >"$tmp/out.txt" 2>"$tmp/cmd.err"
	rc=$?
	# the first reading is in before the second is asked for: two signals
	# close together would count as one
	t0=$(sim_line $((n + 1)))
	kill -USR1 "$emu_pid"
	t1=$(sim_line $((n + 2)))
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

# timed COMMAND...: runs the command, prints simulated seconds
timed() {
	run_timed "$@"
	if [ "$rc" -ne 0 ]; then
		echo "bench: '$*' failed:" >&2
		cat "$tmp/cmd.err" >&2
		exit 1
	fi
	echo "$t"
}

# try_timed COMMAND...: as timed, but a failure prints "exit N" (the
# command's message in $tmp/cmd.err) instead of ending the bench
try_timed() {
	run_timed "$@"
	if [ "$rc" -ne 0 ]; then
		echo "exit $rc"
		return
	fi
	echo "$t"
}

# sizes RATE: kib and bytes of the range measured at RATE (a quarter with
# --quick): 256 KiB at 115200, 1 MiB above
sizes() {
	if [ "$1" = 115200 ]; then kib=256; else kib=1024; fi
	[ "$quick" = 1 ] && kib=$((kib / 4))
	bytes=$((kib * 1024))
}

real_baud() {   # the AVR's actual rate (U2X): F_CPU / (8 * (UBRR + 1))
	awk -v b="$1" 'BEGIN { u = int((16000000 + 4 * b) / (8 * b)) - 1; printf "%d", 16000000 / (8 * (u + 1)) }'
}

if [ "$big" = 1 ]; then
	uptime
	echo
	echo "| rate | bridge | full read s | / line s | full write s (--no-backup) | one-sector re-flash s |"
	echo "|---|---|---|---|---|---|"
	n16=$((16 * 1024 * 1024))
	for rate in ${BIG_RATES:-1000000 2000000}; do
		line=$(awk -v b="$(real_baud "$rate")" 'BEGIN { printf "%.1f", b / 11 }')
		for bridge in ${BIG_BRIDGES:-none ftdi}; do
			head -c $n16 /dev/urandom >"$tmp/chip16.bin"
			head -c $n16 /dev/urandom >"$tmp/img16.bin"
			emu_start W25Q128 "$tmp/chip16.bin" "$bridge"
			sf=("$BUILD/spiflash" -q -d "$dev" --rate "$rate")
			rm -f "$tmp/dump.bin"
			tr=$(timed "${sf[@]}" -f "$tmp/dump.bin" read) || exit 1
			cmp -s "$tmp/dump.bin" "$tmp/chip16.bin" || { echo "bench: 16 MiB dump differs" >&2; exit 1; }
			tw=$(timed "${sf[@]}" --no-backup -f "$tmp/img16.bin" write) || exit 1
			printf 'changed sector!!' | dd of="$tmp/img16.bin" bs=1 seek=$((0x7A3000)) conv=notrunc status=none
			tf=$(timed "${sf[@]}" --no-backup -f "$tmp/img16.bin" write) || exit 1
			emu_stop
			cmp -s "$tmp/img16.bin" "$tmp/chip16.bin" || { echo "bench: 16 MiB image not in the chip" >&2; exit 1; }
			awk -v r="$rate" -v br="$bridge" -v tr="$tr" -v tw="$tw" -v tf="$tf" -v n=$n16 -v line="$line" 'BEGIN {
				printf "| %d | %s | %.1f | %.3f | %.1f | %.2f |\n", r, br, tr, tr / (n / line), tw, tf
			}'
		done
	done
	exit 0
fi

if [ "$quick" = 1 ]; then
	rates="115200 2000000"
else
	rates="115200 1000000 2000000"
fi
bridges="none ftdi"

uptime
echo
echo "| rate | bridge | read (goal >= 0.95) | read s / line s (goal < 1.06 at 2M) | blank read / raw line, whole command | blank sectors / raw line (goal <= 0.03) | write s | write bound s | write / bound (goal >= 0.85) | ftdi write / none (goal >= 0.7) | verify s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for rate in $rates; do
	sizes "$rate"
	line=$(awk -v b="$(real_baud "$rate")" 'BEGIN { printf "%.1f", b / 11 }')
	tw_none=
	for bridge in $bridges; do
		head -c $((1024 * 1024)) /dev/urandom >"$tmp/chip.bin"
		head -c "$bytes" /dev/urandom >"$tmp/data.bin"
		emu_start W25Q80 "$tmp/chip.bin" "$bridge"
		sf=("$BUILD/spiflash" -q -d "$dev" --rate "$rate")
		rm -f "$tmp/dump.bin"
		tr=$(timed "${sf[@]}" -l "$kib" -f "$tmp/dump.bin" read) || exit 1
		tw=$(timed "${sf[@]}" --no-backup -f "$tmp/data.bin" write) || exit 1
		tv=$(timed "${sf[@]}" -f "$tmp/data.bin" verify) || exit 1
		emu_stop
		if ! cmp -s "$tmp/data.bin" <(head -c "$bytes" "$tmp/chip.bin"); then
			echo "bench: the chip does not hold what was written" >&2
			exit 1
		fi
		# an erased chip: every block crosses as DATA_BLANK
		head -c $((1024 * 1024)) /dev/zero | tr '\0' '\377' >"$tmp/blank.bin"
		emu_start W25Q80 "$tmp/blank.bin" "$bridge"
		rm -f "$tmp/dump.bin"
		tb=$(timed "$BUILD/spiflash" -q -d "$dev" --rate "$rate" -l "$kib" -f "$tmp/dump.bin" read) || exit 1
		rm -f "$tmp/dump.bin"
		th=$(timed "$BUILD/spiflash" -q -d "$dev" --rate "$rate" -l $((kib / 2)) -f "$tmp/dump.bin" read) || exit 1
		emu_stop
		if [ "$bridge" = none ]; then
			tw_none=$tw
			eval "tr_clean_$rate=$tr tw_clean_$rate=$tw"
		fi
		awk -v n="$bytes" -v line="$line" -v tr="$tr" -v tw="$tw" -v tv="$tv" -v tb="$tb" -v th="$th" \
			-v e="$T_BE64_US" -v p="$T_PP_US" -v rate="$rate" -v br="$bridge" -v twn="$tw_none" 'BEGIN {
			bound = (n / 65536) * e / 1e6 + (n / line > (n / 256) * p / 1e6 ? n / line : (n / 256) * p / 1e6) + n * 29 / 16e6
			rel = (br == "none" || twn == "") ? "-" : sprintf("%.2f", twn / tw)
			printf "| %d | %s | %.3f | %.2f s / %.2f s = %.3f | %.3f | %.3f | %.2f | %.2f | %.3f | %s | %.2f |\n", rate, br,
				n / tr / line, tr, n / line, tr / (n / line), tb / (n / line), (tb - th) / (n / 2 / line),
				tw, bound, bound / tw, rel, tv
		}'
	done
done
echo
echo "Line rate = actual AVR baud / 11 bytes/s (115200 is 117647 on a 16 MHz AVR)."
echo "Times in simulated seconds, whole commands (start-up, HELLO, rate switch, chip detection)."

# A noisy line: the same read and write (--no-backup), each byte dropped or
# flipped with the given rate, against the clean figures above.
echo
echo "| rate | fault (per 10^6 bytes) | read s | / clean (goal <= 1.5 at 100) | write s | / clean (goal <= 1.5 at 100) |"
echo "|---|---|---|---|---|---|"
for rate in $rates; do
	sizes "$rate"
	trc=$(eval echo "\$tr_clean_$rate")
	twc=$(eval echo "\$tw_clean_$rate")
	for fault in drop=100 flip=100 drop=1000 flip=1000; do
		head -c $((1024 * 1024)) /dev/urandom >"$tmp/chip.bin"
		head -c "$bytes" /dev/urandom >"$tmp/data.bin"
		emu_start W25Q80 "$tmp/chip.bin" none "seed=$rate,$fault"
		sf=("$BUILD/spiflash" -q -d "$dev" --rate "$rate")
		rm -f "$tmp/dump.bin"
		tr=$(try_timed "${sf[@]}" -l "$kib" -f "$tmp/dump.bin" read)
		if [ "${tr#exit}" = "$tr" ] && ! cmp -s "$tmp/dump.bin" <(head -c "$bytes" "$tmp/chip.bin"); then
			echo "bench: a noisy read exited 0 with wrong bytes" >&2
			exit 1
		fi
		tw=$(try_timed "${sf[@]}" --no-backup -f "$tmp/data.bin" write)
		emu_stop
		if [ "${tw#exit}" = "$tw" ] && ! cmp -s "$tmp/data.bin" <(head -c "$bytes" "$tmp/chip.bin"); then
			echo "bench: a noisy write exited 0 with wrong bytes" >&2
			exit 1
		fi
		awk -v r="$rate" -v f="$fault" -v tr="$tr" -v tw="$tw" -v trc="$trc" -v twc="$twc" 'BEGIN {
			rr = tr ~ /^exit/ ? "failed clean" : sprintf("%.2f", tr / trc)
			rw = tw ~ /^exit/ ? "failed clean" : sprintf("%.2f", tw / twc)
			printf "| %d | %s | %s | %s | %s | %s |\n", r, f, tr, rr, tw, rw
		}'
	done
done

# The usual order: a dump, then a write of the same range with its backup.
# The backup comes from the dump; the bound is the --no-backup write.
echo
echo "| rate | write --no-backup s | read s | write after the read s (with its backup) | / --no-backup (goal <= 1.1 at 115200) |"
echo "|---|---|---|---|---|"
for rate in $rates; do
	sizes "$rate"
	head -c $((1024 * 1024)) /dev/urandom >"$tmp/chip.bin"
	head -c "$bytes" /dev/urandom >"$tmp/data.bin"
	head -c "$bytes" /dev/urandom >"$tmp/data2.bin"
	emu_start W25Q80 "$tmp/chip.bin" none
	export XDG_STATE_HOME="$tmp/state"
	sf=("$BUILD/spiflash" -q -d "$dev" --rate "$rate")
	tn=$(timed "${sf[@]}" --no-backup -f "$tmp/data.bin" write) || exit 1
	rm -f "$tmp/dump.bin"
	tr=$(timed "${sf[@]}" -l "$kib" -f "$tmp/dump.bin" read) || exit 1
	td=$(timed "${sf[@]}" -f "$tmp/data2.bin" write) || exit 1
	emu_stop
	if ! cmp -s "$tmp/data2.bin" <(head -c "$bytes" "$tmp/chip.bin"); then
		echo "bench: the chip does not hold what was written" >&2
		exit 1
	fi
	awk -v r="$rate" -v tn="$tn" -v tr="$tr" -v td="$td" 'BEGIN {
		printf "| %d | %.2f | %.2f | %.2f | %.3f |\n", r, tn, tr, td, td / tn
	}'
done

# Re-flash: 16 MiB image already on the chip, one 4 KiB sector changed.
if [ "$quick" = 1 ]; then
	exit 0
fi
head -c $((16 * 1024 * 1024)) /dev/urandom >"$tmp/big.bin"
cp "$tmp/big.bin" "$tmp/chip16.bin"
printf 'changed sector!!' | dd of="$tmp/big.bin" bs=1 seek=$((0x7A3000)) conv=notrunc status=none
emu_start W25Q128 "$tmp/chip16.bin" none
t=$(timed "$BUILD/spiflash" -q -d "$dev" --rate 115200 --no-backup -f "$tmp/big.bin" write) || exit 1
emu_stop
if ! cmp -s "$tmp/big.bin" "$tmp/chip16.bin"; then
	echo "bench: the re-flashed chip does not hold the image" >&2
	exit 1
fi
echo
echo "16 MiB re-flash (W25Q128), one 4 KiB sector changed, 115200: $t s simulated"
