/*
 * proto: frame codec, CRCs and status strings of the spiflash protocol.
 * See proto.h for the interface and PROTOCOL.md for the specification.
 */
#include "proto.h"

#include <string.h>

#ifdef __AVR__
#include <avr/pgmspace.h>
#include <util/crc16.h>
#endif

enum dec_state {
	DEC_IDLE = 0,     /* waiting for SOF; other bytes are ignored */
	DEC_FRAME,        /* inside a frame, collecting COBS blocks */
	DEC_DISCARD,      /* dropping the rest of a bad frame up to its 0x00 */
};

uint16_t proto_crc16_update(uint16_t crc, uint8_t byte)
{
#ifdef __AVR__
	return _crc_xmodem_update(crc, byte);
#else
	/* The same computation as avr-libc's _crc_xmodem_update. */
	int i;

	crc ^= (uint16_t)byte << 8;
	for (i = 0; i < 8; i++)
		crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	return crc;
#endif
}

uint16_t proto_crc16(const uint8_t *buf, size_t len)
{
	uint16_t crc = 0;

	while (len--)
		crc = proto_crc16_update(crc, *buf++);
	return crc;
}

/*
 * Nibble-table CRC-32: 64 bytes of table instead of zlib's 1 KiB, which
 * matters on a part with 2 KiB of RAM, at about twice the bitwise speed.
 */
#ifdef __AVR__
static const uint32_t crc32_nibble[16] PROGMEM = {
#else
static const uint32_t crc32_nibble[16] = {
#endif
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static uint32_t crc32_tab(uint8_t i)
{
#ifdef __AVR__
	return pgm_read_dword(&crc32_nibble[i]);
#else
	return crc32_nibble[i];
#endif
}

uint32_t proto_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *buf++;
		crc = (crc >> 4) ^ crc32_tab(crc & 0x0f);
		crc = (crc >> 4) ^ crc32_tab(crc & 0x0f);
	}
	return ~crc;
}

/* The body of a frame is scattered over three pieces; read it as one. */
struct body_view {
	const uint8_t *hdr;      /* PROTO_HDR_LEN bytes */
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *crc;      /* PROTO_CRC_LEN bytes */
};

static uint8_t body_at(const struct body_view *v, size_t i)
{
	if (i < PROTO_HDR_LEN)
		return v->hdr[i];
	i -= PROTO_HDR_LEN;
	if (i < v->payload_len)
		return v->payload[i];
	return v->crc[i - v->payload_len];
}

size_t proto_encode(uint8_t type, uint8_t seq, const uint8_t *payload,
		    size_t payload_len, uint8_t *out, size_t out_cap)
{
	uint8_t hdr[PROTO_HDR_LEN] = { type, seq };
	uint8_t crcb[PROTO_CRC_LEN];
	struct body_view v = { hdr, payload, payload_len, crcb };
	size_t body_len = PROTO_HDR_LEN + payload_len + PROTO_CRC_LEN;
	size_t i, o, code_at;
	uint16_t crc;

	if (payload_len > PROTO_MAX_PAYLOAD || out_cap < PROTO_WIRE_MAX(payload_len))
		return 0;

	crc = proto_crc16_update(proto_crc16_update(0, type), seq);
	for (i = 0; i < payload_len; i++)
		crc = proto_crc16_update(crc, payload[i]);
	proto_put16(crcb, crc);

	/* COBS: each block is a code byte (1 + bytes to the next zero) and the
	 * non-zero bytes before it; a block of 254 data bytes has code 0xFF and
	 * no implied zero. */
	out[0] = PROTO_SOF;
	code_at = 1;
	o = 2;
	for (i = 0; i < body_len; i++) {
		uint8_t b = body_at(&v, i);

		if (b == 0) {
			out[code_at] = (uint8_t)(o - code_at);
			code_at = o++;
			continue;
		}
		out[o++] = b;
		if (o - code_at == 0xFF) {
			out[code_at] = 0xFF;
			code_at = o++;
		}
	}
	out[code_at] = (uint8_t)(o - code_at);
	out[o++] = PROTO_EOF;
	return o;
}

