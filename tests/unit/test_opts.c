/*
 * opts_parse by table: each row is an argv and the fields it must produce,
 * or the error substring it must produce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli/opts.h"

/* rows name only the fields that matter; the rest are zero */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define MAXARGS 14
#define KIB 1024ull

struct row {
	const char *argv[MAXARGS];     /* after "spiflash", NULL-terminated */
	const char *err;               /* expected error substring, NULL = success */
	enum opts_cmd cmd;
	const char *device, *file;
	uint64_t length, flash_offset, file_offset;
	uint32_t rate;
	unsigned given;
	int no_verify, quiet, verbose, help, version;
	int list_chips, unprotect, all;
	const char *chip;
	unsigned read_passes;
};

static const struct row rows[] = {
	/* good */
	{ { "-d", "/dev/ttyUSB0", "-f", "out.bin", "read" }, NULL, OPTS_CMD_READ,
	  "/dev/ttyUSB0", "out.bin" },
	{ { "read", "-d", "/dev/ttyACM0", "-f", "x" }, NULL, OPTS_CMD_READ, "/dev/ttyACM0", "x" },
	{ { "-d", "D", "-f", "x", "-l", "4096", "read" }, NULL, OPTS_CMD_READ, "D", "x",
	  4096 * KIB, 0, 0, 0, OPTS_HAVE_LENGTH },
	{ { "-d", "D", "-f", "x", "-l", "4M", "read" }, NULL, OPTS_CMD_READ, "D", "x",
	  4096 * KIB, 0, 0, 0, OPTS_HAVE_LENGTH },
	/* the one rule of units: a hex length counts bytes, a plain one KiB */
	{ { "-d", "D", "-f", "x", "--length=0x10", "read" }, NULL, OPTS_CMD_READ, "D", "x",
	  16, 0, 0, 0, OPTS_HAVE_LENGTH },
	{ { "-d", "D", "-f", "x", "-l", "0x1000", "read" }, NULL, OPTS_CMD_READ, "D", "x",
	  4096, 0, 0, 0, OPTS_HAVE_LENGTH },
	{ { "-d", "D", "-f", "x", "-l", "64K", "read" }, NULL, OPTS_CMD_READ, "D", "x",
	  64 * KIB, 0, 0, 0, OPTS_HAVE_LENGTH },
	/* flashrom's habits */
	{ { "info", "-d", "D", "-c", "W25Q128" }, NULL, OPTS_CMD_INFO, "D", .chip = "W25Q128" },
	{ { "-r", "x.bin", "-d", "D" }, "did you mean" },
	{ { "-w", "x.bin", "-d", "D" }, "'spiflash write -f FILE'" },
	{ { "-E", "-d", "D" }, "'spiflash erase'" },
	{ { "--verbose=2", "erase", "-d", "D" }, NULL, OPTS_CMD_ERASE, "D", .verbose = 2 },
	{ { "--verbose", "erase", "-d", "D" }, NULL, OPTS_CMD_ERASE, "D", .verbose = 1 },
	{ { "--verbose=9", "erase", "-d", "D" }, "invalid verbosity '9'" },
	{ { "--verbos=2", "erase", "-d", "D" }, NULL, OPTS_CMD_ERASE, "D", .verbose = 2 },
	{ { "--bogus=2", "erase", "-d", "D" }, "unknown option '--bogus'" },
	/* the same port twice is one port */
	{ { "read", "-d", "D", "-d", "D", "-f", "x" }, NULL, OPTS_CMD_READ, "D", "x" },
	{ { "read", "-d", "D", "-f", "x", "--force" }, NULL, OPTS_CMD_READ, "D", "x" },
	{ { "write", "-d", "D", "-f", "x", "--force" }, "'--force' is for 'read'" },
	/* regions as flashrom users write them */
	{ { "read", "-d", "D", "--fmap", "-i", "a:a.bin", "-i", "b:b.bin" }, NULL, OPTS_CMD_READ, "D" },
	/* several -i into one -f: a chip-sized image, as flashrom's -r */
	{ { "read", "-d", "D", "--fmap", "-i", "a", "-i", "b", "-f", "x" }, NULL, OPTS_CMD_READ, "D", "x" },
	{ { "read", "-d", "D", "--fmap", "-i", "a", "-i", "b:b.bin", "-f", "x" }, "its own file" },
	{ { "write", "-d", "D", "--fmap", "-i", "a:" }, "empty file name in -i 'a:'" },
	{ { "erase", "-d", "D", "--fmap", "-i", "a:a.bin" }, "takes no file" },
	{ { "write", "-d", "D", "-f", "x", "--flash-offset", "0x1000", "--file-offset", "4k" },
	  NULL, OPTS_CMD_WRITE, "D", "x", 0, 0x1000, 4096, 0,
	  OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_FILE_OFFSET },
	{ { "write", "-d", "D", "-f", "-", "--flash-offset=123", "--no-verify" }, NULL,
	  OPTS_CMD_WRITE, "D", "-", 0, 123, 0, 0, OPTS_HAVE_FLASH_OFFSET, 1 },
	{ { "verify", "-dD", "-fx", "-q" }, NULL, OPTS_CMD_VERIFY, "D", "x", 0, 0, 0, 0, 0, 0, 1 },
	{ { "erase", "-d", "D", "-vv" }, NULL, OPTS_CMD_ERASE, "D", NULL, 0, 0, 0, 0, 0, 0, 0, 2 },
	{ { "erase", "-d", "D", "--flash-offset", "1M", "-l", "64" }, NULL, OPTS_CMD_ERASE, "D",
	  NULL, 64 * KIB, 1024 * KIB, 0, 0, OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_LENGTH },
	{ { "info", "-d", "D", "--rate", "1000000" }, NULL, OPTS_CMD_INFO, "D", NULL, 0, 0, 0,
	  1000000, OPTS_HAVE_RATE },
	{ { "blank", "-d", "D" }, NULL, OPTS_CMD_BLANK, "D" },
	{ { "ports" }, NULL, OPTS_CMD_PORTS },
	{ { "--help" }, NULL, OPTS_CMD_NONE, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ { "-h", "read" }, NULL, OPTS_CMD_NONE, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ { "--version" }, NULL, OPTS_CMD_NONE, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ { "-d", "D", "-f", "x", "--", "read" }, NULL, OPTS_CMD_READ, "D", "x" },
	/* knowing the chip */
	{ { "--list-chips" }, NULL, OPTS_CMD_NONE, .list_chips = 1 },
	{ { "info", "-d", "D", "--chip", "W25Q128" }, NULL, OPTS_CMD_INFO, "D", .chip = "W25Q128" },
	{ { "write", "-d", "D", "-f", "x", "--unprotect" }, NULL, OPTS_CMD_WRITE, "D", "x",
	  .unprotect = 1 },
	{ { "erase", "-d", "D", "--unprotect" }, NULL, OPTS_CMD_ERASE, "D", .unprotect = 1 },
	{ { "protect", "-d", "D", "--all" }, NULL, OPTS_CMD_PROTECT, "D", .all = 1 },
	{ { "protect", "-d", "D", "--flash-offset", "0xFC0000", "-l", "256" }, NULL,
	  OPTS_CMD_PROTECT, "D", NULL, 256 * KIB, 0xFC0000, 0, 0,
	  OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET },
	{ { "unprotect", "-d", "D" }, NULL, OPTS_CMD_UNPROTECT, "D" },
	{ { "read", "-d", "D", "-f", "x", "--read-passes", "2" }, NULL, OPTS_CMD_READ, "D", "x",
	  .given = OPTS_HAVE_READ_PASSES, .read_passes = 2 },
	{ { "protect", "-d", "D" }, "needs --all, or -l" },
	{ { "protect", "-d", "D", "--all", "-l", "4" }, "--all or a range, not both" },
	{ { "read", "-d", "D", "-f", "x", "--all" }, "'--all' is for 'protect' only" },
	{ { "read", "-d", "D", "-f", "x", "--unprotect" }, "'--unprotect' is for 'write' and 'erase'" },
	{ { "unprotect", "-d", "D", "-l", "4" }, "takes no range" },
	{ { "read", "-d", "D", "-f", "x", "--read-passes", "99" }, "invalid read passes '99'" },
	{ { "read", "-d", "D", "-f", "x", "--read-passes", "x" }, "invalid read passes 'x'" },
	{ { "erase", "-d", "D", "--read-passes", "1" }, "'--read-passes' is for" },
	{ { "write", "-d", "D", "-f", "x", "--backup", "b.bin" }, NULL, OPTS_CMD_WRITE, "D", "x" },
	{ { "erase", "-d", "D", "--no-backup" }, NULL, OPTS_CMD_ERASE, "D" },
	{ { "read", "-d", "D", "-f", "x", "--backup", "b.bin" }, "are for 'write' and 'erase'" },
	{ { "erase", "-d", "D", "--backup", "b", "--no-backup" }, "'--no-backup' conflict" },
	{ { "erase", "-d", "D", "--backup=" }, "empty backup file name" },
	{ { "info", "-d", "D", "--chip", "" }, "empty chip name" },
	/* no -d: main picks the one programmer attached */
	{ { "read", "-f", "x" }, NULL, OPTS_CMD_READ, NULL, "x" },
	/* scripting and regions */
	{ { "read", "-d", "D", "-d", "E", "-f", "x" }, "takes one -d" },
	{ { "info", "-d", "D", "--probe" }, "'--probe' is for 'ports'" },
	{ { "read", "-d", "D", "-f", "-", "--json" }, "both use stdout" },
	{ { "write", "-d", "D", "-f", "x", "--layout", "l" }, "give -i NAME" },
	{ { "write", "-d", "D", "-f", "x", "--region-file" }, "needs -i NAME" },
	{ { "write", "-d", "D", "-f", "x", "-i", "art" }, "needs --layout FILE, --fmap or --ifd" },
	{ { "info", "-d", "D", "-i", "art", "--fmap" }, "takes no region" },
	{ { "write", "-d", "D", "-f", "x", "-i", "a", "--fmap", "-l", "4" }, "sets the range" },
	{ { "read", "-d", "D", "-f", "x", "-i", "a", "--fmap", "--region-file" },
	  "'--region-file' is for 'write' and 'verify'" },
	{ { "read", "-d", "D", "-f", "x", "-i", "" }, "empty region name" },
	{ { "read", "-d", "D", "-f", "x", "-i", ":x" }, "empty region name" },
	/* bad */
	{ { NULL }, "no command given" },
	{ { "frobnicate", "-d", "D" }, "unknown command 'frobnicate'" },
	{ { "read", "-f", "x", "-i", "r", "--fmap", "--layout", "l" }, "conflict: give one" },
	{ { "read", "-f", "x", "-i", "r", "--fmap", "--ifd" }, "conflict: give one" },
	{ { "write", "-f", "x", "-i", "BIOS", "--ifd" }, NULL, OPTS_CMD_WRITE, NULL, "x" },
	/* identify and diff: words after the command */
	{ { "identify", "a.bin" }, NULL, OPTS_CMD_IDENTIFY },
	{ { "identify" }, NULL, OPTS_CMD_IDENTIFY },
	{ { "diff", "a.bin", "chip", "--json" }, NULL, OPTS_CMD_DIFF },
	{ { "diff", "a.bin" }, "compares two images" },
	{ { "diff", "a", "b", "c" }, "unexpected argument 'c'" },
	{ { "identify", "a", "b" }, "takes one FILE" },
	{ { "diff", "a", "b", "-i", "ME", "--ifd" }, "region by region on its own" },
	{ { "read", "-d", "D" }, "needs a file" },
	{ { "write", "-d", "D" }, "needs a file" },
	{ { "read", "-d", "D", "-f", "x", "-l", "0" }, "is zero" },
	{ { "read", "-d", "D", "-f", "x", "-l", "abc" }, "invalid length 'abc'" },
	{ { "read", "-d", "D", "-f", "x", "-l", "-5" }, "invalid length '-5'" },
	{ { "read", "-d", "D", "-f", "x", "-l", "12x" }, "invalid length '12x'" },
	{ { "read", "-d", "D", "-f", "x", "--flash-offset", "0xZZ" }, "invalid flash offset" },
	{ { "write", "-d", "D", "-f", "x", "--file-offset", "" }, "invalid file offset" },
	{ { "read", "-d", "D", "-f", "x", "-l", "99999999999" }, "too large" },
	{ { "read", "-d", "D", "-f", "x", "--rate", "fast" }, "invalid rate 'fast'" },
	{ { "read", "-d", "D", "-f", "x", "--rate", "0" }, "invalid rate '0'" },
	{ { "read", "-d", "D", "-f", "x", "--bogus" }, "unknown option '--bogus'" },
	{ { "read", "-d", "D", "-f", "x", "-z" }, "unknown option '-z'" },
	{ { "read", "-d" }, "needs a value" },
	{ { "read", "write", "-d", "D", "-f", "x" }, "unexpected argument 'write'" },
	{ { "info", "-d", "D", "-f", "x" }, "takes no file" },
	{ { "info", "-d", "D", "-l", "4" }, "takes no range" },
	{ { "read", "-d", "D", "-f", "x", "--file-offset", "4" }, "takes no --file-offset" },
	{ { "erase", "-d", "D", "--flash-offset", "4096" }, "needs -l" },
	{ { "read", "-d", "", "-f", "x" }, "empty device name" },
	{ { "read", "-d", "D", "-f", "x", "-q", "-v" }, "conflict" },
	{ { "read", "-d", "D", "-f", "x", "-p", "" }, "invalid programmer ''" },
	{ { "read", "-d", "D", "-f", "x", "-p", ":chip=W25Q80" }, "invalid programmer ':chip=W25Q80'" },
	{ { "read", "-d", "D", "-f", "x", "-p", "Dummy" }, "invalid programmer 'Dummy'" },
	{ { "read", "-d", "D", "-f", "x", "--spi-speed", "fast" }, "invalid SPI speed 'fast'" },
	{ { "read", "-d", "D", "-f", "x", "--spi-speed", "0" }, "invalid SPI speed '0'" },
	{ { "read", "-d", "D", "-f", "x", "--spi-speed", "8G" }, "invalid SPI speed '8G'" },
};

