#!/usr/bin/env bash
# The upload path, proven in the emulator: Optiboot from Debian's
# arduino-core-avr in the emulated Uno's boot section (tests/emu/emu_boot.h),
# the avrdude command of `make upload`, then `spiflash info` talks to the
# sketch it uploaded into an otherwise blank application section.
#
# Debian's prebuilt optiboot_atmega328.hex cannot run on an ATmega328P: it
# is Optiboot 4.4 built with gcc-avr 5.4 into 532 bytes, so it reaches past
# the 512-byte boot section and the end of the 32 KiB flash (0x8000-0x8013),
# and its version word at 0x7FFE overwrites two bytes of code.  This test
# checks that, and builds the same optiboot.c (shipped beside the hex) with
# LED_START_FLASHES=0, which fits (496 bytes); everything else as Arduino's
# Makefile builds it.
set -u
. tests/e2e/lib.sh

T=$E2E_TMP
OB=/usr/share/arduino/hardware/arduino/avr/bootloaders/optiboot
SHIM=$PWD/build/sp_pty_shim.so     # avrdude's DTR toggle on a pty: no modem lines

if ! command -v avrdude >/dev/null; then
	fail "avrdude installed (make deps, or make upload, installs it)"
	e2e_summary
	exit 1
fi
ok "avrdude installed: $(avrdude -? 2>&1 | grep -o 'version [0-9.]*' | head -n1)"

# ---- Debian's prebuilt hex does not fit ------------------------------------
if grep -q '^:..80' "$OB/optiboot_atmega328.hex"; then
	ok "Debian's optiboot_atmega328.hex has code at 0x8000 and up (past the 32 KiB flash): not usable as shipped"
else
	ok "Debian's optiboot_atmega328.hex fits the boot section (the rebuild below is then only a check)"
fi

# ---- Optiboot from Debian's source, without the LED flashes ------------------
F="-g -Wall -Os -fno-inline-small-functions -fno-split-wide-types -mshort-calls -mmcu=atmega328p -DF_CPU=16000000L -DBAUD_RATE=115200 -DLED_START_FLASHES=0"
if avr-gcc $F -c -o "$T/ob.o" "$OB/optiboot.c" 2>"$T/ob.err" &&
	avr-gcc $F -Wl,--section-start=.text=0x7e00 -Wl,--section-start=.version=0x7ffe \
		-Wl,--relax -Wl,--gc-sections -nostartfiles -nostdlib -o "$T/ob.elf" "$T/ob.o" 2>>"$T/ob.err" &&
	avr-objcopy -O ihex -R .eeprom "$T/ob.elf" "$T/optiboot.hex"; then
	size=$(avr-size "$T/ob.elf" | awk 'NR == 2 { print $1 }')
	check "Optiboot built from Debian's optiboot.c fits the boot section ($size bytes of 510)" \
		test "$size" -le 510
else
	fail "Optiboot builds: $(tail -c 300 "$T/ob.err")"
fi

# ---- the emulated Uno: Optiboot, an erased application section ------------
export SPIFLASH_EMU_BOOTLOADER=$T/optiboot.hex SPIFLASH_EMU_BLANK_APP=1
if ! emu_start up --realtime --chip W25Q80; then
	fail "emulator with the bootloader starts"
	e2e_summary
	exit 1
fi
unset SPIFLASH_EMU_BOOTLOADER SPIFLASH_EMU_BLANK_APP
check "the emulator loaded the bootloader at 0x7e00" grep -q "bootloader .* at 0x7e00" "$EMU_ERR_up"

# the command `make upload` runs, on the emulator's port
cmd=$(make -s -n upload PORT="$EMU_DEV_up" BOARD=uno | grep '^avrdude')
check "make upload runs avrdude: $cmd" test -n "$cmd"
uploaded=
for try in 1 2 3; do
	# a real Uno's auto-reset: DTR pulses the reset line; here SIGUSR2,
	# which the emulator turns into an external reset (EXTRF), so Optiboot
	# waits for avrdude instead of starting the (erased) sketch
	kill -USR2 "$EMU_PID_up"
	if timeout 90 env LD_PRELOAD="$SHIM" $cmd >"$T/avrdude.txt" 2>&1 &&
		grep -q "bytes of flash verified" "$T/avrdude.txt"; then
		uploaded=$try
		break
	fi
	sleep 1
done
if [ -n "$uploaded" ]; then
	ok "avrdude -c arduino uploaded and verified the sketch through Optiboot (try $uploaded): $(grep -o '[0-9]* bytes of flash verified' "$T/avrdude.txt")"
else
	fail "avrdude: $(tail -c 400 "$T/avrdude.txt")"
fi
sleep 1
run 0 "" "spiflash info talks to the uploaded sketch" -- build/spiflash -d "$EMU_DEV_up" info
check "info: the sketch's firmware line" grep -q "^firmware:  spiflash" "$T/out"
check "info: the chip behind it" grep -q "W25Q80" "$T/out"
emu_stop up
e2e_summary
