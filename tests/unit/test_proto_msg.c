/*
 * Unit tests of the message layouts (protocol/proto_msg.h): every request and
 * answer packed to the bytes PROTOCOL.md gives, unpacked back to the same
 * fields, and every unpack refusing every length but the right ones.  The
 * worked examples of PROTOCOL.md section 4 are rebuilt from pack functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"
#include "proto_msg.h"
#include "serprog.h"
#include "spinor.h"

/* Lengths tried against every unpack: 0 up to well past the longest. */
#define TRY_MAX 64

/* An unpack with one signature, into a scratch struct. */
typedef int (*unpack_fn)(const uint8_t *p, size_t n);

/* Every length 0..TRY_MAX: unpack succeeds exactly when good(n).  The
 * payload fills a heap block of exactly n bytes, so an unpack that reads
 * past its length shows under ASan or valgrind. */
static void check_lengths(unpack_fn f, int (*good)(size_t n), const uint8_t *fill)
{
	size_t n;

	for (n = 0; n <= TRY_MAX; n++) {
		uint8_t *p = malloc(n ? n : 1);
		int rc;

		assert_non_null(p);
		memcpy(p, fill, n);
		rc = f(p, n);
		if (good(n))
			assert_int_equal(rc, 0);
		else
			assert_int_equal(rc, PROTO_E_ARG);
		free(p);
	}
}

/* A fill that keeps variable layouts well formed: WRITE_SR's count byte 1. */
static uint8_t fill[TRY_MAX];

static void fill_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(fill); i++)
		fill[i] = (uint8_t)(0x11 * (i + 1));
	fill[2] = 1;
}

#define EXACT(name, len) \
	static int good_##name(size_t n) { return n == (size_t)(len); }

EXACT(u8, PROTO_U8_LEN)
EXACT(u32, PROTO_U32_LEN)
EXACT(chip, PROTO_CHIP_LEN)
EXACT(read, PROTO_REQ_READ_LEN)
EXACT(erase, PROTO_REQ_ERASE_LEN)
EXACT(range, PROTO_REQ_RANGE_LEN)
EXACT(stream, PROTO_REQ_STREAM_LEN)
EXACT(ans_stream, PROTO_ANS_STREAM_LEN)
EXACT(ready, PROTO_READY_LEN)
EXACT(write_sr1, PROTO_REQ_WRITE_SR_LEN(1))
static int good_hello_req(size_t n) { return n >= 1; }
static int good_hello_ans(size_t n)
{
	return n == PROTO_HELLO_LEN_MIN || n >= PROTO_HELLO_LEN;
}
static int good_program(size_t n) { return n > PROTO_REQ_PROGRAM_HDR; }
static int good_xfer(size_t n) { return n >= PROTO_REQ_XFER_HDR; }
static int good_data(size_t n) { return n > PROTO_DATA_HDR; }
static int good_blank(size_t n) { return n == PROTO_DATA_BLANK_LEN || n == PROTO_DATA_RUN_LEN; }
static int good_frame_err(size_t n) { return n == 1 || n == 2; }
/* CRC32_MULTI: without a span, or with one */
static int good_multi(size_t n)
{
	return n == PROTO_REQ_CRC32_MULTI_LEN || n == PROTO_REQ_CRC32_MULTI_SPAN_LEN;
}
static int good_multi3(size_t n) { return n == 12; }

