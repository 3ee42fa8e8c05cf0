/*
 * backup: the old contents of the sectors a write or an erase will change,
 * saved before the first change (see backup.h).
 */
#define _GNU_SOURCE
#include "core/backup.h"
#include "plat.h"
#include "core/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/ops_util.h"

#define SECTOR OPS_SECTOR

/* CRC-32 of want[off, off + n), or of n bytes FF when want is NULL. */
static uint32_t want_crc(const uint8_t *want, uint32_t off, uint32_t n)
{
	uint8_t ff[SECTOR];
	uLong crc = crc32(0L, Z_NULL, 0);

	if (want)
		return (uint32_t)crc32(crc, want + off, n);
	memset(ff, 0xFF, sizeof(ff));
	while (n) {
		uint32_t k = n < SECTOR ? n : SECTOR;

		crc = crc32(crc, ff, k);
		n -= k;
	}
	return (uint32_t)crc;
}

/* Create the file exclusively: path, or path.1 ... path.99.  fd or -1. */
static int create_excl(const char *path, char *out, size_t outlen)
{
	if (strlen(path) + 4 > outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd, i;

	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(out, outlen, "%s", path);
		else
			snprintf(out, outlen, "%.1000s.%d", path, i);
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static int open_file(const struct ops *o, const char *path, const char *dir, uint32_t addr,
		     struct backup *b, char *msg, size_t msglen)
{
	char d[700], name[1024];
	struct tm tm;
	time_t now = time(NULL);
	int fd;

	if (!path) {
		if (!dir) {
			if (state_dir(d, sizeof(d), msg, msglen))
				return -1;
		} else {
			snprintf(d, sizeof(d), "%s", dir);
		}
		if (state_make_dirs(d) < 0) {
			snprintf(msg, msglen, "cannot create the backup directory '%s': %s; give --backup FILE or --no-backup",
				 d, strerror(errno));
			return -1;
		}
		localtime_r(&now, &tm);
		snprintf(name, sizeof(name), "%s" PLAT_SEP "%s-%04d%02d%02d-%02d%02d%02d-%ld-0x%06x.bin", d,
			 o->chip.name ? o->chip.name : "chip", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)getpid(), addr);
		path = name;
	}
	fd = create_excl(path, b->path, sizeof(b->path));
	if (fd < 0)
		snprintf(msg, msglen, "cannot create the backup '%s': %s; give --backup FILE or --no-backup",
			 b->path, strerror(errno));
	return fd;
}

/* Write all of buf and fsync: the backup must be on disk before a change. */
static int write_all(int fd, const uint8_t *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return fsync(fd);
}

/*
 * A chip whose MISO stopped answering reads as all FF or all 00, CRCs and
 * all: a backup of that would be worse than none.  The ID read again after
 * the read must still be a real one.
 */
static int still_answering(struct ops *o)
{
	uint8_t id[3];
	int err = prog_jedec(o->prog, id, 3);

	if (err)
		return err;
	if ((id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF) || (!id[0] && !id[1] && !id[2]))
		return ops_fail(o, OPS_E_UNSTABLE,
				"the chip stopped answering while its old bytes were being saved (JEDEC ID now %02x %02x %02x): nothing was changed; check the clip and the wiring ('spiflash doctor' tells why)",
				id[0], id[1], id[2]);
	return 0;
}

/* What a sector of the range holds against what the change wants there. */
enum kind {
	K_SAME,      /* already the wanted bytes: the change leaves it alone */
	K_ERASED,    /* a whole sector, all FF: its old bytes are known */
	K_DATA,      /* other bytes, to read from the chip */
	K_DUMPED,    /* other bytes, found in a recent dump */
};

/* The old bytes of the sectors [lo, hi): those the chip holds only in the
 * chip are read, in runs; erased ones are FF, whole sectors already right
 * are the wanted bytes.  Nothing crosses the line that is known already. */
static int old_bytes(struct ops *o, uint32_t first, uint32_t addr, const uint8_t *want,
		     const uint8_t *kind, uint32_t lo, uint32_t hi, uint8_t *buf)
{
	uint32_t s, run;
	int err;

	for (s = lo; s < hi; s += SECTOR) {
		uint8_t *out = buf + (s - lo);

		switch (kind[(s - first) / SECTOR]) {
		case K_ERASED:
			memset(out, 0xFF, SECTOR);
			break;
		case K_SAME:
			if (want)
				memcpy(out, want + (s - addr), SECTOR);
			else
				memset(out, 0xFF, SECTOR);
			break;
		case K_DUMPED:
			break;     /* in buf already */
		default:
			for (run = s + SECTOR; run < hi && kind[(run - first) / SECTOR] == K_DATA;
			     run += SECTOR)
				;
			err = ops_read(o, s, out, run - s);
			if (err)
				return err;
			s = run - SECTOR;
			break;
		}
	}
	return 0;
}

/* Sectors with data of [lo, hi), whole in the range [addr, end) (the CRC
 * of an edge sector covers only its part in the range), whose bytes a
 * recent dump holds with the CRC the device gave: into buf, as K_DUMPED. */
static void from_dumps(const struct dumps *d, uint32_t first, uint32_t addr, uint32_t end,
		       uint8_t *kind, const uint32_t *crc, uint32_t lo, uint32_t hi, uint8_t *buf,
		       struct backup *b)
{
	uint32_t s;

	for (s = lo; d && d->n && s + SECTOR <= hi; s += SECTOR) {
		unsigned i = (s - first) / SECTOR;

		if (s < addr || s + SECTOR > end)
			continue;
		if (kind[i] == K_DATA && dumps_sector(d, s, SECTOR, crc[i], buf + (s - lo))) {
			kind[i] = K_DUMPED;
			b->sectors_dumped++;
		}
	}
}

int backup_save(struct ops *o, const char *path, const char *dir, uint32_t addr,
		const uint8_t *want, uint32_t len, const struct dumps *dumps, struct backup *b,
		char *msg, size_t msglen)
{
	uint32_t first = addr - addr % SECTOR, end = addr + len, s, lo = 0, hi = 0;
	uint32_t nsec = (end - first + SECTOR - 1) / SECTOR, *crc = NULL;
	uint8_t *buf = NULL, *kind = NULL;
	int err = 0, fd = -1, any = 0;

	memset(b, 0, sizeof(*b));
	msg[0] = '\0';
	if (!len)
		return 0;
	kind = malloc(nsec);
	crc = malloc(nsec * sizeof(*crc));
	if (!kind || !crc) {
		free(kind);
		free(crc);
		return ops_fail(o, OPS_E_NOMEM, "out of memory for a backup of %u bytes", len);
	}
	/*
	 * Which sectors change: the range's part of each against the device's
	 * CRC.  The file spans every sector that changes, erased ones too, so
	 * that writing it back puts the chip as it was (FF where it was
	 * erased); it is made only when some changing sector holds data.
	 */
	for (s = first; s < end; s += SECTOR) {
		uint32_t a = s > addr ? s : addr;
		uint32_t e = s + SECTOR < end ? s + SECTOR : end;
		uint32_t dcrc;
		uint8_t *k = &kind[(s - first) / SECTOR];

		err = ops_chip_crc(o, a, e - a, &dcrc);
		if (err)
			goto out;
		crc[(s - first) / SECTOR] = dcrc;
		if (dcrc == want_crc(want, a - addr, e - a)) {
			b->sectors_same++;
			/* a part sector: its bytes outside the range are unknown */
			*k = a == s && e == s + SECTOR ? K_SAME : K_DATA;
			continue;
		}
		*k = a == s && e == s + SECTOR && dcrc == want_crc(NULL, 0, SECTOR) ? K_ERASED :
		     K_DATA;
		any |= *k == K_DATA;
		if (!hi)
			lo = s;
		hi = s + SECTOR;
	}
	if (!any)
		goto out;
	if (hi > o->chip.size)
		hi = o->chip.size;
	buf = malloc(hi - lo);
	if (!buf) {
		err = ops_fail(o, OPS_E_NOMEM, "out of memory for a %u-byte backup", hi - lo);
		goto out;
	}
	from_dumps(dumps, first, addr, end, kind, crc, lo, hi, buf, b);
	err = old_bytes(o, first, addr, want, kind, lo, hi, buf);
	if (err)
		goto out;
	err = still_answering(o);
	if (err)
		goto out;
	fd = open_file(o, path, dir, lo, b, msg, msglen);
	if (fd < 0) {
		err = BACKUP_E_FILE;
		goto out;
	}
	if (write_all(fd, buf, hi - lo) < 0) {
		snprintf(msg, msglen, "cannot write the backup '%s': %s; nothing was changed",
			 b->path, strerror(errno));
		unlink(b->path);
		err = BACKUP_E_FILE;
		goto out;
	}
	b->addr = lo;
	b->len = hi - lo;
out:
	if (fd >= 0 && close(fd) < 0 && !err) {
		snprintf(msg, msglen, "cannot write the backup '%s': %s", b->path, strerror(errno));
		err = BACKUP_E_FILE;
	}
	if (err)
		b->len = 0;
	free(buf);
	free(kind);
	free(crc);
	return err;
}

int backup_note(const struct backup *b, const char *target, char *buf, size_t n)
{
	if (!b->len)
		return 0;
	snprintf(buf, n, "saved the old 0x%06x-0x%06x in '%s'; to undo: spiflash %s -f '%s' --flash-offset 0x%06x write",
		 b->addr, b->addr + b->len - 1, b->path, target ? target : "-d PORT", b->path, b->addr);
	return 1;
}
