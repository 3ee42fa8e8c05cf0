/*
 * hostseq: what the sketch does for each request (fw_flash.c), done on the
 * host over a raw SPI master, so every spiflash command works with any
 * serprog programmer or a Linux spidev.  The same rules as on the device:
 * write enable is checked (WEL) before every program, erase and status
 * write; busy polling has a deadline; a page program never crosses a page;
 * parts over 16 MiB get 4-byte addresses as the CHIP geometry says.  What
 * the sketch computes next to the chip (CRC-32, blank checks, the second
 * read of a streamed block) costs a read over the master here.
 */
#include "prog/hostseq.h"
#include "spinor.h"
#include "transport/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define ADDR3_SPAN    SPINOR_ADDR3_SPAN    /* 16 MiB: the reach of 3-byte addresses */
#define CHUNK_MAX     65536u         /* bytes per read transaction at most */
#define HDR_MAX       5              /* opcode and a 4-byte address */
/* Busy deadlines get this on top of the datasheet maximum: a serprog round
 * trip and the host's scheduling, which the sketch does not suffer. */
#define POLL_SLACK_MS 50


#define REMOTE(s) (DEV_E_REMOTE + (s))

struct hostseq {
	const struct spi_master *m;
	void *mctx;
	struct proto_chip chip;     /* geometry from the last CHIP */
	unsigned page_ms, page_size;/* of the programs under way */
	uint32_t serial_baud;
	uint32_t line_baud;
	struct prog_stats stats;
};

static int xfer(struct hostseq *d, const uint8_t *w, size_t wn, uint8_t *r, size_t rn)
{
	d->stats.requests++;
	return d->m->xfer(d->mctx, w, wn, r, rn);
}

static int cmd1(struct hostseq *d, uint8_t op)
{
	return xfer(d, &op, 1, NULL, 0);
}

static int rdsr(struct hostseq *d, uint8_t op, uint8_t *v)
{
	return xfer(d, &op, 1, v, 1);
}

static int wide(const struct hostseq *d)
{
	return d->chip.size > ADDR3_SPAN && d->chip.addr_mode != PROTO_ADDR_3;
}

/* addr..addr+len inside the chip, without overflowing 32 bits */
static int in_chip(const struct hostseq *d, uint32_t addr, uint32_t len)
{
	return addr < d->chip.size && len <= d->chip.size - addr;
}

/* Largest read one transaction may carry after a header. */
static size_t read_chunk(const struct hostseq *d)
{
	size_t n = d->m->max_read < CHUNK_MAX ? d->m->max_read : CHUNK_MAX;

	return n ? n : 1;
}

/*
 * One addressed transaction: opcode, 3 or 4 address bytes, dn data bytes
 * out, rn bytes in.  Parts with only a 4-byte mode (B7h) get it around the
 * transaction and leave it after, as the sketch does: a chip left in
 * 4-byte mode stops some boards from booting.
 */
static int addr_xfer(struct hostseq *d, uint8_t op3, uint8_t op4, uint32_t addr,
		     const uint8_t *data, size_t dn, uint8_t *r, size_t rn)
{
	uint8_t h[HDR_MAX + 256];
	int mode4 = wide(d) && d->chip.addr_mode == PROTO_ADDR_4_MODE;
	size_t n = 0;
	int err, err2;

	if (dn > 256)
		return DEV_E_ARG;
	h[n++] = wide(d) && !mode4 ? op4 : op3;
	if (wide(d))
		h[n++] = (uint8_t)(addr >> 24);
	h[n++] = (uint8_t)(addr >> 16);
	h[n++] = (uint8_t)(addr >> 8);
	h[n++] = (uint8_t)addr;
	if (dn)
		memcpy(h + n, data, dn);
	if (mode4 && (err = cmd1(d, SPINOR_OP_EN4B)) != 0)
		return err;
	err = xfer(d, h, n + dn, r, rn);
	if (mode4) {
		err2 = cmd1(d, SPINOR_OP_EX4B);
		if (!err)
			err = err2;
	}
	return err;
}

