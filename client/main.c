/*
 * spiflash: command-line client of the spiflash SPI NOR programmer.
 * The only place that prints errors and turns them into exit codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "clock.h"
#include "dev.h"
#include "file.h"
#include "info.h"
#include "link.h"
#include "lock.h"
#include "ops.h"
#include "ops_chip.h"
#include "opts.h"
#include "ports.h"
#include "ports_probe.h"
#include "progress.h"
#include "recheck.h"
#include "region.h"
#include "report.h"
#include "multi.h"
#include "resume.h"
#include "wstate.h"
#include "spi_linux.h"
#include "spi_serprog.h"

#define SPIFLASH_VERSION "0.1.0"

enum exit_code {
	EXIT_OK = 0,
	EXIT_ERROR = 1,      /* file/IO or other error */
	EXIT_USAGE = 2,
	EXIT_DEVICE = 3,     /* cannot open port, no answer, not a spiflash device */
	EXIT_CHIP = 4,       /* no chip, unknown chip, protected, busy timeout */
	EXIT_MISMATCH = 5,   /* verify mismatch, not blank */
};


struct ctx {
	struct opts o;
	struct link link;
	struct dev dev;
	struct ops ops;
	struct progress prog;
	struct lock lock;
	struct recheck alive;      /* the JEDEC ID at attach, compared at the end */
	int link_open;
	struct report rep;         /* for --json (report.h) */
	struct region region;      /* -i NAME (region.h) */
	char picked[256];          /* the device found when -d was left out */
};


