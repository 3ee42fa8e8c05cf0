#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP at random points of a write against the
# emulated programmer: exit 128 + signal within about a second of simulated
# time, the message (what was under way, the range's state, how to finish),
# no temporary file, and the same command then finishes the job (the chip
# holds the file, and nothing else changed).  Then the undo chain: a write
# interrupted three times and finished by a fourth run prints an undo that
# puts back the bytes from before the first run.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
KIB=1024
SIZE=$((1024 * KIB))
LEN=$((256 * KIB))
OFF=$((0x13000))

head -c $SIZE /dev/urandom >"$T/chip.bin"
if ! emu_start s --chip W25Q80 --image "$T/chip.bin"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi

emu_stat_s() { emu_stat s "$1"; }
signal_when() { emu_signal_when s "$@"; }

# in_chip FILE [LENGTH]: the chip holds FILE's first LENGTH (LEN) bytes at OFF
in_chip() {
	cmp -s -n "${2:-$LEN}" "$1" <(tail -c +$((OFF + 1)) "$T/chip.bin")
}

# one_signal SIG NUMBER COUNTER N: a 256 KiB write at an odd offset, SIG
# once COUNTER grew by N, then the same command
one_signal() {
	local sig=$1 num=$2 what=$3 n=$4 pid rc s1 name="SIG$1 after $3+$4"
	head -c $LEN /dev/urandom >"$T/src.bin"
	cp "$T/chip.bin" "$T/before.bin"
	$SF -d "$EMU_DEV_s" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err" &
	pid=$!
	signal_when "$pid" "$sig" "$what" "$n"
	wait "$pid"
	rc=$?
	s1=$(emu_stat_s sim_time)
	if [ "$rc" -eq 0 ]; then
		fail "$name: the write ended before the signal"
		return
	fi
	if [ "$rc" -eq $((128 + num)) ] && grep -q "stopped by SIG$sig" "$T/err" &&
		grep -q "the same command again" "$T/err"; then
		ok "$name: exit $rc, says what stopped and how to finish: $(grep -o 'stopped by.*' "$T/err" | head -c 120)"
	else
		fail "$name: exit $rc: $(tail -c 400 "$T/err")"
	fi
	if awk -v a="$SIM0" -v b="$s1" 'BEGIN { exit !(b - a < 1.0) }'; then
		ok "$name: ended within $(awk -v a="$SIM0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }') s of simulated time (the stats requests included)"
	else
		fail "$name: simulated $SIM0 -> $s1"
	fi
	if grep -q "state of" "$T/err" || grep -q "nothing was changed" "$T/err"; then
		ok "$name: the range's state: $(grep -o 'state of.*\|nothing was changed.*' "$T/err" | head -n1 | head -c 200)"
	else
		fail "$name: no state of the range: $(tail -c 300 "$T/err")"
	fi
	check "$name: no temporary file left" bash -c "! ls '$T'/*.tmp-* '$T'/state/spiflash/*.tmp 2>/dev/null | grep -q ."
	check "$name: the journal is on disk" bash -c "ls '$T'/state/spiflash/pending-*.txt >/dev/null 2>&1 || grep -q 'nothing was changed' '$T/err'"
	$SF -d "$EMU_DEV_s" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err2"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q VERIFIED "$T/err2"; then
		ok "$name: the same command again finishes the job"
	else
		fail "$name: second run exit $rc: $(tail -c 300 "$T/err2")"
	fi
	check "$name: the chip holds the file" in_chip "$T/src.bin"
	check "$name: every byte around the range is as before" \
		same_outside "$T/chip.bin" "$T/before.bin" $OFF $LEN
}

# random points: during the backup read (bytes from the device), during
# the erases, during the programming (pages programmed)
pick() { echo $(( $1 + RANDOM % ($2 - $1) )); }
one_signal INT 2 from_dev "$(pick 20000 150000)"
one_signal TERM 15 erases "$(pick 1 4)"
one_signal HUP 1 programs "$(pick 50 600)"
one_signal INT 2 programs "$(pick 50 600)"
one_signal TERM 15 from_dev "$(pick 20000 150000)"
one_signal HUP 1 erases "$(pick 1 4)"

