#!/usr/bin/env bash
# The stream's block loops in assembly (hal_arduino_loops.cpp) against their
# portable C (fw_stream.c): the sketch built each way (build/spiflash.elf and
# build/fw-unoc/spiflash.elf) answers the same READ_STREAM requests with the
# same bytes, byte for byte, over an image with random data, zeros, runs of
# 254 and more non-zero bytes, and erased blocks; the capture decodes to the
# image.  Likewise with runs of blank blocks sent as one frame (BLANK_RUN),
# over erased space with single bytes set where a run's chunks begin, end
# and meet, read in the assembly's timed loop and the C build's polled one.  Then the frame decoder's copy loop (proto.c, assembly against C):
# the same image written through each, pages two in flight at 2 Mbaud,
# lands in both chips with no frame refused; 256 KiB of random pages at 2
# Mbaud keep three requests in flight with no overrun.  Every run is
# bounded by timeout.
set -u
. tests/e2e/lib.sh

T=$E2E_TMP
C_ELF=build/fw-unoc/spiflash.elf
CAP=tests/e2e/stream_capture.py

# 16 KiB: random, zeros, 0x01 runs, erased, alternating zero/random, random
python3 - "$T/chip.bin" <<'PY'
import os, sys
img = bytearray(os.urandom(4096))
img += b'\x00' * 1024 + b'\x01' * 1024 + b'\xff' * 2048
img += bytes(b if i % 2 else 0 for i, b in enumerate(os.urandom(2048)))
img += os.urandom(1000) + b'\x00' + os.urandom(254) + b'\x00' + os.urandom(300)
img += b'\xff' * (16384 - len(img) - 100) + os.urandom(100)
img += b'\xff' * (1024 * 1024 - len(img))
# erased 64 KiB from 64 KiB on, a byte here and there: the first and last
# of a block, of a 4 KiB chunk, of the range
for off in (12288, 16383, 20480 + 7 * 512, 33000, 47103, 47104, 65535):
    img[65536 + off] = 0x7E
open(sys.argv[1], 'wb').write(img)
PY

capture() {   # capture ELF NAME: the three requests' bytes into $T/NAME.*
	local elf=$1 name=$2 dev rc
	cp "$T/chip.bin" "$T/$name.bin"
	EMU_ELF=$elf emu_start "$name" --chip W25Q80 --image "$T/$name.bin" || return 1
	dev=EMU_DEV_$name
	dev=${!dev}
	# checked and blank-skipping, checked only, and odd block sizes
	timeout 60 python3 "$CAP" "$dev" 0 16384 512 7 "$T/$name.a" &&
	timeout 60 python3 "$CAP" "$dev" 0 8192 512 5 "$T/$name.b" &&
	timeout 60 python3 "$CAP" "$dev" 4097 5000 300 5 "$T/$name.c" &&
	timeout 60 python3 "$CAP" "$dev" 65536 65536 512 15 "$T/$name.d" &&
	timeout 60 python3 "$CAP" "$dev" 65636 30001 300 15 "$T/$name.e"
	rc=$?
	emu_stop "$name"
	return $rc
}

if [ ! -e "$C_ELF" ]; then
	fail "the C build of the sketch exists ($C_ELF: make all)"
	e2e_summary
	exit 1
fi
check "the assembly build answers three streams" capture build/spiflash.elf asm
check "the C build answers three streams" capture "$C_ELF" c
for r in a b c d e; do
	check "stream $r: at least one block's worth of bytes" test "$(stat -c %s "$T/asm.$r" 2>/dev/null || echo 0)" -gt 300
	check "stream $r: assembly and C sent the same bytes" cmp "$T/asm.$r" "$T/c.$r"
done
# the bytes are right, not only equal: decode the first capture
check "stream a decodes to the image, every block confirmed" python3 - "$T/asm.a" "$T/chip.bin" <<'PY'
import struct, sys, zlib
sys.path.insert(0, 'tests/e2e')
from stream_capture import frames
raw = open(sys.argv[1], 'rb').read()
img = open(sys.argv[2], 'rb').read()
data, checks = bytearray(), []
for typ, seq, pl in frames(raw):
    if typ == 0xD0:
        checks.append(struct.unpack('<I', pl[:4])[0]); data += pl[4:]
    elif typ == 0xD1:
        checks.append(struct.unpack('<I', pl[:4])[0]); data += b'\xff' * struct.unpack('<H', pl[4:6])[0]
    elif typ == 0x90:
        assert pl[0] == 0, 'stream status'
        checks.append(struct.unpack('<I', pl[1:5])[0])
assert bytes(data) == img[:16384], 'data'
want = [zlib.crc32(struct.pack('<I', a)) for a in range(0, 16384, 512)]
assert checks[1:] == want, 'checks'
PY

# runs of blank blocks: the bytes, and the chain of checks across them
for r in d e; do
	check "stream $r: runs of blank blocks decode to the image, every check in its place" \
		python3 - "$T/asm.$r" "$T/chip.bin" "$r" <<'PY'
import struct, sys, zlib
sys.path.insert(0, 'tests/e2e')
from stream_capture import frames
raw = open(sys.argv[1], 'rb').read()
img = open(sys.argv[2], 'rb').read()
base, length, block = {'d': (65536, 65536, 512), 'e': (65636, 30001, 300)}[sys.argv[3]]
def check_of(addr):
    return zlib.crc32(struct.pack('<I', addr))
