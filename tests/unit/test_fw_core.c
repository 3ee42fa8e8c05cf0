/*
 * The firmware core on the host: real dispatcher and flash sequencing
 * (firmware/spiflash/src) against the strict chip model, through frames.
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

static void test_ready_and_hello(void **state)
{
	struct bench *b = *state;
	uint8_t v = PROTO_VERSION;

	assert_int_equal(exchange(b, PROTO_OP_HELLO, &v, 1), PROTO_OK);
	assert_int_equal(b->data_len, PROTO_HELLO_LEN);
	assert_int_equal(b->data[0], PROTO_VERSION);
	assert_int_equal(proto_get16(b->data + 5), FW_RX_PAYLOAD);
	assert_int_equal(proto_get16(b->data + 33), FW_READ_MAX);
	assert_true(proto_get32(b->data + 9) & PROTO_CAP_CRC32);
	assert_memory_equal(b->data + 17, "host", 5);
}

static void test_jedec(void **state)
{
	struct bench *b = *state;
	uint8_t n = 3;

	assert_int_equal(exchange(b, PROTO_OP_JEDEC, &n, 1), PROTO_OK);
	assert_int_equal(b->data_len, 3);
	assert_memory_equal(b->data, b->chip.part->jedec, 3);
	n = 0;
	assert_int_equal(exchange(b, PROTO_OP_JEDEC, &n, 1), PROTO_E_ARG);
}

/* 256 bytes from offset 200 cross a page boundary: the device must split
 * them, or the chip would wrap the tail onto the start of the first page. */
static void test_program_across_pages_and_read(void **state)
{
	struct bench *b = *state;
	uint8_t d[256];
	size_t i;

	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(do_program(b, 0x1000 + 200, d, sizeof(d)), PROTO_OK);
	assert_memory_equal(b->mem + 0x1000 + 200, d, sizeof(d));
	assert_int_equal(b->mem[0x1000 + 199], 0xFF);
	assert_int_equal(b->mem[0x1000 + 456], 0xFF);
	assert_int_equal(b->chip.stats.programs, 2);
	assert_int_equal(do_read(b, 0x1000 + 200, sizeof(d)), PROTO_OK);
	assert_int_equal(b->data_len, sizeof(d));
	assert_memory_equal(b->data, d, sizeof(d));
}

static void test_erase_sector_only(void **state)
{
	struct bench *b = *state;
	uint8_t z[16];

	memset(z, 0x00, sizeof(z));
	assert_int_equal(do_program(b, 0x0FF8, z, 16), PROTO_OK);      /* 0FF8..1007 */
	assert_int_equal(do_erase(b, 0x1000, 0x20, 400), PROTO_OK);
	assert_int_equal(b->mem[0x0FFF], 0x00);
	assert_int_equal(b->mem[0x1000], 0xFF);
	assert_int_equal(b->mem[0x1007], 0xFF);
	assert_int_equal(b->chip.stats.erases, 1);
	assert_int_equal(do_erase(b, 0x1000, 0x99, 400), PROTO_E_ARG);
}

