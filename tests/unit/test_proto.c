/*
 * Unit tests of the protocol codec: known-answer CRCs, round trips, every
 * single-bit flip, truncation, oversize, garbage before a frame, and the
 * worked examples of PROTOCOL.md decoded byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "proto.h"

#ifndef PROTOCOL_MD
#define PROTOCOL_MD "protocol/PROTOCOL.md"
#endif

/* Feed bytes; return the result of the last feed that was not NONE. */
static int feed_all(struct proto_dec *d, const uint8_t *b, size_t n, int *frames, int *errors)
{
	int last = PROTO_DEC_NONE;
	size_t i;

	for (i = 0; i < n; i++) {
		int r = proto_dec_feed(d, b[i]);

		if (r == PROTO_DEC_FRAME)
			(*frames)++;
		if (r == PROTO_DEC_ERROR)
			(*errors)++;
		if (r != PROTO_DEC_NONE)
			last = r;
	}
	return last;
}

static void test_crc_known_answers(void **state)
{
	const uint8_t *s = (const uint8_t *)"123456789";

	(void)state;
	assert_int_equal(proto_crc16(s, 9), 0x31C3);
	assert_int_equal(proto_crc32_update(0, s, 9), 0xCBF43926UL);
	/* split updates equal one pass, and match zlib on arbitrary data */
	{
		uint8_t buf[1000];
		size_t i;

		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)(i * 7 + (i >> 3));
		assert_int_equal(proto_crc32_update(proto_crc32_update(0, buf, 333), buf + 333, 667),
				 (uint32_t)crc32(0, buf, sizeof(buf)));
	}
}

static void test_pack(void **state)
{
	uint8_t b[4];

	(void)state;
	proto_put32(b, 0x12345678UL);
	assert_int_equal(b[0], 0x78);
	assert_int_equal(b[3], 0x12);
	assert_int_equal(proto_get32(b), 0x12345678UL);
	proto_put16(b, 0xBEEF);
	assert_int_equal(b[0], 0xEF);
	assert_int_equal(proto_get16(b), 0xBEEF);
}

static void roundtrip(size_t n, uint8_t fill_mode)
{
	static uint8_t payload[PROTO_MAX_PAYLOAD];
	static uint8_t wire[PROTO_WIRE_MAX_LEN];
	static uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t i, len;
	int frames = 0, errors = 0;

	for (i = 0; i < n; i++)
		payload[i] = fill_mode == 0 ? 0 : fill_mode == 1 ? 0xFF : (uint8_t)(i * 31 + 1);
	len = proto_encode(0x06, (uint8_t)n, payload, n, wire, sizeof(wire));
	assert_true(len > 0);
	assert_true(len <= PROTO_WIRE_MAX(n));
	assert_int_equal(wire[0], PROTO_SOF);
	assert_int_equal(wire[len - 1], PROTO_EOF);
	for (i = 1; i + 1 < len; i++)
		assert_int_not_equal(wire[i], 0);   /* COBS leaves no zero inside */
	proto_dec_init(&d, body, sizeof(body));
	assert_int_equal(feed_all(&d, wire, len, &frames, &errors), PROTO_DEC_FRAME);
	assert_int_equal(frames, 1);
	assert_int_equal(errors, 0);
	assert_int_equal(d.type, 0x06);
	assert_int_equal(d.seq, (uint8_t)n);
	assert_int_equal(d.payload_len, n);
	if (n)
		assert_memory_equal(d.payload, payload, n);
}

static void test_roundtrip_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 250, 251, 252, 253, 254, 255, 256,
					 300, 506, 507, 508, 509, 512, PROTO_MAX_PAYLOAD };
	size_t i;
	uint8_t mode;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (mode = 0; mode < 3; mode++)
			roundtrip(sizes[i], mode);
}

