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

#ifdef __AVR__
/* One byte into the CRC-16 by the table: r30 holds the byte, hi:lo the CRC
 * (the operands %[hi], %[lo] and %[tab] of the asm that uses it). */
#define CRC16_TAB_STEP \
	"	eor r30, %[hi]\n" \
	"	ldi r31, hi8(%[tab])\n" \
	"	lpm %[hi], Z\n" \
	"	eor %[hi], %[lo]\n" \
	"	inc r31\n" \
	"	lpm %[lo], Z\n"

/*
 * The checks of whole frames, on the AVR by the firmware's table (proto.h):
 * a 268-byte page must be checked in a fraction of its arrival time while
 * the chip programs the page before, and the table takes 15 cycles a byte
 * where _crc_xmodem_update's shifts take 32 with the loop.
 */
uint16_t proto_crc16(const uint8_t *buf, size_t len)
{
	uint8_t hi = 0, lo = 0;

	if (len)
		__asm__ volatile(
			"1:	ld r30, X+\n"
			CRC16_TAB_STEP
			"	sbiw %[n], 1\n"
			"	brne 1b\n"
			: [hi] "+r" (hi), [lo] "+r" (lo), [n] "+w" (len), [buf] "+x" (buf)
			: [tab] "i" (proto_crc16_tab)
			: "r30", "r31", "memory");   /* reads the frame's bytes */
	return (uint16_t)((uint16_t)hi << 8 | lo);
}
#else
uint16_t proto_crc16(const uint8_t *buf, size_t len)
{
	uint16_t crc = 0;

	while (len--)
		crc = proto_crc16_update(crc, *buf++);
	return crc;
}
#endif

#ifdef __AVR__
/*
 * On the AVR the table is the firmware's, sliced into four 256-byte tables
 * (byte k of each entry in slice k) for its assembly loops, which have the
 * compiler compute it (hal_arduino_loops.cpp): one copy of 1 KiB in flash.
 */
uint32_t proto_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	crc = ~crc;
	while (len--) {
		uint8_t i = (uint8_t)crc ^ *buf++;

		crc = (crc >> 8) ^ ((uint32_t)pgm_read_byte(&proto_crc32_slices[0][i]) |
				    (uint32_t)pgm_read_byte(&proto_crc32_slices[1][i]) << 8 |
				    (uint32_t)pgm_read_byte(&proto_crc32_slices[2][i]) << 16 |
				    (uint32_t)pgm_read_byte(&proto_crc32_slices[3][i]) << 24);
	}
	return ~crc;
}
#else
/* Byte-table CRC-32 (the zlib polynomial, reflected). */
const uint32_t proto_crc32_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba,
	0x076dc419, 0x706af48f, 0xe963a535, 0x9e6495a3,
	0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91,
	0x1db71064, 0x6ab020f2, 0xf3b97148, 0x84be41de,
	0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec,
	0x14015c4f, 0x63066cd9, 0xfa0f3d63, 0x8d080df5,
	0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b,
	0x35b5a8fa, 0x42b2986c, 0xdbbbc9d6, 0xacbcf940,
	0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116,
	0x21b4f4b5, 0x56b3c423, 0xcfba9599, 0xb8bda50f,
	0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d,
	0x76dc4190, 0x01db7106, 0x98d220bc, 0xefd5102a,
	0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818,
	0x7f6a0dbb, 0x086d3d2d, 0x91646c97, 0xe6635c01,
	0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457,
	0x65b0d9c6, 0x12b7e950, 0x8bbeb8ea, 0xfcb9887c,
	0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2,
	0x4adfa541, 0x3dd895d7, 0xa4d1c46d, 0xd3d6f4fb,
	0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9,
	0x5005713c, 0x270241aa, 0xbe0b1010, 0xc90c2086,
	0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4,
	0x59b33d17, 0x2eb40d81, 0xb7bd5c3b, 0xc0ba6cad,
	0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683,
	0xe3630b12, 0x94643b84, 0x0d6d6a3e, 0x7a6a5aa8,
	0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe,
	0xf762575d, 0x806567cb, 0x196c3671, 0x6e6b06e7,
	0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5,
	0xd6d6a3e8, 0xa1d1937e, 0x38d8c2c4, 0x4fdff252,
	0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60,
	0xdf60efc3, 0xa867df55, 0x316e8eef, 0x4669be79,
	0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f,
	0xc5ba3bbe, 0xb2bd0b28, 0x2bb45a92, 0x5cb36a04,
	0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a,
	0x9c0906a9, 0xeb0e363f, 0x72076785, 0x05005713,
	0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21,
	0x86d3d2d4, 0xf1d4e242, 0x68ddb3f8, 0x1fda836e,
	0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c,
	0x8f659eff, 0xf862ae69, 0x616bffd3, 0x166ccf45,
	0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db,
	0xaed16a4a, 0xd9d65adc, 0x40df0b66, 0x37d83bf0,
	0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6,
	0xbad03605, 0xcdd70693, 0x54de5729, 0x23d967bf,
	0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

