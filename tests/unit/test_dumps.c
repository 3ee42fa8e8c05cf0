/*
 * The index of recent dumps (client/core/dumps.c): what it keeps, whose
 * dumps it gives back, and that a sector comes from a file only when its
 * bytes there have the CRC asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "core/dumps.h"

static const uint8_t ID_A[3] = { 0xEF, 0x40, 0x14 }, ID_B[3] = { 0xC2, 0x20, 0x15 };

static int setup(void **state)
{
	char *dir = strdup("/tmp/test_dumps.XXXXXX");

	if (!dir || !mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	free(*state);
	return system(cmd) == 0 ? 0 : -1;
}

static void put_file(const char *path, const uint8_t *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static uint32_t crc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* A sector is given back only from a file that holds it with that CRC. */
static void test_sector_by_crc(void **state)
{
	const char *dir = *state;
	uint8_t img[3 * 4096], out[4096];
	char path[256];
	struct dumps d;
	unsigned i;

	for (i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + (i >> 12) * 101 + 3);   /* each sector its own */
	snprintf(path, sizeof(path), "%s/dump.bin", dir);
	put_file(path, img, sizeof(img));
	assert_int_equal(dumps_note(dir, ID_A, 0x10000, sizeof(img), path), 0);
	dumps_load(&d, dir, ID_A);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.f[0].addr, 0x10000);
	assert_true(dumps_sector(&d, 0x11000, 4096, crc(img + 4096, 4096), out));
	assert_memory_equal(out, img + 4096, 4096);
	/* a wrong CRC, an address outside the file, another chip: nothing */
	assert_false(dumps_sector(&d, 0x11000, 4096, crc(img, 4096), out));
	assert_false(dumps_sector(&d, 0x13000, 4096, crc(img, 4096), out));
	assert_false(dumps_sector(&d, 0x0F000, 4096, crc(img, 4096), out));
	dumps_load(&d, dir, ID_B);
	assert_int_equal(d.n, 0);
	/* the file shortened since: its missing sector is not invented */
	put_file(path, img, 2 * 4096);
	dumps_load(&d, dir, ID_A);
	assert_false(dumps_sector(&d, 0x12000, 4096, crc(img + 8192, 4096), out));
}

/* The index keeps the newest DUMPS_KEEP lines, newest first when loaded;
 * a relative path is stored absolute. */
static void test_keeps_the_newest(void **state)
{
	const char *dir = *state;
	char path[256], cwd[1024];
	struct dumps d;
	unsigned i;

	for (i = 0; i < DUMPS_KEEP + 5; i++) {
		snprintf(path, sizeof(path), "%s/d%u.bin", dir, i);
		put_file(path, (const uint8_t *)"x", 1);
		assert_int_equal(dumps_note(dir, i % 2 ? ID_B : ID_A, i * 0x1000, 1, path), 0);
	}
	dumps_load(&d, dir, ID_A);
	assert_int_equal(d.n, (DUMPS_KEEP + 1) / 2);
	assert_int_equal(d.f[0].addr, (DUMPS_KEEP + 4) * 0x1000);      /* newest first */
	assert_int_equal(d.f[d.n - 1].addr, 6 * 0x1000);              /* 5 oldest gone */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	put_file("rel.bin", (const uint8_t *)"y", 1);
	assert_int_equal(dumps_note(dir, ID_B, 0, 1, "rel.bin"), 0);
	assert_int_equal(chdir(cwd), 0);
	dumps_load(&d, dir, ID_B);
	assert_int_equal(d.f[0].path[0], '/');
	assert_non_null(strstr(d.f[0].path, "/rel.bin"));
	/* a second dump into the same file replaces its line */
	snprintf(path, sizeof(path), "%s/d%u.bin", dir, DUMPS_KEEP + 4);
	assert_int_equal(dumps_note(dir, ID_A, 0x7000, 1, path), 0);
	dumps_load(&d, dir, ID_A);
	assert_int_equal(d.f[0].addr, 0x7000);
	assert_int_equal(d.f[1].addr, (DUMPS_KEEP + 2) * 0x1000);
	/* a file that does not exist is not noted */
	snprintf(path, sizeof(path), "%s/none.bin", dir);
	assert_int_equal(dumps_note(dir, ID_A, 0, 1, path), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sector_by_crc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keeps_the_newest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
