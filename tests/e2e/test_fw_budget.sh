#!/usr/bin/env bash
# The firmware's budget on the boards it builds for: on the ATmega328P (Uno,
# Nano) at most 16 KiB of flash (text + data; half of the chip, the rest kept
# for what comes next and the boot loader) and at least 512 bytes of RAM left
# for the stack after data, bss and what the sketch keeps at the top of RAM
# (its receive ring, symbol hal_ram_top_reserved); the Leonardo and Mega
# builds must build and fit their chips.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# budget ELF FLASH_MAX RAM_SIZE RAM_FREE_MIN
budget() {
	local elf=$1 flash_max=$2 ram=$3 free_min=$4 text data bss top
	if [ ! -s "$elf" ]; then
		fail "$elf was not built"
		return
	fi
	read -r text data bss _ < <(avr-size "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
	top=$(avr-nm "$elf" | awk '$3 == "hal_ram_top_reserved" { print $1 }')
	bss=$((bss + 16#${top:-0}))
	if [ $((text + data)) -le "$flash_max" ]; then
		ok "$elf: $((text + data)) bytes of flash (at most $flash_max)"
	else
		fail "$elf: $((text + data)) bytes of flash, over $flash_max"
	fi
	if [ $((ram - data - bss)) -ge "$free_min" ]; then
		ok "$elf: $((ram - data - bss)) bytes of RAM free for the stack (at least $free_min)"
	else
		fail "$elf: $((ram - data - bss)) bytes of RAM free for the stack, under $free_min"
	fi
}

budget "$BUILD/fw-uno/spiflash.elf" 16384 2048 512
budget "$BUILD/spiflash.elf" 16384 2048 512
# ATmega32U4: 32 KiB less the 4 KiB Caterina boot loader, 2.5 KiB RAM;
# ATmega2560: 256 KiB less 8 KiB, 8 KiB RAM
budget "$BUILD/fw-leonardo/spiflash.elf" 28672 2560 512
budget "$BUILD/fw-mega/spiflash.elf" 253952 8192 512

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
