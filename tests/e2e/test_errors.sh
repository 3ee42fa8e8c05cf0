#!/usr/bin/env bash
# The failure paths, each by its exact message and exit code: one error line
# on stderr, brackets and quotes balanced, never ending in "ok", and the same
# text as the "error" of --json.  Most rows run on the in-process chip model
# (-p dummy); the port rows on a pty with nothing behind it and on the
# emulated programmer.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=lib.sh
. tests/e2e/lib.sh
SF=build/spiflash
T=$E2E_TMP
export SPIFLASH_PORTS=/nonexistent

# the one line of stderr that starts "spiflash: "
# the error: the last line of stderr (earlier lines are notes such as a
# warning or where the backup went)
err_line() { grep '^spiflash: ' "$T/err" | tail -n1; }

balanced() {
	local s=$1 open close
	for pair in '()' '[]' '{}'; do
		open=$(printf '%s' "$s" | tr -cd "${pair:0:1}" | wc -c)
		close=$(printf '%s' "$s" | tr -cd "${pair:1:1}" | wc -c)
		[ "$open" -eq "$close" ] || return 1
	done
	[ $(( $(printf '%s' "$s" | tr -cd "'" | wc -c) % 2 )) -eq 0 ]
}

# row NAME RC EXACT_MESSAGE -- COMMAND...: with and without --json
row() {
	local name=$1 want=$2 msg=$3 line n
	shift 4
	timeout 60 "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	line=$(err_line)
	# nothing but messages and indented hints: no message broken over lines
	n=$(grep -cv '^\(spiflash: \|  \)' "$T/err")
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit $rc, expected $want; stderr: $(head -c 300 "$T/err")"
		return
	fi
	if [ "$n" -ne 0 ]; then
		fail "$name: $n stray lines: $(head -c 400 "$T/err")"
		return
	fi
	if [ "$line" != "spiflash: $msg" ]; then
		fail "$name: message
  got:  $line
  want: spiflash: $msg"
		return
	fi
	if ! balanced "$line" || [ "${line%ok}" != "$line" ]; then
		fail "$name: unbalanced or ends in ok: $line"
		return
	fi
	ok "$name: exit $want, '$msg'"
	[ -n "${ROW_NO_JSON:-}" ] || row_json "$name" "$want" "$msg" -- "$@"
}

# row_json NAME RC EXACT_MESSAGE -- COMMAND...: the same failure with --json:
# the object's error is the same text, its exit_code the exit code
row_json() {
	local name=$1 want=$2 msg=$3 rc
	shift 4
	timeout 60 "$@" --json >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ] && [ "$(jq -r .error "$T/out" 2>/dev/null)" = "$msg" ] &&
		[ "$(jq -r .exit_code "$T/out" 2>/dev/null)" = "$want" ]; then
		ok "$name: --json error and exit_code"
	else
		fail "$name: --json: exit $rc, $(head -c 300 "$T/out")"
	fi
}

# 1. nothing answers on the port: a pty whose other end never speaks
python3 -c '
import os, pty, sys, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
time.sleep(120)
' >"$T/pty.out" &
PTY_PID=$!
for _ in $(seq 1 50); do [ -s "$T/pty.out" ] && break; sleep 0.1; done
PTY=$(head -n1 "$T/pty.out")
row "nothing answers" 3 \
	"no answer from '$PTY': is the spiflash sketch running? (no serprog programmer answered either)" \
	-- $SF -d "$PTY" info

# 2. the port locked by another process
flock -x "$PTY" sleep 30 &
LOCK_PID=$!
sleep 0.3
row "port locked" 3 "'$PTY' is in use by another spiflash: wait until it has finished (two programs on one port would mix their bytes)" \
	-- $SF -d "$PTY" info
kill "$LOCK_PID" "$PTY_PID" 2>/dev/null
wait "$LOCK_PID" "$PTY_PID" 2>/dev/null

# 3. a spidev that is not there
row "spidev missing" 3 \
	"cannot open '/dev/spidev9.9': No such file or directory; enable SPI (raspi-config, config-pin) and see README" \
	-- $SF -d /dev/spidev9.9 info

# 4. no chip: MISO pulled up from the first byte
row "no chip" 4 "no chip answered: JEDEC ID ff ff ff, REMS ff ff, RES ff (MISO floats high); 'spiflash doctor' tells why" \
	-- $SF -p dummy:chip=W25Q80,fault=miso-stuck-after=1:0xff -l 4 -f "$T/nc.bin" read

