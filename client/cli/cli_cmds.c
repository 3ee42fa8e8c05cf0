/*
 * cli_cmds: the commands (read, write, verify, erase, blank, info, protect,
 * unprotect, ports) over an attached session.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

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

#define OPS_GROUP (64u * 1024u)   /* ops_write goes 64 KiB at a time */

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
/* How the undo reaches this chip again: its port, or the -p that named a
 * programmer without one. */
static void undo_target(const struct ctx *c, char *target, size_t n)
{
	if (c->no_port)
		snprintf(target, n, "-p %s%s%s", c->o.programmer, c->o.programmer_args ? ":" : "",
			 c->o.programmer_args ? c->o.programmer_args : "");
	else
		snprintf(target, n, "-d %s", c->o.device);
}

static int save_old(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len,
		    struct backup *b, int note)
{
	char msg[1400], target[600];
	int err;

	memset(b, 0, sizeof(*b));
	if (c->o.no_backup)
		return EXIT_OK;
	err = backup_save(&c->ops, c->o.backup, NULL, addr, want, len, b, msg, sizeof(msg));
	if (err)
		return err == BACKUP_E_FILE ? (error("%s", msg), EXIT_ERROR) : fail(c, err);
	snprintf(c->rep.backup, sizeof(c->rep.backup), "%s", b->path);
	undo_target(c, target, sizeof(target));
	if (note && backup_note(b, target, msg, sizeof(msg)))
		say(c, "spiflash: %s\n", msg);
	return EXIT_OK;
}

/*
 * After unfinished runs of this command, the backup just made holds their
 * half-written bytes: the undo printed is the one that restores the chip as
 * it was before the first of them (resume_undo).  Otherwise b's own note.
 */
static int undo_note(struct ctx *c, struct resume *r, uint32_t lo, uint32_t hi,
		     const struct backup *b)
{
	char path[1100], target[600];
	uint32_t ua, ul;
	int err;

	if (c->o.no_backup)
		return EXIT_OK;
	err = resume_undo(r, &c->ops, lo, hi, b->path, b->addr, b->len, path, sizeof(path), &ua,
			  &ul);
	if (err < 0)
		return err == BACKUP_E_FILE ? (error("%s; nothing was changed", r->msg), EXIT_ERROR) :
		       fail(c, err);
	undo_target(c, target, sizeof(target));
	if (err == 0) {
		char msg[1400];

		if (backup_note(b, target, msg, sizeof(msg)))
			say(c, "spiflash: %s\n", msg);
		return EXIT_OK;
	}
	if (b->len)
		say(c, "spiflash: saved the old 0x%06x-0x%06x in '%s'\n", b->addr,
		    b->addr + b->len - 1, b->path);
	say(c, "spiflash: an earlier run of this command did not finish: the bytes from before it are in '%s'; to undo: spiflash %s -f '%s' --flash-offset 0x%06x write\n",
	    path, target, path, ua);
	snprintf(c->rep.backup, sizeof(c->rep.backup), "%.1000s", path);
	return EXIT_OK;
}

/* "0x0-0xfff done, 0x1000-0x1fff done" as "0x0-0x1fff done": neighbours
 * in the same state joined, in place. */
static void join_runs(char *st)
{
	char out[512], prev[32] = "", what[32];
	unsigned long a, b, pa = 0, pb = 0;
	size_t at = 0;
	const char *p = st;
	int n, k;

	out[0] = '\0';
	for (;;) {
		if (sscanf(p, "0x%lx-0x%lx %31[^,]%n", &a, &b, what, &n) != 3)
			return;                 /* not the shape expected: as it is */
		if (prev[0] && !strcmp(what, prev) && a == pb + 1) {
			pb = b;
		} else {
			if (prev[0]) {
				k = snprintf(out + at, sizeof(out) - at, "%s0x%06lx-0x%06lx %s",
					     at ? ", " : "", pa, pb, prev);
				if (k <= 0 || (size_t)k >= sizeof(out) - at)
					return;
				at += (size_t)k;
			}
			pa = a;
			pb = b;
			snprintf(prev, sizeof(prev), "%s", what);
		}
		p += n;
		if (strncmp(p, ", ", 2))
			break;
		p += 2;
	}
	if (*p)
		return;
	snprintf(out + at, sizeof(out) - at, "%s0x%06lx-0x%06lx %s", at ? ", " : "", pa, pb, prev);
	strcpy(st, out);
}

/*
 * The state of a range whose write a signal stopped, quickly: the write goes
 * in order, so what lies before the block under way (the progress says
 * where) is done and what lies after it as before; only that block is
 * asked of the chip.
 */
