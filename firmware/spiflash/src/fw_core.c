/*
 * fw_core: protocol dispatcher of the spiflash firmware.
 *
 * Requests arrive into two receive buffers in turn: while one request runs
 * (a page programs, a sector erases), the next is decoded into the other from
 * fw_flash's tick, so the host can keep several requests in flight within
 * the rx_buffer it was told in HELLO and the device never waits for a round
 * trip.  A PROGRAM gives its buffer back as soon as the chip has the page,
 * and the request after the next is decoded into it while the page
 * programs.  A third buffer for PROGRAMs (capability RX3) lies in wire[]
 * past the few bytes a PROGRAM's answer takes: lent only while every
 * request held is a PROGRAM, so at 2 Mbaud three pages wait whole while
 * one programs.  With no buffer free, bytes stay in the receive ring,
 * which the host's in-flight limit keeps from filling.
 *
 * Answers are built in place in wire[] and sent in the background; wire[] is
 * kept so that a resent request (same type, seq and CRC) is answered again
 * without running twice.
 */
#include "fw_core.h"
#include "fw_diag.h"
#include "fw_read_stream.h"
#include "fw_hal.h"
#include "proto_msg.h"
#include "spinor.h"

#include <string.h>

#define OUT(c)     ((c)->wire + PROTO_INPLACE_PAYLOAD + 1)  /* after the status */

struct req {
	const uint8_t *p;      /* request payload */
	uint16_t n;
	uint8_t *out;          /* answer data, after the status byte */
	uint8_t seq;
};

static void send_small(uint8_t type, uint8_t seq, const uint8_t *payload, uint8_t n)
{
	uint8_t buf[PROTO_WIRE_MAX(8)];
	size_t len = proto_encode(type, seq, payload, n, buf, sizeof(buf));

	/* buf is on the stack: wait until it has left */
	hal_uart_send(buf, (uint16_t)len);
	hal_uart_tx_wait();
}

static void send_status(uint8_t type, uint8_t seq, int8_t status)
{
	uint8_t s = (uint8_t)status;

	send_small(type, seq, &s, 1);
}

#define RX3(c)     ((c)->wire + FW_RX3_OFS)
/* Bytes decoded before the ring is told they are taken (rx_pump). */
#define FW_DECODE_RUN 64

/* May the decoder fill the third buffer?  Only while every request queued
 * or running is a PROGRAM: any other answer is built over it. */
static uint8_t rx3_ok(const struct fw_core *c)
{
	uint8_t i;

	if (!c->rx3_free || c->rx3_hold || (c->running && c->run_type != PROTO_OP_PROGRAM))
		return 0;
	for (i = 0; i < c->n_ready; i++)
		if (c->ready[i].type != PROTO_OP_PROGRAM)
			return 0;
	return 1;
}

/* An idle decoder gets a free buffer of the pair, else the third if it may. */
static void dec_give(struct fw_core *c)
{
	if (!c->dec_idle || c->rx3_hold)
		return;
	if (c->n_spare) {
		c->dec.body = c->spare[--c->n_spare];
	} else if (rx3_ok(c)) {
		c->dec.body = RX3(c);
		c->rx3_free = 0;
		/* the kept answer may reach into it: a resend now runs again */
		if (c->wire_len > FW_RX3_OFS)
			c->have_last = 0;
	} else {
		return;
	}
	c->dec_idle = 0;
}

/* A buffer nobody holds any more. */
static void buf_free(struct fw_core *c, uint8_t *buf)
{
	if (buf == RX3(c))
		c->rx3_free = 1;
	else
		c->spare[c->n_spare++] = buf;
	dec_give(c);
}

/* Decode waiting bytes until a complete request waits (more while one
 * runs, as long as a buffer is free); report damaged ones.
 * At 2 Mbaud a byte arrives every 88 CPU cycles, interrupt included: bytes
 * are taken from the ring in runs and the clock is read once per call.
 * A run is at most FW_DECODE_RUN bytes, so the ring gets its room back as
 * the decoding goes: a whole ring's worth decoded in one go takes longer
 * than half a ring takes to arrive, and what arrives meanwhile would find
 * it full.  With wait, a frame under way is waited for byte by byte (the
 * main loop, with nothing else to do); without, only what waits in the
 * ring now is taken: a tick inside a page program must not follow the
 * next page's frame as it arrives, or the answer to this page comes a
 * whole frame late, and the host's next page with it. */