static void test_crc32_and_blank(void **state)
{
	struct bench *b = *state;
	uint8_t p[8], d[100];
	uint32_t len = 70000;

	memset(d, 0x5A, sizeof(d));
	assert_int_equal(do_program(b, 0x20000 + 5000, d, sizeof(d)), PROTO_OK);
	proto_put32(p, 0x20000);
	proto_put32(p + 4, len);
	assert_int_equal(exchange(b, PROTO_OP_CRC32, p, 8), PROTO_OK);
	assert_int_equal(proto_get32(b->data), (uint32_t)crc32(0, b->mem + 0x20000, len));
	assert_int_equal(exchange(b, PROTO_OP_BLANK, p, 8), PROTO_OK);
	assert_int_equal(proto_get32(b->data), 0x20000 + 5000);
	proto_put32(p, 0x30000);
	assert_int_equal(exchange(b, PROTO_OP_BLANK, p, 8), PROTO_OK);
	assert_int_equal(proto_get32(b->data), 0xFFFFFFFFUL);

	/* CRC32_MULTI: 16 sector CRCs in one request */
	{
		uint8_t m[10];
		unsigned k;

		proto_put32(m, 0x20000);
		proto_put16(m + 4, 16);
		proto_put32(m + 6, 4096);
		assert_int_equal(exchange(b, PROTO_OP_CRC32_MULTI, m, 10), PROTO_OK);
		assert_int_equal(b->data_len, 64);
		for (k = 0; k < 16; k++)
			assert_int_equal(proto_get32(b->data + 4 * k),
					 (uint32_t)crc32(0, b->mem + 0x20000 + 4096 * k, 4096));
		proto_put16(m + 4, 129);
		assert_int_equal(exchange(b, PROTO_OP_CRC32_MULTI, m, 10), PROTO_E_ARG);
		proto_put16(m + 4, 16);
	}
	/* with a span: the first span bytes of each unit */
	{
		uint8_t m[12];
		unsigned k;

		proto_put32(m, 0x20000);
		proto_put16(m + 4, 16);
		proto_put32(m + 6, 4096);
		proto_put16(m + 10, 256);
		assert_int_equal(exchange(b, PROTO_OP_CRC32_MULTI, m, 12), PROTO_OK);
		assert_int_equal(b->data_len, 64);
		for (k = 0; k < 16; k++)
			assert_int_equal(proto_get32(b->data + 4 * k),
					 (uint32_t)crc32(0, b->mem + 0x20000 + 4096 * k, 256));
		proto_put16(m + 10, 4097);             /* more than the unit */
		assert_int_equal(exchange(b, PROTO_OP_CRC32_MULTI, m, 12), PROTO_E_ARG);
	}
	{
		uint8_t m[10];

		proto_put32(m, 0x20000);
		proto_put32(m, 0x1000000 - 4096);       /* default 16 MiB: 2 units past it */
		proto_put16(m + 4, 2);
		assert_int_equal(exchange(b, PROTO_OP_CRC32_MULTI, m, 10), PROTO_E_ARG);
	}
}

static void test_ranges_refused(void **state)
{
	struct bench *b = *state;
	uint8_t chip[PROTO_CHIP_LEN];
	uint32_t size = b->chip.part->size;

	proto_put16(chip, 256);
	chip[2] = PROTO_ADDR_3;
	proto_put32(chip + 3, size);
	proto_put16(chip + 7, 3);
	assert_int_equal(exchange(b, PROTO_OP_CHIP, chip, sizeof(chip)), PROTO_OK);
	assert_int_equal(do_read(b, size - 4, 4), PROTO_OK);
	assert_int_equal(do_read(b, size - 4, 5), PROTO_E_ARG);
	assert_int_equal(do_read(b, 0xFFFFFFFFUL, 2), PROTO_E_ARG);
	assert_int_equal(do_read(b, 0, FW_READ_MAX + 1), PROTO_E_ARG);
	proto_put16(chip, 200);                       /* not a power of two */
	assert_int_equal(exchange(b, PROTO_OP_CHIP, chip, sizeof(chip)), PROTO_E_ARG);
	assert_int_equal(exchange(b, 0x3E, NULL, 0), PROTO_E_UNKNOWN_OP);
}

/* A resend (same type, seq, CRC) is answered from the copy, not re-run. */
static void test_resend_not_executed_twice(void **state)
{
	struct bench *b = *state;
	uint8_t p[8] = { 0 };

	p[4] = 0x11;
	assert_int_equal(exchange_seq(b, PROTO_OP_PROGRAM, 50, p, 8), 1);
	assert_int_equal(b->status, PROTO_OK);
	assert_int_equal(b->chip.stats.programs, 1);
	assert_int_equal(exchange_seq(b, PROTO_OP_PROGRAM, 50, p, 8), 1);
	assert_int_equal(b->status, PROTO_OK);
	assert_int_equal(b->chip.stats.programs, 1);
	/* same seq, different content: a new request */
	p[4] = 0x01;
	assert_int_equal(exchange_seq(b, PROTO_OP_PROGRAM, 50, p, 8), 1);
	assert_int_equal(b->chip.stats.programs, 2);
	assert_int_equal(b->mem[0], 0x01);
}

static void test_garbage_then_request(void **state)
{
	struct bench *b = *state;
	uint8_t junk[300];
	size_t i;
	uint8_t n = 3;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	junk[10] = PROTO_SOF;        /* garbage that looks like a frame start */
	host_hal_output_clear();
	run_bytes(b, junk, sizeof(junk));
	collect(b);
	run_bytes(b, (const uint8_t *)"\0", 1);
	collect(b);
	assert_int_equal(exchange(b, PROTO_OP_JEDEC, &n, 1), PROTO_OK);
	assert_memory_equal(b->data, b->chip.part->jedec, 3);
}

