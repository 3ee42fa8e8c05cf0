/*
 * libFuzzer harness for the option parser (client/cli/opts.c: opts_parse):
 * the input, split at NUL bytes, is argv (at most 40 arguments; argv[0]
 * is "spiflash").  Beyond "no crash, no read past a string", it checks what
 * main() relies on: a success names a known command (or help/version/
 * list-chips), every pointer in the result points into argv, the error
 * message is a terminated, non-empty, lowercase-first string on failure and
 * empty on success, and a second parse of the same argv gives the same
 * answer (opts_parse resets getopt: it must be reentrant).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define MAX_ARGS 40

/* A pointer in the result must be NULL or one of the argument strings
 * (getopt hands out argv[i] or a suffix of it, as in "-fx" or "--f=x"). */
static int in_args(const char *p, char *const *args, int n, const size_t *lens)
{
	int i;

	if (!p)
		return 1;
	for (i = 0; i < n; i++)
		if (p >= args[i] && p <= args[i] + lens[i])
			return 1;
	return 0;
}

static int split(const uint8_t *data, size_t size, char *store, char **argv, char **args,
		 size_t *lens)
{
	int argc = 1, n = 0;
	size_t i, start = 0;

	memcpy(store, data, size);
	store[size] = '\0';
	argv[0] = (char *)"spiflash";
	for (i = 0; i <= size && argc < MAX_ARGS; i++) {
		if (i == size || store[i] == '\0') {
			args[n] = store + start;
			lens[n] = i - start;
			argv[argc++] = store + start;
			n++;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *store, *argv[MAX_ARGS + 1], *argv2[MAX_ARGS + 1], *args[MAX_ARGS];
	size_t lens[MAX_ARGS];
	struct opts o, o2;
	char err[256], err2[256];
	int argc, r, r2, nargs;

	if (size > 4096)
		return 0;
	store = malloc(size + 1);
	if (!store)
		return 0;
	argc = split(data, size, store, argv, args, lens);
	nargs = argc - 1;
	memcpy(argv2, argv, sizeof(argv));

	memset(err, 'x', sizeof(err));
	r = opts_parse(argc, argv, &o, err, sizeof(err));
	CHECK(r == OPTS_OK || r == OPTS_E_USAGE);
	CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	if (r == OPTS_OK) {
		CHECK(err[0] == '\0');
		/* --help, --version and --list-chips succeed before the
		 * command's checks (documented): the rest holds for commands */
		if (!o.help && !o.version && !o.list_chips) {
			CHECK(o.cmd > OPTS_CMD_NONE && o.cmd <= OPTS_CMD_DIFF);
			CHECK(o.cmd_name && !strcmp(o.cmd_name, opts_cmd_name(o.cmd)));
			CHECK(!(o.backup && o.no_backup));
			CHECK(!o.backup || o.cmd == OPTS_CMD_WRITE || o.cmd == OPTS_CMD_ERASE);
		}
		CHECK(!(o.quiet && o.verbose));
		CHECK(o.read_passes <= OPTS_READ_PASSES_MAX);
		CHECK(o.length <= 0x100000000ULL && o.flash_offset <= 0x100000000ULL &&
		      o.file_offset <= 0x100000000ULL);
		CHECK(!(o.given & OPTS_HAVE_LENGTH) || o.length > 0);
		CHECK(in_args(o.device, args, nargs, lens) && in_args(o.file, args, nargs, lens));
		CHECK(in_args(o.chip, args, nargs, lens) && in_args(o.backup, args, nargs, lens));
		CHECK(!o.device || *o.device);
		CHECK(!o.file || *o.file);
	} else {
		CHECK(err[0] != '\0');
		CHECK(!(err[0] >= 'A' && err[0] <= 'Z'));
	}

	/* reentrant: the same argv (before getopt permuted it) parses the same */
	r2 = opts_parse(argc, argv2, &o2, err2, sizeof(err2));
	CHECK(r2 == r);
	CHECK(!strcmp(err, err2));
	if (r == OPTS_OK) {
		CHECK(o2.cmd == o.cmd && o2.length == o.length && o2.flash_offset == o.flash_offset &&
		      o2.file_offset == o.file_offset && o2.rate == o.rate && o2.given == o.given &&
		      o2.verbose == o.verbose && o2.no_backup == o.no_backup);
	}
	free(store);
	return 0;
}
