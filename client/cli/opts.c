/*
 * opts: parse the spiflash command line.  Pure: no I/O, no exit, messages go
 * to the caller's buffer.
 */
#include "cli/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which commands need a file and a device. */
static const struct {
	const char *name;
	enum opts_cmd cmd;
	int needs_file;
	int needs_device;
} cmds[] = {
	{ "read",   OPTS_CMD_READ,   1, 1 },
	{ "write",  OPTS_CMD_WRITE,  1, 1 },
	{ "verify", OPTS_CMD_VERIFY, 1, 1 },
	{ "erase",  OPTS_CMD_ERASE,  0, 1 },
	{ "blank",  OPTS_CMD_BLANK,  0, 1 },
	{ "info",   OPTS_CMD_INFO,   0, 1 },
	{ "ports",  OPTS_CMD_PORTS,  0, 0 },
	{ "protect",   OPTS_CMD_PROTECT,   0, 1 },
	{ "unprotect", OPTS_CMD_UNPROTECT, 0, 1 },
	{ "doctor",    OPTS_CMD_DOCTOR,    0, 1 },
	{ "identify",  OPTS_CMD_IDENTIFY,  0, 0 },
	{ "diff",      OPTS_CMD_DIFF,      0, 0 },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))
#define CMD_LIST "read, write, verify, erase, blank, info, protect, unprotect, ports, doctor, identify or diff"


static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return OPTS_E_USAGE;
}

int opts_number(const char *s, int allow_suffix, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (*end && allow_suffix && !end[1]) {
		unsigned shift = 0;

		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		default: return -1;
		}
		if (n > (UINT64_MAX >> shift))
			return -1;
		n <<= shift;
		end++;
	}
	if (*end)
		return -1;
	*v = n;
	return 0;
}

const char *opts_cmd_name(enum opts_cmd c)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].cmd == c)
			return cmds[i].name;
	return "";
}

/* An offset or length, by the one rule of OPTS_UNITS_HELP: 0x hex or a K/M
 * suffix count bytes, a plain decimal counts `unit` bytes; at most 4 GiB,
 * as the protocol's addresses are 32-bit. */
