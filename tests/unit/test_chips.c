/*
 * The part table as data (every entry sane, IDs unique, at least 40 parts),
 * ID parsing with JEP106 continuation codes, lookups, the generic guess,
 * SFDP into a part, and the emulated parts' own SFDP images (fc_parts.c)
 * parsed and cross-checked against the table, printed for the record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "chips/chips.h"
#include "chips/chips_sfdp.h"
#include "chips/sfdp.h"
#include "flashchip.h"
#include "proto.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

static int pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void test_table_sane(void **state)
{
	const struct chip *c, *d;

	(void)state;
	assert_true(chips_count() >= 40);
	for (c = chips_table; c->name; c++) {
		int i;

		/* print_message on failure would be lost: name the part */
		if (!(c->datasheet && *c->datasheet && pow2(c->size) && c->size >= 64 * KIB &&
		      (c->page_size == 1 || (pow2(c->page_size) && c->page_size <= 256)) &&
		      c->t_pp_max_ms >= 1 && c->t_ce_max_ms >= c->t_ce_typ_ms &&
		      c->t_w_max_ms >= 1))
			fail_msg("bad entry %s", c->name);
		/* over 16 MiB needs a 4-byte method, under it none */
		if ((c->size > 16 * MIB) != (c->addr_mode != PROTO_ADDR_3))
			fail_msg("%s: addr_mode %u for %u KiB", c->name, c->addr_mode, c->size / 1024);
		if (!(c->flags & CHIP_F_NO_4K) && c->erase[CHIP_ERASE_4K].opcode != 0x20)
			fail_msg("%s: no 4 KiB erase", c->name);
		for (i = 0; i < CHIP_ERASE_N; i++) {
			const struct chip_erase *e = &c->erase[i];

			if (e->opcode && (e->size != (4u * KIB) << (i == 0 ? 0 : i == 1 ? 3 : 4) ||
					  e->t_max_ms < e->t_typ_ms || !e->t_max_ms))
				fail_msg("%s: bad erase %d", c->name, i);
		}
		for (d = c + 1; d->name; d++) {
			if (!strcmp(c->name, d->name))
				fail_msg("duplicate name %s", c->name);
			if (!(c->flags & CHIP_F_NO_JEDEC) && !(d->flags & CHIP_F_NO_JEDEC) &&
			    c->bank == d->bank && !memcmp(c->jedec, d->jedec, 3))
				fail_msg("%s and %s share an ID", c->name, d->name);
		}
	}
	print_message("%u parts in the table\n", (unsigned)chips_count());
}

static void test_families(void **state)
{
	static const char *const want[] = { "W25X", "W25Q", "MX25L", "MX25U", "GD25Q", "S25FL",
		"N25Q", "IS25", "EN25", "AT25DF", "SST25VF", "SST26VF", "XM25Q", "P25Q", "ZB25",
		"BY25Q" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct chip *c;
		int n = 0;

		for (c = chips_table; c->name; c++)
			n += !strncmp(c->name, want[i], strlen(want[i]));
		if (!n)
			fail_msg("no %s part", want[i]);
	}
}

static void test_lookup(void **state)
{
	static const uint8_t w128[3] = { 0xEF, 0x40, 0x18 }, amic[3] = { 0x37, 0x30, 0x16 };
	const struct chip *c;

	(void)state;
	c = chips_find(0, w128);
	assert_non_null(c);
	assert_string_equal(c->name, "W25Q128");
	assert_null(chips_find(1, w128));
	c = chips_find(1, amic);
	assert_non_null(c);
	assert_string_equal(c->name, "A25L032");
	c = chips_find_rems(0xBF, 0x49);
	assert_non_null(c);
	assert_string_equal(c->name, "SST25VF010A");
	assert_null(chips_find_rems(0xEF, 0x17));   /* 9Fh parts are found by 9Fh */
	assert_ptr_equal(chips_find_name("w25q256"), chips_find_name("W25Q256"));
	assert_null(chips_find_name("W25Q999"));
	assert_string_equal(chips_vendor(0, 0xC2), "Macronix");
	assert_string_equal(chips_vendor(1, 0x37), "AMIC");
}

