/*
 * READ_STREAM on the host: the firmware core's stream (fw_read_stream.c)
 * against the strict chip model, every frame decoded and every block's
 * check recomputed, in both forms (CRC-32 of the second read, and the
 * device's own comparison), and a stream stopped by a byte from the host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "fw_frames.h"

struct stream_result {
	uint8_t data[8192];
	uint32_t got;          /* bytes placed */
	uint32_t blocks, blank_blocks;
	uint32_t checks_ok;
	int8_t status;
	uint32_t end_blocks;
};

/* A stream block's check: CRC-32 of its address, then of its bytes. */
static uint32_t block_check(uint32_t addr, const uint8_t *data, uint32_t n)
{
	uint8_t a[4];

	proto_put32(a, addr);
	return (uint32_t)crc32(crc32(0, a, 4), data, n);
}

/* Under PROTO_STREAM_CMP: CRC-32 of the address when the device's two
 * reads agreed, its complement when they did not. */
static uint32_t cmp_check(uint32_t addr, int same)
{
	uint8_t a[4];
	uint32_t k;

	proto_put32(a, addr);
	k = (uint32_t)crc32(0, a, 4);
	return same ? k : ~k;
}

static uint32_t expected_check(uint8_t flags, uint32_t addr, const uint8_t *data, uint32_t n)
{
	return (flags & PROTO_STREAM_CMP) ? cmp_check(addr, 1) : block_check(addr, data, n);
}

/* Run a READ_STREAM and check every block's second-read CRC as a host would. */
static void run_stream(struct bench *b, uint32_t addr, uint32_t len, uint16_t block,
		       uint8_t flags, struct stream_result *res)
{
	uint8_t p[11], wire[64], body[PROTO_MAX_BODY];
	struct proto_dec d;
	const uint8_t *out;
	size_t out_len, i, wl;
	uint32_t prev_at = 0, prev_n = 0, at = 0;

	memset(res, 0, sizeof(*res));
	res->status = 1;
	proto_put32(p, addr);
	proto_put32(p + 4, len);
	proto_put16(p + 8, block);
	p[10] = flags;
	wl = proto_encode(PROTO_OP_READ_STREAM, 7, p, sizeof(p), wire, sizeof(wire));
	host_hal_output_clear();
	run_bytes(b, wire, wl);
	out = host_hal_output(&out_len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < out_len; i++) {
		uint32_t check;

		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME)
			continue;
		if (d.type == PROTO_OP_DATA || d.type == PROTO_OP_DATA_BLANK) {
			uint32_t n = d.type == PROTO_OP_DATA ? d.payload_len - 4u
							     : proto_get16(d.payload + 4);

			assert_int_equal(d.seq, (uint8_t)(7 + res->blocks));
			check = proto_get32(d.payload);
			if (prev_n && (flags & PROTO_STREAM_CHECK)) {
				assert_int_equal(check, expected_check(flags, addr + prev_at,
								       res->data + prev_at, prev_n));
				res->checks_ok++;
			}
			assert_true(at + n <= sizeof(res->data));
			if (d.type == PROTO_OP_DATA) {
				memcpy(res->data + at, d.payload + 4, n);
			} else {
				memset(res->data + at, 0xFF, n);
				res->blank_blocks++;
			}
			prev_at = at;
			prev_n = n;
			at += n;
			res->blocks++;
		} else if (d.type == (PROTO_OP_READ_STREAM | PROTO_OP_RESPONSE)) {
			res->status = (int8_t)d.payload[0];
			if (res->status == PROTO_OK) {
				res->end_blocks = proto_get32(d.payload + 5);
				if (prev_n && (flags & PROTO_STREAM_CHECK)) {
					assert_int_equal(proto_get32(d.payload + 1),
							 expected_check(flags, addr + prev_at,
									res->data + prev_at, prev_n));
					res->checks_ok++;
				}
			}
		}
	}
	res->got = at;
}

