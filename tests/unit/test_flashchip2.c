/*
 * The chip model, continued: block protection (Winbond and Macronix tables,
 * CMP, chip erase under protection), 4-byte addressing on the W25Q256, SST
 * AAI, the SFDP tables and deep power-down.
 */

#include "fc_rig.h"

static void test_protected_region_refuses(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[2] = { 0x04, 0x02 }, d = 0x00;      /* BP0: upper 256 KiB */

	wrsr(r, v, 2);
	program(r, 0xFC0000, &d, 1);
	assert_int_equal(rdsr(r, 0x05), 0x04);          /* refused: not busy, WEL gone */
	assert_int_equal(read1(r, 0xFC0000), 0xFF);
	erase(r, 0xD8, 0xFC0000);
	erase(r, 0x20, 0xFFF000);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(r->c.stats.erases, 0);
	program(r, 0xFBFFFF, &d, 1);                    /* just below: fine */
	wait_idle(r);
	assert_int_equal(read1(r, 0xFBFFFF), 0x00);
	/* TB = 1: the same size at the bottom. */
	v[0] = 0x24;
	wrsr(r, v, 2);
	program(r, 0x03FFFF, &d, 1);
	erase(r, 0x20, 0x000000);
	assert_int_equal(r->c.stats.refused, 5);
	program_idle(r, 0xFC0000, &d, 1);
	assert_int_equal(read1(r, 0xFC0000), 0x00);
	/* SEC = 1, BP = 001: only the top 4 KiB. */
	v[0] = 0x44;
	wrsr(r, v, 2);
	erase(r, 0x20, 0xFFF000);
	assert_int_equal(r->c.stats.refused, 6);
	erase_idle(r, 0x20, 0xFFE000);
	assert_int_equal(r->c.stats.erases, 1);
}

static void test_cmp_inverts(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[2] = { 0x04, 0x42 }, d = 0x00;      /* BP0 + CMP */

	wrsr(r, v, 2);
	program(r, 0x000000, &d, 1);
	program(r, 0xFBFF00, &d, 1);
	assert_int_equal(r->c.stats.refused, 2);
	program(r, 0xFC0000, &d, 1);                    /* the top is now free */
	wait_idle(r);
	assert_int_equal(read1(r, 0xFC0000), 0x00);
	/* CMP with BP = 000 protects everything; with BP = 111 nothing. */
	v[0] = 0x00;
	wrsr(r, v, 2);
	program(r, 0xFC0001, &d, 1);
	assert_int_equal(r->c.stats.refused, 3);
	v[0] = 0x1C;
	wrsr(r, v, 2);
	erase_idle(r, 0xC7, 0);
	assert_int_equal(read1(r, 0xFC0000), 0xFF);
}

static void test_chip_erase_refused_when_protected(void **state)
{
	struct rig *r = open_part(state, "W25Q128-WP", 0, 0x00);
	uint8_t v[2] = { 0x00, 0x02 };

	assert_int_equal(rdsr(r, 0x05), 0x1C);
	erase(r, 0xC7, 0);
	assert_int_equal(rdsr(r, 0x05), 0x1C);          /* not busy, WEL cleared */
	assert_int_equal(read1(r, 0x123456), 0x00);
	erase(r, 0x20, 0);
	assert_int_equal(r->c.stats.refused, 2);
	/* One BP bit is enough to refuse a chip erase. */
	v[0] = 0x04;
	wrsr(r, v, 2);
	erase(r, 0x60, 0);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(read1(r, 0), 0x00);
	v[0] = 0x00;
	wrsr(r, v, 2);
	erase_idle(r, 0x60, 0);
	assert_int_equal(read1(r, 0), 0xFF);
	assert_int_equal(read1(r, 0xFFFFFF), 0xFF);
}