static uint8_t rx_pump(struct fw_core *c, uint8_t wait)
{
	struct proto_dec *d = &c->dec;
	uint8_t got = 0, idle = 0;
	uint16_t left = wait ? 0xFFFF : hal_uart_rx_backlog();

	/* between requests, one complete request at a time: the bytes after
	 * it may be flashrom's serprog (fw_core_poll) */
	while (!c->dec_idle && (c->running || !c->n_ready)) {
		enum proto_dec_result r;
		uint16_t n;
		const uint8_t *p;

		if (!left)
			break;
		p = hal_uart_peek(&n);

		if (!n) {
			/* mid-frame the next byte is a few dozen cycles away:
			 * wait for it here rather than go round the main loop */
			if (!wait || !proto_dec_busy(d) || ++idle == 0)
				break;
			continue;
		}
		idle = 0;
		if (n > FW_DECODE_RUN)
			n = FW_DECODE_RUN;
		if (n > left)
			n = left;
		n = (uint16_t)proto_dec_feed_buf(d, p, n, &r);
		hal_uart_consume(n);
		if (!wait)
			left = (uint16_t)(left - n);
		got = 1;
		if (r == PROTO_DEC_NONE)
			continue;
		if (r == PROTO_DEC_ERROR) {
			uint8_t e[PROTO_FRAME_ERR_LEN];

			send_small(PROTO_OP_FRAME_ERR, 0, e,
				   (uint8_t)proto_frame_err_pack(e, d->err, hal_uart_rx_drops()));
			continue;
		}
		{
			struct fw_req *q = &c->ready[c->n_ready++];

			q->buf = d->body;
			q->payload = d->payload;
			q->len = d->payload_len;
			q->crc = proto_get16(d->payload + d->payload_len);
			q->type = d->type;
			q->seq = d->seq;
		}
		c->baud_probation = 0;     /* a good frame: the rate works */
		c->last_good_ms = hal_millis();
		/* anything but a PROGRAM in the third buffer moves to the pair
		 * before it runs; nothing is decoded after it until then */
		if (d->body == RX3(c) && d->type != PROTO_OP_PROGRAM)
			c->rx3_hold = 1;
		/* the next frame goes to a free buffer, or waits in the ring */
		c->dec_idle = 1;
		dec_give(c);
	}
	if (got)
		c->last_rx_ms = hal_millis();
	return got;
}

/* Called by fw_flash during long operations: keepalives and receiving. */
static void core_tick(void *ctx)
{
	struct fw_core *c = (struct fw_core *)ctx;
	uint32_t now = hal_millis();

	if ((uint32_t)(now - c->last_pending_ms) >= FW_PENDING_MS) {
		c->last_pending_ms = now;
		send_status(PROTO_OP_PENDING, c->cur_seq, PROTO_OK);
	}
	/* an empty ring: no call to the decoder, whose set-up alone takes
	 * about 150 cycles, and a busy poll ticks every few microseconds */
	if (!hal_uart_rx_backlog())
		return;
	rx_pump(c, 0);
}

/*
 * Wait for the answer before to be sent, decoding what arrives meanwhile:
 * behind an FTDI bridge its 62 filler bytes take 0.34 ms at 2 Mbaud, in
 * which the next requests must not pile up in the receive ring.
 */
static void tx_wait_pumping(struct fw_core *c)
{
	while (hal_uart_tx_busy())
		rx_pump(c, 0);
}

/* Called by fw_flash once a PROGRAM's bytes are in the chip. */
static void core_data_sent(void *ctx)
{
	struct fw_core *c = (struct fw_core *)ctx;

	if (c->run_buf) {
		buf_free(c, c->run_buf);
		c->run_buf = 0;
	}
}

static int in_chip(const struct fw_core *c, uint32_t addr, uint32_t len)
{
	return fw_in_chip(&c->flash, addr, len);
}

