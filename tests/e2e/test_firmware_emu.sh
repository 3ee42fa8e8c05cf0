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
e2e_summary
