/*
 * ops: detection, range checks, status registers, read, verify, blank.
 */
#include "ops.h"
#include "ops_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define READ_TRIES 3

void ops_init(struct ops *o, struct dev *d, ops_progress_fn fn, void *arg)
{
	memset(o, 0, sizeof(*o));
	o->dev = d;
	o->progress = fn;
	o->progress_arg = arg;
}

const char *ops_strerror(int err)
{
	switch (err) {
	case OPS_E_NOCHIP:    return "no chip answered";
	case OPS_E_UNKNOWN:   return "unknown chip";
	case OPS_E_RANGE:     return "range outside the chip";
	case OPS_E_PROTECTED: return "chip is write protected";
	case OPS_E_MISMATCH:  return "verify mismatch";
	case OPS_E_UNSTABLE:  return "reads are unstable";
	case OPS_E_NOMEM:     return "out of memory";
	case OPS_E_NOTBLANK:  return "not blank";
	case OPS_E_STUCK:     return "the chip did not take the write";
	default:              return dev_strerror(err);
	}
}

int ops_fail(struct ops *o, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->msg, sizeof(o->msg), fmt, ap);
	va_end(ap);
	return err;
}

void ops_report(struct ops *o, const char *phase, uint64_t done, uint64_t total)
{
	if (o->progress)
		o->progress(o->progress_arg, phase, done, total);
}

int ops_check_range(struct ops *o, uint64_t addr, uint64_t len)
{
	uint32_t size = o->chip.size;

	if (addr >= size)
		return ops_fail(o, OPS_E_RANGE,
				"offset 0x%llx is past the end of the %u KiB chip %s (last byte 0x%x)",
				(unsigned long long)addr, size / 1024, o->chip.name, size - 1);
	if (len == 0)
		return ops_fail(o, OPS_E_RANGE, "length is zero: nothing to do");
	if (addr + len > size)
		return ops_fail(o, OPS_E_RANGE,
				"range 0x%llx-0x%llx runs past the end of the %u KiB chip %s (last byte 0x%x)",
				(unsigned long long)addr, (unsigned long long)(addr + len - 1),
				size / 1024, o->chip.name, size - 1);
	return 0;
}

int ops_chip_crc(struct ops *o, uint32_t addr, uint32_t len, uint32_t *crc)
{
	int err = dev_crc32(o->dev, addr, len, crc);

	if (err)
		return ops_fail(o, err, "computing the CRC of 0x%06x-0x%06x", addr, addr + len - 1);
	return 0;
}

static uint32_t pow2_floor(uint32_t n)
{
	uint32_t p = 1;

	while (p * 2 <= n)
		p *= 2;
	return p;
}

int ops_read_block(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len)
{
	uint32_t chunk = pow2_floor((uint32_t)dev_read_max(o->dev)), done, dcrc;
	int err, try;

	for (try = 0; try < READ_TRIES; try++) {
		for (done = 0; done < len; ) {
			uint32_t n = len - done < chunk ? len - done : chunk;

			/* keep chunks aligned so they never straddle pages */
			if ((addr + done) % chunk && n > chunk - (addr + done) % chunk)
				n = chunk - (addr + done) % chunk;
			err = dev_read(o->dev, addr + done, buf + done, (uint16_t)n);
			if (err)
				return ops_fail(o, err, "reading 0x%06x", addr + done);
			done += n;
			o->stats.bytes_read += n;
		}
		if (!(o->dev->hello.caps & PROTO_CAP_CRC32))
			return 0;
		err = ops_chip_crc(o, addr, len, &dcrc);
		if (err)
			return err;
		if (dcrc == (uint32_t)crc32(0L, buf, len))
			return 0;
	}
	return ops_fail(o, OPS_E_UNSTABLE,
			"reads of 0x%06x-0x%06x disagree with the chip's own CRC %d times; check the clip, wires and power",
			addr, addr + len - 1, READ_TRIES);
}

int ops_read(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len)
{
	uint32_t done = 0;
	int err;

	ops_report(o, "read", 0, len);
	while (done < len) {
		/* blocks on the 4 KiB grid, so a CRC failure names a sector */
		uint32_t a = addr + done;
		uint32_t n = OPS_SECTOR - a % OPS_SECTOR;

		if (n > len - done)
			n = len - done;
		err = ops_read_block(o, a, buf + done, n);
		if (err)
			return err;
		done += n;
		ops_report(o, "read", done, len);
	}
	return 0;
}

/* First differing byte of a block that failed its CRC. */
static int find_difference(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len)
{
	uint8_t *got = malloc(len);
	uint32_t i;
	int err;

	if (!got)
		return OPS_E_NOMEM;
	err = ops_read_block(o, addr, got, len);
	if (err)
		goto out;
	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	if (i == len) {
		/* the CRC said different, the bytes say equal: a flaky read */
		err = ops_fail(o, OPS_E_UNSTABLE,
			       "verify of 0x%06x-0x%06x: CRC and data disagree; check the clip, wires and power",
			       addr, addr + len - 1);
		goto out;
	}
	o->bad_addr = addr + i;
	o->bad_chip = got[i];
	o->bad_want = want[i];
	err = ops_fail(o, OPS_E_MISMATCH, "verify failed at 0x%06x: chip has 0x%02x, file has 0x%02x",
		       addr + i, got[i], want[i]);
out:
	free(got);
	return err;
}

int ops_verify(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len)
{
	uint32_t done = 0, dcrc;
	int err;

	ops_report(o, "verify", 0, len);
	while (done < len) {
		uint32_t a = addr + done;
		uint32_t n = OPS_SECTOR - a % OPS_SECTOR;

		if (n > len - done)
			n = len - done;
		if (o->dev->hello.caps & PROTO_CAP_CRC32) {
			err = ops_chip_crc(o, a, n, &dcrc);
			if (err)
				return err;
			if (dcrc != (uint32_t)crc32(0L, want + done, n))
				return find_difference(o, a, want + done, n);
		} else {
			err = find_difference(o, a, want + done, n);
			if (err != OPS_E_UNSTABLE)
				return err;
		}
		done += n;
		ops_report(o, "verify", done, len);
	}
	return 0;
}

int ops_blank(struct ops *o, uint32_t addr, uint32_t len)
{
	uint32_t done = 0, first;
	uint8_t b;
	int err;

	ops_report(o, "blank", 0, len);
	while (done < len) {
		uint32_t n = len - done > 65536 ? 65536 : len - done;

		err = dev_blank(o->dev, addr + done, n, &first);
		if (err)
			return ops_fail(o, err, "blank checking 0x%06x", addr + done);
		if (first != 0xFFFFFFFFu) {
			err = dev_read(o->dev, first, &b, 1);
			if (err)
				return ops_fail(o, err, "reading 0x%06x", first);
			o->bad_addr = first;
			o->bad_chip = b;
			o->bad_want = 0xFF;
			return ops_fail(o, OPS_E_NOTBLANK, "not blank: byte at 0x%06x is 0x%02x", first, b);
		}
		done += n;
		ops_report(o, "blank", done, len);
	}
	return 0;
}
