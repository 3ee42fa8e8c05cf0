#!/usr/bin/env bash
# Cross-checks build/insp-tool (client/inspect) against independent tools on
# real images: coreboot's ifdtool, cbfstool and fmaptool, OVMF's firmware
# volumes against UEFIExtract and plain od/grep, U-Boot's mkimage, dtc and
# mksquashfs/unsquashfs.  Every tool must be installed (see the packages in
# the report of the commit that added this); a missing one is a failure.
# Run from the repository root; BUILD overrides build/.
set -u
build=${BUILD:-build}
tool="$build/insp-tool"
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# same WHAT EXPECTED ACTUAL: compares two (multi-line) texts
same() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		fail "$1"
		diff <(echo "$2") <(echo "$3") | head -n 20
	fi
}

# has WHAT FILE TEXT: FILE contains the fixed string TEXT
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in $(head -c 600 "$2")"; fi
}

# put32 FILE OFFSET VALUE: a little-endian 32-bit word into FILE
put32() {
	local v=$3
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $(((v >> 8) & 255)) \
		$(((v >> 16) & 255)) $(((v >> 24) & 255)))" |
		dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

ff_image() { head -c "$2" /dev/zero | tr '\0' '\377' >"$1"; }
flreg() { echo $(((($2 >> 12) << 16) | ($1 >> 12))); }

for t in ifdtool cbfstool fmaptool UEFIExtract mkimage dtc mksquashfs unsquashfs python3 od; do
	if command -v "$t" >/dev/null; then ok "tool $t present"; else fail "tool $t missing"; fi
done
if [ ! -x "$tool" ]; then
	fail "$tool not built (make -f client/inspect/inspect.mk BUILD=$build $tool)"
	echo "$passed passed, $failed failed"
	exit 1
fi

# ---- Intel flash descriptor, against ifdtool -d ----

# ifdtool's region names and ours
ifd_name() {
	case "$1" in
	"Flash Descriptor") echo Descriptor ;; "Intel ME") echo ME ;;
	"Platform Data") echo PD ;; "Host CPU/BIOS") echo BIOS ;; *) echo "$1" ;;
	esac
}

# "FLREGn raw base limit used|unused" per region, from ifdtool -d
ifdtool_regions() {
	local raw=
	while IFS= read -r l; do
		if [[ $l =~ ^FLREG([0-9]+):\ +0x([0-9a-f]+) ]]; then
			raw=${BASH_REMATCH[2]}
		elif [[ $l =~ ^\ +Flash\ Region\ ([0-9]+)\ \((.*)\):\ ([0-9a-f]+)\ -\ ([0-9a-f]+)\ ?(.*)$ ]]; then
			echo "FLREG${BASH_REMATCH[1]} $raw $(ifd_name "${BASH_REMATCH[2]}") ${BASH_REMATCH[3]} ${BASH_REMATCH[4]} $([ -n "${BASH_REMATCH[5]}" ] && echo unused || echo used)"
		fi
	done
}

# the same from insp-tool, only for the indexes listed in $2
insp_regions() {
	grep -E '^  FLREG[0-9]+:' "$1" | sed 's/ PAST END//' |
		awk -v want=" $2 " '{ i = substr($1, 6) + 0; if (index(want, " " i " ")) \
			print "FLREG" i, substr($2, 3), $3, $4, $6, ($7 == "(unused)" ? "unused" : "used") }'
}

# "MASTER REGION r w" lines, from ifdtool -d
ifdtool_access() {
	local m=
	while IFS= read -r l; do
		if [[ $l =~ ^FLMSTR([0-9]):\ +0x[0-9a-f]+\ \((.*)\) ]]; then
			m=${BASH_REMATCH[1]}
		elif [[ -n $m && $l =~ ^\ +(.*)\ (Region\ )?(Read|Write)\ Access:\ +(enabled|disabled) ]]; then
			local reg=${BASH_REMATCH[1]}
			reg=${reg% Region}
			echo "$m $(ifd_name "$reg") ${BASH_REMATCH[3]} ${BASH_REMATCH[4]}"
		fi
	done | sort
}

# the same from insp-tool's "FLMSTRn: 0x... (X) Descriptor=r- BIOS=rw ..." lines,
# for the regions named in $2
insp_access() {
	grep -E '^  FLMSTR[0-9]:' "$1" | while read -r name _ _ rest; do
		m=${name#FLMSTR}
		m=${m%:}
		for kv in $rest; do
			r=${kv%%=*}
			a=${kv#*=}
			case " $2 " in *" $r "*) ;; *) continue ;; esac
			echo "$m $r Read $([ "${a:0:1}" = r ] && echo enabled || echo disabled)"
			echo "$m $r Write $([ "${a:1:1}" = w ] && echo enabled || echo disabled)"
		done
	done | sort
}