static int un_u8(const uint8_t *p, size_t n) { uint8_t v; return proto_u8_unpack(p, n, &v); }
static int un_u32(const uint8_t *p, size_t n) { uint32_t v; return proto_u32_unpack(p, n, &v); }
static int un_hello_req(const uint8_t *p, size_t n)
{
	uint8_t v;
	return proto_req_hello_unpack(p, n, &v);
}
static int un_hello_ans(const uint8_t *p, size_t n)
{
	struct proto_hello h;
	return proto_ans_hello_unpack(p, n, &h);
}
static int un_chip(const uint8_t *p, size_t n)
{
	struct proto_chip c;
	return proto_req_chip_unpack(p, n, &c);
}
static int un_read(const uint8_t *p, size_t n)
{
	struct proto_req_read r;
	return proto_req_read_unpack(p, n, &r);
}
static int un_program(const uint8_t *p, size_t n)
{
	struct proto_req_program r;
	return proto_req_program_unpack(p, n, &r);
}
static int un_erase(const uint8_t *p, size_t n)
{
	struct proto_req_erase r;
	return proto_req_erase_unpack(p, n, &r);
}
static int un_write_sr(const uint8_t *p, size_t n)
{
	struct proto_req_write_sr r;
	return proto_req_write_sr_unpack(p, n, &r);
}
static int un_range(const uint8_t *p, size_t n)
{
	struct proto_req_range r;
	return proto_req_range_unpack(p, n, &r);
}
static int un_multi(const uint8_t *p, size_t n)
{
	struct proto_req_crc32_multi r;
	return proto_req_crc32_multi_unpack(p, n, &r);
}
static int un_multi_ans3(const uint8_t *p, size_t n)
{
	uint32_t crcs[3];
	return proto_ans_crc32_multi_unpack(p, n, 3, crcs);
}
static int un_xfer(const uint8_t *p, size_t n)
{
	struct proto_req_xfer r;
	return proto_req_xfer_unpack(p, n, &r);
}
static int un_stream(const uint8_t *p, size_t n)
{
	struct proto_req_stream r;
	return proto_req_stream_unpack(p, n, &r);
}
static int un_ans_stream(const uint8_t *p, size_t n)
{
	struct proto_ans_stream a;
	return proto_ans_stream_unpack(p, n, &a);
}
static int un_data(const uint8_t *p, size_t n)
{
	struct proto_data d;
	return proto_data_unpack(PROTO_OP_DATA, p, n, &d);
}
static int un_blank(const uint8_t *p, size_t n)
{
	struct proto_data d;
	return proto_data_unpack(PROTO_OP_DATA_BLANK, p, n, &d);
}
static int un_ready(const uint8_t *p, size_t n)
{
	uint8_t v, q[PROTO_READY_LEN];

	/* READY's first byte is its status, 00 */
	if (n == PROTO_READY_LEN) {
		memcpy(q, p, n);
		q[0] = PROTO_OK;
		p = q;
	}
	return proto_ready_unpack(p, n, &v);
}
static int un_frame_err(const uint8_t *p, size_t n)
{
	int8_t s;
	uint8_t drops;
	return proto_frame_err_unpack(p, n, &s, &drops);
}

static void test_every_wrong_length_refused(void **state)
{
	(void)state;
	fill_init();
	check_lengths(un_u8, good_u8, fill);
	check_lengths(un_u32, good_u32, fill);
	check_lengths(un_hello_req, good_hello_req, fill);
	check_lengths(un_hello_ans, good_hello_ans, fill);
	check_lengths(un_chip, good_chip, fill);
	check_lengths(un_read, good_read, fill);
	check_lengths(un_program, good_program, fill);
	check_lengths(un_erase, good_erase, fill);
	check_lengths(un_write_sr, good_write_sr1, fill);
	check_lengths(un_range, good_range, fill);
	check_lengths(un_multi, good_multi, fill);
	check_lengths(un_multi_ans3, good_multi3, fill);
	check_lengths(un_xfer, good_xfer, fill);
	check_lengths(un_stream, good_stream, fill);
	check_lengths(un_ans_stream, good_ans_stream, fill);
	check_lengths(un_data, good_data, fill);
	check_lengths(un_blank, good_blank, fill);
	check_lengths(un_ready, good_ready, fill);
	check_lengths(un_frame_err, good_frame_err, fill);
}

