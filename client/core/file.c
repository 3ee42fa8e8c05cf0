/*
 * file: load an image range, and write a dump atomically.
 */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_IMAGE (256u * 1024u * 1024u)

/* Read a whole stream (stdin) up to MAX_IMAGE. */
static int slurp(int fd, uint8_t **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	uint8_t *b = malloc(cap), *nb;
	ssize_t r;

	if (!b)
		return FILE_E_NOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_IMAGE) {
				free(b);
				return FILE_E_READ;
			}
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return FILE_E_NOMEM;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			return FILE_E_READ;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

int file_load(const char *path, uint64_t off, uint64_t len, int len_given,
	      uint8_t **buf, uint32_t *out_len, char *msg, size_t msglen)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	uint8_t *all = NULL, *part = NULL;
	size_t size;
	int fd, err;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		snprintf(msg, msglen, "cannot open '%s': %s", name, strerror(errno));
		return FILE_E_OPEN;
	}
	err = slurp(fd, &all, &size);
	if (fd != STDIN_FILENO)
		close(fd);
	if (err) {
		snprintf(msg, msglen, "cannot read '%s': %s", name,
			 err == FILE_E_NOMEM ? "out of memory" : (errno ? strerror(errno) : "too large"));
		return err;
	}
	if (off >= size) {
		snprintf(msg, msglen, "'%s' has %zu bytes: nothing at --file-offset %llu", name, size,
			 (unsigned long long)off);
		err = FILE_E_SHORT;
		goto out;
	}
	if (!len_given)
		len = size - off;
	if (off + len > size) {
		snprintf(msg, msglen,
			 "'%s' has %zu bytes: too short for %llu bytes from offset %llu; nothing was written",
			 name, size, (unsigned long long)len, (unsigned long long)off);
		err = FILE_E_SHORT;
		goto out;
	}
	if (len > 0xFFFFFFFFull) {
		snprintf(msg, msglen, "'%s': range of %llu bytes is too large", name,
			 (unsigned long long)len);
		err = FILE_E_SHORT;
		goto out;
	}
	part = malloc(len ? len : 1);
	if (!part) {
		snprintf(msg, msglen, "out of memory for %llu bytes", (unsigned long long)len);
		err = FILE_E_NOMEM;
		goto out;
	}
	memcpy(part, all + off, len);
	*buf = part;
	*out_len = (uint32_t)len;
	err = 0;
out:
	free(all);
	return err;
}

/* The file a dump goes to: path, or the file a symbolic link names. */
static int resolve(struct file_out *f, const char *path, char *msg, size_t msglen)
{
	struct stat st;
	char *real;

	if (lstat(path, &st)) {
		f->path = strdup(path);
		return f->path ? 0 : FILE_E_NOMEM;
	}
	if (S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (!real) {
			snprintf(msg, msglen, "'%s' is a symbolic link to a file that cannot be reached (%s): nothing was read; give the file's own name",
				 path, strerror(errno));
			return FILE_E_OPEN;
		}
		f->path = real;
		if (stat(real, &st)) {
			f->exists = 0;
			return 0;
		}
	} else {
		f->path = strdup(path);
		if (!f->path)
			return FILE_E_NOMEM;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(msg, msglen, "'%s' exists and is not a regular file: nothing was read; give another -f (or '-f -' for stdout)",
			 path);
		return FILE_E_OPEN;
	}
	f->exists = 1;
	f->mode = (unsigned)(st.st_mode & 07777);
	return 0;
}

int file_out_begin(struct file_out *f, const char *path, int force, char *msg, size_t msglen)
{
	char *dirc = NULL;
	size_t n;
	int err;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->force = force;
	if (!strcmp(path, "-"))
		return 0;
	f->shown = strdup(path);
	err = f->shown ? resolve(f, path, msg, msglen) : FILE_E_NOMEM;
	if (err) {
		if (err == FILE_E_NOMEM)
			snprintf(msg, msglen, "out of memory");
		goto fail;
	}
	n = strlen(f->path) + 16;
	f->tmp = malloc(n);
	if (!f->tmp) {
		snprintf(msg, msglen, "out of memory");
		err = FILE_E_NOMEM;
		goto fail;
	}
	/* same directory as the target, so rename() is atomic */
	snprintf(f->tmp, n, "%s.tmp-XXXXXX", f->path);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		dirc = strdup(f->path);
		snprintf(msg, msglen, "cannot create a file in '%s': %s",
			 dirc ? dirname(dirc) : f->path, strerror(errno));
		free(dirc);
		err = FILE_E_OPEN;
		goto fail;
	}
	return 0;
