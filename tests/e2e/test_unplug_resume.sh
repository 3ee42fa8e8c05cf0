#!/usr/bin/env bash
# A mistaken write undone by the command it prints.  A write interrupted by
# an unplug (and by a reset of the AVR) in the middle
# of programming is finished by running the same command again on the port
# that comes back: exit 3 with a message first, then VERIFIED, the file's
# bytes in the chip, every byte around the range as it was (the sectors the
# first run erased are put back from its backup), and the second run doing
# only what was left.  Then the firmware's decoder against abuse on the line:
# half a frame and silence, an oversize frame, a burst of noise: the next
# command is answered, and the AVR did not need a reset to get there.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
SIZE=$((128 * 1024))
OFF=$((0x3003))
head -c 20000 /dev/urandom >"$T/src.bin"

in_chip() {
	cmp -s -n 20000 "$T/src.bin" <(tail -c +$((OFF + 1)) "$1")
}

# interrupted NAME FAULT: the first run dies mid-write, the second finishes
interrupted() {
	local name=$1 fault=$2 img="$T/$1.bin" dev2 out
	head -c $SIZE /dev/urandom >"$img"
	cp "$img" "$T/$name-before.bin"
	if ! emu_start "$name" --chip W25X10 --image "$img" --fault "$fault" --replug=200; then
		fail "$name: emulator starts"
		return
	fi
	local devvar="EMU_DEV_$name" outf="$E2E_TMP/emu-$name.out"
	timeout 60 $SF -d "${!devvar}" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err1"
	local rc=$?
	if [ "$rc" -eq 3 ] && grep -q "the same command again finishes the job" "$T/err1"; then
		ok "$name: the first run stops with exit 3 and says how to finish"
	else
		fail "$name: first run exit $rc: $(tail -c 300 "$T/err1")"
	fi
	if ! cmp -s "$img" "$T/$name-before.bin" && ! in_chip "$img"; then
		ok "$name: it stopped half way (the chip is neither the old nor the new)"
	else
		fail "$name: the fault did not land mid-write"
	fi
	# the port to use now: a replugged one, or the same after a reset
	dev2=${!devvar}
	for _ in $(seq 1 30); do
		out=$(sed -n 2p "$outf")
		[ -n "$out" ] && [ -e "$out" ] && { dev2=$out; break; }
		[ "${fault#reset}" != "$fault" ] && break
		sleep 0.1
	done
	timeout 60 $SF -v -d "$dev2" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err2"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q VERIFIED "$T/err2"; then
		ok "$name: the same command again finishes the job"
	else
		fail "$name: second run exit $rc: $(tail -c 300 "$T/err2")"
	fi
	check "$name: the file's bytes are in the chip" in_chip "$img"
	check "$name: every byte around the range is as before" \
		same_outside "$img" "$T/$name-before.bin" $OFF 20000
	if grep -Eq ' [1-9][0-9]* sectors unchanged| [1-9][0-9]* programmed without erase' "$T/err2"; then
		ok "$name: the second run did only what was left: $(grep -o '[0-9]* sectors unchanged, [0-9]* programmed without erase' "$T/err2")"
	else
		fail "$name: the second run redid everything: $(grep wrote "$T/err2")"
	fi
	emu_stop "$name"
}

# unplug-after / reset-after count bytes both ways: 60000 lands in the
# programming of a 20000-byte write (after the backup and the reads)
interrupted unplug unplug-after=60000
interrupted reset reset-after=60000

# --- a mistaken write undone with the printed command -----------------------
img="$T/undo.bin"
head -c $SIZE /dev/urandom >"$img"
cp "$img" "$T/undo-before.bin"
if emu_start undo --chip W25X10 --image "$img"; then
	timeout 60 $SF -d "$EMU_DEV_undo" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err1"
	undo=$(grep -o "to undo: spiflash .* write$" "$T/err1" | sed 's/^to undo: //')
	if [ -n "$undo" ] && in_chip "$img"; then
		ok "a write prints where the old bytes went and how to undo it"
	else
		fail "no undo command: $(tail -c 300 "$T/err1")"
	fi
	# the printed command, with the build's client and without a new backup
	eval "timeout 60 $SF ${undo#spiflash } --no-backup" >"$T/out" 2>"$T/err2"
	check "running it puts every byte of the chip back" cmp -s "$img" "$T/undo-before.bin"
	emu_stop undo
