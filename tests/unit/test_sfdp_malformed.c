/*
 * Unit tests of the SFDP parser, part two: one malformed table per error,
 * each built from a published dump (sfdp_dumps.h), and the API's edges.
 * Buffers under test are exact-size heap copies, so ASan catches any read
 * past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chips/sfdp.h"
#include "sfdp_dumps.h"
#include "sfdp_rig.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/* ---- malformed tables, each built from the MX25L25645G dump ---- */

#define IMG_LEN 0x200

/* img (IMG_LEN bytes) := the dump, FFh after it; returns the dump's length. */
static size_t mx(uint8_t *img)
{
	memset(img, 0xFF, IMG_LEN);
	memcpy(img, dump_mx25l25645g, sizeof(dump_mx25l25645g));
	return sizeof(dump_mx25l25645g);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void set_ptr(uint8_t *img, int param, uint32_t addr)
{
	uint8_t *ph = img + 8 + 8 * param;

	ph[4] = (uint8_t)addr;
	ph[5] = (uint8_t)(addr >> 8);
	ph[6] = (uint8_t)(addr >> 16);
}

static int parse_img(const uint8_t *img, size_t len)
{
	struct sfdp_info info;

	return parse_exact(img, len, &info);
}

/* DWORD n of the dump's BFPT, which sits at 30h. */
#define BFPT_DW(img, n) ((img) + 0x30 + 4 * ((n) - 1))

static void test_signature(void **state)
{
	static const uint8_t ff[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
					0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	static const uint8_t zero[16];
	uint32_t need;
	uint8_t img[IMG_LEN];
	size_t len = mx(img);

	(void)state;
	img[3] = 'Q';
	assert_int_equal(parse_img(img, len), SFDP_E_SIGNATURE);
	/* Known from the first 4 bytes: a client stops after one round. */
	assert_int_equal(parse_img(img, 4), SFDP_E_SIGNATURE);
	assert_int_equal(sfdp_needed_len(img, 4, &need), SFDP_E_SIGNATURE);
	/* No chip (MISO high) and a chip without SFDP that answers zeros. */
	assert_int_equal(parse_img(ff, sizeof(ff)), SFDP_E_SIGNATURE);
	assert_int_equal(parse_img(zero, sizeof(zero)), SFDP_E_SIGNATURE);
}

static void test_nph_huge(void **state)
{
	uint8_t big[8 + 8 * 256 + 64];
	struct sfdp_info info;
	uint32_t need;
	uint8_t img[IMG_LEN];
	size_t len = mx(img);

	(void)state;
	img[6] = 0xFF;        /* 256 parameter headers: 2056 bytes of headers */
	assert_int_equal(parse_img(img, len), SFDP_E_TRUNC_HEADER);
	assert_int_equal(sfdp_needed_len(img, len, &need), 0);
	assert_int_equal(need, 8 + 8 * 256);
	/* All 256 there, the 255 after the BFPT FFh garbage: skipped. */
	memset(big, 0xFF, sizeof(big));
	memcpy(big, "SFDP\x06\x01\xFF\xFF", 8);
	memcpy(big + 8, "\x00\x06\x01\x09\x08\x08\x00\xFF", 8);  /* BFPT at 808h */
	memcpy(big + 0x808, BFPT_DW(img, 1), 36);
	assert_int_equal(parse_exact(big, 0x808 + 36, &info), 0);
	assert_int_equal(info.nph, 256);
	assert_true(info.size == 32 * MIB);
}

/* One byte of the image changed, and the error that must follow. */
struct poke {
	uint16_t at;
	uint8_t val;
	int err;
	const char *what;
};

static void run_pokes(const struct poke *rows, size_t n)
{
	uint8_t img[IMG_LEN];
	size_t r, len;

	for (r = 0; r < n; r++) {
		len = mx(img);
		img[rows[r].at] = rows[r].val;
		print_message("%s\n", rows[r].what);
		assert_int_equal(parse_img(img, len), rows[r].err);
	}
}

static void test_pointers(void **state)
{
	/* Parameter header n's pointer: bytes 0Ch+8n (LSB) .. 0Eh+8n (MSB). */
	static const struct poke rows[] = {
		{ 0x0C, 0x00, SFDP_E_PTR, "bfpt over the header" },
		{ 0x0C, 0x18, SFDP_E_PTR, "bfpt over the last parameter header" },
		{ 0x0C, 0x32, SFDP_E_PTR, "bfpt not dword-aligned" },
		{ 0x0E, 0x01, SFDP_E_TRUNC_TABLE, "bfpt at 10030h, past the buffer" },
		{ 0x1C, 0x04, SFDP_E_PTR, "4bait over the header" },
		{ 0x1D, 0x01, SFDP_E_TRUNC_TABLE, "4bait at 1c0h, past the buffer" },
		{ 0x16, 0xFF, 0, "vendor table at ff0110h: never looked at" },
		{ 0x13, 0x00, 0, "vendor table of zero length: never looked at" },
	};
	uint8_t img[IMG_LEN];
	uint32_t need;
	size_t len;

	(void)state;
	run_pokes(rows, sizeof(rows) / sizeof(rows[0]));
	len = mx(img);
	set_ptr(img, 0, 0xFFFFFC);         /* 64 bytes from FFFFFCh leave the 24-bit space */
	assert_int_equal(parse_img(img, len), SFDP_E_PTR);
	assert_int_equal(sfdp_needed_len(img, len, &need), SFDP_E_PTR);
	set_ptr(img, 0, 0xFFFFC0);         /* in the space, past the buffer */
	assert_int_equal(parse_img(img, len), SFDP_E_TRUNC_TABLE);
	assert_int_equal(sfdp_needed_len(img, len, &need), 0);
	assert_int_equal(need, SFDP_SPACE_LEN);
}

static void test_lengths(void **state)
{
	/* Parameter header n's length in DWORDs: byte 0Bh+8n. */
	static const struct poke rows[] = {
		{ 0x0B, 0, SFDP_E_TABLE_LEN, "bfpt of 0 dwords" },
		{ 0x0B, 8, SFDP_E_BFPT_SHORT, "bfpt of 8 dwords" },
		{ 0x0B, 9, 0, "bfpt of 9 dwords (jesd216): dwords 10-16 unread" },
		{ 0x0B, 0xFF, SFDP_E_TRUNC_TABLE, "bfpt of 1020 bytes, past the buffer" },
		{ 0x1B, 0, SFDP_E_TABLE_LEN, "4bait of 0 dwords" },
		{ 0x1B, 1, SFDP_E_4BAIT_SHORT, "4bait of 1 dword" },
	};

	(void)state;
	run_pokes(rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_bfpt_choice(void **state)
{
	struct sfdp_info i;
	uint8_t img[IMG_LEN];

	(void)state;
	/* A later, newer BFPT wins: the vendor header becomes a BFPT 1.7 at
	 * 110h whose density says 64 MiB. */
	mx(img);
	memcpy(img + 0x10, "\x00\x07\x01\x09\x10\x01\x00\xFF", 8);
	memcpy(img + 0x110, BFPT_DW(img, 1), 36);
	put32(img + 0x114, 512 * 1024 * 1024 - 1);
	assert_int_equal(parse_exact(img, 0x110 + 36, &i), 0);
	assert_int_equal(i.bfpt.minor, 7);
	assert_int_equal(i.bfpt.addr, 0x110);
	assert_true(i.size == 64 * MIB);
	assert_false(i.flags & SFDP_F_PAGE_SIZE);
}

static void test_density(void **state)
{
	static const struct {
		uint32_t dw2;
		int err;
		uint64_t size;
	} rows[] = {
		{ 0x00000000u, SFDP_E_DENSITY, 0 },           /* 1 bit */
		{ 0x00000006u, SFDP_E_DENSITY, 0 },           /* 7 bits */
		{ 0x00000007u, 0, 1 },                        /* 8 bits: 1 byte, odd but valid */
		{ 0x0000FFFEu, SFDP_E_DENSITY, 0 },           /* not whole bytes */
		{ 0x7FFFFFFFu, 0, 256 * MIB },                /* 2 Gbit, the largest direct */
		{ 0xFFFFFFFFu, SFDP_E_DENSITY, 0 },           /* erased DWORD */
		{ 0x80000020u, 0, 512 * MIB },                /* 2^32 bits */
		{ 0x80000022u, 0, 2048ull * MIB },            /* 2^34 bits */
		{ 0x80000023u, 0, 4096ull * MIB },            /* 2^35 bits: 4 GiB, needs 64 bits */
		{ 0x8000003Fu, 0, 1ull << 60 },
		{ 0x80000040u, SFDP_E_DENSITY, 0 },           /* 2^64 bits */
		{ 0x8000001Fu, SFDP_E_DENSITY, 0 },           /* 2^31 bits must use the direct form */
		{ 0x80000000u, SFDP_E_DENSITY, 0 },
	};
	uint8_t img[IMG_LEN];
	size_t r, len;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct sfdp_info i;

		len = mx(img);
		put32(BFPT_DW(img, 2), rows[r].dw2);
		print_message("density %08x\n", (unsigned)rows[r].dw2);
		/* Small densities trip the erase-size check first; drop the types. */
		if (rows[r].size && rows[r].size < 64 * KIB) {
			put32(BFPT_DW(img, 8), 0);
			put32(BFPT_DW(img, 9), 0);
			BFPT_DW(img, 11)[0] &= 0x0F;   /* and the page to 1 byte */
		}
		assert_int_equal(parse_exact(img, len, &i), rows[r].err);
		if (!rows[r].err)
			assert_true(i.size == rows[r].size);
	}
}

static void test_fields(void **state)
{
	static const struct poke rows[] = {
		{ 0x05, 2, SFDP_E_VERSION, "sfdp 2.6" },
		{ 0x08, 0x84, SFDP_E_NO_BFPT, "first header is not the bfpt" },
		{ 0x0A, 2, SFDP_E_NO_BFPT, "bfpt of major revision 2" },
		{ 0x32, 0xFF, SFDP_E_ADDR_BYTES, "dword 1 address bytes 11b" },
		{ 0x4C, 32, SFDP_E_ERASE_SIZE, "erase type 1 of 4 GiB" },
		{ 0x4C, 26, SFDP_E_ERASE_SIZE, "erase type 1 of 64 MiB on 32 MiB" },
		{ 0x4C, 25, 0, "erase type 1 of the whole chip" },
		{ 0x4C, 0, 0, "erase type 1 undefined" },
	};
	uint8_t img[IMG_LEN];
	size_t len;

	(void)state;
	run_pokes(rows, sizeof(rows) / sizeof(rows[0]));
	len = mx(img);
	put32(BFPT_DW(img, 2), 8 * 1024 - 1);   /* 1 KiB part ... */
	put32(BFPT_DW(img, 8), 0);
	put32(BFPT_DW(img, 9), 0);
	BFPT_DW(img, 11)[0] = 0xB0;             /* ... with 2 KiB pages */
	assert_int_equal(parse_img(img, len), SFDP_E_PAGE_SIZE);
}

static void test_api(void **state)
{
	struct sfdp_span span[SFDP_MAX_SPANS];
	struct sfdp_param p;
	struct sfdp_info info;
	uint32_t need;
	int e, seen = 0;

	(void)state;
	assert_int_equal(sfdp_parse(NULL, 8, &info), SFDP_E_ARG);
	assert_int_equal(sfdp_parse(dump_w25q128jv, sizeof(dump_w25q128jv), NULL), SFDP_E_ARG);
	assert_int_equal(sfdp_needed_len(NULL, 8, &need), SFDP_E_ARG);
	assert_int_equal(sfdp_needed_len(dump_w25q128jv, 8, NULL), SFDP_E_ARG);
	assert_int_equal(sfdp_tables(dump_w25q128jv, 8, NULL), SFDP_E_ARG);
	assert_int_equal(sfdp_tables(dump_w25q128jv, 8, span), SFDP_E_TRUNC_HEADER);
	assert_int_equal(sfdp_needed_len(dump_w25q128jv, 0, &need), 0);
	assert_int_equal(need, 8);
	assert_int_equal(sfdp_needed_len(dump_w25q128jv, 3, &need), 0);
	assert_int_equal(need, 8);
	/* sfdp_param lists every header, vendor tables included. */
	assert_int_equal(sfdp_param(dump_sst26vf032b, 32, 0, &p), 0);
	assert_int_equal(p.id, SFDP_ID_BFPT);
	assert_int_equal(sfdp_param(dump_sst26vf032b, 32, 1, &p), 0);
	assert_int_equal(p.id, SFDP_ID_SECTOR_MAP);
	assert_int_equal(p.addr, 0x100);
	assert_int_equal(p.dwords, 6);
	assert_int_equal(sfdp_param(dump_sst26vf032b, 32, 2, &p), 0);
	assert_int_equal(p.id, 0x01BF);   /* Microchip: BFh, bank 2 */
	assert_int_equal(p.addr, 0x200);
	assert_int_equal(sfdp_param(dump_sst26vf032b, 32, 3, &p), SFDP_E_ARG);
	assert_int_equal(sfdp_param(dump_sst26vf032b, 31, 0, &p), SFDP_E_TRUNC_HEADER);
	/* A message for every error, each different. */
	for (e = 0; e >= SFDP_E_4BAIT_SHORT; e--) {
		const char *m = sfdp_strerror(e);
		int f;

		assert_non_null(m);
		assert_string_not_equal(m, "unknown error");
		for (f = 0; f > e; f--)
			assert_string_not_equal(m, sfdp_strerror(f));
		seen++;
	}
	assert_int_equal(seen, 15);
	assert_string_equal(sfdp_strerror(SFDP_E_4BAIT_SHORT - 1), "unknown error");
	assert_string_equal(sfdp_strerror(1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_nph_huge),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_bfpt_choice),
		cmocka_unit_test(test_density),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