static void test_parse_id(void **state)
{
	static const uint8_t plain[8] = { 0xEF, 0x40, 0x18, 0, 0, 0, 0, 0 };
	static const uint8_t amic[8] = { 0x7F, 0x37, 0x30, 0x16, 0x7F, 0x37, 0x30, 0x16 };
	static const uint8_t bank5[8] = { 0x7F, 0x7F, 0x7F, 0x7F, 0x4A, 0x20, 0x15, 0 };
	static const uint8_t all7f[8] = { 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F };
	uint8_t bank, id[3];

	(void)state;
	assert_int_equal(chips_parse_id(plain, 8, &bank, id), 0);
	assert_int_equal(bank, 0);
	assert_memory_equal(id, plain, 3);
	assert_int_equal(chips_parse_id(amic, 8, &bank, id), 0);
	assert_int_equal(bank, 1);
	assert_int_equal(id[0], 0x37);
	assert_int_equal(id[2], 0x16);
	assert_int_equal(chips_parse_id(bank5, 8, &bank, id), 0);
	assert_int_equal(bank, 4);
	assert_int_equal(id[0], 0x4A);
	assert_int_equal(chips_parse_id(all7f, 8, &bank, id), -1);
	assert_int_equal(chips_parse_id(bank5, 7, &bank, id), 0);
	assert_int_equal(chips_parse_id(bank5, 6, &bank, id), -1);
}

static void test_generic(void **state)
{
	static const uint8_t ff[3] = { 0xFF, 0xFF, 0xFF }, zero[3] = { 0, 0, 0 };
	static const uint8_t odd[3] = { 0xA1, 0x40, 0x16 }, huge[3] = { 0xA1, 0x40, 0x19 };
	struct chip c;

	(void)state;
	assert_true(chips_id_absent(ff));
	assert_true(chips_id_absent(zero));
	assert_int_equal(chips_generic(ff, &c), -1);
	assert_int_equal(chips_generic(huge, &c), -1);  /* 32 MiB: 4-byte needs knowledge */
	assert_int_equal(chips_generic(odd, &c), 0);
	assert_int_equal(c.size, 4 * MIB);
	assert_int_equal(c.wp, CHIP_WP_GENERIC);
	assert_true(c.flags & CHIP_F_GENERIC);
	assert_true(c.t_ce_max_ms >= 60000);
}

/* Every emulated personality is in the table with the same geometry, and
 * the table's maxima are at least the model's (or the firmware would call a
 * slow but healthy chip stuck). */
static void test_emulated_parts_in_table(void **state)
{
	const struct fc_part *p;

	(void)state;
	for (p = fc_parts; p->name; p++) {
		const struct chip *c = chips_find(0, p->jedec);

		if (!c)
			fail_msg("emulated %s is not in the table", p->name);
		assert_int_equal(c->size, p->size);
		assert_int_equal(c->page_size, p->page_size);
		assert_int_equal(c->addr_mode != PROTO_ADDR_3, p->addr4 != FC_ADDR4_NONE);
		if (c->t_pp_max_ms * 1000u < p->t_pp_max ||
		    c->erase[0].t_max_ms * 1000u < p->t_se_max ||
		    (c->erase[1].opcode && c->erase[1].t_max_ms * 1000u < p->t_be32_max) ||
		    c->erase[2].t_max_ms * 1000u < p->t_be64_max ||
		    c->t_ce_max_ms * 1000ull < p->t_ce_max ||
		    c->t_w_max_ms * 1000u < p->t_w_max)
			fail_msg("%s: a table maximum is below the model's", p->name);
		/* the 32K opcode must erase 32K on the part: not on old Macronix */
		if (p->flags & FC_F_52_64K)
			assert_int_equal(c->erase[1].opcode, 0);
		print_message("%-12s -> %-12s %6u KiB, ID %02x %02x %02x\n", p->name, c->name,
			      c->size / 1024, c->jedec[0], c->jedec[1], c->jedec[2]);
	}
}

