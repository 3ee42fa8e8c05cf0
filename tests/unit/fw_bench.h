/*
 * fw_bench: the real firmware core and the strict chip model in process,
 * behind a struct link, so the client's dev and ops layers can be tested
 * against them without an emulator: write() runs fw_core on the bytes and
 * read() returns what it answered.  A test can garble the line (a rate the
 * "cable" cannot carry, or the two sides at different rates) and damage
 * requests on their way.
 */
#ifndef FW_BENCH_H
#define FW_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "prog/dev.h"
#include "prog/prog.h"
#include "core/ops.h"
#include "fw_core.h"
#include "flashchip.h"

struct fw_bench {
	struct fc_chip chip;
	uint8_t *mem;
	struct fw_core core;
	uint8_t out[2u << 20];      /* what the device said, not yet read */
	uint64_t out_total;         /* bytes the device has sent in all */
	uint64_t drop_at, drop_len; /* the line loses these bytes of out_total */
	size_t out_len, out_pos;
	int corrupt_next_write;     /* flip a byte of the next request */
	unsigned corrupt_after;     /* ... once this many requests have gone */
	uint8_t corrupt_type;       /* only requests of this type (0: any) */
	int overrun;                /* a damaged request also counts a byte
				     * dropped by the device's receive ring */
	int lose_next_write;        /* flip the A5 of the next request: the
				     * device never sees a frame (nor answers) */
	uint32_t host_baud;         /* the rate the client set on its side */
	uint32_t max_ok_baud;       /* above this the "cable" garbles every byte */
	unsigned writes;
	struct link link;
	struct dev dev;
	struct prog prog;           /* the sketch over dev (fw_bench_attach) */
	struct ops ops;
};

/* A bench with the named personality: random contents, or erased. */
struct fw_bench *fw_bench_new(const char *part, int random_fill);
void fw_bench_free(struct fw_bench *b);
/* After dev_open: the sketch programmer over b->dev, and b->ops over it. */
void fw_bench_attach(struct fw_bench *b);

#endif