static void test_encode_limits(void **state)
{
	uint8_t payload[PROTO_MAX_PAYLOAD + 1] = { 0 };
	uint8_t wire[PROTO_WIRE_MAX_LEN + 8];

	(void)state;
	assert_int_equal(proto_encode(1, 1, payload, PROTO_MAX_PAYLOAD + 1, wire, sizeof(wire)), 0);
	assert_int_equal(proto_encode(1, 1, payload, 10, wire, PROTO_WIRE_MAX(10) - 1), 0);
	assert_true(proto_encode(1, 1, payload, 10, wire, PROTO_WIRE_MAX(10)) > 0);
}

/* Every single-bit flip of every byte inside the frame is caught. */
static void test_every_bit_flip_rejected(void **state)
{
	uint8_t payload[300], wire[PROTO_WIRE_MAX(300)], bad[sizeof(wire)];
	uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t i, len, flips = 0;
	int bit;

	(void)state;
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i % 5 ? i * 13 : 0);
	len = proto_encode(0x07, 42, payload, sizeof(payload), wire, sizeof(wire));
	for (i = 1; i + 1 < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			int frames = 0, errors = 0;

			memcpy(bad, wire, len);
			bad[i] ^= (uint8_t)(1 << bit);
			proto_dec_init(&d, body, sizeof(body));
			feed_all(&d, bad, len, &frames, &errors);
			/* a flip to 0x00 splits the frame: still no good frame */
			assert_int_equal(frames, 0);
			assert_true(errors >= 1);
			flips++;
		}
	}
	assert_int_equal(flips, (len - 2) * 8);
}

static void test_truncated_then_good(void **state)
{
	uint8_t p[20] = { 1, 2, 3 }, wire[PROTO_WIRE_MAX(20)], body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t len = proto_encode(0x06, 9, p, sizeof(p), wire, sizeof(wire));
	size_t cut;

	(void)state;
	for (cut = 1; cut < len - 1; cut++) {
		int frames = 0, errors = 0;

		proto_dec_init(&d, body, sizeof(body));
		feed_all(&d, wire, cut, &frames, &errors);
		assert_int_equal(frames, 0);
		/* the sender gives up on the rest: the device times out */
		proto_dec_reset(&d);
		assert_false(proto_dec_busy(&d));
		feed_all(&d, wire, len, &frames, &errors);
		assert_int_equal(frames, 1);
		assert_int_equal(d.seq, 9);
	}
	/* without the timeout, a truncated frame and the next one make one
	 * damaged frame and the following frame still gets through */
	{
		int frames = 0, errors = 0;

		proto_dec_init(&d, body, sizeof(body));
		feed_all(&d, wire, len / 2, &frames, &errors);
		feed_all(&d, wire, len, &frames, &errors);
		assert_int_equal(errors, 1);
		feed_all(&d, wire, len, &frames, &errors);
		assert_int_equal(frames, 1);
	}
}

static void test_garbage_then_frame(void **state)
{
	uint8_t garbage[512], wire[PROTO_WIRE_MAX(4)], body[PROTO_MAX_BODY];
	uint8_t p[4] = { 0, 0x10, 0, 0 };
	struct proto_dec d;
	size_t i, len = proto_encode(0x0B, 77, p, sizeof(p), wire, sizeof(wire));
	int frames = 0, errors = 0;
	uint32_t x = 12345;

	(void)state;
	for (i = 0; i < sizeof(garbage); i++) {
		x = x * 1103515245u + 12345u;
		garbage[i] = (uint8_t)(x >> 16);
	}
	proto_dec_init(&d, body, sizeof(body));
	feed_all(&d, garbage, sizeof(garbage), &frames, &errors);
	/* a 0x00 always ends whatever the garbage started */
	proto_dec_feed(&d, 0x00);
	frames = 0;
	feed_all(&d, wire, len, &frames, &errors);
	assert_int_equal(frames, 1);
	assert_int_equal(d.type, 0x0B);
	assert_int_equal(d.seq, 77);
	assert_memory_equal(d.payload, p, 4);
}

