#!/usr/bin/env bash
# Behind the emulator's USB bridge models (--bridge ftdi: an FT232R holding
# device-to-host bytes until 62 wait or its 16 ms latency timer runs out;
# 16u2: the Uno's ATmega16U2, 64-byte packets in 1 ms frames): every
# command's bytes still come out right, and `info` says what it found (the
# bridge, and how long a short answer was held, so the sketch pads them).
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
KIB=1024

head -c $((1024 * KIB)) /dev/urandom >"$T/chip.bin"
head -c $((128 * KIB)) /dev/urandom >"$T/src.bin"

for br in ftdi 16u2 none; do
	cp "$T/chip.bin" "$T/chip-$br.bin"
	if ! emu_start "$br" --chip W25Q80 --bridge "$br" --image "$T/chip-$br.bin"; then
		fail "$br: emulator starts"
		continue
	fi
	devvar="EMU_DEV_$br"
	dev=${!devvar}
	run 0 "" "$br: info" -- $SF -d "$dev" info
	line=$(grep '^bridge:' "$T/out")
	if [ "$br" = ftdi ]; then
		check "$br: info: short answers held, padded: $line" \
			bash -c "grep -q 'a pseudo-terminal); short answers held [0-9]* ms, so the sketch pads them' '$T/out'"
	else
		check "$br: info: short answers not held: $line" grep -q 'short answers not held' "$T/out"
	fi
	run 0 "" "$br: info --json" -- $SF --json -d "$dev" info
	json=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["link"]; print(l["answers_held_ms"], "|", l["bridge"], "|", l["latency_timer_ms"])' "$T/out")
	held=${json%% *}
	check "$br: --json names the bridge: $json" \
		bash -c "grep -q '\"bridge\": *\"none known (a pseudo-terminal)\"' '$T/out'"
	if [ "$br" = ftdi ]; then
		check "$br: --json: answers_held_ms near the 16 ms timer ($held)" \
			test "$held" -ge 12 -a "$held" -le 40
	else
		check "$br: --json: answers_held_ms 0 ($held)" test "$held" -eq 0
	fi
	run 0 "VERIFIED" "$br: a 128 KiB write at 0x30000" -- \
		$SF -d "$dev" -f "$T/src.bin" --flash-offset 0x30000 write
	check "$br: the chip holds the file, nothing else changed" bash -c \
		"cmp -s -n $((0x30000)) '$T/chip.bin' '$T/chip-$br.bin' &&
		 cmp -s -i $((0x30000)):0 -n $((128 * KIB)) '$T/chip-$br.bin' '$T/src.bin' &&
		 cmp -s -i $((0x50000)):$((0x50000)) '$T/chip.bin' '$T/chip-$br.bin'"
	run 0 "" "$br: read it back" -- $SF -d "$dev" --flash-offset 0x30000 -l 128 -f "$T/back-$br.bin" read
	check "$br: the dump equals the file" cmp -s "$T/back-$br.bin" "$T/src.bin"
	emu_stop "$br"
done

e2e_summary