static int parse_size(const char *what, const char *arg, uint64_t unit, uint64_t *v,
		      char *err, size_t errlen)
{
	uint64_t n;
	size_t l = strlen(arg);
	int bytes = (l && strchr("kKmM", arg[l - 1]) != NULL) ||
		    (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X'));

	if (opts_number(arg, 1, &n))
		return fail(err, errlen, "invalid %s '%s': expected a number (decimal, 0x hex, K or M suffix)",
			    what, arg);
	if (!bytes) {
		if (n > (UINT64_MAX / unit))
			return fail(err, errlen, "%s '%s' is too large", what, arg);
		n *= unit;
	}
	if (n > 0x100000000ULL)
		return fail(err, errlen, "%s '%s' is too large: at most 4 GiB", what, arg);
	*v = n;
	return OPTS_OK;
}

/* Several -i: which combinations a run over each region in turn can keep. */
static int check_regions(const struct opts *o, const char *cmd, char *err, size_t errlen)
{
	unsigned i, with_file = 0;

	for (i = 0; i < o->nregions; i++)
		with_file += o->regions[i].file != NULL;
	if (with_file < o->nregions && (o->cmd == OPTS_CMD_READ || o->cmd == OPTS_CMD_WRITE ||
					o->cmd == OPTS_CMD_VERIFY) && !o->file)
		return fail(err, errlen, "command '%s' needs a file for region '%s': give -f FILE or -i %s:FILE",
			    cmd, o->regions[with_file ? 0 : 0].name, o->regions[0].name);
	if (with_file && o->cmd != OPTS_CMD_READ && o->cmd != OPTS_CMD_WRITE &&
	    o->cmd != OPTS_CMD_VERIFY)
		return fail(err, errlen, "command '%s' takes no file: drop ':FILE' from -i", cmd);
	if (o->nregions < 2)
		return OPTS_OK;
	if (o->cmd == OPTS_CMD_READ && with_file && with_file < o->nregions)
		return fail(err, errlen, "give every -i of a read its own file (-i %s:%s.bin), or none (all into -f FILE as one image)",
			    o->regions[0].name, o->regions[0].name);
	if (o->json)
		return fail(err, errlen, "option '--json' prints one object: give one -i");
	if (o->ndevices > 1)
		return fail(err, errlen, "several -d and several -i together: give one of them once");
	return OPTS_OK;
}

/* identify [FILE], diff A B: words, not -f; regions only from --layout. */
static int check_inspect(const struct opts *o, const char *cmd, char *err, size_t errlen)
{
	if (o->cmd == OPTS_CMD_DIFF && o->nargs != 2)
		return fail(err, errlen, "command 'diff' compares two images: give A and B (a file, or 'chip' or '-' for the chip)");
	if (o->cmd == OPTS_CMD_IDENTIFY && o->nargs > 1)
		return fail(err, errlen, "command 'identify' takes one FILE (none: the chip)");
	if (o->region || o->fmap || o->ifd)
		return fail(err, errlen, "command '%s' goes region by region on its own (the descriptor or FMAP it finds, or --layout FILE)",
			    cmd);
	if (o->ndevices > 1)
		return fail(err, errlen, "command '%s' takes one -d", cmd);
	return OPTS_OK;
}

/* Regions, several devices, --json and --probe: which commands take them. */
static int check_scripting(const struct opts *o, const char *cmd, char *err, size_t errlen)
{
	int ranged = o->cmd == OPTS_CMD_READ || o->cmd == OPTS_CMD_WRITE ||
		     o->cmd == OPTS_CMD_VERIFY || o->cmd == OPTS_CMD_ERASE ||
		     o->cmd == OPTS_CMD_BLANK;

	if (o->ndevices > 1 && (o->cmd == OPTS_CMD_READ || o->cmd == OPTS_CMD_PORTS))
		return fail(err, errlen, "command '%s' takes one -d: to read several chips, loop in the shell (see 'man spiflash', EXAMPLES)",
			    cmd);
	if (o->probe && o->cmd != OPTS_CMD_PORTS)
		return fail(err, errlen, "option '--probe' is for 'ports'");
	if (o->json && o->cmd == OPTS_CMD_READ && o->file && !strcmp(o->file, "-"))
		return fail(err, errlen, "options '--json' and '-f -' both use stdout: give 'read' a file name");
	if (o->cmd == OPTS_CMD_DIFF || o->cmd == OPTS_CMD_IDENTIFY)
		return check_inspect(o, cmd, err, errlen);
	if ((o->layout || o->fmap || o->ifd) && !o->region)
		return fail(err, errlen, "options '--layout', '--fmap' and '--ifd' choose a region: give -i NAME");
	if (o->region_file && !o->region)
		return fail(err, errlen, "option '--region-file' needs -i NAME");
	if (!o->region)
		return OPTS_OK;
	if (!ranged)
		return fail(err, errlen, "command '%s' takes no region", cmd);
	if (!o->layout && !o->fmap && !o->ifd)
		return fail(err, errlen, "region '%s' needs --layout FILE, --fmap or --ifd", o->region);
	if (!!o->layout + o->fmap + o->ifd > 1)
		return fail(err, errlen, "options '--layout', '--fmap' and '--ifd' conflict: give one");
	if (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_FILE_OFFSET))
		return fail(err, errlen, "region '%s' sets the range: drop -l, --flash-offset and --file-offset",
			    o->region);
	if (o->region_file && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_VERIFY)
		return fail(err, errlen, "option '--region-file' is for 'write' and 'verify'");
	return check_regions(o, cmd, err, errlen);
}

/* -i NAME or -i NAME:FILE (flashrom's form) */
static int add_region(struct opts *o, const char *arg, char *err, size_t errlen)
{
	size_t n = strcspn(arg, ":");
	struct opts_region *r;

	if (!n)
		return fail(err, errlen, "empty region name in -i '%s'", arg);
	if (n >= sizeof(r->name))
		return fail(err, errlen, "region name '%.*s' is too long", (int)n, arg);
	if (arg[n] == ':' && !arg[n + 1])
		return fail(err, errlen, "empty file name in -i '%s': expected NAME:FILE", arg);
	if (o->nregions == OPTS_MAX_REGIONS)
		return fail(err, errlen, "too many regions: at most %u -i", OPTS_MAX_REGIONS);
	r = &o->regions[o->nregions++];
	memcpy(r->name, arg, n);
	r->name[n] = '\0';
	r->file = arg[n] ? arg + n + 1 : NULL;
	o->region = o->regions[0].name;
	return OPTS_OK;
}