static void test_oversize_rejected_in_bounds(void **state)
{
	uint8_t p[200], wire[PROTO_WIRE_MAX(200)];
	uint8_t body[64 + 4];
	struct proto_dec d;
	size_t len;
	int frames = 0, errors = 0;

	(void)state;
	memset(p, 0x55, sizeof(p));
	len = proto_encode(0x07, 1, p, sizeof(p), wire, sizeof(wire));
	memset(body, 0xEE, sizeof(body));
	proto_dec_init(&d, body, 64);
	feed_all(&d, wire, len, &frames, &errors);
	assert_int_equal(frames, 0);
	assert_int_equal(errors, 1);
	assert_int_equal(d.err, PROTO_E_OVERSIZE);
	/* nothing written past the capacity given */
	assert_int_equal(body[64], 0xEE);
	assert_int_equal(body[67], 0xEE);
	/* the decoder is ready for the next (small) frame */
	len = proto_encode(0x01, 2, p, 3, wire, sizeof(wire));
	feed_all(&d, wire, len, &frames, &errors);
	assert_int_equal(frames, 1);
}

static void test_too_short_and_empty(void **state)
{
	uint8_t body[16];
	struct proto_dec d;
	const uint8_t empty[] = { PROTO_SOF, PROTO_EOF };
	const uint8_t three[] = { PROTO_SOF, 0x04, 0x01, 0x02, 0x03, PROTO_EOF };
	int frames = 0, errors = 0;

	(void)state;
	proto_dec_init(&d, body, sizeof(body));
	feed_all(&d, empty, sizeof(empty), &frames, &errors);
	feed_all(&d, three, sizeof(three), &frames, &errors);
	assert_int_equal(frames, 0);
	assert_int_equal(errors, 2);
	assert_int_equal(d.err, PROTO_E_FRAMING);
}

/* In-place encoding gives the same bytes as encoding from a separate buffer,
 * for every size and for data full of zeros (most code bytes) or none. */
static void test_encode_inplace(void **state)
{
	static uint8_t a[PROTO_WIRE_MAX_LEN], b[PROTO_WIRE_MAX_LEN], p[PROTO_MAX_PAYLOAD];
	size_t n, la, lb;
	int mode;

	(void)state;
	for (mode = 0; mode < 3; mode++) {
		for (n = 0; n <= PROTO_MAX_PAYLOAD; n += (n < 600 ? 1 : 50)) {
			size_t i;

			for (i = 0; i < n; i++)
				p[i] = mode == 0 ? 0 : mode == 1 ? (uint8_t)(i | 1) : (uint8_t)(i * 37);
			la = proto_encode(0xD0, (uint8_t)n, p, n, a, sizeof(a));
			memcpy(b + PROTO_INPLACE_PAYLOAD, p, n);
			lb = proto_encode_inplace(b, sizeof(b), 0xD0, (uint8_t)n, n);
			assert_int_equal(la, lb);
			assert_memory_equal(a, b, la);
		}
	}
	assert_int_equal(proto_encode_inplace(b, PROTO_INPLACE_PAYLOAD + 10, 1, 1, 20), 0);
	/* the room it asks for, short frames (no division) and long alike:
	 * the most of PROTO_WIRE_MAX and its own place, not a byte less */
	for (n = 0; n <= PROTO_MAX_PAYLOAD; n++) {
		size_t need = PROTO_WIRE_MAX(n);

		if (need < PROTO_INPLACE_PAYLOAD + n + PROTO_CRC_LEN)
			need = PROTO_INPLACE_PAYLOAD + n + PROTO_CRC_LEN;
		memset(b + PROTO_INPLACE_PAYLOAD, 0, n);
		assert_int_equal(proto_encode_inplace(b, need - 1, 0xD0, 1, n), 0);
		assert_true(proto_encode_inplace(b, need, 0xD0, 1, n) > 0);
	}
}

/* Bulk feeding gives the same results as byte-by-byte feeding, on good
 * frames, damaged ones, garbage and oversize frames, whatever the split. */
