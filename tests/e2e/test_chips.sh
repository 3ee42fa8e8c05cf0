#!/usr/bin/env bash
# Knowing the chip, end to end: 'info' on every emulated personality (name,
# size, erase sizes, SFDP cross-check, protection), a write across 16 MiB on
# the 4-byte W25Q256, a write to the protected W25Q128-WP refused before
# anything changes and then done with --unprotect (QE kept), protect/
# unprotect, image size checks, --chip and --list-chips.  Every client run
# is bounded by timeout; every emulator is stopped.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP

E2E_RUN_TIMEOUT=120   # the 32 MiB part

# has LINE-SUBSTRING...: every substring is in the last 'info' output
has() {
	local s
	for s in "$@"; do
		grep -qF -- "$s" "$T/out" || { echo "  info lacks '$s'"; return 1; }
	done
}

# --- info on every personality ----------------------------------------------
# personality | chip line | further lines info must show
info_case() {
	local part=$1 chipline=$2
	shift 2
	if ! emu_start info --chip "$part" --image "$T/$part.bin"; then
		fail "emulator $part starts"
		return
	fi
	local dev=$EMU_DEV_info
	if run 0 "" "info on $part exits 0" -- $SF -d "$dev" info && has "$chipline" "$@"; then
		ok "info on $part: $chipline; $*"
	else
		fail "info on $part: $(cat "$T/out")"
	fi
	check "emulator $part stops cleanly" emu_stop info
}

info_case W25X10 "chip:      W25X10, 128 KiB, 256-byte pages, erase 4K 64K" \
	"source:    table" "sfdp:      none" "protect:   none"
info_case W25Q80 "chip:      W25Q80, 1024 KiB, 256-byte pages, erase 4K 32K 64K" \
	"sfdp:      rev 1.0, 1024 KiB" "check:     SFDP agrees with the table" "protect:   none"
info_case W25Q128 "chip:      W25Q128, 16384 KiB, 256-byte pages, erase 4K 32K 64K" \
	"sfdp:      rev 1.6, 16384 KiB, 256-byte pages, erase 4K=20h 32K=52h 64K=D8h, 3-byte" \
	"check:     SFDP agrees with the table" "QE=1" "protect:   none"
info_case W25Q128-WP "chip:      W25Q128, 16384 KiB, 256-byte pages, erase 4K 32K 64K" \
	"SR1:       0x1c" "protect:   0x000000-0xffffff, whole chip (16384 KiB) (BP=7"
info_case W25Q256 "chip:      W25Q256, 32768 KiB, 256-byte pages, erase 4K 32K 64K" \
	"address:   4-byte opcodes" "sfdp:      rev 1.6, 32768 KiB" "4-byte opcode table" \
	"check:     SFDP agrees with the table" "protect:   none"
info_case MX25L6406E "chip:      MX25L6406E, 8192 KiB, 256-byte pages, erase 4K 64K" \
	"sfdp:      none" "SR1:       0x00  WIP=0 WEL=0 BP=0 QE=0 SRWD=0" "protect:   none"
info_case GD25Q32 "chip:      GD25Q32, 4096 KiB, 256-byte pages, erase 4K 32K 64K" \
	"sfdp:      rev 1.0, 4096 KiB" "check:     SFDP agrees with the table" "protect:   none"
info_case SST25VF016B "chip:      SST25VF016B, 2048 KiB, 1-byte pages, erase 4K 32K 64K" \
	"program:   byte by byte" "protect:   0x000000-0x1fffff, whole chip (2048 KiB)"

# --- 4-byte addressing: 8 KiB across the 16 MiB boundary ---------------------
img="$T/w25q256.bin"
if emu_start a4 --chip W25Q256 --image "$img"; then
	head -c 8192 /dev/urandom >"$T/x8k.bin"
	run 0 "VERIFIED" "W25Q256: write 8 KiB at 0xFFF000 (across 16 MiB)" -- \
		$SF -d "$EMU_DEV_a4" -f "$T/x8k.bin" --flash-offset 0xFFF000 write
	run 0 "VERIFIED" "W25Q256: verify across 16 MiB" -- \
		$SF -d "$EMU_DEV_a4" -f "$T/x8k.bin" --flash-offset 0xFFF000 verify
	run 0 "" "W25Q256: read back across 16 MiB" -- \
		$SF -d "$EMU_DEV_a4" -f "$T/back.bin" --flash-offset 0xFFF000 -l 8 read
	check "W25Q256: read-back equals the file" cmp -s "$T/back.bin" "$T/x8k.bin"
	check "W25Q256: the image holds the bytes on both sides of 16 MiB" \
		cmp -s "$T/x8k.bin" <(tail -c +$((0xFFF000 + 1)) "$img" | head -c 8192)
	check "W25Q256: no wrap to address 0 (first 4 KiB still erased)" \
		cmp -s <(head -c 4096 "$img") <(head -c 4096 /dev/zero | tr '\0' '\377')
	check "emulator W25Q256 stops cleanly" emu_stop a4
else
	fail "emulator W25Q256 starts"
fi