# erase: SIGINT and SIGHUP once a block or two are erased; the state line
# says which blocks are done, the backup holds the old bytes, and the same
# command then finishes the job without touching a byte around the range
# (768 KiB of random bytes first, so that every block has work: an erase
# skips what is already blank, and a short one ends between two polls)
ELEN=$((768 * KIB))
one_erase_signal() {
	local sig=$1 num=$2 n=$3 pid rc name="erase, SIG$1 after $3 block erases"
	head -c $ELEN /dev/urandom >"$T/rnd.bin"
	$SF -d "$EMU_DEV_s" --no-backup -f "$T/rnd.bin" --flash-offset $OFF write >/dev/null 2>&1
	cp "$T/chip.bin" "$T/before.bin"
	$SF -d "$EMU_DEV_s" --flash-offset $OFF -l $((ELEN / KIB)) erase >"$T/out" 2>"$T/err" &
	pid=$!
	if ! signal_when "$pid" "$sig" erases "$n"; then
		wait "$pid"
		fail "$name: the erase ended before the signal"
		return
	fi
	wait "$pid"
	rc=$?
	if [ "$rc" -eq $((128 + num)) ] && grep -q "stopped by SIG$sig.* while \(erasing\|computing the CRCs\)" "$T/err" &&
		grep -q "state of " "$T/err" && grep -q "the same command again finishes the job" "$T/err"; then
		ok "$name: exit $rc, $(grep -o 'state of.*' "$T/err" | head -c 160)"
	else
		fail "$name: exit $rc: $(tail -c 400 "$T/err")"
	fi
	run 0 "" "$name: the same command again finishes the job" -- \
		$SF -d "$EMU_DEV_s" --flash-offset $OFF -l $((ELEN / KIB)) erase
	check "$name: the range is erased" \
		cmp -s <(head -c $ELEN /dev/zero | tr '\0' '\377') <(tail -c +$((OFF + 1)) "$T/chip.bin" | head -c $ELEN)
	check "$name: every byte around the range is as before" \
		same_outside "$T/chip.bin" "$T/before.bin" $OFF $ELEN
}
one_erase_signal INT 2 "$(pick 1 4)"
one_erase_signal HUP 1 "$(pick 3 7)"

# verify: SIGTERM part way through the device's CRCs; nothing changes
# (at a 1 MHz SPI clock, past the chip's detection and clock check, which
# read some 100 KB: the emulator runs faster than real time, and a verify
# at 8 MHz may end between two looks at its counters)
$SF -d "$EMU_DEV_s" --spi-speed 1M -f "$T/chip.bin" verify >"$T/out" 2>"$T/err" &
pid=$!
if signal_when "$pid" TERM spi_bytes 300000; then
	wait "$pid"
	rc=$?
	check "verify, SIGTERM: exit 143 ($rc), says so: $(head -n1 "$T/err" | head -c 120)" \
		bash -c "[ $rc -eq 143 ] && grep -q 'stopped by SIGTERM' '$T/err' && grep -q 'nothing was changed' '$T/err'"
	run 0 "VERIFIED" "verify, SIGTERM: the same command again verifies" -- $SF -d "$EMU_DEV_s" -f "$T/chip.bin" verify
else
	wait "$pid"
	fail "verify, SIGTERM: the verify ended before the signal"
fi

# a second Ctrl-C ends at once
head -c $LEN /dev/urandom >"$T/src.bin"
$SF -d "$EMU_DEV_s" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err" &
pid=$!
signal_when "$pid" INT programs 100
kill -INT "$pid"
t0=$(date +%s%N)
wait "$pid"
rc=$?
check "a second Ctrl-C ends it at once: exit $rc in $(( ($(date +%s%N) - t0) / 1000000 )) ms" \
	test "$rc" -eq 130
sleep 1.5
run 0 "" "after a second Ctrl-C the same command finishes the job" -- \
	$SF -d "$EMU_DEV_s" -f "$T/src.bin" --flash-offset $OFF write
check "after a second Ctrl-C the chip holds the file" in_chip "$T/src.bin"

# ---- the undo chain: three interruptions, then a run that finishes ---------
# (512 KiB: each run stops after 100 pages of 2048, so however late a
# signal lands on a loaded machine, the third run still has work to stop)
CLEN=$((512 * KIB))
head -c $CLEN /dev/urandom >"$T/new.bin"
cp "$T/chip.bin" "$T/first.bin"
for n in 1 2 3; do
	$SF -d "$EMU_DEV_s" -f "$T/new.bin" --flash-offset $OFF write >"$T/out" 2>"$T/undo-err$n" &
	pid=$!
	signal_when "$pid" INT programs 100
	wait "$pid"
	rc=$?
	check "undo chain: run $n interrupted (exit $rc): $(grep -o 'state of.*' "$T/undo-err$n" | head -c 200)" \
		test "$rc" -eq 130
	check "undo chain: run $n left the chip neither old nor new" \
		eval "! cmp -s '$T/chip.bin' '$T/first.bin' && ! in_chip '$T/new.bin' $CLEN"
done
run 0 "" "undo chain: run 4 finishes" -- $SF -d "$EMU_DEV_s" -f "$T/new.bin" --flash-offset $OFF write
check "undo chain: the chip holds the new bytes" in_chip "$T/new.bin" $CLEN
undo=$(grep -o "to undo: spiflash .* write$" "$T/err" | sed 's/^to undo: spiflash //')
if [ -n "$undo" ]; then
	ok "undo chain: run 4 prints an undo: $undo"
	eval "$SF $undo --no-backup" >"$T/out" 2>"$T/undo-run.err"
	check "undo chain: the printed undo puts back the bytes from before the first run" \
		cmp -s "$T/chip.bin" "$T/first.bin"
else
	fail "undo chain: no undo printed: $(tail -c 300 "$T/err")"
fi
emu_stop s
e2e_summary
