#!/usr/bin/env bash
# spiflash doctor against the emulator's wiring and supply faults
# (tests/emu/emu_wiring.h): each fault in, its verdict and exit code out, a
# clean chip a clean bill; then --spi-speed auto on a marginal wire picks
# the fastest clock that reads correctly, and 1 MiB read at it matches.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=lib.sh
. tests/e2e/lib.sh
SF=build/spiflash
T=$E2E_TMP
export SPIFLASH_PORTS=/nonexistent
E2E_RUN_TIMEOUT=120

# random first MiB, the rest erased
head -c 1048576 /dev/urandom >"$T/img.bin"
head -c $((15 * 1048576)) /dev/zero | tr '\0' '\377' >>"$T/img.bin"

# row NAME RC VERDICT EMU_ARGS -- DOCTOR_ARGS...: a fresh emulator with
# EMU_ARGS (one string, split), doctor's exit code and a line of its stdout
n=0
row() {
	local name=$1 want=$2 verdict=$3 emu_args=$4 rc
	shift 5
	n=$((n + 1))
	cp "$T/img.bin" "$T/row.bin"
	# shellcheck disable=SC2086
	case " $emu_args" in *" --chip "*) ;; *) emu_args="--chip W25Q128 $emu_args" ;; esac
	if ! emu_start "r$n" --image "$T/row.bin" $emu_args; then
		fail "$name: emulator did not start"
		return
	fi
	local devvar="EMU_DEV_r$n"
	timeout 120 $SF -d "${!devvar}" "$@" doctor >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit $rc, expected $want; stdout: $(cat "$T/out") stderr: $(head -c 300 "$T/err")"
	elif ! grep -qF -- "verdict: $verdict" "$T/out"; then
		fail "$name: no 'verdict: $verdict' in: $(cat "$T/out")"
	else
		ok "$name: exit $want, '$(grep '^verdict:' "$T/out")'"
		cp "$T/out" "$T/last.out"
	fi
	emu_stop "r$n" || fail "$name: emulator did not stop cleanly"
}

row "clean chip" 0 "clean bill: the chip answers, every read agreed up to 8 MHz" "" --
grep -qF "[note ] VCC: not measured: A0 is not wired" "$T/last.out" &&
	ok "without the A0 wire: VCC not measured, and said so" ||
	fail "clean chip: no 'not measured' note: $(cat "$T/last.out")"

row "MISO floating (no chip)" 4 "no chip answers: MISO is floating" "--wiring miso-float" --
grep -qF "MOSI/MISO: not swapped" "$T/last.out" && grep -qF "HOLD# (pin 7) low" "$T/last.out" &&
	ok "floating MISO: swap ruled out, the other causes listed (power, HOLD#)" ||
	fail "floating MISO: causes missing: $(cat "$T/last.out")"
if emu_start json --chip W25Q128 --image "$T/img.bin" --wiring miso-float; then
	run 4 "" "doctor --json on a floating MISO" -- $SF -d "$EMU_DEV_json" --json doctor &&
		[ "$(jq -r .doctor.verdict "$T/out")" = miso-floating ] &&
		[ "$(jq -r .exit_code "$T/out")" = 4 ] &&
		[ "$(jq -r '.doctor.findings[0].what' "$T/out")" = MISO ] &&
		ok "--json: one object, verdict miso-floating, exit_code 4, the findings" ||
		fail "--json: $(head -c 400 "$T/out")"
	emu_stop json || fail "json: emulator did not stop cleanly"
else
	fail "json: emulator did not start"
fi
row "MOSI/MISO swapped" 4 "MOSI and MISO are swapped" "--wiring swap" --
grep -qF "but ID EF 40 18 with D11 and D12 exchanged" "$T/last.out" &&
	ok "swapped: the ID read with the wires exchanged is the evidence" ||
	fail "swapped: $(cat "$T/last.out")"
row "HOLD# low" 4 "no chip answers: MISO is floating" "--wiring hold-low" --
row "MISO stuck low" 4 "no chip answers: MISO stays low" \
	"--chip-fault miso-stuck-after=1:0x00" --
row "MISO stuck high" 4 "no chip answers: MISO stays high" \
	"--chip-fault miso-stuck-after=1:0xff" --
row "WP# low with SRP0" 4 "WP# is low and SRP0 is set: status-register writes are ignored" \
	"--wiring wp-low" --
row "marginal wire above 4 MHz" 5 "reads differ above 4 MHz: the wiring is marginal" \
	"--wiring marginal=4M" --
grep -qF "signal at 8 MHz: " "$T/last.out" && grep -qF "[ ok  ] signal at 4 MHz: 3 of 3 reads alike" "$T/last.out" &&
	ok "marginal wire: 8 MHz reads differ, 4 MHz alike" ||
	fail "marginal wire: clock table: $(cat "$T/last.out")"
row "VCC 3.3 V on A0" 0 "clean bill" "--vcc 3300" --
grep -qF "3.30 V on the chip's VCC" "$T/last.out" &&
	ok "VCC measured: 3.30 V" || fail "VCC 3.3 V: $(cat "$T/last.out")"
row "3.3 V part on 5 V" 4 "a 3.3 V chip on 5 V" "--vcc 5000" --
row "1.8 V part on 3.3 V" 4 "a 1.8 V chip on a higher supply" "--chip W25Q128FW --vcc 3300" --
row "weak supply" 4 "the chip's supply sags when the chip works" "--vcc 3300,weak=2800" --
row "sag during erase, not tested" 0 "clean bill" "--vcc 3300,sag=2800" --
row "sag during erase" 4 "the chip's supply sags when the chip works" \
	"--vcc 3300,sag=2800" -- --erase-test 0x20000
grep -qF "during a sector erase" "$T/last.out" &&
	ok "sag measured during a sector erase" || fail "sag: $(cat "$T/last.out")"
cmp -s "$T/img.bin" "$T/row.bin" &&
	ok "--erase-test put the erased sector back" ||
	fail "--erase-test changed the image: $(cmp "$T/img.bin" "$T/row.bin")"

# the dummy programmer (host sequencing): no DIAG, said so
run 0 "" "doctor over -p dummy" -- $SF -p dummy:chip=W25Q128 doctor &&
	grep -qF "the pull-up test needs the spiflash sketch" "$T/out" &&
	grep -qF "VCC: not measured" "$T/out" &&
	ok "dummy: what could not be checked is named" ||
	fail "dummy: $(cat "$T/out")"

# --spi-speed auto on a marginal wire: 4 MHz, and a 1 MiB read there matches
cp "$T/img.bin" "$T/auto.bin"
if emu_start auto --chip W25Q128 --image "$T/auto.bin" --wiring marginal=4M; then
	run 0 "" "info --spi-speed auto" -- $SF -d "$EMU_DEV_auto" --spi-speed auto info &&
		grep -q "^SPI clock: 4 MHz (auto: reads differed above it" "$T/out" &&
		ok "auto picks 4 MHz on a wire that corrupts above 4 MHz: $(grep '^SPI clock' "$T/out")" ||
		fail "auto clock: $(cat "$T/out")"
	run 0 "" "read 1 MiB at the auto clock" -- \
		$SF -d "$EMU_DEV_auto" --spi-speed auto -l 1024 -f "$T/auto-read.bin" read &&
		cmp -s "$T/auto-read.bin" <(head -c 1048576 "$T/img.bin") &&
		ok "1 MiB read at the auto clock matches the image" ||
		fail "1 MiB at the auto clock differs from the image"
	emu_stop auto || fail "auto: emulator did not stop cleanly"
else
	fail "auto: emulator did not start"
fi

e2e_summary