static void run_row(const struct row *r)
{
	char *argv[MAXARGS + 1];
	char err[256];
	struct opts o;
	int argc = 0, rc;

	argv[argc++] = (char *)"spiflash";
	while (argc - 1 < MAXARGS && r->argv[argc - 1])
		argv[argc] = (char *)r->argv[argc - 1], argc++;
	argv[argc] = NULL;
	rc = opts_parse(argc, argv, &o, err, sizeof(err));
	if (r->err) {
		assert_int_equal(rc, OPTS_E_USAGE);
		if (!strstr(err, r->err))
			fail_msg("error '%s' does not contain '%s'", err, r->err);
		return;
	}
	if (rc)
		fail_msg("unexpected error '%s'", err);
	assert_int_equal(o.cmd, r->cmd);
	if (r->device)
		assert_string_equal(o.device, r->device);
	else
		assert_null(o.device);
	if (r->file)
		assert_string_equal(o.file, r->file);
	else
		assert_null(o.file);
	assert_int_equal(o.length, r->length);
	assert_int_equal(o.flash_offset, r->flash_offset);
	assert_int_equal(o.file_offset, r->file_offset);
	assert_int_equal(o.rate, r->rate);
	assert_int_equal(o.given, r->given);
	assert_int_equal(o.no_verify, r->no_verify);
	assert_int_equal(o.quiet, r->quiet);
	assert_int_equal(o.verbose, r->verbose);
	assert_int_equal(o.help, r->help);
	assert_int_equal(o.version, r->version);
	assert_int_equal(o.list_chips, r->list_chips);
	assert_int_equal(o.unprotect, r->unprotect);
	assert_int_equal(o.all, r->all);
	assert_int_equal(o.read_passes, r->read_passes);
	if (r->chip)
		assert_string_equal(o.chip, r->chip);
	else
		assert_null(o.chip);
}

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* One cmocka test per row, so the runner counts rows. */
static void test_row(void **state)
{
	run_row(*state);
}
/* Parsing twice in one process gives the same answer (getopt state reset). */
static void test_reentrant(void **state)
{
	char *a[] = { "spiflash", "write", "-d", "D", "-f", "x", "--flash-offset", "8", NULL };
	char *b[] = { "spiflash", "-d", "E", "-f", "y", "read", NULL };
	char err[128];
	struct opts o;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(opts_parse(8, a, &o, err, sizeof(err)), 0);
		assert_int_equal(o.cmd, OPTS_CMD_WRITE);
		assert_int_equal(o.flash_offset, 8);
		assert_int_equal(opts_parse(6, b, &o, err, sizeof(err)), 0);
		assert_int_equal(o.cmd, OPTS_CMD_READ);
		assert_string_equal(o.device, "E");
	}
}