/* -d: the same port twice is one port */
static int add_device(struct opts *o, const char *arg, char *err, size_t errlen)
{
	unsigned i;

	if (!*arg)
		return fail(err, errlen, "empty device name");
	for (i = 0; i < o->ndevices; i++)
		if (!strcmp(o->devices[i], arg))
			return OPTS_OK;
	if (o->ndevices == OPTS_MAX_DEVICES)
		return fail(err, errlen, "too many devices: at most %u -d", OPTS_MAX_DEVICES);
	o->devices[o->ndevices++] = arg;
	o->device = o->devices[0];
	return OPTS_OK;
}

static int set_programmer(struct opts *o, const char *arg, char *err, size_t errlen)
{
	int n = (int)strcspn(arg, ":");

	if (!n || (size_t)n >= sizeof(o->programmer_name) ||
	    strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_") != (size_t)n)
		return fail(err, errlen, "invalid programmer '%s': expected NAME or NAME:ARGS, such as serprog or dummy:chip=W25Q128",
			    arg);
	memcpy(o->programmer_name, arg, (size_t)n);
	o->programmer_name[n] = '\0';
	o->programmer = o->programmer_name;
	o->programmer_args = arg[n] ? arg + n + 1 : NULL;
	return OPTS_OK;
}

static int nonempty(const char **field, const char *arg, const char *what, char *err,
		    size_t errlen)
{
	if (!*arg)
		return fail(err, errlen, "empty %s", what);
	*field = arg;
	return OPTS_OK;
}

/* The options that take a number. */
static int set_number(struct opts *o, int c, const char *arg, char *err, size_t errlen)
{
	uint64_t v;

	switch (c) {
	case 'l':
		if (parse_size("length", arg, 1024, &o->length, err, errlen))
			return OPTS_E_USAGE;
		if (o->length == 0)
			return fail(err, errlen, "length '%s' is zero: nothing to do", arg);
		o->given |= OPTS_HAVE_LENGTH;
		return OPTS_OK;
	case OPT_FLASH_OFFSET:
		o->given |= OPTS_HAVE_FLASH_OFFSET;
		return parse_size("flash offset", arg, 1, &o->flash_offset, err, errlen);
	case OPT_FILE_OFFSET:
		o->given |= OPTS_HAVE_FILE_OFFSET;
		return parse_size("file offset", arg, 1, &o->file_offset, err, errlen);
	case OPT_RATE:
		if (opts_number(arg, 0, &v) || v == 0 || v > 20000000)
			return fail(err, errlen, "invalid rate '%s': expected a baud rate such as 115200",
				    arg);
		o->rate = (uint32_t)v;
		o->given |= OPTS_HAVE_RATE;
		return OPTS_OK;
	case OPT_READ_PASSES:
		if (opts_number(arg, 0, &v) || v > OPTS_READ_PASSES_MAX)
			return fail(err, errlen, "invalid read passes '%s': expected 0 to %u",
				    arg, OPTS_READ_PASSES_MAX);
		o->read_passes = (unsigned)v;
		o->given |= OPTS_HAVE_READ_PASSES;
		return OPTS_OK;
	case OPT_ERASE_TEST:
		o->erase_test = 1;
		return parse_size("erase test address", arg, 1, &o->erase_test_addr, err, errlen);
	case OPT_SPI_SPEED:
		if (!strcmp(arg, "auto")) {
			o->spi_speed = OPTS_SPI_AUTO;
			return OPTS_OK;
		}
		if (opts_hz(arg, &o->spi_speed) || !o->spi_speed)
			return fail(err, errlen, "invalid SPI speed '%s': expected Hz such as 8M or 512k",
				    arg);
		return OPTS_OK;
	case 'v':
		if (!arg) {
			o->verbose++;
		} else if (opts_number(arg, 0, &v) || v > 3) {
			return fail(err, errlen, "invalid verbosity '%s': expected --verbose=0 to 3", arg);
		} else {
			o->verbose = (int)v;
		}
		if (o->verbose > 3)
			o->verbose = 3;
		return OPTS_OK;
	}
	return fail(err, errlen, "internal: option %d", c);
}

/* One option getopt_long returned; `name` is what the user typed. */
static int set_option(struct opts *o, int c, const char *arg, const char *name, char *err,
		      size_t errlen)
{
	switch (c) {
	case 'd': return add_device(o, arg, err, errlen);
	case 'i': return add_region(o, arg, err, errlen);
	case 'p': return set_programmer(o, arg, err, errlen);
	case 'f': return nonempty(&o->file, arg, "file name", err, errlen);
	case 'c': return nonempty(&o->chip, arg, "chip name: see 'spiflash --list-chips'", err, errlen);
	case OPT_LAYOUT: return nonempty(&o->layout, arg, "layout file name", err, errlen);
	case OPT_BACKUP: return nonempty(&o->backup, arg, "backup file name", err, errlen);
	case OPT_JSON: o->json = 1; return OPTS_OK;
	case OPT_FMAP: o->fmap = 1; return OPTS_OK;
	case OPT_IFD: o->ifd = 1; return OPTS_OK;
	case OPT_REGION_FILE: o->region_file = 1; return OPTS_OK;
	case OPT_PROBE: o->probe = 1; return OPTS_OK;
	case OPT_NO_VERIFY: o->no_verify = 1; return OPTS_OK;
	case OPT_NO_BACKUP: o->no_backup = 1; return OPTS_OK;
	case OPT_FORCE: o->force = 1; return OPTS_OK;
	case OPT_PROGRESS: o->progress = 1; return OPTS_OK;
	case OPT_NO_PROGRESS: o->progress = 0; return OPTS_OK;
	case 'q': o->quiet = 1; return OPTS_OK;
	case 'h': o->help = 1; return OPTS_OK;
	case OPT_VERSION: o->version = 1; return OPTS_OK;
	case OPT_LIST_CHIPS: o->list_chips = 1; return OPTS_OK;
	case OPT_UNPROTECT: o->unprotect = 1; return OPTS_OK;
	case OPT_ALL: o->all = 1; return OPTS_OK;
	case ':':
		return fail(err, errlen, "option '%s' needs a value", name);
	case '?':
		return OPTS_E_USAGE;
	default:
		return set_number(o, c, arg, err, errlen);
	}
}

/* getopt's tables from opts_table: long names (and aliases), short letters. */
static void build_getopt(struct option *lo, char *shorts)
{
	unsigned i, n = 0, s = 0;

	shorts[s++] = ':';
	for (i = 0; i < opts_table_len && i < OPTS_TABLE_MAX; i++) {
		const struct opts_def *d = &opts_table[i];
		struct option one = { d->name, d->has_arg, NULL, d->id };

		lo[n++] = one;
		if (d->alias) {
			one.name = d->alias;
			lo[n++] = one;
		}
		if (d->shrt) {
			shorts[s++] = d->shrt;
			if (d->has_arg == required_argument)
				shorts[s++] = ':';
		}
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	shorts[s] = '\0';
}

/* An option getopt did not know: its name as typed, and a hint for flashrom's. */
static int unknown(int optopt_c, const char *typed, char *err, size_t errlen)
{
	const char *hint = optopt_c ? opts_flashrom_hint(optopt_c) : NULL;
	char name[64];

	if (optopt_c)
		snprintf(name, sizeof(name), "-%c", optopt_c);
	else
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(typed, "="), typed);
	if (hint)
		return fail(err, errlen, "unknown option '%s': %s", name, hint);
	return fail(err, errlen, "unknown option '%s'", name);
}

/* Options run through getopt; the command word left in *cmd. */
static int parse_args(int argc, char **argv, struct opts *o, const char **cmd, char *err,
		      size_t errlen)
{
	struct option lo[2 * OPTS_TABLE_MAX + 1];
	char shorts[64];
	int c, n;

	build_getopt(lo, shorts);
	optind = 0;      /* glibc: 0 reinitialises getopt completely */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		/* -vv is two -v (the short letter takes no value) */
		if (c == '?')
			return unknown(optopt, argv[optind - 1], err, errlen);
		if (set_option(o, c, optarg, argv[optind - 1], err, errlen))
			return OPTS_E_USAGE;
	}
	for (n = optind; n < argc; n++) {
		if (*cmd && (strcmp(*cmd, "identify") && strcmp(*cmd, "diff")))
			return fail(err, errlen, "unexpected argument '%s' after command '%s'",
				    argv[n], *cmd);
		if (*cmd && o->nargs == 2)
			return fail(err, errlen, "unexpected argument '%s' after '%s %s %s'", argv[n],
				    *cmd, o->args[0], o->args[1]);
		if (*cmd)
			o->args[o->nargs++] = argv[n];
		else
			*cmd = argv[n];
	}
	return OPTS_OK;
}

