#!/usr/bin/env bash
# The Windows client (make windows: build/win/spiflash.exe) under Debian's
# Wine, against the emulated programmer: nothing mocked, the exe's own Win32
# calls go through Wine to a pty.  A fresh Wine prefix maps COM5 to the
# emulator's pty the way Wine documents it (HKLM\Software\Wine\Ports, which
# mountmgr turns into $WINEPREFIX/dosdevices/com5 and a SERIALCOMM entry); a
# USB device node for COM5 (a CH340's VID:PID and friendly name) is put in
# the registry where SetupAPI reads it, as Windows' USB stack would on
# plugging in.  Checks: the exe imports only Windows' own DLLs; -p dummy on
# its mapped image file; several -d refused; ports (with
# the board guess) and ports --probe; info; a 64 KiB write, a read into a
# path with a space and non-ASCII letters compared byte for byte, verify
# (and a mismatch); a wrong port; a busy port; a write stopped by Ctrl-C and
# one cut by an unplug, each finished by running the same command again.
set -u
. tests/e2e/lib.sh

T=$E2E_TMP
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver
OBJDUMP=x86_64-w64-mingw32-objdump
for tool in "$WINE" "$WINESERVER" "$OBJDUMP"; do
	if ! command -v "$tool" >/dev/null; then
		fail "$tool is missing: install wine64 and gcc-mingw-w64-x86-64 (tools/deps.sh)"
		e2e_summary
		exit 1
	fi
done
if ! make -s --no-print-directory windows >"$T/make.log" 2>&1; then
	fail "make windows: $(tail -c 400 "$T/make.log")"
	e2e_summary
	exit 1
fi
EXE=$PWD/build/win/spiflash.exe

# --- the exe runs alone: Windows' own DLLs only -------------------------------
dlls=$($OBJDUMP -p "$EXE" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr '[:lower:]' '[:upper:]' | sort -u | tr '\n' ' ')
foreign=
for d in $dlls; do
	case "$d" in
	KERNEL32.DLL | ADVAPI32.DLL | SETUPAPI.DLL | MSVCRT.DLL | UCRTBASE.DLL | API-MS-WIN-CRT-*.DLL) ;;
	*) foreign="$foreign $d" ;;
	esac
done
if [ -n "$dlls" ] && [ -z "$foreign" ]; then
	ok "spiflash.exe imports only Windows' DLLs: $dlls"
else
	fail "spiflash.exe imports${foreign:- nothing}: needs more than Windows ($dlls)"
fi

# --- a fresh prefix -------------------------------------------------------------
export WINEPREFIX=$T/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap '$WINESERVER -k 2>/dev/null; e2e_cleanup' EXIT
t0=$(date +%s%N)
if timeout 120 "$WINE" wineboot -i >"$T/wineboot.log" 2>&1 && "$WINESERVER" -w; then
	ok "a fresh Wine prefix in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	fail "wineboot -i: $(tail -c 300 "$T/wineboot.log")"
fi

reg_add() {
	timeout 60 "$WINE" reg add "$@" /f >/dev/null 2>&1
}
# map_com5 PTY: COM5 is PTY from the next Wine process on
map_com5() {
	reg_add 'HKLM\Software\Wine\Ports' /v COM5 /d "$1"
	"$WINESERVER" -k 2>/dev/null
	"$WINESERVER" -w
	ln -sfn "$1" "$WINEPREFIX/dosdevices/com5"
}
# the device node a CH340 on COM5 gets (what SetupAPI enumerates)
usb='HKLM\System\CurrentControlSet\Enum\USB\VID_1A86&PID_7523\5&2d4c1b3&0&2'
reg_add "$usb" /v ClassGUID /d '{4D36E978-E325-11CE-BFC1-08002BE10318}'
reg_add "$usb" /v Class /d Ports
reg_add "$usb" /v FriendlyName /d 'USB-SERIAL CH340 (COM5)'
reg_add "$usb\\Device Parameters" /v PortName /d COM5