/* WRITE_SR: the count byte decides the length; 0 and 4+ are never good. */
static void test_write_sr(void **state)
{
	static const uint8_t val[3] = { 0x9C, 0x02, 0x60 };
	uint8_t p[16];
	uint8_t k;
	size_t n;

	(void)state;
	for (k = 1; k <= PROTO_REQ_WRITE_SR_MAX; k++) {
		struct proto_req_write_sr w = { 0x01, PROTO_WSR_VOLATILE, k, { 0 }, 0x1234 }, r;

		memcpy(w.val, val, k);
		n = proto_req_write_sr_pack(p, &w);
		assert_int_equal(n, 3u + k + 2u);
		assert_int_equal(p[0], 0x01);
		assert_int_equal(p[1], PROTO_WSR_VOLATILE);
		assert_int_equal(p[2], k);
		assert_memory_equal(p + 3, val, k);
		assert_int_equal(p[3 + k], 0x34);
		assert_int_equal(p[4 + k], 0x12);
		memset(&r, 0, sizeof(r));
		assert_int_equal(proto_req_write_sr_unpack(p, n, &r), 0);
		assert_int_equal(r.opcode, 0x01);
		assert_int_equal(r.flags, PROTO_WSR_VOLATILE);
		assert_int_equal(r.n, k);
		assert_memory_equal(r.val, val, k);
		assert_int_equal(r.max_ms, 0x1234);
		/* every other length with this count byte */
		for (n = 0; n < sizeof(p); n++)
			if (n != 3u + k + 2u)
				assert_int_equal(proto_req_write_sr_unpack(p, n, &r), PROTO_E_ARG);
	}
	for (k = 0; k < 8; k += (k == 0 ? 4 : 1)) {
		struct proto_req_write_sr w = { 0x01, 0, k, { 0 }, 5 }, r;

		assert_int_equal(proto_req_write_sr_pack(p, &w), 0);
		memset(p, 0, sizeof(p));
		p[2] = k;
		for (n = 0; n < sizeof(p); n++)
			assert_int_equal(proto_req_write_sr_unpack(p, n, &r), PROTO_E_ARG);
	}
}

static void test_one_field_layouts(void **state)
{
	uint8_t p[8], v8;
	uint32_t v32;

	(void)state;
	assert_int_equal(proto_u8_pack(p, 0x9F), 1);
	assert_int_equal(p[0], 0x9F);
	assert_int_equal(proto_u8_unpack(p, 1, &v8), 0);
	assert_int_equal(v8, 0x9F);

	assert_int_equal(proto_u32_pack(p, 1000000), 4);
	assert_memory_equal(p, "\x40\x42\x0F\x00", 4);
	assert_int_equal(proto_u32_unpack(p, 4, &v32), 0);
	assert_int_equal(v32, 1000000);

	assert_int_equal(proto_req_hello_pack(p, PROTO_VERSION), 1);
	assert_int_equal(p[0], PROTO_VERSION);
	p[1] = 0x77;                /* a later host's extra field */
	assert_int_equal(proto_req_hello_unpack(p, 2, &v8), 0);
	assert_int_equal(v8, PROTO_VERSION);
}

static void test_hello_answer(void **state)
{
	static const uint8_t want[PROTO_HELLO_LEN] = {
		1, 1, 0, 1, 0,                  /* versions */
		0x08, 0x01,                     /* max_payload 264 */
		0x97, 0x02,                     /* rx_buffer 663 */
		0xFF, 0x03, 0x00, 0x00,         /* caps */
		0x00, 0x24, 0xF4, 0x00,         /* 16 MHz */
		'u', 'n', 'o', '-', '3', '2', '8', 'p', 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x02,                     /* max_read 512 */
	};
	struct proto_hello h, r;
	uint8_t p[PROTO_HELLO_LEN + 4];

	(void)state;
	memset(&h, 0, sizeof(h));
	h.proto_version = 1;
	h.proto_min = 1;
	h.fw_minor = 1;
	h.max_payload = 264;
	h.rx_buffer = 663;
	h.caps = 0x3FF;
	h.f_cpu = 16000000;
	h.max_read = 512;
	strcpy(h.board, "ignored");     /* the name comes from the argument */
	assert_int_equal(proto_ans_hello_pack(p, &h, "uno-328p"), PROTO_HELLO_LEN);
	assert_memory_equal(p, want, sizeof(want));

	memset(&r, 0xAA, sizeof(r));
	assert_int_equal(proto_ans_hello_unpack(p, PROTO_HELLO_LEN, &r), 0);
	assert_int_equal(r.proto_version, 1);
	assert_int_equal(r.proto_min, 1);
	assert_int_equal(r.fw_major, 0);
	assert_int_equal(r.fw_minor, 1);
	assert_int_equal(r.fw_patch, 0);
	assert_int_equal(r.max_payload, 264);
	assert_int_equal(r.rx_buffer, 663);
	assert_int_equal(r.caps, 0x3FF);
	assert_int_equal(r.f_cpu, 16000000);
	assert_string_equal(r.board, "uno-328p");
	assert_int_equal(r.max_read, 512);

	/* the first firmware's HELLO: no max_read */
	assert_int_equal(proto_ans_hello_unpack(p, PROTO_HELLO_LEN_MIN, &r), 0);
	assert_int_equal(r.max_read, 0);
	/* a later firmware's: fields appended, skipped */
	memset(p + PROTO_HELLO_LEN, 0x55, 4);
	assert_int_equal(proto_ans_hello_unpack(p, PROTO_HELLO_LEN + 4, &r), 0);
	assert_int_equal(r.max_read, 512);

	/* a name of 16 characters or more fills the field, unterminated on
	 * the wire, terminated once unpacked */
	assert_int_equal(proto_ans_hello_pack(p, &h, "0123456789abcdefXYZ"), PROTO_HELLO_LEN);
	assert_memory_equal(p + 17, "0123456789abcdef", 16);
	assert_int_equal(proto_ans_hello_unpack(p, PROTO_HELLO_LEN, &r), 0);
	assert_string_equal(r.board, "0123456789abcdef");
	assert_int_equal(r.max_read, 512);
}