static void test_half_frame_then_silence(void **state)
{
	struct bench *b = *state;
	uint8_t wire[32], n = 3;
	size_t len = proto_encode(PROTO_OP_JEDEC, 1, &n, 1, wire, sizeof(wire));

	run_bytes(b, wire, len - 3);
	assert_true(proto_dec_busy(&b->core.dec));
	host_hal_advance_ms(FW_FRAME_TIMEOUT_MS + 1);
	fw_core_poll(&b->core);
	assert_false(proto_dec_busy(&b->core.dec));
	assert_int_equal(exchange(b, PROTO_OP_JEDEC, &n, 1), PROTO_OK);
}

static void test_oversize_frame(void **state)
{
	struct bench *b = *state;
	static uint8_t p[FW_RX_PAYLOAD + 1], wire[PROTO_WIRE_MAX_LEN];
	size_t len;

	memset(p, 0x33, sizeof(p));
	len = proto_encode(PROTO_OP_PING, 9, p, sizeof(p), wire, sizeof(wire));
	host_hal_output_clear();
	b->frame_errs = 0;
	run_bytes(b, wire, len);
	collect(b);
	assert_int_equal(b->frame_errs, 1);
	assert_int_equal(b->status, PROTO_E_OVERSIZE);
}

static void test_bad_crc_draws_frame_err(void **state)
{
	struct bench *b = *state;
	uint8_t wire[32], n = 3;
	size_t len = proto_encode(PROTO_OP_JEDEC, 1, &n, 1, wire, sizeof(wire));

	wire[3] ^= 0x10;
	host_hal_output_clear();
	b->frame_errs = 0;
	run_bytes(b, wire, len);
	assert_int_equal(collect(b), 0);
	assert_int_equal(b->frame_errs, 1);
	assert_int_equal(b->status, PROTO_E_CRC);
}

/* No chip: MISO stuck high ends in E_CHIP, stuck low in E_WEL, never a hang. */
static void test_missing_chip(void **state)
{
	struct bench *b = *state;
	uint8_t d[4] = { 0 };

	host_hal_miso_stuck(1);
	assert_int_equal(do_program(b, 0, d, 4), PROTO_E_CHIP);
	assert_int_equal(do_erase(b, 0, 0x20, 400), PROTO_E_CHIP);
	host_hal_miso_stuck(0);
	assert_int_equal(do_program(b, 0, d, 4), PROTO_E_WEL);
	host_hal_miso_stuck(-1);
	assert_int_equal(b->mem[0], 0xFF);
}

/* A deadline shorter than the erase: E_TIMEOUT, with keepalives meanwhile. */
static void test_busy_deadline(void **state)
{
	struct bench *b = *state;
	uint32_t typ_ms = b->chip.part->t_be64_typ / 1000;

	assert_true(typ_ms > 40);
	assert_int_equal(do_erase(b, 0x10000, 0xD8, 10), PROTO_E_TIMEOUT);
	/* still busy: the chip would ignore a new command, so none is sent */
	assert_int_equal(do_erase(b, 0x10000, 0xD8, 10), PROTO_E_BUSY);
	assert_int_equal(b->chip.stats.erases, 1);
	host_hal_advance_ms(typ_ms);
	assert_int_equal(do_erase(b, 0x10000, 0xD8, b->chip.part->t_be64_max / 1000), PROTO_OK);
	/* the chip was still busy at the first answer; a long erase sends PENDING */
	assert_true(b->pendings >= 1);
}

/* The board resets after 2 s without a watchdog kick: a chip erase at its
 * datasheet maximum (seconds) must keep kicking, and so must a stream. */
static void test_watchdog_kicked_in_long_operations(void **state)
{
	struct bench *b = *state;
	uint32_t ce_max = b->chip.part->t_ce_max / 1000;

	assert_true(ce_max > 2000);
	b->chip.opts |= FC_O_MAXTIME;
	host_hal_watchdog_clear();
	assert_int_equal(do_erase(b, 0, 0xC7, ce_max + 1000), PROTO_OK);
	assert_true(host_hal_now_ns() / 1000000u >= ce_max);
	assert_true(host_hal_watchdog_max_gap_ms() < 100);
}

