#!/usr/bin/env bash
# The spiflash client (build/spiflash) against the real firmware ELF in the
# emulator: info, read, write at unaligned offsets (bytes outside the range
# untouched), verify (and its failure after the chip changes behind its
# back), erase, blank, '-f -' both ways, the libserialport path through the
# LD_PRELOAD shim, a faulty link, and bad input with exit codes, messages and
# nothing written.  Every client run is bounded by timeout.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
SHIM=$PWD/build/sp_pty_shim.so
T=$E2E_TMP
CHIP=W25X10
SIZE=$((128 * 1024))

img="$T/chip.bin"
head -c $SIZE /dev/urandom >"$img"
if ! emu_start main --chip $CHIP --image "$img"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi
DEV=$EMU_DEV_main

# --- happy paths ------------------------------------------------------------
if run 0 "" "info exits 0" -- $SF -d "$DEV" info && grep -q "jedec id:  ef 30 11" "$T/out" &&
   grep -q "W25X10" "$T/out"; then
	ok "info shows the JEDEC ID ef 30 11 and the chip name"
else
	fail "info shows the JEDEC ID: $(cat "$T/out")"
fi

run 0 "" "read the whole chip" -- $SF -d "$DEV" -f "$T/dump.bin" read
check "dump equals the chip image" cmp -s "$T/dump.bin" "$img"
check "no temporary file left next to the dump" test -z "$(ls "$T" | grep 'dump.bin.tmp')"

timeout 60 $SF -d "$DEV" read -f - --flash-offset 0x1000 -l 8 >"$T/stdout.bin" 2>"$T/err"
check "read -f - writes the range to stdout" cmp -s "$T/stdout.bin" <(tail -c +$((0x1000 + 1)) "$img" | head -c 8192)

cp "$img" "$T/before.bin"
head -c 20000 /dev/urandom >"$T/src.bin"
head -c $((333 + 9999)) "$T/src.bin" >"$T/part.bin"
# 9999 bytes (the rest of the file) from file offset 333 to chip offset
# 0x2345: neither end of the range is aligned
run 0 "VERIFIED" "write at unaligned offsets prints VERIFIED" -- \
	$SF -d "$DEV" -f "$T/part.bin" --file-offset 333 --flash-offset 0x2345 write
check "written bytes are in the chip" cmp -s -n 9999 <(tail -c +334 "$T/src.bin") <(tail -c +$((0x2345 + 1)) "$img")
check "every byte outside the range is unchanged" same_outside "$img" "$T/before.bin" $((0x2345)) 9999

run 0 "VERIFIED" "writing the same bytes again succeeds (unchanged sectors skipped)" -- \
	$SF -d "$DEV" -f "$T/part.bin" --file-offset 333 --flash-offset 0x2345 -v write
check "the rewrite skipped every sector" grep -q "3 sectors unchanged" "$T/err"

run 0 "VERIFIED" "verify of the written range passes" -- \
	$SF -d "$DEV" -f "$T/part.bin" --file-offset 333 --flash-offset 0x2345 verify
# change one chip byte behind the client's back (the emulator maps the image)
printf '\x00' | dd of="$img" bs=1 seek=$((0x2345 + 5000)) conv=notrunc status=none
b=$(od -An -tx1 -j $((333 + 5000)) -N1 "$T/src.bin" | tr -d ' ')
if [ "$b" = 00 ]; then
	printf '\x01' | dd of="$img" bs=1 seek=$((0x2345 + 5000)) conv=notrunc status=none
fi
run 5 "verify failed at 0x0036cd" "verify fails with exit 5 and the address after the chip changed" -- \
	$SF -d "$DEV" -f "$T/part.bin" --file-offset 333 --flash-offset 0x2345 verify

cp "$img" "$T/before.bin"
# -l counts KiB: 8 KiB from 0x5001 ends at 0x7000, so neither end is aligned
run 0 "" "erase an unaligned range" -- $SF -d "$DEV" --flash-offset 0x5001 -l 8 erase
check "erased range is all FF" cmp -s -n 8192 <(tail -c +$((0x5001 + 1)) "$img") <(head -c 8192 /dev/zero | tr '\0' '\377')
check "erase kept every byte outside the range" same_outside "$img" "$T/before.bin" $((0x5001)) 8192
run 0 "" "blank check of the erased range passes" -- $SF -d "$DEV" --flash-offset 0x5001 -l 8 blank
run 5 "not blank: byte at 0x005000" "blank check from one byte earlier fails with exit 5" -- \
	$SF -d "$DEV" --flash-offset 0x5000 -l 8 blank