static void test_fixed_requests(void **state)
{
	uint8_t p[32];

	(void)state;
	{
		struct proto_chip c = { 256, PROTO_ADDR_4_NATIVE, 32u << 20, 5 }, r;

		assert_int_equal(proto_req_chip_pack(p, &c), PROTO_CHIP_LEN);
		assert_memory_equal(p, "\x00\x01\x01\x00\x00\x00\x02\x05\x00", PROTO_CHIP_LEN);
		assert_int_equal(proto_req_chip_unpack(p, PROTO_CHIP_LEN, &r), 0);
		assert_int_equal(r.page_size, 256);
		assert_int_equal(r.addr_mode, PROTO_ADDR_4_NATIVE);
		assert_int_equal(r.size, 32u << 20);
		assert_int_equal(r.t_page_max_ms, 5);
	}
	{
		struct proto_req_read q = { 0x001000, 4 }, r;

		assert_int_equal(proto_req_read_pack(p, &q), 6);
		assert_memory_equal(p, "\x00\x10\x00\x00\x04\x00", 6);
		assert_int_equal(proto_req_read_unpack(p, 6, &r), 0);
		assert_int_equal(r.addr, 0x001000);
		assert_int_equal(r.len, 4);
	}
	{
		struct proto_req_erase q = { 0x12345678, SPINOR_OP_BE64, 2000 }, r;

		assert_int_equal(proto_req_erase_pack(p, &q), 9);
		assert_memory_equal(p, "\x78\x56\x34\x12\xD8\xD0\x07\x00\x00", 9);
		assert_int_equal(proto_req_erase_unpack(p, 9, &r), 0);
		assert_int_equal(r.addr, 0x12345678);
		assert_int_equal(r.opcode, SPINOR_OP_BE64);
		assert_int_equal(r.max_ms, 2000);
	}
	{
		struct proto_req_range q = { 0xFFFF0000, 0x10000 }, r;

		assert_int_equal(proto_req_range_pack(p, &q), 8);
		assert_memory_equal(p, "\x00\x00\xFF\xFF\x00\x00\x01\x00", 8);
		assert_int_equal(proto_req_range_unpack(p, 8, &r), 0);
		assert_int_equal(r.addr, 0xFFFF0000);
		assert_int_equal(r.len, 0x10000);
	}
	{
		struct proto_req_crc32_multi q = { 0x10000, 16, 4096 }, r;

		assert_int_equal(proto_req_crc32_multi_pack(p, &q), 10);
		assert_memory_equal(p, "\x00\x00\x01\x00\x10\x00\x00\x10\x00\x00", 10);
		assert_int_equal(proto_req_crc32_multi_unpack(p, 10, &r), 0);
		assert_int_equal(r.addr, 0x10000);
		assert_int_equal(r.count, 16);
		assert_int_equal(r.unit, 4096);
		assert_int_equal(r.span, 0);
		/* a span of the whole unit is the old request */
		q.span = 4096;
		assert_int_equal(proto_req_crc32_multi_pack(p, &q), 10);
		/* a sample: two more bytes */
		q.span = 256;
		assert_int_equal(proto_req_crc32_multi_pack(p, &q), 12);
		assert_memory_equal(p + 10, "\x00\x01", 2);
		assert_int_equal(proto_req_crc32_multi_unpack(p, 12, &r), 0);
		assert_int_equal(r.span, 256);
		assert_int_equal(r.unit, 4096);
		assert_int_equal(proto_req_crc32_multi_unpack(p, 11, &r), PROTO_E_ARG);
		assert_int_equal(proto_req_crc32_multi_unpack(p, 13, &r), PROTO_E_ARG);
	}
	{
		struct proto_req_stream q = { 0x20000, 0x30000, 512,
					      PROTO_STREAM_CHECK | PROTO_STREAM_SKIP_BLANK }, r;

		assert_int_equal(proto_req_stream_pack(p, &q), 11);
		assert_memory_equal(p, "\x00\x00\x02\x00\x00\x00\x03\x00\x00\x02\x03", 11);
		assert_int_equal(proto_req_stream_unpack(p, 11, &r), 0);
		assert_int_equal(r.addr, 0x20000);
		assert_int_equal(r.len, 0x30000);
		assert_int_equal(r.block, 512);
		assert_int_equal(r.flags, PROTO_STREAM_CHECK | PROTO_STREAM_SKIP_BLANK);
	}
}