static void test_status_registers(void **state)
{
	struct bench *b = *state;
	uint8_t op = 0x05;
	uint8_t wsr[] = { 0x01, 0, 1, 0x04, 20, 0 };     /* WRSR SR1 = BP0 */

	assert_int_equal(exchange(b, PROTO_OP_READ_SR, &op, 1), PROTO_OK);
	assert_int_equal(b->data[0] & 0x03, 0);
	assert_int_equal(exchange(b, PROTO_OP_WRITE_SR, wsr, sizeof(wsr)), PROTO_OK);
	assert_int_equal(exchange(b, PROTO_OP_READ_SR, &op, 1), PROTO_OK);
	assert_int_equal(b->data[0] & 0x1C, 0x04);
}

static void test_xfer_and_ping(void **state)
{
	struct bench *b = *state;
	uint8_t x[] = { 3, 0, 0x9F };
	uint8_t ping[] = { 1, 0, 2, 0xA5, 0 };

	assert_int_equal(exchange(b, PROTO_OP_XFER, x, sizeof(x)), PROTO_OK);
	assert_int_equal(b->data_len, 3);
	assert_memory_equal(b->data, b->chip.part->jedec, 3);
	assert_int_equal(exchange(b, PROTO_OP_PING, ping, sizeof(ping)), PROTO_OK);
	assert_memory_equal(b->data, ping, sizeof(ping));
}

/* Three PROGRAM frames sent back to back: all run, answered in order, and
 * the later ones were decoded while the chip was busy with the first. */
static void test_pipelined_programs(void **state)
{
	struct bench *b = *state;
	static uint8_t wire[3 * PROTO_WIRE_MAX(260)];
	uint8_t p[260], body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t len = 0, out_len, i;
	const uint8_t *out;
	int k, answers = 0;

	for (k = 0; k < 3; k++) {
		proto_put32(p, 0x4000u + 256u * (uint32_t)k);
		memset(p + 4, 0x10 * (k + 1), 256);
		len += proto_encode(PROTO_OP_PROGRAM, (uint8_t)(100 + k), p, sizeof(p),
				    wire + len, sizeof(wire) - len);
	}
	host_hal_output_clear();
	run_bytes(b, wire, len);
	out = host_hal_output(&out_len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < out_len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME ||
		    d.type != (PROTO_OP_PROGRAM | PROTO_OP_RESPONSE))
			continue;
		assert_int_equal(d.seq, 100 + answers);
		assert_int_equal(d.payload[0], PROTO_OK);
		answers++;
	}
	assert_int_equal(answers, 3);
	for (k = 0; k < 3; k++)
		assert_int_equal(b->mem[0x4000 + 256 * k + 17], 0x10 * (k + 1));
	assert_int_equal(b->chip.stats.programs, 3);
}

/*
 * A PROGRAM gives its receive buffer back once the chip has the page: with
 * three frames waiting, the third is being decoded (into the first one's
 * buffer, while its page programs) by the time the first is answered.
 * Were the buffer kept until the answer, the second would fill the other
 * and the third would wait in the ring, untouched.
 */
static void test_program_buffer_given_back(void **state)
{
	struct bench *b = *state;
	static uint8_t wire[3 * PROTO_WIRE_MAX(260)];
	uint8_t p[260];
	size_t len = 0, third = 0, out_len = 0;
	int k, guard = 0;

	for (k = 0; k < 3; k++) {
		proto_put32(p, 0x8000u + 256u * (uint32_t)k);
		memset(p + 4, 0x21 * (k + 1), 256);
		third = proto_encode(PROTO_OP_PROGRAM, (uint8_t)(40 + k), p, sizeof(p),
				     wire + len, sizeof(wire) - len);
		len += third;
	}
	host_hal_output_clear();
	host_hal_input(wire, len);
	while (!out_len && guard++ < 1000) {
		fw_core_poll(&b->core);
		host_hal_output(&out_len);
	}
	assert_true(out_len > 0);
	assert_int_equal(b->chip.stats.programs, 1);
	assert_true(b->core.n_ready >= 1);
	assert_int_equal(b->core.ready[0].seq, 41);
	assert_true(host_hal_input_left() < third);
	for (guard = 0; b->chip.stats.programs < 3 && guard < 1000; guard++)
		fw_core_poll(&b->core);
	assert_int_equal(b->chip.stats.programs, 3);
	assert_int_equal(host_hal_input_left(), 0);
	for (k = 0; k < 3; k++) {
		assert_int_equal(b->mem[0x8000 + 256 * k], 0x21 * (k + 1));
		assert_int_equal(b->mem[0x8000 + 256 * k + 255], 0x21 * (k + 1));
	}
	assert_int_equal(collect(b), 3);
}