/* The SFDP images of the emulated parts: parsed, printed, and compared with
 * the table entry of the same ID (they must agree). */
static void test_emulated_sfdp(void **state)
{
	const struct fc_part *p;
	int n = 0;

	(void)state;
	for (p = fc_parts; p->name; p++) {
		const struct chip *c = chips_find(0, p->jedec);
		struct sfdp_info s;
		struct chip from;
		char text[256], why[128];
		int i;

		if (!p->sfdp)
			continue;
		n++;
		assert_int_equal(sfdp_parse(p->sfdp, p->sfdp_len, &s), 0);
		print_message("%s: SFDP rev %u.%u, %llu KiB, page %u, erase", p->name, s.rev_major,
			      s.rev_minor, (unsigned long long)(s.size / 1024), (unsigned)s.page_size);
		for (i = 0; i < 4; i++)
			if (s.erase[i].size)
				print_message(" %uK=%02Xh", s.erase[i].size / 1024, s.erase[i].opcode);
		print_message(", addr %d%s\n", s.addr, (s.flags & SFDP_F_4BAIT) ? ", 4BAIT" : "");
		assert_int_equal(chips_sfdp_compare(c, &s, text, sizeof(text)), 0);
		assert_string_equal(text, "SFDP agrees with the table");
		/* and as if the part were not in the table */
		assert_int_equal(chips_from_sfdp(&s, 0, p->jedec, &from, why, sizeof(why)), 0);
		assert_int_equal(from.size, p->size);
		assert_int_equal(from.page_size, 256);
		assert_int_equal(from.erase[0].opcode, 0x20);
		assert_int_equal(from.addr_mode, p->addr4 == FC_ADDR4_NATIVE ?
				 PROTO_ADDR_4_NATIVE : PROTO_ADDR_3);
		assert_true(from.flags & CHIP_F_SFDP);
		/* QER 001 in the images: SR2 through a two-byte 01h */
		if (s.flags & SFDP_F_QER)
			assert_true(from.flags & CHIP_F_WRSR_2BYTE);
	}
	assert_true(n >= 4);
}

static void test_sfdp_disagrees(void **state)
{
	const struct fc_part *p = fc_part_find("W25Q128");
	struct chip c = *chips_find(0, p->jedec);
	struct sfdp_info s;
	char text[256];

	(void)state;
	assert_int_equal(sfdp_parse(p->sfdp, p->sfdp_len, &s), 0);
	c.size = 8 * MIB;
	c.erase[1].opcode = 0x53;
	assert_int_equal(chips_sfdp_compare(&c, &s, text, sizeof(text)), 2);
	assert_non_null(strstr(text, "the table wins"));
	assert_non_null(strstr(text, "size 16384 KiB, table 8192 KiB"));
	assert_non_null(strstr(text, "32K erase is 52h, table 53h"));
}

static void test_sfdp_no_4byte_method(void **state)
{
	const struct fc_part *p = fc_part_find("W25Q256");
	struct sfdp_info s;
	struct chip c;
	char why[128];

	(void)state;
	assert_int_equal(sfdp_parse(p->sfdp, p->sfdp_len, &s), 0);
	s.flags &= ~(uint32_t)(SFDP_F_4BAIT | SFDP_F_DW16);
	assert_int_equal(chips_from_sfdp(&s, 0, p->jedec, &c, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "4-byte"));
	s.flags |= SFDP_F_DW16;   /* B7h/E9h listed: the firmware's mode 2 */
	assert_int_equal(chips_from_sfdp(&s, 0, p->jedec, &c, why, sizeof(why)), 0);
	assert_int_equal(c.addr_mode, PROTO_ADDR_4_MODE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_emulated_parts_in_table),
		cmocka_unit_test(test_emulated_sfdp),
		cmocka_unit_test(test_sfdp_disagrees),
		cmocka_unit_test(test_sfdp_no_4byte_method),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