# --- write protection: W25Q128-WP (BP=111, QE=1 at power-up) -----------------
img="$T/wp.bin"
head -c $((16 * 1024 * 1024)) /dev/urandom >"$img"
if emu_start wp --chip W25Q128-WP --image "$img"; then
	DEV=$EMU_DEV_wp
	cp "$img" "$T/before.bin"
	head -c 8192 /dev/urandom >"$T/p.bin"
	run 4 "--unprotect" "protected write fails with exit 4 naming --unprotect" -- \
		$SF -d "$DEV" -f "$T/p.bin" --flash-offset 0x10000 write
	check "the message names the protected range" grep -qF "0x000000-0xffffff" "$T/err"
	check "the refused write changed nothing" cmp -s "$img" "$T/before.bin"
	run 4 "--unprotect" "protected range erase fails with exit 4" -- \
		$SF -d "$DEV" --flash-offset 0x10000 -l 4 erase
	check "the refused erase changed nothing" cmp -s "$img" "$T/before.bin"
	run 0 "cleared the write protection" "write with --unprotect succeeds" -- \
		$SF -d "$DEV" -f "$T/p.bin" --flash-offset 0x10000 --unprotect write
	check "write with --unprotect verified" grep -qF VERIFIED "$T/err"
	check "the bytes are in the chip" \
		cmp -s "$T/p.bin" <(tail -c +$((0x10000 + 1)) "$img" | head -c 8192)
	check "nothing outside the range changed" \
		cmp -s <(head -c $((0x10000)) "$img") <(head -c $((0x10000)) "$T/before.bin")
	run 0 "" "info after --unprotect" -- $SF -d "$DEV" info
	check "QE is still set after --unprotect (two-byte 01h)" \
		grep -qF "SR2:       0x02  SRP1=0 QE=1" "$T/out"
	check "no protection left" grep -qF "protect:   none" "$T/out"

	# protect a range, then writes inside fail and outside pass
	run 0 "protected 0xfc0000-0xffffff" "protect the top 256 KiB" -- \
		$SF -d "$DEV" --flash-offset 0xFC0000 -l 256 protect
	run 0 "" "info after protect" -- $SF -d "$DEV" info
	check "info shows the top 256 KiB protected" \
		grep -qF "protect:   0xfc0000-0xffffff (256 KiB, top) (BP=1" "$T/out"
	cp "$img" "$T/before.bin"
	run 4 "0xfc0000-0xffffff" "write into the protected range fails" -- \
		$SF -d "$DEV" -f "$T/p.bin" --flash-offset 0xFFE000 write
	check "the refused write changed nothing" cmp -s "$img" "$T/before.bin"
	run 0 "VERIFIED" "write entirely outside the protected range is allowed" -- \
		$SF -d "$DEV" -f "$T/p.bin" --flash-offset 0x20000 write
	run 2 "cannot protect exactly" "protect refuses a range the bits cannot express" -- \
		$SF -d "$DEV" --flash-offset 0x1000 -l 4 protect
	run 0 "protected 0x000000-0x000fff" "protect the bottom 4 KiB (SEC TB)" -- \
		$SF -d "$DEV" --flash-offset 0 -l 4 protect
	run 0 "cleared the write protection" "unprotect command" -- $SF -d "$DEV" unprotect
	run 0 "was not write protected" "unprotect again: nothing to do" -- $SF -d "$DEV" unprotect
	run 0 "" "info after unprotect" -- $SF -d "$DEV" info
	check "QE kept through protect and unprotect" grep -qF "QE=1" "$T/out"

	# --chip and size checks
	run 2 "unknown chip 'W25Q999'" "--chip with an unknown name is a usage error" -- \
		$SF -d "$DEV" --chip W25Q999 info
	run 4 "answers as W25Q128" "--chip naming another part than the ID is refused" -- \
		$SF -d "$DEV" --chip MX25L6406E -f "$T/p.bin" write
	head -c $((17 * 1024 * 1024)) /dev/zero >"$T/big.bin"
	cp "$img" "$T/before.bin"
	run 2 "wrong image or wrong chip" "a whole-chip write of a larger image fails" -- \
		$SF -d "$DEV" -f "$T/big.bin" write
	check "the oversized write changed nothing" cmp -s "$img" "$T/before.bin"
	run 0 "warning: '$T/p.bin' is 8 KiB, the W25Q128 holds 16384 KiB" \
		"a whole-chip write of a smaller image warns" -- $SF -d "$DEV" -f "$T/p.bin" write
	check "emulator W25Q128-WP stops cleanly" emu_stop wp
else
	fail "emulator W25Q128-WP starts"
fi

# --- SST25VF016B: protected at power-up, byte-program writes -----------------
img="$T/sst.bin"
if emu_start sst --chip SST25VF016B --image "$img"; then
	head -c 1000 /dev/urandom >"$T/s.bin"
	run 4 "--unprotect" "SST25VF016B write refused while BP is set" -- \
		$SF -d "$EMU_DEV_sst" -f "$T/s.bin" --flash-offset 0x1000 write
	run 0 "VERIFIED" "SST25VF016B write with --unprotect (byte program)" -- \
		$SF -d "$EMU_DEV_sst" -f "$T/s.bin" --flash-offset 0x1000 --unprotect write
	check "SST25VF016B: the bytes are in the chip" \
		cmp -s "$T/s.bin" <(tail -c +$((0x1000 + 1)) "$img" | head -c 1000)
	check "emulator SST25VF016B stops cleanly" emu_stop sst
else
	fail "emulator SST25VF016B starts"
fi

# --- the table ---------------------------------------------------------------
timeout 10 $SF --list-chips >"$T/list" 2>&1
check "--list-chips lists at least 40 parts" test "$(grep -c KiB "$T/list")" -ge 40
check "--list-chips names W25Q128 with its ID" grep -q "^W25Q128 .*EF4018" "$T/list"

e2e_summary
