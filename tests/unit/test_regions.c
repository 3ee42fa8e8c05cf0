/*
 * Regions and --json: the JSON writer (escaping, invalid UTF-8, nesting),
 * flashrom layout files, and the FMAP parser on a built FMAP and on
 * malformed ones (truncated, wrong version, areas out of bounds or
 * wrapping, too many, duplicate names, a false signature before the real
 * one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/fmap.h"
#include "cli/json.h"
#include "core/layout.h"

/* ---- json ------------------------------------------------------------- */

static char *json_of(void (*fn)(struct json *j))
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json j;

	assert_non_null(f);
	json_init(&j, f);
	fn(&j);
	assert_int_equal(j.err, 0);
	fclose(f);
	return buf;
}

static void doc_nested(struct json *j)
{
	json_object_begin(j, NULL);
	json_str(j, "command", "write");
	json_object_begin(j, "range");
	json_uint(j, "offset", 0x7F0000);
	json_uint(j, "length", 65536);
	json_object_end(j);
	json_array_begin(j, "list");
	json_int(j, NULL, -3);
	json_bool(j, NULL, 1);
	json_null(j, NULL);
	json_array_begin(j, NULL);
	json_array_end(j);
	json_array_end(j);
	json_str(j, "none", NULL);
	json_object_end(j);
}

static void test_json_nested(void **state)
{
	(void)state;
	assert_string_equal(json_of(doc_nested),
			    "{\"command\":\"write\",\"range\":{\"offset\":8323072,\"length\":65536},"
			    "\"list\":[-3,true,null,[]],\"none\":null}\n");
}

static void doc_escapes(struct json *j)
{
	/* quote, backslash, control bytes, DEL, valid UTF-8 (é, €, U+1F600),
	 * and bytes that are not UTF-8: a lone continuation, a truncated
	 * sequence, an overlong '/', a surrogate */
	static const char s[] = "a\"b\\c\n\t\x01\x7f"
				"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				"\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80";

	json_object_begin(j, NULL);
	json_strn(j, "k\"", s, sizeof(s) - 1);
	json_object_end(j);
}

static void test_json_escapes(void **state)
{
	(void)state;
	assert_string_equal(json_of(doc_escapes),
			    "{\"k\\\"\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f"
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
			    "\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\"}\n");
}

static void doc_misuse(struct json *j)
{
	json_object_end(j);
}

static void test_json_misuse(void **state)
{
	char buf[64];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json j;
	int i;

	(void)state;
	(void)doc_misuse;
	json_init(&j, f);
	json_object_end(&j);
	assert_int_equal(j.err, JSON_E_DEPTH);
	json_init(&j, f);
	for (i = 0; i < JSON_DEPTH_MAX + 2; i++)
		json_array_begin(&j, NULL);
	assert_int_equal(j.err, JSON_E_DEPTH);
	fclose(f);
}

/* ---- layout ----------------------------------------------------------- */

static void test_layout_good(void **state)
{
	static const char t[] =
		"# OpenWRT on an 8 MiB chip\n"
		"00000000:0003ffff u-boot\n"
		"\n"
		"0x40000:0x7effff\tfirmware  \r\n"
		"  7f0000:7fffff art";      /* no final newline */
	struct layout l;
	const struct layout_region *r;
	char msg[128], names[128];

	(void)state;
	assert_int_equal(layout_parse(t, strlen(t), &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.n, 3);
	r = layout_find(&l, "art");
	assert_non_null(r);
	assert_int_equal(r->start, 0x7F0000);
	assert_int_equal(r->end, 0x7FFFFF);
	r = layout_find(&l, "firmware");
	assert_non_null(r);
	assert_int_equal(r->start, 0x40000);
	assert_null(layout_find(&l, "ar"));
	layout_names(&l, names, sizeof(names));
	assert_string_equal(names, "u-boot, firmware, art");
}

static void test_layout_bad(void **state)
{
	static const struct { const char *text; int err; const char *msg; } r[] = {
		{ "0:fff", LAYOUT_E_SYNTAX, "line 1" },
		{ "0-fff a", LAYOUT_E_SYNTAX, "line 1" },
		{ "\n\nzz:fff a", LAYOUT_E_SYNTAX, "line 3" },
		{ "0:fff a b", LAYOUT_E_SYNTAX, "one region name" },
		{ "0:fffg a", LAYOUT_E_SYNTAX, "line 1" },
		{ "0:100000000 a", LAYOUT_E_SYNTAX, "line 1" },
		{ "2000:1fff a", LAYOUT_E_RANGE, "ends (0x1fff) before" },
		{ "0:fff a\n1000:1fff a", LAYOUT_E_DUP, "line 2: region 'a' is given twice" },
		{ "# nothing\n\n", LAYOUT_E_EMPTY, "no region" },
	};
	struct layout l;
	char msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		int err = layout_parse(r[i].text, strlen(r[i].text), &l, msg, sizeof(msg));

		if (err != r[i].err || !strstr(msg, r[i].msg))
			fail_msg("row %zu: %d '%s'", i, err, msg);
	}
}

