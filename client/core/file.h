/*
 * file: image files in and out.  Output is atomic: a temporary file in the
 * same directory, fsync, rename; a failed run leaves the old file untouched.
 */
#ifndef FILE_H
#define FILE_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>


/* Read [off, off+len) of path ("-": stdin) into a new buffer.  len 0 means
 * "to the end of the file".  msg gets the detail of a failure. */
int file_load(const char *path, uint64_t off, uint64_t len, int len_given,
	      uint8_t **buf, uint32_t *out_len, char *msg, size_t msglen);

struct file_out {
	char *path;          /* final name, NULL for stdout */
	char *tmp;           /* temporary name */
	int fd;
};

/* Create the temporary file now, so an unwritable place fails before any
 * time is spent reading the chip. */
int file_out_begin(struct file_out *f, const char *path, char *msg, size_t msglen);
int file_out_commit(struct file_out *f, const uint8_t *buf, size_t len, char *msg, size_t msglen);
void file_out_abort(struct file_out *f);

#endif