# sfx ARGS...: the exe in Wine, run in $T (relative names are Windows names
# there); a script, so run's timeout can start it, and exec, so a signal
# sent to it reaches Wine.
printf '#!/bin/sh\ncd "%s" && exec "%s" "%s" "$@"\n' "$T" "$WINE" "$EXE" >"$T/sfx"
chmod +x "$T/sfx"
sfx=$T/sfx
# sf ARGS...: the same for commands that are run to their end.  Debian 12's
# Wine now and then dies in glibc's _dl_fini after the exe has returned
# ("Inconsistency detected by ld.so: dl-fini.c: 87", exit 127; seen once in
# CI on a verify whose output was complete), which loses the exe's exit
# code.  Such a run is run once more (every command here may be repeated:
# that is what the client promises), and the repeat is counted in
# wine-retries so the summary says it happened.
cat >"$T/sf" <<SF
#!/bin/sh
cd "$T" || exit 1
for try in 1 2; do
	"$WINE" "$EXE" "\$@" >"$T/sf.out" 2>"$T/sf.err"
	rc=\$?
	if [ \$rc -eq 127 ] && [ \$try -eq 1 ] &&
		grep -q "^Inconsistency detected by ld.so: dl-fini.c" "$T/sf.err"; then
		echo "\$*" >>"$T/wine-retries"
		continue
	fi
	cat "$T/sf.out"
	cat "$T/sf.err" >&2
	exit \$rc
done
SF
chmod +x "$T/sf"
sf=$T/sf

# --- -p dummy: the chip model on an image file (CreateFileMapping) -------------
head -c 65536 /dev/urandom >"$T/dsrc.bin"
run 0 "VERIFIED" "-p dummy writes into its image file" -- \
	$sf -p dummy:chip=W25Q80,image=dummy.bin -f dsrc.bin write
check "-p dummy: the mapped image holds the bytes, the rest erased" \
	cmp -s "$T/dummy.bin" <(cat "$T/dsrc.bin"; head -c $((1048576 - 65536)) /dev/zero | tr '\0' '\377')
run 0 "VERIFIED" "-p dummy: a second run sees them" -- \
	$sf -p dummy:chip=W25Q80,image=dummy.bin -f dsrc.bin verify
run 1 "not available on Windows" "several -d: refused on Windows, with what to do" -- \
	$sf -d COM5 -d COM6 info

# --- one emulator: ports, info, write, read, verify, busy, Ctrl-C ---------------
img=$T/chip.bin
if ! emu_start a --image "$img"; then
	fail "emulator starts"
	e2e_summary
	exit 1
fi
map_com5 "$EMU_DEV_a"

run 0 "" "ports" -- $sf ports
if grep -q "^COM5	1a86:7523	USB-SERIAL CH340 (COM5)	CH340 bridge (Nano or Uno clone)$" "$T/out"; then
	ok "ports: COM5 from SERIALCOMM, VID:PID and friendly name from SetupAPI, the board guessed"
else
	fail "ports printed: $(cat "$T/out")"
fi
run 0 "" "ports --probe" -- $sf ports --probe
check "ports --probe: the programmer on COM5 answers" grep -q "^COM5	.*\[spiflash on uno-328p\]" "$T/out"

run 0 "the one programmer that answers" "info without -d finds COM5" -- $sf info
run 0 "" "info" -- $sf -d COM5 info
check "info: the chip, over win32 at the fast rate" \
	grep -q "device:    COM5 (win32, 2000000 baud)" "$T/out"
check "info: W25Q128" grep -q "^chip: *W25Q128" "$T/out"

head -c 65536 /dev/urandom >"$T/src.bin"
head -c 65536 /dev/urandom >"$T/other.bin"
run 0 "VERIFIED" "write 64 KiB" -- $sf -d COM5 -f src.bin write
check "write: the bytes are in the chip" cmp -s -n 65536 "$T/src.bin" "$img"
mkdir -p "$T/out dir"
run 0 "" "read 64 KiB into a name with a space and non-ASCII letters" -- \
	$sf -d COM5 -l 64 -f 'out dir\dümp ü.bin' read
check "read: the file equals what was written, byte for byte" \
	cmp -s "$T/src.bin" "$T/out dir/dümp ü.bin"
run 0 "VERIFIED" "verify" -- $sf -d COM5 -f src.bin verify
run 5 "" "verify against another file: exit 5" -- $sf -d COM5 -f other.bin verify

run 3 "no such port" "a wrong port: exit 3" -- $sf -d COM9 info