/* Write enable on an idle chip, and check that WEL latched (fw_flash.c). */
static int write_enable(struct hostseq *d, uint8_t op)
{
	uint8_t sr;
	int err = rdsr(d, SPINOR_OP_RDSR, &sr);

	if (err)
		return err;
	if (sr != 0xFF && (sr & SPINOR_SR1_WIP))
		return REMOTE(PROTO_E_BUSY);
	if ((err = cmd1(d, op)) != 0 || (err = rdsr(d, SPINOR_OP_RDSR, &sr)) != 0)
		return err;
	if (sr == 0xFF)
		return REMOTE(PROTO_E_CHIP);   /* MISO stuck high */
	if (!(sr & SPINOR_SR1_WEL))
		return REMOTE(PROTO_E_WEL);
	return DEV_OK;
}

static void sleep_us(unsigned us)
{
	struct timespec ts = { 0, (long)us * 1000L };

	nanosleep(&ts, NULL);
}

/*
 * Poll WIP until clear; E_TIMEOUT when a poll sent after max_ms (plus
 * margins) still reads busy, so a stuck MISO never hangs us.  The time a
 * poll was sent counts, not when its answer came: a slow round trip (USB,
 * a loaded host) must not fail a chip that finished in time.  Short waits
 * poll flat out, long ones every 1 ms.
 */
static int wait_ready(struct hostseq *d, uint32_t max_ms)
{
	uint64_t start = clock_ms(), limit = (uint64_t)max_ms + max_ms / 8 + POLL_SLACK_MS;

	for (;;) {
		uint64_t sent = clock_ms() - start;
		uint8_t sr;
		int err = rdsr(d, SPINOR_OP_RDSR, &sr);

		if (err)
			return err;
		if (!(sr & SPINOR_SR1_WIP))
			return DEV_OK;
		if (sent > limit)
			return REMOTE(PROTO_E_TIMEOUT);
		if (clock_ms() - start >= 2)
			sleep_us(1000);
	}
}

static int hs_set_clock(void *ctx, uint32_t hz, uint32_t *set)
{
	struct hostseq *d = ctx;
	if (!d->m->set_clock)
		return REMOTE(PROTO_E_UNKNOWN_OP);
	return d->m->set_clock(d->mctx, hz, set);
}

static int hs_chip(void *ctx, const struct proto_chip *c)
{
	struct hostseq *d = ctx;
	if (c->page_size == 0 || c->page_size > 256 || (c->page_size & (c->page_size - 1)) ||
	    c->addr_mode > PROTO_ADDR_4_MODE || c->size == 0 || c->t_page_max_ms == 0 ||
	    (c->size > ADDR3_SPAN && c->addr_mode == PROTO_ADDR_3))
		return REMOTE(PROTO_E_ARG);
	d->chip = *c;
	return DEV_OK;
}

static int hs_jedec(void *ctx, uint8_t *id, uint8_t n)
{
	struct hostseq *d = ctx;
	uint8_t op = SPINOR_OP_JEDEC;

	if (n < 1 || n > 16)
		return DEV_E_ARG;
	return xfer(d, &op, 1, id, n);
}

static int hs_sfdp(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	struct hostseq *d = ctx;
	size_t chunk = read_chunk(d);

	/* SFDP: always a 3-byte address and 8 dummy clocks */
	while (len) {
		uint8_t h[5] = { SPINOR_OP_SFDP, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
				 (uint8_t)addr, 0xFF };
		uint16_t n = len < chunk ? len : (uint16_t)chunk;
		int err = xfer(d, h, sizeof(h), buf, n);

		if (err)
			return err;
		addr += n;
		buf += n;
		len -= n;
	}
	return DEV_OK;
}

