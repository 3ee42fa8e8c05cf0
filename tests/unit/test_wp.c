/*
 * Block protection: the decoder by datasheet rows, encode/decode round
 * trips, and against the strict chip model through the real firmware core
 * (in process, as test_ops.c): a refused write changes nothing, unprotect
 * keeps QE where a one-byte 01h would clear it, protect sets exactly the
 * range the model then refuses, and a 4-byte part is written across 16 MiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prog/dev.h"
#include "core/ops.h"
#include "core/ops_chip.h"
#include "chips/wp.h"
#include "fw_core.h"
#include "fw_bench.h"
#include "fw_host_hal.h"
#include "flashchip.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/* ---- decode by datasheet rows ---- */

struct row {
	const char *part;
	uint8_t sr1, sr2;
	uint32_t lo, hi;
};

static const struct row rows[] = {
	/* W25Q128JV: three BP bits in 256 KiB units, TB, SEC, CMP */
	{ "W25Q128", 0x00, 0x00, 0, 0 },
	{ "W25Q128", 0x04, 0x00, 0xFC0000, 0x1000000 },        /* BP=1: top 256 KiB */
	{ "W25Q128", 0x18, 0x00, 0x800000, 0x1000000 },        /* BP=6: top 8 MiB */
	{ "W25Q128", 0x1C, 0x00, 0, 0x1000000 },               /* BP=7: all */
	{ "W25Q128", 0x28, 0x00, 0, 0x80000 },                 /* TB BP=2: bottom 512 KiB */
	{ "W25Q128", 0x44, 0x00, 0xFFF000, 0x1000000 },        /* SEC BP=1: top 4 KiB */
	{ "W25Q128", 0x6C, 0x00, 0, 0x4000 },                  /* SEC TB BP=3: bottom 16 KiB */
	{ "W25Q128", 0x50, 0x00, 0xFF8000, 0x1000000 },        /* SEC BP=4: top 32 KiB */
	{ "W25Q128", 0x14, 0x40, 0, 0xC00000 },                /* CMP BP=5: all but top 4 MiB */
	{ "W25Q128", 0x00, 0x42, 0, 0x1000000 },               /* CMP BP=0: all (QE ignored) */
	{ "W25Q128", 0x1C, 0x40, 0, 0 },                       /* CMP BP=7: none */
	/* W25Q80: 1 MiB, unit 64 KiB, BP=5 already all */
	{ "W25Q80", 0x04, 0x00, 0xF0000, 0x100000 },
	{ "W25Q80", 0x14, 0x00, 0, 0x100000 },
	/* W25Q256JV: four BP bits in 64 KiB units, TB is bit 6, no SEC */
	{ "W25Q256", 0x04, 0x00, 0x1FF0000, 0x2000000 },
	{ "W25Q256", 0x24, 0x00, 0x1000000, 0x2000000 },       /* BP=9: top 16 MiB */
	{ "W25Q256", 0x64, 0x00, 0, 0x1000000 },               /* TB BP=9: bottom 16 MiB */
	{ "W25Q256", 0x28, 0x00, 0, 0x2000000 },               /* BP=10: all */
	/* MX25L6406E: BP0-3 in 64 KiB units from the top, BP=8 all; bit 6 is QE */
	{ "MX25L6406E", 0x04, 0x00, 0x7F0000, 0x800000 },
	{ "MX25L6406E", 0x5C, 0x00, 0x400000, 0x800000 },      /* BP=7 (QE=1): top 4 MiB */
	{ "MX25L6406E", 0x20, 0x00, 0, 0x800000 },
	/* SST25VF016B: BP=1 top 64 KiB ... BP=6 and 7 all */
	{ "SST25VF016B", 0x04, 0x00, 0x1F0000, 0x200000 },
	{ "SST25VF016B", 0x14, 0x00, 0x100000, 0x200000 },
	{ "SST25VF016B", 0x18, 0x00, 0, 0x200000 },
	{ "SST25VF016B", 0x1C, 0x00, 0, 0x200000 },
	/* W25X10: 2 blocks; BP=1 top 64 KiB, TB bottom */
	{ "W25X10", 0x04, 0x00, 0x10000, 0x20000 },
	{ "W25X10", 0x24, 0x00, 0, 0x10000 },
	/* Micron N25Q128: BP3 is bit 6, TB bit 5 */
	{ "N25Q128A", 0x40, 0x00, 0x800000, 0x1000000 },       /* BP=8: 128 blocks */
	{ "N25Q128A", 0x24, 0x00, 0, 0x10000 },                /* TB BP=1 */
	/* generic: any BP bit is the whole chip */
	{ "EN25Q64", 0x20, 0x00, 0, 0x800000 },
	{ "EN25Q64", 0x80, 0x00, 0, 0 },
};

