/*
 * sketch: the spiflash sketch as a programmer (prog.h).  A thin shell over
 * the protocol session (dev.c, dev_cmd.c, dev_stream.c): opening says HELLO,
 * sets the SPI clock and picks the line rate; programs go through the
 * device's pipeline.  Every message about the session is written here.
 */
#include "prog/sketch.h"
#include "prog/dev.h"
#include "prog/dev_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sketch {
	struct dev own;             /* the session, unless attached to another's */
	struct dev *dev;
	struct dev_pipe pipe;
};

#define DEV(ctx) (((struct sketch *)(ctx))->dev)

static void sk_close(void *ctx)
{
	struct sketch *s = ctx;

	/* leave the sketch at its boot rate for the next session */
	if (s->dev == &s->own)
		dev_close(&s->own);
	free(s);
}

/* Which bridge, its latency timer, and what a short round trip took: a
 * bridge that holds answers (16 ms on an FT232R without low latency) gets
 * them padded (dev_bridge_pad). */
static void describe_bridge(const struct dev *dev, struct prog_desc *d)
{
	const struct bridge *b = &dev->link->bridge;

	d->latency_ms = b->latency_ms;
	d->held_ms = dev->held_ms;
	snprintf(d->bridge, sizeof(d->bridge), "%s", b->text);
	if (!b->text[0])
		return;
	if (dev->held_ms)
		snprintf(d->lines[2], sizeof(d->lines[2]),
			 "bridge:    %s; short answers held %u ms, so the sketch pads them", b->text,
			 dev->held_ms);
	else
		snprintf(d->lines[2], sizeof(d->lines[2]), "bridge:    %s; short answers not held",
			 b->text);
}

static void sk_describe(void *ctx, struct prog_desc *d)
{
	struct sketch *s = ctx;
	const struct proto_hello *h = &s->dev->hello;

	snprintf(d->lines[0], sizeof(d->lines[0]), "firmware:  spiflash %u.%u.%u on %s, %u MHz",
		 h->fw_major, h->fw_minor, h->fw_patch, h->board[0] ? h->board : "unknown board",
		 (unsigned)(h->f_cpu / 1000000));
	snprintf(d->lines[1], sizeof(d->lines[1]),
		 "protocol:  %u (device %u, oldest %u), max payload %u, rx buffer %u",
		 s->dev->version, h->proto_version, h->proto_min, s->dev->max_payload, h->rx_buffer);
	snprintf(d->link, sizeof(d->link), "%s", s->dev->link->ops->name);
	describe_bridge(s->dev, d);
	d->baud = s->dev->link->baud;
	snprintf(d->fw_version, sizeof(d->fw_version), "%u.%u.%u", h->fw_major, h->fw_minor,
		 h->fw_patch);
	memcpy(d->board, h->board, sizeof(d->board) - 1);
	d->protocol = s->dev->version;
	d->f_cpu = h->f_cpu;
}

static int sk_set_clock(void *ctx, uint32_t hz, uint32_t *set)
{
	return dev_spi_clock(DEV(ctx), hz, set);
}

static int sk_chip(void *ctx, const struct proto_chip *c)
{
	return dev_chip(DEV(ctx), c);
}

static int sk_jedec(void *ctx, uint8_t *id, uint8_t n)
{
	return dev_jedec(DEV(ctx), id, n);
}

static int sk_sfdp(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	return dev_sfdp(DEV(ctx), addr, buf, len);
}

static int sk_read(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	return dev_read(DEV(ctx), addr, buf, len);
}

static int sk_read_stream(void *ctx, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
			  uint8_t *buf, uint8_t *state, prog_stream_progress_fn fn, void *arg)
{
	return dev_read_stream(DEV(ctx), addr, len, block, flags, buf, state, fn, arg);
}

static int sk_program_begin(void *ctx, unsigned t_page_max_ms, unsigned page_size)
{
	struct sketch *s = ctx;

	dev_pipe_init(&s->pipe, s->dev, t_page_max_ms, page_size);
	return DEV_OK;
}

static int sk_program_page(void *ctx, uint32_t addr, const uint8_t *buf, size_t len,
			   uint32_t *err_addr)
{
	struct sketch *s = ctx;
	int err = dev_pipe_program(&s->pipe, addr, buf, len);

	/* a refusal of this page's own size names it; a failure of the
	 * pipeline names the oldest page in flight */
	if (err)
		*err_addr = err == DEV_E_ARG ? addr : s->pipe.err_addr;
	return err;
}

static int sk_program_end(void *ctx, uint32_t *err_addr)
{
	struct sketch *s = ctx;
	int err = dev_pipe_drain(&s->pipe);

	if (err)
		*err_addr = s->pipe.err_addr;
	return err;
}

static int sk_erase(void *ctx, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	return dev_erase(DEV(ctx), addr, opcode, max_ms);
}

static int sk_read_sr(void *ctx, uint8_t opcode, uint8_t *val)
{
	return dev_read_sr(DEV(ctx), opcode, val);
}

static int sk_write_sr(void *ctx, uint8_t opcode, uint8_t flags, const uint8_t *val, uint8_t n,
		       uint16_t max_ms)
{
	return dev_write_sr(DEV(ctx), opcode, flags, val, n, max_ms);
}

static int sk_crc32(void *ctx, uint32_t addr, uint32_t len, uint32_t *crc)
{
	return dev_crc32(DEV(ctx), addr, len, crc);
}

