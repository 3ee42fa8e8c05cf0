#!/usr/bin/env bash
# Issue 13, "safe and pleasant at the edges": each row of the issue's table
# as a test of its own, named after the row (edge_<row>), against the
# emulated programmer or -p dummy.  The signal tests (every signal at random
# points of a write) and the undo chain are in test_signals.sh.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
KIB=1024
IMG=$T/chip.bin
DUMMY="-p dummy:chip=W25Q80,image=$IMG"
head -c $((1024 * KIB)) /dev/urandom >"$IMG"
printf '00000000:0000ffff boot\n000f0000:000fffff art\n' >"$T/layout.txt"

# ---- several -i (flashrom does this) ----------------------------------------
edge_several_i() {
	run 0 "" "edge_several_i: -i boot:boot.bin -i art:art.bin read" -- \
		$SF -q $DUMMY --layout "$T/layout.txt" -i "boot:$T/boot.bin" -i "art:$T/art.bin" read
	check "edge_several_i: boot.bin holds 0x000000-0x00ffff" cmp -s "$T/boot.bin" <(head -c $((64 * KIB)) "$IMG")
	check "edge_several_i: art.bin holds 0x0f0000-0x0fffff" cmp -s "$T/art.bin" <(tail -c $((64 * KIB)) "$IMG")
	# into one file: flashrom's image (the regions at their offsets, 00
	# between), the same bytes as Debian's flashrom writes for this read
	run 0 "" "edge_several_i: -i boot -i art -f one.bin read" -- \
		$SF $DUMMY --layout "$T/layout.txt" -i boot -i art -f "$T/one.bin" read
	check "edge_several_i: one.bin is the chip's size, both regions at their offsets, 00 between" \
		cmp -s "$T/one.bin" <(head -c $((64 * KIB)) "$IMG"; head -c $((896 * KIB)) /dev/zero; tail -c $((64 * KIB)) "$IMG")
	run 0 "identical to the existing" "edge_several_i: the same read again: the dump-twice check" -- \
		$SF $DUMMY --layout "$T/layout.txt" -i boot -i art -f "$T/one.bin" read
	run 2 "give every -i of a read its own file" \
		"edge_several_i: some -i with a file and some without are refused, and the message says how" -- \
		$SF $DUMMY --layout "$T/layout.txt" -i boot -i "art:$T/a.bin" -f "$T/x.bin" read
	run 2 "no region 'nope' in the layout" "edge_several_i: an unknown second region: exit 2" -- \
		$SF $DUMMY --layout "$T/layout.txt" -i boot -i nope -f "$T/x.bin" read
	check "edge_several_i: and no file written" test ! -e "$T/x.bin"
	# write and verify take each region of one whole image in turn
	head -c $((1024 * KIB)) /dev/urandom >"$T/whole.bin"
	cp "$IMG" "$T/img-before.bin"
	run 0 "" "edge_several_i: -i boot -i art write -f whole image" -- \
		$SF -q $DUMMY --layout "$T/layout.txt" -i boot -i art -f "$T/whole.bin" write
	check "edge_several_i: both regions written" \
		cmp -s <(head -c $((64 * KIB)) "$IMG"; tail -c $((64 * KIB)) "$IMG") \
		<(head -c $((64 * KIB)) "$T/whole.bin"; tail -c $((64 * KIB)) "$T/whole.bin")
	check "edge_several_i: nothing between them changed" \
		cmp -s <(head -c $((960 * KIB)) "$IMG" | tail -c $((896 * KIB))) \
		<(head -c $((960 * KIB)) "$T/img-before.bin" | tail -c $((896 * KIB)))
}

# ---- -i NAME:FILE (flashrom's form) -----------------------------------------
edge_i_name_file() {
	head -c $((64 * KIB)) /dev/urandom >"$T/art-new.bin"
	run 0 "" "edge_i_name_file: -i art:art-new.bin write" -- \
		$SF -q $DUMMY --layout "$T/layout.txt" -i "art:$T/art-new.bin" write
	check "edge_i_name_file: the region holds the file" cmp -s "$T/art-new.bin" <(tail -c $((64 * KIB)) "$IMG")
	run 0 "" "edge_i_name_file: -i art:art-new.bin verify" -- \
		$SF -q $DUMMY --layout "$T/layout.txt" -i "art:$T/art-new.bin" verify
}