static void test_read_stream(void **state)
{
	struct bench *b = *state;
	static struct stream_result res;
	uint32_t i;

	for (i = 0; i < 3000; i++)
		b->mem[0x8000 + i] = (uint8_t)(i * 7);
	/* 0x8000..0x8BB7 data, then erased up to 0xA000 */
	run_stream(b, 0x8000, 0x2000, 512, PROTO_STREAM_CHECK | PROTO_STREAM_SKIP_BLANK, &res);
	assert_int_equal(res.status, PROTO_OK);
	assert_int_equal(res.got, 0x2000);
	assert_int_equal(res.blocks, 16);
	assert_int_equal(res.end_blocks, 16);
	assert_int_equal(res.checks_ok, 16);
	assert_int_equal(res.blank_blocks, 10);
	assert_memory_equal(res.data, b->mem + 0x8000, 0x2000);

	/* odd sizes, no blank skipping: every block is data */
	run_stream(b, 0x8001, 1000, 300, PROTO_STREAM_CHECK, &res);
	assert_int_equal(res.status, PROTO_OK);
	assert_int_equal(res.blocks, 4);
	assert_int_equal(res.blank_blocks, 0);
	assert_memory_equal(res.data, b->mem + 0x8001, 1000);

	run_stream(b, 0, 100, 513, 0, &res);
	assert_int_equal(res.status, PROTO_E_ARG);
	/* the default size is 16 MiB until CHIP says otherwise */
	run_stream(b, 0x1000000 - 10, 11, 512, 0, &res);
	assert_int_equal(res.status, PROTO_E_ARG);
}

/* The stream whose device compares its two reads (PROTO_STREAM_CMP): the
 * same frames as the plain stream but for the checks, zeros and long runs
 * COBS-encoded in place; a second read that differs is never confirmed. */
static void test_read_stream_cmp(void **state)
{
	struct bench *b = *state;
	static struct stream_result res;
	uint8_t p[11], wire[64], body[PROTO_MAX_BODY];
	const uint8_t cmp = PROTO_STREAM_CHECK | PROTO_STREAM_CMP;
	struct proto_dec d;
	const uint8_t *out;
	size_t out_len, i, wl;
	uint32_t checks[8], nchecks = 0;

	for (i = 0; i < 3000; i++)
		b->mem[0x8000 + i] = (uint8_t)(i * 7);
	memset(b->mem + 0x8200, 0x00, 512);          /* all zeros */
	memset(b->mem + 0x8400, 0x01, 512);          /* runs of 254 and more */
	run_stream(b, 0x8000, 0x2000, 512, cmp | PROTO_STREAM_SKIP_BLANK, &res);
	assert_int_equal(res.status, PROTO_OK);
	assert_int_equal(res.got, 0x2000);
	assert_int_equal(res.blocks, 16);
	assert_int_equal(res.checks_ok, 16);
	assert_int_equal(res.blank_blocks, 10);
	assert_memory_equal(res.data, b->mem + 0x8000, 0x2000);
	run_stream(b, 0x8001, 1000, 300, cmp, &res);
	assert_int_equal(res.status, PROTO_OK);
	assert_int_equal(res.blocks, 4);
	assert_memory_equal(res.data, b->mem + 0x8001, 1000);

	/* MISO sticks high in the middle of block 1's second read (block 1 is
	 * zeros): block 0 is confirmed, block 1 is not; block 2's two reads
	 * both come after the fault and agree (FF twice, what the wires said
	 * both times: confirmed, as a dead chip's blank reads are) */
	b->chip.fault.bytes = 0;
	b->chip.fault.miso_value = 0xFF;
	/* bytes clocked per block: 4 (READ + address) + 512, twice */
	b->chip.fault.miso_stuck_after = 2 * 516 + 516 + 4 + 100;
	proto_put32(p, 0x8000);
	proto_put32(p + 4, 3 * 512);
	proto_put16(p + 8, 512);
	p[10] = cmp;
	wl = proto_encode(PROTO_OP_READ_STREAM, 9, p, sizeof(p), wire, sizeof(wire));
	host_hal_output_clear();
	run_bytes(b, wire, wl);
	out = host_hal_output(&out_len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < out_len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME)
			continue;
		if (d.type == PROTO_OP_DATA && nchecks < 8)
			checks[nchecks++] = proto_get32(d.payload);
		else if (d.type == (PROTO_OP_READ_STREAM | PROTO_OP_RESPONSE) && nchecks < 8)
			checks[nchecks++] = proto_get32(d.payload + 1);
	}
	assert_int_equal(nchecks, 4);
	assert_int_equal(checks[1], cmp_check(0x8000, 1));
	assert_int_equal(checks[2], cmp_check(0x8200, 0));
	assert_int_equal(checks[3], cmp_check(0x8400, 1));
	b->chip.fault.miso_stuck_after = 0;
	b->chip.fault.miso_stuck = 0;
}