/* Frames of count PROGRAMs of a page each from addr (page k filled with
 * fill * (k + 1)), seq from seq0, then extra bytes; into wire, its length. */
static size_t program_frames(uint8_t *wire, size_t cap, uint32_t addr, int count, uint8_t fill,
			     uint8_t seq0)
{
	uint8_t p[260];
	size_t len = 0;
	int k;

	for (k = 0; k < count; k++) {
		proto_put32(p, addr + 256u * (uint32_t)k);
		memset(p + 4, fill * (k + 1), 256);
		len += proto_encode(PROTO_OP_PROGRAM, (uint8_t)(seq0 + k), p, sizeof(p),
				    wire + len, cap - len);
	}
	return len;
}

/* Poll until the input is taken and every request has run; whether a
 * request sat in the third buffer (inside wire[]) meanwhile, and whether
 * something other than a PROGRAM landed there. */
static void run_watching_rx3(struct bench *b, int *used, int *held)
{
	int guard = 0;
	uint8_t i;

	*used = *held = 0;
	while ((host_hal_input_left() || b->core.n_ready) && guard++ < 100000) {
		fw_core_poll(&b->core);
		for (i = 0; i < b->core.n_ready; i++)
			if (b->core.ready[i].buf == b->core.wire + FW_RX3_OFS)
				*used = 1;
		if (b->core.rx3_hold)
			*held = 1;
	}
	fw_core_poll(&b->core);
}

/*
 * Four PROGRAMs back to back: while the first programs, the second waits
 * in one buffer of the pair and the third is decoded into the third buffer
 * (in wire[], past the answer a PROGRAM has).  All four pages land, the
 * answers come in order, and nothing the answers were built from was
 * overwritten.
 */
static void test_program_third_buffer(void **state)
{
	struct bench *b = *state;
	static uint8_t wire[4 * PROTO_WIRE_MAX(260)];
	size_t len = program_frames(wire, sizeof(wire), 0xC000, 4, 0x13, 60);
	int used, held, k;

	host_hal_output_clear();
	host_hal_input(wire, len);
	run_watching_rx3(b, &used, &held);
	assert_true(used);
	assert_false(held);
	assert_int_equal(host_hal_input_left(), 0);
	assert_int_equal(b->chip.stats.programs, 4);
	for (k = 0; k < 4; k++) {
		assert_int_equal(b->mem[0xC000 + 256 * k], 0x13 * (k + 1));
		assert_int_equal(b->mem[0xC000 + 256 * k + 255], 0x13 * (k + 1));
	}
	assert_int_equal(collect(b), 4);
	assert_int_equal(b->status, PROTO_OK);
}

/*
 * A request other than a PROGRAM that lands in the third buffer (two
 * PROGRAMs before it hold the pair) answers from wire[], where it sits: it
 * is moved to the pair before it runs, and nothing is decoded after it
 * meanwhile.  Its answer (a PING of 200 bytes echoed) comes back whole,
 * after the two PROGRAMs, and a READ after it is served as usual.
 */
static void test_third_buffer_moves_other_requests(void **state)
{
	struct bench *b = *state;
	static uint8_t wire[4 * PROTO_WIRE_MAX(260)];
	uint8_t ping[200], body[PROTO_MAX_BODY], rd[6];
	size_t len = program_frames(wire, sizeof(wire), 0xD000, 2, 0x31, 70), out_len, i;
	const uint8_t *out;
	struct proto_dec d;
	int used, held, answers = 0, pinged = 0, read_ok = 0;

	for (i = 0; i < sizeof(ping); i++)
		ping[i] = (uint8_t)(i * 13 + 1);
	len += proto_encode(PROTO_OP_PING, 72, ping, sizeof(ping), wire + len, sizeof(wire) - len);
	proto_put32(rd, 0xD000);
	proto_put16(rd + 4, 4);
	len += proto_encode(PROTO_OP_READ, 73, rd, sizeof(rd), wire + len, sizeof(wire) - len);
	host_hal_output_clear();
	host_hal_input(wire, len);
	run_watching_rx3(b, &used, &held);
	assert_true(used);
	assert_true(held);
	assert_false(b->core.rx3_hold);
	out = host_hal_output(&out_len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < out_len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME || !(d.type & PROTO_OP_RESPONSE) ||
		    d.type == PROTO_OP_READY)
			continue;
		assert_int_equal(d.seq, 70 + answers);
		assert_int_equal(d.payload[0], PROTO_OK);
		if (d.type == (PROTO_OP_PING | PROTO_OP_RESPONSE)) {
			assert_int_equal(d.payload_len, 1 + sizeof(ping));
			assert_memory_equal(d.payload + 1, ping, sizeof(ping));
			pinged = 1;
		}
		if (d.type == (PROTO_OP_READ | PROTO_OP_RESPONSE)) {
			assert_int_equal(d.payload_len, 5);
			assert_int_equal(d.payload[1], 0x31);
			read_ok = 1;
		}
		answers++;
	}
	assert_int_equal(answers, 4);
	assert_true(pinged);
	assert_true(read_ok);
	assert_int_equal(b->mem[0xD100 + 255], 0x62);
}

