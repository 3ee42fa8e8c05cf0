#!/usr/bin/env bash
# Bad input, as a table: options, files, devices and chips.  Each row gives
# the exit code and a substring of the message; every run is bounded by
# `timeout` (a hang is exit 124, a crash 128+signal: both fail the row), and
# after every row the chip image, the working directory and the backup
# directory must be exactly as before: bad input writes nothing, anywhere.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
W="$T/work"                 # the files the rows use; compared after each row
mkdir -p "$W"
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
head -c 1024 /dev/urandom >"$W/small.bin"
head -c $((SIZE + 4096)) /dev/urandom >"$W/big.bin"
: >"$W/empty.bin"
mkdir -p "$W/adir"

# a fingerprint of everything a bad command could have written
state() {
	(cd "$W" && find . -printf '%p %s %m\n' | sort && find . -type f -exec md5sum {} + | sort)
	md5sum "$img"
	find "$XDG_STATE_HOME" 2>/dev/null | sort
}

# row EXPECTED_RC SUBSTRING DESCRIPTION -- COMMAND...
ROWS=0
row() {
	local want=$1 sub=$2 what=$3 rc before after
	shift 4
	ROWS=$((ROWS + 1))
	before=$(state)
	(cd "$W" && timeout 20 "$@" >"$T/out" 2>"$T/err")
	rc=$?
	after=$(state)
	if [ "$rc" -ne "$want" ]; then
		fail "$what: exit $rc, expected $want; stderr: $(head -c 300 "$T/err")"
	elif [ -n "$sub" ] && ! grep -qF -- "$sub" "$T/err"; then
		fail "$what: stderr lacks '$sub': $(head -c 300 "$T/err")"
	elif [ "$before" != "$after" ]; then
		fail "$what: wrote something: $(diff <(echo "$before") <(echo "$after") | head -5)"
	else
		ok "$what (exit $want)"
	fi
}

S="$PWD/$SF"
# --- options: exit 2 ---------------------------------------------------------
row 2 "no command given" "no arguments" -- $S
row 2 "unknown command 'flash'" "unknown command" -- $S -d "$DEV" flash
row 2 "unknown option '--frobnicate'" "unknown long option" -- $S -d "$DEV" --frobnicate info
row 2 "unknown option '-Z'" "unknown short option" -- $S -Z -d "$DEV" info
row 2 "invalid length 'abc'" "non-numeric length" -- $S -d "$DEV" -f x -l abc read
row 2 "is zero" "zero length" -- $S -d "$DEV" -f x -l 0 read
row 2 "too large" "length above 4 GiB" -- $S -d "$DEV" -f x -l 5000000 read
row 2 "invalid flash offset '-5'" "negative offset" -- $S -d "$DEV" --flash-offset -5 -l 1 erase
row 2 "invalid rate 'abc'" "non-numeric rate" -- $S -d "$DEV" --rate abc info
row 2 "invalid rate '0'" "zero rate" -- $S -d "$DEV" --rate 0 info
row 2 "conflict" "--quiet with --verbose" -- $S -q -v -d "$DEV" info
row 2 "needs a file" "read without -f" -- $S -d "$DEV" read
row 2 "invalid rate '30000000'" "rate above 20 Mbaud" -- $S -d "$DEV" --rate 30000000 info
row 2 "needs a value" "-d without its value" -- $S info -d
row 2 "refusing to guess" "erase with an offset and no length" -- $S -d "$DEV" --flash-offset 0x1000 erase
row 2 "takes no file" "erase with -f" -- $S -d "$DEV" -f small.bin erase
row 2 "takes no --file-offset" "read with --file-offset" -- $S -d "$DEV" -f x --file-offset 4 read
row 2 "invalid read passes '99'" "too many read passes" -- $S -d "$DEV" -f x --read-passes 99 read
row 2 "are for 'write' and 'erase'" "--backup on a read" -- $S -d "$DEV" -f x --backup b.bin read
row 2 "'--no-backup' conflict" "--backup with --no-backup" -- $S -d "$DEV" --backup b --no-backup -l 4 erase
row 2 "'--all' is for 'protect' only" "--all on a read" -- $S -d "$DEV" -f x --all read
row 2 "unexpected argument 'extra'" "two commands" -- $S -d "$DEV" -f x read extra
row 2 "empty device name" "empty -d" -- $S -d "" info

