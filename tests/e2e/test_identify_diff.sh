#!/usr/bin/env bash
# spiflash identify [FILE] and spiflash diff A B (client/cli/cli_inspect.c
# over client/inspect), with -p dummy and the images test_inspect_tools.sh
# builds: a version 1 Intel flash descriptor image (put together byte by
# byte) and a CBFS image in an FMAP (cbfstool).  Files, the chip ('chip' or
# '-'), --json, exit codes (identify 0; diff 0 equal, 5 different, 1/2
# errors), and --ifd: -i NAME from the descriptor of the image or the chip.
set -u
. tests/e2e/lib.sh

SF=build/spiflash
T=$E2E_TMP

put32() {
	local v=$3
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $(((v >> 8) & 255)) \
		$(((v >> 16) & 255)) $(((v >> 24) & 255)))" |
		dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}
ff_image() { head -c "$2" /dev/zero | tr '\0' '\377' >"$1"; }
flreg() { echo $(((($2 >> 12) << 16) | ($1 >> 12))); }

# as test_inspect_tools.sh: 4 MiB, ME 0x1000-0x1fffff, BIOS 0x200000-0x3fffff
make_ifd_v1() {
	ff_image "$1" $((4 << 20))
	put32 "$1" 0x10 0x0FF0A55A
	put32 "$1" 0x14 0x03040003
	put32 "$1" 0x18 0x12100206
	put32 "$1" 0x1c 0x00210120
	put32 "$1" 0x30 0
	put32 "$1" 0x40 "$(flreg 0 0xfff)"
	put32 "$1" 0x44 "$(flreg 0x200000 0x3fffff)"
	put32 "$1" 0x48 "$(flreg 0x1000 0x1fffff)"
	put32 "$1" 0x4c 0x00001fff
	put32 "$1" 0x50 0x00001fff
	put32 "$1" 0x60 0x0a0b0000
	put32 "$1" 0x64 0x0c0d0000
	put32 "$1" 0x68 0x08080118
	put32 "$1" 0x300000 0x12345678
	put32 "$1" 0x100000 0x9abcdef0
	put32 "$1" 0xefc 0
}

make_ifd_v1 "$T/ifd.bin"
cp "$T/ifd.bin" "$T/chip.bin"
DUMMY="-p dummy:chip=GD25Q32,image=$T/chip.bin"

# ---- identify ----
run 0 "" "identify FILE" -- $SF identify "$T/ifd.bin"
check "identify FILE: the descriptor and its regions" \
	bash -c "grep -qi 'descriptor' '$E2E_TMP/out' && grep -q 'ME' '$E2E_TMP/out' && grep -q 'BIOS' '$E2E_TMP/out'"
cp "$T/out" "$T/id-file.txt"
run 0 "" "identify (no FILE): the chip through -p dummy" -- $SF $DUMMY identify
check "identify of the chip says what identify of its file says" cmp -s "$T/out" "$T/id-file.txt"
run 0 "" "identify FILE --json" -- $SF identify "$T/ifd.bin" --json
check "identify --json is one JSON object with the descriptor" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "ifd" in json.dumps(d)' "$T/out"
run 1 "cannot open" "identify of a missing file: exit 1" -- $SF identify "$T/nope.bin"
run 2 "takes one FILE" "identify A B: usage error" -- $SF identify a b

# ---- diff ----
run 0 "" "diff of two equal files: exit 0" -- $SF diff "$T/ifd.bin" "$T/ifd.bin"
cp "$T/ifd.bin" "$T/ifd-b.bin"
printf 'abc' | dd of="$T/ifd-b.bin" bs=1 seek=$((0x10000)) conv=notrunc status=none
printf 'zz' | dd of="$T/ifd-b.bin" bs=1 seek=$((0x20000)) conv=notrunc status=none
run 5 "ME differs (5 bytes in 2 ranges)" "diff: one summary line, region by region, exit 5" -- \
	$SF diff "$T/ifd.bin" "$T/ifd-b.bin"
check "diff: the summary says BIOS equal: $(cat "$T/err")" grep -q "BIOS equal" "$T/err"
check "diff: the ranges listed" grep -q "0x00010000 - 0x00010002" "$T/out"
run 5 "" "diff FILE chip: the chip's contents" -- $SF $DUMMY diff "$T/ifd-b.bin" chip
check "diff FILE chip: ME differs" grep -q "^ME differs" "$T/out"
run 0 "" "diff - FILE: equal" -- $SF $DUMMY diff - "$T/ifd.bin"
run 5 "" "diff --json" -- $SF diff "$T/ifd.bin" "$T/ifd-b.bin" --json
check "diff --json: ME not equal, BIOS equal" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["name"]: x for x in d["regions"]}
assert not r["ME"]["equal"] and r["ME"]["bytes"] == 5 and r["BIOS"]["equal"], r' "$T/out"
printf '00000000:00000fff desc\n00001000:001fffff me\n00200000:003fffff bios\n' >"$T/layout.txt"
run 5 "me differs" "diff --layout FILE: its regions" -- \
	$SF diff --layout "$T/layout.txt" "$T/ifd.bin" "$T/ifd-b.bin"
run 2 "compares two images" "diff with one image: usage error" -- $SF diff "$T/ifd.bin"
run 2 "both the chip" "diff chip chip: usage error" -- $SF $DUMMY diff chip -

# ---- --ifd: regions from the descriptor ----
head -c $((2 << 20)) /dev/urandom >"$T/bios.bin"
run 0 "" "--ifd -i BIOS:FILE write (the chip's descriptor)" -- \
	$SF -q $DUMMY --ifd -i "BIOS:$T/bios.bin" write
check "--ifd: BIOS holds the file" cmp -s "$T/bios.bin" <(tail -c $((2 << 20)) "$T/chip.bin")
check "--ifd: the descriptor and ME kept" cmp -s <(head -c $((2 << 20)) "$T/chip.bin") <(head -c $((2 << 20)) "$T/ifd.bin")
run 0 "" "--ifd -i ME read (the chip's descriptor)" -- $SF -q $DUMMY --ifd -i ME -f "$T/me.bin" read
check "--ifd -i ME read: 0x1000-0x1fffff" cmp -s "$T/me.bin" <(head -c $((2 << 20)) "$T/ifd.bin" | tail -c +$((0x1001)))
cp "$T/chip.bin" "$T/whole.bin"
printf 'qq' | dd of="$T/whole.bin" bs=1 seek=$((0x300000)) conv=notrunc status=none
run 0 "" "--ifd -i BIOS -f whole image write (the image's descriptor)" -- \
	$SF -q $DUMMY --ifd -i BIOS -f "$T/whole.bin" write
check "--ifd from the image: the chip equals the image" cmp -s "$T/chip.bin" "$T/whole.bin"
head -c $((4 << 20)) /dev/urandom >"$T/nodesc.bin"
run 2 "no Intel flash descriptor" "--ifd on an image without one" -- \
	$SF $DUMMY --ifd -i BIOS -f "$T/nodesc.bin" verify
e2e_summary