cp "$img" "$T/before.bin"
head -c 4096 /dev/urandom >"$T/stdin.bin"
run 0 "VERIFIED" "write -f - reads stdin" -- \
	bash -c "$SF -d '$DEV' -f - --flash-offset 0x10000 write <'$T/stdin.bin'"
check "stdin bytes are in the chip" cmp -s -n 4096 "$T/stdin.bin" <(tail -c +$((0x10000 + 1)) "$img")
check "write from stdin kept the rest" same_outside "$img" "$T/before.bin" $((0x10000)) 4096

# page programs pipeline at the top rate too: two in flight, none lost
cp "$img" "$T/before.bin"
head -c 8192 /dev/urandom >"$T/rate.bin"
run 0 "VERIFIED" "write at the automatic rate (-vvv)" -- \
	$SF -vvv -d "$DEV" -f "$T/rate.bin" --flash-offset 0x18000 write
check "the automatic rate is 2 Mbaud" grep -q "(termios, 2000000 baud)\|at 2000000 baud" "$T/err"
check "there, two pages are in flight at once" grep -q "PROGRAM seq .* (2 in flight)" "$T/err"
check "and the device's receive ring kept up" sh -c "! grep -q 'FRAME_ERR' '$T/err'"
check "the pipelined write is in the chip" \
	cmp -s -n 8192 "$T/rate.bin" <(tail -c +$((0x18000 + 1)) "$img")
check "and kept the rest" same_outside "$img" "$T/before.bin" $((0x18000)) 8192

run 0 "" "ports exits 0" -- $SF ports

# --- the libserialport path -------------------------------------------------
run 0 "opened with libserialport" "libserialport opens the pty through the shim" -- \
	env SPIFLASH_FORCE_LIBSERIALPORT=1 LD_PRELOAD="$SHIM" $SF -v -d "$DEV" -f "$T/dump2.bin" read
check "libserialport read equals the image" cmp -s "$T/dump2.bin" "$img"
run 3 "not a serial port" "forced libserialport without the shim refuses the pty (exit 3)" -- \
	env SPIFLASH_FORCE_LIBSERIALPORT=1 $SF -d "$DEV" info

# --- bad input: exit code, message, nothing written -------------------------
cp "$img" "$T/before.bin"
unchanged() { cmp -s "$img" "$T/before.bin"; }
head -c 1024 /dev/urandom >"$T/small.bin"

run 2 "past the end" "offset past the chip end: exit 2" -- \
	$SF -d "$DEV" -f "$T/small.bin" --flash-offset 0x20000 write
run 2 "runs past the end" "write running past the chip end: exit 2" -- \
	$SF -d "$DEV" -f "$T/small.bin" --flash-offset 0x1FF00 write
run 2 "runs past the end" "read length past the chip end: exit 2" -- \
	$SF -d "$DEV" -f "$T/never.bin" --flash-offset 0x1F000 -l 8 read
check "failed read created no file" test ! -e "$T/never.bin"
check "failed read left no temporary file" test -z "$(ls "$T" | grep 'never.bin')"
run 1 "too short" "file shorter than the range: exit 1" -- \
	$SF -d "$DEV" -f "$T/small.bin" -l 64 write
run 1 "nothing at --file-offset" "file offset past the file end: exit 1" -- \
	$SF -d "$DEV" -f "$T/small.bin" --file-offset 2048 write
run 1 "cannot open '$T/missing.bin'" "unreadable file: exit 1" -- \
	$SF -d "$DEV" -f "$T/missing.bin" write
run 1 "cannot create a file in" "unwritable output directory: exit 1" -- \
	$SF -d "$DEV" -f "$T/no/such/dir/x.bin" read
run 2 "is zero" "zero length: exit 2" -- $SF -d "$DEV" -f "$T/small.bin" -l 0 write
run 2 "invalid flash offset 'abc'" "non-numeric offset: exit 2" -- \
	$SF -d "$DEV" -f "$T/small.bin" --flash-offset abc write
