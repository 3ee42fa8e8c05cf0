/*
 * Unit tests of the SFDP parser: published dumps of real parts, the images of
 * the emulator's chip model, the client's staged reads, truncation at every
 * length and every single-bit flip (malformed tables: test_sfdp_malformed.c).  Buffers
 * under test are copied to a heap block of exactly their length, so a build
 * with -fsanitize=address catches any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "flashchip.h"
#include "chips/sfdp.h"
#include "sfdp_dumps.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

#include "sfdp_rig.h"

struct erase_want {
	uint32_t size;
	uint8_t opcode;
};

struct dump {
	const char *name;
	const uint8_t *buf;
	size_t len;
	uint32_t need;          /* end of the last table the parser uses */
	uint8_t rev_minor;
	uint16_t nph;
	uint64_t size;
	uint32_t page_size;
	enum sfdp_addr addr;
	struct erase_want erase[4];
	uint32_t flags;         /* flags that must be set */
	uint32_t noflags;       /* flags that must be clear */
};

#define DUMP(n) #n, dump_##n, sizeof(dump_##n)
#define ALL_DW (SFDP_F_ERASE_TIMES | SFDP_F_PAGE_SIZE | SFDP_F_QER | SFDP_F_DW16)

static const struct dump dumps[] = {
	{ DUMP(w25q128jv), 0xC0, 5, 1, 16 * MIB, 256, SFDP_ADDR_3,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K | ALL_DW, SFDP_F_4BAIT },
	{ DUMP(mx25l25645g), 0xC8, 6, 3, 32 * MIB, 256, SFDP_ADDR_3_OR_4,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K | ALL_DW | SFDP_F_4BAIT, 0 },
	{ DUMP(mx25l3233f), 0x54, 0, 2, 4 * MIB, 256, SFDP_ADDR_3,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K, ALL_DW | SFDP_F_4BAIT },
	{ DUMP(gd25lb512me), 0xC8, 6, 3, 64 * MIB, 256, SFDP_ADDR_3_OR_4,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K | ALL_DW | SFDP_F_4BAIT, 0 },
	{ DUMP(mt25qu256a), 0x88, 6, 2, 32 * MIB, 256, SFDP_ADDR_3_OR_4,
	  { { 4 * KIB, 0x20 }, { 64 * KIB, 0xD8 }, { 32 * KIB, 0x52 } },
	  SFDP_F_ERASE_4K | ALL_DW | SFDP_F_4BAIT, 0 },
	/* 3-byte only at 32 MiB is ISSI's known error (Linux fixes it up). */
	{ DUMP(is25wp256), 0x70, 6, 2, 32 * MIB, 256, SFDP_ADDR_3,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K | ALL_DW, SFDP_F_4BAIT },
	/* 2 MiB is what the ZD25Q128C's table says of its 16 MiB. */
	{ DUMP(zd25q128c), 0x54, 0, 2, 2 * MIB, 256, SFDP_ADDR_3,
	  { { 4 * KIB, 0x20 }, { 32 * KIB, 0x52 }, { 64 * KIB, 0xD8 }, { 256, 0x81 } },
	  SFDP_F_ERASE_4K, ALL_DW | SFDP_F_4BAIT },
	{ DUMP(sst26vf032b), 0x70, 6, 3, 4 * MIB, 256, SFDP_ADDR_3,
	  { { 4 * KIB, 0x20 }, { 8 * KIB, 0xD8 }, { 32 * KIB, 0xD8 }, { 64 * KIB, 0xD8 } },
	  SFDP_F_ERASE_4K | ALL_DW, SFDP_F_4BAIT },
};
#define NDUMPS (sizeof(dumps) / sizeof(dumps[0]))

static void check_dump(const struct dump *d, const struct sfdp_info *i)
{
	int e;

	assert_int_equal(i->rev_major, 1);
	assert_int_equal(i->rev_minor, d->rev_minor);
	assert_int_equal(i->nph, d->nph);
	assert_true(i->size == d->size);
	assert_int_equal(i->page_size, d->page_size);
	assert_int_equal(i->addr, d->addr);
	assert_int_equal(i->erase4k_opcode, 0x20);
	for (e = 0; e < 4; e++) {
		assert_int_equal(i->erase[e].size, d->erase[e].size);
		assert_int_equal(i->erase[e].opcode, d->erase[e].opcode);
	}
	assert_int_equal(i->flags & d->flags, d->flags);
	assert_int_equal(i->flags & d->noflags, 0);
}

static void test_real_dumps(void **state)
{
	struct sfdp_info info;
	uint32_t need;
	size_t k;

	(void)state;
	for (k = 0; k < NDUMPS; k++) {
		const struct dump *d = &dumps[k];

		print_message("%s\n", d->name);
		assert_int_equal(parse_exact(d->buf, d->len, &info), 0);
		check_dump(d, &info);
		assert_int_equal(sfdp_needed_len(d->buf, d->len, &need), 0);
		assert_int_equal(need, d->need);
		/* Exactly the bytes the parser asked for are enough. */
		assert_int_equal(parse_exact(d->buf, need, &info), 0);
		check_dump(d, &info);
	}
}

