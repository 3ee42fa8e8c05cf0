#!/usr/bin/env bash
# Scripting, regions and several programmers, against the real firmware in
# three emulators: --json objects parsed by jq (valid, stable keys, on
# success and on failure), -q silent on success, regions from a flashrom
# layout (whole image by default, --region-file, read, verify, erase) and
# from an FMAP (in the image, and found in the chip), -d three times in
# parallel (result lines, JSON, a failing device), ports --probe and -d left
# out (SPIFLASH_PORTS names the candidates: ptys are not listed by the OS).
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP
SIZE=$((128 * 1024))
for n in a b c; do
	head -c $SIZE /dev/urandom >"$T/chip-$n.bin"
	if ! emu_start $n --chip W25X10 --image "$T/chip-$n.bin"; then
		fail "emulator $n starts"
		e2e_summary
		exit 1
	fi
done
A=$EMU_DEV_a B=$EMU_DEV_b C=$EMU_DEV_c

# sf EXPECTED_RC DESCRIPTION ARGS...: runs spiflash (stdout in $T/out,
# stderr in $T/err), checks the exit code
sf() {
	local want=$1 what=$2 rc
	shift 2
	timeout 60 $SF "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what"; return 0; fi
	fail "$what: exit $rc, expected $want: $(head -c 300 "$T/err")"
	return 1
}
# js FILTER DESCRIPTION: jq -e FILTER on $T/out (one valid JSON object)
js() {
	if [ "$(jq -s length "$T/out" 2>/dev/null)" = 1 ] && jq -e "$1" "$T/out" >/dev/null 2>&1; then
		ok "$2"
	else
		fail "$2: $(head -c 400 "$T/out")"
	fi
}

# --- JSON and -q --------------------------------------------------------------
sf 0 "info --json" -d "$A" --json info
js '.command == "info" and .result == "ok" and .exit_code == 0 and .chip.name == "W25X10"
    and .chip.jedec == "ef3011" and .chip.size == 131072 and (.firmware.protocol | type) == "number"
    and (.status | length) >= 1' "info --json: chip, firmware, status registers"
head -c 20000 /dev/urandom >"$T/img.bin"
sf 0 "write --json" -d "$A" -f "$T/img.bin" --flash-offset 0x1000 --json write
js '.command == "write" and .result == "ok" and .verified == true and .range.offset == 4096
    and .range.length == 20000 and .exit_code == 0 and (.stats.pages_programmed > 0)
    and (.stats | has("sectors_unchanged")) and (has("error") | not)' \
   "write --json: range, verified, stats, no error key"
printf 'x' | dd of="$T/img.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
sf 5 "verify mismatch --json: exit 5" -d "$A" -f "$T/img.bin" --flash-offset 0x1000 --json verify
js '.result == "error" and .exit_code == 5 and .verified == false and (.error | test("0x00106[34]|differ|mismatch"))' \
   "verify mismatch --json: result error, exit_code 5, the message"
sf 3 "a missing port --json: exit 3" -d "$T/nope" --json info
js '.result == "error" and .exit_code == 3 and (.error | test("no such port"))' "missing port: error object"
sf 2 "a usage error --json: exit 2" --json -d "$A" frobnicate
js '.result == "error" and .exit_code == 2' "usage error: error object"
sf 0 "-q read succeeds" -q -d "$A" -f "$T/q.bin" -l 4 read
check "-q prints nothing on success" test ! -s "$T/err" -a ! -s "$T/out"
sf 5 "-q verify mismatch" -q -d "$A" -f "$T/img.bin" --flash-offset 0x1000 verify
check "-q still prints the error" grep -q "spiflash: " "$T/err"
weird=$T/$'we"ird\\name\001'.bin
cp "$T/q.bin" "$weird"
sf 0 "a file name with quote, backslash and a control byte" -d "$A" -f "$weird" --json verify
js '.file | endswith("we\"ird\\name\u0001.bin")' "JSON escapes the file name"

# --- regions: layout -----------------------------------------------------------
printf '# test layout\n00000000:00003fff boot\n1e000:1ffff art\n' >"$T/layout.txt"
head -c $SIZE /dev/urandom >"$T/full.bin"
cp "$T/chip-b.bin" "$T/before-b.bin"
sf 0 "write -i art from a whole image" -d "$B" --layout "$T/layout.txt" -i art -f "$T/full.bin" write
check "the region holds the image's bytes at the same offset" \
	cmp -s <(tail -c 8192 "$T/full.bin") <(tail -c 8192 "$T/chip-b.bin")
check "bytes outside the region unchanged" cmp -s -n $((0x1e000)) "$T/before-b.bin" "$T/chip-b.bin"
head -c 8192 /dev/urandom >"$T/art.bin"
sf 0 "write -i art --region-file --json" -d "$B" --layout "$T/layout.txt" -i art \
	-f "$T/art.bin" --region-file --json write
js '.region.name == "art" and .region.offset == 122880 and .region.length == 8192 and .range.offset == 122880' \
   "region in the JSON"
check "the region file is in the region" cmp -s "$T/art.bin" <(tail -c 8192 "$T/chip-b.bin")
sf 0 "read -i art" -d "$B" --layout "$T/layout.txt" -i art -f "$T/art-back.bin" read
check "read -i art gives the region only" cmp -s "$T/art.bin" "$T/art-back.bin"
sf 0 "verify -i art --region-file" -d "$B" --layout "$T/layout.txt" -i art -f "$T/art.bin" --region-file verify
head -c 4096 "$T/art.bin" >"$T/short.bin"
sf 2 "a region file of the wrong size: exit 2" -d "$B" --layout "$T/layout.txt" -i art \
	-f "$T/short.bin" --region-file write
