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

/*
 * A dump is never replaced silently.  When FILE exists:
 *   - it holds exactly the bytes read: it is left as it is (same inode,
 *     same mode) and file_out_commit sets f->same;
 *   - it holds other bytes: FILE_E_EXISTS, FILE untouched, msg says how
 *     many bytes differ and where, unless force; with force it is replaced
 *     and keeps its mode;
 *   - it is read-only (no write bit): never replaced, force or not;
 *   - it is a symbolic link: the link is followed (the file it names is
 *     compared and replaced, the link stays); a dangling link is refused;
 *   - it is not a regular file: refused.
 * "-" is stdout, none of this applies.
 */
struct file_out {
	char *path;          /* the file to create or replace (a link resolved), NULL for stdout */
	char *shown;         /* the name as given, for messages */
	char *tmp;           /* temporary name */
	int fd;
	int force;
	int exists;          /* path existed at begin */
	int same;            /* after commit: the existing file already held the bytes */
	unsigned mode;       /* the existing file's mode */
};

/* Create the temporary file now, so an unwritable place fails before any
 * time is spent reading the chip. */
int file_out_begin(struct file_out *f, const char *path, int force, char *msg, size_t msglen);
int file_out_commit(struct file_out *f, const uint8_t *buf, size_t len, char *msg, size_t msglen);
void file_out_abort(struct file_out *f);

#endif