static void test_layout_toomany(void **state)
{
	char *t = malloc((LAYOUT_MAX + 1) * 32), msg[128];
	struct layout l;
	size_t o = 0;
	int i;

	(void)state;
	for (i = 0; i <= LAYOUT_MAX; i++)
		o += (size_t)sprintf(t + o, "%x:%x r%d\n", i * 16, i * 16 + 15, i);
	assert_int_equal(layout_parse(t, o, &l, msg, sizeof(msg)), LAYOUT_E_TOOMANY);
	free(t);
}

/* ---- fmap ------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* An FMAP at buf: size 8 MiB, areas as given; returns its length. */
static size_t build_fmap(uint8_t *buf, uint32_t size, unsigned n, const uint32_t (*areas)[2],
			 const char *const *names)
{
	unsigned i;

	memset(buf, 0, FMAP_LEN(n));
	memcpy(buf, FMAP_SIGNATURE, 8);
	buf[8] = 1;
	buf[9] = 1;
	put32(buf + 10, 0xFF800000u);    /* base: a BIOS chip's mapping */
	put32(buf + 18, size);
	strcpy((char *)buf + 22, "FLASH");
	buf[54] = (uint8_t)n;
	buf[55] = (uint8_t)(n >> 8);
	for (i = 0; i < n; i++) {
		uint8_t *a = buf + FMAP_LEN(i);

		put32(a, areas[i][0]);
		put32(a + 4, areas[i][1]);
		/* a 32-byte name fills the field with no NUL: allowed */
		memcpy(a + 8, names[i], strlen(names[i]) < 32 ? strlen(names[i]) : 32);
	}
	return FMAP_LEN(n);
}

static const uint32_t good_areas[][2] = {
	{ 0, 0x10000 }, { 0x10000, 0x7E0000 }, { 0x7F0000, 0x10000 }, { 0x20000, 0 },
	{ 0x30000, 0x1000 },
};
static const char *const good_names[] = {
	"SI_DESC", "COREBOOT", "ART", "EMPTY", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
};

static void test_fmap_good(void **state)
{
	uint8_t buf[4096];
	struct fmap_info info;
	struct layout l;
	const struct layout_region *r;
	size_t n = build_fmap(buf, 0x800000, 5, good_areas, good_names);

	(void)state;
	assert_int_equal(n, 56 + 5 * 42);
	assert_int_equal(fmap_need(buf), n);
	assert_int_equal(fmap_parse(buf, n, &info, &l), 0);
	assert_int_equal(info.ver_major, 1);
	assert_int_equal(info.size, 0x800000);
	assert_int_equal(info.base, 0xFF800000u);
	assert_string_equal(info.name, "FLASH");
	assert_int_equal(info.nareas, 5);
	assert_int_equal(l.n, 4);                        /* EMPTY left out */
	r = layout_find(&l, "ART");
	assert_non_null(r);
	assert_int_equal(r->start, 0x7F0000);
	assert_int_equal(r->end, 0x7FFFFF);
	assert_null(layout_find(&l, "EMPTY"));
	assert_non_null(layout_find(&l, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));
}