# FLMAPn fields as "NAME value" lines
ifdtool_maps() {
	grep -E '^(FLMAP[0-2]:|  (NR|FRBA|NC|FCBA|ISL|FPSBA|NM|FMBA|PSL|FMSBA):)' |
		awk '{ sub(":", "", $1); print $1, $2 }'
}
insp_maps() {
	grep -E '^  FLMAP[0-2]:' "$1" | awk '{ sub(":", "", $1); print $1, $2; \
		for (i = 3; i < NF; i += 2) print $i, $(i + 1) }' | sort
}

# A version 1 descriptor in a 4 MiB image: ME 0x1000-0x1fffff,
# BIOS 0x200000-0x3fffff, GbE and PD unused; masters as argument 2..4.
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
	put32 "$1" 0x60 "$2"
	put32 "$1" 0x64 "$3"
	put32 "$1" 0x68 "$4"
	put32 "$1" 0x300000 0x12345678	# content, so the halves differ
	put32 "$1" 0x100000 0x9abcdef0
	put32 "$1" 0xefc 0
}

# compare_ifd IMAGE LABEL "REGION INDEXES" "REGION NAMES" [ifdtool options]
compare_ifd() {
	local img=$1 label=$2 idx=$3 names=$4
	shift 4
	if ! ifdtool "$@" -d "$img" >"$tmp/ifd.txt" 2>&1; then
		fail "$label: ifdtool -d failed: $(tail -n 3 "$tmp/ifd.txt")"
		return
	fi
	"$tool" identify "$img" >"$tmp/insp.txt"
	ifdtool_maps <"$tmp/ifd.txt" | sort >"$tmp/their_maps"
	ifdtool_access <"$tmp/ifd.txt" >"$tmp/their_acc"
	# only the fields and masters that this ifdtool prints for this layout
	same "$label: FLMAP fields" "$(cat "$tmp/their_maps")" \
		"$(insp_maps "$tmp/insp.txt" | awk 'NR == FNR { k[$1] = 1; next } $1 in k' "$tmp/their_maps" -)"
	same "$label: regions" "$(ifdtool_regions <"$tmp/ifd.txt")" "$(insp_regions "$tmp/insp.txt" "$idx")"
	same "$label: master access" "$(cat "$tmp/their_acc")" \
		"$(insp_access "$tmp/insp.txt" "$names" | awk 'NR == FNR { k[$1] = 1; next } $1 in k' "$tmp/their_acc" -)"
}

make_ifd_v1 "$tmp/ifd1.bin" 0x0a0b0000 0x0c0d0000 0x08080118
compare_ifd "$tmp/ifd1.bin" "ifd v1" "0 1 2 3 4" "Descriptor BIOS ME GbE PD"
has "ifd v1: ME locked note" "$tmp/insp.txt" "ME region is locked (BIOS cannot read/write)"
has "ifd v1: descriptor read-only note" "$tmp/insp.txt" "descriptor is read-only for host"

# ifdtool -u unlocks (host may read and write everything), -l locks again
ifdtool -u -O "$tmp/ifd1u.bin" "$tmp/ifd1.bin" >/dev/null 2>&1
compare_ifd "$tmp/ifd1u.bin" "ifd v1 after ifdtool -u" "0 1 2 3 4" "Descriptor BIOS ME GbE PD"
has "ifd -u: descriptor writable note" "$tmp/insp.txt" "descriptor is writable by host"
if grep -q "is locked" "$tmp/insp.txt"; then fail "ifd -u: still says locked"; else ok "ifd -u: nothing locked"; fi
ifdtool -l -O "$tmp/ifd1l.bin" "$tmp/ifd1u.bin" >/dev/null 2>&1
compare_ifd "$tmp/ifd1l.bin" "ifd v1 after ifdtool -l" "0 1 2 3 4" "Descriptor BIOS ME GbE PD"
has "ifd -l: ME locked note" "$tmp/insp.txt" "ME region is locked"