static void test_variable_requests(void **state)
{
	uint8_t data[PROTO_MAX_PAYLOAD], p[PROTO_MAX_PAYLOAD];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (n = 1; n <= 256; n += 85) {
		struct proto_req_program q = { 0x00ABCDEF, data, (uint16_t)n }, r;

		assert_int_equal(proto_req_program_pack(p, &q), 4 + n);
		assert_memory_equal(p, "\xEF\xCD\xAB\x00", 4);
		assert_memory_equal(p + 4, data, n);
		assert_int_equal(proto_req_program_unpack(p, 4 + n, &r), 0);
		assert_int_equal(r.addr, 0x00ABCDEF);
		assert_ptr_equal(r.data, p + 4);
		assert_int_equal(r.len, n);
	}
	for (n = 0; n <= 16; n += 8) {
		struct proto_req_xfer q = { 300, data, (uint16_t)n }, r;

		assert_int_equal(proto_req_xfer_pack(p, &q), 2 + n);
		assert_memory_equal(p, "\x2C\x01", 2);
		assert_memory_equal(p + 2, data, n);
		assert_int_equal(proto_req_xfer_unpack(p, 2 + n, &r), 0);
		assert_int_equal(r.rlen, 300);
		assert_ptr_equal(r.w, p + 2);
		assert_int_equal(r.wlen, n);
	}
}

static void test_answers(void **state)
{
	uint32_t crcs[4] = { 0xCBF43926, 0, 0xFFFFFFFF, 0x01020304 }, back[4];
	uint8_t p[64];

	(void)state;
	assert_int_equal(proto_ans_crc32_multi_pack(p, crcs, 4), 16);
	assert_memory_equal(p, "\x26\x39\xF4\xCB\x00\x00\x00\x00\xFF\xFF\xFF\xFF\x04\x03\x02\x01",
			    16);
	assert_int_equal(proto_ans_crc32_multi_unpack(p, 16, 4, back), 0);
	assert_memory_equal(back, crcs, sizeof(crcs));
	assert_int_equal(proto_ans_crc32_multi_unpack(p, 16, 3, back), PROTO_E_ARG);
	assert_int_equal(proto_ans_crc32_multi_unpack(p, 0, 0, back), 0);

	{
		struct proto_ans_stream a = { 0xDEADBEEF, 129 }, r;

		assert_int_equal(proto_ans_stream_pack(p, &a), 8);
		assert_memory_equal(p, "\xEF\xBE\xAD\xDE\x81\x00\x00\x00", 8);
		assert_int_equal(proto_ans_stream_unpack(p, 8, &r), 0);
		assert_int_equal(r.check, 0xDEADBEEF);
		assert_int_equal(r.blocks, 129);
	}
}

