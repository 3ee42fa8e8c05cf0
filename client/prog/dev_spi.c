/*
 * dev_spi: what the sketch does for each request (fw_flash.c), done on the
 * host over a raw SPI master, so every spiflash command works with any
 * serprog programmer or a Linux spidev.  The same rules as on the device:
 * write enable is checked (WEL) before every program, erase and status
 * write; busy polling has a deadline; a page program never crosses a page;
 * parts over 16 MiB get 4-byte addresses as the CHIP geometry says.  What
 * the sketch computes next to the chip (CRC-32, blank checks, the second
 * read of a streamed block) costs a read over the master here.
 */
#include "prog/dev_spi.h"
#include "transport/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define ADDR3_SPAN    0x1000000UL    /* 16 MiB: the reach of 3-byte addresses */
#define CHUNK_MAX     65536u         /* bytes per read transaction at most */
#define HDR_MAX       5              /* opcode and a 4-byte address */
/* Busy deadlines get this on top of the datasheet maximum: a serprog round
 * trip and the host's scheduling, which the sketch does not suffer. */
#define POLL_SLACK_MS 50

enum {
	OP_RDSR = 0x05, OP_WREN = 0x06, OP_VWREN = 0x50, OP_READ = 0x03, OP_READ4 = 0x13,
	OP_PP = 0x02, OP_PP4 = 0x12, OP_SE = 0x20, OP_SE4 = 0x21, OP_BE32 = 0x52,
	OP_BE32_4 = 0x5C, OP_BE64 = 0xD8, OP_BE64_4 = 0xDC, OP_CE = 0xC7, OP_CE_60 = 0x60,
	OP_SFDP = 0x5A, OP_JEDEC = 0x9F, OP_EN4B = 0xB7, OP_EX4B = 0xE9,
	SR1_WIP = 0x01, SR1_WEL = 0x02,
};

#define REMOTE(s) (DEV_E_REMOTE + (s))

static int xfer(struct dev *d, const uint8_t *w, size_t wn, uint8_t *r, size_t rn)
{
	d->stats.requests++;
	return d->spi->xfer(d->spi_ctx, w, wn, r, rn);
}

static int cmd1(struct dev *d, uint8_t op)
{
	return xfer(d, &op, 1, NULL, 0);
}

static int rdsr(struct dev *d, uint8_t op, uint8_t *v)
{
	return xfer(d, &op, 1, v, 1);
}

static int wide(const struct dev *d)
{
	return d->spi_chip.size > ADDR3_SPAN && d->spi_chip.addr_mode != PROTO_ADDR_3;
}

/* addr..addr+len inside the chip, without overflowing 32 bits */
static int in_chip(const struct dev *d, uint32_t addr, uint32_t len)
{
	return addr < d->spi_chip.size && len <= d->spi_chip.size - addr;
}

/* Largest read one transaction may carry after a header. */
static size_t read_chunk(const struct dev *d)
{
	size_t n = d->spi->max_read < CHUNK_MAX ? d->spi->max_read : CHUNK_MAX;

	return n ? n : 1;
}

/*
 * One addressed transaction: opcode, 3 or 4 address bytes, dn data bytes
 * out, rn bytes in.  Parts with only a 4-byte mode (B7h) get it around the
 * transaction and leave it after, as the sketch does: a chip left in
 * 4-byte mode stops some boards from booting.
 */
static int addr_xfer(struct dev *d, uint8_t op3, uint8_t op4, uint32_t addr,
		     const uint8_t *data, size_t dn, uint8_t *r, size_t rn)
{
	uint8_t h[HDR_MAX + 256];
	int mode4 = wide(d) && d->spi_chip.addr_mode == PROTO_ADDR_4_MODE;
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
	if (mode4 && (err = cmd1(d, OP_EN4B)) != 0)
		return err;
	err = xfer(d, h, n + dn, r, rn);
	if (mode4) {
		err2 = cmd1(d, OP_EX4B);
		if (!err)
			err = err2;
	}
	return err;
}