# Ctrl-C (Wine turns SIGINT into CTRL_C_EVENT) in the middle of a write
head -c 1048576 /dev/urandom >"$T/big.bin"
$sfx -v -d COM5 -f big.bin write >"$T/int.out" 2>"$T/int.err" &
bg=$!
for _ in $(seq 1 100); do
	grep -q "opened with win32" "$T/int.err" && break
	sleep 0.1
done
# a quarter of the pages programmed: by the chip's progress, not a sleep
emu_signal_when a "$bg" INT programs 1000
wait "$bg"
rc=$?
if [ "$rc" -eq 130 ] && ! cmp -s -n 1048576 "$T/big.bin" "$img"; then
	ok "Ctrl-C stops the write half way with exit 130: $(grep -o 'state of.*' "$T/int.err")"
else
	fail "Ctrl-C: exit $rc: $(tail -c 300 "$T/int.err")"
fi
# the write over src.bin kept the old bytes first (the chip was not blank there)
undo=$(grep -o "saved the old .* in '[^']*'" "$T/int.err" | head -1 | sed "s/.* in '//; s/'$//")
check "write: the backup is under LOCALAPPDATA, one kind of separator: $undo" \
	bash -c "[[ '$undo' == *'\\spiflash\\W25Q128-'*.bin && '$undo' != */* ]]"
run 0 "VERIFIED" "after Ctrl-C the same command finishes the job" -- $sf -d COM5 -f big.bin write
check "the file's bytes are in the chip" cmp -s -n 1048576 "$T/big.bin" "$img"
# the dump of before is replaced in one step (MoveFileEx over the old file)
run 0 "" "read --force over the existing dump" -- $sf -d COM5 -l 64 --force -f 'out dir\dümp ü.bin' read
check "the dump was replaced by the new bytes, no temporary file left" \
	test "$(cmp -n 65536 "$T/big.bin" "$T/out dir/dümp ü.bin" && ls "$T/out dir")" = "dümp ü.bin"

# busy: a second spiflash while a long read holds COM5
# (1 MiB of random bytes: some seconds at 2 Mbaud)
$sfx -v -d COM5 -l 1024 -f busy.bin read >"$T/busy.out" 2>"$T/busy.err" &
bg=$!
for _ in $(seq 1 100); do
	grep -q "opened with win32" "$T/busy.err" && break
	sleep 0.1
done
run 3 "in use by another spiflash" "a busy port: exit 3" -- $sf -d COM5 info
wait "$bg"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$T/busy.bin" <(head -c 1048576 "$img"); then
	ok "the first one finishes undisturbed"
else
	fail "the first one: exit $rc: $(tail -c 300 "$T/busy.err")"
fi

emu_stop a

# --- an unplug in the middle of a write, and the port coming back ---------------
SIZE=$((128 * 1024))
OFF=$((0x3003))
img=$T/unplug.bin
head -c $SIZE /dev/urandom >"$img"
cp "$img" "$T/unplug-before.bin"
head -c 20000 /dev/urandom >"$T/part.bin"
in_chip() {
	cmp -s -n 20000 "$T/part.bin" <(tail -c +$((OFF + 1)) "$img")
}
if emu_start u --chip W25X10 --image "$img" --fault unplug-after=60000 --replug=200; then
	map_com5 "$EMU_DEV_u"
	run 3 "the same command again finishes the job" "unplugged mid-write: exit 3, and what to do" -- \
		$sf -d COM5 -f part.bin --flash-offset $OFF write
	if ! cmp -s "$img" "$T/unplug-before.bin" && ! in_chip; then
		ok "unplugged half way (the chip is neither the old nor the new)"
	else
		fail "the unplug did not land mid-write"
	fi
	dev2=
	for _ in $(seq 1 50); do
		dev2=$(sed -n 2p "$E2E_TMP/emu-u.out")
		[ -n "$dev2" ] && [ -e "$dev2" ] && break
		sleep 0.1
	done
	map_com5 "$dev2"
	run 0 "VERIFIED" "replugged: the same command finishes the job" -- \
		$sf -d COM5 -f part.bin --flash-offset $OFF write
	check "the file's bytes are in the chip" in_chip
	check "every byte around the range is as before" \
		same_outside "$img" "$T/unplug-before.bin" $OFF 20000
	emu_stop u
else
	fail "unplug emulator starts"
fi

if [ -s "$T/wine-retries" ]; then
	echo "note: Wine's loader failed at exit and these were run again: $(tr '\n' ';' <"$T/wine-retries")"
fi
e2e_summary