static void test_stream_frames(void **state)
{
	uint8_t p[4 + 512];
	struct proto_data d;
	size_t i;

	(void)state;
	/* DATA is built in place: the block is already behind the check */
	for (i = 0; i < 512; i++)
		p[4 + i] = (uint8_t)i;
	assert_int_equal(proto_data_pack(p, 0x11223344, 512), 516);
	assert_memory_equal(p, "\x44\x33\x22\x11", 4);
	assert_int_equal(p[4 + 511], 0xFF);
	assert_int_equal(proto_data_unpack(PROTO_OP_DATA, p, 516, &d), 0);
	assert_int_equal(d.check, 0x11223344);
	assert_ptr_equal(d.data, p + 4);
	assert_int_equal(d.len, 512);

	assert_int_equal(proto_data_blank_pack(p, 0x55667788, 4096), 6);
	assert_memory_equal(p, "\x88\x77\x66\x55\x00\x10", 6);
	assert_int_equal(proto_data_unpack(PROTO_OP_DATA_BLANK, p, 6, &d), 0);
	assert_int_equal(d.check, 0x55667788);
	assert_null(d.data);
	assert_int_equal(d.len, 4096);
	assert_int_equal(d.run_len, 0);

	/* a run of blank blocks names its address and length */
	assert_int_equal(proto_data_run_pack(p, 0x01020304, 0x00123400, 0x8000), 12);
	assert_memory_equal(p, "\x04\x03\x02\x01\x00\x34\x12\x00\x00\x80\x00\x00", 12);
	assert_int_equal(proto_data_unpack(PROTO_OP_DATA_BLANK, p, 12, &d), 0);
	assert_int_equal(d.check, 0x01020304);
	assert_null(d.data);
	assert_int_equal(d.len, 0);
	assert_int_equal(d.run_addr, 0x123400);
	assert_int_equal(d.run_len, 0x8000);
	/* an empty run is no run */
	proto_put32(p + 8, 0);
	assert_int_equal(proto_data_unpack(PROTO_OP_DATA_BLANK, p, 12, &d), PROTO_E_ARG);

	/* any other frame type is no stream block */
	assert_int_equal(proto_data_unpack(PROTO_OP_READ | PROTO_OP_RESPONSE, p, 6, &d),
			 PROTO_E_ARG);
	assert_int_equal(proto_data_unpack(PROTO_OP_PENDING, p, 516, &d), PROTO_E_ARG);
}

static void test_device_frames(void **state)
{
	uint8_t p[4], v, drops;
	int8_t s;

	(void)state;
	assert_int_equal(proto_ready_pack(p, PROTO_VERSION), 2);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[1], PROTO_VERSION);
	assert_int_equal(proto_ready_unpack(p, 2, &v), 0);
	assert_int_equal(v, PROTO_VERSION);
	p[0] = (uint8_t)PROTO_E_ARG;   /* READY always carries status 00 */
	assert_int_equal(proto_ready_unpack(p, 2, &v), PROTO_E_ARG);

	assert_int_equal(proto_frame_err_pack(p, PROTO_E_OVERSIZE, 7), 2);
	assert_int_equal(p[0], 0xFD);
	assert_int_equal(p[1], 7);
	assert_int_equal(proto_frame_err_unpack(p, 2, &s, &drops), 0);
	assert_int_equal(s, PROTO_E_OVERSIZE);
	assert_int_equal(drops, 7);
	p[0] = 0xFF;                   /* section 4's example: status alone */
	assert_int_equal(proto_frame_err_unpack(p, 1, &s, &drops), 0);
	assert_int_equal(s, PROTO_E_CRC);
	assert_int_equal(drops, 0);
}

