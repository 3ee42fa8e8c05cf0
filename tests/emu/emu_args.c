/*
 * emu_args: spiflash-emu's options.  Each long option is a row of a table
 * that says what it sets and whether it takes a value; -v, -vv, --help and
 * the firmware path are handled before the table is looked at.
 */
#include "emu_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char emu_usage[] =
	"usage: spiflash-emu [options] FIRMWARE.elf\n"
	"  --chip NAME        flash personality (default W25Q128)\n"
	"  --image FILE       chip contents; created erased if missing\n"
	"  --realtime         simulated time never runs ahead of the wall clock\n"
	"  --turbo            never wait: an idle AVR fast-forwards (default: busy\n"
	"                     runs flat out, idle keeps to the wall clock)\n"
	"  --latency-ms N     delay each direction of the serial link by N ms\n"
	"  --bridge B         USB-serial chip: none (default), ftdi[:MS] (62-byte\n"
	"                     packets, MS ms latency timer, default 16), 16u2, ch340\n"
	"  --max-times        chip busy for datasheet maximum times\n"
	"  --baud N           baud hint (the UART rate comes from UBRR)\n"
	"  --no-baud-check    pass bytes whatever rate the host set on the pty\n"
	"                     (default: garbled when >3 % off the AVR's rate)\n"
	"  --link PATH        also make PATH a symlink to the pty\n"
	"  --replug[=MS]      after an unplug, a new pty MS ms later (default 300),\n"
	"                     its path printed on stdout as a new line\n"
	"  --fault SPEC       seeded link faults, e.g. seed=7,flip=100,drop=50,\n"
	"                     dup=50,stall=10,stall-ms=200,dir=to|from|both (ppm),\n"
	"                     unplug-after=BYTES,reset-after=BYTES (both ways)\n"
	"  --chip-fault SPEC  chip faults: stuck=ADDR:MASK (bits that stay 1, up to 8),\n"
	"                     slow-erase[=FACTOR] (busy FACTOR x the maximum, 10),\n"
	"                     miso-stuck-after=N[:VAL] (after N SPI bytes MISO reads\n"
	"                     VAL, default FF), protect-after=N (after N programs/\n"
	"                     erases every BP bit is set); the stats line counts them\n"
	"  --wiring SPEC      miso-float,swap,hold-low,wp-low,marginal=HZ[:PPM]\n"
	"  --vcc MV[,sag=MV][,weak=MV]  the chip's VCC on A0 (emu_wiring.h)\n"
	"  --trace-frames     on stderr, each frame's first and last byte in simulated\n"
	"                     microseconds, both ways: where the time of a command goes\n"
	"  -v                 verbose (twice: simavr warnings, three: traces)\n"
	"  --help\n"
	"prints the pty path as the first line of stdout; SIGUSR1 prints\n"
	"statistics, SIGUSR2 resets the AVR, SIGHUP unplugs the serial adapter,\n"
	"SIGINT/SIGTERM stop\n";

enum opt_kind {
	OPT_FLAG,            /* int set to 1; "=VALUE" is refused */
	OPT_STR,             /* const char *: the value as given */
	OPT_U32,             /* uint32_t: a decimal number */
	OPT_REPLUG,          /* --replug: a flag with an optional "=MS" */
};

static const struct opt_def {
	const char *name;
	enum opt_kind kind;
	size_t off;          /* of the field in struct emu_opts */
} opt_defs[] = {
	{ "--replug", OPT_REPLUG, offsetof(struct emu_opts, replug_ms) },
	{ "--realtime", OPT_FLAG, offsetof(struct emu_opts, realtime) },
	{ "--turbo", OPT_FLAG, offsetof(struct emu_opts, turbo) },
	{ "--max-times", OPT_FLAG, offsetof(struct emu_opts, max_times) },
	{ "--trace-frames", OPT_FLAG, offsetof(struct emu_opts, trace_frames) },
	{ "--no-baud-check", OPT_FLAG, offsetof(struct emu_opts, no_baud_check) },
	{ "--chip", OPT_STR, offsetof(struct emu_opts, chip) },
	{ "--image", OPT_STR, offsetof(struct emu_opts, image) },
	{ "--link", OPT_STR, offsetof(struct emu_opts, link) },
	{ "--fault", OPT_STR, offsetof(struct emu_opts, fault) },
	{ "--chip-fault", OPT_STR, offsetof(struct emu_opts, chip_fault) },
	{ "--bridge", OPT_STR, offsetof(struct emu_opts, usb) },
	{ "--wiring", OPT_STR, offsetof(struct emu_opts, wiring) },
	{ "--vcc", OPT_STR, offsetof(struct emu_opts, vcc) },
	{ "--latency-ms", OPT_U32, offsetof(struct emu_opts, latency_ms) },
	{ "--baud", OPT_U32, offsetof(struct emu_opts, baud) },
};

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* The message into err; returns -1. */
__attribute__((format(printf, 3, 4)))
static int arg_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The row for the n characters of name (no NUL there), or NULL. */
static const struct opt_def *find_opt(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(opt_defs) / sizeof(opt_defs[0]); i++)
		if (strlen(opt_defs[i].name) == n && !memcmp(opt_defs[i].name, name, n))
			return &opt_defs[i];
	return NULL;
}

/*
 * The long option argv[*i], "--NAME" or "--NAME=VALUE"; a value that is
 * not after '=' is the next argument (*i moves on to it).  0, or -1.
 */
static int parse_option(int argc, char **argv, int *i, struct emu_opts *o,
			char *err, size_t errlen)
{
	const char *a = argv[*i], *eq = strchr(a, '='), *val;
	const struct opt_def *d = find_opt(a, eq ? (size_t)(eq - a) : strlen(a));
	char *field;

	if (!d)
		return arg_error(err, errlen, "unknown option '%s'", a);
	field = (char *)o + d->off;
	if (d->kind == OPT_REPLUG) {
		o->replug = 1;
		if (eq && parse_u32(eq + 1, (uint32_t *)field))
			return arg_error(err, errlen,
					 "option '--replug' wants a number, not '%s'", eq + 1);
		return 0;
	}
	if (d->kind == OPT_FLAG) {
		if (eq)
			return arg_error(err, errlen, "option '%s' takes no value", d->name);
		*(int *)field = 1;
		return 0;
	}
	if (eq)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return arg_error(err, errlen, "option '%s' needs a value", d->name);
	if (d->kind == OPT_STR)
		*(const char **)field = val;
	else if (parse_u32(val, (uint32_t *)field))
		return arg_error(err, errlen, "option '%s' wants a number, not '%s'",
				 d->name, val);
	return 0;
}

int emu_parse_args(int argc, char **argv, struct emu_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->chip = "W25Q128";
	o->replug_ms = EMU_REPLUG_MS_DEFAULT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			o->verbose++;
		} else if (strcmp(a, "-vv") == 0) {
			o->verbose += 2;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			return 1;
		} else if (a[0] != '-' || strcmp(a, "-") == 0) {
			if (o->firmware)
				return arg_error(err, errlen, "more than one firmware: '%s' and '%s'",
						 o->firmware, a);
			o->firmware = a;
		} else if (parse_option(argc, argv, &i, o, err, errlen) < 0) {
			return -1;
		}
	}
	if (!o->firmware)
		return arg_error(err, errlen, "no firmware given");
	if (o->realtime && o->turbo)
		return arg_error(err, errlen, "--realtime and --turbo exclude each other");
	o->pace = o->realtime ? EMU_PACE_REALTIME : o->turbo ? EMU_PACE_TURBO : EMU_PACE_IDLE;
	return 0;
}