else
	fail "undo emulator starts"
fi

# --- a chip that turns protected half way: the failure names the state ------
img="$T/prot.bin"
head -c $SIZE /dev/urandom >"$img"
cp "$img" "$T/prot-before.bin"
if emu_start prot --chip W25X10 --image "$img" --chip-fault protect-after=40; then
	timeout 60 $SF -d "$EMU_DEV_prot" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err1"
	rc=$?
	if [ "$rc" -eq 4 ] && grep -Eq "state of 0x003003-0x007e22: 0x003003-0x[0-9a-f]+ done, .*(erased|partly written)" "$T/err1"; then
		ok "protected half way: exit 4, and the message says which sectors are done and which erased: $(grep -o 'state of.*' "$T/err1")"
	else
		fail "protected half way: exit $rc: $(tail -c 400 "$T/err1")"
	fi
	emu_stop prot
	# the same command on a chip without the fault (same image) finishes
	if emu_start prot2 --chip W25X10 --image "$img"; then
		run_rc=0
		timeout 60 $SF -d "$EMU_DEV_prot2" -f "$T/src.bin" --flash-offset $OFF write >"$T/out" 2>"$T/err2" || run_rc=$?
		check "protected half way: the same command finishes on a writable chip (exit $run_rc)" test "$run_rc" -eq 0
		check "protected half way: the file's bytes are in the chip" in_chip "$img"
		check "protected half way: every byte around the range is as before" \
			same_outside "$img" "$T/prot-before.bin" $OFF 20000
		emu_stop prot2
	else
		fail "prot2 emulator starts"
	fi
else
	fail "prot emulator starts"
fi

# --- abuse on the line --------------------------------------------------------
img="$T/abuse.bin"
head -c $SIZE /dev/urandom >"$img"
cp "$img" "$T/abuse-before.bin"
if emu_start abuse -v --chip W25X10 --image "$img"; then
	python3 - "$EMU_DEV_abuse" <<'EOF'
import os, random, sys, termios, time, tty
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
termios.tcsetattr(fd, termios.TCSANOW, termios.tcgetattr(fd))
os.write(fd, bytes([0xA5, 0x04, 0x01, 0x03]))   # half a JEDEC request
time.sleep(0.6)                                  # silence: the decoder drops it
os.write(fd, bytes([0xA5]) + bytes([0x01]) * 3000 + bytes([0x00]))   # oversize
time.sleep(0.3)
rng = random.Random(7)
noise = bytes(rng.randrange(256) for _ in range(40000))   # serprog's bytes too
for i in range(0, len(noise), 512):
    os.write(fd, noise[i:i + 512])
os.close(fd)
EOF
	# wait until the emulator has handed all of it to the AVR (the stats
	# line), then for the decoder's and serprog's silence timeouts
	pid=$EMU_PID_abuse
	for _ in $(seq 1 100); do
		kill -USR1 "$pid"
		sleep 0.2
		n=$(grep -o 'to_dev=[0-9]*' "$EMU_ERR_abuse" | tail -n1 | cut -d= -f2)
		[ "${n:-0}" -ge 40000 ] && break
	done
	sleep 1
	run_rc=0
	timeout 20 $SF -d "$EMU_DEV_abuse" info >"$T/out" 2>"$T/err" || run_rc=$?
	if [ "$run_rc" -eq 0 ] && grep -q "ef 30 11" "$T/out"; then
		ok "after half a frame, an oversize frame and 40000 random bytes the device answers"
	else
		fail "device after abuse: exit $run_rc: $(head -c 300 "$T/err")"
	fi
	check "the abuse changed no chip byte" cmp -s "$img" "$T/abuse-before.bin"
	kill -USR1 "$pid"
	sleep 0.5
	if [ "$(grep -o 'resets=[0-9]*' "$EMU_ERR_abuse" | tail -n1)" = resets=0 ]; then
		ok "the decoder recovered on its own: no reset (watchdog or otherwise)"
	else
		fail "the AVR was reset: $(grep -o 'resets=[0-9]*' "$EMU_ERR_abuse")"
	fi
	emu_stop abuse
else
	fail "abuse emulator starts"
fi
e2e_summary