/*
 * Runs of erased blocks under PROTO_STREAM_CMP: after a blank block the
 * device first reads the next one twice plainly, and only builds a frame
 * if a byte is not FFh.  A block whose only data is its last byte, or its
 * first, must still come as DATA with its bytes; each such try where a run
 * ends costs exactly one read of the block more.
 */
static void test_read_stream_blank_runs(void **state)
{
	struct bench *b = *state;
	static struct stream_result res;
	const uint32_t base = 0x10000;

	memset(b->mem + base, 0xFF, 16 * 512);
	b->mem[base + 3 * 512 + 511] = 0x5A;    /* after a run: the last byte only */
	b->mem[base + 6 * 512] = 0x00;          /* after a run: the first byte */
	b->mem[base + 7 * 512 + 100] = 0xFE;    /* after data: no plain reads */
	/* a counter of the bytes clocked, with no fault ever firing */
	b->chip.fault.miso_stuck_after = UINT32_MAX;
	b->chip.fault.bytes = 0;
	run_stream(b, base, 16 * 512, 512,
		   PROTO_STREAM_CHECK | PROTO_STREAM_CMP | PROTO_STREAM_SKIP_BLANK, &res);
	assert_int_equal(res.status, PROTO_OK);
	assert_int_equal(res.blocks, 16);
	assert_int_equal(res.checks_ok, 16);
	assert_int_equal(res.blank_blocks, 13);
	assert_memory_equal(res.data, b->mem + base, 16 * 512);
	/* two reads of 4 + 512 bytes a block, and one more for blocks 3 and 6 */
	assert_int_equal(b->chip.fault.bytes, (16 * 2 + 2) * 516);
	assert_false(b->chip.fault.miso_stuck);
	b->chip.fault.miso_stuck_after = 0;
}

/* SET_PAD: each answer is followed by n FF bytes (a held bridge passes it
 * on); at most 62; a new HELLO ends it. */
static void test_read_stream_abort(void **state)
{
	struct bench *b = *state;
	uint8_t p[11], wire[128], jp = 3;
	size_t wl;
	int aborted = 0, jedec = 0;
	uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	const uint8_t *out;
	size_t out_len, i;

	proto_put32(p, 0);
	proto_put32(p + 4, 0x80000);
	proto_put16(p + 8, 512);
	p[10] = 0;
	wl = proto_encode(PROTO_OP_READ_STREAM, 1, p, sizeof(p), wire, sizeof(wire));
	wl += proto_encode(PROTO_OP_JEDEC, 2, &jp, 1, wire + wl, sizeof(wire) - wl);
	host_hal_output_clear();
	run_bytes(b, wire, wl);
	out = host_hal_output(&out_len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < out_len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME)
			continue;
		if (d.type == (PROTO_OP_READ_STREAM | PROTO_OP_RESPONSE))
			aborted = d.payload[0] == (uint8_t)PROTO_E_ABORTED;
		if (d.type == (PROTO_OP_JEDEC | PROTO_OP_RESPONSE))
			jedec = d.payload[0] == PROTO_OK && aborted;
	}
	assert_true(aborted);
	assert_true(jedec);
	/* far less than the 512 KiB asked for went out */
	assert_true(out_len < 8192);
}

/* SET_BAUD: answered at the old rate, then switched; without a good frame
 * at the new rate the boot rate comes back. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_stream_cmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_stream_blank_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_stream_abort, setup, teardown),
	};

	return cmocka_run_group_tests_name("fw_core", tests, NULL, NULL);
}
