/*
 * Unit tests of the chip model's injected faults (fc_fault.c): the spec
 * parser, stuck bits, an erase slower than its maximum, MISO stuck, and
 * block protection set behind the programmer's back.  Driven through the bus
 * with simulated time, like test_flashchip.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashchip.h"

#define US 1000ull
#define MS 1000000ull
#define BYTE_NS 1000u

struct rig {
	struct fc_chip c;
	uint8_t *mem;
	uint64_t now;
};

static struct rig *open_faulty(void **state, const char *name, const char *spec)
{
	const struct fc_part *p = fc_part_find(name);
	struct rig *r;
	char err[128];

	assert_non_null(p);
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->mem = malloc(p->size);
	assert_non_null(r->mem);
	memset(r->mem, 0xFF, p->size);
	fc_init(&r->c, p, r->mem, 0);
	if (spec)
		assert_int_equal(fc_fault_parse(spec, &r->c.fault, err, sizeof(err)), 0);
	r->now = 1 * MS;
	*state = r;
	return r;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	if (r) {
		free(r->mem);
		free(r);
	}
	return 0;
}

/* One transaction; MISO of every byte after the opcode goes to in (if any). */
static void xfer(struct rig *r, uint8_t op, uint32_t addr, int alen,
		 const uint8_t *out, uint8_t *in, size_t n)
{
	size_t i;
	int k;

	fc_select(&r->c, r->now);
	r->now += 100;
	fc_transfer(&r->c, op, r->now);
	r->now += BYTE_NS;
	for (k = alen - 1; k >= 0; k--, r->now += BYTE_NS)
		fc_transfer(&r->c, (uint8_t)(addr >> (8 * k)), r->now);
	for (i = 0; i < n; i++, r->now += BYTE_NS) {
		uint8_t v = fc_transfer(&r->c, out ? out[i] : 0xFF, r->now);
		if (in)
			in[i] = v;
	}
	fc_deselect(&r->c, r->now);
	r->now += 100;
}

static uint8_t rdsr(struct rig *r)
{
	uint8_t v;

	xfer(r, 0x05, 0, 0, NULL, &v, 1);
	return v;
}

/* Poll WIP until idle; returns the simulated time it took. */
static uint64_t wait_idle(struct rig *r)
{
	uint64_t t0 = r->now, deadline = r->now + 100000 * MS;

	while (rdsr(r) & 0x01) {
		assert_true(r->now < deadline);
		r->now += 1 * MS;
	}
	return r->now - t0;
}

static void program(struct rig *r, uint32_t addr, const uint8_t *d, size_t n)
{
	xfer(r, 0x06, 0, 0, NULL, NULL, 0);
	xfer(r, 0x02, addr, 3, d, NULL, n);
	wait_idle(r);
}

static uint64_t erase4k(struct rig *r, uint32_t addr)
{
	xfer(r, 0x06, 0, 0, NULL, NULL, 0);
	xfer(r, 0x20, addr, 3, NULL, NULL, 0);
	return wait_idle(r);
}