static void test_set_pad(void **state)
{
	struct bench *b = *state;
	uint8_t n = 62, big = 63, v = PROTO_VERSION, ping[3] = { 1, 2, 3 };
	uint8_t wire[32];
	const uint8_t *out;
	size_t len, wl, i, ff;

	assert_int_equal(exchange(b, PROTO_OP_SET_PAD, &big, 1), PROTO_E_ARG);
	assert_int_equal(exchange(b, PROTO_OP_SET_PAD, &n, 1), PROTO_OK);
	assert_int_equal(b->data_len, 1);
	assert_int_equal(b->data[0], 62);
	/* the raw bytes of a PING's answer: the frame, then 62 FF */
	wl = proto_encode(PROTO_OP_PING, ++b->seq, ping, sizeof(ping), wire, sizeof(wire));
	host_hal_output_clear();
	run_bytes(b, wire, wl);
	out = host_hal_output(&len);
	for (ff = 0, i = len; i > 0 && out[i - 1] == 0xFF; i--)
		ff++;
	assert_int_equal(ff, 62);
	assert_true(i > 0);
	assert_int_equal(out[i - 1], PROTO_EOF);
	/* a new session: no padding until asked again */
	assert_int_equal(exchange(b, PROTO_OP_HELLO, &v, 1), PROTO_OK);
	wl = proto_encode(PROTO_OP_PING, ++b->seq, ping, sizeof(ping), wire, sizeof(wire));
	host_hal_output_clear();
	run_bytes(b, wire, wl);
	out = host_hal_output(&len);
	assert_true(len > 0);
	assert_int_equal(out[len - 1], PROTO_EOF);
}

/* A byte from the host stops a stream; the device then serves the request. */
static void test_set_baud_probation(void **state)
{
	struct bench *b = *state;
	uint8_t p[4], n = 3;

	proto_put32(p, 1000000);
	assert_int_equal(exchange(b, PROTO_OP_SET_BAUD, p, 4), PROTO_OK);
	assert_int_equal(proto_get32(b->data), 1000000);
	assert_int_equal(host_hal_baud(), 1000000);
	/* a good frame confirms the rate */
	assert_int_equal(exchange(b, PROTO_OP_JEDEC, &n, 1), PROTO_OK);
	host_hal_advance_ms(FW_BAUD_PROBATION_MS + 10);
	fw_core_poll(&b->core);
	assert_int_equal(host_hal_baud(), 1000000);
	/* a host that goes away does not strand the next one at 1 Mbaud */
	host_hal_advance_ms(FW_BAUD_IDLE_MS);
	fw_core_poll(&b->core);
	assert_int_equal(host_hal_baud(), 115200);

	proto_put32(p, 2000000);
	assert_int_equal(exchange(b, PROTO_OP_SET_BAUD, p, 4), PROTO_OK);
	assert_int_equal(host_hal_baud(), 2000000);
	host_hal_advance_ms(FW_BAUD_PROBATION_MS + 10);
	fw_core_poll(&b->core);
	assert_int_equal(host_hal_baud(), 115200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_and_hello, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jedec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_across_pages_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_sector_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crc32_and_blank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranges_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_not_executed_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_then_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_frame_then_silence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_crc_draws_frame_err, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_kicked_in_long_operations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xfer_and_ping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_programs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_buffer_given_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_third_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_third_buffer_moves_other_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_pad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_baud_probation, setup, teardown),
	};

	return cmocka_run_group_tests_name("fw_core", tests, NULL, NULL);
}
