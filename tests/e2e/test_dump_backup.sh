#!/usr/bin/env bash
# A write right after a dump of the same chip takes its backup from the
# dump: each sector whose bytes in the file have the CRC-32 the device
# computed of the chip's sector comes from the file, the others over the
# line, and the backup is the same either way (the chip's old bytes).  A
# dump edited since, moved away, or of another range is never trusted
# blindly: only sectors that match are taken.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
KIB=1024
LEN=$((256 * KIB))
OFF=$((0x40000))

head -c $((1024 * KIB)) /dev/urandom >"$T/chip.bin"
if ! emu_start d --chip W25Q80 --image "$T/chip.bin"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi
D=$EMU_DEV_d

# backup_of ERRFILE: the backup file a write printed
backup_of() {
	grep -o "saved the old [^ ]* in '[^']*'" "$1" | head -n1 | sed "s/.* in '//; s/'$//"
}
# check_backup NAME: the backup the write printed holds $T/old.bin
check_backup() {
	local name=$1 bk
	bk=$(backup_of "$T/err")
	check "$name: the backup holds the chip's old bytes ($bk)" cmp -s "$bk" "$T/old.bin"
}
from_dump() {
	grep -o "[0-9]* sectors of the backup came from a recent dump" "$T/err" | cut -d' ' -f1
}

# 1. dump, then write: every sector of the backup from the dump
run 0 "" "read 256 KiB at 0x40000" -- $SF -d "$D" --flash-offset $OFF -l 256 -f "$T/dump.bin" read
tail -c +$((OFF + 1)) "$T/chip.bin" | head -c $LEN >"$T/old.bin"
head -c $LEN /dev/urandom >"$T/new1.bin"
run 0 "VERIFIED" "write after the dump" -- $SF -v -d "$D" --flash-offset $OFF -f "$T/new1.bin" write
check "write after the dump: all 64 sectors of the backup from the dump (got $(from_dump))" \
	test "$(from_dump)" = 64
check_backup "write after the dump"
check "write after the dump: the chip holds the new bytes" \
	cmp -s "$T/new1.bin" <(tail -c +$((OFF + 1)) "$T/chip.bin" | head -c $LEN)

# 2. the dump no longer matches the chip (it was written since): nothing
# from it, and the backup still the chip's bytes
cp "$T/new1.bin" "$T/old.bin"
head -c $LEN /dev/urandom >"$T/new2.bin"
run 0 "VERIFIED" "a stale dump" -- $SF -v -d "$D" --flash-offset $OFF -f "$T/new2.bin" write
check "a stale dump: no sector from it" test -z "$(from_dump)"
check_backup "a stale dump"

# 3. a fresh dump edited in one sector: the other 63 from it
run 0 "" "read again" -- $SF -d "$D" --flash-offset $OFF -l 256 -f "$T/dump2.bin" --force read
cp "$T/new2.bin" "$T/old.bin"
printf 'edited' | dd of="$T/dump2.bin" bs=1 seek=$((5 * 4096 + 100)) conv=notrunc status=none
head -c $LEN /dev/urandom >"$T/new3.bin"
run 0 "VERIFIED" "an edited dump" -- $SF -v -d "$D" --flash-offset $OFF -f "$T/new3.bin" write
check "an edited dump: 63 sectors from it, the edited one over the line (got $(from_dump))" \
	test "$(from_dump)" = 63
check_backup "an edited dump"

# 4. a whole-chip dump moved away, a range of it: the index names the old
# path, the write reads everything over the line and is right
run 0 "" "whole-chip dump" -- $SF -d "$D" -f "$T/full.bin" read
mv "$T/full.bin" "$T/moved.bin"
cp "$T/new3.bin" "$T/old.bin"
head -c $LEN /dev/urandom >"$T/new4.bin"
run 0 "VERIFIED" "a dump moved away" -- $SF -v -d "$D" --flash-offset $OFF -f "$T/new4.bin" write
check "a dump moved away: no sector from it" test -z "$(from_dump)"
check_backup "a dump moved away"

# 5. a dump to stdout is not a file to take from; a whole-chip dump covers
# a range inside it
run 0 "" "whole-chip dump" -- $SF -d "$D" -f "$T/full2.bin" read
cp "$T/new4.bin" "$T/old.bin"
head -c $LEN /dev/urandom >"$T/new5.bin"
run 0 "VERIFIED" "a range of a whole-chip dump" -- $SF -v -d "$D" --flash-offset $OFF -f "$T/new5.bin" write
check "a range of a whole-chip dump: all 64 from it (got $(from_dump))" test "$(from_dump)" = 64
check_backup "a range of a whole-chip dump"
check "the index of recent dumps is in the state directory" \
	grep -q " $T/full2.bin\$" "$XDG_STATE_HOME/spiflash/dumps"

emu_stop d
e2e_summary