# ---- -i art write with a 64 KiB file: the message names what was typed ------
edge_region_message() {
	run 2 "-i art:" "edge_region_message: a region-sized file with -i art" -- \
		$SF $DUMMY --layout "$T/layout.txt" -i art -f "$T/art-new.bin" write
	if grep -q -- "--file-offset" "$T/err"; then
		fail "edge_region_message: names --file-offset, an option never given: $(cat "$T/err")"
	else
		ok "edge_region_message: no --file-offset in: $(head -c 200 "$T/err")"
	fi
}

# ---- -l 0x1000: no silent unit surprise -------------------------------------
edge_units() {
	run 0 "" "edge_units: -l 0x1000 read" -- $SF -q $DUMMY -l 0x1000 -f "$T/l1.bin" read
	check "edge_units: -l 0x1000 is 4096 bytes" test "$(stat -c %s "$T/l1.bin")" -eq 4096
	run 0 "" "edge_units: -l 4K read" -- $SF -q $DUMMY -l 4K -f "$T/l2.bin" read
	check "edge_units: -l 4K is 4096 bytes" test "$(stat -c %s "$T/l2.bin")" -eq 4096
	run 0 "" "edge_units: -l 64 read (KiB, as before)" -- $SF -q $DUMMY -l 64 -f "$T/l3.bin" read
	check "edge_units: -l 64 is 64 KiB" test "$(stat -c %s "$T/l3.bin")" -eq $((64 * KIB))
	$SF --help >"$T/help.txt"
	check "edge_units: --help states the rule" grep -q "0x hex, or a K or M suffix" "$T/help.txt"
	check "edge_units: the man page states it" grep -q "count bytes" docs/spiflash.1
}

# ---- --verbose=2 and -vv ----------------------------------------------------
edge_verbose() {
	run 0 "" "edge_verbose: --verbose=2 is the option's real name" -- \
		$SF --verbose=2 $DUMMY -f "$T/v.bin" -l 64 read
	check "edge_verbose: level 2 says each phase's bytes and time" grep -q "read: 65536 bytes in" "$T/err"
	run 0 "" "edge_verbose: -vv" -- $SF -vv $DUMMY -f "$T/v2.bin" -l 64 read
	check "edge_verbose: -vv is level 2" grep -q "bytes in" "$T/err"
	run 0 "" "edge_verbose: -v" -- $SF -v $DUMMY -f "$T/v3.bin" -l 64 read
	check "edge_verbose: -v is level 1 (no phase lines)" bash -c "! grep -q 'bytes in' '$T/err'"
	run 2 "unknown option '--verbos3'" "edge_verbose: a wrong long option is named as typed" -- \
		$SF --verbos3 $DUMMY info
}

# ---- --help, man page and completion list the same options ----------------
edge_help_lists() {
	local o missing=
	$SF --help >"$T/help.txt"
	for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help.txt" | sort -u); do
		grep -q -- "${o//-/\\\\-}" docs/spiflash.1 || missing="$missing man:$o"
		grep -qw -- "$o" contrib/bash-completion/spiflash || missing="$missing completion:$o"
	done
	for o in $(grep -o -- '\\-\\-[a-z][a-z\\-]*' docs/spiflash.1 | sed 's/\\//g' | sort -u); do
		grep -q -- "$o" "$T/help.txt" || missing="$missing help:$o"
	done
	for o in $(grep -o -- '--[a-z][a-z-]*' contrib/bash-completion/spiflash | sort -u); do
		grep -q -- "$o" "$T/help.txt" || missing="$missing help:$o"
	done
	if [ -z "$missing" ]; then
		ok "edge_help_lists: --help, man page and completion list the same options"
	else
		fail "edge_help_lists: missing:$missing"
	fi
	for o in -p --programmer --spi-speed --include --layout --fmap --all; do
		grep -q -- " $o[ ,=]" "$T/help.txt" || missing="$missing $o"
	done
	check "edge_help_lists: -p, --spi-speed, --include, --layout, --fmap, --all on lines of their own ($missing)" \
		test -z "$missing"
	check "edge_help_lists: grouped" grep -q "^the programmer and the chip:" "$T/help.txt"
}