# version 2 (Skylake on): 17 MHz read clock, FMBA 0x80 (16 FLREGs),
# a 15-bit region base, the EC region; ifdtool needs the platform
make_ifd_v1 "$tmp/ifd2.bin" 0 0 0
put32 "$tmp/ifd2.bin" 0x18 0x12100208
put32 "$tmp/ifd2.bin" 0x30 $((6 << 17))
put32 "$tmp/ifd2.bin" 0x44 "$(flreg 0x200000 0x3fffff)"
for i in 5 6 7 9 10 11 12 13 14 15; do put32 "$tmp/ifd2.bin" $((0x40 + 4 * i)) 0x00007fff; done
put32 "$tmp/ifd2.bin" 0x60 "$(flreg 0x180000 0x1fffff)"	# EC
put32 "$tmp/ifd2.bin" 0x48 "$(flreg 0x1000 0x17ffff)"	# ME
put32 "$tmp/ifd2.bin" 0x80 $(((1 << 8) | (1 << 9) | (1 << 16) | (1 << 21) | (1 << 28)))
put32 "$tmp/ifd2.bin" 0x84 $(((1 << 10) | (1 << 22) | (1 << 8)))
put32 "$tmp/ifd2.bin" 0x88 $(((1 << 11) | (1 << 23)))
put32 "$tmp/ifd2.bin" 0x8c 0
put32 "$tmp/ifd2.bin" 0x90 $(((1 << 16) | (1 << 28) | (1 << 8)))	# EC master: EC rw, Descriptor r
compare_ifd "$tmp/ifd2.bin" "ifd v2 (-p sklkbl)" "0 1 2 3 4 8" "Descriptor BIOS ME GbE PD EC" -p sklkbl
has "ifd v2: version 2 layout" "$tmp/insp.txt" "(version 2)"
has "ifd v2: EC readable and writable by BIOS" "$tmp/insp.txt" "EC=rw"
if grep -q '^5 EC Write enabled' "$tmp/their_acc"; then ok "ifd v2: FLMSTR5 (EC) compared"; else fail "ifd v2: FLMSTR5 not in ifdtool output"; fi

# a region past the end: the 4 MiB descriptor cut to 2 MiB
head -c $((2 << 20)) "$tmp/ifd1.bin" >"$tmp/ifdcut.bin"
"$tool" identify "$tmp/ifdcut.bin" >"$tmp/insp.txt"
has "ifd cut: BIOS past the end" "$tmp/insp.txt" "region BIOS (0x00200000-0x003fffff) runs past the end"

# ---- CBFS and FMAP, against cbfstool print / layout ----

yes "compressible text for cbfs" | head -c 20000 >"$tmp/txt"
head -c 3000 /dev/urandom >"$tmp/rnd"

# "name|offset|type|size|comp" from cbfstool print
cbfstool_files() {
	sed -nE 's/^(.*[^ ]) +(0x[0-9a-f]+) +(.*[^ ]) +([0-9]+) +(none|LZMA|LZ4).*/\1|\2|\3|\4|\5/p'
}
insp_files() {
	sed -nE 's/^  file (0x[0-9a-f]+) (.*) ([0-9]+) (none|LZMA|LZ4|\?) (.*)$/\5|\1|\2|\3|\4/p' "$1" |
		sed 's/ PAST END|/|/'
}

compare_cbfs() {
	local img=$1 label=$2
	if ! cbfstool "$img" print >"$tmp/cbfs.txt" 2>&1; then
		fail "$label: cbfstool print failed"
		return
	fi
	"$tool" identify "$img" >"$tmp/insp.txt"
	same "$label: CBFS files" "$(cbfstool_files <"$tmp/cbfs.txt")" "$(insp_files "$tmp/insp.txt")"
}

cbfstool "$tmp/c1.bin" create -m x86 -s 1M >/dev/null 2>&1
cbfstool "$tmp/c1.bin" add -f "$tmp/rnd" -n foo/bar -t raw >/dev/null 2>&1
cbfstool "$tmp/c1.bin" add -f "$tmp/txt" -n t.lz4 -t raw -c lz4 >/dev/null 2>&1
cbfstool "$tmp/c1.bin" add -f "$tmp/txt" -n t.lzma -t raw -c lzma >/dev/null 2>&1
cbfstool "$tmp/c1.bin" add -f "$tmp/rnd" -n "with space" -t raw -a 4096 >/dev/null 2>&1
compare_cbfs "$tmp/c1.bin" "cbfs x86"
# the master header: where the last 4 bytes point, fields from od
ptr=$(od -An -tx4 -j $((0x100000 - 4)) -N 4 "$tmp/c1.bin" | tr -d ' ')
hdr=$((0x100000 - (0x100000000 - 0x$ptr)))
fields=$(od -An -tx1 -j $hdr -N 28 -v "$tmp/c1.bin" | tr -d ' \n' | sed -E 's/(.{8})/\1 /g')
read -r magic ver rom bb align off arch <<<"$fields"
has "cbfs x86: master header" "$tmp/insp.txt" "$(printf 'master header at 0x%x: version 0x%s romsize 0x%x bootblocksize 0x%x align 0x%x offset 0x%x arch 0x%s' \
	$hdr "$ver" $((0x$rom)) $((0x$bb)) $((0x$align)) $((0x$off)) "$arch")"