static void test_mx_protection(void **state)
{
	struct rig *r = open_part(state, "MX25L6406E", 0, 0xFF);
	uint8_t v = 0x04, d = 0x00;                     /* BP0: top 64 KiB */

	wrsr(r, &v, 1);
	program(r, 0x7F0000, &d, 1);
	assert_int_equal(r->c.stats.refused, 1);
	program_idle(r, 0x7EFFFF, &d, 1);
	assert_int_equal(read1(r, 0x7EFFFF), 0x00);
	v = 0x1C;                                       /* BP0-2: top 4 MiB */
	wrsr(r, &v, 1);
	program(r, 0x400000, &d, 1);
	assert_int_equal(r->c.stats.refused, 2);
	program_idle(r, 0x3FFFFF, &d, 1);
	v = 0x20;                                       /* BP3: everything */
	wrsr(r, &v, 1);
	program(r, 0x000000, &d, 1);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(rdsr(r, 0x05), 0x20);
}

/* ---- 4-byte addressing ---- */

static void test_w25q256_4byte_mode(void **state)
{
	struct rig *r = open_part(state, "W25Q256", 0, 0xFF);
	uint8_t d = 0x3C, v[2];

	r->mem[0x0000010] = 0x11;
	r->mem[0x1000010] = 0x22;
	assert_int_equal(read1(r, 0x000010), 0x11);
	/* 3-byte mode: the counter wraps inside the low 16 MiB. */
	xfer(r, 0x03, 0xFFFFFF, 3, 0, NULL, v, 2);
	assert_int_equal(v[0], r->mem[0xFFFFFF]);
	assert_int_equal(v[1], r->mem[0]);
	cmd(r, 0xB7);
	assert_int_equal(rdsr(r, 0x15) & 0x01, 0x01);   /* ADS */
	xfer(r, 0x03, 0x1000010, 4, 0, NULL, v, 1);
	assert_int_equal(v[0], 0x22);
	xfer(r, 0x0B, 0x1000010, 4, 1, NULL, v, 1);
	assert_int_equal(v[0], 0x22);
	wren(r);
	xfer(r, 0x02, 0x1800000, 4, 0, &d, NULL, 1);
	wait_idle(r);
	assert_int_equal(r->mem[0x1800000], 0x3C);
	assert_int_equal(r->mem[0x0800000], 0xFF);
	wren(r);
	xfer(r, 0xD8, 0x1800000, 4, 0, NULL, NULL, 0);
	wait_idle(r);
	assert_int_equal(r->mem[0x1800000], 0xFF);
	cmd(r, 0xE9);
	assert_int_equal(rdsr(r, 0x15) & 0x01, 0x00);
	assert_int_equal(read1(r, 0x000010), 0x11);
	/* The extended address register picks the upper 16 MiB. */
	wren(r);
	v[0] = 0x01;
	xfer(r, 0xC5, 0, 0, 0, v, NULL, 1);
	assert_int_equal(read1(r, 0x000010), 0x22);
	/* Reset: back to 3-byte mode, segment 0, WEL off. */
	cmd(r, 0xB7);
	wren(r);
	cmd(r, 0x66);
	cmd(r, 0x99);
	r->now += 30 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x000010), 0x11);
}

static void test_w25q256_native_4byte_opcodes(void **state)
{
	struct rig *r = open_part(state, "W25Q256", 0, 0x00);
	uint8_t d = 0xA5, v;

	/* Still in 3-byte mode: the 4-byte opcodes reach past 16 MiB. */
	r->mem[0x1234567] = 0x77;
	xfer(r, 0x13, 0x1234567, 4, 0, NULL, &v, 1);
	assert_int_equal(v, 0x77);
	xfer(r, 0x0C, 0x1234567, 4, 1, NULL, &v, 1);    /* fast read: one dummy */
	assert_int_equal(v, 0x77);
	erase_idle(r, 0x21, 0x1FFF000);
	assert_erased_exactly(r, 0x1FFF000, 4 * KIB);
	assert_int_equal(r->mem[0x0FFF000], 0x00);
	wren(r);
	xfer(r, 0x12, 0x1FFF000, 4, 0, &d, NULL, 1);
	wait_idle(r);
	assert_int_equal(r->mem[0x1FFF000], 0xA5);
	erase_idle(r, 0x5C, 0x1008000);
	assert_erased_exactly(r, 0x1008000, 32 * KIB);
	erase_idle(r, 0xDC, 0x102ABCD);
	assert_erased_exactly(r, 0x1020000, 64 * KIB);
	assert_int_equal(r->mem[0x0020000], 0x00);
	/* The 3-byte-only W25Q128 ignores them. */
	teardown(state);
	r = open_part(state, "W25Q128", 0, 0x00);
	erase(r, 0x21, 0x0001000);
	assert_int_equal(r->mem[0x1000], 0x00);
	assert_int_equal(rdsr(r, 0x05), 0x02);
}

