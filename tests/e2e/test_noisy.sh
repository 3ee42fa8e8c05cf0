#!/usr/bin/env bash
# A noisy line is ridden through: with a byte in 10^4 dropped or flipped
# (either way), a read and a write finish with exit 0 and the right bytes
# and no user action; at 10^-3 they finish the same way or fail clean (exit
# 1-5 with a message) and never leave wrong bytes behind an exit 0.  Their
# time against a clean line is a figure of make bench, not a test.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
KIB=1024
LEN=$((256 * KIB))

# noisy NAME FAULT STRICT: a 256 KiB read and write with the emulator's
# --fault FAULT; STRICT=1: both must finish
noisy() {
	local name=$1 fault=$2 strict=$3 rc
	head -c $((1024 * KIB)) /dev/urandom >"$T/$name.bin"
	if ! emu_start "$name" --chip W25Q80 --image "$T/$name.bin" --fault "$fault"; then
		fail "$name: emulator starts"
		return
	fi
	local dev_var="EMU_DEV_$name"
	local dev=${!dev_var}
	timeout 120 $SF -v -d "$dev" -l 256 -f "$T/$name-dump.bin" read >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		check "$name: read exit 0, the dump equals the chip ($(grep -o '[0-9]* resends[^,]*' "$T/err"))" \
			cmp -s "$T/$name-dump.bin" <(head -c $LEN "$T/$name.bin")
	elif [ "$strict" = 0 ] && [ "$rc" -le 5 ] && grep -q "^spiflash: " "$T/err" && [ ! -e "$T/$name-dump.bin" ]; then
		ok "$name: read failed clean (exit $rc, no dump left): $(grep -v 'requests' "$T/err" | tail -n1 | head -c 120)"
	else
		fail "$name: read exit $rc: $(tail -c 300 "$T/err")"
	fi
	head -c $LEN /dev/urandom >"$T/$name-src.bin"
	cp "$T/$name.bin" "$T/$name-before.bin"
	timeout 120 $SF -v -d "$dev" --flash-offset 0x10000 -f "$T/$name-src.bin" write >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		check "$name: write exit 0, the chip holds the file ($(grep -o '[0-9]* resends[^,]*' "$T/err"))" \
			cmp -s "$T/$name-src.bin" <(tail -c +$((0x10000 + 1)) "$T/$name.bin" | head -c $LEN)
	elif [ "$strict" = 0 ] && [ "$rc" -le 5 ] && grep -q "the same command again" "$T/err"; then
		ok "$name: write failed clean (exit $rc) and says how to finish"
	else
		fail "$name: write exit $rc: $(tail -c 300 "$T/err")"
	fi
	check "$name: nothing outside the range changed" \
		same_outside "$T/$name.bin" "$T/$name-before.bin" $((0x10000)) $LEN
	emu_stop "$name"
}

noisy drop4 seed=11,drop=100 1
noisy flip4 seed=12,flip=100 1
noisy drop3 seed=13,drop=1000 0
noisy flip3 seed=14,flip=1000 0
e2e_summary