same "cbfs x86: master magic" "4f524243" "$magic"

cat >"$tmp/l.fmd" <<'EOF'
FLASH@0 0x100000 {
	BIOS@0 0x100000 {
		RW_STUFF@0 0x10000
		FMAP@0x10000 0x1000
		COREBOOT(CBFS)@0x11000 0xef000
	}
}
EOF
fmaptool "$tmp/l.fmd" "$tmp/l.fmap" >/dev/null 2>&1
cbfstool "$tmp/c2.bin" create -M "$tmp/l.fmap" >/dev/null 2>&1
cbfstool "$tmp/c2.bin" add -f "$tmp/rnd" -n hello -t raw >/dev/null 2>&1
cbfstool "$tmp/c2.bin" add -f "$tmp/txt" -n big.lz4 -t raw -c lz4 -a 4096 >/dev/null 2>&1
compare_cbfs "$tmp/c2.bin" "cbfs in fmap"
has "cbfs in fmap: walked from COREBOOT" "$tmp/insp.txt" "CBFS at 0x11000 - 0x100000"
# FMAP areas against cbfstool layout -w: "'NAME' (..., size N, offset O)"
same "fmap areas vs cbfstool layout" \
	"$(cbfstool "$tmp/c2.bin" layout -w 2>/dev/null | sed -nE "s/^'([^']+)' \(.*size ([0-9]+), offset ([0-9]+)\)$/\1 \2 \3/p" | sort)" \
	"$(sed -nE 's/^  area (0x[0-9a-f]+) size (0x[0-9a-f]+) flags 0x[0-9a-f]+ (.*)$/\3 \2 \1/p' "$tmp/insp.txt" |
		while read -r n s o; do echo "$n $((s)) $((o))"; done | sort)"
"$tool" identify "$tmp/l.fmap" >"$tmp/insp.txt"
has "fmaptool output: FMAP at 0" "$tmp/insp.txt" "FMAP at 0x0: \"FLASH\" v1.1 base 0x0 size 0x100000, 4 areas"

# ---- UEFI firmware volumes: OVMF.fd against UEFIExtract and od ----
ovmf=/usr/share/ovmf/OVMF.fd
if [ -f "$ovmf" ]; then
	cp "$ovmf" "$tmp/OVMF.fd"
	"$tool" identify "$tmp/OVMF.fd" >"$tmp/insp.txt"
	mine=$(sed -nE 's/^FV at 0x([0-9a-f]+) size 0x([0-9a-f]+) .*/\1 \2/p' "$tmp/insp.txt" |
		while read -r o s; do printf '%08X %08X\n' $((0x$o)) $((0x$s)); done)
	(cd "$tmp" && UEFIExtract OVMF.fd report >/dev/null 2>&1)
	theirs=$(awk -F'|' '$1 ~ /^ *Volume/ && $3 !~ /N\/A/ { gsub(/ /, "", $3); gsub(/ /, "", $4); print $3, $4 }' \
		"$tmp/OVMF.fd.report.txt")
	same "OVMF: volumes (offset, size) vs UEFIExtract" "$theirs" "$mine"
	[ "$(echo "$mine" | grep -c .)" -ge 3 ] && ok "OVMF: at least 3 volumes" || fail "OVMF: fewer than 3 volumes"
	# every 4 KiB aligned "_FVH" signature (at +40) is one of ours, and back
	sigs=$(grep -obUaF _FVH "$tmp/OVMF.fd" | cut -d: -f1 |
		while read -r p; do s=$((p - 40)); [ $((s % 4096)) -eq 0 ] && printf '%08X\n' $s; done)
	same "OVMF: volumes vs aligned _FVH signatures" "$sigs" "$(echo "$mine" | cut -d' ' -f1)"
	# header checksum and GUID of each, from od
	while read -r o s; do
		o=$((0x$o))
		hl=$(od -An -tu2 -j $((o + 48)) -N 2 "$tmp/OVMF.fd" | tr -d ' ')
		sum=$(od -An -tu2 -v -j $o -N "$hl" "$tmp/OVMF.fd" | tr -s ' ' '\n' | awk 'NF { s += $1 } END { print s % 65536 }')
		g=$(od -An -tx1 -v -j $((o + 16)) -N 16 "$tmp/OVMF.fd" | tr -d ' \n' | tr a-f A-F)
		guid="${g:6:2}${g:4:2}${g:2:2}${g:0:2}-${g:10:2}${g:8:2}-${g:14:2}${g:12:2}-${g:16:4}-${g:20:12}"
		[ "$sum" -eq 0 ] && ok "OVMF: FV at $o checksum sums to 0 (od)" || fail "OVMF: FV at $o checksum $sum"
		has "OVMF: FV at $o GUID $guid, checksum ok" "$tmp/insp.txt" \
			"$(printf 'FV at 0x%x size 0x%x guid %s' $o $((0x$s)) "$guid")"
		grep -F "$(printf 'FV at 0x%x ' $o)" "$tmp/insp.txt" | grep -q "checksum ok" &&
			ok "OVMF: FV at $o checksum ok" || fail "OVMF: FV at $o not checksum ok"
	done <<<"$mine"
	# a broken checksum
	cp "$tmp/OVMF.fd" "$tmp/bad.fd"
	printf '\x00\x00' | dd of="$tmp/bad.fd" bs=1 seek=$((0x20000 + 50)) conv=notrunc status=none
	"$tool" identify "$tmp/bad.fd" >"$tmp/insp.txt"
	has "OVMF: broken checksum flagged" "$tmp/insp.txt" "firmware volume at 0x20000 has a bad header checksum"