/* PROTOCOL.md section 4, built from the pack functions and the codec. */
static void test_worked_examples(void **state)
{
	static const uint8_t hello[] = { 0xA5, 0x06, 0x01, 0x01, 0x01, 0x20, 0x14, 0x00 };
	static const uint8_t jedec[] = { 0xA5, 0x06, 0x04, 0x02, 0x03, 0xC1, 0x8A, 0x00 };
	static const uint8_t read[] = { 0xA5, 0x03, 0x06, 0x03, 0x02, 0x10, 0x01, 0x02,
					0x04, 0x03, 0xD7, 0x90, 0x00 };
	static const uint8_t frame_err[] = { 0xA5, 0x02, 0xFF, 0x04, 0xFF, 0x93, 0xD1, 0x00 };
	struct proto_req_read q = { 0x001000, 4 };
	uint8_t p[16], wire[32];
	size_t n;

	(void)state;
	n = proto_encode(PROTO_OP_HELLO, 1, p, proto_req_hello_pack(p, 1), wire, sizeof(wire));
	assert_int_equal(n, sizeof(hello));
	assert_memory_equal(wire, hello, n);
	n = proto_encode(PROTO_OP_JEDEC, 2, p, proto_u8_pack(p, 3), wire, sizeof(wire));
	assert_int_equal(n, sizeof(jedec));
	assert_memory_equal(wire, jedec, n);
	n = proto_encode(PROTO_OP_READ, 3, p, proto_req_read_pack(p, &q), wire, sizeof(wire));
	assert_int_equal(n, sizeof(read));
	assert_memory_equal(wire, read, n);
	/* the first firmware's FRAME_ERR: the status alone */
	n = proto_encode(PROTO_OP_FRAME_ERR, 0, p, proto_frame_err_pack(p, PROTO_E_CRC, 0) - 1,
			 wire, sizeof(wire));
	assert_int_equal(n, sizeof(frame_err));
	assert_memory_equal(wire, frame_err, n);
}

/* The shared opcode and serprog headers: the values the chips and flashrom
 * define, and the helpers. */
static void test_spinor_serprog(void **state)
{
	uint8_t map[SERPROG_CMDMAP_LEN] = { 0x3F, 0x01, 0x3F }, p[SERPROG_SPIOP_HDR];

	(void)state;
	assert_int_equal(SPINOR_OP_READ, 0x03);
	assert_int_equal(SPINOR_OP_PP, 0x02);
	assert_int_equal(SPINOR_OP_RDSR, 0x05);
	assert_int_equal(SPINOR_OP_WREN, 0x06);
	assert_int_equal(SPINOR_OP_SE, 0x20);
	assert_int_equal(SPINOR_OP_BE64, 0xD8);
	assert_int_equal(SPINOR_OP_JEDEC, 0x9F);
	assert_int_equal(SPINOR_OP_SFDP, 0x5A);
	assert_int_equal(SPINOR_SR1_WIP, 0x01);
	assert_int_equal(SPINOR_SR1_WEL, 0x02);
	assert_int_equal(SERPROG_CMD_O_SPIOP, 0x13);
	assert_int_equal(SERPROG_CMD_SYNCNOP, 0x10);

	/* the map the sketch answers: 00-05, 08, 10-15 */
	assert_true(serprog_cmdmap_has(map, SERPROG_CMD_NOP));
	assert_true(serprog_cmdmap_has(map, SERPROG_CMD_Q_BUSTYPE));
	assert_false(serprog_cmdmap_has(map, 0x06));
	assert_true(serprog_cmdmap_has(map, SERPROG_CMD_Q_WRNMAXLEN));
	assert_false(serprog_cmdmap_has(map, 0x09));
	assert_true(serprog_cmdmap_has(map, SERPROG_CMD_S_PIN_STATE));
	assert_false(serprog_cmdmap_has(map, 0x16));

	assert_int_equal(serprog_spiop_pack(p, 0x000105, 0xFFFFFF), SERPROG_SPIOP_HDR);
	assert_memory_equal(p, "\x05\x01\x00\xFF\xFF\xFF", 6);
	assert_int_equal(serprog_get24(p), 0x105);
	assert_int_equal(serprog_get24(p + 3), 0xFFFFFF);
	serprog_put24(p, 0x12345678);
	assert_memory_equal(p, "\x78\x56\x34", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_wrong_length_refused),
		cmocka_unit_test(test_write_sr),
		cmocka_unit_test(test_one_field_layouts),
		cmocka_unit_test(test_hello_answer),
		cmocka_unit_test(test_fixed_requests),
		cmocka_unit_test(test_variable_requests),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_stream_frames),
		cmocka_unit_test(test_device_frames),
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_spinor_serprog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