static int16_t op_hello(struct fw_core *c, struct req *r)
{
	struct proto_hello h;
	uint8_t v;

	c->pad = 0;               /* a new session asks again */
	if (proto_req_hello_unpack(r->p, r->n, &v))
		return PROTO_E_ARG;
	h.proto_version = PROTO_VERSION;
	h.proto_min = 1;          /* oldest version spoken */
	h.fw_major = FW_VERSION_MAJOR;
	h.fw_minor = FW_VERSION_MINOR;
	h.fw_patch = FW_VERSION_PATCH;
	h.max_payload = FW_RX_PAYLOAD;
	/* in flight: one request running, one in the other buffer, the ring */
	h.rx_buffer = (uint16_t)(2 * FW_RX_CAP + hal_uart_rx_capacity());
	/* RX3: one more buffer for PROGRAMs, beyond rx_buffer (older hosts
	 * keep to rx_buffer and never count on it) */
	h.caps = PROTO_CAP_CRC32 | PROTO_CAP_BLANK | PROTO_CAP_XFER |
		 PROTO_CAP_SFDP | PROTO_CAP_ADDR4 | PROTO_CAP_PENDING |
		 PROTO_CAP_STREAM | PROTO_CAP_BAUD | PROTO_CAP_PIPELINE |
		 PROTO_CAP_CRC32_MULTI | PROTO_CAP_DIAG | PROTO_CAP_STREAM_CMP |
		 PROTO_CAP_PAD | PROTO_CAP_CRC_SPAN | PROTO_CAP_BLANK_RUN |
		 PROTO_CAP_RX3;
	h.f_cpu = hal_f_cpu();
	h.max_read = FW_READ_MAX;
	return (int16_t)proto_ans_hello_pack(r->out, &h, hal_board());
}

static int16_t op_spi_clock(struct fw_core *c, struct req *r)
{
	uint32_t hz;

	(void)c;
	if (proto_u32_unpack(r->p, r->n, &hz))
		return PROTO_E_ARG;
	return (int16_t)proto_u32_pack(r->out, hal_spi_set_clock(hz));
}

static int16_t op_chip(struct fw_core *c, struct req *r)
{
	struct proto_chip q;

	if (proto_req_chip_unpack(r->p, r->n, &q) || q.page_size == 0 || q.page_size > 256 ||
	    (q.page_size & (q.page_size - 1)) || q.addr_mode > PROTO_ADDR_4_MODE ||
	    q.size == 0 || q.t_page_max_ms == 0 ||
	    (q.size > SPINOR_ADDR3_SPAN && q.addr_mode == PROTO_ADDR_3))
		return PROTO_E_ARG;
	c->flash.page_size = q.page_size;
	c->flash.addr_mode = q.addr_mode;
	c->flash.size = q.size;
	c->flash.t_page_max_ms = q.t_page_max_ms;
	return 0;
}

static int16_t op_jedec(struct fw_core *c, struct req *r)
{
	uint8_t n;

	if (proto_u8_unpack(r->p, r->n, &n) || n < 1 || n > 16)
		return PROTO_E_ARG;
	flash_jedec(&c->flash, r->out, n);
	return n;
}

static int16_t op_sfdp(struct fw_core *c, struct req *r)
{
	struct proto_req_read q;

	if (proto_req_read_unpack(r->p, r->n, &q) || q.len > FW_READ_MAX || q.addr > 0xFFFFFFUL)
		return PROTO_E_ARG;
	flash_sfdp(&c->flash, q.addr, r->out, q.len);
	return (int16_t)q.len;
}

static int16_t op_read(struct fw_core *c, struct req *r)
{
	struct proto_req_read q;

	if (proto_req_read_unpack(r->p, r->n, &q) || q.len > FW_READ_MAX ||
	    !in_chip(c, q.addr, q.len))
		return PROTO_E_ARG;
	flash_read(&c->flash, q.addr, r->out, q.len);
	return (int16_t)q.len;
}

static int16_t op_program(struct fw_core *c, struct req *r)
{
	struct proto_req_program q;

	if (proto_req_program_unpack(r->p, r->n, &q) || !in_chip(c, q.addr, q.len))
		return PROTO_E_ARG;
	return flash_program(&c->flash, q.addr, q.data, q.len);
}

