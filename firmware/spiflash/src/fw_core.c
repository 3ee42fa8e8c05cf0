/*
 * fw_core: protocol dispatcher of the spiflash firmware.
 *
 * One request at a time: a frame is decoded into body[], its arguments are
 * copied out, and the answer is built in the same buffer (the request is
 * no longer needed), then encoded into wire[] and sent.  wire[] is kept so
 * that a resent request (same type and seq) is answered again without running
 * it twice.  The host never sends a new request before the answer, so the
 * receive side can never be overrun (PROTOCOL.md, section 2).
 */
#include "fw_core.h"
#include "fw_hal.h"

#include <string.h>

#define ADDR3_SPAN 0x1000000UL

struct req {
	const uint8_t *p;      /* request payload */
	uint16_t n;
	uint8_t *out;          /* answer data, after the status byte */
};

static void send_small(uint8_t type, uint8_t seq, const uint8_t *payload, uint8_t n)
{
	uint8_t buf[PROTO_WIRE_MAX(8)];
	size_t len = proto_encode(type, seq, payload, n, buf, sizeof(buf));

	hal_uart_write(buf, (uint16_t)len);
}

static void send_status(uint8_t type, uint8_t seq, int8_t status)
{
	uint8_t s = (uint8_t)status;

	send_small(type, seq, &s, 1);
}

/* Keepalive for long requests, called by fw_flash from its loops. */
static void core_tick(void *ctx)
{
	struct fw_core *c = (struct fw_core *)ctx;
	uint32_t now = hal_millis();

	if ((uint32_t)(now - c->last_pending_ms) >= FW_PENDING_MS) {
		c->last_pending_ms = now;
		send_status(PROTO_OP_PENDING, c->cur_seq, PROTO_OK);
	}
}

/* addr..addr+len inside the chip, without overflowing 32 bits */
static int in_chip(const struct fw_core *c, uint32_t addr, uint32_t len)
{
	return addr < c->flash.size && len <= c->flash.size - addr;
}

static int16_t op_hello(struct fw_core *c, struct req *r)
{
	uint8_t *o = r->out;
	const char *board = hal_board();
	uint8_t i;

	(void)c;
	if (r->n < 1)
		return PROTO_E_ARG;
	o[0] = PROTO_VERSION;
	o[1] = 1;                 /* oldest version spoken */
	o[2] = FW_VERSION_MAJOR;
	o[3] = FW_VERSION_MINOR;
	o[4] = FW_VERSION_PATCH;
	proto_put16(o + 5, FW_MAX_PAYLOAD);
	proto_put16(o + 7, hal_uart_rx_capacity());
	proto_put32(o + 9, PROTO_CAP_CRC32 | PROTO_CAP_BLANK | PROTO_CAP_XFER |
		    PROTO_CAP_SFDP | PROTO_CAP_ADDR4 | PROTO_CAP_PENDING);
	proto_put32(o + 13, hal_f_cpu());
	for (i = 0; i < 16; i++) {
		o[17 + i] = (uint8_t)*board;
		if (*board)
			board++;
	}
	return PROTO_HELLO_LEN;
}

static int16_t op_spi_clock(struct fw_core *c, struct req *r)
{
	(void)c;
	if (r->n != 4)
		return PROTO_E_ARG;
	proto_put32(r->out, hal_spi_set_clock(proto_get32(r->p)));
	return 4;
}

static int16_t op_chip(struct fw_core *c, struct req *r)
{
	uint16_t page = proto_get16(r->p);
	uint8_t mode = r->p[2];
	uint32_t size = proto_get32(r->p + 3);
	uint16_t t_page = proto_get16(r->p + 7);

	if (r->n != PROTO_CHIP_LEN || page == 0 || page > 256 || (page & (page - 1)) ||
	    mode > PROTO_ADDR_4_MODE || size == 0 || t_page == 0 ||
	    (size > ADDR3_SPAN && mode == PROTO_ADDR_3))
		return PROTO_E_ARG;
	c->flash.page_size = page;
	c->flash.addr_mode = mode;
	c->flash.size = size;
	c->flash.t_page_max_ms = t_page;
	return 0;
}

static int16_t op_jedec(struct fw_core *c, struct req *r)
{
	uint8_t n = r->p[0];

	if (r->n != 1 || n < 1 || n > 16)
		return PROTO_E_ARG;
	flash_jedec(&c->flash, r->out, n);
	return n;
}

static int16_t op_sfdp(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint16_t len = proto_get16(r->p + 4);

	if (r->n != 6 || len > FW_MAX_PAYLOAD - 1 || addr > 0xFFFFFFUL)
		return PROTO_E_ARG;
	flash_sfdp(&c->flash, addr, r->out, len);
	return (int16_t)len;
}

static int16_t op_read(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint16_t len = proto_get16(r->p + 4);

	if (r->n != 6 || len > FW_MAX_PAYLOAD - 1 || !in_chip(c, addr, len))
		return PROTO_E_ARG;
	flash_read(&c->flash, addr, r->out, len);
	return (int16_t)len;
}

static int16_t op_program(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint16_t len = (uint16_t)(r->n - 4);

	if (r->n < 5 || !in_chip(c, addr, len))
		return PROTO_E_ARG;
	return flash_program(&c->flash, addr, r->p + 4, len);
}