static void test_decode_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		const struct chip *c = chips_find_name(r->part);
		uint8_t sr[3] = { r->sr1, r->sr2, 0 };
		struct wp_state st;

		assert_non_null(c);
		wp_decode(c, sr, 3, &st);
		if (st.lo >= st.hi && r->lo >= r->hi)
			continue;
		if (st.lo != r->lo || st.hi != r->hi)
			fail_msg("row %u (%s SR1 %02x SR2 %02x): got %06x-%06x, want %06x-%06x",
				 (unsigned)i, r->part, r->sr1, r->sr2, st.lo, st.hi, r->lo, r->hi);
	}
}

/* Every encoding of a part decodes to a range that encodes back to the
 * same range; clearing keeps QE, SRP0 and the rest. */
static void test_round_trip(void **state)
{
	static const char *const parts[] = { "W25Q128", "W25Q256", "W25Q80", "MX25L6406E",
					     "SST25VF016B", "W25X10", "N25Q256A", "GD25Q32" };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		const struct chip *c = chips_find_name(parts[k]);
		unsigned v;

		assert_non_null(c);
		/* SR1 bits 2-7 and CMP, QE always set */
		for (v = 0; v < 128; v++) {
			uint8_t sr[3] = { 0, 0, 0x60 }, out[3], clr[3];
			struct wp_state a, b;

			sr[0] = (uint8_t)((v & 0x3F) << 2);
			sr[1] = (uint8_t)(((v >> 6) & 1 ? 0x40 : 0) | 0x02);
			wp_decode(c, sr, 7, &a);
			assert_int_equal(wp_encode(c, sr, 7, a.lo, a.hi, out), 0);
			wp_decode(c, out, 7, &b);
			if (a.lo < a.hi && (a.lo != b.lo || a.hi != b.hi))
				fail_msg("%s SR1 %02x SR2 %02x: %x-%x re-encoded as %x-%x", c->name,
					 sr[0], sr[1], a.lo, a.hi, b.lo, b.hi);
			assert_int_equal(out[1] & 0x02, 0x02);            /* QE kept */
			assert_int_equal(out[0] & 0x80, sr[0] & 0x80);    /* SRP0 kept */
			wp_clear(c, sr, 7, clr);
			wp_decode(c, clr, 7, &b);
			assert_true(b.lo >= b.hi);
			assert_int_equal(clr[1] & 0x02, 0x02);
			assert_int_equal(clr[0] & 0x80, sr[0] & 0x80);
		}
	}
}

static void test_encode_refuses(void **state)
{
	const struct chip *c = chips_find_name("W25Q128");
	const struct chip *g = chips_find_name("EN25Q64");
	uint8_t sr[3] = { 0, 0x02, 0 }, out[3];

	(void)state;
	assert_int_equal(wp_encode(c, sr, 7, 0x1000, 0x2000, out), -1);   /* not at an end */
	assert_int_equal(wp_encode(c, sr, 7, 0xFE0000, 0x1000000, out), -1); /* 128 KiB */
	assert_int_equal(wp_encode(c, sr, 7, 0, 0x1000, out), 0);           /* SEC TB BP=1 */
	assert_int_equal(out[0], 0x64);
	assert_int_equal(out[1], 0x02);
	assert_int_equal(wp_encode(c, sr, 7, 0, 0x1000000, out), 0);        /* plainest: BP=7 */
	assert_int_equal(out[0], 0x1C);
	assert_int_equal(wp_encode(c, sr, 7, 0, 0xFC0000, out), 0);         /* needs CMP */
	assert_int_equal(out[1], 0x42);
	assert_int_equal(wp_encode(g, sr, 1, 0, 0x800000, out), -1);        /* table unknown */
}