data, last, runs, seq, ended = bytearray(), None, 0, 0x42, False
for typ, fseq, pl in frames(raw):
    at = base + len(data)
    if typ == 0x90:
        assert pl[0] == 0 and check_of(last) == struct.unpack('<I', pl[1:5])[0], 'END check'
        ended = True
        continue
    assert typ in (0xD0, 0xD1) and fseq == seq, 'frame %02x seq %d, want %d' % (typ, fseq, seq)
    check = struct.unpack('<I', pl[:4])[0]
    assert last is None or check == check_of(last), 'check of 0x%x' % last
    if typ == 0xD0:
        n = len(pl) - 4; data += pl[4:]
    elif len(pl) == 6:
        n = struct.unpack('<H', pl[4:6])[0]; data += b'\xff' * n
    else:
        addr, n = struct.unpack('<II', pl[4:12])
        assert addr == at and (n % block == 0 or at + n == base + length), 'run at 0x%x' % addr
        data += b'\xff' * n
        runs += 1
    blocks = (n + block - 1) // block
    last = at + (blocks - 1) * block
    seq = (seq + blocks) & 0xFF
assert ended, 'END answer'
assert bytes(data) == img[base:base + length], 'data'
assert runs >= 3, 'runs: %d' % runs
PY
done

# The decoder: every PROGRAM frame crosses its copy loop (zeros end COBS
# blocks, runs of 254 and more fill them); and each page crosses the page
# loop that shifts it out to the chip (hal_spi_write's spi_write_run), by
# hand in the one build and in C in the other
head -c 16384 "$T/chip.bin" >"$T/img16.bin"
write_through() {   # write_through ELF NAME: the image written into a random chip
	local elf=$1 name=$2 dev rc
	head -c $((1024 * 1024)) /dev/urandom >"$T/w-$name.bin"
	EMU_ELF=$elf emu_start "w$name" --chip W25Q80 --image "$T/w-$name.bin" || return 1
	dev=EMU_DEV_w$name
	dev=${!dev}
	timeout 120 build/spiflash -vvv -d "$dev" --rate 2000000 --no-backup -f "$T/img16.bin" write \
		>/dev/null 2>"$T/w-$name.err"
	rc=$?
	emu_stop "w$name"
	[ "$rc" = 0 ] && cmp -s -n 16384 "$T/img16.bin" "$T/w-$name.bin"
}
check "a write through the assembly decoder lands" write_through build/spiflash.elf asm
check "a write through the C decoder lands" write_through "$C_ELF" c
for n in asm c; do
	check "$n decoder: pages went two in flight" grep -q "(2 in flight)" "$T/w-$n.err"
done
# the C loop is too slow for 2 Mbaud with zeros in the pages (its ring
# overflows, and the pages are sent again); the assembly keeps up
check "asm decoder: no frame refused" sh -c "! grep -q FRAME_ERR '$T/w-asm.err'"

# 256 KiB of random pages at 2 Mbaud, long enough for the pipeline's
# steady state: three whole PROGRAMs in flight (the third buffer, RX3) and
# a fourth in parts, and the receive ring never overflows (no FRAME_ERR,
# no step back to whole requests or two in flight)
head -c $((256 * 1024)) /dev/urandom >"$T/img256.bin"
steady() {
	local dev rc
	head -c $((1024 * 1024)) /dev/urandom >"$T/w-steady.bin"
	emu_start steady --chip W25Q80 --image "$T/w-steady.bin" || return 1
	timeout 300 build/spiflash -vvv -d "$EMU_DEV_steady" --rate 2000000 --no-backup \
		-f "$T/img256.bin" write >/dev/null 2>"$T/w-steady.err"
	rc=$?
	emu_stop steady
	[ "$rc" = 0 ] && cmp -s -n $((256 * 1024)) "$T/img256.bin" "$T/w-steady.bin"
}
check "256 KiB at 2 Mbaud lands" steady
check "three whole PROGRAMs in flight and a fourth in parts" \
	grep -q "(3 in flight), the first part" "$T/w-steady.err"
check "no frame refused, no step back" \
	sh -c "! grep -q 'FRAME_ERR\|whole ones only\|two requests in flight\|one page at a time' '$T/w-steady.err'"

# A slow SPI clock under a fast line: a page goes to the chip in pieces of
# the same time as at 8 MHz (hal_spi_piece), the receive ring looked at
# between them; in 64-byte pieces at 1 MHz (0.5 ms each) it overflowed
slow_clock() {   # slow_clock HZ
	local dev rc
	head -c $((1024 * 1024)) /dev/urandom >"$T/w-slow.bin"
	emu_start slow --chip W25Q80 --image "$T/w-slow.bin" || return 1
	timeout 300 build/spiflash -vvv -d "$EMU_DEV_slow" --rate 2000000 --spi-speed "$1" \
		--no-backup -f "$T/img16.bin" write >/dev/null 2>"$T/w-slow-$1.err"
	rc=$?
	emu_stop slow
	[ "$rc" = 0 ] && cmp -s -n 16384 "$T/img16.bin" "$T/w-slow.bin"
}
for hz in 1M 125k; do
	check "SPI at $hz, 2 Mbaud: the write lands" slow_clock $hz
	check "SPI at $hz, 2 Mbaud: no frame refused" \
		sh -c "! grep -q 'FRAME_ERR\|again' '$T/w-slow-$hz.err'"
done
e2e_summary
