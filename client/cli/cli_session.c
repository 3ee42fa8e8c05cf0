/*
 * cli_session: error reporting and exit codes, opening the port, saying
 * HELLO and choosing the rate, detecting the chip.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef _WIN32
#include <sys/ioctl.h>
#endif

#include "core/backup.h"
#include "transport/clock.h"
#include "prog/dev.h"
#include "prog/sketch.h"
#include "core/file.h"
#include "cli/info.h"
#include "transport/link.h"
#include "transport/lock.h"
#include "core/ops.h"
#include "core/ops_chip.h"
#include "cli/opts.h"
#include "transport/ports.h"
#include "prog/ports_probe.h"
#include "cli/progress.h"
#include "core/recheck.h"
#include "cli/region.h"
#include "cli/report.h"
#include "cli/multi.h"
#include "core/resume.h"
#include "core/wstate.h"
#include "prog/spi_linux.h"
#include "prog/spi_serprog.h"
#include "cli/cli.h"

void say(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->o.quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int cerror(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fputs("spiflash: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c) {
		va_start(ap, fmt);
		report_verror(&c->rep, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Map an error of any module to an exit code, printing what went wrong: one
 * line, the text of the object that raised it (ops.msg: the operation under
 * way and its range). */
int fail(struct ctx *c, int err)
{
	const char *dev = c->o.device ? c->o.device : "";
	const char *what = c->ops.msg;
	const char *sep = *what ? " while " : "";

	progress_end(&c->prog);
	if (DEV_IS_REMOTE(err)) {
		int st = DEV_REMOTE_STATUS(err);

		error("%s%s%s (device status %d)", *what ? what : "request", ": ",
		      proto_status_str(st), st);
		if (st == PROTO_E_WEL || st == PROTO_E_TIMEOUT || st == PROTO_E_CHIP)
			return EXIT_CHIP;
		return st == PROTO_E_ARG ? EXIT_ERROR : EXIT_DEVICE;
	}
	switch (err) {
	case SF_E_INTERRUPTED:
		error("stopped by %s%s%s", interrupt_name(interrupt_signal()), sep, what);
		return 128 + interrupt_signal();
	case DEV_E_NOANSWER:
	case DEV_E_TIMEOUT:
		error("'%s' stopped answering%s%s; check the USB cable", dev, sep, what);
		return EXIT_DEVICE;
	case DEV_E_NOISY:
		error("the link to '%s' damages every frame%s%s: check the cable, or try a lower --rate",
		      dev, sep, what);
		return EXIT_DEVICE;
	case DEV_E_LINK:
		if (c->pgm.link_err && *c->pgm.link_err)
			error("serial link to '%s' failed%s%s: %s", dev, sep, what,
			      sf_strerror(*c->pgm.link_err));
		else
			error("serial link to '%s' failed%s%s", dev, sep, what);
		return EXIT_DEVICE;
	case DEV_E_VERSION:
	case DEV_E_BADRESP:
	case DEV_E_ARG:
	case DEV_E_RESET:
	case DEV_E_RATE:
		error("%s from '%s'%s%s", sf_strerror(err), dev, sep, what);
		return EXIT_DEVICE;
	case OPS_E_RANGE:
		error("%s", what);
		return EXIT_USAGE;
	case OPS_E_MISMATCH:
	case OPS_E_NOTBLANK:
		error("%s", what);
		return EXIT_MISMATCH;
	case OPS_E_NOMEM:
		error("%s", *what ? what : "out of memory");
		return EXIT_ERROR;
	case OPS_E_NOCHIP:
		error("%s; 'spiflash doctor' tells why", what);
		fputs("  check, in order:\n"
		      "  1. wiring: MISO and MOSI swapped? CLK on D13, MOSI D11, MISO D12\n"
		      "  2. power: 3.3 V (1.8 V parts: 1.8 V) on VCC (pin 8), GND on pin 4\n"
		      "  3. WP# (pin 3) and HOLD# (pin 7) pulled high: HOLD# low silences the chip\n"
		      "  4. chip select: CS# (pin 1) on D10; the clip seated, pin 1 at the dot\n"
		      "  a part that answers no ID can be named with --chip (see --list-chips)\n",
		      stderr);
		return EXIT_CHIP;
	default:
		if (err <= OPS_E_NOCHIP && err >= OPS_E_STUCK) {
			/* reads that disagree and writes that do not take are
			 * what a loose clip or a marginal wire looks like */
			int wiring = (err == OPS_E_UNSTABLE || err == OPS_E_STUCK) &&
				     !strstr(what, "spiflash doctor");

			error("%s%s", *what ? what : sf_strerror(err),
			      wiring ? "; 'spiflash doctor' checks the wiring and the clock" : "");
			return EXIT_CHIP;
		}
		error("%s", *what ? what : sf_strerror(err));
		return EXIT_ERROR;
	}
}