static int16_t op_erase(struct fw_core *c, struct req *r)
{
	struct proto_req_erase q;
	uint8_t op;

	if (proto_req_erase_unpack(r->p, r->n, &q) || q.max_ms == 0 || q.addr >= c->flash.size)
		return PROTO_E_ARG;
	op = q.opcode;
	if (op != SPINOR_OP_SE && op != SPINOR_OP_BE32 && op != SPINOR_OP_BE64 &&
	    op != SPINOR_OP_CE && op != SPINOR_OP_CE_60)
		return PROTO_E_ARG;
	return flash_erase(&c->flash, q.addr, op, q.max_ms);
}

static int16_t op_read_sr(struct fw_core *c, struct req *r)
{
	uint8_t op;

	if (proto_u8_unpack(r->p, r->n, &op))
		return PROTO_E_ARG;
	return (int16_t)proto_u8_pack(r->out, flash_read_sr(&c->flash, op));
}

static int16_t op_write_sr(struct fw_core *c, struct req *r)
{
	struct proto_req_write_sr q;

	if (proto_req_write_sr_unpack(r->p, r->n, &q))
		return PROTO_E_ARG;
	return flash_write_sr(&c->flash, q.opcode, q.flags, q.val, q.n, q.max_ms);
}

static int16_t op_crc32(struct fw_core *c, struct req *r)
{
	struct proto_req_range q;

	if (proto_req_range_unpack(r->p, r->n, &q) || !in_chip(c, q.addr, q.len))
		return PROTO_E_ARG;
	return (int16_t)proto_u32_pack(r->out, flash_crc32(&c->flash, q.addr, q.len, 0));
}

/* CRCs of count consecutive units in one pass: what a writer needs to
 * classify the sectors of a block with one round trip.  With a span, of the
 * first span bytes of each: a sample that proves a unit differs for a
 * sixteenth of the time. */
static int16_t op_crc32_multi(struct fw_core *c, struct req *r)
{
	struct proto_req_crc32_multi q;
	uint32_t n;
	uint16_t i;

	if (proto_req_crc32_multi_unpack(r->p, r->n, &q) || q.count == 0 ||
	    q.count > FW_READ_MAX / 4 || q.unit == 0 || q.unit > c->flash.size ||
	    !in_chip(c, q.addr, 0) || (c->flash.size - q.addr) / q.unit < q.count ||
	    q.span > q.unit)
		return PROTO_E_ARG;
	n = q.span ? q.span : q.unit;
	for (i = 0; i < q.count; i++, q.addr += q.unit)
		proto_ans_crc32_multi_put(r->out, i, flash_crc32(&c->flash, q.addr, n, 0));
	return (int16_t)(4 * q.count);
}

static int16_t op_blank(struct fw_core *c, struct req *r)
{
	struct proto_req_range q;

	if (proto_req_range_unpack(r->p, r->n, &q) || !in_chip(c, q.addr, q.len))
		return PROTO_E_ARG;
	return (int16_t)proto_u32_pack(r->out, flash_blank(&c->flash, q.addr, q.len));
}

static int16_t op_xfer(struct fw_core *c, struct req *r)
{
	struct proto_req_xfer q;

	if (proto_req_xfer_unpack(r->p, r->n, &q) || q.rlen > FW_READ_MAX)
		return PROTO_E_ARG;
	flash_xfer(&c->flash, q.w, q.wlen, r->out, q.rlen);
	return (int16_t)q.rlen;
}

static int16_t op_ping(struct fw_core *c, struct req *r)
{
	(void)c;
	memcpy(r->out, r->p, r->n);
	return (int16_t)r->n;
}

/*
 * SET_PAD: a USB bridge that holds a short answer until its buffer fills or
 * a timer runs out (an FT232R: 62 bytes or 16 ms) adds that timer to every
 * round trip; filler bytes after each answer (FF: outside a frame, the
 * host's decoder skips them) make it pass the answer on at once.
 */
static int16_t op_set_pad(struct fw_core *c, struct req *r)
{
	uint8_t n;

	if (proto_u8_unpack(r->p, r->n, &n) || n > FW_PAD_MAX)
		return PROTO_E_ARG;
	c->pad = n;
	return (int16_t)proto_u8_pack(r->out, n);
}

static void send_answer(struct fw_core *c)
{
	hal_uart_send(c->wire, c->wire_len);
	hal_uart_send_pad(c->pad);
}

/* The answer goes out at the old rate; the new one applies after it. */
static int16_t op_set_baud(struct fw_core *c, struct req *r)
{
	uint32_t baud;

	(void)c;
	if (proto_u32_unpack(r->p, r->n, &baud))
		return PROTO_E_ARG;
	return (int16_t)proto_u32_pack(r->out, baud);
}