# 4b. the chip stops answering part way through a read (a clip slipping
# off): the read is not trusted, and doctor is named
row "chip gone mid-read" 4 "the chip stopped answering during the read (JEDEC ID now ff ff ff, was ef 40 14): its result cannot be trusted; check the clip and the wiring ('spiflash doctor' tells why), then run the command again" \
	-- $SF -p dummy:chip=W25Q80,fault=miso-stuck-after=5000:0xff -l 64 -f "$T/gone.bin" read
check "chip gone mid-read: no dump written" test ! -e "$T/gone.bin"

# 5. write protection: refused before any change
head -c 4096 /dev/urandom >"$T/p.bin"
row "write protected" 4 \
	"W25Q128 is write protected at 0x000000-0xffffff, whole chip (16384 KiB) (SR1 0x1c, SR2 0x02: BP=7 TB=0 SEC=0 CMP=0 SRP0=0 SRP1=0) and 0x000000-0x000fff touches it: nothing was changed; add --unprotect to clear the protection first" \
	-- $SF -p "dummy:chip=W25Q128-WP,image=$T/wp.bin" -f "$T/p.bin" write
check "write protected: the image stayed erased" \
	cmp -s <(head -c 4096 "$T/wp.bin") <(head -c 4096 /dev/zero | tr '\0' '\377')

# 6. the state directory cannot be made: nothing written
touch "$T/notadir"
row "state directory unwritable" 1 \
	"cannot use the state directory '$T/notadir/spiflash' for backups and the resume journal: Not a directory; set XDG_STATE_HOME to a writable directory; nothing was changed" \
	-- env XDG_STATE_HOME="$T/notadir" $SF -p "dummy:chip=W25Q80,image=$T/sd.bin" -f "$T/p.bin" write
check "state directory unwritable: the chip is unchanged" \
	cmp -s <(head -c 4096 "$T/sd.bin") <(head -c 4096 /dev/zero | tr '\0' '\377')

# 7. the resume journal cannot be written: the write stops before the chip
# changes (the journal's path taken by a directory: root cannot write it either)
head -c 1048576 /dev/urandom >"$T/j.bin"
cp "$T/j.bin" "$T/j-before.bin"
mkdir -p "$T/js/spiflash/pending-ef4014.txt"
export XDG_STATE_HOME="$T/js"
timeout 60 $SF -p "dummy:chip=W25Q80,image=$T/j.bin" -f "$T/p.bin" write >"$T/out" 2>"$T/err"
rc=$?
line=$(err_line)
case "$line" in
"spiflash: cannot write the resume journal '$T/js/spiflash/pending-ef4014.txt': Is a directory; nothing was changed (the old bytes are in '$T/js/spiflash/"*".bin')")
	if [ "$rc" -eq 1 ] && balanced "$line"; then ok "journal unwritable: exit 1, one line: $line"
	else fail "journal unwritable: exit $rc"; fi ;;
*) fail "journal unwritable: exit $rc, $(head -c 400 "$T/err")" ;;
esac
check "journal unwritable: the chip is unchanged" cmp -s "$T/j.bin" "$T/j-before.bin"
export XDG_STATE_HOME="$T/state"

# 8. a serprog programmer unplugged in the middle of a read
# (an unplugged emulator stays unplugged: one per run)
if emu_start sp --chip W25Q80 --fault unplug-after=30000 &&
	emu_start sp2 --chip W25Q80 --fault unplug-after=30000; then
	ROW_NO_JSON=1 row "serprog unplugged mid-read" 3 \
		"serial link to '$EMU_DEV_sp' failed while streaming 0x000000-0x0fffff" \
		-- $SF -p serprog -d "$EMU_DEV_sp" -f "$T/r.bin" read
	check "serprog unplugged: no dump left behind" test ! -e "$T/r.bin"
	row_json "serprog unplugged mid-read" 3 \
		"serial link to '$EMU_DEV_sp2' failed while streaming 0x000000-0x0fffff" \
		-- $SF -p serprog -d "$EMU_DEV_sp2" -f "$T/r.bin" read
else
	fail "emulator for the serprog row did not start"
fi

echo "$E2E_PASSED passed, $E2E_FAILED failed"
[ "$E2E_FAILED" -eq 0 ]