static int read_range(struct hostseq *d, uint32_t addr, uint8_t *buf, uint32_t len)
{
	size_t chunk = read_chunk(d);

	if (!in_chip(d, addr, len))
		return REMOTE(PROTO_E_ARG);
	while (len) {
		uint32_t n = len < chunk ? len : (uint32_t)chunk;
		int err = addr_xfer(d, SPINOR_OP_READ, SPINOR_OP_READ4, addr, NULL, 0, buf, n);

		if (err)
			return err;
		addr += n;
		buf += n;
		len -= n;
	}
	return DEV_OK;
}

/*
 * A page program wraps around inside its page, so a range is cut at every
 * page boundary (and where the master's transaction ends): the first piece
 * runs from addr to the end of its page.
 */
static int hs_read(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	return read_range(ctx, addr, buf, len);
}

static int hs_program_begin(void *ctx, unsigned t_page_max_ms, unsigned page_size)
{
	struct hostseq *d = ctx;

	d->page_ms = t_page_max_ms;
	d->page_size = page_size;
	return DEV_OK;
}

static int hs_program_page(void *ctx, uint32_t addr, const uint8_t *buf, size_t len,
			   uint32_t *err_addr)
{
	struct hostseq *d = ctx;
	unsigned page_size = d->page_size;
	size_t room_max = d->m->max_write - HDR_MAX;

	if (!page_size || page_size > 256 || (page_size & (page_size - 1)))
		page_size = d->chip.page_size;
	if (!len || !in_chip(d, addr, (uint32_t)len))
		return REMOTE(PROTO_E_ARG);
	while (len) {
		size_t room = page_size - (addr & (page_size - 1)), n = len < room ? len : room;
		int err;

		if (n > room_max)
			n = room_max;
		if ((err = write_enable(d, SPINOR_OP_WREN)) != 0 ||
		    (err = addr_xfer(d, SPINOR_OP_PP, SPINOR_OP_PP4, addr, buf, n, NULL, 0)) != 0 ||
		    (err = wait_ready(d, d->page_ms)) != 0) {
			*err_addr = addr;
			return err;
		}
		addr += (uint32_t)n;
		buf += n;
		len -= n;
	}
	return DEV_OK;
}

/* Programs here are synchronous: nothing is left in flight. */
static int hs_program_end(void *ctx, uint32_t *err_addr)
{
	(void)ctx;
	(void)err_addr;
	return DEV_OK;
}

static int hs_erase(void *ctx, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	struct hostseq *d = ctx;
	uint8_t op4;
	int err;

	if (!max_ms || addr >= d->chip.size)
		return REMOTE(PROTO_E_ARG);
	switch (opcode) {
	case SPINOR_OP_SE:   op4 = SPINOR_OP_SE4; break;
	case SPINOR_OP_BE32: op4 = SPINOR_OP_BE32_4; break;
	case SPINOR_OP_BE64: op4 = SPINOR_OP_BE64_4; break;
	case SPINOR_OP_CE:
	case SPINOR_OP_CE_60: op4 = 0; break;
	default:      return REMOTE(PROTO_E_ARG);
	}
	err = write_enable(d, SPINOR_OP_WREN);
	if (!err)
		err = op4 ? addr_xfer(d, opcode, op4, addr, NULL, 0, NULL, 0) : cmd1(d, opcode);
	return err ? err : wait_ready(d, max_ms);
}

static int hs_read_sr(void *ctx, uint8_t opcode, uint8_t *val)
{
	struct hostseq *d = ctx;
	return rdsr(d, opcode, val);
}

static int hs_write_sr(void *ctx, uint8_t opcode, uint8_t flags, const uint8_t *val,
		     uint8_t n, uint16_t max_ms)
{
	struct hostseq *d = ctx;
	uint8_t w[4];
	int err;

	if (n < 1 || n > 3)
		return DEV_E_ARG;
	err = write_enable(d, (flags & PROTO_WSR_VOLATILE) ? SPINOR_OP_VWREN : SPINOR_OP_WREN);
	/* 50h enables a volatile write without setting WEL on most parts */
	if (err == REMOTE(PROTO_E_WEL) && (flags & PROTO_WSR_VOLATILE))
		err = DEV_OK;
	if (err)
		return err;
	w[0] = opcode;
	memcpy(w + 1, val, n);
	err = xfer(d, w, 1u + n, NULL, 0);
	return err ? err : wait_ready(d, max_ms);
}

