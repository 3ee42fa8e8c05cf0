#!/usr/bin/env bash
# serprog both ways, end to end: Debian's flashrom (a real outside client)
# against the real firmware ELF in the emulator (probe, read, erase + write
# + verify, at 115200 and, with the sketch built for it, at 1 Mbaud); the
# spiflash client's serprog backend against the same firmware; and one
# emulator serving spiflash, flashrom and spiflash again without a reset.
# Every run is bounded by timeout.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
CHIP=W25X10
SIZE=$((128 * 1024))
FAST_ELF=build/fw-uno1m/spiflash.elf

if ! command -v flashrom >/dev/null; then
	fail "flashrom is installed (tools/debian-packages.txt)"
	e2e_summary
	exit 1
fi

img="$T/chip.bin"
head -c $SIZE /dev/urandom >"$img"
if ! emu_start main --chip $CHIP --image "$img"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi
DEV=$EMU_DEV_main

# fr LOG BAUD ARGS...: flashrom on the emulator at BAUD, output in LOG
fr() {
	local log=$1 baud=$2 dev=$3
	shift 3
	timeout 60 flashrom -p "serprog:dev=$dev:$baud" "$@" >"$log" 2>&1
}

# sf ARGS...: the spiflash client, bounded, its output kept aside
sf() {
	timeout 60 $SF "$@" >>"$T/sf.out" 2>>"$T/sf.err"
}

# region FILE OFFSET LENGTH: that part of FILE, on stdout
region() {
	tail -c +$(($2 + 1)) "$1" | head -c "$3"
}

# --- flashrom against the firmware at 115200 ----------------------------------
if fr "$T/probe.log" 115200 "$DEV" && grep -q 'Found Winbond flash chip "W25X10"' "$T/probe.log" &&
   grep -q 'Programmer name is "spiflash"' "$T/probe.log"; then
	ok "flashrom probes the W25X10 through the sketch's serprog"
else
	fail "flashrom probe: $(tail -5 "$T/probe.log")"
fi

fr "$T/read.log" 115200 "$DEV" -c $CHIP -r "$T/fr.bin"
check "flashrom reads the whole chip, equal to the image" cmp -s "$T/fr.bin" "$img"

# erase + write + verify of the first 8 KiB (a region keeps the test short)
head -c $SIZE /dev/urandom >"$T/new.bin"
printf '00000000:00001fff low\n' >"$T/layout"
if fr "$T/write.log" 115200 "$DEV" -c $CHIP -l "$T/layout" -i low -N -w "$T/new.bin" &&
   grep -q "VERIFIED" "$T/write.log"; then
	ok "flashrom erases, writes and verifies 8 KiB: VERIFIED"
else
	fail "flashrom write: $(tail -5 "$T/write.log")"
fi
check "the chip holds flashrom's 8 KiB" \
	cmp -s <(region "$img" 0 8192) <(region "$T/new.bin" 0 8192)
check "flashrom left the rest alone" \
	cmp -s <(region "$img" 8192 24576) <(region "$T/fr.bin" 8192 24576)

# several -i into one file: flashrom's image and spiflash's are the same bytes
printf '00000000:00000fff a\n00004000:00005fff b\n' >"$T/two"
fr "$T/two.log" 115200 "$DEV" -c $CHIP -l "$T/two" -i a -i b -r "$T/fr_two.bin"
timeout 60 $SF -d "$DEV" --layout "$T/two" -i a -i b -f "$T/sf_two.bin" read 2>"$T/two.err"
check "-i a -i b read: spiflash's file equals flashrom's, byte for byte" \
	cmp "$T/fr_two.bin" "$T/sf_two.bin"

# --- spiflash's serprog backend against the firmware's serprog ----------------
timeout 30 $SF -p serprog -d "$DEV" info >"$T/info.out" 2>"$T/info.err"
check "spiflash -p serprog info names the path and the chip" \
	grep -q "serprog, host-side sequencing" "$T/info.out"