/* "spiflash, serprog, linux_spi or dummy" */
static void driver_list(char *buf, size_t len)
{
	size_t i, n = 0, o = 0;

	while (prog_drivers[n])
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				      prog_drivers[i]->name);
}

/* The driver -p names (or a spidev path implies), NULL for "find out". */
static int pick_driver(struct ctx *c, const struct prog_driver **drv)
{
	char names[128];

	*drv = NULL;
	if (c->o.programmer) {
		*drv = prog_find(c->o.programmer);
		if (!*drv) {
			driver_list(names, sizeof(names));
			error("unknown programmer '%s': expected %s", c->o.programmer, names);
			return EXIT_USAGE;
		}
	} else if (c->o.device && !strncmp(c->o.device, "/dev/spidev", 11)) {
		*drv = prog_find("linux_spi");
	}
	if (*drv && (*drv)->needs_device && !c->o.device) {
		error("programmer '%s' needs a port: give -d PORT", (*drv)->name);
		return EXIT_USAGE;
	}
	if (*drv && !(*drv)->needs_device && !c->no_port) {
		error("programmer '%s' has no port: leave out -d '%s'", (*drv)->name, c->o.device);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Open the serial port -d names, at the rate the programmers boot at. */
static int port_open(struct ctx *c)
{
	const char *force = getenv("SPIFLASH_FORCE_LIBSERIALPORT");
	unsigned flags = 0;
	int err;

	if (force && *force && strcmp(force, "0"))
		flags |= LINK_FORCE_SERIALPORT;
	err = link_open(&c->link, c->o.device, DEV_BOOT_BAUD, flags);
	switch (err) {
	case LINK_OK:
		break;
	case LINK_E_NOENT:
		error("cannot open '%s': no such port; see 'spiflash ports'", c->o.device);
		return EXIT_DEVICE;
	case LINK_E_NOTTY:
		error("'%s' is not a serial port (%s)", c->o.device, c->link.detail);
		return EXIT_DEVICE;
	default:
		error("cannot open '%s': %s%s", c->o.device, c->link.detail[0] ? c->link.detail :
		      sf_strerror(err), strstr(c->link.detail, "ermission") ?
		      "; add yourself to the 'dialout' group" : "");
		return EXIT_DEVICE;
	}
	c->link_open = 1;
	if (c->o.verbose)
		fprintf(stderr, "spiflash: '%s' opened with %s at %u baud\n", c->o.device,
			c->link.ops->name, (unsigned)DEV_BOOT_BAUD);
	return EXIT_OK;
}

/* While this run talks on the port, nobody else opens it: the lock keeps
 * out another spiflash, TIOCEXCL any other program (flashrom, a terminal)
 * that is not root.  on = 0 at the end. */
void port_exclusive(struct ctx *c, int on)
{
#ifdef TIOCEXCL
	if (c->lock.fd >= 0 && c->link_open)
		ioctl(c->lock.fd, on ? TIOCEXCL : TIOCNXCL);
#else
	(void)c;
	(void)on;
#endif
}

/* Exit code of a programmer that would not open: its own message printed. */
static int open_failed(struct ctx *c, const struct prog_driver *drv, int err)
{
	if (drv->needs_link && strstr(c->pgm.msg, c->o.device) == NULL)
		error("%s on '%s'", c->pgm.msg, c->o.device);
	else
		error("%s", c->pgm.msg);
	return err == DEV_E_ARG && !drv->needs_link ? EXIT_USAGE : EXIT_DEVICE;
}

/*
 * The sketch speaks serprog too: when its HELLOs went unanswered (it was
 * still at another rate after a session that did not end, or busy) and then
 * serprog answered, ask once more for the sketch before settling for
 * host-side sequencing.  A real serprog device ignores the HELLO and is
 * synced again.
 */
static int sketch_after_serprog(struct ctx *c, struct prog_params *pp)
{
	struct prog_params again = *pp;

	prog_close(&c->pgm);
	again.startup_ms = 600;
	if (!prog_open(&c->pgm, &prog_sketch_driver, &again))
		return 0;
	pp->sync_ms = SPI_SERPROG_AUTO_SYNC_MS;
	return prog_open(&c->pgm, &prog_serprog_driver, pp);
}

/* -vvv: one line per request, answer and resend, with the time since the
 * session began, so a lost byte or a slow answer shows where it happened */
static void trace_line(void *arg, const char *line)
{
	struct ctx *c = arg;
	uint64_t ms = clock_ms() - c->trace_t0;

	fprintf(stderr, "spiflash: %4u.%03u %s\n", (unsigned)(ms / 1000), (unsigned)(ms % 1000),
		line);
}

int session_open(struct ctx *c)
{
	const struct prog_driver *drv;
	struct prog_params pp;
	char why[256];
	int rc, err;

	rc = pick_driver(c, &drv);
	if (rc)
		return rc;
	memset(&pp, 0, sizeof(pp));
	pp.device = c->no_port ? "" : c->o.device;
	pp.args = c->o.programmer_args;
	pp.spi_hz = c->o.spi_speed == OPTS_SPI_AUTO ? 0 : c->o.spi_speed;
	pp.rate = c->o.rate;
	if (c->o.verbose >= 3) {
		c->trace_t0 = clock_ms();
		pp.trace = trace_line;
		pp.trace_arg = c;
	}
	if (!c->no_port && lock_take(&c->lock, c->o.device, why, sizeof(why))) {
		error("%s", why);
		return EXIT_DEVICE;
	}
	if (drv && !drv->needs_link) {
		err = prog_open(&c->pgm, drv, &pp);
		if (err)
			return open_failed(c, drv, err);
		c->pgm_open = 1;
		interrupt_guard(&c->pgm, &c->guard);
		c->guard.changed = progress_redraw;
		c->guard.changed_arg = &c->prog;
		return EXIT_OK;
	}
	rc = port_open(c);
	if (rc)
		return rc;
	port_exclusive(c, 1);
	pp.link = &c->link;
	/* the sketch unless -p says otherwise; serprog when no sketch answers */
	err = DEV_E_NOANSWER;
	if (!drv || drv == &prog_sketch_driver) {
		err = prog_open(&c->pgm, &prog_sketch_driver, &pp);
		if (err && (drv || err != DEV_E_NOANSWER))
			return open_failed(c, &prog_sketch_driver, err);
		snprintf(why, sizeof(why), "%s", c->pgm.msg);
	}
	if (err && (!drv || drv == &prog_serprog_driver)) {
		/* after 2.5 s of HELLOs a serprog device has booted too: a short
		 * sync keeps "nothing answers" within a few seconds */
		pp.sync_ms = drv ? SPI_SERPROG_SYNC_MS : SPI_SERPROG_AUTO_SYNC_MS;
		err = prog_open(&c->pgm, &prog_serprog_driver, &pp);
		if (err && drv)
			return open_failed(c, drv, err);
		if (err) {
			error("%s (no serprog programmer answered either)", why);
			return EXIT_DEVICE;
		}
		if (!drv && (err = sketch_after_serprog(c, &pp)) != 0)
			return open_failed(c, &prog_serprog_driver, err);
	}
	c->pgm_open = 1;
	interrupt_guard(&c->pgm, &c->guard);
	c->guard.changed = progress_redraw;
	c->guard.changed_arg = &c->prog;
	if (c->o.verbose) {
		struct prog_desc d;

		prog_describe(&c->pgm, &d);
		fprintf(stderr, "spiflash: %s on '%s' (%s, %u baud)\n", c->pgm.name, c->o.device,
			d.link, (unsigned)d.baud);
	}
	return EXIT_OK;
}

/* The part named by --chip, or NULL; *rc set on a bad name. */
const struct chip *forced_chip(struct ctx *c, int *rc)
{
	const struct chip *f = NULL;

	*rc = EXIT_OK;
	if (c->o.chip) {
		f = chips_find_name(c->o.chip);
		if (!f) {
			error("unknown chip '%s': see 'spiflash --list-chips'", c->o.chip);
			*rc = EXIT_USAGE;
		}
	}
	return f;
}

/* A region that is not there, or a region file of the wrong size, is a
 * usage error; a layout or image that cannot be read, a file error. */
int region_exit(int err)
{
	return err == REGION_E_NONAME || err == REGION_E_SIZE ? EXIT_USAGE : EXIT_ERROR;
}

/* A failure while connecting: a signal there has changed nothing yet. */
static int attach_failed(struct ctx *c, int err)
{
	int rc = fail(c, err);

	if (err == SF_E_INTERRUPTED)
		fputs("spiflash: it stopped while finding the chip: nothing was changed; the same command again starts afresh\n",
		      stderr);
	return rc;
}

/* Connect and detect the chip. */
int attach(struct ctx *c)
{
	struct ops_chip_id id;
	const struct chip *force;
	char why[256];
	int rc, err;

	if (c->pgm_open)          /* the next region of several -i: same session */
		goto region;
	force = forced_chip(c, &rc);
	if (rc)
		return rc;
	rc = session_open(c);
	if (rc)
		return rc;
	if (session_clock_auto(c))
		prog_set_clock(&c->pgm, 100000, NULL);   /* detect at the slowest clock */
	err = ops_detect_chip(&c->ops, force, &id);
	if (err)
		return attach_failed(c, err);
	if (id.note[0])
		say(c, "spiflash: %s\n", id.note);
	if (c->ops.generic)
		say(c, "spiflash: chip %02x %02x %02x (%s) is not in the table: using generic 25xx settings for %u KiB\n",
		    c->ops.jedec[0], c->ops.jedec[1], c->ops.jedec[2],
		    chips_vendor(c->ops.chip.bank, c->ops.jedec[0]), c->ops.chip.size / 1024);
	else if (id.found == OPS_FOUND_SFDP)
		say(c, "spiflash: chip %02x %02x %02x (%s) is not in the table: described by its SFDP, %u KiB\n",
		    c->ops.jedec[0], c->ops.jedec[1], c->ops.jedec[2],
		    chips_vendor(c->ops.chip.bank, c->ops.jedec[0]), c->ops.chip.size / 1024);
	else if (c->o.verbose)
		fprintf(stderr, "spiflash: chip %s (%u KiB)\n", c->ops.chip.name,
			c->ops.chip.size / 1024);
	report_chip(&c->rep, &c->ops);
region:
	err = region_from_chip(&c->o, &c->ops, &c->region, c->ops.msg, sizeof(c->ops.msg));
	if (err)
		return err <= REGION_E_FILE && err >= REGION_E_NOFMAP ?
		       (error("%s", c->ops.msg), region_exit(err)) : attach_failed(c, err);
	err = session_auto_clock(c, why, sizeof(why));
	if (!err)
		err = recheck_init(&c->alive, &c->ops);
	return err ? attach_failed(c, err) : EXIT_OK;
}