/* ---- SST AAI ---- */

static void test_sst_aai(void **state)
{
	struct rig *r = open_part(state, "SST25VF016B", 0, 0xFF);
	uint8_t w[3] = { 0x12, 0x34, 0x56 }, v = 0x00, id[3];

	/* Power-up: BP0-2 set, the whole array protected. */
	assert_int_equal(rdsr(r, 0x05), 0x1C);
	program(r, 0x100, w, 1);
	wren(r);
	xfer(r, 0xAD, 0x200, 3, 0, w, NULL, 2);
	assert_int_equal(rdsr(r, 0x05), 0x1C);          /* refused, WEL cleared */
	assert_int_equal(r->c.stats.refused, 2);
	wrsr(r, &v, 1);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	/* 02h programs one byte; two bytes are not a byte program. */
	program(r, 0x100, w, 2);
	assert_int_equal(read1(r, 0x100), 0xFF);
	program_idle(r, 0x100, w, 1);
	assert_int_equal(read1(r, 0x100), 0x12);
	/* AAI: address once (A0 ignored), then words. */
	wren(r);
	xfer(r, 0xAD, 0x201, 3, 0, w, NULL, 2);
	assert_int_equal(rdsr(r, 0x05), 0x43);          /* busy, WEL, AAI */
	wait_idle(r);
	assert_int_equal(rdsr(r, 0x05), 0x42);          /* WEL stays in AAI */
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);            /* ignored in AAI mode */
	assert_int_equal(id[0], 0xFF);
	xfer(r, 0xAD, 0, 0, 0, w + 1, NULL, 2);
	wait_idle(r);
	cmd(r, 0x04);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x200), 0x12);
	assert_int_equal(read1(r, 0x201), 0x34);
	assert_int_equal(read1(r, 0x202), 0x34);
	assert_int_equal(read1(r, 0x203), 0x56);
	assert_int_equal(read1(r, 0x204), 0xFF);
	/* ABh is Read-ID on SST, like 90h. */
	xfer(r, 0xAB, 1, 3, 0, NULL, id, 2);
	assert_int_equal(id[0], 0x41);
	assert_int_equal(id[1], 0xBF);
	/* AAI without WREN is refused. */
	xfer(r, 0xAD, 0x300, 3, 0, w, NULL, 2);
	assert_int_equal(read1(r, 0x300), 0xFF);
}

/* ---- SFDP ---- */

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Find a parameter table by ID in an SFDP image read over the bus. */
static const uint8_t *sfdp_table(const uint8_t *s, uint16_t id, unsigned *ndw)
{
	unsigned i, nph = s[6] + 1u;

	for (i = 0; i < nph; i++) {
		const uint8_t *h = s + 8 + 8 * i;
		if ((uint16_t)(h[0] | h[7] << 8) == id) {
			*ndw = h[3];
			return s + (h[4] | h[5] << 8 | h[6] << 16);
		}
	}
	return NULL;
}