static void test_fmap_malformed(void **state)
{
	uint8_t buf[4096];
	struct fmap_info info;
	struct layout l;
	size_t n, i;

	(void)state;
	n = build_fmap(buf, 0x800000, 5, good_areas, good_names);
	/* every truncation of a good FMAP fails cleanly */
	for (i = 0; i < n; i++) {
		int err = fmap_parse(buf, i, &info, &l);

		assert_true(err == FMAP_E_TRUNC || (i < 8 && err == FMAP_E_NOTFOUND));
	}
	buf[8] = 2;
	assert_int_equal(fmap_parse(buf, n, &info, &l), FMAP_E_VERSION);
	buf[8] = 1;
	buf[0] = 'X';
	assert_int_equal(fmap_parse(buf, n, &info, &l), FMAP_E_NOTFOUND);
	buf[0] = '_';
	/* nareas claims more than the buffer holds */
	buf[54] = 0xFF, buf[55] = 0xFF;
	assert_int_equal(fmap_parse(buf, sizeof(buf), &info, &l), FMAP_E_TRUNC);
	{
		static const uint32_t past[][2] = { { 0x7F0000, 0x10001 } };
		static const uint32_t wrap[][2] = { { 0xFFFFF000u, 0x2000 } };
		static const uint32_t dup[][2] = { { 0, 0x1000 }, { 0x1000, 0x1000 } };
		static const char *const nm[] = { "A", "A" };

		n = build_fmap(buf, 0x800000, 1, past, nm);
		assert_int_equal(fmap_parse(buf, n, &info, &l), FMAP_E_BOUNDS);
		n = build_fmap(buf, 0xFFFFFFFFu, 1, wrap, nm);
		assert_int_equal(fmap_parse(buf, n, &info, &l), FMAP_E_BOUNDS);
		n = build_fmap(buf, 0x800000, 2, dup, nm);
		assert_int_equal(fmap_parse(buf, n, &info, &l), FMAP_E_NAME);
	}
	{
		static uint32_t many[LAYOUT_MAX + 1][2];
		static const char *nm[LAYOUT_MAX + 1];
		static char names[LAYOUT_MAX + 1][8];
		uint8_t *big = malloc(FMAP_LEN(LAYOUT_MAX + 1));

		for (i = 0; i <= LAYOUT_MAX; i++) {
			many[i][0] = (uint32_t)i * 0x1000;
			many[i][1] = 0x1000;
			snprintf(names[i], sizeof(names[i]), "a%zu", i);
			nm[i] = names[i];
		}
		n = build_fmap(big, 0x800000, LAYOUT_MAX + 1, (const uint32_t (*)[2])many, nm);
		assert_int_equal(fmap_parse(big, n, &info, &l), FMAP_E_TOOMANY);
		free(big);
	}
}

static void test_fmap_find(void **state)
{
	static uint8_t img[0x20000];
	size_t off = 0, n;

	(void)state;
	memset(img, 0xFF, sizeof(img));
	assert_int_equal(fmap_find(img, sizeof(img), &off), FMAP_E_NOTFOUND);
	/* a bare signature in data (flashrom's own strings, say) comes first */
	memcpy(img + 0x100, FMAP_SIGNATURE, 8);
	n = build_fmap(img + 0x10000, 0x800000, 2, good_areas, good_names);
	assert_int_equal(fmap_find(img, sizeof(img), &off), 0);
	assert_int_equal(off, 0x10000);
	/* cut short: not found, no read past the end */
	assert_int_equal(fmap_find(img, 0x10000 + n - 1, &off), FMAP_E_NOTFOUND);
	assert_int_equal(fmap_find(img, 0, &off), FMAP_E_NOTFOUND);
	assert_string_equal(fmap_strerror(FMAP_E_BOUNDS),
			    "an FMAP area lies outside the flash it describes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_nested),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_misuse),
		cmocka_unit_test(test_layout_good),
		cmocka_unit_test(test_layout_bad),
		cmocka_unit_test(test_layout_toomany),
		cmocka_unit_test(test_fmap_good),
		cmocka_unit_test(test_fmap_malformed),
		cmocka_unit_test(test_fmap_find),
	};

	return cmocka_run_group_tests_name("regions", tests, NULL, NULL);
}
