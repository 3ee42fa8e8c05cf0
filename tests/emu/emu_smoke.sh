#!/usr/bin/env bash
# Smoke test of the emulator itself (not of the spiflash firmware): runs
# tests/emu/emu_smoke_fw.c, a small register-level AVR program, in
# build/spiflash-emu and checks the pty bridge, the SPI wiring and timing,
# idle pacing, latency, the baud-rate check, unplug/replug, the image file
# and the lifecycle.  Needs avr-gcc.  Ends with "N passed, M failed".
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

# connect [SPEED]: opens the pty as fd 3 at SPEED (the smoke program's 1 Mbaud)
connect() {
	exec 3<>"$dev" && stty -F "$dev" "${1:-1000000}" raw -echo
}

# ask CMD N: sends CMD, prints the N-character answer (5 s at most)
ask() {
	local r=
	printf '%s' "$1" >&3
	IFS= read -r -t 5 -N "$2" -u 3 r
	printf '%s' "${r%$'\n'}"
}

# sim_time: simulated seconds, from a fresh SIGUSR1 statistics line
sim_time() {
	local n
	n=$(grep -c 'sim_time=' "$tmp/err")
	kill -USR1 "$pid"
	for _ in $(seq 1 50); do
		[ "$(grep -c 'sim_time=' "$tmp/err")" -gt "$n" ] && break
		sleep 0.02
	done
	grep -o 'sim_time=[0-9.]*' "$tmp/err" | tail -n1 | cut -d= -f2
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# gap_ticks CMD SECONDS: sends CMD, waits, sends a byte; prints the AVR's
# Timer0 count (1.024 ms ticks) for the wait
gap_ticks() {
	local r
	printf '%s' "$1" >&3
	sleep "$2"
	r=$(ask x 5)
	echo $((16#${r:-0}))
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
if ! start_emu -v --image "$img" --link "$tmp/tty"; then
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

# Idle pacing (the default): a sleeping AVR keeps to the wall clock.
s0=$(sim_time)
t0=$(now_ms)
c0=$(cpu_ticks)
sleep 1
c1=$(cpu_ticks)
s1=$(sim_time)
t1=$(now_ms)
check "idle: simulated time keeps to the wall clock ($s0 -> $s1 s in $((t1 - t0)) ms)" \
	awk -v s="$s0" -v e="$s1" -v w=$((t1 - t0)) 'BEGIN { r = (e - s) * 1000 / w; exit !(r > 0.8 && r < 1.2) }'
check "idle: well below a core ($((c1 - c0)) of 100 ticks in 1 s)" test $((c1 - c0)) -lt 35
n=$(gap_ticks W 0.05)
check "host waits 50 ms, sleeping AVR counts 50 ms ($n ticks)" between "$n" 45 75
n=$(gap_ticks B 0.05)
check "host waits 50 ms, spinning AVR counts 50 ms ($n ticks)" between "$n" 45 75
g0=$((16#$(ask G12345678 5)))
check "an 8-byte burst arrives at the line rate (7 gaps: $g0 cycles, 7 x 176 = 1232)" \
	between "$g0" 1232 1400

# Baud check: the host at another rate than the AVR's 1 Mbaud gets noise.
# The noise may form commands of the smoke program: drain, then reset it.
exec 3>&-
connect 115200
printf hello >&3
r=
IFS= read -r -t 0.5 -N 5 -u 3 r
check "host at 115200, AVR at 1 Mbaud: no clean echo" test "$r" != hello
IFS= read -r -t 0.2 -N 100 -u 3 r
sim_time >/dev/null
check "garbled both ways (statistics)" \
	grep -q 'garbled_to=[1-9][0-9]* garbled_from=[1-9]' "$tmp/err"
check "the mismatch is reported" grep -q 'host at 115200 baud, UART0 at 1000000: bytes garbled' "$tmp/err"
kill -USR2 "$pid"
sleep 0.1
exec 3>&-
connect
check "host back at 1 Mbaud: clean again" test "$(ask hello 5)" = hello

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
if grep -qiE 'buffer overrun|rx_overruns=[1-9]' "$tmp/err"; then
	fail "no UART overrun"
else
	ok "no UART overrun"
fi

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

# --turbo: the old fast-forward, simulated time races while the AVR sleeps.
if start_emu --turbo; then
	connect
	n=$(gap_ticks W 0.05)
	check "--turbo: 50 ms of host time are many more AVR ms ($n ticks)" test "$n" -gt 150
	stop_emu
else
	fail "emulator starts with --turbo"
fi

# Latency with idle pacing: 100 ms each way, in simulated and in wall time.
if start_emu --latency-ms 100 --no-baud-check; then
	connect 38400
	t0=$(now_ms)
	r=$(ask hello 5)
	t1=$(now_ms)
	check "--no-baud-check: a host left at 38400 still talks" test "$r" = hello
	check "--latency-ms 100: echo after 200 ms of wall time ($((t1 - t0)) ms)" \
		between $((t1 - t0)) 195 400
	t0=$(now_ms)
	n=$(gap_ticks W 0.05)
	t1=$(now_ms)
	check "latency shifts both bytes alike: the AVR still sees the 50 ms gap ($n ticks)" \
		between "$n" 45 75
	check "... and the answer comes 250 ms later ($((t1 - t0)) ms)" between $((t1 - t0)) 245 450
	g=$((16#$(ask G12345678 5)))
	check "a burst stays a burst under latency ($g cycles, $g0 without)" \
		between "$g" $((g0 - 20)) $((g0 + 20))
	head -c 3000 "$tmp/bulk" >"$tmp/bulk3"
	cat "$tmp/bulk3" >&3 &
	timeout 10 head -c 3000 <&3 >"$tmp/bulk3.out"
	check "3000 bytes echoed in order under latency" cmp -s "$tmp/bulk3" "$tmp/bulk3.out"
	stop_emu
else
	fail "emulator starts with --latency-ms"
fi

# Unplug by signal, replug with a new pty announced on stdout.
if start_emu --replug=200 --link "$tmp/tty"; then
	connect
	check "echo before the unplug" test "$(ask hello 5)" = hello
	old=$dev
	kill -HUP "$pid"
	sleep 0.05
	check "SIGHUP: the pty is gone" test ! -e "$old"
	check "SIGHUP: the link is gone" test ! -e "$tmp/tty"
	(printf x >&3) 2>/dev/null
	check "SIGHUP: the client's writes fail" test $? -ne 0
	for _ in $(seq 1 20); do [ -n "$(sed -n 2p "$tmp/out")" ] && break; sleep 0.05; done
	dev=$(sed -n 2p "$tmp/out")
	check "--replug: a second pty path on stdout ($dev)" test -e "$dev"
	check "--replug: the link follows" test "$(readlink "$tmp/tty")" = "$dev"
	exec 3>&-
	connect
	check "the new pty reaches the same AVR" test "$(ask J 7)" = EF4018
	stop_emu
	check "exit 0 after a replug" test $? -eq 0
else
	fail "emulator starts with --replug"
fi

# Traffic-count faults: a reset after 10 bytes, an unplug after 20.
if start_emu -v --fault reset-after=10,unplug-after=20; then
	connect
	check "10 bytes of traffic before the reset" test "$(ask hello 5)" = hello
	check "reset-after: the AVR answers after its reset" test "$(ask J 7)" = EF4018
	printf ab >&3
	sleep 0.2
	check "unplug-after: the pty is gone after 20 bytes" test ! -e "$dev"
	sim_time >/dev/null
	check "statistics count the reset and the unplug" grep -q 'resets=1 .*unplugs=1' "$tmp/err"
	stop_emu
	check "exit 0 while unplugged" test $? -eq 0
else
	fail "emulator starts with --fault reset-after"
fi

"$EMU" --realtime --turbo "$tmp/fw.elf" >/dev/null 2>&1
check "--realtime with --turbo refused" test $? -eq 2
"$EMU" --chip W25Q80 --image "$img" "$tmp/fw.elf" >/dev/null 2>"$tmp/err2"
rc=$?
check "image of the wrong size refused ($rc)" test "$rc" -ne 0
check "with a message naming the image" grep -q "chip.bin" "$tmp/err2"
"$EMU" --chip NOPE "$tmp/fw.elf" >/dev/null 2>&1
check "unknown chip refused" test $? -ne 0
summary
