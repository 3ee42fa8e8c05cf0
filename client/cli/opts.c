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

enum {
	OPT_RATE = 256,
	OPT_FLASH_OFFSET,
	OPT_FILE_OFFSET,
	OPT_NO_VERIFY,
	OPT_VERSION,
	OPT_CHIP,
	OPT_LIST_CHIPS,
	OPT_UNPROTECT,
	OPT_ALL,
	OPT_READ_PASSES,
	OPT_BACKUP,
	OPT_NO_BACKUP,
	OPT_SPI_SPEED,
	OPT_JSON,
	OPT_LAYOUT,
	OPT_FMAP,
	OPT_REGION_FILE,
	OPT_PROBE,
	OPT_ERASE_TEST,
};

static const struct option long_opts[] = {
	{ "device",       required_argument, NULL, 'd' },
	{ "file",         required_argument, NULL, 'f' },
	{ "length",       required_argument, NULL, 'l' },
	{ "rate",         required_argument, NULL, OPT_RATE },
	{ "flash-offset", required_argument, NULL, OPT_FLASH_OFFSET },
	{ "file-offset",  required_argument, NULL, OPT_FILE_OFFSET },
	{ "no-verify",    no_argument,       NULL, OPT_NO_VERIFY },
	{ "quiet",        no_argument,       NULL, 'q' },
	{ "verbose",      no_argument,       NULL, 'v' },
	{ "help",         no_argument,       NULL, 'h' },
	{ "version",      no_argument,       NULL, OPT_VERSION },
	{ "chip",         required_argument, NULL, OPT_CHIP },
	{ "list-chips",   no_argument,       NULL, OPT_LIST_CHIPS },
	{ "unprotect",    no_argument,       NULL, OPT_UNPROTECT },
	{ "all",          no_argument,       NULL, OPT_ALL },
	{ "read-passes",  required_argument, NULL, OPT_READ_PASSES },
	{ "backup",       required_argument, NULL, OPT_BACKUP },
	{ "no-backup",    no_argument,       NULL, OPT_NO_BACKUP },
	{ "programmer",   required_argument, NULL, 'p' },
	{ "spi-speed",    required_argument, NULL, OPT_SPI_SPEED },
	{ "json",         no_argument,       NULL, OPT_JSON },
	{ "region",       required_argument, NULL, 'i' },
	{ "include",      required_argument, NULL, 'i' },    /* flashrom's name */
	{ "layout",       required_argument, NULL, OPT_LAYOUT },
	{ "fmap",         no_argument,       NULL, OPT_FMAP },
	{ "region-file",  no_argument,       NULL, OPT_REGION_FILE },
	{ "probe",        no_argument,       NULL, OPT_PROBE },
	{ "erase-test",   required_argument, NULL, OPT_ERASE_TEST },
	{ NULL, 0, NULL, 0 },
};

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
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))
#define CMD_LIST "read, write, verify, erase, blank, info, protect, unprotect or ports"


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

/* An offset or length: at most 4 GiB, as the protocol's addresses are 32-bit. */
static int parse_size(const char *what, const char *arg, uint64_t unit, uint64_t *v,
		      char *err, size_t errlen)
{
	uint64_t n;
	/* a plain number counts in `unit`, a suffixed one in bytes */
	size_t l = strlen(arg);
	int suffixed = l && strchr("kKmM", arg[l - 1]) != NULL;   /* no hex digit */

	if (opts_number(arg, 1, &n))
		return fail(err, errlen, "invalid %s '%s': expected a number (decimal, 0x hex, k or M suffix)",
			    what, arg);
	if (!suffixed) {
		if (n > (UINT64_MAX / unit))
			return fail(err, errlen, "%s '%s' is too large", what, arg);
		n *= unit;
	}
	if (n > 0x100000000ULL)
		return fail(err, errlen, "%s '%s' is too large: at most 4 GiB", what, arg);
	*v = n;
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
	if ((o->layout || o->fmap) && !o->region)
		return fail(err, errlen, "options '--layout' and '--fmap' choose a region: give -i NAME");
	if (o->region_file && !o->region)
		return fail(err, errlen, "option '--region-file' needs -i NAME");
	if (!o->region)
		return OPTS_OK;
	if (!ranged)
		return fail(err, errlen, "command '%s' takes no region", cmd);
	if (!o->layout && !o->fmap)
		return fail(err, errlen, "region '%s' needs --layout FILE or --fmap", o->region);
	if (o->layout && o->fmap)
		return fail(err, errlen, "options '--layout' and '--fmap' conflict: give one");
	if (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_FILE_OFFSET))
		return fail(err, errlen, "region '%s' sets the range: drop -l, --flash-offset and --file-offset",
			    o->region);
	if (o->region_file && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_VERIFY)
		return fail(err, errlen, "option '--region-file' is for 'write' and 'verify'");
	return OPTS_OK;
}