# ---- flashrom's habits ------------------------------------------------------
edge_flashrom_habits() {
	run 2 "did you mean 'spiflash read -f FILE'" "edge_flashrom_habits: -r FILE" -- $SF -r x.bin
	run 2 "did you mean 'spiflash write -f FILE'" "edge_flashrom_habits: -w FILE" -- $SF -w x.bin
	run 2 "did you mean 'spiflash erase'" "edge_flashrom_habits: -E" -- $SF -E
	run 0 "" "edge_flashrom_habits: -c W25Q80 is --chip" -- $SF -c W25Q80 $DUMMY info
}

# ---- dumps never replaced silently ----------------------------------------
# flip_bytes FILE OFFSET N: N bytes of FILE complemented, so that each surely
# differs (bytes written over random ones were the same by chance 1 time in
# 128, and the count of differing bytes in the message was one short)
flip_bytes() {
	python3 -c 'import sys
f = open(sys.argv[1], "r+b"); o = int(sys.argv[2]); f.seek(o); b = f.read(int(sys.argv[3]))
f.seek(o); f.write(bytes(x ^ 0xFF for x in b))' "$@"
}

edge_dump_readonly() {
	local ino
	$SF -q $DUMMY -f "$T/golden.bin" read
	chmod 444 "$T/golden.bin"
	ino=$(stat -c %i "$T/golden.bin")
	run 0 "identical to the existing" "edge_dump_readonly: the same bytes over a read-only dump" -- \
		$SF $DUMMY -f "$T/golden.bin" read
	check "edge_dump_readonly: same inode, mode 444" \
		test "$(stat -c '%i %a' "$T/golden.bin")" = "$ino 444"
	flip_bytes "$IMG" 8192 2
	run 5 "2 bytes in 1 range" "edge_dump_readonly: other bytes: refused, and how many and where" -- \
		$SF $DUMMY -f "$T/golden.bin" read
	check "edge_dump_readonly: the message names the range" grep -q "0x002000-0x002001" "$T/err"
	run 5 "read-only" "edge_dump_readonly: --force does not replace a read-only dump" -- \
		$SF $DUMMY --force -f "$T/golden.bin" read
	check "edge_dump_readonly: untouched (inode, mode)" \
		test "$(stat -c '%i %a' "$T/golden.bin")" = "$ino 444"
	chmod 640 "$T/golden.bin"
	run 5 "give --force" "edge_dump_readonly: a writable dump that differs: refused" -- \
		$SF $DUMMY -f "$T/golden.bin" read
	run 0 "" "edge_dump_readonly: --force replaces it" -- $SF $DUMMY --force -f "$T/golden.bin" read
	check "edge_dump_readonly: the new bytes, the old mode" \
		bash -c "cmp -s '$IMG' '$T/golden.bin' && test \$(stat -c %a '$T/golden.bin') = 640"
	run 0 "" "edge_dump_readonly: -f - is unaffected" -- $SF -q $DUMMY -f - read
	check "edge_dump_readonly: stdout has the chip" cmp -s "$T/out" "$IMG"
}

edge_dump_symlink() {
	mkdir -p "$T/real"
	$SF -q $DUMMY -f "$T/real/target.bin" read
	ln -sf real/target.bin "$T/link.bin"
	run 0 "identical to the existing" "edge_dump_symlink: through a link to the same bytes" -- \
		$SF $DUMMY -f "$T/link.bin" read
	flip_bytes "$IMG" 100 2
	run 0 "" "edge_dump_symlink: --force through the link" -- $SF -q $DUMMY --force -f "$T/link.bin" read
	check "edge_dump_symlink: the link is still a link" test -L "$T/link.bin"
	check "edge_dump_symlink: the file it names has the new bytes" cmp -s "$IMG" "$T/real/target.bin"
	ln -sf nowhere/x.bin "$T/dangling.bin"
	run 1 "symbolic link" "edge_dump_symlink: a dangling link is refused, and said so" -- \
		$SF $DUMMY -f "$T/dangling.bin" read
	check "edge_dump_symlink: the dangling link stays" test -L "$T/dangling.bin"
}