/* The fields beyond geometry, decoded by hand from each table's DWORDs. */
static void test_w25q128jv_fields(void **state)
{
	struct sfdp_info i;

	(void)state;
	assert_int_equal(parse_exact(dump_w25q128jv, sizeof(dump_w25q128jv), &i), 0);
	assert_int_equal(i.bfpt.addr, 0x80);
	assert_int_equal(i.bfpt.dwords, 16);
	/* DWORD 10 = 00A60236h: multiplier 6, 4 x 16, 8 x 16, 10 x 16 ms */
	assert_int_equal(i.erase[0].typ_ms, 64);
	assert_int_equal(i.erase[0].max_ms, 14 * 64);
	assert_int_equal(i.erase[1].typ_ms, 128);
	assert_int_equal(i.erase[2].typ_ms, 160);
	/* DWORD 11 = C914EA82h: 11 x 64 us, x6 max; 4 x 8 us, 3 x 1 us; 10 x 4 s */
	assert_int_equal(i.pp_typ_us, 704);
	assert_int_equal(i.pp_max_us, 6 * 704);
	assert_int_equal(i.byte_first_typ_us, 32);
	assert_int_equal(i.byte_next_typ_us, 3);
	assert_int_equal(i.chip_erase_typ_ms, 40000);
	assert_int_equal(i.chip_erase_max_ms, 14 * 40000);
	/* DWORD 15 = FF4DF719h, DWORD 16 = 80F830E9h (reserved bits dropped) */
	assert_int_equal(i.qer, SFDP_QER_SR2B1);
	assert_int_equal(i.enter4, 0);
	assert_int_equal(i.exit4, SFDP_EXIT4_HW_RESET | SFDP_EXIT4_SW_RESET | SFDP_EXIT4_POWER);
	assert_int_equal(i.soft_reset, SFDP_RESET_66_99 | SFDP_RESET_EXIT_044);
	assert_int_equal(i.sr1_write, SFDP_SR1_NV_06 | SFDP_SR1_NV06_V50);
	assert_true(i.flags & SFDP_F_READ_144);
	assert_true(i.flags & SFDP_F_WRITE_GRAN_64);
}

static void test_4bait_dumps(void **state)
{
	struct sfdp_info i;

	(void)state;
	assert_int_equal(parse_exact(dump_mx25l25645g, sizeof(dump_mx25l25645g), &i), 0);
	assert_int_equal(i.fourbait, 0x01FF8F7F);
	assert_true(i.fourbait & SFDP_4B_PP_12);
	assert_true(i.erase[0].has_opcode4 && i.erase[0].opcode4 == 0x21);
	assert_true(i.erase[1].has_opcode4 && i.erase[1].opcode4 == 0x5C);
	assert_true(i.erase[2].has_opcode4 && i.erase[2].opcode4 == 0xDC);
	assert_false(i.erase[3].has_opcode4);
	assert_int_equal(i.qer, SFDP_QER_SR1B6);
	assert_int_equal(i.enter4, SFDP_ENTER4_B7 | SFDP_ENTER4_EAR);
	assert_int_equal(i.soft_reset, SFDP_RESET_66_99);

	/* Micron: no 4-byte opcode for erase type 3 (bit 11 clear). */
	assert_int_equal(parse_exact(dump_mt25qu256a, sizeof(dump_mt25qu256a), &i), 0);
	assert_true(i.erase[0].has_opcode4 && i.erase[0].opcode4 == 0x21);
	assert_true(i.erase[1].has_opcode4 && i.erase[1].opcode4 == 0xDC);
	assert_false(i.erase[2].has_opcode4);
	assert_int_equal(i.qer, SFDP_QER_NONE);
	assert_true(i.enter4 & SFDP_ENTER4_OPCODES);

	/* GigaDevice: the table's QER is the reserved 111b; reported as is. */
	assert_int_equal(parse_exact(dump_gd25lb512me, sizeof(dump_gd25lb512me), &i), 0);
	assert_int_equal(i.qer, SFDP_QER_RESERVED);
	assert_true(i.erase[2].has_opcode4 && i.erase[2].opcode4 == 0xDC);
}