static void set_baud_after(struct fw_core *c, uint32_t baud)
{
	if (hal_uart_set_baud(baud)) {
		c->baud_probation = 1;
		c->baud_raised = baud != hal_uart_boot_baud();
		c->baud_since_ms = hal_millis();
		c->last_good_ms = c->baud_since_ms;
	}
}

static int16_t dispatch(struct fw_core *c, uint8_t type, struct req *r)
{
	switch (type) {
	case PROTO_OP_HELLO:     return op_hello(c, r);
	case PROTO_OP_SPI_CLOCK: return op_spi_clock(c, r);
	case PROTO_OP_CHIP:      return op_chip(c, r);
	case PROTO_OP_JEDEC:     return op_jedec(c, r);
	case PROTO_OP_SFDP:      return op_sfdp(c, r);
	case PROTO_OP_READ:      return op_read(c, r);
	case PROTO_OP_PROGRAM:   return op_program(c, r);
	case PROTO_OP_ERASE:     return op_erase(c, r);
	case PROTO_OP_READ_SR:   return op_read_sr(c, r);
	case PROTO_OP_WRITE_SR:  return op_write_sr(c, r);
	case PROTO_OP_CRC32:     return op_crc32(c, r);
	case PROTO_OP_BLANK:     return op_blank(c, r);
	case PROTO_OP_XFER:      return op_xfer(c, r);
	case PROTO_OP_PING:      return op_ping(c, r);
	case PROTO_OP_SET_BAUD:  return op_set_baud(c, r);
	case PROTO_OP_READ_STREAM: return fw_read_stream(c, r->p, r->n, r->seq, r->out);
	case PROTO_OP_CRC32_MULTI: return op_crc32_multi(c, r);
	case PROTO_OP_DIAG:      return fw_diag(&c->flash, r->p, r->n, r->out);
	case PROTO_OP_SET_PAD:   return op_set_pad(c, r);
	default:                 return PROTO_E_UNKNOWN_OP;
	}
}

static void handle(struct fw_core *c, const struct fw_req *q)
{
	struct req r;
	int16_t rc;
	uint8_t ok;
	uint8_t *status = c->wire + PROTO_INPLACE_PAYLOAD;  /* overwritten by encoding */

	if (q->type & PROTO_OP_RESPONSE)
		return;               /* a device frame echoed back: not for us */
	/* A resend is the same request: same type, seq and CRC.  HELLO starts a
	 * session and is never answered from the copy, so a new client whose
	 * numbering happens to meet the old one's cannot get a stale answer. */
	if (c->have_last && q->type == c->last_type && q->seq == c->last_seq &&
	    q->crc == c->last_crc && q->type != PROTO_OP_HELLO) {
		send_answer(c);
		return;
	}
	/* wire[] is about to be overwritten: let the last answer finish.  A
	 * PROGRAM writes nothing there before its own answer (which waits
	 * for the line below), and the chip is idle until it starts: it goes
	 * first, 44 us sooner at 2 Mbaud */
	if (q->type != PROTO_OP_PROGRAM)
		tx_wait_pumping(c);
	c->have_last = 0;
	c->cur_seq = q->seq;
	c->last_pending_ms = hal_millis();
	r.p = q->payload;
	r.n = q->len;
	r.out = OUT(c);
	r.seq = q->seq;
	rc = dispatch(c, q->type, &r);
	/* a long request (a stream, a chip erase) is not silence: the rate
	 * fallback counts from the end of it */
	c->last_good_ms = hal_millis();
	ok = rc >= 0;
	*status = ok ? PROTO_OK : (uint8_t)rc;
	if (!ok)
		rc = 0;
	hal_uart_tx_wait();       /* a stream may still be sending from wire[] */
	c->wire_len = (uint16_t)proto_encode_inplace(c->wire, sizeof(c->wire),
						     q->type | PROTO_OP_RESPONSE, q->seq,
						     (size_t)rc + 1);
	send_answer(c);
	if (q->type == PROTO_OP_READ_STREAM)
		return;               /* never replayed: a resend wants the data */
	c->last_type = q->type;
	c->last_seq = q->seq;
	c->last_crc = q->crc;
	c->have_last = 1;
	if (q->type == PROTO_OP_SET_BAUD && ok) {
		uint32_t baud;

		hal_uart_tx_wait();
		if (!proto_u32_unpack(q->payload, q->len, &baud))
			set_baud_after(c, baud);
	}
}