# ---- progress: a bar, a percent, named phases, fits 40 columns -------------
edge_progress() {
	local img=$T/p.bin
	head -c $((1024 * KIB)) /dev/urandom >"$img"
	head -c $((256 * KIB)) /dev/urandom >"$T/psrc.bin"
	run 0 "" "edge_progress: --progress with stderr not a terminal" -- \
		$SF --progress -p "dummy:chip=W25Q80,image=$img" -f "$T/psrc.bin" write
	tr '\r' '\n' <"$T/err" >"$T/prog.txt"
	check "edge_progress: a bar and a percent" grep -Eq '\[#*\.*\] +[0-9]+%' "$T/prog.txt"
	check "edge_progress: the backup is named backup" grep -q '^backup ' "$T/prog.txt"
	check "edge_progress: erase and program named" \
		bash -c "grep -q '^erase ' '$T/prog.txt' && grep -q '^program ' '$T/prog.txt'"
	run 0 "" "edge_progress: off when stderr is not a terminal" -- \
		$SF -p "dummy:chip=W25Q80,image=$img" -f "$T/psrc.bin" verify
	check "edge_progress: no bar" bash -c "! grep -q '%' '$T/err'"
	if command -v script >/dev/null; then
		script -qec "stty cols 40; $SF -p dummy:chip=W25Q80,image=$img -f $T/psrc2.bin read" \
			/dev/null >"$T/tty.txt" 2>&1
		tr '\r' '\n' <"$T/tty.txt" | sed 's/\x1b\[K//g' >"$T/tty2.txt"
		if grep -q '%' "$T/tty2.txt" && ! awk 'length > 40 { exit 1 }' "$T/tty2.txt"; then
			ok "edge_progress: on a 40-column terminal every update fits"
		else
			fail "edge_progress: 40 columns: $(awk 'length > 40' "$T/tty2.txt" | head -2)"
		fi
	fi
}

