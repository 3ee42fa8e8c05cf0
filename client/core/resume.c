/* resume: the journal of unfinished writes and erases (see resume.h). */
#include "core/resume.h"
#include "plat.h"
#include "core/state.h"

#include "core/backup.h"
#include "core/ops_util.h"

#include <errno.h>
#include <time.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR OPS_SECTOR

int resume_init(struct resume *r, const char *dir, const uint8_t id[3])
{
	char d[900];
	int err;

	memset(r, 0, sizeof(*r));
	if (dir)
		snprintf(d, sizeof(d), "%s", dir);
	else if ((err = state_dir(d, sizeof(d), r->msg, sizeof(r->msg))) != 0)
		return err;
	snprintf(r->journal, sizeof(r->journal), "%.900s" PLAT_SEP "pending-%02x%02x%02x.txt", d, id[0],
		 id[1], id[2]);
	return SF_OK;
}

/*
 * The bytes of [a, a + n) from a pending backup, into out, when the chip's
 * bytes (in out) look like that backup half put back: every byte either
 * equal to it or erased, and at least one erased where the backup is not.
 * 1 when found and out replaced.
 */
static int from_backup(struct resume *r, uint32_t a, uint32_t n, uint8_t *out)
{
	char line[1200], path[1100];
	uint8_t old[SECTOR];
	unsigned long lo, hi;
	FILE *j = fopen(r->journal, "r"), *f;
	uint32_t i, lost;
	int found = 0;

	if (!j)
		return 0;
	while (!found && fgets(line, sizeof(line), j)) {
		if (sscanf(line, "%lx %lx %1099[^\n]", &lo, &hi, path) != 3 ||
		    a < lo || a + n > hi)
			continue;
		f = fopen(path, "rb");
		if (!f)
			continue;
		if (fseek(f, (long)(a - lo), SEEK_SET) == 0 && fread(old, 1, n, f) == n) {
			for (i = 0, lost = 0; i < n; i++) {
				if (out[i] != old[i] && out[i] != 0xFF)
					break;
				lost += out[i] != old[i];
			}
			if (i == n && lost) {
				memcpy(out, old, n);
				found = 1;
				snprintf(r->from, sizeof(r->from), "%.1000s", path);
			}
		}
		fclose(f);
	}
	fclose(j);
	return found;
}

int resume_plan(struct resume *r, struct ops *o, uint32_t lo, const uint8_t *want,
		uint32_t len)
{
	uint32_t hi = lo + len, s_lo = lo - lo % SECTOR, s_hi = hi + (SECTOR - hi % SECTOR) % SECTOR;
	uint8_t head[SECTOR], tail[SECTOR];
	uint32_t nh = 0, nt = 0;
	int err;

	if (s_hi > o->chip.size)
		s_hi = o->chip.size;
	r->lo = lo;
	r->hi = hi;
	if (!r->journal[0] || access(r->journal, R_OK))
		return 0;
	if (lo > s_lo) {
		err = ops_read(o, s_lo, head, lo - s_lo);
		if (err)
			return err;
		if (from_backup(r, s_lo, lo - s_lo, head))
			nh = lo - s_lo;
	}
	if (hi < s_hi) {
		err = ops_read(o, hi, tail, s_hi - hi);
		if (err)
			return err;
		if (from_backup(r, hi, s_hi - hi, tail))
			nt = s_hi - hi;
	}
	if (!nh && !nt)
		return 0;
	r->want = malloc(nh + len + nt);
	if (!r->want)
		return OPS_E_NOMEM;
	memcpy(r->want, head, nh);
	if (want)
		memcpy(r->want + nh, want, len);
	else
		memset(r->want + nh, 0xFF, len);
	memcpy(r->want + nh + len, tail, nt);
	r->lo = lo - nh;
	r->hi = hi + nt;
	r->restored = nh + nt;
	return 0;
}