fail:
	free(f->path);
	free(f->tmp);
	free(f->shown);
	f->path = f->tmp = f->shown = NULL;
	return err;
}

/* The existing file against buf: 0 when equal, 1 when it differs and
 * --force lets it go, else FILE_E_EXISTS with the differences in msg (or
 * another error). */
static int compare_old(struct file_out *f, const uint8_t *buf, size_t len, char *msg,
		       size_t msglen)
{
	uint8_t *old = NULL;
	size_t olen = 0, i, common, diff = 0, o;
	unsigned ranges = 0;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0 || slurp(fd, &old, &olen)) {
		snprintf(msg, msglen, "cannot read the existing '%s' to compare: %s; it was left as it is",
			 f->shown, strerror(errno));
		if (fd >= 0)
			close(fd);
		return FILE_E_READ;
	}
	close(fd);
	common = olen < len ? olen : len;
	if (olen == len && !memcmp(old, buf, len)) {
		free(old);
		return 0;
	}
	o = (size_t)snprintf(msg, msglen, "'%s' exists and differs from what was read", f->shown);
	if (olen != len && o < msglen)
		o += (size_t)snprintf(msg + o, msglen - o, " (it has %zu bytes, the read %zu)", olen, len);
	for (i = 0; i < common; i++) {
		size_t s = i;

		if (old[i] == buf[i])
			continue;
		while (i < common && old[i] != buf[i])
			i++, diff++;
		if (ranges < 4 && o < msglen)
			o += (size_t)snprintf(msg + o, msglen - o, "%s0x%06zx-0x%06zx",
					      ranges ? ", " : ": ", s, i - 1);
		ranges++;
	}
	if (o < msglen && diff)
		o += (size_t)snprintf(msg + o, msglen - o, "%s (%zu byte%s in %u range%s)",
				      ranges > 4 ? ", ..." : "", diff, diff == 1 ? "" : "s", ranges,
				      ranges == 1 ? "" : "s");
	err = FILE_E_EXISTS;
	if (o < msglen) {
		if (!(f->mode & 0222))
			snprintf(msg + o, msglen - o, "; it is read-only and was left as it is (make it writable and give --force to replace it, or give another -f)");
		else if (f->force)
			err = 1;
		else
			snprintf(msg + o, msglen - o, "; it was left as it is: give --force to replace it, or another -f");
	}
	if (!(f->mode & 0222))
		err = FILE_E_EXISTS;
	free(old);
	return err;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t r = write(fd, buf, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

int file_out_commit(struct file_out *f, const uint8_t *buf, size_t len, char *msg, size_t msglen)
{
	mode_t um;
	int err = 0;

	if (!f->path) {
		if (write_all(STDOUT_FILENO, buf, len)) {
			snprintf(msg, msglen, "cannot write to stdout: %s", strerror(errno));
			return FILE_E_WRITE;
		}
		return 0;
	}
	if (f->exists) {
		err = compare_old(f, buf, len, msg, msglen);
		if (err < 0)
			goto out;
		if (err == 0) {
			/* the same bytes: the file stays, inode, mode and all */
			f->same = 1;
			goto out;
		}
		err = 0;
	}
	/* mkstemp makes 0600; give the file the mode a plain create would,
	 * or the mode of the file it replaces */
	um = umask(0);
	umask(um);
	if (write_all(f->fd, buf, len) || fchmod(f->fd, f->exists ? f->mode : 0666 & ~um) ||
	    fsync(f->fd)) {
		snprintf(msg, msglen, "cannot write '%s': %s", f->tmp, strerror(errno));
		err = FILE_E_WRITE;
		goto out;
	}
	if (close(f->fd)) {
		f->fd = -1;
		snprintf(msg, msglen, "cannot write '%s': %s", f->tmp, strerror(errno));
		err = FILE_E_WRITE;
		goto out;
	}
	f->fd = -1;
	if (rename(f->tmp, f->path)) {
		snprintf(msg, msglen, "cannot rename '%s' to '%s': %s", f->tmp, f->path,
			 strerror(errno));
		err = FILE_E_WRITE;
		goto out;
	}
	free(f->tmp);
	f->tmp = NULL;
out:
	file_out_abort(f);
	return err;
}

void file_out_abort(struct file_out *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f->shown);
	f->tmp = f->path = f->shown = NULL;
}