else
	fail "$ovmf missing (Debian package ovmf)"
fi

# ---- uImage, FIT, squashfs: mkimage, dtc, mksquashfs ----
head -c 5000 /dev/urandom >"$tmp/k.bin"
mkimage -A arm -O linux -T kernel -C none -a 0x8000 -e 0x8000 -n "Linux-test" -d "$tmp/k.bin" "$tmp/uI" >/dev/null
mkimage -f auto -A arm -O linux -T kernel -C none -a 0x8000 -e 0x8000 -d "$tmp/k.bin" "$tmp/fit.itb" >/dev/null
mkdir -p "$tmp/sqd" && echo hello >"$tmp/sqd/a"
mksquashfs "$tmp/sqd" "$tmp/sq.img" -noappend -quiet >/dev/null 2>&1
ff_image "$tmp/fw.bin" $((1 << 20))
dd if="$tmp/uI" of="$tmp/fw.bin" bs=1024 seek=64 conv=notrunc status=none
dd if="$tmp/fit.itb" of="$tmp/fw.bin" bs=1024 seek=128 conv=notrunc status=none
dd if="$tmp/sq.img" of="$tmp/fw.bin" bs=1024 seek=256 conv=notrunc status=none
"$tool" identify "$tmp/fw.bin" >"$tmp/insp.txt"
name=$(mkimage -l "$tmp/uI" | sed -n 's/^Image Name: *//p')
dsize=$(mkimage -l "$tmp/uI" | sed -nE 's/^Data Size: *([0-9]+) Bytes.*/\1/p')
has "uImage vs mkimage -l" "$tmp/insp.txt" \
	"uImage at 0x10000 size $((dsize + 64)) name \"$name\" header crc ok data crc ok"
dtc -I dtb -O dts "$tmp/fit.itb" >/dev/null 2>&1 && ok "dtc reads the FIT" || fail "dtc cannot read the FIT"
has "FIT: size is the file's" "$tmp/insp.txt" "FDT at 0x20000 size $(stat -c %s "$tmp/fit.itb") FIT version 17"
sqsize=$(unsquashfs -s "$tmp/sq.img" | sed -nE 's/^Filesystem size ([0-9]+) bytes.*/\1/p')
sqver=$(unsquashfs -s "$tmp/sq.img" | sed -nE 's/.*SQUASHFS ([0-9]+):([0-9]+) superblock.*/\1.\2/p')
has "squashfs vs unsquashfs -s" "$tmp/insp.txt" "squashfs at 0x40000 size $sqsize version $sqver"
printf 'X' | dd of="$tmp/fw.bin" bs=1 seek=$((0x10000 + 40)) conv=notrunc status=none
"$tool" identify "$tmp/fw.bin" >"$tmp/insp.txt"
has "uImage: corrupted name fails the header CRC" "$tmp/insp.txt" "header crc BAD"