void proto_dec_init(struct proto_dec *d, uint8_t *body, uint16_t cap)
{
	memset(d, 0, sizeof(*d));
	d->body = body;
	d->cap = cap;
}

void proto_dec_reset(struct proto_dec *d)
{
	d->state = DEC_IDLE;
	d->len = 0;
	d->left = 0;
	d->code = 0;
}

int proto_dec_busy(const struct proto_dec *d)
{
	return d->state != DEC_IDLE;
}

static enum proto_dec_result dec_fail(struct proto_dec *d, int8_t err, uint8_t next)
{
	d->err = err;
	d->state = next;
	d->len = 0;
	return PROTO_DEC_ERROR;
}

static enum proto_dec_result dec_finish(struct proto_dec *d)
{
	uint16_t n = d->len;

	d->state = DEC_IDLE;
	d->len = 0;
	if (d->left != 0 || n < PROTO_HDR_LEN + PROTO_CRC_LEN)
		return dec_fail(d, PROTO_E_FRAMING, DEC_IDLE);
	if (proto_crc16(d->body, n - PROTO_CRC_LEN) != proto_get16(d->body + n - PROTO_CRC_LEN))
		return dec_fail(d, PROTO_E_CRC, DEC_IDLE);
	d->type = d->body[0];
	d->seq = d->body[1];
	d->payload = d->body + PROTO_HDR_LEN;
	d->payload_len = (uint16_t)(n - PROTO_HDR_LEN - PROTO_CRC_LEN);
	return PROTO_DEC_FRAME;
}

static enum proto_dec_result dec_put(struct proto_dec *d, uint8_t b)
{
	if (d->len >= d->cap)
		return dec_fail(d, PROTO_E_OVERSIZE, DEC_DISCARD);
	d->body[d->len++] = b;
	return PROTO_DEC_NONE;
}

enum proto_dec_result proto_dec_feed(struct proto_dec *d, uint8_t byte)
{
	switch (d->state) {
	case DEC_IDLE:
		if (byte == PROTO_SOF) {
			d->state = DEC_FRAME;
			d->len = 0;
			d->left = 0;
			d->code = 0xFF;   /* no zero before the first block */
		}
		return PROTO_DEC_NONE;
	case DEC_DISCARD:
		if (byte == PROTO_EOF)
			d->state = DEC_IDLE;
		return PROTO_DEC_NONE;
	default:
		break;
	}

	if (byte == PROTO_EOF)
		return dec_finish(d);
	if (d->left) {
		d->left--;
		return dec_put(d, byte);
	}
	/* A code byte: the block before it ended in an implied zero unless it
	 * was a full 0xFF block (or this is the first block). */
	if (d->code != 0xFF && dec_put(d, 0) != PROTO_DEC_NONE)
		return PROTO_DEC_ERROR;
	d->code = byte;
	d->left = (uint8_t)(byte - 1);
	return PROTO_DEC_NONE;
}

const char *proto_status_str(int status)
{
	switch (status) {
	case PROTO_OK:           return "ok";
	case PROTO_E_CRC:        return "frame CRC mismatch";
	case PROTO_E_FRAMING:    return "malformed frame";
	case PROTO_E_OVERSIZE:   return "frame too long for the device";
	case PROTO_E_UNKNOWN_OP: return "request not supported by the device";
	case PROTO_E_ARG:        return "invalid request arguments";
	case PROTO_E_TIMEOUT:    return "chip stayed busy past its deadline";
	case PROTO_E_WEL:        return "write enable did not latch (write protected or no chip)";
	case PROTO_E_CHIP:       return "chip does not answer";
	case PROTO_E_BUSY:       return "chip still busy from an earlier operation";
	default:                 return "unknown status";
	}
}