/* Every fc_parts[] image must describe its own part. */
static void test_fc_parts(void **state)
{
	const struct fc_part *p;
	struct sfdp_info i;
	int n = 0;

	(void)state;
	for (p = fc_parts; p->name; p++) {
		if (!p->sfdp)
			continue;
		print_message("%s\n", p->name);
		assert_int_equal(parse_exact(p->sfdp, p->sfdp_len, &i), 0);
		assert_true(i.size == p->size);
		assert_int_equal(i.page_size, p->page_size);
		assert_int_equal(i.erase4k_opcode, 0x20);
		assert_int_equal(i.erase[0].size, 4 * KIB);
		assert_int_equal(i.erase[0].opcode, 0x20);
		assert_int_equal(i.erase[1].size, 32 * KIB);
		assert_int_equal(i.erase[1].opcode, 0x52);
		assert_int_equal(i.erase[2].size, 64 * KIB);
		assert_int_equal(i.erase[2].opcode, 0xD8);
		assert_int_equal(i.erase[3].size, 0);
		if (p->addr4 == FC_ADDR4_NONE) {
			assert_int_equal(i.addr, SFDP_ADDR_3);
		} else {
			assert_int_equal(i.addr, SFDP_ADDR_3_OR_4);
			assert_true(i.flags & SFDP_F_4BAIT);
			assert_int_equal(i.erase[2].opcode4, 0xDC);
		}
		if (i.flags & SFDP_F_PAGE_SIZE) {
			/* The datasheet maxima the model uses must fit the table's. */
			assert_true(i.pp_max_us >= p->t_pp_max);
			assert_true(i.erase[0].typ_ms * 1000 >= p->t_se_typ);
		}
		n++;
	}
	assert_true(n >= 3);
}

/* The client's loop of sfdp.h, reading from a chip that answers FFh past
 * the end of the dump: at most three rounds, and the same result. */
static void test_staged_reads(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NDUMPS; k++) {
		const struct dump *d = &dumps[k];
		uint8_t buf[1024];
		uint32_t need = SFDP_HEADER_LEN, len = 0;
		struct sfdp_info info;
		int rounds = 0, err;

		memset(buf, 0xFF, sizeof(buf));
		do {
			assert_true(need <= sizeof(buf));
			for (; len < need; len++)
				buf[len] = len < d->len ? d->buf[len] : 0xFF;
			rounds++;
			err = sfdp_needed_len(buf, len, &need);
		} while (!err && need > len);
		assert_int_equal(err, 0);
		assert_true(rounds <= 3);
		assert_int_equal(parse_exact(buf, len, &info), 0);
		check_dump(d, &info);
	}
}

/* Header first, then only the spans sfdp_tables() names, gaps left FFh. */
static void test_sparse_reads(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NDUMPS; k++) {
		const struct dump *d = &dumps[k];
		struct sfdp_span span[SFDP_MAX_SPANS];
		uint8_t buf[1024];
		uint32_t need;
		struct sfdp_info info;
		int n, s;

		memset(buf, 0xFF, sizeof(buf));
		memcpy(buf, d->buf, 8);
		assert_int_equal(sfdp_needed_len(buf, 8, &need), 0);
		memcpy(buf, d->buf, need);
		n = sfdp_tables(buf, need, span);
		assert_true(n >= 1 && n <= SFDP_MAX_SPANS);
		assert_int_equal(n, (d->flags & SFDP_F_4BAIT) ? 2 : 1);
		for (s = 0; s < n; s++)
			memcpy(buf + span[s].addr, d->buf + span[s].addr, span[s].len);
		assert_int_equal(parse_exact(buf, d->need, &info), 0);
		check_dump(d, &info);
	}
}

/* Cut at every length: the right error, never a read past the end. */
static void test_truncation(void **state)
{
	size_t k, l;

	(void)state;
	for (k = 0; k < NDUMPS; k++) {
		const struct dump *d = &dumps[k];
		size_t hdr_end = 8 + 8 * (size_t)d->nph;

		for (l = 0; l < d->len; l++) {
			struct sfdp_info info;
			int want = l < hdr_end ? SFDP_E_TRUNC_HEADER :
				   l < d->need ? SFDP_E_TRUNC_TABLE : 0;

			assert_int_equal(parse_exact(d->buf, l, &info), want);
		}
	}
}

/* Every single-bit flip of every dump: any answer, but a sane one. */
static void test_bit_flips(void **state)
{
	size_t k, pos;
	int bit, e;

	(void)state;
	for (k = 0; k < NDUMPS; k++) {
		const struct dump *d = &dumps[k];
		uint8_t *b = malloc(d->len);

		assert_non_null(b);
		for (pos = 0; pos < d->len; pos++) {
			for (bit = 0; bit < 8; bit++) {
				struct sfdp_info i;
				int r;

				memcpy(b, d->buf, d->len);
				b[pos] ^= (uint8_t)(1u << bit);
				r = sfdp_parse(b, d->len, &i);
				assert_true(r <= 0 && r >= SFDP_E_4BAIT_SHORT);
				if (r)
					continue;
				assert_true(i.size > 0);
				assert_true(i.page_size && !(i.page_size & (i.page_size - 1)));
				for (e = 0; e < 4; e++)
					assert_true(i.erase[e].size <= i.size);
			}
		}
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_dumps),
		cmocka_unit_test(test_w25q128jv_fields),
		cmocka_unit_test(test_4bait_dumps),
		cmocka_unit_test(test_fc_parts),
		cmocka_unit_test(test_staged_reads),
		cmocka_unit_test(test_sparse_reads),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bit_flips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