uint32_t proto_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ proto_crc32_table[(uint8_t)(crc ^ *buf++)];
	return ~crc;
}
#endif

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

/* COBS: each block is a code byte (1 + bytes to the next zero) and the
 * non-zero bytes before it; a block of 254 data bytes has code 0xFF and no
 * implied zero.  The output may overlap the body if it starts far enough
 * before it (see proto_encode_inplace). */
static size_t cobs_frame(const struct body_view *v, size_t body_len, uint8_t *out)
{
	size_t i, o = 2, code_at = 1;

	out[0] = PROTO_SOF;
	for (i = 0; i < body_len; i++) {
		uint8_t b = body_at(v, i);

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

static uint16_t frame_crc(uint8_t type, uint8_t seq, const uint8_t *payload, size_t n)
{
	uint16_t crc = proto_crc16_update(proto_crc16_update(0, type), seq);

	while (n--)
#ifdef __AVR__
		crc = _crc_xmodem_update(crc, *payload++);
#else
		crc = proto_crc16_update(crc, *payload++);
#endif
	return crc;
}

/* cobs_frame for a body in one piece: the same bytes, without the per-byte
 * piece lookup, for the 512-byte stream blocks the device sends at 2 Mbaud. */
static size_t cobs_frame_contig(const uint8_t *body, size_t body_len, uint8_t *out)
{
	const uint8_t *end = body + body_len;
	uint8_t *code = out + 1, *o = out + 2;

	out[0] = PROTO_SOF;
	while (body < end) {
		uint8_t b = *body++;

		if (b == 0) {
			*code = (uint8_t)(o - code);
			code = o++;
			continue;
		}
		*o++ = b;
		if (o - code == 0xFF) {
			*code = 0xFF;
			code = o++;
		}
	}
	*code = (uint8_t)(o - code);
	*o++ = PROTO_EOF;
	return (size_t)(o - out);
}

size_t proto_encode(uint8_t type, uint8_t seq, const uint8_t *payload,
		    size_t payload_len, uint8_t *out, size_t out_cap)
{
	uint8_t hdr[PROTO_HDR_LEN];
	uint8_t crcb[PROTO_CRC_LEN];
	struct body_view v;

	if (payload_len > PROTO_MAX_PAYLOAD || out_cap < PROTO_WIRE_MAX(payload_len))
		return 0;
	hdr[0] = type;
	hdr[1] = seq;
	proto_put16(crcb, frame_crc(type, seq, payload, payload_len));
	v.hdr = hdr;
	v.payload = payload;
	v.payload_len = payload_len;
	v.crc = crcb;
	return cobs_frame(&v, PROTO_HDR_LEN + payload_len + PROTO_CRC_LEN, out);
}

size_t proto_encode_inplace(uint8_t *buf, size_t cap, uint8_t type, uint8_t seq,
			    size_t payload_len)
{
	uint8_t *body = buf + PROTO_INPLACE_OFS;
	size_t body_len = PROTO_HDR_LEN + payload_len + PROTO_CRC_LEN;

	/* Below 254 bytes COBS adds one: PROTO_WIRE_MAX without its division,
	 * a library call of about 190 cycles on the AVR, in every answer,
	 * while the chip waits for the next page at 2 Mbaud */
	if (payload_len > PROTO_MAX_PAYLOAD ||
	    cap < (body_len < 254 ? body_len + 3 : PROTO_WIRE_MAX(payload_len)) ||
	    cap < PROTO_INPLACE_PAYLOAD + payload_len + PROTO_CRC_LEN)
		return 0;
	body[0] = type;
	body[1] = seq;
	/* type, seq and payload lie together here: the table CRC (on the AVR
	 * 15 cycles a byte, against 32 for frame_crc's) */
	proto_put16(body + PROTO_HDR_LEN + payload_len,
		    proto_crc16(body, PROTO_HDR_LEN + payload_len));
	return cobs_frame_contig(body, body_len, buf);
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
	if (d->crc != proto_get16(d->body + n - PROTO_CRC_LEN))
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
	/* the check runs two bytes behind: the last two are the CRC */
	if (d->len >= 2)
		d->crc = proto_crc16_update(d->crc, d->body[d->len - 2]);
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
			d->crc = 0;
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

/*
 * The fast path of the decoder: a run of COBS bytes inside a frame, data
 * and code bytes alike, straight into the body, each landing byte folding
 * body[len - 2] into the check (the last two are the CRC itself).  It takes
 * up to k bytes (1-255) and stores up to room (1-255), and stops before a
 * zero (the frame's end, or a frame cut short); the caller has len >= 2.
 * A code byte ends the block before it in an implied zero, unless that
 * block was full (code FF) or the first.  Returns the bytes taken.
 *
 * On the AVR, by hand: 21 cycles a data byte, where the copy took 20 and
 * the check of the whole frame after it 15 more, and a zero (a code byte)
 * about as much, where the C path took over 100.  At 2 Mbaud the receive
 * interrupt leaves 39 of every 88 cycles, and a page must be decoded as it
 * arrives while the one before it programs.  The sketch's portable build
 * (SPIFLASH_STREAM_C) takes the C, and tests/e2e/test_stream_asm.sh writes
 * through both.
 */
struct dec_run {
	uint16_t crc;
	uint8_t left, code;
	uint8_t stored;       /* out: bytes stored */
};

#if defined(__AVR__) && !defined(SPIFLASH_STREAM_C)
/* not inlined: the asm wants X, Y and Z, which the caller's frame may hold */
static __attribute__((noinline)) uint8_t decode_run(uint8_t *at, const uint8_t *src, uint8_t k,
						    uint8_t room, struct dec_run *r)
{
	uint8_t hi = (uint8_t)(r->crc >> 8), lo = (uint8_t)r->crc;
	uint8_t left = r->left, code = r->code, k0 = k, room0 = room;

	__asm__ volatile(
		"1:	ld __tmp_reg__, X+\n"
		"	tst __tmp_reg__\n"
		"	breq 9f\n"                 /* a zero: the caller's */
		"	tst %[left]\n"
		"	breq 3f\n"                 /* a code byte */
		"	dec %[left]\n"
		"2:	ld r30, Y+\n"              /* body[len - 2]; Y at len - 1 */
		"	std Y+1, __tmp_reg__\n"    /* body[len] */
		CRC16_TAB_STEP
		"	dec %[room]\n"
		"	breq 8f\n"
		"	dec %[k]\n"
		"	brne 1b\n"
		"	rjmp 9f\n"
		"3:	mov r31, %[code]\n"        /* the block before */
		"	mov %[code], __tmp_reg__\n"
		"	mov %[left], __tmp_reg__\n"
		"	dec %[left]\n"
		"	cpi r31, 0xFF\n"
		"	breq 4f\n"
		"	clr __tmp_reg__\n"         /* its implied zero */
		"	rjmp 2b\n"
		"4:	dec %[k]\n"
		"	brne 1b\n"
		"	rjmp 9f\n"
		"8:	dec %[k]\n"
		"9:\n"
		: [hi] "+r" (hi), [lo] "+r" (lo), [left] "+r" (left), [code] "+r" (code),
		  [k] "+r" (k), [room] "+r" (room), [src] "+x" (src), [at] "+y" (at)
		: [tab] "i" (proto_crc16_tab)
		: "r30", "r31", "memory");
	r->crc = (uint16_t)((uint16_t)hi << 8 | lo);
	r->left = left;
	r->code = code;
	r->stored = (uint8_t)(room0 - room);
	return (uint8_t)(k0 - k);
}
#else
static uint8_t decode_run(uint8_t *at, const uint8_t *src, uint8_t k, uint8_t room,
			  struct dec_run *r)
{
	uint8_t i, b, stored = 0;

	for (i = 0; i < k && src[i] != 0; ) {
		b = src[i++];
		if (r->left) {
			r->left--;
		} else {
			uint8_t before = r->code;

			r->code = b;
			r->left = (uint8_t)(b - 1);
			if (before == 0xFF)
				continue;
			b = 0;
		}
		r->crc = proto_crc16_update(r->crc, at[stored]);
		at[stored + 2] = b;
		if (++stored == room)
			break;
	}
	r->stored = stored;
	return i;
}
#endif

size_t proto_dec_feed_buf(struct proto_dec *d, const uint8_t *p, size_t n,
			  enum proto_dec_result *res)
{
	size_t i = 0;

	*res = PROTO_DEC_NONE;
	while (i < n) {
		/* runs of the frame go by the fast path; its first two bytes, a
		 * 0x00 (its end, or a frame cut short) and a full buffer by
		 * proto_dec_feed */
		if (d->state == DEC_FRAME && d->len >= 2 && d->len < d->cap) {
			struct dec_run r = { d->crc, d->left, d->code, 0 };
			size_t k = n - i, room = (size_t)(d->cap - d->len);

			i += decode_run(d->body + d->len - 2, p + i, (uint8_t)(k > 255 ? 255 : k),
					(uint8_t)(room > 255 ? 255 : room), &r);
			d->crc = r.crc;
			d->left = r.left;
			d->code = r.code;
			d->len = (uint16_t)(d->len + r.stored);
			if (i == n)
				break;
			if (p[i] != 0 && d->len < d->cap)
				continue;
		}
		*res = proto_dec_feed(d, p[i++]);
		if (*res != PROTO_DEC_NONE)
			break;
	}
	return i;
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
	case PROTO_E_ABORTED:    return "stream stopped by the host";
	default:                 return "unknown status";
	}
}