/* ---- against the model ---- */

/* the bench of fw_bench.h, erased, the chip detected */
static struct fw_bench *bench_new(const char *part)
{
	struct fw_bench *b = fw_bench_new(part, 0);

	assert_int_equal(dev_open(&b->dev, &b->link, 500), 0);
	fw_bench_attach(b);
	assert_int_equal(ops_detect(&b->ops), 0);
	return b;
}

static int setup_wp(void **state)
{
	*state = bench_new("W25Q128-WP");
	return 0;
}

static int setup_256(void **state)
{
	*state = bench_new("W25Q256");
	return 0;
}

static int setup_sst(void **state)
{
	*state = bench_new("SST25VF016B");
	return 0;
}

static int teardown(void **state)
{
	fw_bench_free(*state);
	return 0;
}

static void test_refused_before_change(void **state)
{
	struct fw_bench *b = *state;
	uint32_t programs = b->chip.stats.programs, erases = b->chip.stats.erases;

	assert_int_equal(ops_check_writable_range(&b->ops, 0x10000, 8192), OPS_E_PROTECTED);
	assert_non_null(strstr(b->ops.msg, "0x000000-0xffffff"));
	assert_non_null(strstr(b->ops.msg, "--unprotect"));
	assert_int_equal(b->chip.stats.programs, programs);
	assert_int_equal(b->chip.stats.erases, erases);
	assert_int_equal(b->chip.sr1, 0x1C);
}

static void test_unprotect_keeps_qe(void **state)
{
	struct fw_bench *b = *state;
	int changed = -1;

	assert_int_equal(b->chip.sr2 & 0x02, 0x02);     /* QE=1 at power-up */
	assert_int_equal(ops_unprotect(&b->ops, &changed), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(b->chip.sr1 & 0xFC, 0x00);
	assert_int_equal(b->chip.sr2 & 0x02, 0x02);     /* QE survived */
	assert_int_equal(ops_check_writable_range(&b->ops, 0, 16 * MIB), 0);
	assert_int_equal(ops_unprotect(&b->ops, &changed), 0);
	assert_int_equal(changed, 0);                   /* nothing left to clear */
}

/* The trap the two-byte write avoids: on this model a one-byte 01h clears
 * SR2, QE included, as on silicon.  (So the test above means something.) */
static void test_one_byte_wrsr_trap(void **state)
{
	struct fw_bench *b = *state;
	uint8_t zero = 0;

	assert_int_equal(dev_write_sr(&b->dev, 0x01, 0, &zero, 1, 15), 0);
	assert_int_equal(b->chip.sr1 & 0xFC, 0x00);
	assert_int_equal(b->chip.sr2 & 0x02, 0x00);
}

/* protect sets a range; the model then refuses exactly that range. */
static void test_protect_matches_model(void **state)
{
	static const struct { uint32_t lo, hi; } ranges[] = {
		{ 0xFC0000, 0x1000000 }, { 0, 0x1000 }, { 0xFF8000, 0x1000000 },
		{ 0, 0xFC0000 }, { 0, 0x800000 }, { 0, 0x1000000 }, { 0, 0 },
	};
	static const uint32_t probes[] = { 0, 0x1000, 0x7FF000, 0x800000, 0xFBF000, 0xFC0000,
					   0xFF7000, 0xFF8000, 0xFFF000 };
	struct fw_bench *b = *state;
	size_t r, p;

	for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		assert_int_equal(ops_protect(&b->ops, ranges[r].lo, ranges[r].hi), 0);
		assert_int_equal(b->chip.sr2 & 0x02, 0x02);
		for (p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
			uint32_t a = probes[p];
			uint8_t zero = 0;
			int inside = a >= ranges[r].lo && a < ranges[r].hi;

			b->mem[a] = 0xFF;
			(void)dev_program(&b->dev, a, &zero, 1, 3, 256);
			if ((b->mem[a] == 0xFF) != inside)
				fail_msg("range %x-%x: probe %x %s", ranges[r].lo, ranges[r].hi, a,
					 inside ? "was programmed" : "was refused");
			assert_int_equal(ops_check_writable_range(&b->ops, a, 1) == OPS_E_PROTECTED,
					 inside);
		}
	}
	assert_int_equal(ops_protect(&b->ops, 0x1000, 0x2000), OPS_E_RANGE);
}