static void test_parse(void **state)
{
	struct fc_faults f;
	char err[128];

	(void)state;
	assert_int_equal(fc_fault_parse("stuck=0x1000:0x81,stuck=5:1,slow-erase=4,"
					"miso-stuck-after=300:0,protect-after=7", &f, err,
					sizeof(err)), 0);
	assert_int_equal(f.nstuck, 2);
	assert_int_equal(f.stuck[0].addr, 0x1000);
	assert_int_equal(f.stuck[0].mask, 0x81);
	assert_int_equal(f.stuck[1].addr, 5);
	assert_int_equal(f.slow_erase, 4);
	assert_int_equal(f.miso_stuck_after, 300);
	assert_int_equal(f.miso_value, 0);
	assert_int_equal(f.protect_after, 7);
	assert_int_equal(fc_fault_parse("slow-erase", &f, err, sizeof(err)), 0);
	assert_int_equal(f.slow_erase, 10);
	assert_int_equal(f.miso_value, 0xFF);

	assert_int_equal(fc_fault_parse("stuck=12", &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "stuck"));
	assert_int_equal(fc_fault_parse("stuck=12:0", &f, err, sizeof(err)), -1);
	assert_int_equal(fc_fault_parse("stuck=12:0x100", &f, err, sizeof(err)), -1);
	assert_int_equal(fc_fault_parse("protect-after=0", &f, err, sizeof(err)), -1);
	assert_int_equal(fc_fault_parse("protect-after", &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(fc_fault_parse("miso-stuck-after=-1", &f, err, sizeof(err)), -1);
	assert_int_equal(fc_fault_parse("slow-erase=0", &f, err, sizeof(err)), -1);
	assert_int_equal(fc_fault_parse("melt=1", &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown chip fault 'melt'"));
	assert_int_equal(fc_fault_parse("stuck=1:1,stuck=2:1,stuck=3:1,stuck=4:1,stuck=5:1,"
					"stuck=6:1,stuck=7:1,stuck=8:1,stuck=9:1", &f, err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "at most 8"));
}

static void test_stuck_bits_do_not_program(void **state)
{
	struct rig *r = open_faulty(state, "W25Q80", "stuck=0x1005:0x81");
	uint8_t d[16];

	memset(d, 0x00, sizeof(d));
	program(r, 0x1000, d, sizeof(d));
	assert_int_equal(r->mem[0x1004], 0x00);
	assert_int_equal(r->mem[0x1005], 0x81);   /* the stuck bits stayed 1 */
	assert_int_equal(r->mem[0x1006], 0x00);
	/* programming again does not help; erasing sets everything to 1 */
	program(r, 0x1005, d, 1);
	assert_int_equal(r->mem[0x1005], 0x81);
	erase4k(r, 0x1000);
	assert_int_equal(r->mem[0x1005], 0xFF);
	/* a page elsewhere is not affected */
	program(r, 0x2005, d, 1);
	assert_int_equal(r->mem[0x2005], 0x00);
}

static void test_slow_erase(void **state)
{
	struct rig *r = open_faulty(state, "W25Q80", "slow-erase=5");
	uint64_t took, max = (uint64_t)r->c.part->t_se_max * US;

	took = erase4k(r, 0);
	assert_true(took >= 5 * max - 2 * MS);
	assert_true(took <= 5 * max + 2 * MS);
	/* programs keep their normal time */
	r->c.fault.slow_erase = 0;
	took = erase4k(r, 0x1000);
	assert_true(took < max);
}

static void test_miso_stuck_after(void **state)
{
	struct rig *r = open_faulty(state, "W25Q80", "miso-stuck-after=8");
	uint8_t id[3];
	uint8_t d[4] = { 1, 2, 3, 4 }, back[4];

	xfer(r, 0x9F, 0, 0, NULL, id, 3);        /* 4 bytes clocked */
	assert_memory_equal(id, "\xEF\x40\x14", 3);
	assert_int_equal(r->c.fault.miso_stuck, 0);
	xfer(r, 0x9F, 0, 0, NULL, id, 3);        /* byte 8 is the last ID byte */
	assert_int_equal(r->c.fault.miso_stuck, 1);
	xfer(r, 0x9F, 0, 0, NULL, id, 3);
	assert_memory_equal(id, "\xFF\xFF\xFF", 3);
	/* the chip still works inside: a program lands, only answers are lost */
	xfer(r, 0x06, 0, 0, NULL, NULL, 0);
	xfer(r, 0x02, 0x100, 3, d, NULL, 4);
	r->now += 10 * MS;
	assert_memory_equal(r->mem + 0x100, d, 4);
	xfer(r, 0x03, 0x100, 3, NULL, back, 4);
	assert_memory_equal(back, "\xFF\xFF\xFF\xFF", 4);
	assert_int_equal(rdsr(r), 0xFF);
}

static void test_miso_stuck_low(void **state)
{
	struct rig *r = open_faulty(state, "W25X10", "miso-stuck-after=1:0x00");
	uint8_t id[3];

	xfer(r, 0x9F, 0, 0, NULL, id, 3);
	assert_memory_equal(id, "\0\0\0", 3);
	assert_int_equal(rdsr(r), 0x00);
}

static void test_protect_after(void **state)
{
	struct rig *r = open_faulty(state, "W25Q80", "protect-after=2");
	uint8_t d[2] = { 0x12, 0x34 };

	program(r, 0x0, d, 1);                    /* 1st write: fine */
	assert_int_equal(rdsr(r) & 0x1C, 0);
	program(r, 0x1, d + 1, 1);                /* 2nd lands, then BP bits go on */
	assert_int_equal(r->mem[1], 0x34);
	assert_int_equal(rdsr(r) & 0x1C, 0x1C);
	assert_int_equal(r->c.fault.protected_now, 1);
	program(r, 0x2, d, 1);                    /* refused: everything protected */
	assert_int_equal(r->mem[2], 0xFF);
	assert_true(erase4k(r, 0) < 1 * MS);          /* refused: never busy */
	assert_int_equal(r->mem[0], 0x12);
	assert_true(r->c.stats.refused >= 2);
	/* a status write clears it again, as the client's --unprotect would */
	{
		uint8_t z[2] = { 0, 0 };
		xfer(r, 0x06, 0, 0, NULL, NULL, 0);
		xfer(r, 0x01, 0, 0, z, NULL, 2);
		wait_idle(r);
	}
	assert_int_equal(rdsr(r) & 0x1C, 0);
	program(r, 0x2, d, 1);
	assert_int_equal(r->mem[2], 0x12);
	assert_int_equal(rdsr(r) & 0x1C, 0);     /* fires once */
}

static void test_no_faults_when_zeroed(void **state)
{
	struct rig *r = open_faulty(state, "W25Q80", NULL);
	uint8_t d[1] = { 0 };

	program(r, 0x10, d, 1);
	assert_int_equal(r->mem[0x10], 0);
	assert_true(erase4k(r, 0) <= (uint64_t)r->c.part->t_se_typ * US + 2 * MS);
	assert_int_equal(r->c.fault.miso_stuck, 0);
	assert_int_equal(r->c.fault.protected_now, 0);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		T(test_stuck_bits_do_not_program),
		T(test_slow_erase),
		T(test_miso_stuck_after),
		T(test_miso_stuck_low),
		T(test_protect_after),
		T(test_no_faults_when_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