/* What each command takes: files, ranges, and the options of one command. */
static int check_command(const struct opts *o, const char *cmd, int needs_file, char *err,
			 size_t errlen)
{
	if (needs_file && !o->file && !o->nregions)
		return fail(err, errlen, "command '%s' needs a file: give -f FILE ('-' for %s)", cmd,
			    o->cmd == OPTS_CMD_READ ? "stdout" : "stdin");
	if (!needs_file && o->file)
		return fail(err, errlen, "command '%s' takes no file", cmd);
	if (o->cmd == OPTS_CMD_READ && (o->given & OPTS_HAVE_FILE_OFFSET))
		return fail(err, errlen, "command 'read' takes no --file-offset: it writes a new file");
	if (o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_VERIFY &&
	    (o->given & OPTS_HAVE_FILE_OFFSET))
		return fail(err, errlen, "command '%s' takes no --file-offset", cmd);
	if ((o->cmd == OPTS_CMD_INFO || o->cmd == OPTS_CMD_PORTS || o->cmd == OPTS_CMD_UNPROTECT) &&
	    (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET)))
		return fail(err, errlen, "command '%s' takes no range", cmd);
	if (o->cmd == OPTS_CMD_ERASE && (o->given & OPTS_HAVE_FLASH_OFFSET) &&
	    !(o->given & OPTS_HAVE_LENGTH))
		return fail(err, errlen, "command 'erase' with --flash-offset needs -l: refusing to guess how much to erase");
	if (o->all && o->cmd != OPTS_CMD_PROTECT)
		return fail(err, errlen, "option '--all' is for 'protect' only");
	if (o->cmd == OPTS_CMD_PROTECT && o->all && (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET)))
		return fail(err, errlen, "command 'protect' takes --all or a range, not both");
	if (o->cmd == OPTS_CMD_PROTECT && !o->all && !(o->given & OPTS_HAVE_LENGTH))
		return fail(err, errlen, "command 'protect' needs --all, or -l (and --flash-offset) for a range");
	if (o->unprotect && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_ERASE)
		return fail(err, errlen, "option '--unprotect' is for 'write' and 'erase' (or use the 'unprotect' command)");
	if ((o->given & OPTS_HAVE_READ_PASSES) && o->cmd != OPTS_CMD_READ &&
	    o->cmd != OPTS_CMD_VERIFY && o->cmd != OPTS_CMD_WRITE)
		return fail(err, errlen, "option '--read-passes' is for 'read', 'verify' and 'write'");
	if ((o->backup || o->no_backup) && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_ERASE)
		return fail(err, errlen, "options '--backup' and '--no-backup' are for 'write' and 'erase'");
	if (o->backup && o->no_backup)
		return fail(err, errlen, "options '--backup' and '--no-backup' conflict");
	if (o->erase_test && o->cmd != OPTS_CMD_DOCTOR)
		return fail(err, errlen, "option '--erase-test' is for 'doctor' only");
	if (o->force && o->cmd != OPTS_CMD_READ)
		return fail(err, errlen, "option '--force' is for 'read' (replacing a dump)");
	return OPTS_OK;
}

