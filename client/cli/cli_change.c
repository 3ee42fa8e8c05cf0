/*
 * cli_change: what write and erase do around the core's ops_write and
 * ops_erase: protection in the way, the old bytes saved and journaled, the
 * undo printed (the bytes from before the first of a chain of interrupted
 * runs), and the range's state when the change stops half way.
 */
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

#define OPS_GROUP (64u * 1024u)   /* ops_write goes 64 KiB at a time */

/*
 * Before a write or erase changes a byte: can this programmer write the
 * part, and is [addr, addr + len) free of block protection?  With
 * --unprotect, protection in the way is cleared (and stays off); without
 * it, the command stops here with exit 4.
 */
int cli_may_write(struct ctx *c, uint32_t addr, uint32_t len)
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

/* Before a write or an erase changes a sector: its old bytes to a file. */
int cli_save_old(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len,
		    struct backup *b, int note)
{
	char msg[1400], target[600], dir[1024];
	struct dumps *d = NULL;
	int err;

	memset(b, 0, sizeof(*b));
	if (c->o.no_backup)
		return EXIT_OK;
	/* recent dumps of this chip: their sectors need not cross the line */
	if (!state_dir(dir, sizeof(dir), msg, sizeof(msg)) && (d = malloc(sizeof(*d))) != NULL)
		dumps_load(d, dir, c->ops.jedec);
	err = backup_save(&c->ops, c->o.backup, NULL, addr, want, len, d, b, msg, sizeof(msg));
	free(d);
	if (err)
		return err == BACKUP_E_FILE ? (error("%s", msg), EXIT_ERROR) : fail(c, err);
	if (b->sectors_dumped && c->o.verbose)
		fprintf(stderr, "spiflash: %u sectors of the backup came from a recent dump (their CRCs match the chip's), not over the line\n",
			b->sectors_dumped);
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
int cli_change(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len)
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
	rc = cli_save_old(c, addr, want, len, &b, 0);
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
