/*
 * cli_session: error reporting and exit codes, opening the port, saying
 * HELLO and choosing the rate, detecting the chip.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/backup.h"
#include "transport/clock.h"
#include "prog/dev.h"
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
#include "core/region.h"
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

/* Map an error of any module to an exit code, printing what went wrong. */
int fail(struct ctx *c, int err)
{
	const char *dev = c->o.device ? c->o.device : "";
	const char *what = c->ops.msg;

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
	case DEV_E_NOANSWER:
		error("no answer from '%s': is the spiflash sketch running?%s%s", dev,
		      *what ? " (while " : "", *what ? what : "");
		if (*what)
			fputs(")\n", stderr);
		return EXIT_DEVICE;
	case DEV_E_TIMEOUT:
		error("'%s' stopped answering%s%s; check the USB cable", dev,
		      *what ? " while " : "", what);
		return EXIT_DEVICE;
	case DEV_E_NOISY:
		error("the link to '%s' damages every frame%s%s: check the cable, or try a lower --rate",
		      dev, *what ? " while " : "", what);
		return EXIT_DEVICE;
	case DEV_E_LINK:
		error("serial link to '%s' failed%s%s: %s", dev, *what ? " while " : "", what,
		      link_strerror(c->dev.link_err));
		return EXIT_DEVICE;
	case DEV_E_VERSION:
		error("'%s' speaks protocol %u (oldest %u), this client speaks %u: update the %s",
		      dev, c->dev.hello.proto_version, c->dev.hello.proto_min, PROTO_VERSION,
		      c->dev.hello.proto_min > PROTO_VERSION ? "client" : "sketch");
		return EXIT_DEVICE;
	case DEV_E_BADRESP:
	case DEV_E_ARG:
	case DEV_E_RESET:
		error("%s from '%s'%s%s", dev_strerror(err), dev, *what ? " while " : "", what);
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
		error("%s", what);
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
			error("%s", *what ? what : ops_strerror(err));
			return EXIT_CHIP;
		}
		error("%s", *what ? what : "internal error");
		return EXIT_ERROR;
	}
}

int session_open(struct ctx *c)
{
	unsigned flags = 0;
	const char *force = getenv("SPIFLASH_FORCE_LIBSERIALPORT");
	uint32_t baud = DEV_BOOT_BAUD;     /* the sketch starts there */
	int err;

	if (force && *force && strcmp(force, "0"))
		flags |= LINK_FORCE_SERIALPORT;
	if (lock_take(&c->lock, c->o.device, c->ops.msg, sizeof(c->ops.msg))) {
		error("%s", c->ops.msg);
		return EXIT_DEVICE;
	}
	/* a spidev: no serial link, the host sequences the flash itself */
	if (c->o.programmer == OPTS_PGM_LINUX_SPI ||
	    (c->o.programmer == OPTS_PGM_AUTO && !strncmp(c->o.device, "/dev/spidev", 11))) {
		err = spi_linux_attach(&c->dev, c->o.device, c->o.spi_speed, c->ops.msg,
				       sizeof(c->ops.msg));
		if (err)
			error("%s", c->ops.msg);
		return err ? EXIT_DEVICE : EXIT_OK;
	}
	err = link_open(&c->link, c->o.device, baud, flags);
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
		      link_strerror(err), strstr(c->link.detail, "ermission") ?
		      "; add yourself to the 'dialout' group" : "");
		return EXIT_DEVICE;
	}
	c->link_open = 1;
	if (c->o.verbose)
		fprintf(stderr, "spiflash: '%s' opened with %s at %u baud\n", c->o.device,
			c->link.ops->name, (unsigned)baud);
	/* serprog asked for, or found when no sketch answers (spi_serprog.h) */
	err = c->o.programmer == OPTS_PGM_SERPROG ? DEV_E_NOANSWER :
	      dev_open(&c->dev, &c->link, DEV_STARTUP_MS);
	if (err == DEV_E_NOANSWER && c->o.programmer != OPTS_PGM_SPIFLASH) {
		/* after 2.5 s of HELLOs a serprog device has booted too: a short
		 * sync keeps "nothing answers" within a few seconds */
		err = spi_serprog_attach(&c->dev, &c->link,
					 c->o.programmer == OPTS_PGM_SERPROG ? SPI_SERPROG_SYNC_MS
									    : SPI_SERPROG_AUTO_SYNC_MS,
					 c->o.spi_speed,
					 c->ops.msg, sizeof(c->ops.msg));
		if (err && c->o.programmer == OPTS_PGM_SERPROG) {
			error("%s on '%s'", c->ops.msg, c->o.device);
			return EXIT_DEVICE;
		}
		if (!err) {
			if (c->o.verbose)
				fprintf(stderr, "spiflash: serprog programmer '%s' on '%s', host-side sequencing\n",
					spi_serprog_name(&c->dev), c->o.device);
			return EXIT_OK;
		}
		err = DEV_E_NOANSWER;
	}
	if (err)
		return fail(c, err);
	if (c->o.spi_speed && (err = dev_spi_clock(&c->dev, c->o.spi_speed, NULL)) != 0)
		return fail(c, err);
	/* --rate forces a rate; without it, the fastest that passes its test */
	if (c->o.rate && c->o.rate != c->link.baud) {
		err = dev_set_rate(&c->dev, c->o.rate);
		if (err == DEV_E_RATE) {
			error("'%s' does not work at %u baud (the link test failed); try a lower --rate, or leave it out to choose automatically",
			      c->o.device, (unsigned)c->o.rate);
			return EXIT_DEVICE;
		}
	} else if (!c->o.rate) {
		err = dev_auto_rate(&c->dev, DEV_AUTO_MAX_BAUD);
	}
	if (err)
		return fail(c, err);
	if (c->o.verbose)
		fprintf(stderr, "spiflash: firmware %u.%u.%u on '%s', protocol %u, max payload %u, %u baud\n",
			c->dev.hello.fw_major, c->dev.hello.fw_minor, c->dev.hello.fw_patch,
			c->dev.hello.board, c->dev.version, c->dev.max_payload,
			(unsigned)c->link.baud);
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

/* Connect and detect the chip. */
int attach(struct ctx *c)
{
	struct ops_chip_id id;
	const struct chip *force;
	int rc, err;

	force = forced_chip(c, &rc);
	if (rc)
		return rc;
	rc = session_open(c);
	if (rc)
		return rc;
	err = ops_detect_chip(&c->ops, force, &id);
	if (err)
		return fail(c, err);
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
	err = region_from_chip(&c->o, &c->ops, &c->region, c->ops.msg, sizeof(c->ops.msg));
	if (err)
		return err <= REGION_E_FILE && err >= REGION_E_NOFMAP ?
		       (error("%s", c->ops.msg), region_exit(err)) : fail(c, err);
	err = recheck_init(&c->alive, &c->ops);
	return err ? fail(c, err) : EXIT_OK;
}
