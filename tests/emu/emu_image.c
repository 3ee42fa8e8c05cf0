/* emu_image: the chip contents, file-backed (MAP_SHARED) or anonymous. */
#include "emu_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int emu_image_open(struct emu_image *img, const char *path, size_t size,
		   char *err, size_t errlen)
{
	struct stat st;
	void *m;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->size = size;

	if (!path) {
		m = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			snprintf(err, errlen, "cannot allocate %zu bytes: %s",
				 size, strerror(errno));
			return -1;
		}
		img->mem = m;
		memset(img->mem, 0xFF, size);
		return 0;
	}

	/* O_EXCL first, so that "created" is exact and we never clobber a file. */
	img->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (img->fd >= 0) {
		img->created = 1;
		if (ftruncate(img->fd, (off_t)size) < 0) {
			snprintf(err, errlen, "cannot size '%s' to %zu bytes: %s",
				 path, size, strerror(errno));
			goto fail;
		}
	} else if (errno == EEXIST) {
		img->fd = open(path, O_RDWR | O_CLOEXEC);
		if (img->fd < 0) {
			snprintf(err, errlen, "cannot open '%s': %s", path,
				 strerror(errno));
			return -1;
		}
		if (fstat(img->fd, &st) < 0) {
			snprintf(err, errlen, "cannot stat '%s': %s", path,
				 strerror(errno));
			goto fail;
		}
		if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != size) {
			snprintf(err, errlen,
				 "image '%s' is %lld bytes but the chip holds %zu: "
				 "use a file of exactly the chip's size, or a new name",
				 path, (long long)st.st_size, size);
			goto fail;
		}
	} else {
		snprintf(err, errlen, "cannot create '%s': %s", path,
			 strerror(errno));
		return -1;
	}

	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, img->fd, 0);
	if (m == MAP_FAILED) {
		snprintf(err, errlen, "cannot map '%s': %s", path, strerror(errno));
		goto fail;
	}
	img->mem = m;
	/* A new file reads as zeros: a new chip is erased. */
	if (img->created)
		memset(img->mem, 0xFF, size);
	return 0;

fail:
	close(img->fd);
	if (img->created)
		unlink(path);
	img->fd = -1;
	return -1;
}

int emu_image_sync(struct emu_image *img)
{
	if (!img->mem || img->fd < 0)
		return 0;
	return msync(img->mem, img->size, MS_SYNC);
}

int emu_image_close(struct emu_image *img)
{
	int ret = 0;

	if (!img->mem)
		return 0;
	if (img->fd >= 0) {
		ret = msync(img->mem, img->size, MS_SYNC);
		close(img->fd);
	}
	munmap(img->mem, img->size);
	img->mem = NULL;
	img->fd = -1;
	return ret;
}