/* Write enable on an idle chip, and check that WEL latched (fw_flash.c). */
static int write_enable(struct dev *d, uint8_t op)
{
	uint8_t sr;
	int err = rdsr(d, OP_RDSR, &sr);

	if (err)
		return err;
	if (sr != 0xFF && (sr & SR1_WIP))
		return REMOTE(PROTO_E_BUSY);
	if ((err = cmd1(d, op)) != 0 || (err = rdsr(d, OP_RDSR, &sr)) != 0)
		return err;
	if (sr == 0xFF)
		return REMOTE(PROTO_E_CHIP);   /* MISO stuck high */
	if (!(sr & SR1_WEL))
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
static int wait_ready(struct dev *d, uint32_t max_ms)
{
	uint64_t start = clock_ms(), limit = (uint64_t)max_ms + max_ms / 8 + POLL_SLACK_MS;

	for (;;) {
		uint64_t sent = clock_ms() - start;
		uint8_t sr;
		int err = rdsr(d, OP_RDSR, &sr);

		if (err)
			return err;
		if (!(sr & SR1_WIP))
			return DEV_OK;
		if (sent > limit)
			return REMOTE(PROTO_E_TIMEOUT);
		if (clock_ms() - start >= 2)
			sleep_us(1000);
	}
}

void dev_spi_hello(struct dev *d)
{
	struct proto_hello *h = &d->hello;
	size_t mr = d->spi->max_read < PROTO_MAX_PAYLOAD - 1 ? d->spi->max_read
							      : PROTO_MAX_PAYLOAD - 1;

	memset(h, 0, sizeof(*h));
	h->proto_version = PROTO_VERSION;
	h->proto_min = 1;
	h->max_payload = PROTO_MAX_PAYLOAD;
	/* no PENDING, SET_BAUD or PIPELINE: requests are synchronous here */
	h->caps = PROTO_CAP_CRC32 | PROTO_CAP_BLANK | PROTO_CAP_XFER | PROTO_CAP_SFDP |
		  PROTO_CAP_ADDR4 | PROTO_CAP_STREAM | PROTO_CAP_CRC32_MULTI;
	strncpy(h->board, d->spi->name, sizeof(h->board) - 1);
	/* ops reads in powers of two up to this; 512 like the sketch */
	h->max_read = (uint16_t)(mr >= 512 ? 512 : mr);
	d->version = PROTO_VERSION;
	d->max_payload = PROTO_MAX_PAYLOAD;
}

int dev_open_spi(struct dev *d, const struct dev_spi_master *m, void *ctx, uint32_t line_baud)
{
	memset(d, 0, sizeof(*d));
	d->spi = m;
	d->spi_ctx = ctx;
	d->spi_line.baud = line_baud;
	d->link = &d->spi_line;
	d->silence_ms = DEV_SILENCE_MS;
	/* the sketch's defaults until the first CHIP */
	d->spi_chip.page_size = 256;
	d->spi_chip.addr_mode = PROTO_ADDR_3;
	d->spi_chip.size = ADDR3_SPAN;
	d->spi_chip.t_page_max_ms = 5;
	if (m->max_write < HDR_MAX + 1 || !m->max_read)
		return DEV_E_ARG;
	dev_spi_hello(d);
	d->answered = 1;
	return DEV_OK;
}

int dev_spi_close(struct dev *d)
{
	if (d->spi && d->spi->close)
		d->spi->close(d->spi_ctx);
	d->spi = NULL;
	d->spi_ctx = NULL;
	return DEV_OK;
}

int dev_spi_set_clock(struct dev *d, uint32_t hz, uint32_t *set)
{
	if (!d->spi->set_clock)
		return REMOTE(PROTO_E_UNKNOWN_OP);
	return d->spi->set_clock(d->spi_ctx, hz, set);
}

int dev_spi_chip(struct dev *d, const struct proto_chip *c)
{
	if (c->page_size == 0 || c->page_size > 256 || (c->page_size & (c->page_size - 1)) ||
	    c->addr_mode > PROTO_ADDR_4_MODE || c->size == 0 || c->t_page_max_ms == 0 ||
	    (c->size > ADDR3_SPAN && c->addr_mode == PROTO_ADDR_3))
		return REMOTE(PROTO_E_ARG);
	d->spi_chip = *c;
	return DEV_OK;
}

int dev_spi_jedec(struct dev *d, uint8_t *id, uint8_t n)
{
	uint8_t op = OP_JEDEC;

	if (n < 1 || n > 16)
		return DEV_E_ARG;
	return xfer(d, &op, 1, id, n);
}

int dev_spi_sfdp(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len)
{
	size_t chunk = read_chunk(d);

	/* SFDP: always a 3-byte address and 8 dummy clocks */
	while (len) {
		uint8_t h[5] = { OP_SFDP, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
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

int dev_spi_read(struct dev *d, uint32_t addr, uint8_t *buf, uint32_t len)
{
	size_t chunk = read_chunk(d);

	if (!in_chip(d, addr, len))
		return REMOTE(PROTO_E_ARG);
	while (len) {
		uint32_t n = len < chunk ? len : (uint32_t)chunk;
		int err = addr_xfer(d, OP_READ, OP_READ4, addr, NULL, 0, buf, n);

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
int dev_spi_program(struct dev *d, uint32_t addr, const uint8_t *buf, size_t len,
		    unsigned t_page_max_ms, unsigned page_size)
{
	size_t room_max = d->spi->max_write - HDR_MAX;

	if (!page_size || page_size > 256 || (page_size & (page_size - 1)))
		page_size = d->spi_chip.page_size;
	if (!len || !in_chip(d, addr, (uint32_t)len))
		return REMOTE(PROTO_E_ARG);
	while (len) {
		size_t room = page_size - (addr & (page_size - 1)), n = len < room ? len : room;
		int err;

		if (n > room_max)
			n = room_max;
		if ((err = write_enable(d, OP_WREN)) != 0 ||
		    (err = addr_xfer(d, OP_PP, OP_PP4, addr, buf, n, NULL, 0)) != 0 ||
		    (err = wait_ready(d, t_page_max_ms)) != 0)
			return err;
		addr += (uint32_t)n;
		buf += n;
		len -= n;
	}
	return DEV_OK;
}

int dev_spi_erase(struct dev *d, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	uint8_t op4;
	int err;

	if (!max_ms || addr >= d->spi_chip.size)
		return REMOTE(PROTO_E_ARG);
	switch (opcode) {
	case OP_SE:   op4 = OP_SE4; break;
	case OP_BE32: op4 = OP_BE32_4; break;
	case OP_BE64: op4 = OP_BE64_4; break;
	case OP_CE:
	case OP_CE_60: op4 = 0; break;
	default:      return REMOTE(PROTO_E_ARG);
	}
	err = write_enable(d, OP_WREN);
	if (!err)
		err = op4 ? addr_xfer(d, opcode, op4, addr, NULL, 0, NULL, 0) : cmd1(d, opcode);
	return err ? err : wait_ready(d, max_ms);
}

int dev_spi_read_sr(struct dev *d, uint8_t opcode, uint8_t *val)
{
	return rdsr(d, opcode, val);
}

int dev_spi_write_sr(struct dev *d, uint8_t opcode, uint8_t flags, const uint8_t *val,
		     uint8_t n, uint16_t max_ms)
{
	uint8_t w[4];
	int err;

	if (n < 1 || n > 3)
		return DEV_E_ARG;
	err = write_enable(d, (flags & PROTO_WSR_VOLATILE) ? OP_VWREN : OP_WREN);
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
static int scan(struct dev *d, uint32_t addr, uint32_t len,
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

		err = dev_spi_read(d, addr, buf, n);
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

int dev_spi_crc32(struct dev *d, uint32_t addr, uint32_t len, uint32_t *crc)
{
	*crc = 0;
	return scan(d, addr, len, crc_fn, crc);
}

int dev_spi_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit,
			uint32_t *crcs)
{
	uint16_t i;
	int err;

	if (!count || !unit)
		return REMOTE(PROTO_E_ARG);
	for (i = 0; i < count; i++, addr += unit)
		if ((err = dev_spi_crc32(d, addr, unit, &crcs[i])) != 0)
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

int dev_spi_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first)
{
	*first = 0xFFFFFFFFu;
	return scan(d, addr, len, blank_fn, first);
}

int dev_spi_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	if (wlen > d->spi->max_write || rlen > d->spi->max_read)
		return DEV_E_ARG;
	return xfer(d, w, wlen, r, rlen);
}

/*
 * The streamed read, synchronous: large reads, and with PROTO_STREAM_CHECK
 * every piece read a second time and compared on the host, the stand-in for
 * the sketch's second read and CRC.  A block whose two reads disagree is
 * left RECEIVED for the caller to read again.
 */
int dev_spi_read_stream(struct dev *d, uint32_t addr, uint32_t len, uint16_t block,
			uint8_t flags, uint8_t *buf, uint8_t *state,
			dev_stream_progress_fn progress, void *arg)
{
	size_t chunk = read_chunk(d);
	uint32_t nblocks, off = 0, i;
	uint8_t *again = NULL;
	int err = DEV_OK;

	if (!block || !len || block > chunk)
		return DEV_E_ARG;
	chunk -= chunk % block;          /* whole blocks per transaction */
	nblocks = (len + block - 1) / block;
	memset(state, DEV_BLOCK_MISSING, nblocks);
	if ((flags & PROTO_STREAM_CHECK) && !(again = malloc(chunk)))
		return DEV_E_ARG;
	while (off < len) {
		uint32_t n = len - off < chunk ? len - off : (uint32_t)chunk;

		err = dev_spi_read(d, addr + off, buf + off, n);
		if (!err && again)
			err = dev_spi_read(d, addr + off, again, n);
		if (err)
			break;
		for (i = 0; i < n; i += block) {
			uint32_t m = n - i < block ? n - i : block;
			int same = !again || !memcmp(buf + off + i, again + i, m);

			state[(off + i) / block] = same ? DEV_BLOCK_CONFIRMED : DEV_BLOCK_RECEIVED;
			if (!same)
				d->stats.stream_check_fails++;
		}
		off += n;
		if (progress)
			progress(arg, off);
	}
	free(again);
	return err;
}
