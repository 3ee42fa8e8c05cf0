/*
 * DIAG (fw_diag.c) on the host: the real dispatcher against the chip model
 * and the host HAL's MISO pull-up and ADC (A0 676, bandgap 225 of 1023),
 * and the DIAG layouts of proto_msg.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw_core.h"
#include "fw_host_hal.h"
#include "flashchip.h"
#include "proto_msg.h"

struct bench {
	struct fc_chip chip;
	uint8_t *mem;
	struct fw_core core;
	uint8_t seq;
	uint8_t type;
	int8_t status;
	uint8_t data[PROTO_MAX_PAYLOAD];
	uint16_t data_len;
};

static int setup(void **state)
{
	struct bench *b = calloc(1, sizeof(*b));
	const struct fc_part *p = fc_part_find("W25Q80");

	if (!b || !p)
		return -1;
	b->mem = malloc(p->size);
	memset(b->mem, 0x5A, p->size);
	fc_init(&b->chip, p, b->mem, 0);
	host_hal_attach(&b->chip);
	fw_core_init(&b->core);
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	struct bench *b = *state;

	free(b->mem);
	free(b);
	return 0;
}

/* One request through the wire; the last answer kept in b. */
static int8_t exchange(struct bench *b, uint8_t type, const uint8_t *p, size_t n)
{
	static uint8_t wire[PROTO_WIRE_MAX_LEN];
	uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	const uint8_t *out;
	size_t len = proto_encode(type, ++b->seq, p, n, wire, sizeof(wire)), i;
	int guard = 0, answers = 0;

	assert_true(len > 0);
	host_hal_output_clear();
	host_hal_input(wire, len);
	while (host_hal_input_left() && guard++ < 100000)
		fw_core_poll(&b->core);
	fw_core_poll(&b->core);
	out = host_hal_output(&len);
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME || d.type != (type | PROTO_OP_RESPONSE))
			continue;
		b->status = (int8_t)d.payload[0];
		b->data_len = (uint16_t)(d.payload_len - 1);
		memcpy(b->data, d.payload + 1, b->data_len);
		answers++;
	}
	assert_int_equal(answers, 1);
	return b->status;
}

static void test_layout(void **state)
{
	struct proto_req_diag q = { PROTO_DIAG_ERASE, 0x12345678 }, q2;
	struct proto_ans_diag a = { 0x02, { 0xEF, 0x40, 0x18 }, { 0xEF, 0x40, 0x17 },
				    676, 1023, 225, 600, 45, { 0xFF, 0xFE, 0xFD } }, a2;
	uint8_t p[PROTO_ANS_DIAG_LEN];
	static const uint8_t want_q[] = { 0x02, 0x78, 0x56, 0x34, 0x12 };

	(void)state;
	assert_int_equal(proto_req_diag_pack(p, &q), PROTO_REQ_DIAG_LEN);
	assert_memory_equal(p, want_q, sizeof(want_q));
	assert_int_equal(proto_req_diag_unpack(p, PROTO_REQ_DIAG_LEN, &q2), 0);
	assert_int_equal(q2.flags, q.flags);
	assert_int_equal(q2.addr, q.addr);
	assert_int_equal(proto_req_diag_unpack(p, PROTO_REQ_DIAG_LEN - 1, &q2), PROTO_E_ARG);
	assert_int_equal(proto_ans_diag_pack(p, &a), PROTO_ANS_DIAG_LEN);
	assert_int_equal(p[0], 0x02);
	assert_int_equal(p[6], 0x17);
	assert_int_equal(proto_get16(p + 7), 676);
	assert_int_equal(proto_get16(p + 15), 45);
	assert_int_equal(p[19], 0xFD);
	assert_int_equal(proto_ans_diag_unpack(p, PROTO_ANS_DIAG_LEN, &a2), 0);
	assert_memory_equal(&a2.id_nopu, a.id_nopu, 3);
	assert_int_equal(a2.a0_min, 600);
	assert_memory_equal(a2.id_swap, a.id_swap, 3);
	assert_int_equal(proto_ans_diag_unpack(p, PROTO_ANS_DIAG_LEN + 1, &a2), PROTO_E_ARG);
}