check "spiflash -p serprog info finds the W25X10" grep -q "W25X10" "$T/info.out"

timeout 60 $SF -p serprog -d "$DEV" -f "$T/sp.bin" -l 16 read 2>"$T/sp.err"
check "spiflash -p serprog reads 16 KiB equal to the chip" \
	cmp -s "$T/sp.bin" <(region "$img" 0 16384)

head -c 4096 /dev/urandom >"$T/sp_new.bin"
check "spiflash -p serprog writes 4 KiB at 0x8000 (erase, program, verify)" \
	sf -p serprog -d "$DEV" -f "$T/sp_new.bin" --flash-offset 0x8000 --no-backup write
check "the chip holds spiflash's 4 KiB" cmp -s <(region "$img" 32768 4096) "$T/sp_new.bin"
check "spiflash -p serprog verify passes" \
	sf -p serprog -d "$DEV" -f "$T/sp_new.bin" --flash-offset 0x8000 verify

# --- one emulator: spiflash, flashrom, spiflash --------------------------------
cp "$img" "$T/now.bin"
check "spiflash (its own protocol) verifies the whole chip" \
	sf -d "$DEV" -f "$T/now.bin" verify
if fr "$T/verify.log" 115200 "$DEV" -c $CHIP -l "$T/layout" -i low -N -v "$T/now.bin" &&
   grep -q "VERIFIED" "$T/verify.log"; then
	ok "then flashrom verifies its first 8 KiB: VERIFIED"
else
	fail "flashrom verify after spiflash: $(tail -5 "$T/verify.log")"
fi
timeout 60 $SF -d "$DEV" -f "$T/again.bin" read 2>"$T/again.err"
check "then spiflash reads it again, equal" cmp -s "$T/again.bin" "$T/now.bin"
check "without -p, spiflash found the sketch, not serprog" \
	test -z "$(grep -i serprog "$T/again.err")"

# --- a sketch built for 1 Mbaud: flashrom at 1000000 ---------------------------
fast_start() {
	local out="$T/emu-fast.out" pid dev=
	build/spiflash-emu --chip $CHIP --image "$T/fast.bin" "$FAST_ELF" >"$out" 2>"$T/emu-fast.err" &
	pid=$!
	EMU_PIDS+=("$pid")
	for _ in $(seq 1 100); do
		dev=$(head -n1 "$out" 2>/dev/null)
		[ -n "$dev" ] && [ -e "$dev" ] && break
		dev=
		sleep 0.1
	done
	FAST_DEV=$dev
	[ -n "$dev" ]
}
head -c $SIZE /dev/urandom >"$T/fast.bin"
cp "$T/fast.bin" "$T/fast0.bin"
if [ -e "$FAST_ELF" ] && fast_start; then
	fr "$T/fread.log" 1000000 "$FAST_DEV" -c $CHIP -r "$T/fr_fast.bin"
	check "flashrom at 1000000 baud reads the whole chip, equal" cmp -s "$T/fr_fast.bin" "$T/fast0.bin"
	if fr "$T/fwrite.log" 1000000 "$FAST_DEV" -c $CHIP -l "$T/layout" -i low -N -w "$T/new.bin" &&
	   grep -q "VERIFIED" "$T/fwrite.log"; then
		ok "flashrom at 1000000 baud erases, writes and verifies: VERIFIED"
	else
		fail "flashrom write at 1000000: $(tail -5 "$T/fwrite.log")"
	fi
	# the wrong rate: garbage on the line, and the chip must not change
	cp "$T/fast.bin" "$T/fast1.bin"
	fr "$T/wrong.log" 115200 "$FAST_DEV" -c $CHIP -E
	check "flashrom at the wrong rate fails" test $? -ne 0
	check "and the chip is untouched" cmp -s "$T/fast.bin" "$T/fast1.bin"
else
	fail "the 1 Mbaud sketch ($FAST_ELF) runs in the emulator"
fi

check "emulator exits cleanly" emu_stop main
e2e_summary