/* Read [addr, addr+len) in pieces into a scratch buffer; fn sees each. */
static int scan(struct hostseq *d, uint32_t addr, uint32_t len,
		int (*fn)(void *arg, uint32_t at, const uint8_t *p, uint32_t n), void *arg)
{
	size_t chunk = read_chunk(d);
	uint8_t *buf;
	int err = DEV_OK;

	if (!in_chip(d, addr, len))
		return REMOTE(PROTO_E_ARG);
	buf = malloc(chunk);
	if (!buf)
		return DEV_E_ARG;
	while (len && !err) {
		uint32_t n = len < chunk ? len : (uint32_t)chunk;

		err = read_range(d, addr, buf, n);
		if (!err)
			err = fn(arg, addr, buf, n);
		addr += n;
		len -= n;
	}
	free(buf);
	return err > 0 ? DEV_OK : err;
}

static int crc_fn(void *arg, uint32_t at, const uint8_t *p, uint32_t n)
{
	uint32_t *crc = arg;

	(void)at;
	*crc = (uint32_t)crc32(*crc, p, n);
	return 0;
}

static int hs_crc32(void *ctx, uint32_t addr, uint32_t len, uint32_t *crc)
{
	struct hostseq *d = ctx;
	*crc = 0;
	return scan(d, addr, len, crc_fn, crc);
}

static int hs_crc32_multi(void *ctx, uint32_t addr, uint16_t count, uint32_t unit,
			  uint16_t span, uint32_t *crcs)
{
	struct hostseq *d = ctx;
	uint16_t i;
	int err;

	if (!count || !unit || span > unit)
		return REMOTE(PROTO_E_ARG);
	for (i = 0; i < count; i++, addr += unit)
		if ((err = hs_crc32(d, addr, span ? span : unit, &crcs[i])) != 0)
			return err;
	return DEV_OK;
}

/* 1 (stop, found) when a byte is not FF */
static int blank_fn(void *arg, uint32_t at, const uint8_t *p, uint32_t n)
{
	uint32_t *first = arg, i;

	for (i = 0; i < n; i++) {
		if (p[i] != 0xFF) {
			*first = at + i;
			return 1;
		}
	}
	return 0;
}

static int hs_blank(void *ctx, uint32_t addr, uint32_t len, uint32_t *first)
{
	struct hostseq *d = ctx;
	*first = 0xFFFFFFFFu;
	return scan(d, addr, len, blank_fn, first);
}

static int hs_xfer(void *ctx, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	struct hostseq *d = ctx;
	if (wlen > d->m->max_write || rlen > d->m->max_read)
		return DEV_E_ARG;
	return xfer(d, w, wlen, r, rlen);
}

/*
 * The streamed read, synchronous: large reads, and with PROTO_STREAM_CHECK
 * every piece read a second time and compared on the host, the stand-in for
 * the sketch's second read and CRC.  A block whose two reads disagree is
 * left RECEIVED for the caller to read again.
 */