void fw_core_init(struct fw_core *c)
{
	uint8_t ready[PROTO_READY_LEN];

	memset(c, 0, sizeof(*c));
	proto_dec_init(&c->dec, c->pool.rx[0], FW_RX_CAP);
	c->spare[0] = c->pool.rx[1];
	c->n_spare = 1;
	c->rx3_free = 1;
	flash_init(&c->flash);
	fw_serprog_init(&c->serprog);
	c->flash.tick = core_tick;
	c->flash.tick_ctx = c;
	c->flash.data_sent = core_data_sent;
	c->last_rx_ms = hal_millis();
	send_small(PROTO_OP_READY, 0, ready, (uint8_t)proto_ready_pack(ready, PROTO_VERSION));
}

void fw_core_poll(struct fw_core *c)
{
	uint32_t now;
	uint8_t got = 0;

	hal_watchdog_kick();
	/* Between frames the line may carry flashrom's serprog (fw_serprog.h,
	 * PROTOCOL.md section 7): bytes between frames are fw_serprog's, also
	 * those that arrive after it looked, and the decoder gets bytes only
	 * once the A5 that fw_serprog hands back has started a frame.  So
	 * frames cost nothing per byte, and no serprog byte is lost. */
	if (!c->n_ready && !proto_dec_busy(&c->dec) &&
	    fw_serprog_poll(&c->serprog, c->pool.tx2, sizeof(c->pool.tx2))) {
		proto_dec_feed(&c->dec, PROTO_SOF);
		c->last_rx_ms = hal_millis();
	}
	/* with a request waiting, rx_pump would only return (its set-up
	 * alone is ~150 cycles, and the chip waits for this one) */
	if (proto_dec_busy(&c->dec) && !c->n_ready)
		got = rx_pump(c, 1);
	if (c->n_ready) {
		struct fw_req q = c->ready[0];

		if (q.buf == RX3(c) && q.type != PROTO_OP_PROGRAM) {
			/* to the pair, both free now: nothing came after it,
			 * and what came before has run */
			uint8_t *to = c->spare[--c->n_spare];

			memcpy(to, q.buf, FW_RX_CAP);
			q.payload = to + (q.payload - q.buf);
			q.buf = to;
			c->rx3_hold = 0;
			c->rx3_free = 1;
		}
		/* taken: q.buf stays the request's until it gives it back
		 * (core_data_sent) or handle() returns */
		c->ready[0] = c->ready[1];
		c->ready[1] = c->ready[2];
		c->n_ready--;
		c->run_buf = q.buf;
		c->run_type = q.type;
		c->running = 1;
		handle(c, &q);
		c->running = 0;
		core_data_sent(c);
		dec_give(c);
		return;
	}
	/* between requests the pair serves: the third buffer is for PROGRAMs
	 * in flight, and a request that lands in it must move */
	if (c->dec.body == RX3(c) && !c->dec_idle && !proto_dec_busy(&c->dec) && c->n_spare) {
		c->dec.body = c->spare[--c->n_spare];
		c->rx3_free = 1;
	}
	/* Mid-frame the rest is on its way, a byte every 88 cycles at 2 Mbaud:
	 * go round again at once, no clock and no sleep, or the receive ring
	 * fills faster than a wake-up per byte empties it. */
	if (got)
		return;
	now = hal_millis();
	if (proto_dec_busy(&c->dec) && (uint32_t)(now - c->last_rx_ms) > FW_FRAME_TIMEOUT_MS)
		proto_dec_reset(&c->dec);
	if ((c->baud_probation && (uint32_t)(now - c->baud_since_ms) > FW_BAUD_PROBATION_MS) ||
	    (c->baud_raised && (uint32_t)(now - c->last_good_ms) > FW_BAUD_IDLE_MS)) {
		c->baud_probation = 0;
		c->baud_raised = 0;
		hal_uart_set_baud(hal_uart_boot_baud());
	}
	if (!proto_dec_busy(&c->dec))
		hal_idle();
}
