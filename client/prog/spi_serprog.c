/*
 * spi_serprog: a serprog programmer as a raw SPI master.
 *
 * serprog has no framing and no checksum: a command byte, its parameters,
 * then ACK (06) or NAK (15) and the answer.  A lost byte leaves both sides
 * out of step, so every read here has a deadline, and after a timeout the
 * link is synchronised again (SYNCNOP) before the error goes up: the next
 * request then starts clean.  Facts from flashrom's serprog-protocol.txt.
 */
#include "prog/spi_serprog.h"
#include "serprog.h"
#include "transport/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


/* First answer byte; more for long answers.  A programmer answers in
 * milliseconds: this only ends a wait for one that is gone. */
#define SP_ANSWER_MS  3000

struct spi_serprog {
	struct spi_master m;     /* limits differ per programmer: ours */
	struct link *link;
	uint8_t cmdmap[32];
	char name[17];
	uint8_t buf[7 + SPI_SERPROG_WRITE_CAP];
};

static int has(const struct spi_serprog *s, uint8_t cmd)
{
	return (s->cmdmap[cmd / 8] >> (cmd % 8)) & 1;
}

static int put(struct spi_serprog *s, const uint8_t *b, size_t n)
{
	int err = s->link->ops->write(s->link->ctx, b, n, SP_ANSWER_MS + (unsigned)(n / 5));

	return err ? DEV_E_LINK : DEV_OK;
}

/* Exactly n bytes before the deadline, or DEV_E_TIMEOUT. */
static int get(struct spi_serprog *s, uint8_t *b, size_t n, uint64_t deadline)
{
	while (n) {
		uint64_t now = clock_ms();
		int r;

		if (now >= deadline)
			return DEV_E_TIMEOUT;
		r = s->link->ops->read(s->link->ctx, b, n, (unsigned)(deadline - now));
		if (r < 0)
			return DEV_E_LINK;
		b += r;
		n -= (size_t)r;
	}
	return DEV_OK;
}

/* Wire time of n bytes at the link rate, doubled: the answer's deadline. */
static uint64_t wire_ms(const struct spi_serprog *s, size_t n)
{
	uint32_t baud = s->link->baud ? s->link->baud : 115200;

	return (uint64_t)n * 10 * 1000 * 2 / baud;
}

static void drain(struct spi_serprog *s, unsigned quiet_ms)
{
	uint8_t junk[256];
	uint64_t end = clock_ms() + 2000;

	s->link->ops->flush_input(s->link->ctx);
	while (clock_ms() < end && s->link->ops->read(s->link->ctx, junk, sizeof(junk), quiet_ms) > 0)
		;
}

/*
 * NOPs to finish whatever the programmer was parsing, then SYNCNOP until
 * NAK ACK comes back, and once more to be sure it was ours (flashrom's
 * procedure).  Bounded by sync_ms.
 */
static int sync_link(struct spi_serprog *s, unsigned sync_ms)
{
	static const uint8_t nops[8] = { 0 };
	uint64_t end = clock_ms() + sync_ms;
	int err, good = 0;

	if ((err = put(s, nops, sizeof(nops))) != 0)
		return err;
	drain(s, 100);
	while (clock_ms() < end) {
		uint8_t c = SERPROG_CMD_SYNCNOP, r[2];
		uint64_t until = clock_ms() + 300;

		if ((err = put(s, &c, 1)) != 0)
			return err;
		err = get(s, r, 1, until);
		while (!err && r[0] != SERPROG_NAK)
			err = get(s, r, 1, until);
		if (!err)
			err = get(s, r + 1, 1, until);
		if (err == DEV_E_LINK)
			return err;
		if (!err && r[1] == SERPROG_ACK) {
			if (++good == 2)
				return DEV_OK;
			continue;
		}
		good = 0;
		drain(s, 20);
	}
	return DEV_E_NOANSWER;
}

/* One command: op, parameters, then ACK and rn answer bytes. */
static int command(struct spi_serprog *s, uint8_t op, const uint8_t *p, size_t pn,
		   uint8_t *r, size_t rn)
{
	uint8_t c;
	int err;

	if (op != SERPROG_CMD_NOP && op != SERPROG_CMD_Q_IFACE && op != SERPROG_CMD_SYNCNOP && op != SERPROG_CMD_Q_CMDMAP &&
	    !has(s, op))
		return DEV_E_REMOTE + PROTO_E_UNKNOWN_OP;
	s->buf[0] = op;
	memcpy(s->buf + 1, p, pn);
	if ((err = put(s, s->buf, 1 + pn)) != 0)
		return err;
	err = get(s, &c, 1, clock_ms() + SP_ANSWER_MS);
	if (!err && c == SERPROG_NAK)
		return DEV_E_REMOTE + PROTO_E_ARG;     /* refused */
	if (!err && c != SERPROG_ACK)
		err = DEV_E_BADRESP;
	if (!err && rn)
		err = get(s, r, rn, clock_ms() + SP_ANSWER_MS + wire_ms(s, rn));
	return err;
}



static int sp_xfer(void *ctx, const uint8_t *w, size_t wn, uint8_t *r, size_t rn)
{
	struct spi_serprog *s = ctx;
	uint8_t p[6];
	int err;

	if (wn > s->m.max_write || rn > s->m.max_read)
		return DEV_E_ARG;
	serprog_spiop_pack(p, (uint32_t)wn, (uint32_t)rn);
	memcpy(s->buf + 1 + 6, w, wn);
	memcpy(s->buf + 1, p, 6);
	s->buf[0] = SERPROG_CMD_O_SPIOP;
	err = put(s, s->buf, 7 + wn);
	if (!err) {
		uint8_t c;

		err = get(s, &c, 1, clock_ms() + SP_ANSWER_MS + wire_ms(s, 7 + wn));
		if (!err && c == SERPROG_NAK)
			return DEV_E_REMOTE + PROTO_E_ARG;
		if (!err && c != SERPROG_ACK)
			err = DEV_E_BADRESP;
		if (!err && rn)
			err = get(s, r, rn, clock_ms() + SP_ANSWER_MS + wire_ms(s, rn));
	}
	/* out of step: start the next request clean */
	if (err == DEV_E_TIMEOUT || err == DEV_E_BADRESP)
		sync_link(s, SPI_SERPROG_SYNC_MS);
	return err;
}