static int hs_read_stream(void *ctx, uint32_t addr, uint32_t len, uint16_t block,
			uint8_t flags, uint8_t *buf, uint8_t *state,
			prog_stream_progress_fn progress, void *arg)
{
	struct hostseq *d = ctx;
	size_t chunk = read_chunk(d);
	uint32_t nblocks, off = 0, i;
	uint8_t *again = NULL;
	int err = DEV_OK;

	if (!block || !len || block > chunk)
		return DEV_E_ARG;
	chunk -= chunk % block;          /* whole blocks per transaction */
	nblocks = (len + block - 1) / block;
	memset(state, PROG_BLOCK_MISSING, nblocks);
	if ((flags & PROTO_STREAM_CHECK) && !(again = malloc(chunk)))
		return DEV_E_ARG;
	while (off < len) {
		uint32_t n = len - off < chunk ? len - off : (uint32_t)chunk;

		err = read_range(d, addr + off, buf + off, n);
		if (!err && again)
			err = read_range(d, addr + off, again, n);
		if (err)
			break;
		for (i = 0; i < n; i += block) {
			uint32_t m = n - i < block ? n - i : block;
			int same = !again || !memcmp(buf + off + i, again + i, m);

			state[(off + i) / block] = same ? PROG_BLOCK_CONFIRMED : PROG_BLOCK_RECEIVED;
			if (!same)
				d->stats.stream_check_fails++;
		}
		off += n;
		if (progress && progress(arg, off))
			break;
	}
	free(again);
	return err;
}

static void hs_close(void *ctx)
{
	struct hostseq *d = ctx;

	if (d->m->close)
		d->m->close(d->mctx);
	free(d);
}

static void hs_describe(void *ctx, struct prog_desc *desc)
{
	struct hostseq *d = ctx;

	/* a raw SPI master: no sketch, the client sequences the chip */
	snprintf(desc->lines[0], sizeof(desc->lines[0]),
		 "programmer: %s, host-side sequencing (no on-device CRC)", d->m->name);
	snprintf(desc->link, sizeof(desc->link), "%s, host-side sequencing", d->m->name);
	desc->baud = d->serial_baud;
}

static const struct prog_ops hostseq_ops = {
	.close = hs_close,
	.describe = hs_describe,
	.set_clock = hs_set_clock,
	.chip = hs_chip,
	.jedec = hs_jedec,
	.sfdp = hs_sfdp,
	.read = hs_read,
	.read_stream = hs_read_stream,
	.program_begin = hs_program_begin,
	.program_page = hs_program_page,
	.program_end = hs_program_end,
	.erase = hs_erase,
	.read_sr = hs_read_sr,
	.write_sr = hs_write_sr,
	.crc32 = hs_crc32,
	.crc32_multi = hs_crc32_multi,
	.blank = hs_blank,
	.xfer = hs_xfer,
};

int hostseq_attach(struct prog *p, const struct spi_master *m, void *mctx, uint32_t line_baud,
		   uint32_t serial_baud)
{
	struct hostseq *d;
	size_t mr = m->max_read < PROTO_MAX_PAYLOAD - 1 ? m->max_read : PROTO_MAX_PAYLOAD - 1;

	if (m->max_write < HDR_MAX + 1 || !m->max_read)
		return DEV_E_ARG;
	d = calloc(1, sizeof(*d));
	if (!d)
		return OPS_E_NOMEM;
	d->m = m;
	d->mctx = mctx;
	d->serial_baud = serial_baud;
	/* the sketch's defaults until the first CHIP */
	d->chip.page_size = 256;
	d->chip.addr_mode = PROTO_ADDR_3;
	d->chip.size = ADDR3_SPAN;
	d->chip.t_page_max_ms = 5;
	d->page_size = 256;
	d->page_ms = 5;
	p->ops = &hostseq_ops;
	p->ctx = d;
	/* no PENDING, SET_BAUD or PIPELINE: requests are synchronous here */
	p->caps = PROTO_CAP_CRC32 | PROTO_CAP_BLANK | PROTO_CAP_XFER | PROTO_CAP_SFDP |
		  PROTO_CAP_ADDR4 | PROTO_CAP_STREAM | PROTO_CAP_CRC32_MULTI | PROTO_CAP_CRC_SPAN;
	/* ops reads in powers of two up to this; 512 like the sketch */
	p->read_max = mr >= 512 ? 512 : mr;
	p->program_max = PROTO_MAX_PAYLOAD - 4;
	d->line_baud = line_baud;
	p->line_baud = &d->line_baud;
	p->stats = &d->stats;
	return DEV_OK;
}