int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen)
{
	const char *cmd = NULL;
	size_t i;
	int c, n;
	uint64_t v;

	memset(o, 0, sizeof(*o));
	if (errlen)
		err[0] = '\0';
	optind = 0;      /* glibc: 0 reinitialises getopt completely */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:f:i:l:p:qvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg)
				return fail(err, errlen, "empty device name");
			if (o->ndevices == OPTS_MAX_DEVICES)
				return fail(err, errlen, "too many devices: at most %u -d", OPTS_MAX_DEVICES);
			o->devices[o->ndevices++] = optarg;
			o->device = o->devices[0];
			break;
		case 'i':
			if (!*optarg)
				return fail(err, errlen, "empty region name");
			o->region = optarg;
			break;
		case OPT_LAYOUT:
			if (!*optarg)
				return fail(err, errlen, "empty layout file name");
			o->layout = optarg;
			break;
		case OPT_JSON: o->json = 1; break;
		case OPT_FMAP: o->fmap = 1; break;
		case OPT_REGION_FILE: o->region_file = 1; break;
		case OPT_PROBE: o->probe = 1; break;
		case 'f':
			if (!*optarg)
				return fail(err, errlen, "empty file name");
			o->file = optarg;
			break;
		case 'l':
			if (parse_size("length", optarg, 1024, &o->length, err, errlen))
				return OPTS_E_USAGE;
			if (o->length == 0)
				return fail(err, errlen, "length '%s' is zero: nothing to do", optarg);
			o->given |= OPTS_HAVE_LENGTH;
			break;
		case OPT_FLASH_OFFSET:
			if (parse_size("flash offset", optarg, 1, &o->flash_offset, err, errlen))
				return OPTS_E_USAGE;
			o->given |= OPTS_HAVE_FLASH_OFFSET;
			break;
		case OPT_FILE_OFFSET:
			if (parse_size("file offset", optarg, 1, &o->file_offset, err, errlen))
				return OPTS_E_USAGE;
			o->given |= OPTS_HAVE_FILE_OFFSET;
			break;
		case OPT_RATE:
			if (opts_number(optarg, 0, &v) || v == 0 || v > 20000000)
				return fail(err, errlen, "invalid rate '%s': expected a baud rate such as 115200",
					    optarg);
			o->rate = (uint32_t)v;
			o->given |= OPTS_HAVE_RATE;
			break;
		case OPT_NO_VERIFY: o->no_verify = 1; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose++; break;
		case 'h': o->help = 1; break;
		case OPT_VERSION: o->version = 1; break;
		case OPT_LIST_CHIPS: o->list_chips = 1; break;
		case OPT_UNPROTECT: o->unprotect = 1; break;
		case OPT_ALL: o->all = 1; break;
		case OPT_CHIP:
			if (!*optarg)
				return fail(err, errlen, "empty chip name: see 'spiflash --list-chips'");
			o->chip = optarg;
			break;
		case OPT_READ_PASSES:
			if (opts_number(optarg, 0, &v) || v > OPTS_READ_PASSES_MAX)
				return fail(err, errlen, "invalid read passes '%s': expected 0 to %u",
					    optarg, OPTS_READ_PASSES_MAX);
			o->read_passes = (unsigned)v;
			o->given |= OPTS_HAVE_READ_PASSES;
			break;
		case OPT_BACKUP:
			if (!*optarg)
				return fail(err, errlen, "empty backup file name");
			o->backup = optarg;
			break;
		case OPT_NO_BACKUP: o->no_backup = 1; break;
		case 'p':
			n = (int)strcspn(optarg, ":");
			if (!n || (size_t)n >= sizeof(o->programmer_name) ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789_") != (size_t)n)
				return fail(err, errlen, "invalid programmer '%s': expected NAME or NAME:ARGS, such as serprog or dummy:chip=W25Q128",
					    optarg);
			memcpy(o->programmer_name, optarg, (size_t)n);
			o->programmer_name[n] = '\0';
			o->programmer = o->programmer_name;
			o->programmer_args = optarg[n] ? optarg + n + 1 : NULL;
			break;
		case OPT_ERASE_TEST:
			if (opts_number(optarg, 1, &o->erase_test_addr))
				return fail(err, errlen, "invalid --erase-test address '%s'", optarg);
			o->erase_test = 1;
			break;
		case OPT_SPI_SPEED:
			if (!strcmp(optarg, "auto"))
				o->spi_speed = OPTS_SPI_AUTO;
			else if (opts_hz(optarg, &o->spi_speed) || !o->spi_speed)
				return fail(err, errlen, "invalid SPI speed '%s': expected Hz such as 8M or 512k",
					    optarg);
			break;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return fail(err, errlen, "unknown option '-%c'", optopt);
			return fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (n = optind; n < argc; n++) {
		if (cmd)
			return fail(err, errlen, "unexpected argument '%s' after command '%s'",
				    argv[n], cmd);
		cmd = argv[n];
	}
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
	if (cmds[i].needs_file && !o->file)
		return fail(err, errlen, "command '%s' needs a file: give -f FILE ('-' for %s)", cmd,
			    o->cmd == OPTS_CMD_READ ? "stdout" : "stdin");
	if (!cmds[i].needs_file && o->file)
		return fail(err, errlen, "command '%s' takes no file", cmd);
	if (o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_VERIFY &&
	    (o->given & OPTS_HAVE_FILE_OFFSET) && o->cmd != OPTS_CMD_READ)
		return fail(err, errlen, "command '%s' takes no --file-offset", cmd);
	if (o->cmd == OPTS_CMD_READ && (o->given & OPTS_HAVE_FILE_OFFSET))
		return fail(err, errlen, "command 'read' takes no --file-offset: it writes a new file");
	if ((o->cmd == OPTS_CMD_INFO || o->cmd == OPTS_CMD_PORTS || o->cmd == OPTS_CMD_UNPROTECT) &&
	    (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET)))
		return fail(err, errlen, "command '%s' takes no range", cmd);
	if (o->cmd == OPTS_CMD_ERASE && (o->given & OPTS_HAVE_FLASH_OFFSET) &&
	    !(o->given & OPTS_HAVE_LENGTH))
		return fail(err, errlen, "command 'erase' with --flash-offset needs -l: refusing to guess how much to erase");
	if (o->erase_test && o->cmd != OPTS_CMD_DOCTOR)
		return fail(err, errlen, "option '--erase-test' is for 'doctor' only");
	if (o->all && o->cmd != OPTS_CMD_PROTECT)
		return fail(err, errlen, "option '--all' is for 'protect' only");
	if (o->cmd == OPTS_CMD_PROTECT) {
		int range = (o->given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET)) != 0;

		if (o->all && range)
			return fail(err, errlen, "command 'protect' takes --all or a range, not both");
		if (!o->all && !(o->given & OPTS_HAVE_LENGTH))
			return fail(err, errlen, "command 'protect' needs --all, or -l (and --flash-offset) for a range");
	}
	if (o->unprotect && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_ERASE)
		return fail(err, errlen, "option '--unprotect' is for 'write' and 'erase' (or use the 'unprotect' command)");
	if ((o->given & OPTS_HAVE_READ_PASSES) && o->cmd != OPTS_CMD_READ &&
	    o->cmd != OPTS_CMD_VERIFY && o->cmd != OPTS_CMD_WRITE)
		return fail(err, errlen, "option '--read-passes' is for 'read', 'verify' and 'write'");
	if ((o->backup || o->no_backup) && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_ERASE)
		return fail(err, errlen, "options '--backup' and '--no-backup' are for 'write' and 'erase'");
	if (o->backup && o->no_backup)
		return fail(err, errlen, "options '--backup' and '--no-backup' conflict");
	if ((o->backup || o->no_backup) && o->cmd != OPTS_CMD_WRITE && o->cmd != OPTS_CMD_ERASE)
		return fail(err, errlen, "options '--backup' and '--no-backup' are for 'write' and 'erase'");
	if (o->backup && o->no_backup)
		return fail(err, errlen, "options '--backup' and '--no-backup' conflict");
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
