#!/usr/bin/env bash
# Smoke test of the emulator itself (not of the spiflash firmware): runs
# tests/emu/emu_smoke_fw.c, a small register-level AVR program, in
# build/spiflash-emu and checks the pty bridge, the SPI wiring and timing,
# the image file and the lifecycle.  Needs avr-gcc.  Ends with
# "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
EMU=$BUILD/spiflash-emu
passed=0
failed=0
tmp=$(mktemp -d)
pid=

ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# start_emu ARGS...: runs the emulator on the smoke program, sets pid and dev
start_emu() {
	"$EMU" "$@" "$tmp/fw.elf" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	dev=
	for _ in $(seq 1 100); do
		dev=$(head -n1 "$tmp/out" 2>/dev/null)
		[ -n "$dev" ] && [ -e "$dev" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$tmp/err" >&2
	return 1
}

# stop_emu: SIGTERM; returns the exit status (124 if it hangs for 5 s)
stop_emu() {
	local rc
	exec 3>&- 2>/dev/null
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		pid=
		return 124
	fi
	wait "$pid"
	rc=$?
	pid=
	return "$rc"
}

connect() {
	exec 3<>"$dev" && stty -F "$dev" raw -echo
}

# ask CMD N: sends CMD, prints the N-character answer (5 s at most)
ask() {
	local r=
	printf '%s' "$1" >&3
	IFS= read -r -t 5 -N "$2" -u 3 r
	printf '%s' "${r%$'\n'}"
}

if [ ! -x "$EMU" ]; then
	fail "$EMU is built (run make)"
	summary
fi
if ! avr-gcc -mmcu=atmega328p -Os -o "$tmp/fw.elf" tests/emu/emu_smoke_fw.c; then
	fail "smoke program builds with avr-gcc"
	summary
fi

img=$tmp/chip.bin
if ! start_emu --image "$img" --link "$tmp/tty"; then
	fail "emulator starts and prints its pty first"
	summary
fi
ok "emulator prints its pty first: $dev"
check "--link points to the pty" test "$(readlink "$tmp/tty")" = "$dev"
check "missing image created erased at the chip's size" \
	test "$(stat -c %s "$img")" -eq $((16 * 1024 * 1024))
connect
check "echo through the pty" test "$(ask hello 5)" = hello
check "JEDEC ID of the default W25Q128 over SPI" test "$(ask J 7)" = EF4018

# Same loop at two SCK dividers: the overhead cancels, 8 x (128 - 2) remains.
fast=$((16#$(ask F 5)))
slow=$((16#$(ask S 5)))
per=$((slow / 10 - fast / 100))
check "SPI byte takes 8 x divider cycles (slow - fast = $per, want 1008)" \
	test "$per" -ge 1004 -a "$per" -le 1012
check "SPI at F_CPU/2 costs 16 cycles + loop (got $((fast / 100)) per byte)" \
	test "$fast" -ge 1600 -a "$fast" -le 4000
u=$(ask U 15)
u=$((16#${u#uuuuuuuuuu}))
check "UART at 1 Mbaud although U2X0 follows UBRR0 ($u cycles for 10 bytes)" \
	test "$u" -ge 1400 -a "$u" -le 2000

yes abcdefghijklmnopqrstuvwxyz0123456789 | head -c 30000 >"$tmp/bulk"
cat "$tmp/bulk" >&3 &
timeout 30 head -c 30000 <&3 >"$tmp/bulk.out"
check "30000 bytes echoed without loss (XON/XOFF honoured)" cmp -s "$tmp/bulk" "$tmp/bulk.out"

check "erased chip reads FF" test "$(ask R 9)" = FFFFFFFF
polls=$((16#$(ask P 5)))
check "page program keeps the chip busy ($polls status polls)" test "$polls" -ge 10
check "programmed bytes read back" test "$(ask R 9)" = 12345678

kill -USR1 "$pid"
sleep 0.3
check "SIGUSR1 prints the statistics line" grep -q '^spiflash-emu: sim_time=[0-9]*\.[0-9]\{6\} to_dev=[0-9]* from_dev=[0-9]* spi_bytes=[0-9]* programs=1 erases=0$' "$tmp/err"
kill -USR2 "$pid"
sleep 0.3
check "answers after a SIGUSR2 reset" test "$(ask J 7)" = EF4018
exec 3>&-
sleep 0.2
connect
check "a second client connection is served" test "$(ask J 7)" = EF4018
stop_emu
check "SIGTERM: exit 0" test $? -eq 0
check "image file holds the program" test "$(od -An -tx1 -N4 "$img" | tr -d ' ')" = 12345678
check "link removed on exit" test ! -e "$tmp/tty"
if grep -qi overrun "$tmp/err"; then fail "no UART overrun"; else ok "no UART overrun"; fi

if start_emu --image "$img"; then
	connect
	check "image persists across runs" test "$(ask R 9)" = 12345678
	printf X >&3
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	stop_emu
	rc=$?
	check "firmware stopping (cli; sleep) exits non-zero ($rc)" test "$rc" -ne 0 -a "$rc" -ne 124
else
	fail "emulator restarts on the same image"
fi

"$EMU" --chip W25Q80 --image "$img" "$tmp/fw.elf" >/dev/null 2>"$tmp/err2"
rc=$?
check "image of the wrong size refused ($rc)" test "$rc" -ne 0
check "with a message naming the image" grep -q "chip.bin" "$tmp/err2"
"$EMU" --chip NOPE "$tmp/fw.elf" >/dev/null 2>&1
check "unknown chip refused" test $? -ne 0
summary