check "says the sizes" grep -q "is 4096 bytes but region 'art' is 8192" "$T/err"
sf 2 "an unknown region: exit 2, names the regions" -d "$B" --layout "$T/layout.txt" -i nvram -f "$T/x" read
check "lists the layout's regions" grep -q "it has: boot, art" "$T/err"
printf '0:fff boot\nzz art\n' >"$T/bad.txt"
sf 1 "a malformed layout: exit 1" -d "$B" --layout "$T/bad.txt" -i boot -f "$T/x" read
check "names the line" grep -q "line 2" "$T/err"
sf 0 "erase -i boot" -d "$B" --layout "$T/layout.txt" -i boot --no-backup erase
sf 0 "blank -i boot" -d "$B" --layout "$T/layout.txt" -i boot blank

# --- regions: FMAP -------------------------------------------------------------
# an FMAP at 0x8000 naming BOOT (0-0xfff) and RW_A (0x10000, 32 KiB)
head -c $SIZE /dev/urandom >"$T/fmap.bin"
perl -e 'print "__FMAP__", pack("CCQ<V", 1, 1, 0, 131072), pack("a32", "FLASH"), pack("v", 2),
	pack("VVa32v", 0, 0x1000, "BOOT", 0), pack("VVa32v", 0x10000, 0x8000, "RW_A", 0)' >"$T/fmap.hdr"
dd if="$T/fmap.hdr" of="$T/fmap.bin" bs=1 seek=$((0x8000)) conv=notrunc 2>/dev/null
sf 0 "write the whole FMAP image" -d "$C" -f "$T/fmap.bin" --no-backup write
head -c $SIZE /dev/urandom >"$T/fmap2.bin"
dd if="$T/fmap.hdr" of="$T/fmap2.bin" bs=1 seek=$((0x8000)) conv=notrunc 2>/dev/null
sf 0 "write --fmap -i RW_A (FMAP from the image)" -d "$C" --fmap -i RW_A -f "$T/fmap2.bin" --json write
js '.region.name == "RW_A" and .range.offset == 65536 and .range.length == 32768' "FMAP region in the JSON"
check "RW_A holds the new image's bytes" \
	cmp -s <(tail -c +$((0x10001)) "$T/fmap2.bin" | head -c 32768) <(tail -c +$((0x10001)) "$T/chip-c.bin" | head -c 32768)
check "outside RW_A unchanged" cmp -s -n $((0x10000)) "$T/fmap.bin" "$T/chip-c.bin"
sf 0 "read --fmap -i RW_A (FMAP found in the chip)" -d "$C" --fmap -i RW_A -f "$T/rw.bin" read
check "the read region equals the chip's" cmp -s "$T/rw.bin" <(tail -c +$((0x10001)) "$T/chip-c.bin" | head -c 32768)
sf 1 "no FMAP in the chip: exit 1" -d "$A" --fmap -i RW_A -f "$T/rw.bin" read
check "says so" grep -q "no FMAP in the W25X10" "$T/err"

# --- several programmers -----------------------------------------------------------
head -c 50000 /dev/urandom >"$T/multi.bin"
t0=$(date +%s%N)
sf 0 "write to three devices at once" -d "$A" -d "$B" -d "$C" -f "$T/multi.bin" --no-backup write
for d in "$A" "$B" "$C"; do
	check "result line for $d" grep -qx "$d: ok" "$T/out"
done
for n in a b c; do
	check "chip $n holds the image" cmp -s -n 50000 "$T/multi.bin" "$T/chip-$n.bin"
done
check "each device's messages carry its port" grep -q "^$B: VERIFIED" "$T/err"
sf 0 "verify on three devices --json" -d "$A" -d "$B" -d "$C" -f "$T/multi.bin" --json verify
js '.result == "ok" and .exit_code == 0 and (.devices | length) == 3
    and ([.devices[].result] | unique) == ["ok"]' "one JSON object with every device"
jq -e --arg a "$A" --arg b "$B" --arg c "$C" \
	'([.devices[].device] | sort) == ([$a, $b, $c] | sort)' "$T/out" >/dev/null &&
	ok "the devices array names each port" || fail "devices array: $(cat "$T/out")"
sf 3 "one device missing: exit 3" -d "$A" -d "$T/gone" -d "$C" -f "$T/multi.bin" verify
check "the others still report ok" grep -qx "$C: ok" "$T/out"
check "the missing one reports its failure" grep -qx "$T/gone: failed (exit 3)" "$T/err"
sf 2 "read takes one device" -d "$A" -d "$B" -f "$T/x" read

# --- ports --probe, -d left out ------------------------------------------------------
SPIFLASH_PORTS="$A:$T/gone" sf 0 "ports --probe" ports --probe
check "the emulator is marked spiflash" grep -q "^$A	.*\[spiflash on uno" "$T/out"
check "a missing port is marked" grep -q "^$T/gone	.*\[cannot open\]" "$T/out"
SPIFLASH_PORTS="$A:$T/gone" sf 0 "ports --probe --json" ports --probe --json
js '.ports[0].programmer == "spiflash" and .ports[1].programmer == null and .result == "ok"' \
   "ports --json marks the programmer"
SPIFLASH_PORTS="$T/gone:$B" sf 0 "-d left out: the one programmer" -f "$T/multi.bin" verify
check "says which port it took" grep -q "using '$B'" "$T/err"
SPIFLASH_PORTS="$A:$B" sf 3 "-d left out, two programmers: exit 3" info
check "lists the candidates" grep -q "2 programmers answer; choose one with -d: $A (spiflash) $B (spiflash)" "$T/err"

for n in a b c; do
	check "emulator $n exits cleanly" emu_stop $n
done
e2e_summary