# ---- image-level checks ----
ff_image "$tmp/blank.bin" $((1 << 20))
"$tool" identify "$tmp/blank.bin" >"$tmp/insp.txt"
has "blank image" "$tmp/insp.txt" "all 0xFF (erased/blank chip)"
head -c $((1 << 20)) /dev/zero >"$tmp/zero.bin"
"$tool" identify "$tmp/zero.bin" >"$tmp/insp.txt"
has "zero image" "$tmp/insp.txt" "all 0x00"
cat "$tmp/c1.bin" "$tmp/c1.bin" "$tmp/c1.bin" "$tmp/c1.bin" >"$tmp/rep.bin"
"$tool" identify "$tmp/rep.bin" >"$tmp/insp.txt"
has "4 MiB read of a 1 MiB chip" "$tmp/insp.txt" "image repeats every 1048576 bytes (4 copies)"
head -c 1000000 "$tmp/c1.bin" >"$tmp/odd.bin"
"$tool" identify "$tmp/odd.bin" >"$tmp/insp.txt"
has "odd size" "$tmp/insp.txt" "size 1000000 bytes is not a power of two"

# ---- JSON is JSON ----
for f in ifd1.bin ifd2.bin c1.bin c2.bin fw.bin OVMF.fd; do
	if "$tool" identify "$tmp/$f" --json | python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null; then
		ok "json of $f parses"
	else
		fail "json of $f does not parse"
	fi
done
"$tool" identify "$tmp/c2.bin" --json |
	python3 -c 'import json, sys; d = json.load(sys.stdin); assert [a["name"] for a in d["fmap"]["areas"]] == ["BIOS", "RW_STUFF", "FMAP", "COREBOOT"]' &&
	ok "json: FMAP area names" || fail "json: FMAP area names"

# ---- diff ----
cp "$tmp/c2.bin" "$tmp/c2b.bin"
printf '\x01\x02' | dd of="$tmp/c2b.bin" bs=1 seek=$((0x11000 + 0x40)) conv=notrunc status=none
printf '\x01' | dd of="$tmp/c2b.bin" bs=1 seek=$((0x11000 + 0x50)) conv=notrunc status=none
"$tool" diff "$tmp/c2.bin" "$tmp/c2b.bin" >"$tmp/diff.txt"
rc=$?
[ $rc -eq 1 ] && ok "diff: exit 1 when different" || fail "diff: exit $rc when different"
has "diff: RW_STUFF equal" "$tmp/diff.txt" "RW_STUFF equal"
# 3 bytes (unless random data already held them) in one merged range
if grep -qE '^COREBOOT differs \([1-3] bytes in 1 range\)' "$tmp/diff.txt"; then
	ok "diff: COREBOOT differs in one range"
else
	fail "diff: COREBOOT: $(cat "$tmp/diff.txt")"
fi
"$tool" diff "$tmp/c2.bin" "$tmp/c2.bin" >"$tmp/diff.txt"
rc=$?
[ $rc -eq 0 ] && ok "diff: exit 0 when equal" || fail "diff: exit $rc when equal"
has "diff: image equal" "$tmp/diff.txt" "image equal"
cp "$tmp/ifd1.bin" "$tmp/ifd1b.bin"
printf '\x55' | dd of="$tmp/ifd1b.bin" bs=1 seek=$((0x5000)) conv=notrunc status=none
"$tool" diff "$tmp/ifd1.bin" "$tmp/ifd1b.bin" >"$tmp/diff.txt"
has "diff: ME differs" "$tmp/diff.txt" "ME differs (1 bytes in 1 range)"
has "diff: BIOS equal" "$tmp/diff.txt" "BIOS equal"
"$tool" diff "$tmp/ifd1.bin" "$tmp/ifd1b.bin" --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
me = [r for r in d["regions"] if r["name"] == "ME"][0]
assert me["bytes"] == 1 and me["ranges"] == [{"offset": 0x5000, "len": 1}]' &&
	ok "diff json: ME range" || fail "diff json: ME range"

# ---- the fuzzer's seed corpus through the gcc/ASan build of the harness ----
if [ -x "$build/replay_inspect" ]; then
	for f in tests/fuzz/corpus/inspect/*; do
		if out=$("$build/replay_inspect" "$f" 2>&1); then
			ok "replay $f"
		else
			fail "replay $f: $(echo "$out" | tail -n 5)"
		fi
	done
else
	fail "$build/replay_inspect not built"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
