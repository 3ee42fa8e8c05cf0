# Shared helpers for the end-to-end scripts: bounded waits, an emulator per
# script, and pass/fail counting ending in "N passed, M failed".
# Source it from the repository root.

E2E_PASSED=0
E2E_FAILED=0
E2E_TMP=$(mktemp -d)
# write and erase save the old bytes (client/core/backup.h): into the test's
# directory, not the home of whoever runs the tests
export XDG_STATE_HOME="$E2E_TMP/state"
EMU_PIDS=()

e2e_cleanup() {
	local pid
	for pid in "${EMU_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${EMU_PIDS[@]}"; do
		# bounded: give each emulator 5 s to exit, then kill it
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

ok() {
	E2E_PASSED=$((E2E_PASSED + 1))
	echo "ok: $*"
}

fail() {
	E2E_FAILED=$((E2E_FAILED + 1))
	echo "FAIL: $*"
}

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# run EXPECTED_RC SUBSTRING DESCRIPTION -- COMMAND...: exit code and a
# substring of stderr (empty: not checked), within E2E_RUN_TIMEOUT seconds
# (60 unless the script sets it); stdout and stderr stay in $E2E_TMP/out, err
run() {
	local want=$1 sub=$2 what=$3 rc
	shift 4
	timeout "${E2E_RUN_TIMEOUT:-60}" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$E2E_TMP/err")"
		return 1
	fi
	if [ -n "$sub" ] && ! grep -qF -- "$sub" "$E2E_TMP/err"; then
		fail "$what: stderr lacks '$sub': $(head -c 400 "$E2E_TMP/err")"
		return 1
	fi
	ok "$what"
}

# same_outside FILE_A FILE_B OFFSET LENGTH: equal except in [OFFSET, +LENGTH)
same_outside() {
	cmp -s -n "$3" "$1" "$2" && cmp -s -i "$(($3 + $4)):$(($3 + $4))" "$1" "$2"
}

e2e_summary() {
	echo "$E2E_PASSED passed, $E2E_FAILED failed"
	[ "$E2E_FAILED" -eq 0 ]
}

# emu_start NAME [emulator options...]: starts build/spiflash-emu with
# build/spiflash.elf (or $EMU_ELF), waits (at most 10 s) for the device path
# on its first line, and sets EMU_DEV_<NAME>, EMU_PID_<NAME> and EMU_ERR_<NAME>.
emu_start() {
	local name=$1 out dev pid
	shift
	out="$E2E_TMP/emu-$name.out"
	build/spiflash-emu "$@" "${EMU_ELF:-build/spiflash.elf}" >"$out" 2>"$E2E_TMP/emu-$name.err" &
	pid=$!
	EMU_PIDS+=("$pid")
	dev=
	for _ in $(seq 1 100); do
		dev=$(head -n1 "$out" 2>/dev/null)
		[ -n "$dev" ] && [ -e "$dev" ] && break
		dev=
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$dev" ]; then
		echo "emulator '$name' did not start:" >&2
		cat "$E2E_TMP/emu-$name.err" >&2
		return 1
	fi
	printf -v "EMU_DEV_$name" '%s' "$dev"
	printf -v "EMU_PID_$name" '%s' "$pid"
	printf -v "EMU_ERR_$name" '%s' "$E2E_TMP/emu-$name.err"
}

# emu_stat NAME COUNTER: one counter of emulator NAME's statistics line
# (sim_time, to_dev, from_dev, spi_bytes, programs, erases), asked for by SIGUSR1
emu_stat() {
	local pidvar="EMU_PID_$1" errvar="EMU_ERR_$1"
	kill -USR1 "${!pidvar}"
	sleep 0.1
	grep -o "$2=[0-9.]*" "${!errvar}" | tail -n1 | cut -d= -f2
}

# emu_signal_when NAME PID SIG COUNTER N: SIG to PID once emulator NAME's
# COUNTER has grown by N: by the chip's progress, not the clock, since a
# loaded machine may be slow and a fast path may end early.  Returns 1 if
# PID ended first (or after 120 s without the progress); the simulated
# time of the signal is left in SIM0.  The statistics are asked for in the
# same breath as the signal: a busy emulated AVR runs ahead of the wall
# clock, so the 0.1 s emu_stat waits would be up to a simulated second.
emu_signal_when() {
	local name=$1 pid=$2 sig=$3 what=$4 n=$5 base now
	local pidvar="EMU_PID_$1" errvar="EMU_ERR_$1"
	base=$(emu_stat "$name" "$what")
	for _ in $(seq 1 1200); do
		kill -0 "$pid" 2>/dev/null || return 1
		now=$(emu_stat "$name" "$what")
		if [ $((now - base)) -ge "$n" ]; then
			kill -USR1 "${!pidvar}"
			kill -"$sig" "$pid"
			sleep 0.1
			SIM0=$(grep -o "sim_time=[0-9.]*" "${!errvar}" | tail -n1 | cut -d= -f2)
			return 0
		fi
	done
	return 1
}

# emu_stop NAME: SIGTERM, and the emulator must exit 0 within 5 s.
emu_stop() {
	local pidvar="EMU_PID_$1" pid rc
	pid=${!pidvar}
	kill -TERM "$pid" 2>/dev/null || return 1
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		return 1
	fi
	wait "$pid"
	rc=$?
	return "$rc"
}
