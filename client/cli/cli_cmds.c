/*
 * cli_cmds: the commands (read, write, verify, erase, blank, info, protect,
 * unprotect, ports) over an attached session.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/backup.h"
#include "core/dumps.h"
#include "core/state.h"
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
#include "cli/cli_ports.h"
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


/* After a command that trusted what the chip said: is it still answering? */
static int still_there(struct ctx *c, const char *what)
{
	int err = recheck_chip(&c->alive, &c->ops, what);

	return err ? fail(c, err) : EXIT_OK;
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

/*
 * A dump just written: into the index of recent dumps, so that a write of
 * this chip takes its backup from the file rather than the line (dumps.h).
 * Only a hint: when it cannot be kept, -v says why and nothing else changes.
 */
static void note_dump(struct ctx *c, uint32_t addr, uint32_t len, const char *file)
{
	char dir[1024], msg[512] = "";

	if (!strcmp(file, "-"))
		return;
	if (state_dir(dir, sizeof(dir), msg, sizeof(msg)) ||
	    dumps_note(dir, c->ops.jedec, addr, len, file)) {
		if (c->o.verbose)
			fprintf(stderr, "spiflash: the dump is not in the index of recent dumps (%s): a write will read its backup from the chip\n",
				msg[0] ? msg : strerror(errno));
	}
}

/*
 * Several -i into one file, as flashrom's -r takes them: a chip-sized image
 * with each region's bytes at its offset and 00 between them (flashrom
 * writes it so), which the same -i list writes back.  One session; the
 * file is written once, after the last region, under the rules of any dump
 * (never replaced silently).
 */
int cmd_read_regions(struct ctx *c, const struct opts *base)
{
	struct file_out out;
	uint8_t *img = NULL;
	uint32_t addr, len;
	char msg[1024];
	unsigned i;
	int rc = EXIT_OK, err;

	if (file_out_begin(&out, base->file, base->force, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	interrupt_tmp(out.tmp);
	for (i = 0; i < base->nregions && rc == EXIT_OK; i++) {
		c->o.region = base->regions[i].name;
		c->o.given = base->given;
		c->o.flash_offset = base->flash_offset;
		c->o.length = base->length;
		if (i > 0) {
			/* the first was planned before connecting */
			memset(&c->region, 0, sizeof(c->region));
			err = region_plan(&c->o, &c->region, msg, sizeof(msg));
			if (err) {
				error("%s", msg);
				rc = region_exit(err);
				break;
			}
		}
		rc = attach(c);        /* also finds a region in the chip's FMAP */
		if (!rc)
			rc = chip_range(c, &addr, &len);
		if (!rc && !img && !(img = calloc(c->ops.chip.size, 1)))
			rc = fail(c, OPS_E_NOMEM);
		if (rc)
			break;
		progress_plan(&c->prog, "read", 1, (uint64_t)len * (1 + c->o.read_passes));
		err = ops_read(&c->ops, addr, img + addr, len);
		if (err) {
			rc = fail(c, err);
			if (err == SF_E_INTERRUPTED && strcmp(base->file, "-"))
				fprintf(stderr, "spiflash: nothing was written to '%s'; the same command again reads it all\n",
					base->file);
			break;
		}
		say(c, "read region '%s' 0x%06x-0x%06x (%u bytes)\n", c->o.region, addr,
		    addr + len - 1, len);
	}
	if (!rc)
		rc = still_there(c, "read");
	if (!rc && (err = file_out_commit(&out, img, c->ops.chip.size, msg, sizeof(msg))) != 0) {
		error("%s", msg);
		rc = err == FILE_E_EXISTS ? EXIT_MISMATCH : EXIT_ERROR;
	}
	if (!rc) {
		note_dump(c, 0, c->ops.chip.size, base->file);
		say(c, "%u regions of %s in '%s', at their offsets in a %u KiB image (00 between them, as flashrom writes it)\n",
		    base->nregions, c->ops.chip.name, base->file, c->ops.chip.size / 1024);
		if (out.same)
			say(c, "spiflash: identical to the existing '%s': left as it is\n", base->file);
	}
	interrupt_tmp(NULL);
	file_out_abort(&out);
	free(img);
	return rc;
}

static void stats_line(struct ctx *c, const char *what, uint32_t addr, uint32_t len)
{
	const struct ops_stats *s = &c->ops.stats;

	say(c, "%s 0x%06x-0x%06x (%u bytes): %u sectors unchanged, %u programmed without erase, erased %u x 4K %u x 32K %u x 64K, %u pages programmed\n",
	    what, addr, addr + len - 1, len, s->sectors_skipped, s->sectors_program_only,
	    s->erases_4k, s->erases_32k, s->erases_64k, s->pages_programmed);
}

int cmd_read(struct ctx *c)
{
	struct file_out out;
	uint8_t *buf = NULL;
	uint32_t addr, len;
	char msg[512];
	int rc, err;

	if (file_out_begin(&out, c->o.file, c->o.force, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	interrupt_tmp(out.tmp);      /* a second signal removes it too */
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
	progress_plan(&c->prog, "read", 1, (uint64_t)len * (1 + c->o.read_passes));
	err = ops_read(&c->ops, addr, buf, len);
	if (err) {
		rc = fail(c, err);
		if (err == SF_E_INTERRUPTED && strcmp(c->o.file, "-"))
			fprintf(stderr, "spiflash: nothing was written to '%s'; the same command again reads it all\n",
				c->o.file);
		goto out;
	}
	rc = still_there(c, "read");
	if (rc)
		goto out;
	err = file_out_commit(&out, buf, len, msg, sizeof(msg));
	if (err) {
		error("%s", msg);
		rc = err == FILE_E_EXISTS ? EXIT_MISMATCH : EXIT_ERROR;
		goto out;
	}
	note_dump(c, addr, len, c->o.file);
	say(c, "read 0x%06x-0x%06x (%u bytes) of %s\n", addr, addr + len - 1, len,
	    c->ops.chip.name);
	if (out.same)
		say(c, "spiflash: identical to the existing '%s': left as it is\n", c->o.file);
	rc = EXIT_OK;
out:
	interrupt_tmp(NULL);
	file_out_abort(&out);
	free(buf);
	return rc;
}

/* Load the file range and the matching chip range for write and verify. */
static int load_image(struct ctx *c, uint8_t **buf, uint32_t *len)
{
	char msg[512];

	int err = file_load(c->o.file, c->o.file_offset, c->o.length,
			    !!(c->o.given & OPTS_HAVE_LENGTH), buf, len, msg, sizeof(msg));

	if (err == FILE_E_SHORT && c->o.region && !c->o.region_file && c->region.resolved) {
		/* name what the user typed, not the offsets the region set */
		struct stat st;
		long long size = stat(c->o.file, &st) ? -1 : (long long)st.st_size;

		error("'%s' (%lld bytes) does not reach region '%s' at 0x%06x-0x%06x: -i %s reads FILE as a whole image; if it holds the region alone, give -i %s:%s (or --region-file); nothing was %s",
		      c->o.file, size, c->o.region, c->region.offset,
		      c->region.offset + c->region.length - 1, c->o.region, c->o.region, c->o.file,
		      c->o.cmd == OPTS_CMD_WRITE ? "written" : "compared");
		return EXIT_USAGE;
	}
	if (err) {
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
		rc = cli_may_write(c, (uint32_t)c->o.flash_offset, len);
		if (rc)
			goto out;
	}
	if (write) {
		rc = cli_change(c, (uint32_t)c->o.flash_offset, buf, len);
		if (rc)
			goto out;
	} else {
		err = ops_verify(&c->ops, (uint32_t)c->o.flash_offset, buf, len);
		if (err) {
			rc = fail(c, err);
			if (err == SF_E_INTERRUPTED)
				fputs("spiflash: nothing was changed (verify only reads); the same "
				      "command again verifies it all\n", stderr);
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

int cmd_write(struct ctx *c)
{
	return cmd_write_or_verify(c, 1);
}

int cmd_verify(struct ctx *c)
{
	return cmd_write_or_verify(c, 0);
}

int cmd_erase(struct ctx *c)
{
	uint32_t addr, len;
	int rc, err;

	rc = attach(c);
	if (rc)
		return rc;
	if (!(c->o.given & OPTS_HAVE_LENGTH)) {
		if (!(c->ops.chip.flags & CHIP_F_NO_4K) || c->o.unprotect) {
			rc = cli_may_write(c, 0, c->ops.chip.size);
			if (rc && !(c->ops.chip.flags & CHIP_F_NO_4K))
				return rc;
		}
		struct backup b;

		rc = cli_save_old(c, 0, NULL, c->ops.chip.size, &b, 1);
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
	rc = cli_may_write(c, addr, len);
	if (rc)
		return rc;
	rc = cli_change(c, addr, NULL, len);
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

int cmd_blank(struct ctx *c)
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

int cmd_info(struct ctx *c)
{
	const struct chip *force;
	struct prog_desc desc;
	int rc, err;

	force = forced_chip(c, &rc);
	if (rc)
		return rc;
	rc = session_open(c);
	if (rc)
		return rc;
	prog_describe(&c->pgm, &desc);
	if (c->o.json)
		return report_info(stdout, &c->rep, &c->ops, force, &desc, fail_cb, c);
	err = info_print(stdout, &c->ops, force, c->o.device, &desc);
	if (!err && session_clock_auto(c)) {
		char why[256];

		err = session_auto_clock(c, why, sizeof(why));
		if (!err)
			printf("SPI clock: %s\n", why);
	}
	return err ? fail(c, err) : EXIT_OK;
}

int cmd_protect(struct ctx *c)
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

int cmd_unprotect(struct ctx *c)
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

int cmd_ports(struct ctx *c)
{
	if (ports_command(stdout, getenv("SPIFLASH_PORTS"), c->o.probe, c->o.json)) {
		error("cannot list serial ports");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