static void say(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->o.quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Print an error, and keep the first one for --json.  Every caller has its
 * struct ctx *c in scope (NULL before it exists): the macro passes it. */
static int cerror(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cerror(struct ctx *c, const char *fmt, ...)
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
#define error(...) cerror(c, __VA_ARGS__)

/* Map an error of any module to an exit code, printing what went wrong. */
static int fail(struct ctx *c, int err)
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

static int session_open(struct ctx *c)
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
		err = spi_serprog_attach(&c->dev, &c->link, SPI_SERPROG_SYNC_MS, c->o.spi_speed,
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
static const struct chip *forced_chip(struct ctx *c, int *rc)
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
static int region_exit(int err)
{
	return err == REGION_E_NONAME || err == REGION_E_SIZE ? EXIT_USAGE : EXIT_ERROR;
}

/* Connect and detect the chip. */
static int attach(struct ctx *c)
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

/* After a command that trusted what the chip said: is it still answering? */
static int still_there(struct ctx *c, const char *what)
{
	int err = recheck_chip(&c->alive, &c->ops, what);

	return err ? fail(c, err) : EXIT_OK;
}

/*
 * Before a write or erase changes a byte: can this programmer write the
 * part, and is [addr, addr + len) free of block protection?  With
 * --unprotect, protection in the way is cleared (and stays off); without
 * it, the command stops here with exit 4.
 */
static int may_write(struct ctx *c, uint32_t addr, uint32_t len)
{
	struct wp_state st;
	uint8_t sr[3];
	unsigned have;
	char was[96];
	int err, changed;

	if (c->ops.chip.flags & CHIP_F_NO_4K) {
		error("writing %s is not supported: it has no uniform 4 KiB erase, and this programmer writes in 4 KiB sectors; 'read' and a whole-chip 'erase' work, or use flashrom",
		      c->ops.chip.name);
		return EXIT_CHIP;
	}
	err = ops_check_writable_range(&c->ops, addr, len);
	if (err != OPS_E_PROTECTED || !c->o.unprotect)
		return err ? fail(c, err) : EXIT_OK;
	err = ops_wp_read(&c->ops, sr, &have, &st);
	if (err)
		return fail(c, err);
	wp_range_text(was, sizeof(was), &c->ops.chip, &st);
	err = ops_unprotect(&c->ops, &changed);
	if (err)
		return fail(c, err);
	say(c, "spiflash: cleared the write protection of %s (was: %s); it stays off\n",
	    c->ops.chip.name, was);
	err = ops_check_writable_range(&c->ops, addr, len);
	return err ? fail(c, err) : EXIT_OK;
}

/* Before a write or an erase changes a sector: its old bytes to a file. */
static int save_old(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len,
		    struct backup *b)
{
	char msg[1400];
	int err;

	memset(b, 0, sizeof(*b));
	if (c->o.no_backup)
		return EXIT_OK;
	err = backup_save(&c->ops, c->o.backup, NULL, addr, want, len, b, msg, sizeof(msg));
	if (err)
		return err == BACKUP_E_FILE ? (error("%s", msg), EXIT_ERROR) : fail(c, err);
	snprintf(c->rep.backup, sizeof(c->rep.backup), "%s", b->path);
	if (backup_note(b, c->o.device, msg, sizeof(msg)))
		say(c, "spiflash: %s\n", msg);
	return EXIT_OK;
}

/*
 * Write want (NULL: erase) to [addr, addr + len): the old bytes saved first
 * and journaled, and bytes around the range that an unfinished run left
 * erased put back from its backup (resume.h).
 */
static int change(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len)
{
	struct resume r;
	struct backup b;
	int err, rc;

	resume_init(&r, NULL, c->alive.id);
	err = resume_plan(&r, &c->ops, addr, want, len);
	if (err)
		return fail(c, err);
	if (r.restored) {
		say(c, "spiflash: putting back %u bytes around the range that an unfinished run left erased, from '%s'\n",
		    r.restored, r.from);
		addr = r.lo;
		len = r.hi - r.lo;
		want = r.want;
	}
	rc = save_old(c, addr, want, len, &b);
	if (rc)
		goto out;
	if (b.len)
		resume_add(&r, b.addr, b.addr + b.len, b.path);
	if (c->o.no_backup) {
		/* the bytes around the range are not the user's to lose */
		char msg[1400];

		err = resume_guard(&r, &c->ops, addr, want, len, msg, sizeof(msg));
		if (err) {
			rc = err == BACKUP_E_FILE ? (error("%s", msg), EXIT_ERROR) : fail(c, err);
			goto out;
		}
	}
	err = want ? ops_write(&c->ops, addr, want, len, !c->o.no_verify) :
		     ops_erase(&c->ops, addr, len, !c->o.no_verify);
	if (err) {
		char st[512];

		rc = fail(c, err);
		/* a device that still answers can say where the range stands */
		if (err != DEV_E_LINK && err != DEV_E_TIMEOUT && err != DEV_E_NOANSWER &&
		    err != DEV_E_NOISY && !wstate_describe(&c->ops, addr, want, len,
							  b.len ? b.path : NULL, b.addr, b.len,
							  st, sizeof(st)) && st[0])
			fprintf(stderr, "spiflash: state of 0x%06x-0x%06x: %s\n", addr,
				addr + len - 1, st);
		if (b.len)
			fprintf(stderr, "spiflash: the old bytes of 0x%06x-0x%06x are in '%s'; the same command again finishes the job%s\n",
				b.addr, b.addr + b.len - 1, b.path,
				r.journal[0] ? " and puts back any byte around the range left erased" : "");
		goto out;
	}
	resume_done(&r, addr, addr + len);
	rc = EXIT_OK;
out:
	resume_free(&r);
	return rc;
}

/* The chip range of the command: --flash-offset and -l, or the rest of the chip. */
static int chip_range(struct ctx *c, uint32_t *addr, uint32_t *len)
{
	uint64_t a = c->o.flash_offset;
	uint64_t l = (c->o.given & OPTS_HAVE_LENGTH) ? c->o.length :
		     (a < c->ops.chip.size ? c->ops.chip.size - a : 0);
	int err;

	if (a >= c->ops.chip.size)
		l = 1;   /* let the range check name the offset */
	err = ops_check_range(&c->ops, a, l);
	if (err)
		return fail(c, err);
	*addr = (uint32_t)a;
	*len = (uint32_t)l;
	report_range(&c->rep, *addr, *len);
	return EXIT_OK;
}

static void stats_line(struct ctx *c, const char *what, uint32_t addr, uint32_t len)
{
	const struct ops_stats *s = &c->ops.stats;

	say(c, "%s 0x%06x-0x%06x (%u bytes): %u sectors unchanged, %u programmed without erase, erased %u x 4K %u x 32K %u x 64K, %u pages programmed\n",
	    what, addr, addr + len - 1, len, s->sectors_skipped, s->sectors_program_only,
	    s->erases_4k, s->erases_32k, s->erases_64k, s->pages_programmed);
}

static int cmd_read(struct ctx *c)
{
	struct file_out out;
	uint8_t *buf = NULL;
	uint32_t addr, len;
	char msg[512];
	int rc, err;

	if (file_out_begin(&out, c->o.file, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	rc = attach(c);
	if (rc)
		goto out;
	rc = chip_range(c, &addr, &len);
	if (rc)
		goto out;
	buf = malloc(len);
	if (!buf) {
		rc = fail(c, OPS_E_NOMEM);
		goto out;
	}
	err = ops_read(&c->ops, addr, buf, len);
	if (err) {
		rc = fail(c, err);
		goto out;
	}
	rc = still_there(c, "read");
	if (rc)
		goto out;
	if (file_out_commit(&out, buf, len, msg, sizeof(msg))) {
		error("%s", msg);
		rc = EXIT_ERROR;
		goto out;
	}
	say(c, "read 0x%06x-0x%06x (%u bytes) of %s\n", addr, addr + len - 1, len,
	    c->ops.chip.name);
	rc = EXIT_OK;
out:
	file_out_abort(&out);
	free(buf);
	return rc;
}

/* Load the file range and the matching chip range for write and verify. */
static int load_image(struct ctx *c, uint8_t **buf, uint32_t *len)
{
	char msg[512];

	if (file_load(c->o.file, c->o.file_offset, c->o.length,
		      !!(c->o.given & OPTS_HAVE_LENGTH), buf, len, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	if (*len == 0) {
		error("'%s' is empty: nothing to do", c->o.file);
		free(*buf);
		*buf = NULL;
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int cmd_write_or_verify(struct ctx *c, int write)
{
	uint8_t *buf = NULL;
	uint32_t len;
	int rc, err;

	/* the file first: a bad file must not cost a connection, let alone a byte */
	rc = load_image(c, &buf, &len);
	if (rc)
		return rc;
	rc = attach(c);
	if (rc)
		goto out;
	if (!(c->o.given & (OPTS_HAVE_LENGTH | OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_FILE_OFFSET)) &&
	    len != c->ops.chip.size) {
		/* a whole-image command: a size mismatch is most likely the
		 * wrong image or the wrong chip */
		if (len > c->ops.chip.size) {
			error("'%s' is %u KiB but the %s holds %u KiB: wrong image or wrong chip? nothing was %s",
			      c->o.file, len / 1024, c->ops.chip.name, c->ops.chip.size / 1024,
			      write ? "written" : "compared");
			rc = EXIT_USAGE;
			goto out;
		}
		say(c, "spiflash: warning: '%s' is %u KiB, the %s holds %u KiB: %s the first %u KiB only\n",
		    c->o.file, len / 1024, c->ops.chip.name, c->ops.chip.size / 1024,
		    write ? "writing" : "comparing", len / 1024);
	}
	err = ops_check_range(&c->ops, c->o.flash_offset, len);
	if (err) {
		rc = fail(c, err);
		goto out;
	}
	report_range(&c->rep, (uint32_t)c->o.flash_offset, len);
	if (write) {
		rc = may_write(c, (uint32_t)c->o.flash_offset, len);
		if (rc)
			goto out;
	}
	if (write) {
		rc = change(c, (uint32_t)c->o.flash_offset, buf, len);
		if (rc)
			goto out;
	} else {
		err = ops_verify(&c->ops, (uint32_t)c->o.flash_offset, buf, len);
		if (err) {
			rc = fail(c, err);
			goto out;
		}
	}
	rc = still_there(c, write ? "write" : "verify");
	if (rc)
		goto out;
	if (write && (c->o.verbose || c->o.no_verify))
		stats_line(c, "wrote", (uint32_t)c->o.flash_offset, len);
	if (!write || !c->o.no_verify)
		say(c, "VERIFIED\n");
	rc = EXIT_OK;
out:
	free(buf);
	return rc;
}

static int cmd_write(struct ctx *c)
{
	return cmd_write_or_verify(c, 1);
}

static int cmd_verify(struct ctx *c)
{
	return cmd_write_or_verify(c, 0);
}

static int cmd_erase(struct ctx *c)
{
	uint32_t addr, len;
	int rc, err;

	rc = attach(c);
	if (rc)
		return rc;
	if (!(c->o.given & OPTS_HAVE_LENGTH)) {
		if (!(c->ops.chip.flags & CHIP_F_NO_4K) || c->o.unprotect) {
			rc = may_write(c, 0, c->ops.chip.size);
			if (rc && !(c->ops.chip.flags & CHIP_F_NO_4K))
				return rc;
		}
		struct backup b;

		rc = save_old(c, 0, NULL, c->ops.chip.size, &b);
		if (rc)
			return rc;
		err = ops_erase_chip(&c->ops, !c->o.no_verify);
		if (err)
			return fail(c, err);
		rc = still_there(c, "erase");
		if (rc)
			return rc;
		say(c, "erased the whole chip %s%s\n", c->ops.chip.name,
		    c->o.no_verify ? "" : " (blank checked)");
		return EXIT_OK;
	}
	rc = chip_range(c, &addr, &len);
	if (rc)
		return rc;
	rc = may_write(c, addr, len);
	if (rc)
		return rc;
	rc = change(c, addr, NULL, len);
	if (rc)
		return rc;
	rc = still_there(c, "erase");
	if (rc)
		return rc;
	if (c->o.verbose)
		stats_line(c, "erased", addr, len);
	say(c, "erased 0x%06x-0x%06x (%u bytes)\n", addr, addr + len - 1, len);
	return EXIT_OK;
}

static int cmd_blank(struct ctx *c)
{
	uint32_t addr, len;
	int rc, err;

	rc = attach(c);
	if (rc)
		return rc;
	rc = chip_range(c, &addr, &len);
	if (rc)
		return rc;
	err = ops_blank(&c->ops, addr, len);
	if (err)
		return fail(c, err);
	rc = still_there(c, "blank check");
	if (rc)
		return rc;
	say(c, "blank 0x%06x-0x%06x\n", addr, addr + len - 1);
	return EXIT_OK;
}

/* report_info's way to main's mapping of errors to exit codes */
static int fail_cb(void *arg, int err)
{
	return fail(arg, err);
}

static int cmd_info(struct ctx *c)
{
	const struct chip *force;
	const char *backend;
	int rc, err;

	force = forced_chip(c, &rc);
	if (rc)
		return rc;
	rc = session_open(c);
	if (rc)
		return rc;
	/* the path in use: the sketch over a link back end, or a raw SPI master */
	backend = !c->dev.spi ? c->link.ops->name : c->link_open ?
		  "serprog, host-side sequencing" : "linux_spi, host-side sequencing";
	if (c->o.json)
		return report_info(stdout, &c->rep, &c->ops, force, backend,
				   c->link_open ? c->link.baud : 0, fail_cb, c);
	err = info_print(stdout, &c->ops, force, c->o.device, backend,
			 c->link_open ? c->link.baud : 0);
	return err ? fail(c, err) : EXIT_OK;
}

static int cmd_protect(struct ctx *c)
{
	uint32_t addr = 0, len;
	int rc, err;

	rc = attach(c);
	if (rc)
		return rc;
	if (c->o.all) {
		len = c->ops.chip.size;
	} else {
		rc = chip_range(c, &addr, &len);
		if (rc)
			return rc;
	}
	err = ops_protect(&c->ops, addr, addr + len);
	if (err)
		return fail(c, err);
	say(c, "protected 0x%06x-0x%06x of %s\n", addr, addr + len - 1, c->ops.chip.name);
	return EXIT_OK;
}

static int cmd_unprotect(struct ctx *c)
{
	int rc, err, changed;

	rc = attach(c);
	if (rc)
		return rc;
	err = ops_unprotect(&c->ops, &changed);
	if (err)
		return fail(c, err);
	say(c, changed ? "cleared the write protection of %s\n" : "%s was not write protected\n",
	    c->ops.chip.name);
	return EXIT_OK;
}

static int cmd_ports(struct ctx *c)
{
	if (ports_command(stdout, getenv("SPIFLASH_PORTS"), c->o.probe, c->o.json)) {
		error("cannot list serial ports");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static const struct cmd_struct {
	enum opts_cmd cmd;
	int (*fn)(struct ctx *c);
} commands[] = {
	{ OPTS_CMD_READ,   cmd_read },
	{ OPTS_CMD_WRITE,  cmd_write },
	{ OPTS_CMD_VERIFY, cmd_verify },
	{ OPTS_CMD_ERASE,  cmd_erase },
	{ OPTS_CMD_BLANK,  cmd_blank },
	{ OPTS_CMD_INFO,   cmd_info },
	{ OPTS_CMD_PORTS,  cmd_ports },
	{ OPTS_CMD_PROTECT,   cmd_protect },
	{ OPTS_CMD_UNPROTECT, cmd_unprotect },
};

/* The command on c->o.device; with --json, its result object on stdout. */
static int dispatch(struct ctx *c)
{
	enum opts_cmd cmd = c->o.cmd;
	size_t i;
	int rc = EXIT_ERROR;

	report_init(&c->rep, c->o.cmd_name, c->o.device, c->o.file);
	if (c->region.resolved || c->region.need_chip)
		c->rep.have_region = 1;
	if (cmd == OPTS_CMD_WRITE || cmd == OPTS_CMD_ERASE)
		c->rep.verified = !c->o.no_verify;
	else if (cmd == OPTS_CMD_VERIFY)
		c->rep.verified = 1;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].cmd == cmd)
			rc = commands[i].fn(c);
	progress_end(&c->prog);
	if (c->rep.have_region) {
		snprintf(c->rep.region, sizeof(c->rep.region), "%s", c->o.region);
		c->rep.region_offset = c->region.offset;
		c->rep.region_length = c->region.length;
	}
	if (c->link_open && (cmd == OPTS_CMD_WRITE || cmd == OPTS_CMD_ERASE))
		report_stats(&c->rep, &c->ops.stats);
	if (c->o.json && !c->rep.printed && cmd != OPTS_CMD_PORTS)
		report_print(stdout, &c->rep, rc);
	return rc;
}

/* A child of multi_run: the command on one of several devices. */
static int dispatch_one(void *arg, const char *device)
{
	struct ctx *c = arg;

	c->o.device = device;
	c->o.ndevices = 1;
	return dispatch(c);
}

/* Before connecting: -d left out (the one programmer attached), -i NAME,
 * several -d.  *done set when the command has run (several devices). */
static int prepare(struct ctx *c, int *done)
{
	struct multi_opts m = { c->o.devices, c->o.ndevices, c->o.cmd_name, c->o.json, c->o.quiet };
	char msg[1024];
	int err;

	*done = 0;
	if (!c->o.device && c->o.cmd != OPTS_CMD_PORTS) {
		if (ports_find_one(getenv("SPIFLASH_PORTS"), c->picked, sizeof(c->picked), msg,
				   sizeof(msg))) {
			error("%s", msg);
			return EXIT_DEVICE;
		}
		c->o.device = c->o.devices[0] = c->picked;
		c->o.ndevices = 1;
		say(c, "spiflash: using '%s', the one programmer that answers\n", c->picked);
	}
	err = region_plan(&c->o, &c->region, msg, sizeof(msg));
	if (err) {
		error("%s", msg);
		return region_exit(err);
	}
	if (c->o.ndevices < 2)
		return EXIT_OK;
	*done = 1;
	err = multi_run(&m, dispatch_one, c, stdout, stderr, msg, sizeof(msg));
	if (err < 0) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	return err;
}

int main(int argc, char **argv)
{
	struct ctx *c = calloc(1, sizeof(*c));
	char err[256];
	int rc = EXIT_ERROR, done;

	if (!c) {
		error("out of memory");
		return EXIT_ERROR;
	}
	c->lock.fd = -1;
	report_init(&c->rep, NULL, NULL, NULL);
	if (opts_parse(argc, argv, &c->o, err, sizeof(err))) {
		error("%s", err);
		fputs("try 'spiflash --help'\n", stderr);
		rc = EXIT_USAGE;
		/* a script that asked for JSON gets its object even now */
		for (done = 1; done < argc && strcmp(argv[done], "--json"); done++)
			;
		if (done < argc)
			report_print(stdout, &c->rep, rc);
		goto out;
	}
	if (c->o.help) {
		fputs(progress_usage_text, stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (c->o.version) {
		printf("spiflash %s (protocols: spiflash %u, serprog 1)\n", SPIFLASH_VERSION,
		       PROTO_VERSION);
		rc = EXIT_OK;
		goto out;
	}
	if (c->o.list_chips) {
		info_list_chips(stdout);
		rc = EXIT_OK;
		goto out;
	}
	c->prog.enabled = !c->o.quiet && isatty(STDERR_FILENO);
	ops_init(&c->ops, &c->dev, progress_cb, &c->prog);
	c->ops.read_passes = c->o.read_passes;
	report_init(&c->rep, c->o.cmd_name, c->o.device, c->o.file);
	rc = prepare(c, &done);
	if (rc || done) {
		if (rc && !done && c->o.json)
			report_print(stdout, &c->rep, rc);
		goto out;
	}
	rc = dispatch(c);
	if (c->o.verbose && c->link_open)
		fprintf(stderr, "spiflash: %u requests, %u resends, %u damaged frames, %u frame errors\n",
			c->dev.stats.requests, c->dev.stats.resends, c->dev.stats.bad_frames,
			c->dev.stats.frame_errs);
out:
	if (c->link_open) {
		/* leave the sketch at its boot rate for the next session */
		dev_close(&c->dev);
		link_close(&c->link);
	} else if (c->dev.spi) {
		dev_close(&c->dev);     /* a spidev */
	}
	free(c);
	return rc;
}