int resume_add(struct resume *r, uint32_t lo, uint32_t hi, const char *backup)
{
	char line[1200], dir[1024], *slash;
	int fd, n, ok;

	if (!r->journal[0]) {
		snprintf(r->msg, sizeof(r->msg), "no resume journal for the backup '%s'", backup);
		return BACKUP_E_JOURNAL;
	}
	snprintf(dir, sizeof(dir), "%s", r->journal);
	slash = plat_last_sep(dir);
	if (slash && slash != dir) {
		*slash = '\0';
		state_make_dirs(dir);
	}
	fd = open(r->journal, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	n = snprintf(line, sizeof(line), "%06x %06x %s\n", lo, hi, backup);
	ok = fd >= 0 && n > 0 && (size_t)n < sizeof(line) && write(fd, line, (size_t)n) == n &&
	     fsync(fd) == 0;
	if (!ok)
		snprintf(r->msg, sizeof(r->msg), "cannot write the resume journal '%s': %s",
			 r->journal, strerror(errno));
	if (fd >= 0 && close(fd) && ok) {
		snprintf(r->msg, sizeof(r->msg), "cannot write the resume journal '%s': %s",
			 r->journal, strerror(errno));
		ok = 0;
	}
	return ok ? SF_OK : BACKUP_E_JOURNAL;
}

int resume_guard(struct resume *r, struct ops *o, uint32_t lo, const uint8_t *want,
		 uint32_t len, char *msg, size_t msglen)
{
	uint32_t hi = lo + len, a[2], e[2];
	char dir[1024], *slash;
	struct backup b;
	unsigned i, n = 0;
	int err;

	if (!r->journal[0] || !len)
		return 0;
	snprintf(dir, sizeof(dir), "%s", r->journal);
	slash = plat_last_sep(dir);
	if (!slash)
		return 0;
	*slash = '\0';
	if (lo % SECTOR) {                      /* the first sector, partly ours */
		a[n] = lo;
		e[n] = lo - lo % SECTOR + SECTOR < hi ? lo - lo % SECTOR + SECTOR : hi;
		n++;
	}
	if (hi % SECTOR && (!n || hi - hi % SECTOR >= e[0])) {   /* the last one */
		a[n] = hi - hi % SECTOR > lo ? hi - hi % SECTOR : lo;
		e[n] = hi;
		n++;
	}
	for (i = 0; i < n; i++) {
		err = backup_save(o, NULL, dir, a[i], want ? want + (a[i] - lo) : NULL,
				  e[i] - a[i], NULL, &b, msg, msglen);
		if (err)
			return err;
		if (!b.len)
			continue;
		snprintf(r->guard[r->nguard++], sizeof(r->guard[0]), "%s", b.path);
		if (resume_add(r, b.addr, b.addr + b.len, b.path)) {
			snprintf(msg, msglen, "%s", r->msg);
			return BACKUP_E_FILE;
		}
	}
	return 0;
}

void resume_done(struct resume *r, uint32_t lo, uint32_t hi)
{
	char tmp[1100], line[1200];
	unsigned long a, b;
	FILE *in, *out;
	int kept = 0;

	if (!r->journal[0] || !(in = fopen(r->journal, "r")))
		return;
	lo -= lo % SECTOR;
	hi += (SECTOR - hi % SECTOR) % SECTOR;
	snprintf(tmp, sizeof(tmp), "%.1000s.tmp", r->journal);
	out = fopen(tmp, "w");
	if (!out) {
		fclose(in);
		return;
	}
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "%lx %lx", &a, &b) == 2 && a >= lo && b <= hi)
			continue;       /* finished: its sectors now hold what was asked */
		fputs(line, out);
		kept++;
	}
	fclose(in);
	if (fflush(out) == 0 && fsync(fileno(out)) == 0 && fclose(out) == 0) {
		if (kept)
			rename(tmp, r->journal);
		else {
			unlink(tmp);
			unlink(r->journal);
		}
	} else {
		unlink(tmp);
	}
	while (r->nguard)
		unlink(r->guard[--r->nguard]);
}

void resume_free(struct resume *r)
{
	free(r->want);
	r->want = NULL;
}

/* ---- the undo of a chain of runs (resume_undo) ---- */

#define UNDO_MAX 32

struct pending {
	uint32_t lo, hi;
	char path[1100];
};

