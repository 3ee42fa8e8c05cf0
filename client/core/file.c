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

int file_out_begin(struct file_out *f, const char *path, char *msg, size_t msglen)
{
	char *dirc = NULL;
	size_t n;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (!strcmp(path, "-"))
		return 0;
	f->path = strdup(path);
	n = strlen(path) + 16;
	f->tmp = malloc(n);
	if (!f->path || !f->tmp) {
		snprintf(msg, msglen, "out of memory");
		goto fail;
	}
	/* same directory as the target, so rename() is atomic */
	snprintf(f->tmp, n, "%s.tmp-XXXXXX", path);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		dirc = strdup(path);
		snprintf(msg, msglen, "cannot create a file in '%s': %s",
			 dirc ? dirname(dirc) : path, strerror(errno));
		free(dirc);
		goto fail;
	}
	return 0;
fail:
	free(f->path);
	free(f->tmp);
	f->path = f->tmp = NULL;
	return FILE_E_OPEN;
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
	/* mkstemp makes 0600; give the file the mode a plain create would */
	um = umask(0);
	umask(um);
	if (write_all(f->fd, buf, len) || fchmod(f->fd, 0666 & ~um) || fsync(f->fd)) {
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
	f->tmp = f->path = NULL;
}
