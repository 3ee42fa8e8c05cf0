#!/usr/bin/env bash
# The real firmware ELF in the emulator, driven frame by frame by
# build/proto_probe: JEDEC ID, read, program, erase, CRC-32, blank check,
# garbage and truncated frames, resend.
set -u
. tests/e2e/lib.sh

img="$E2E_TMP/chip.bin"
head -c $((1024 * 1024)) /dev/urandom >"$img"
if ! emu_start probe --chip W25Q80 --image "$img"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi
ok "emulator prints its device path first: $EMU_DEV_probe"

timeout 120 build/proto_probe "$EMU_DEV_probe" "$img" >"$E2E_TMP/probe.out" 2>&1
rc=$?
sed 's/^/  probe: /' "$E2E_TMP/probe.out"
line=$(tail -n1 "$E2E_TMP/probe.out")
p=$(echo "$line" | awk '/passed/ {print $1}')
f=$(echo "$line" | awk '/passed/ {print $3}')
E2E_PASSED=$((E2E_PASSED + ${p:-0}))
E2E_FAILED=$((E2E_FAILED + ${f:-0}))
[ "$rc" -eq 0 ] || [ "${f:-0}" -ne 0 ] || fail "proto_probe exited $rc"

check "emulator exits 0 on SIGTERM" emu_stop probe
if grep -q 'sim_time=' "$EMU_ERR_probe"; then
	ok "emulator prints its statistics line: $(grep 'sim_time=' "$EMU_ERR_probe" | tail -n1)"
else
	fail "emulator prints its statistics line"
fi
if grep -qi 'overrun' "$EMU_ERR_probe"; then
	fail "no UART overrun in the emulator"
else
	ok "no UART overrun in the emulator"
fi

# --trace-frames: each frame's span in simulated time, both ways.  The
# client's first frame is its HELLO at 115200 (8 bytes, so 7 byte times of
# 1496 cycles after its first: 654.5 us); its answer comes after it.
if emu_start tr --trace-frames --chip W25Q80 --image "$img"; then
	build/spiflash -q -d "$EMU_DEV_tr" info >/dev/null 2>&1
	emu_stop tr
	first=$(grep -m1 'frame to_dev' "$EMU_ERR_tr")
	span=$(echo "$first" | sed -n 's/.* \([0-9.]*\)-\([0-9.]*\) us, \([0-9]*\) bytes/\1 \2 \3/p')
	if echo "$span" | awk '{ exit !($3 == 8 && $2 - $1 > 654 && $2 - $1 < 655) }'; then
		ok "--trace-frames: the HELLO spans 7 byte times at 115200: $first"
	else
		fail "--trace-frames: first frame to the AVR: '$first'"
	fi
	# the sketch's READY at boot, then the HELLO's answer after the HELLO
	answer=$(awk -v e="$(echo "$span" | cut -d' ' -f2)" '
		/frame from_dev/ { split($4, t, "-"); if (t[1] + 0 > e + 0) { print; exit } }' "$EMU_ERR_tr")
	if [ -n "$answer" ] && grep -q 'frame from_dev .* 9 bytes' "$EMU_ERR_tr"; then
		ok "--trace-frames: READY at boot, the answer after the request: $answer"
	else
		fail "--trace-frames: no answer after '$first'"
	fi
	if [ "$(grep -c 'frame to_dev' "$EMU_ERR_tr")" -ge 5 ] && [ "$(grep -c 'frame from_dev' "$EMU_ERR_tr")" -ge 5 ]; then
		ok "--trace-frames: $(grep -c 'frame to_dev' "$EMU_ERR_tr") frames each way traced for one info"
	else
		fail "--trace-frames: too few frames traced"
	fi
else
	fail "emulator starts with --trace-frames"
fi
e2e_summary