static void test_sfdp(void **state)
{
	const struct fc_part *p;
	uint8_t s[256];

	for (p = fc_parts; p->name; p++) {
		struct rig *r = open_part(state, p->name, 0, 0xFF);
		const uint8_t *t;
		unsigned ndw = 0;

		xfer(r, 0x5A, 0, 3, 1, NULL, s, sizeof(s));
		if (!p->sfdp) {
			assert_int_equal(s[0] & s[1] & s[2] & s[3], 0xFF);
			close_part(state);
			continue;
		}
		assert_memory_equal(s, "SFDP", 4);
		assert_int_equal(s[5], 0x01);
		assert_true(p->sfdp_len <= sizeof(s));
		assert_int_equal(s[sizeof(s) - 1], 0xFF);   /* past the image */
		t = sfdp_table(s, 0xFF00, &ndw);
		assert_non_null(t);
		assert_true(ndw >= 9);
		assert_int_equal(le32(t + 4), p->size * 8u - 1u);
		assert_int_equal(le32(t) & 0x3, 0x1);       /* 4 KiB erase... */
		assert_int_equal(t[1], 0x20);               /* ...by 20h */
		assert_int_equal(le32(t + 28), 0x520F200Cu); /* 4K/20h 32K/52h */
		assert_int_equal(le32(t + 32), 0xFF00D810u); /* 64K/D8h */
		assert_int_equal((le32(t) >> 17) & 3, p->addr4 == FC_ADDR4_NONE ? 0 : 1);
		if (ndw >= 16) {
			uint32_t dw10 = le32(t + 36), dw11 = le32(t + 40);
			static const uint32_t eunit[4] = { 1, 16, 128, 1000 };  /* ms */
			uint32_t e1 = dw10 >> 4 & 0x7F, e3 = dw10 >> 18 & 0x7F;
			uint32_t se = ((e1 & 31) + 1) * eunit[e1 >> 5] * 1000;
			uint32_t be = ((e3 & 31) + 1) * eunit[e3 >> 5] * 1000;
			uint32_t emul = 2 * ((dw10 & 15) + 1);
			uint32_t pp = ((dw11 >> 8 & 31) + 1) * ((dw11 >> 13 & 1) ? 64 : 8);
			uint32_t pmul = 2 * ((dw11 & 15) + 1);

			assert_int_equal(1u << (dw11 >> 4 & 15), p->page_size);
			/* Typical times round up, by less than one unit step. */
			assert_true(se >= p->t_se_typ && se < 2 * p->t_se_typ);
			assert_true(be >= p->t_be64_typ && be < 2 * p->t_be64_typ);
			assert_true(pp >= p->t_pp_typ && pp < 2 * p->t_pp_typ);
			assert_true((uint64_t)emul * se >= p->t_se_max);
			assert_true((uint64_t)emul * be >= p->t_be64_max);
			assert_true((uint64_t)pmul * pp >= p->t_pp_max);
			assert_int_equal((le32(t + 56) >> 20) & 7, 1);  /* QER 001 */
		}
		t = sfdp_table(s, 0xFF84, &ndw);
		if (p->addr4 == FC_ADDR4_NATIVE) {
			assert_non_null(t);
			assert_int_equal(ndw, 2);
			assert_int_equal(le32(t + 4) & 0xFFFFFF, 0xDC5C21);
		} else {
			assert_null(t);
		}
		close_part(state);
	}
}

/* ---- power-down and reset ---- */

static void test_power_down(void **state)
{
	struct rig *r = open_part(state, "W25Q80", 0, 0x00);
	uint8_t id[3];

	cmd(r, 0xB9);
	r->now += 3 * US;
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);
	assert_int_equal(id[0] & id[1] & id[2], 0xFF);
	assert_int_equal(rdsr(r, 0x05), 0xFF);
	wren(r);
	erase(r, 0x20, 0);
	assert_int_equal(read1(r, 0), 0xFF);            /* MISO idle, not data */
	assert_int_equal(r->mem[0], 0x00);
	/* ABh answers the device ID even from power-down, then releases. */
	xfer(r, 0xAB, 0, 3, 0, NULL, id, 1);
	assert_int_equal(id[0], 0x13);
	assert_int_equal(rdsr(r, 0x05), 0xFF);          /* within tRES1 */
	r->now += 3 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);          /* WREN was ignored */
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);
	assert_int_equal(id[0], 0xEF);
	/* 99h without 66h right before it does nothing. */
	wren(r);
	cmd(r, 0x66);
	rdsr(r, 0x05);
	cmd(r, 0x99);
	assert_int_equal(rdsr(r, 0x05), 0x02);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, teardown)
		T(test_protected_region_refuses),
		T(test_cmp_inverts),
		T(test_chip_erase_refused_when_protected),
		T(test_mx_protection),
		T(test_w25q256_4byte_mode),
		T(test_w25q256_native_4byte_opcodes),
		T(test_sst_aai),
		T(test_sfdp),
		T(test_power_down),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