static void test_number(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(opts_number("0x10", 0, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(opts_number("2k", 1, &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(opts_number("2k", 0, &v), -1);
	assert_int_equal(opts_number("", 1, &v), -1);
	assert_int_equal(opts_number("1kk", 1, &v), -1);
	assert_int_equal(opts_number(" 1", 1, &v), -1);
}

/* -p and --spi-speed: fields the row table does not carry */
static void test_programmer(void **state)
{
	static const struct {
		const char *argv[8];
		const char *p, *args;
		uint32_t hz;
	} r[] = {
		{ { "spiflash", "info", "-d", "D" }, NULL, NULL, 0 },
		{ { "spiflash", "info", "-d", "D", "-p", "spiflash" }, "spiflash", NULL, 0 },
		{ { "spiflash", "info", "-d", "D", "-p", "serprog" }, "serprog", NULL, 0 },
		{ { "spiflash", "info", "-d", "D", "--programmer=linux_spi", "--spi-speed", "8M" },
		  "linux_spi", NULL, 8000000 },
		{ { "spiflash", "info", "-p", "dummy:chip=W25Q80,image=a:b" }, "dummy",
		  "chip=W25Q80,image=a:b", 0 },
		{ { "spiflash", "info", "-p", "dummy:" }, "dummy", "", 0 },
		{ { "spiflash", "info", "-d", "D", "--spi-speed=512k" }, NULL, NULL, 512000 },
		{ { "spiflash", "info", "-d", "D", "--spi-speed", "100000" }, NULL, NULL, 100000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct opts o;
		char err[200], *argv[8];
		int argc = 0;

		/* getopt permutes argv: a copy */
		while (r[i].argv[argc]) {
			argv[argc] = (char *)r[i].argv[argc];
			argc++;
		}
		assert_int_equal(opts_parse(argc, argv, &o, err, sizeof(err)), OPTS_OK);
		if (r[i].p)
			assert_string_equal(o.programmer, r[i].p);
		else
			assert_null(o.programmer);
		if (r[i].args)
			assert_string_equal(o.programmer_args, r[i].args);
		else
			assert_null(o.programmer_args);
		assert_int_equal(o.spi_speed, r[i].hz);
	}
}

/* -d several times, --json, regions, --probe: fields the rows do not carry */
static void test_scripting(void **state)
{
	char *a[] = { "spiflash", "write", "-d", "A", "-d", "B", "--device=C", "-f", "x",
		      "--json", "--layout", "l.txt", "--include", "art", "--region-file", NULL };
	char *b[] = { "spiflash", "ports", "--probe", "--json", NULL };
	char *c[] = { "spiflash", "verify", "-f", "x", "-i", "rw", "--fmap", NULL };
	char err[200];
	struct opts o;

	(void)state;
	assert_int_equal(opts_parse(15, a, &o, err, sizeof(err)), OPTS_OK);
	assert_int_equal(o.ndevices, 3);
	assert_string_equal(o.device, "A");
	assert_string_equal(o.devices[2], "C");
	assert_true(o.json && o.region_file && !o.fmap);
	assert_string_equal(o.layout, "l.txt");
	assert_string_equal(o.region, "art");
	assert_int_equal(opts_parse(4, b, &o, err, sizeof(err)), OPTS_OK);
	assert_true(o.probe && o.json && o.ndevices == 0 && !o.device);
	assert_int_equal(opts_parse(7, c, &o, err, sizeof(err)), OPTS_OK);
	assert_true(o.fmap && !o.layout && !o.device);
}

int main(void)
{
	struct CMUnitTest tests[NROWS + 4];
	static char names[NROWS][48];
	size_t i;

	/* the table is the test: keep it big enough to mean something */
	if (NROWS < 25)
		return 1;
	for (i = 0; i < NROWS; i++) {
		snprintf(names[i], sizeof(names[i]), "opts row %zu (%s)", i,
			 rows[i].err ? "bad" : "good");
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(test_row, (void *)&rows[i]);
		tests[i].name = names[i];
	}
	tests[NROWS] = (struct CMUnitTest)cmocka_unit_test(test_reentrant);
	tests[NROWS + 1] = (struct CMUnitTest)cmocka_unit_test(test_number);
	tests[NROWS + 2] = (struct CMUnitTest)cmocka_unit_test(test_programmer);
	tests[NROWS + 3] = (struct CMUnitTest)cmocka_unit_test(test_scripting);
	return _cmocka_run_group_tests("opts", tests, NROWS + 4, NULL, NULL);
}