/* The journal's backups overlapping [lo, hi), oldest first. */
static unsigned pending_read(const struct resume *r, uint32_t lo, uint32_t hi, struct pending *p,
			     unsigned max)
{
	char line[1200];
	unsigned long a, b;
	unsigned n = 0;
	FILE *j;

	if (!r->journal[0] || !(j = fopen(r->journal, "r")))
		return 0;
	while (n < max && fgets(line, sizeof(line), j)) {
		if (sscanf(line, "%lx %lx %1099[^\n]", &a, &b, p[n].path) != 3 || b <= lo || a >= hi ||
		    b <= a)
			continue;
		p[n].lo = (uint32_t)a;
		p[n].hi = (uint32_t)b;
		n++;
	}
	fclose(j);
	return n;
}

/* [a, a + n) of the file f (whose first byte is chip address base) into dst. */
static int lay(const char *f, uint32_t base, uint32_t a, uint32_t n, uint8_t *dst)
{
	FILE *in = fopen(f, "rb");
	int ok;

	if (!in)
		return -1;
	ok = fseek(in, (long)(a - base), SEEK_SET) == 0 && fread(dst, 1, n, in) == n;
	fclose(in);
	return ok ? 0 : -1;
}

static int undo_write(struct resume *r, const uint8_t *buf, uint32_t addr, uint32_t len,
		      char *path, size_t pathlen)
{
	char dir[1024], *slash;
	int fd, ok;

	snprintf(dir, sizeof(dir), "%s", r->journal);
	slash = plat_last_sep(dir);
	if (slash)
		*slash = '\0';
	snprintf(path, pathlen, "%.900s" PLAT_SEP "undo-%ld-%ld-0x%06x.bin", slash ? dir : ".", (long)time(NULL),
		 (long)getpid(), addr);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len && fsync(fd) == 0;
	if (fd >= 0 && close(fd))
		ok = 0;
	if (!ok) {
		snprintf(r->msg, sizeof(r->msg), "cannot write the undo file '%s': %s", path,
			 strerror(errno));
		unlink(path);
		return BACKUP_E_FILE;
	}
	return 0;
}

int resume_undo(struct resume *r, struct ops *o, uint32_t lo, uint32_t hi, const char *b_path,
		uint32_t b_addr, uint32_t b_len, char *path, size_t pathlen, uint32_t *addr,
		uint32_t *len)
{
	static struct pending p[UNDO_MAX];
	uint32_t ulo, uhi, a;
	uint8_t *buf = NULL, *have = NULL;
	unsigned n, i;
	int err = 0;

	lo -= lo % SECTOR;
	n = pending_read(r, lo, hi, p, UNDO_MAX);
	if (!n)
		return 0;
	ulo = b_len && b_addr < p[0].lo ? b_addr : p[0].lo;
	uhi = b_len ? b_addr + b_len : p[0].hi;
	for (i = 0; i < n; i++) {
		ulo = p[i].lo < ulo ? p[i].lo : ulo;
		uhi = p[i].hi > uhi ? p[i].hi : uhi;
	}
	if (uhi > o->chip.size)
		uhi = o->chip.size;
	buf = malloc(uhi - ulo);
	have = calloc(uhi - ulo, 1);
	if (!buf || !have) {
		err = ops_fail(o, OPS_E_NOMEM, "out of memory for a %u-byte undo", uhi - ulo);
		goto out;
	}
	/* newest first, so the oldest backup's bytes are the ones left */
	if (b_len && !lay(b_path, b_addr, b_addr, b_len, buf + (b_addr - ulo)))
		memset(have + (b_addr - ulo), 1, b_len);
	for (i = n; i-- > 0; ) {
		uint32_t e = p[i].hi < uhi ? p[i].hi : uhi;

		if (p[i].lo < ulo || e <= p[i].lo)
			continue;
		if (!lay(p[i].path, p[i].lo, p[i].lo, e - p[i].lo, buf + (p[i].lo - ulo)))
			memset(have + (p[i].lo - ulo), 1, e - p[i].lo);
	}
	/* what no backup holds was never changed: the chip has it */
	for (a = ulo; a < uhi; a += SECTOR) {
		uint32_t k = uhi - a < SECTOR ? uhi - a : SECTOR;

		if (have[a - ulo])
			continue;
		err = ops_read(o, a, buf + (a - ulo), k);
		if (err)
			goto out;
	}
	err = undo_write(r, buf, ulo, uhi - ulo, path, pathlen);
	if (!err) {
		*addr = ulo;
		*len = uhi - ulo;
		err = 1;
	}
out:
	free(buf);
	free(have);
	return err;
}