static void stop_state(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len,
		       const struct backup *b)
{
	uint32_t ra = addr - addr % OPS_SECTOR, hi = addr + len, w_lo, w_hi;
	uint64_t done = c->prog.phase_done;
	char st[512];
	size_t at = 0;

	w_lo = ra + (uint32_t)(done < len + OPS_SECTOR ? done : len);
	if (w_lo < addr)
		w_lo = addr;
	if (w_lo >= hi)
		w_lo = hi - 1 - (hi - 1) % OPS_SECTOR > addr ? hi - 1 - (hi - 1) % OPS_SECTOR : addr;
	w_hi = w_lo - w_lo % OPS_GROUP + OPS_GROUP;
	if (w_hi > hi)
		w_hi = hi;
	st[0] = '\0';
	if (w_lo > addr)
		at += (size_t)snprintf(st, sizeof(st), "0x%06x-0x%06x %s, ", addr, w_lo - 1,
				       c->o.no_verify ? "written" : "done");
	if (wstate_describe(&c->ops, w_lo, want ? want + (w_lo - addr) : NULL, w_hi - w_lo,
			    b->len ? b->path : NULL, b->addr, b->len, st + at, sizeof(st) - at))
		return;
	at = strlen(st);
	if (w_hi < hi && at < sizeof(st))
		snprintf(st + at, sizeof(st) - at, ", 0x%06x-0x%06x as before", w_hi, hi - 1);
	join_runs(st);
	fprintf(stderr, "spiflash: state of 0x%06x-0x%06x: %s\n", addr, hi - 1, st);
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

	/* the journal and the backups must have a home before anything changes */
	if (resume_init(&r, NULL, c->alive.id)) {
		error("%s; nothing was changed", r.msg);
		return EXIT_ERROR;
	}
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
	if (!c->o.no_backup)
		progress_plan(&c->prog, "backup", 1, len);
	progress_plan(&c->prog, want ? "write" : "erase", 2, len);
	progress_label(&c->prog, "backup");
	rc = save_old(c, addr, want, len, &b, 0);
	progress_label(&c->prog, NULL);
	if (rc && interrupt_signal())
		fputs("spiflash: nothing was changed; the same command again does the job\n", stderr);
	if (!rc)
		rc = undo_note(c, &r, addr, addr + len, &b);
	if (rc)
		goto out;
	if (b.len && resume_add(&r, b.addr, b.addr + b.len, b.path)) {
		error("%s; nothing was changed (the old bytes are in '%s')", r.msg, b.path);
		rc = EXIT_ERROR;
		goto out;
	}
	if (c->o.no_backup) {
		/* the bytes around the range are not the user's to lose */
		char msg[1400];

		err = resume_guard(&r, &c->ops, addr, want, len, msg, sizeof(msg));
		if (err) {
			rc = err == BACKUP_E_FILE ? (error("%s", msg), EXIT_ERROR) : fail(c, err);
			goto out;
		}
	}
	c->prog.phase_done = 0;
	err = want ? ops_write(&c->ops, addr, want, len, !c->o.no_verify) :
		     ops_erase(&c->ops, addr, len, !c->o.no_verify);
	if (err) {
		char st[512];

		rc = fail(c, err);
		c->guard.allow = 1;     /* after a signal: the state may be read */
		/* a device that still answers can say where the range stands */
		if (err == SF_E_INTERRUPTED)
			stop_state(c, addr, want, len, &b);
		else if (err != DEV_E_LINK && err != DEV_E_TIMEOUT && err != DEV_E_NOANSWER &&
			 err != DEV_E_NOISY && !wstate_describe(&c->ops, addr, want, len,
							       b.len ? b.path : NULL, b.addr, b.len,
							       st, sizeof(st)) && st[0])
			fprintf(stderr, "spiflash: state of 0x%06x-0x%06x: %s\n", addr,
				addr + len - 1, st);
		if (b.len)
			fprintf(stderr, "spiflash: the old bytes of 0x%06x-0x%06x are in '%s'; the same command again finishes the job%s\n",
				b.addr, b.addr + b.len - 1, b.path,
				r.journal[0] ? " and puts back any byte around the range left erased" : "");
		else
			fputs("spiflash: the same command again finishes the job\n", stderr);
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
			rc = may_write(c, 0, c->ops.chip.size);
			if (rc && !(c->ops.chip.flags & CHIP_F_NO_4K))
				return rc;
		}
		struct backup b;

		rc = save_old(c, 0, NULL, c->ops.chip.size, &b, 1);
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