static void test_feed_buf_equals_feed(void **state)
{
	static uint8_t stream[20000], b1[300], b2[300], p[300];
	struct proto_dec d1, d2;
	size_t n = 0, i, k;
	uint32_t x = 99;
	int frames1 = 0, frames2 = 0, errors1 = 0, errors2 = 0;

	(void)state;
	while (n < sizeof(stream) - PROTO_WIRE_MAX(300)) {
		size_t len;

		x = x * 1103515245u + 12345u;
		len = (x >> 8) % 300;
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(x >> (i % 24)) & ((x >> 5) & 1 ? 0xFF : 0x0F);
		n += proto_encode((uint8_t)x, (uint8_t)(x >> 3), p, len, stream + n, sizeof(stream) - n);
		if ((x >> 12) % 5 == 0 && n > 10)
			stream[n - 1 - (x >> 16) % 8] ^= (uint8_t)(1 << ((x >> 20) % 8));
		if ((x >> 12) % 7 == 0)
			stream[n++] = (uint8_t)(x >> 24);
	}
	proto_dec_init(&d1, b1, 200);
	proto_dec_init(&d2, b2, 200);
	for (i = 0; i < n; i++) {
		int r = proto_dec_feed(&d1, stream[i]);

		frames1 += r == PROTO_DEC_FRAME;
		errors1 += r == PROTO_DEC_ERROR;
	}
	for (i = 0; i < n; ) {
		enum proto_dec_result r;
		size_t chunk = 1 + (i * 7) % 97;

		if (chunk > n - i)
			chunk = n - i;
		k = proto_dec_feed_buf(&d2, stream + i, chunk, &r);
		assert_true(k >= 1 && k <= chunk);
		if (r == PROTO_DEC_NONE)
			assert_int_equal(k, chunk);
		frames2 += r == PROTO_DEC_FRAME;
		errors2 += r == PROTO_DEC_ERROR;
		i += k;
	}
	assert_true(frames1 > 20);
	assert_true(errors1 > 5);
	assert_int_equal(frames1, frames2);
	assert_int_equal(errors1, errors2);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The indented "A5 ... 00" lines of PROTOCOL.md must be valid frames, and
 * re-encoding what they decode to must give the same bytes. */
static void test_protocol_md_examples(void **state)
{
	FILE *f = fopen(PROTOCOL_MD, "r");
	char line[512];
	int examples = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		uint8_t wire[128], again[128], body[PROTO_MAX_BODY];
		struct proto_dec d;
		size_t n = 0, len;
		char *s = line;
		int frames = 0, errors = 0;

		if (strncmp(line, "    A5 ", 7) != 0)
			continue;
		while (*s) {
			while (*s == ' ')
				s++;
			if (hexval(s[0]) < 0 || hexval(s[1]) < 0)
				break;
			wire[n++] = (uint8_t)(hexval(s[0]) << 4 | hexval(s[1]));
			s += 2;
		}
		if (*s != '\n' && *s != '\0')
			continue;       /* prose such as "A5 COBS(body) 00" */
		proto_dec_init(&d, body, sizeof(body));
		feed_all(&d, wire, n, &frames, &errors);
		assert_int_equal(frames, 1);
		assert_int_equal(errors, 0);
		len = proto_encode(d.type, d.seq, d.payload, d.payload_len, again, sizeof(again));
		assert_int_equal(len, n);
		assert_memory_equal(again, wire, n);
		examples++;
	}
	fclose(f);
	assert_true(examples >= 5);
}

static void test_status_strings(void **state)
{
	int s;

	(void)state;
	for (s = PROTO_OK; s >= PROTO_E_ABORTED; s--)
		assert_string_not_equal(proto_status_str(s), "unknown status");
	assert_string_equal(proto_status_str(-100), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_known_answers),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_roundtrip_sizes),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_encode_inplace),
		cmocka_unit_test(test_feed_buf_equals_feed),
		cmocka_unit_test(test_every_bit_flip_rejected),
		cmocka_unit_test(test_truncated_then_good),
		cmocka_unit_test(test_garbage_then_frame),
		cmocka_unit_test(test_oversize_rejected_in_bounds),
		cmocka_unit_test(test_too_short_and_empty),
		cmocka_unit_test(test_protocol_md_examples),
		cmocka_unit_test(test_status_strings),
	};

	return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