/* 4-byte addressing: a write across 16 MiB lands on both sides. */
static void test_write_across_16m(void **state)
{
	struct fw_bench *b = *state;
	uint8_t buf[8192], back[8192];
	size_t i;

	assert_int_equal(b->ops.chip.addr_mode, PROTO_ADDR_4_NATIVE);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(ops_write(&b->ops, 0xFFF000, buf, sizeof(buf), 1), 0);
	assert_memory_equal(b->mem + 0xFFF000, buf, sizeof(buf));
	assert_int_equal(b->mem[0], 0xFF);            /* no wrap to 0 */
	assert_int_equal(ops_read(&b->ops, 0xFFF000, back, sizeof(back)), 0);
	assert_memory_equal(back, buf, sizeof(buf));
	assert_int_equal(b->chip.addr4_mode, 0);       /* left in 3-byte mode */
}

/* SST25VF016B: BP set at power-up; unprotect, then byte-by-byte program. */
static void test_sst(void **state)
{
	struct fw_bench *b = *state;
	uint8_t buf[300];
	int changed;
	size_t i;

	assert_int_equal(b->ops.chip.page_size, 1);
	assert_int_equal(ops_check_writable_range(&b->ops, 0, 1), OPS_E_PROTECTED);
	assert_int_equal(ops_unprotect(&b->ops, &changed), 0);
	assert_int_equal(changed, 1);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(ops_write(&b->ops, 0x1F0F0, buf, sizeof(buf), 1), 0);
	assert_memory_equal(b->mem + 0x1F0F0, buf, sizeof(buf));
}

/* Detection fallbacks: a chip in deep power-down (B9h) answers 9Fh with
 * nothing; RES (ABh) wakes it and the ID follows.  MISO stuck: no chip,
 * with the REMS and RES answers in the message. */
static void test_detect_fallbacks(void **state)
{
	struct fw_bench *b = *state;
	struct ops_chip_id id;
	uint8_t dp = 0xB9;

	assert_int_equal(dev_xfer(&b->dev, &dp, 1, NULL, 0), 0);
	assert_int_equal(ops_detect_chip(&b->ops, NULL, &id), 0);
	assert_true(id.legacy_tried);
	assert_true(id.woke);
	assert_int_equal(id.res, 0x17);
	assert_string_equal(b->ops.chip.name, "W25Q128");
	assert_non_null(strstr(id.note, "deep power-down"));
	host_hal_miso_stuck(1);
	assert_int_equal(ops_detect_chip(&b->ops, NULL, &id), OPS_E_NOCHIP);
	assert_non_null(strstr(b->ops.msg, "JEDEC ID ff ff ff, REMS ff ff, RES ff"));
	/* --chip names the part when the ID cannot be read */
	assert_int_equal(ops_detect_chip(&b->ops, chips_find_name("W25Q128"), &id), 0);
	assert_int_equal(id.found, OPS_FOUND_FORCED);
	assert_true(b->ops.chip.flags & CHIP_F_FORCED);
	host_hal_miso_stuck(-1);
	/* ... but not against a readable ID of another part */
	assert_int_equal(ops_detect_chip(&b->ops, chips_find_name("MX25L6406E"), &id),
			 OPS_E_UNKNOWN);
	assert_non_null(strstr(b->ops.msg, "answers as W25Q128"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_rows),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test_setup_teardown(test_refused_before_change, setup_wp, teardown),
		cmocka_unit_test_setup_teardown(test_unprotect_keeps_qe, setup_wp, teardown),
		cmocka_unit_test_setup_teardown(test_one_byte_wrsr_trap, setup_wp, teardown),
		cmocka_unit_test_setup_teardown(test_protect_matches_model, setup_wp, teardown),
		cmocka_unit_test_setup_teardown(test_write_across_16m, setup_256, teardown),
		cmocka_unit_test_setup_teardown(test_sst, setup_sst, teardown),
		cmocka_unit_test_setup_teardown(test_detect_fallbacks, setup_wp, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