static int sk_crc32_multi(void *ctx, uint32_t addr, uint16_t count, uint32_t unit, uint16_t span,
			  uint32_t *crcs)
{
	return dev_crc32_multi(DEV(ctx), addr, count, unit, span, crcs);
}

static int sk_blank(void *ctx, uint32_t addr, uint32_t len, uint32_t *first)
{
	return dev_blank(DEV(ctx), addr, len, first);
}

static int sk_xfer(void *ctx, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	return dev_xfer(DEV(ctx), w, wlen, r, rlen);
}

static int sk_diag(void *ctx, const struct proto_req_diag *q, struct proto_ans_diag *a)
{
	if (!(DEV(ctx)->hello.caps & PROTO_CAP_DIAG))
		return DEV_E_REMOTE + PROTO_E_UNKNOWN_OP;
	return dev_diag(DEV(ctx), q, a);
}

static const struct prog_ops sketch_ops = {
	.close = sk_close,
	.describe = sk_describe,
	.set_clock = sk_set_clock,
	.chip = sk_chip,
	.jedec = sk_jedec,
	.sfdp = sk_sfdp,
	.read = sk_read,
	.read_stream = sk_read_stream,
	.program_begin = sk_program_begin,
	.program_page = sk_program_page,
	.program_end = sk_program_end,
	.erase = sk_erase,
	.read_sr = sk_read_sr,
	.write_sr = sk_write_sr,
	.crc32 = sk_crc32,
	.crc32_multi = sk_crc32_multi,
	.blank = sk_blank,
	.xfer = sk_xfer,
	.diag = sk_diag,
};

static void sketch_fill(struct prog *p, struct sketch *s);

/* The session's message for err, in p->msg; returns err. */
static int open_failed(struct prog *p, const struct dev *d, const struct prog_params *pp, int err)
{
	const char *dev = pp->device ? pp->device : "";

	switch (err) {
	case DEV_E_NOANSWER:
		snprintf(p->msg, sizeof(p->msg),
			 "no answer from '%s': is the spiflash sketch running?", dev);
		break;
	case DEV_E_VERSION:
		snprintf(p->msg, sizeof(p->msg),
			 "'%s' speaks protocol %u (oldest %u), this client speaks %u: update the %s",
			 dev, d->hello.proto_version, d->hello.proto_min, PROTO_VERSION,
			 d->hello.proto_min > PROTO_VERSION ? "client" : "sketch");
		break;
	case DEV_E_RATE:
		snprintf(p->msg, sizeof(p->msg),
			 "'%s' does not work at %u baud (the link test failed); try a lower --rate, or leave it out to choose automatically",
			 dev, (unsigned)pp->rate);
		break;
	case DEV_E_LINK:
		snprintf(p->msg, sizeof(p->msg), "serial link to '%s' failed: %s", dev,
			 sf_strerror(d->link_err));
		break;
	default:
		snprintf(p->msg, sizeof(p->msg), "%s from '%s' while starting the session",
			 sf_strerror(err), dev);
		break;
	}
	return err;
}

static int sketch_open(struct prog *p, const struct prog_params *pp)
{
	struct sketch *s;
	int err;

	if (!pp->link)
		return DEV_E_ARG;
	s = calloc(1, sizeof(*s));
	if (!s)
		return OPS_E_NOMEM;
	s->dev = &s->own;
	s->dev->trace = pp->trace;
	s->dev->trace_arg = pp->trace_arg;
	err = dev_open(s->dev, pp->link, pp->startup_ms ? pp->startup_ms : DEV_STARTUP_MS);
	if (!err && pp->spi_hz)
		err = dev_spi_clock(s->dev, pp->spi_hz, NULL);
	/* --rate forces a rate; without it, the fastest that passes its test */
	if (!err && pp->rate && pp->rate != pp->link->baud)
		err = dev_set_rate(s->dev, pp->rate);
	else if (!err && !pp->rate) {
		err = dev_auto_rate(s->dev, DEV_AUTO_MAX_BAUD);
		s->dev->rate_auto = 1;
	}
	/* at the final rate: a bridge that holds short answers gets padding */
	if (!err)
		err = dev_bridge_pad(s->dev, &s->dev->held_ms);
	if (err) {
		open_failed(p, s->dev, pp, err);
		if (s->dev->answered)
			dev_close(s->dev);
		free(s);
		return err;
	}
	sketch_fill(p, s);
	return DEV_OK;
}

int sketch_attach(struct prog *p, struct dev *d)
{
	struct sketch *s = calloc(1, sizeof(*s));

	if (!s)
		return OPS_E_NOMEM;
	memset(p, 0, sizeof(*p));
	s->dev = d;
	sketch_fill(p, s);
	p->name = prog_sketch_driver.name;
	return DEV_OK;
}

static void sketch_fill(struct prog *p, struct sketch *s)
{
	p->ops = &sketch_ops;
	p->ctx = s;
	p->caps = s->dev->hello.caps;
	p->read_max = dev_read_max(s->dev);
	p->program_max = dev_program_max(s->dev) < DEV_PIPE_DATA ? dev_program_max(s->dev)
								    : DEV_PIPE_DATA;
	p->line_baud = &s->dev->link->baud;
	p->stats = &s->dev->stats;
	p->link_err = &s->dev->link_err;
}

const struct prog_driver prog_sketch_driver = {
	.name = "spiflash",
	.needs_device = 1,
	.needs_link = 1,
	.open = sketch_open,
};