static void test_hello_has_diag(void **state)
{
	struct bench *b = *state;
	struct proto_hello h;
	uint8_t v = PROTO_VERSION;

	memset(&h, 0, sizeof(h));
	assert_int_equal(exchange(b, PROTO_OP_HELLO, &v, 1), PROTO_OK);
	assert_int_equal(proto_ans_hello_unpack(b->data, b->data_len, &h), 0);
	assert_true(h.caps & PROTO_CAP_DIAG);
}

static void test_readings(void **state)
{
	struct bench *b = *state;
	struct proto_req_diag q = { PROTO_DIAG_LOAD, 0 };
	struct proto_ans_diag a;
	uint8_t p[PROTO_REQ_DIAG_LEN];

	assert_int_equal(exchange(b, PROTO_OP_DIAG, p, proto_req_diag_pack(p, &q)), PROTO_OK);
	assert_int_equal(proto_ans_diag_unpack(b->data, b->data_len, &a), 0);
	/* the chip drives MISO: the same ID with the pull-up and without */
	assert_memory_equal(a.id_pu, b->chip.part->jedec, 3);
	assert_memory_equal(a.id_nopu, b->chip.part->jedec, 3);
	assert_int_equal(a.a0, 676);
	assert_int_equal(a.bandgap, 225);
	assert_int_equal(a.a0_min, 676);
	/* wired right: with MOSI and MISO exchanged nothing answers */
	assert_int_equal(a.id_swap[0], 0xFF);
	/* a wrong length is refused */
	assert_int_equal(exchange(b, PROTO_OP_DIAG, p, 4), PROTO_E_ARG);
}

static void test_stuck_low(void **state)
{
	struct bench *b = *state;
	struct proto_req_diag q = { 0, 0 };
	struct proto_ans_diag a;
	uint8_t p[PROTO_REQ_DIAG_LEN];
	static const uint8_t zero[3];

	host_hal_miso_stuck(0);
	assert_int_equal(exchange(b, PROTO_OP_DIAG, p, proto_req_diag_pack(p, &q)), PROTO_OK);
	assert_int_equal(proto_ans_diag_unpack(b->data, b->data_len, &a), 0);
	assert_memory_equal(a.id_pu, zero, 3);
	assert_memory_equal(a.id_nopu, zero, 3);
	assert_int_equal(a.miso, 0);
	host_hal_miso_stuck(-1);
}

/* The erase load: an address past the chip refused; one sector erased. */
static void test_erase(void **state)
{
	struct bench *b = *state;
	struct proto_req_diag q = { PROTO_DIAG_ERASE, 0x1234 };
	struct proto_chip c = { 256, PROTO_ADDR_3, 1u << 20, 5 };
	uint8_t p[PROTO_CHIP_LEN];
	unsigned i;

	assert_int_equal(exchange(b, PROTO_OP_CHIP, p, proto_req_chip_pack(p, &c)), PROTO_OK);
	q.addr = 1u << 20;          /* past the chip */
	assert_int_equal(exchange(b, PROTO_OP_DIAG, p, proto_req_diag_pack(p, &q)), PROTO_E_ARG);
	q.addr = 0x1234;
	assert_int_equal(exchange(b, PROTO_OP_DIAG, p, proto_req_diag_pack(p, &q)), PROTO_OK);
	for (i = 0; i < 0x1000; i++)
		assert_int_equal(b->mem[0x1000 + i], 0xFF);
	assert_int_equal(b->mem[0x0FFF], 0x5A);
	assert_int_equal(b->mem[0x2000], 0x5A);
	assert_int_equal(b->chip.stats.erases, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test_setup_teardown(test_hello_has_diag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_low, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