# --- ranges and chips: exit 2, 4 ---------------------------------------------
row 2 "past the end" "write at the chip end" -- $S -d "$DEV" -f small.bin --flash-offset 0x20000 write
row 2 "runs past the end" "write running past the end" -- $S -d "$DEV" -f small.bin --flash-offset 0x1FF00 write
row 2 "runs past the end" "read running past the end" -- $S -d "$DEV" -f never.bin --flash-offset 0x1F000 -l 8 read
row 2 "runs past the end" "erase running past the end" -- $S -d "$DEV" --flash-offset 0x1F000 -l 8 erase
row 2 "wrong image or wrong chip" "whole image larger than the chip" -- $S -d "$DEV" -f big.bin write
row 2 "unknown chip 'NOPE'" "--chip with an unknown name" -- $S -d "$DEV" --chip NOPE info

# --- files: exit 1 -----------------------------------------------------------
row 1 "cannot open 'missing.bin'" "missing input file" -- $S -d "$DEV" -f missing.bin write
row 1 "has 0 bytes" "empty input file" -- $S -d "$DEV" -f empty.bin write
row 1 "nothing at --file-offset" "file offset past the file end" -- $S -d "$DEV" -f small.bin --file-offset 2048 write
row 1 "too short" "file shorter than -l" -- $S -d "$DEV" -f small.bin -l 64 write
row 1 "Is a directory" "a directory as the input file" -- $S -d "$DEV" -f adir write
row 1 "cannot create a file in" "output into a missing directory" -- $S -d "$DEV" -f no/such/dir/x.bin read
row 1 "too short" "verify with a short file" -- $S -d "$DEV" -f small.bin -l 8 verify

# --- devices: exit 3 ---------------------------------------------------------
row 3 "no such port" "missing port" -- $S -d /dev/ttyNOPE0 info
row 3 "not a serial port" "/dev/null as the port" -- $S -d /dev/null info
row 3 "not a serial port" "a regular file as the port" -- $S -d "$W/small.bin" info
# one port, one user: a second spiflash is refused while the port is held
flock "$DEV" sleep 10 &
HOLDER=$!
EMU_PIDS+=("$HOLDER")
sleep 0.3
row 3 "is in use by another spiflash" "a port another process holds" -- $S -d "$DEV" -f small.bin write
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

# a pty nobody answers on
python3 -c 'import os, pty, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
time.sleep(30)' >"$T/pty.out" &
EMU_PIDS+=("$!")
for _ in $(seq 1 50); do [ -s "$T/pty.out" ] && break; sleep 0.1; done
row 3 "is the spiflash sketch running?" "a pty nobody answers on" -- $S -d "$(head -n1 "$T/pty.out")" -f small.bin write

# --- chips that do not answer or refuse: exit 4 ------------------------------
if emu_start dead --chip $CHIP --image "$T/dead.bin" --chip-fault miso-stuck-after=1; then
	row 4 "check, in order" "no chip (MISO stuck high)" -- $S -d "$EMU_DEV_dead" -f small.bin write
	emu_stop dead
else
	fail "dead-chip emulator starts"
fi
if emu_start low --chip $CHIP --image "$T/low.bin" --chip-fault miso-stuck-after=1:0; then
	row 4 "check, in order" "no chip (MISO stuck low)" -- $S -d "$EMU_DEV_low" -f small.bin write
	emu_stop low
else
	fail "shorted-chip emulator starts"
fi
if emu_start wp --chip W25Q128-WP --image "$T/wp.bin"; then
	row 4 "write protected" "a write protected chip" -- $S -d "$EMU_DEV_wp" -f small.bin --flash-offset 0xFFF000 write
	emu_stop wp
else
	fail "protected-chip emulator starts"
fi

check "at least 25 bad-input rows ($ROWS)" test "$ROWS" -ge 25
check "emulator exits 0 on SIGTERM" emu_stop main
e2e_summary