static int16_t op_erase(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint8_t op = r->p[4];
	uint32_t max_ms = proto_get32(r->p + 5);

	if (r->n != 9 || max_ms == 0 || addr >= c->flash.size)
		return PROTO_E_ARG;
	if (op != FLASH_OP_SE && op != FLASH_OP_BE32 && op != FLASH_OP_BE64 &&
	    op != FLASH_OP_CE && op != FLASH_OP_CE_60)
		return PROTO_E_ARG;
	return flash_erase(&c->flash, addr, op, max_ms);
}

static int16_t op_read_sr(struct fw_core *c, struct req *r)
{
	if (r->n != 1)
		return PROTO_E_ARG;
	r->out[0] = flash_read_sr(&c->flash, r->p[0]);
	return 1;
}

static int16_t op_write_sr(struct fw_core *c, struct req *r)
{
	uint8_t n = r->p[2];
	uint8_t val[3];

	if (r->n < 3 || n < 1 || n > 3 || r->n != (uint16_t)(3 + n + 2))
		return PROTO_E_ARG;
	memcpy(val, r->p + 3, n);
	return flash_write_sr(&c->flash, r->p[0], r->p[1], val, n,
			      proto_get16(r->p + 3 + n));
}

static int16_t op_crc32(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint32_t len = proto_get32(r->p + 4);
	uint32_t crc;

	if (r->n != 8 || !in_chip(c, addr, len))
		return PROTO_E_ARG;
	/* body[] is free once the arguments are read: use it as scratch */
	crc = flash_crc32(&c->flash, addr, len, c->body, 256);
	proto_put32(r->out, crc);
	return 4;
}

static int16_t op_blank(struct fw_core *c, struct req *r)
{
	uint32_t addr = proto_get32(r->p);
	uint32_t len = proto_get32(r->p + 4);

	if (r->n != 8 || !in_chip(c, addr, len))
		return PROTO_E_ARG;
	proto_put32(r->out, flash_blank(&c->flash, addr, len));
	return 4;
}

static int16_t op_xfer(struct fw_core *c, struct req *r)
{
	uint16_t rlen = proto_get16(r->p);

	if (r->n < 2 || rlen > FW_MAX_PAYLOAD - 1)
		return PROTO_E_ARG;
	/* every write byte is clocked out before the first read byte lands, so
	 * the answer may overwrite the request in the shared buffer */
	flash_xfer(&c->flash, r->p + 2, (uint16_t)(r->n - 2), r->out, rlen);
	return (int16_t)rlen;
}

static int16_t op_ping(struct fw_core *c, struct req *r)
{
	(void)c;
	if (r->n > FW_MAX_PAYLOAD - 1)
		return PROTO_E_ARG;
	memmove(r->out, r->p, r->n);
	return (int16_t)r->n;
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
	default:                 return PROTO_E_UNKNOWN_OP;
	}
}

static void handle_frame(struct fw_core *c)
{
	uint8_t type = c->dec.type, seq = c->dec.seq;
	uint16_t crc = proto_get16(c->dec.payload + c->dec.payload_len);
	struct req r;
	int16_t rc;

	if (type & PROTO_OP_RESPONSE)
		return;               /* our own kind of frame echoed back: ignore */
	/* A resend is the same request: same type, seq and CRC.  HELLO starts a
	 * session and is never answered from the copy, so a new client whose
	 * numbering happens to meet the old one's cannot get a stale answer. */
	if (c->have_last && type == c->last_type && seq == c->last_seq &&
	    crc == c->last_crc && type != PROTO_OP_HELLO) {
		hal_uart_write(c->wire, c->wire_len);
		return;
	}
	c->have_last = 0;
	c->cur_seq = seq;
	c->last_pending_ms = hal_millis();
	r.p = c->dec.payload;
	r.n = c->dec.payload_len;
	r.out = c->body + 1;
	rc = dispatch(c, type, &r);
	if (rc < 0) {
		c->body[0] = (uint8_t)rc;
		rc = 0;
	} else {
		c->body[0] = PROTO_OK;
	}
	c->wire_len = (uint16_t)proto_encode(type | PROTO_OP_RESPONSE, seq, c->body,
					     (size_t)rc + 1, c->wire, sizeof(c->wire));
	c->last_type = type;
	c->last_seq = seq;
	c->last_crc = crc;
	c->have_last = 1;
	hal_uart_write(c->wire, c->wire_len);
}

void fw_core_init(struct fw_core *c)
{
	uint8_t ready[2] = { PROTO_OK, PROTO_VERSION };

	memset(c, 0, sizeof(*c));
	proto_dec_init(&c->dec, c->body, sizeof(c->body));
	flash_init(&c->flash);
	c->flash.tick = core_tick;
	c->flash.tick_ctx = c;
	c->last_rx_ms = hal_millis();
	send_small(PROTO_OP_READY, 0, ready, sizeof(ready));
}

void fw_core_poll(struct fw_core *c)
{
	int16_t ch = hal_uart_getc();

	if (ch < 0) {
		if (proto_dec_busy(&c->dec) &&
		    (uint32_t)(hal_millis() - c->last_rx_ms) > FW_FRAME_TIMEOUT_MS)
			proto_dec_reset(&c->dec);
		else
			hal_idle();
		return;
	}
	c->last_rx_ms = hal_millis();
	switch (proto_dec_feed(&c->dec, (uint8_t)ch)) {
	case PROTO_DEC_FRAME:
		handle_frame(c);
		break;
	case PROTO_DEC_ERROR:
		send_status(PROTO_OP_FRAME_ERR, 0, c->dec.err);
		break;
	default:
		break;
	}
}