# ---- the emulated programmer: -d X -d X, Ctrl-C, exclusive port, ports -----
edge_emulator_rows() {
	local img=$T/emu.bin pid rc t0 sim0 sim1
	head -c $((1024 * KIB)) /dev/urandom >"$img"
	cp "$img" "$T/emu-before.bin"
	if ! emu_start e --chip W25Q80 --image "$img"; then
		fail "edge_emulator_rows: emulator starts"
		return
	fi
	head -c $((64 * KIB)) /dev/urandom >"$T/e-src.bin"
	run 0 "" "edge_same_device_twice: -d X -d X write is one write" -- \
		$SF -d "$EMU_DEV_e" -d "$EMU_DEV_e" -f "$T/e-src.bin" --flash-offset 0x10000 write
	check "edge_same_device_twice: no second run that failed" bash -c "! grep -q failed '$T/err' && ! grep -q failed '$T/out'"

	# Ctrl-C during a write
	head -c $((1024 * KIB)) /dev/urandom >"$T/big.bin"
	$SF -d "$EMU_DEV_e" -f "$T/big.bin" write >"$T/out" 2>"$T/err" &
	pid=$!
	# a quarter of the pages programmed: by the chip's progress, not a sleep
	emu_signal_when e "$pid" INT programs 1000
	sim0=$SIM0
	wait "$pid"
	rc=$?
	sim1=$(emu_stat e sim_time)
	if [ "$rc" -eq 130 ] && grep -q "stopped by SIGINT" "$T/err" && grep -q "state of" "$T/err" &&
		grep -q "the same command again finishes the job" "$T/err"; then
		ok "edge_ctrl_c_write: exit 130, the range's state and how to finish: $(grep -o 'state of.*' "$T/err" | head -c 160)"
	else
		fail "edge_ctrl_c_write: exit $rc: $(tail -c 400 "$T/err")"
	fi
	if awk -v a="$sim0" -v b="$sim1" 'BEGIN { exit !(b - a < 1.5) }'; then
		ok "edge_ctrl_c_write: ended $(awk -v a="$sim0" -v b="$sim1" 'BEGIN { print b - a }') s of simulated time after the signal"
	else
		fail "edge_ctrl_c_write: took $sim0 -> $sim1 simulated s"
	fi
	# the command right after: the sketch, at once, never serprog
	t0=$(date +%s%N)
	run 0 "" "edge_after_ctrl_c: the next command connects" -- $SF -v -d "$EMU_DEV_e" info
	check "edge_after_ctrl_c: it found the sketch, not serprog" \
		bash -c "grep -q 'spiflash on' '$T/err' && ! grep -qi 'serprog on' '$T/err'"
	check "edge_after_ctrl_c: within 2 s ($(( ($(date +%s%N) - t0) / 1000000 )) ms)" \
		test $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2000
	run 0 "" "edge_ctrl_c_write: the same command again finishes the job" -- \
		$SF -d "$EMU_DEV_e" -f "$T/big.bin" write
	check "edge_ctrl_c_write: the chip holds the file" cmp -s "$img" "$T/big.bin"

	# Ctrl-C during a read: no temporary file left
	$SF -d "$EMU_DEV_e" -f "$T/dump.bin" read >"$T/out" 2>"$T/err" &
	pid=$!
	emu_signal_when e "$pid" INT from_dev $((256 * KIB))
	wait "$pid"
	rc=$?
	check "edge_ctrl_c_read: exit 130 ($rc)" test "$rc" -eq 130
	check "edge_ctrl_c_read: no dump.bin.tmp-* left, no dump.bin" \
		bash -c "! ls '$T'/dump.bin* 2>/dev/null | grep -q ."
	check "edge_ctrl_c_read: says nothing was written" grep -q "nothing was written to" "$T/err"

	# flashrom opening the port while spiflash reads it
	chmod 666 "$EMU_DEV_e"
	$SF -d "$EMU_DEV_e" -f "$T/dump2.bin" read >/dev/null 2>"$T/err-read" &
	pid=$!
	emu_signal_when e "$pid" 0 from_dev $((64 * KIB))
	SPIFLASH_PORTS="$EMU_DEV_e" $SF ports >"$T/ports.txt" 2>&1
	check "edge_exclusive_port: 'ports' shows the port in use: $(head -c 200 "$T/ports.txt")" \
		grep -q "in use by spiflash" "$T/ports.txt"
	if command -v flashrom >/dev/null && command -v setpriv >/dev/null; then
		timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups \
			flashrom -p "serprog:dev=$EMU_DEV_e:115200" -c W25Q80.V -r "$T/fr.bin" >"$T/fr.txt" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ] && grep -qi "busy\|cannot open\|Error" "$T/fr.txt"; then
			ok "edge_exclusive_port: flashrom (not root) cannot open the port: $(grep -i 'busy\|open' "$T/fr.txt" | head -n1)"
		else
			fail "edge_exclusive_port: flashrom exit $rc: $(head -c 300 "$T/fr.txt")"
		fi
	fi
	wait "$pid"
	check "edge_exclusive_port: the read was not disturbed" cmp -s "$T/dump2.bin" "$img"
	SPIFLASH_PORTS="$EMU_DEV_e" $SF ports >"$T/ports.txt" 2>&1
	check "edge_exclusive_port: after it, the port is free" bash -c "! grep -q 'in use' '$T/ports.txt'"
	emu_stop e
}

edge_several_i
edge_i_name_file
edge_region_message
edge_units
edge_verbose
edge_help_lists
edge_flashrom_habits
edge_dump_readonly
edge_dump_symlink
edge_progress
edge_emulator_rows
e2e_summary
