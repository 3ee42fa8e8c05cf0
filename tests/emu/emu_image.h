/*
 * emu_image: the flash chip's contents as a file, mapped MAP_SHARED so that
 * every program and erase the chip model performs is already in the page
 * cache: a crash of the emulator loses nothing.
 */
#ifndef EMU_IMAGE_H
#define EMU_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct emu_image {
	uint8_t *mem;      /* size bytes, erased (0xFF) when freshly created */
	size_t size;
	int fd;            /* -1 for an anonymous buffer */
	int created;       /* 1 if emu_image_open() created the file */
};

/*
 * Map path (size bytes) or, with path NULL, an anonymous erased buffer.
 * A missing file is created erased; an existing file of another size is
 * refused.  Returns 0, or -1 with a message (no final newline) in err.
 */
int emu_image_open(struct emu_image *img, const char *path, size_t size,
		   char *err, size_t errlen);
/* Write back (msync) without unmapping; 0 or -1 with errno set. */
int emu_image_sync(struct emu_image *img);
/* Sync and unmap; 0 or -1 if the final msync failed. */
int emu_image_close(struct emu_image *img);

#endif
