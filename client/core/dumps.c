/*
 * dumps: the index of recent dumps (dumps.h).
 */
#include "core/dumps.h"
#include "plat.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define INDEX_NAME  "dumps"
#define LINE_MAX_   (1024 + 64)

static void index_path(char *buf, size_t n, const char *dir)
{
	snprintf(buf, n, "%s%s%s", dir, PLAT_SEP, INDEX_NAME);
}

/* "jjjjjj addr len path": 0 and the fields, or -1 for a line of another form */
static int parse_line(const char *line, char id[7], struct dumps_file *f)
{
	unsigned long addr, len;
	int at = 0;

	if (sscanf(line, "%6s %lx %lx %n", id, &addr, &len, &at) != 3 || !at || !line[at])
		return -1;
	f->addr = (uint32_t)addr;
	f->len = (uint32_t)len;
	snprintf(f->path, sizeof(f->path), "%s", line + at);
	f->path[strcspn(f->path, "\r\n")] = '\0';
	return f->path[0] ? 0 : -1;
}

int dumps_note(const char *dir, const uint8_t jedec[3], uint32_t addr, uint32_t len,
	       const char *path)
{
	char (*lines)[LINE_MAX_] = calloc(DUMPS_KEEP, LINE_MAX_);
	char idx[1100], tmp[1120], abs[PATH_MAX], line[LINE_MAX_];
	unsigned n = 0, first = 0, i;
	FILE *f;
	int err = -1;

	if (!lines)
		return -1;
	if (!realpath(path, abs))
		goto out;
	index_path(idx, sizeof(idx), dir);
	/* the lines kept: the newest DUMPS_KEEP - 1 of the old ones (a ring),
	 * but none of an earlier dump into the same file: it is this one now */
	f = fopen(idx, "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			struct dumps_file e;
			char id[7];

			if (!strchr(line, '\n') || (!parse_line(line, id, &e) && !strcmp(e.path, abs)))
				continue;
			snprintf(lines[(first + n) % DUMPS_KEEP], LINE_MAX_, "%s", line);
			if (n < DUMPS_KEEP - 1)
				n++;
			else
				first = (first + 1) % DUMPS_KEEP;
		}
		fclose(f);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", idx);
	f = fopen(tmp, "w");
	if (!f)
		goto out;
	for (i = 0; i < n; i++)
		fputs(lines[(first + i) % DUMPS_KEEP], f);
	fprintf(f, "%02x%02x%02x %x %x %s\n", jedec[0], jedec[1], jedec[2], addr, len, abs);
	if (fclose(f) != 0 || rename(tmp, idx) != 0) {
		int e = errno;

		unlink(tmp);
		errno = e;
		goto out;
	}
	err = 0;
out:
	free(lines);
	return err;
}

void dumps_load(struct dumps *d, const char *dir, const uint8_t jedec[3])
{
	char idx[1100], line[LINE_MAX_], id[7], want[7];
	struct dumps_file e;
	FILE *f;

	d->n = 0;
	index_path(idx, sizeof(idx), dir);
	f = fopen(idx, "r");
	if (!f)
		return;
	snprintf(want, sizeof(want), "%02x%02x%02x", jedec[0], jedec[1], jedec[2]);
	/* newest last in the file, newest first here */
	while (fgets(line, sizeof(line), f)) {
		if (parse_line(line, id, &e) || strcmp(id, want))
			continue;
		if (d->n == DUMPS_KEEP)
			d->n--;
		memmove(&d->f[1], &d->f[0], d->n * sizeof(d->f[0]));
		d->f[0] = e;
		d->n++;
	}
	fclose(f);
}

int dumps_sector(const struct dumps *d, uint32_t addr, uint32_t size, uint32_t crc,
		 uint8_t *out)
{
	unsigned i;

	for (i = 0; i < d->n; i++) {
		const struct dumps_file *e = &d->f[i];
		FILE *f;
		size_t got;

		if (addr < e->addr || size > e->len || addr - e->addr > e->len - size)
			continue;
		f = fopen(e->path, "rb");
		if (!f)
			continue;
		got = fseek(f, (long)(addr - e->addr), SEEK_SET) ? 0 : fread(out, 1, size, f);
		fclose(f);
		if (got == size && (uint32_t)crc32(crc32(0L, Z_NULL, 0), out, size) == crc)
			return 1;
	}
	return 0;
}