int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen)
{
	const char *cmd = NULL;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->progress = -1;
	if (errlen)
		err[0] = '\0';
	if (parse_args(argc, argv, o, &cmd, err, errlen))
		return OPTS_E_USAGE;
	if (o->quiet && o->verbose)
		return fail(err, errlen, "options '--quiet' and '--verbose' conflict");
	if (o->help || o->version || o->list_chips)
		return OPTS_OK;
	if (!cmd)
		return fail(err, errlen, "no command given: expected " CMD_LIST);
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmd, cmds[i].name))
			break;
	if (i == NCMDS)
		return fail(err, errlen, "unknown command '%s': expected " CMD_LIST, cmd);
	o->cmd = cmds[i].cmd;
	o->cmd_name = cmds[i].name;
	/* needs_device without -d: main takes the one programmer attached, or
	 * lists the candidates (a pure parser cannot look) */
	if (check_command(o, cmd, cmds[i].needs_file, err, errlen))
		return OPTS_E_USAGE;
	return check_scripting(o, cmd, err, errlen);
}

int opts_hz(const char *s, uint32_t *hz)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > 1000000000u)
			return -1;
	}
	if (p == s)
		return -1;
	if (*p == 'k' || *p == 'K')
		mul = 1000;
	else if (*p == 'M')
		mul = 1000000;
	if (mul > 1)
		p++;
	if (*p || v * mul > 1000000000u)
		return -1;
	*hz = (uint32_t)(v * mul);
	return 0;
}
