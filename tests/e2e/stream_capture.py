#!/usr/bin/env python3
"""stream_capture.py DEVICE ADDR LEN BLOCK FLAGS OUT: send one READ_STREAM
request (PROTOCOL.md) at 115200 and write every byte the device answers
until its END answer and 200 ms of quiet into OUT.  Raw bytes, so that two
firmware builds can be compared byte for byte (tests/e2e/test_stream_asm.sh).
Imported, it lends that test frames(): the frames of such a capture."""
import os, select, struct, sys, termios, time, tty

def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc

def cobs(body):
    out, block = bytearray(), bytearray()
    for b in body:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
            continue
        block.append(b)
        if len(block) == 254:
            out += b'\xff' + block
            block = bytearray()
    out += bytes([len(block) + 1]) + block
    return out

def uncobs(enc):
    out, i = bytearray(), 0
    while i < len(enc):
        code = enc[i]; out += enc[i + 1:i + code]; i += code
        if code != 0xFF and i < len(enc):
            out.append(0)
    return bytes(out)

def frames(raw):
    """(type, seq, payload) of each frame in raw, its CRC-16 checked"""
    for f in raw.split(b'\x00'):
        if b'\xa5' not in f:
            continue
        body = uncobs(f[f.index(b'\xa5') + 1:])
        assert crc16(body[:-2]) == struct.unpack('<H', body[-2:])[0], 'frame CRC'
        yield body[0], body[1], body[2:-2]

def frame(typ, seq, payload):
    body = bytes([typ, seq]) + payload
    body += struct.pack('<H', crc16(body))
    return b'\xa5' + cobs(body) + b'\x00'

def main():
    dev, addr, length, block, flags, out = sys.argv[1:7]
    fd = os.open(dev, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    a = termios.tcgetattr(fd)
    a[4] = a[5] = termios.B115200
    termios.tcsetattr(fd, termios.TCSANOW, a)
    # drop the READY frame and anything else said before we came
    time.sleep(0.3)
    termios.tcflush(fd, termios.TCIFLUSH)
    req = struct.pack('<IIHB', int(addr, 0), int(length, 0), int(block, 0), int(flags, 0))
    os.write(fd, frame(0x10, 0x42, req))
    got = bytearray()
    end = time.time() + 60
    quiet = None
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            if quiet:
                break
            continue
        got += os.read(fd, 4096)
        # the END answer: type 0x90, seq 0x42 (COBS leaves both in place
        # unless they are zero, which they are not)
        if not quiet and b'\xa5' in got and bytes([0x90, 0x42]) in got:
            quiet = True
    with open(out, 'wb') as f:
        f.write(got)

if __name__ == '__main__':
    main()