static int sp_set_clock(void *ctx, uint32_t hz, uint32_t *set)
{
	struct spi_serprog *s = ctx;
	uint8_t p[4], r[4];
	int err;

	proto_put32(p, hz);
	err = command(s, SERPROG_CMD_S_SPI_FREQ, p, 4, r, 4);
	if (!err && set)
		*set = proto_get32(r);
	return err;
}

static void sp_close(void *ctx)
{
	struct spi_serprog *s = ctx;
	uint8_t off = 0;

	/* as flashrom does: the board may drive the chip again */
	if (has(s, SERPROG_CMD_S_PIN_STATE))
		command(s, SERPROG_CMD_S_PIN_STATE, &off, 1, NULL, 0);
	free(s);
}

static int fail(char *msg, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *msg, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return err;
}

int spi_serprog_attach(struct prog *p, struct link *l, unsigned sync_ms, uint32_t spi_hz)
{
	char *msg = p->msg;
	size_t msglen = sizeof(p->msg);
	struct spi_serprog *s = calloc(1, sizeof(*s));
	uint8_t r[32], bus = SERPROG_BUS_SPI;
	uint32_t v;
	int err;

	if (!s)
		return fail(msg, msglen, DEV_E_ARG, "out of memory");
	s->link = l;
	s->m.name = "serprog";
	s->m.xfer = sp_xfer;
	s->m.close = sp_close;
	s->m.set_clock = sp_set_clock;
	err = sync_link(s, sync_ms);
	if (err) {
		fail(msg, msglen, err, "no serprog programmer answered (NOP, SYNCNOP)");
		goto out;
	}
	err = command(s, SERPROG_CMD_Q_IFACE, NULL, 0, r, 2);
	if (!err && (r[0] | r[1] << 8) != 1)
		err = DEV_E_VERSION;
	if (err) {
		fail(msg, msglen, err, "serprog interface version %u, this client speaks 1",
		     err == DEV_E_VERSION ? (unsigned)(r[0] | r[1] << 8) : 0u);
		goto out;
	}
	if ((err = command(s, SERPROG_CMD_Q_CMDMAP, NULL, 0, s->cmdmap, 32)) != 0) {
		fail(msg, msglen, err, "the serprog programmer has no command map");
		goto out;
	}
	if (!has(s, SERPROG_CMD_O_SPIOP) ||
	    (has(s, SERPROG_CMD_Q_BUSTYPE) && (command(s, SERPROG_CMD_Q_BUSTYPE, NULL, 0, r, 1) || !(r[0] & SERPROG_BUS_SPI))) ||
	    (has(s, SERPROG_CMD_S_BUSTYPE) && command(s, SERPROG_CMD_S_BUSTYPE, &bus, 1, NULL, 0))) {
		err = DEV_E_BADRESP;
		fail(msg, msglen, err, "the serprog programmer does not offer the SPI bus");
		goto out;
	}
	/* limits: 0 means 2^24; without an answer, flashrom assumes none */
	v = has(s, SERPROG_CMD_Q_WRNMAXLEN) && !command(s, SERPROG_CMD_Q_WRNMAXLEN, NULL, 0, r, 3) ? serprog_get24(r) : 0;
	s->m.max_write = v && v < SPI_SERPROG_WRITE_CAP ? v : SPI_SERPROG_WRITE_CAP;
	v = has(s, SERPROG_CMD_Q_RDNMAXLEN) && !command(s, SERPROG_CMD_Q_RDNMAXLEN, NULL, 0, r, 3) ? serprog_get24(r) : 0;
	s->m.max_read = v ? v : 0xFFFFFF;
	if (has(s, SERPROG_CMD_Q_PGMNAME) && !command(s, SERPROG_CMD_Q_PGMNAME, NULL, 0, r, 16))
		memcpy(s->name, r, 16);
	if (has(s, SERPROG_CMD_S_PIN_STATE)) {
		bus = 1;
		command(s, SERPROG_CMD_S_PIN_STATE, &bus, 1, NULL, 0);
	}
	err = hostseq_attach(p, &s->m, s, l->baud, l->baud);
	if (err) {
		fail(msg, msglen, err, "the serprog programmer's limits are too small (write %zu)",
		     s->m.max_write);
		goto out;
	}
	if (spi_hz && (err = prog_set_clock(p, spi_hz, NULL)) != 0) {
		fail(msg, msglen, err, "the serprog programmer refused an SPI clock of %u Hz",
		     (unsigned)spi_hz);
		prog_close(p);
		return err;
	}
	return DEV_OK;
out:
	free(s);
	return err;
}

static int serprog_open(struct prog *p, const struct prog_params *pp)
{
	if (!pp->link)
		return DEV_E_ARG;
	return spi_serprog_attach(p, pp->link, pp->sync_ms ? pp->sync_ms : SPI_SERPROG_SYNC_MS,
				  pp->spi_hz);
}

const struct prog_driver prog_serprog_driver = {
	.name = "serprog",
	.needs_device = 1,
	.needs_link = 1,
	.open = serprog_open,
};