run 2 "invalid length '1O'" "non-numeric length: exit 2" -- $SF -d "$DEV" -f "$T/small.bin" -l 1O write
run 3 "no serial port found" "missing -d, no programmer attached: exit 3" -- env SPIFLASH_PORTS= $SF -f "$T/small.bin" write
run 2 "unknown command" "unknown command: exit 2" -- $SF -d "$DEV" flash
run 3 "no such port" "missing port: exit 3" -- $SF -d /dev/ttyNOPE0 -f "$T/small.bin" write
run 3 "not a serial port" "/dev/null is not a serial port: exit 3" -- \
	$SF -d /dev/null -f "$T/small.bin" write
check "the chip is unchanged after every bad input" unchanged

# a pty nobody answers on
python3 -c 'import os, pty, sys, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
time.sleep(20)' >"$T/pty.out" &
PYPID=$!
EMU_PIDS+=("$PYPID")
for _ in $(seq 1 50); do [ -s "$T/pty.out" ] && break; sleep 0.1; done
silent=$(head -n1 "$T/pty.out")
t0=$(date +%s%N)
run 3 "no answer from '$silent': is the spiflash sketch running?" "silent pty: exit 3 with a clear message" -- \
	$SF -d "$silent" info
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
if [ "$ms" -lt 5000 ]; then ok "silent pty gives up in ${ms} ms"; else fail "silent pty took ${ms} ms"; fi
kill "$PYPID" 2>/dev/null

# --- whole chip: erase, blank, write back, verify ---------------------------
cp "$img" "$T/orig.bin"
run 0 "erased the whole chip" "chip erase" -- $SF -d "$DEV" erase
check "chip erase leaves all FF" cmp -s "$img" <(head -c $SIZE /dev/zero | tr '\0' '\377')
run 0 "VERIFIED" "write the whole image back" -- $SF -d "$DEV" -f "$T/orig.bin" write
check "whole image is back" cmp -s "$img" "$T/orig.bin"

check "emulator exits 0 on SIGTERM" emu_stop main

# --- a write protected chip -------------------------------------------------
wp="$T/wp.bin"
if emu_start wp --chip W25Q128-WP --image "$wp"; then
	cp "$wp" "$T/wp-before.bin"
	run 4 "write protected" "protected chip: write refused with exit 4" -- \
		$SF -d "$EMU_DEV_wp" -f "$T/small.bin" write
	check "protected chip unchanged" cmp -s "$wp" "$T/wp-before.bin"
	emu_stop wp
else
	fail "protected-chip emulator starts"
fi

# --- a faulty link: flipped, dropped and duplicated bytes -------------------
fimg="$T/faulty.bin"
head -c $SIZE /dev/urandom >"$fimg"
if emu_start faulty --chip $CHIP --image "$fimg" --fault seed=7,flip=100,drop=100,dup=50; then
	run 0 "" "read over a faulty link" -- $SF -v -d "$EMU_DEV_faulty" -f "$T/fdump.bin" read
	check "read over a faulty link equals the image" cmp -s "$T/fdump.bin" "$fimg"
	grep -o '[0-9]* resends' "$T/err" | sed 's/^/  /'
	# -vvv: the trace names each request and answer, and why a resend was sent
	run 0 "" "read over a faulty link with -vvv" -- \
		$SF -vvv -d "$EMU_DEV_faulty" -l 64 -f "$T/fdump3.bin" read
	traced() {
		grep -q "> HELLO seq 1 at 115200 baud" "$T/err" &&
			grep -q "^spiflash: *[0-9]*\.[0-9]\{3\} < HELLO seq [0-9]*: ok$" "$T/err" &&
			grep -q "> READ_STREAM seq [0-9]*: 0x000000-" "$T/err"
	}
	check "-vvv: the trace shows HELLO, its answer and the stream" traced
	check "-vvv: each resend with its reason (damaged frame, FRAME_ERR, silence, two reads differ)" \
		grep -q "damaged frame\|FRAME_ERR\|silence for\|reads differ" "$T/err"
	check "-vvv: the dump is still right" cmp -s "$T/fdump3.bin" <(head -c 65536 "$fimg")
	cp "$fimg" "$T/fbefore.bin"
	run 0 "VERIFIED" "write over a faulty link" -- \
		$SF -d "$EMU_DEV_faulty" -f "$T/src.bin" --flash-offset 0x3003 write
	check "faulty-link write landed" cmp -s -n 20000 "$T/src.bin" <(tail -c +$((0x3003 + 1)) "$fimg")
	check "faulty-link write kept the rest" same_outside "$fimg" "$T/fbefore.bin" $((0x3003)) 20000
	emu_stop faulty
else
	fail "faulty-link emulator starts"
fi

e2e_summary
