/*
 * ops: detection, range checks, status registers, read, verify, blank.
 */
#include "core/ops.h"
#include "core/ops_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define READ_TRIES 3
#define OPS_RESTREAM_ROUNDS 3
#define VERIFY_STRETCH (64u * 1024u)

void ops_init(struct ops *o, struct prog *p, ops_progress_fn fn, void *arg)
{
	memset(o, 0, sizeof(*o));
	o->prog = p;
	o->progress = fn;
	o->progress_arg = arg;
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
	int err = prog_crc32(o->prog, addr, len, crc);

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
	uint32_t chunk = pow2_floor((uint32_t)o->prog->read_max), done, dcrc;
	int err, try;

	for (try = 0; try < READ_TRIES; try++) {
		for (done = 0; done < len; ) {
			uint32_t n = len - done < chunk ? len - done : chunk;

			/* keep chunks aligned so they never straddle pages */
			if ((addr + done) % chunk && n > chunk - (addr + done) % chunk)
				n = chunk - (addr + done) % chunk;
			err = prog_read(o->prog, addr + done, buf + done, (uint16_t)n);
			/* every answer damaged: on a line this noisy a shorter
			 * answer gets through more often (at an error in 1000
			 * bytes, 6 in 10 answers of 512 bytes arrive intact, 9
			 * in 10 of 64), so halve the reads, down to 64 bytes */
			if (err == DEV_E_NOISY && chunk > 64) {
				chunk /= 2;
				continue;
			}
			if (err)
				return ops_fail(o, err, "reading 0x%06x", addr + done);
			done += n;
			o->stats.bytes_read += n;
		}
		if (!(o->prog->caps & PROTO_CAP_CRC32))
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

static int stream_progress(void *arg, uint32_t done)
{
	struct ops *o = arg;

	ops_report(o, "read", o->stream_base + done, o->stream_total);
	return 0;
}

/* Largest power of two the device streams in one block, at most 512. */
static uint16_t stream_block(const struct ops *o)
{
	uint32_t b = pow2_floor((uint32_t)o->prog->read_max);

	return (uint16_t)(b > 512 ? 512 : b);
}

/*
 * Stream again each run of blocks that did not come or were not confirmed:
 * a stream that broke off leaves the rest of its range, and a frame damaged
 * on a noisy line leaves its block and the block before it (whose check it
 * carried).  A short stream brings such a pair in one round trip, where a
 * READ and a CRC32 each took four (a 1 MiB read at 2 Mbaud with a byte in
 * 10^4 flipped: 9.3 -> 7.1 s).  A few rounds, while they bring blocks in.
 */
static int restream_runs(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len,
			 uint8_t flags, uint8_t *state)
{
	uint16_t block = stream_block(o);
	uint32_t nblocks = (len + block - 1) / block, i, j, k, got, off, n;
	unsigned round;
	int err;

	for (round = 0; round < OPS_RESTREAM_ROUNDS; round++) {
		for (i = 0, got = 0; i < nblocks; i = j) {
			for (; i < nblocks && state[i] == PROG_BLOCK_CONFIRMED; i++)
				;
			for (j = i; j < nblocks && state[j] != PROG_BLOCK_CONFIRMED; j++)
				;
			if (j == i)
				continue;
			off = i * block;
			n = (j == nblocks ? len : j * block) - off;
			o->stats.blocks_reread += j - i;
			err = prog_read_stream(o->prog, addr + off, n, block, flags, buf + off,
					      state + i, NULL, NULL);
			if (err)
				return ops_fail(o, err, "streaming 0x%06x-0x%06x again", addr + off,
						addr + off + n - 1);
			for (k = i; k < j; k++)
				got += state[k] == PROG_BLOCK_CONFIRMED;
		}
		if (!got)
			break;
	}
	return 0;
}

/*
 * One streamed pass over the range; the blocks that did not come confirmed
 * are streamed again, and blocks that still did not arrive intact, or
 * whose second read on the device disagreed, are read again one by one
 * with the device's CRC as the judge.
 */
static int read_pass(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len, int skip_blank)
{
	uint16_t block = stream_block(o);
	uint32_t nblocks = (len + block - 1) / block, i;
	uint8_t *state = malloc(nblocks);
	uint8_t flags = PROTO_STREAM_CHECK | (skip_blank ? PROTO_STREAM_SKIP_BLANK : 0);
	int err;

	if (!state)
		return ops_fail(o, OPS_E_NOMEM, "allocating %u bytes", nblocks);
	err = prog_read_stream(o->prog, addr, len, block, flags, buf, state, stream_progress, o);
	if (err) {
		err = ops_fail(o, err, "streaming 0x%06x-0x%06x", addr, addr + len - 1);
		goto out;
	}
	err = restream_runs(o, addr, buf, len, flags, state);
	if (err)
		goto out;
	for (i = 0; i < nblocks; i++) {
		uint32_t off = i * block, n = len - off < block ? len - off : block;

		if (state[i] == PROG_BLOCK_CONFIRMED)
			continue;
		o->stats.blocks_reread++;
		err = ops_read_block(o, addr + off, buf + off, n);
		if (err)
			goto out;
	}
	o->stats.bytes_read += len;
out:
	free(state);
	return err;
}

static int read_sectors(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len)
{
	uint32_t done = 0;
	int err;

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
		ops_report(o, "read", o->stream_base + done, o->stream_total);
	}
	return 0;
}

int ops_read(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len)
{
	int stream = (o->prog->caps & PROTO_CAP_STREAM) != 0;
	uint8_t *again = NULL;
	unsigned pass;
	uint32_t i;
	int err;

	o->stream_base = 0;
	o->stream_total = (uint64_t)len * (1 + o->read_passes);
	ops_report(o, "read", 0, o->stream_total);
	err = stream ? read_pass(o, addr, buf, len, 1) : read_sectors(o, addr, buf, len);
	if (err || !o->read_passes)
		return err;
	/* --read-passes: whole further reads, each compared with the first;
	 * blank blocks cross the line this time too */
	again = malloc(len);
	if (!again)
		return ops_fail(o, OPS_E_NOMEM, "allocating %u KiB", len / 1024);
	for (pass = 1; pass <= o->read_passes; pass++) {
		o->stream_base = (uint64_t)len * pass;
		err = stream ? read_pass(o, addr, again, len, 0) : read_sectors(o, addr, again, len);
		if (err)
			goto out;
		for (i = 0; i < len && again[i] == buf[i]; i++)
			;
		if (i < len) {
			err = ops_fail(o, OPS_E_UNSTABLE,
				       "read pass %u differs at 0x%06x (0x%02x, first pass 0x%02x); check the clip, wires and power",
				       pass + 1, addr + i, again[i], buf[i]);
			goto out;
		}
	}
out:
	free(again);
	return err;
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

/* Compare one stretch by the device's CRC; on a mismatch, narrow it down
 * sector by sector to the first differing byte. */
static int verify_stretch(struct ops *o, uint32_t a, const uint8_t *want, uint32_t n)
{
	uint32_t dcrc, done;
	int err;

	err = ops_chip_crc(o, a, n, &dcrc);
	if (err)
		return err;
	if (dcrc == (uint32_t)crc32(0L, want, n))
		return 0;
	for (done = 0; done < n; ) {
		uint32_t m = OPS_SECTOR - (a + done) % OPS_SECTOR;

		if (m > n - done)
			m = n - done;
		err = ops_chip_crc(o, a + done, m, &dcrc);
		if (err)
			return err;
		if (dcrc != (uint32_t)crc32(0L, want + done, m))
			return find_difference(o, a + done, want + done, m);
		done += m;
	}
	/* the whole disagreed, every part agrees: the reads are not stable */
	return ops_fail(o, OPS_E_UNSTABLE,
			"verify of 0x%06x-0x%06x: the chip's CRCs disagree with each other; check the clip, wires and power",
			a, a + n - 1);
}

/*
 * The device computes CRC-32 of 64 KiB stretches: a whole chip costs a few
 * hundred round trips and no data on the line, so verify runs at the speed
 * of the chip's reads, whatever the baud rate.
 */
int ops_verify(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len)
{
	uint32_t done = 0;
	int err;

	ops_report(o, "verify", 0, len);
	while (done < len) {
		uint32_t a = addr + done;
		uint32_t n = VERIFY_STRETCH - a % VERIFY_STRETCH;

		if (n > len - done)
			n = len - done;
		if (o->prog->caps & PROTO_CAP_CRC32) {
			err = verify_stretch(o, a, want + done, n);
		} else {
			err = find_difference(o, a, want + done, n);
			if (err == OPS_E_UNSTABLE)
				err = 0;
		}
		if (err)
			return err;
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

		err = prog_blank(o->prog, addr + done, n, &first);
		if (err)
			return ops_fail(o, err, "blank checking 0x%06x", addr + done);
		if (first != 0xFFFFFFFFu) {
			err = prog_read(o->prog, first, &b, 1);
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
