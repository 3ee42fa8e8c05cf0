/*
 * fw_frames: requests in frames to the firmware core on the host (fw_frames.h).
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

int setup_part(void **state, const char *name)
{
	struct bench *b = calloc(1, sizeof(*b));
	const struct fc_part *p = fc_part_find(name);

	if (!b || !p)
		return -1;
	b->mem = malloc(p->size);
	memset(b->mem, 0xFF, p->size);
	fc_init(&b->chip, p, b->mem, 0);
	host_hal_attach(&b->chip);
	fw_core_init(&b->core);
	*state = b;
	return 0;
}

int setup(void **state)
{
	return setup_part(state, SMALL_PART);
}

int teardown(void **state)
{
	struct bench *b = *state;

	free(b->mem);
	free(b);
	return 0;
}

/* Decode everything the device sent; keep the last response, count others. */
int collect(struct bench *b)
{
	uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t len, i;
	const uint8_t *out = host_hal_output(&len);
	int responses = 0;

	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < len; i++) {
		if (proto_dec_feed(&d, out[i]) != PROTO_DEC_FRAME)
			continue;
		if (d.type == PROTO_OP_PENDING) {
			b->pendings++;
		} else if (d.type == PROTO_OP_FRAME_ERR) {
			b->frame_errs++;
			b->status = (int8_t)d.payload[0];
		} else if (d.type & PROTO_OP_RESPONSE && d.type != PROTO_OP_READY) {
			b->type = d.type;
			b->status = (int8_t)d.payload[0];
			b->data_len = (uint16_t)(d.payload_len - 1);
			memcpy(b->data, d.payload + 1, b->data_len);
			responses++;
		}
	}
	host_hal_output_clear();
	return responses;
}

void run_bytes(struct bench *b, const uint8_t *wire, size_t n)
{
	int guard = 0;

	host_hal_input(wire, n);
	/* until every byte is taken and every request decoded has run */
	while ((host_hal_input_left() || b->core.n_ready) && guard++ < 100000)
		fw_core_poll(&b->core);
	fw_core_poll(&b->core);
}

/* Send one request with the given seq; return the number of responses. */
int exchange_seq(struct bench *b, uint8_t type, uint8_t seq, const uint8_t *p, size_t n)
{
	static uint8_t wire[PROTO_WIRE_MAX_LEN];
	size_t len = proto_encode(type, seq, p, n, wire, sizeof(wire));

	assert_true(len > 0);
	host_hal_output_clear();
	b->pendings = 0;
	b->frame_errs = 0;
	run_bytes(b, wire, len);
	return collect(b);
}

int8_t exchange(struct bench *b, uint8_t type, const uint8_t *p, size_t n)
{
	assert_int_equal(exchange_seq(b, type, ++b->seq, p, n), 1);
	assert_int_equal(b->type, type | PROTO_OP_RESPONSE);
	return b->status;
}

int8_t do_program(struct bench *b, uint32_t addr, const uint8_t *d, uint16_t n)
{
	uint8_t p[4 + 512];

	proto_put32(p, addr);
	memcpy(p + 4, d, n);
	return exchange(b, PROTO_OP_PROGRAM, p, 4u + n);
}

int8_t do_read(struct bench *b, uint32_t addr, uint16_t n)
{
	uint8_t p[6];

	proto_put32(p, addr);
	proto_put16(p + 4, n);
	return exchange(b, PROTO_OP_READ, p, sizeof(p));
}

int8_t do_erase(struct bench *b, uint32_t addr, uint8_t op, uint32_t max_ms)
{
	uint8_t p[9];

	proto_put32(p, addr);
	p[4] = op;
	proto_put32(p + 5, max_ms);
	return exchange(b, PROTO_OP_ERASE, p, sizeof(p));
}
