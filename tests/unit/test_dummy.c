/*
 * The core (ops) against -p dummy, the strict chip model behind the
 * programmer interface: the same calls a command makes, no emulator.  A
 * write of random data over random data, read back; bytes outside the
 * range kept; a protected part refuses before any change; the image file
 * holds what the chip holds; the driver's argument errors.
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

#include "core/ops.h"
#include "prog/prog.h"

struct rig {
	struct prog p;
	struct ops o;
	char image[64];
};

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
}

static int open_dummy(struct rig *r, const char *args)
{
	struct prog_params pp;
	int err;

	memset(&pp, 0, sizeof(pp));
	pp.device = "";
	pp.args = args;
	err = prog_open(&r->p, prog_find("dummy"), &pp);
	if (!err)
		ops_init(&r->o, &r->p, NULL, NULL);
	return err;
}

static int setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	char args[128];
	int fd;

	assert_non_null(r);
	strcpy(r->image, "/tmp/test_dummy-XXXXXX");
	fd = mkstemp(r->image);
	assert_true(fd >= 0);
	close(fd);
	unlink(r->image);           /* the driver creates it erased */
	snprintf(args, sizeof(args), "chip=W25Q80,image=%s", r->image);
	assert_int_equal(open_dummy(r, args), 0);
	assert_int_equal(ops_detect(&r->o), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	prog_close(&r->p);
	unlink(r->image);
	free(r);
	return 0;
}

static void test_write_read_keeps_outside(void **state)
{
	struct rig *r = *state;
	uint32_t len = 3 * 4096 + 100, addr = 0x10000 + 50;
	uint8_t *old = malloc(0x20000), *want = malloc(len), *got = malloc(0x20000);
	FILE *f;

	assert_non_null(old);
	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(r->o.chip.name, "W25Q80");
	fill(old, 0x20000, 1);
	assert_int_equal(ops_write(&r->o, 0, old, 0x20000, 1), 0);
	fill(want, len, 2);
	assert_int_equal(ops_write(&r->o, addr, want, len, 1), 0);
	assert_true(r->o.stats.erases_4k > 0);
	assert_int_equal(ops_read(&r->o, 0, got, 0x20000), 0);
	assert_memory_equal(got + addr, want, len);
	assert_memory_equal(got, old, addr);                        /* before the range */
	assert_memory_equal(got + addr + len, old + addr + len, 0x20000 - addr - len);
	assert_int_equal(ops_verify(&r->o, addr, want, len), 0);
	/* the image file is the chip */
	f = fopen(r->image, "rb");
	assert_non_null(f);
	assert_int_equal(fread(old, 1, 0x20000, f), 0x20000);
	fclose(f);
	assert_memory_equal(old, got, 0x20000);
	free(old);
	free(want);
	free(got);
}

static void test_erase_and_blank(void **state)
{
	struct rig *r = *state;
	uint8_t buf[4096];

	fill(buf, sizeof(buf), 3);
	assert_int_equal(ops_write(&r->o, 0x3000, buf, sizeof(buf), 1), 0);
	assert_int_equal(ops_blank(&r->o, 0x3000, 4096), OPS_E_NOTBLANK);
	assert_int_equal(ops_erase(&r->o, 0x3000, 4096, 1), 0);
	assert_int_equal(ops_blank(&r->o, 0x3000, 4096), 0);
}

/* A protected part refuses before the chip changes. */
static void test_protected_refused(void **state)
{
	struct rig r;
	uint8_t buf[4096];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(open_dummy(&r, "chip=W25Q128-WP"), 0);
	assert_int_equal(ops_detect(&r.o), 0);
	fill(buf, sizeof(buf), 4);
	assert_int_equal(ops_write(&r.o, 0, buf, sizeof(buf), 1), OPS_E_PROTECTED);
	assert_int_equal(ops_blank(&r.o, 0, 4096), 0);
	prog_close(&r.p);
}

static void test_bad_arguments(void **state)
{
	struct rig r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(open_dummy(&r, "chip=NOPE"), DEV_E_ARG);
	assert_non_null(strstr(r.p.msg, "no chip model 'NOPE'"));
	assert_int_equal(open_dummy(&r, "colour=red"), DEV_E_ARG);
	assert_non_null(strstr(r.p.msg, "unknown argument 'colour=red'"));
	assert_int_equal(open_dummy(&r, "fault=bogus"), DEV_E_ARG);
	assert_non_null(strstr(r.p.msg, "bad fault"));
	/* an image of another size is another chip's */
	assert_int_equal(open_dummy(&r, "chip=W25Q80,image=/proc/self/cmdline"), DEV_E_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read_keeps_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_and_blank, setup, teardown),
		cmocka_unit_test(test_protected_refused),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
