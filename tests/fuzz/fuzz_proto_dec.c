/*
 * libFuzzer harness for the frame decoder of protocol/proto.c: arbitrary
 * bytes fed one at a time, as the firmware and the client receive them.
 * The same input runs through a decoder with the smallest legal buffer and
 * one with the largest frame body, each buffer a heap block of exactly cap
 * bytes so ASan catches a write past it.  Every frame the decoder accepts
 * must re-encode with proto_encode and decode again to the same frame.
 * Any broken invariant aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define SMALL_CAP (PROTO_HDR_LEN + PROTO_CRC_LEN + 8)
#define LARGE_CAP PROTO_MAX_BODY

/* Encode the frame d holds, decode the wire bytes afresh: one frame, equal. */
static void round_trip(const struct proto_dec *d)
{
	static const size_t wire_cap = PROTO_WIRE_MAX_LEN;
	uint8_t *wire = malloc(wire_cap), *body = malloc(LARGE_CAP);
	struct proto_dec d2;
	size_t n, i;
	int frames = 0;

	CHECK(wire && body);
	n = proto_encode(d->type, d->seq, d->payload, d->payload_len, wire, wire_cap);
	CHECK(n >= 1 + PROTO_HDR_LEN + PROTO_CRC_LEN + 2);
	CHECK(n <= (size_t)PROTO_WIRE_MAX(d->payload_len));
	CHECK(wire[0] == PROTO_SOF && wire[n - 1] == PROTO_EOF);
	for (i = 1; i < n - 1; i++)
		CHECK(wire[i] != 0);    /* COBS leaves no zero inside the frame */

	proto_dec_init(&d2, body, LARGE_CAP);
	for (i = 0; i < n; i++) {
		enum proto_dec_result r = proto_dec_feed(&d2, wire[i]);

		CHECK(r != PROTO_DEC_ERROR);
		if (r == PROTO_DEC_FRAME) {
			CHECK(i == n - 1);
			frames++;
		}
	}
	CHECK(frames == 1 && !proto_dec_busy(&d2));
	CHECK(d2.type == d->type && d2.seq == d->seq && d2.payload_len == d->payload_len);
	CHECK(d->payload_len == 0 || memcmp(d2.payload, d->payload, d->payload_len) == 0);
	free(body);
	free(wire);
}

static void run(const uint8_t *data, size_t size, uint16_t cap)
{
	uint8_t *body = malloc(cap);
	struct proto_dec d;
	size_t i;

	CHECK(body);
	proto_dec_init(&d, body, cap);
	for (i = 0; i < size; i++) {
		enum proto_dec_result r = proto_dec_feed(&d, data[i]);

		CHECK(d.len <= cap);
		if (r == PROTO_DEC_ERROR) {
			CHECK(d.err == PROTO_E_CRC || d.err == PROTO_E_FRAMING ||
			      d.err == PROTO_E_OVERSIZE);
		} else if (r == PROTO_DEC_FRAME) {
			CHECK(d.payload == body + PROTO_HDR_LEN);
			CHECK((size_t)d.payload_len + PROTO_HDR_LEN + PROTO_CRC_LEN <= cap);
			CHECK(d.type == body[0] && d.seq == body[1]);
			round_trip(&d);
		} else {
			CHECK(r == PROTO_DEC_NONE);
		}
	}
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, SMALL_CAP);
	run(data, size, LARGE_CAP);
	return 0;
}
