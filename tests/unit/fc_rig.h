/*
 * fc_rig: helpers shared by the chip model's unit tests: a chip on a
 * simulated clock, and its commands as SPI transactions.
 */
#ifndef FC_RIG_H
#define FC_RIG_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashchip.h"

#define KIB 1024u
#define MIB (1024u * 1024u)
#define US 1000ull
#define MS 1000000ull
#define BYTE_NS 1000u           /* one byte at 8 MHz SCK */

struct rig {
	struct fc_chip c;
	uint8_t *mem;
	uint64_t now;
};

/* A chip with its array filled with `fill`; freed by teardown. */
static inline struct rig *open_part(void **state, const char *name, uint32_t opts, uint8_t fill)
{
	const struct fc_part *p = fc_part_find(name);
	struct rig *r;

	assert_non_null(p);
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->mem = malloc(p->size);
	assert_non_null(r->mem);
	memset(r->mem, fill, p->size);
	fc_init(&r->c, p, r->mem, opts);
	r->now = 1 * MS;
	*state = r;
	return r;
}

static inline int teardown(void **state)
{
	struct rig *r = *state;

	if (r) {
		free(r->mem);
		free(r);
	}
	return 0;
}

static inline void close_part(void **state)
{
	teardown(state);
	*state = NULL;
}

/* One transaction: opcode, alen address bytes, ndummy dummy bytes, then n
 * data bytes (out may be NULL: FFh is sent).  Returns the time of CS rise. */
static inline uint64_t xfer(struct rig *r, uint8_t op, uint32_t addr, int alen, int ndummy,
		     const uint8_t *out, uint8_t *in, size_t n)
{
	uint64_t t;
	size_t i;
	int k;

	fc_select(&r->c, r->now);
	r->now += 100;
	assert_int_equal(fc_transfer(&r->c, op, r->now), 0xFF);
	r->now += BYTE_NS;
	for (k = alen - 1; k >= 0; k--, r->now += BYTE_NS)
		assert_int_equal(fc_transfer(&r->c, (uint8_t)(addr >> (8 * k)), r->now), 0xFF);
	for (k = 0; k < ndummy; k++, r->now += BYTE_NS)
		assert_int_equal(fc_transfer(&r->c, 0x00, r->now), 0xFF);
	for (i = 0; i < n; i++, r->now += BYTE_NS) {
		uint8_t v = fc_transfer(&r->c, out ? out[i] : 0xFF, r->now);
		if (in)
			in[i] = v;
	}
	t = r->now;
	fc_deselect(&r->c, t);
	r->now += 100;
	return t;
}

static inline uint64_t cmd(struct rig *r, uint8_t op) { return xfer(r, op, 0, 0, 0, NULL, NULL, 0); }
static inline void wren(struct rig *r) { cmd(r, 0x06); }

static inline uint8_t rdsr(struct rig *r, uint8_t op)
{
	uint8_t v;

	xfer(r, op, 0, 0, 0, NULL, &v, 1);
	return v;
}

/* Poll WIP as firmware does, with a deadline (1000 s of simulated time). */
static inline void wait_idle(struct rig *r)
{
	uint64_t step = 10 * US, deadline = r->now + 1000000 * MS;

	while (rdsr(r, 0x05) & 0x01) {
		assert_true(r->now < deadline);
		r->now += step;
		if (step < 100 * MS)
			step *= 2;
	}
}

static inline uint64_t program(struct rig *r, uint32_t addr, const uint8_t *d, size_t n)
{
	wren(r);
	return xfer(r, 0x02, addr, 3, 0, d, NULL, n);
}

static inline uint64_t erase(struct rig *r, uint8_t op, uint32_t addr)
{
	int alen = (op == 0xC7 || op == 0x60) ? 0 : (op == 0x21 || op == 0x5C || op == 0xDC) ? 4 : 3;

	wren(r);
	return xfer(r, op, addr, alen, 0, NULL, NULL, 0);
}

static inline void program_idle(struct rig *r, uint32_t addr, const uint8_t *d, size_t n)
{
	program(r, addr, d, n);
	wait_idle(r);
}

static inline void erase_idle(struct rig *r, uint8_t op, uint32_t addr)
{
	erase(r, op, addr);
	wait_idle(r);
}

/* [lo, lo + n) erased and its neighbours still programmed (array filled 00h). */
static inline void assert_erased_exactly(const struct rig *r, uint32_t lo, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(r->mem[lo + i], 0xFF);
	if (lo > 0)
		assert_int_equal(r->mem[lo - 1], 0x00);
	if (lo + n < r->c.part->size)
		assert_int_equal(r->mem[lo + n], 0x00);
}

static inline void wrsr(struct rig *r, const uint8_t *v, size_t n)
{
	wren(r);
	xfer(r, 0x01, 0, 0, 0, v, NULL, n);
	wait_idle(r);
}

static inline uint8_t read1(struct rig *r, uint32_t addr)
{
	uint8_t v;

	xfer(r, 0x03, addr, 3, 0, NULL, &v, 1);
	return v;
}

/* ---- identification ---- */

#endif
