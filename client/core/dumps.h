/*
 * dumps: the files recent reads wrote, so that a write right after a dump
 * of the same chip takes its backup from the dump instead of reading the
 * chip again over the line.
 *
 * The index is a text file in the state directory (state.h), newest last,
 * one line per dump: the chip's JEDEC ID, the chip address the file's first
 * byte came from, the length, and the file's absolute path.  It is only a
 * hint: a sector is taken from a dump only when the CRC-32 of its bytes in
 * the file, read now, equals the CRC-32 the device computed of the chip's
 * sector, so a file edited, replaced or truncated since costs nothing but
 * the read it would have saved.
 */
#ifndef DUMPS_H
#define DUMPS_H

#include <stddef.h>
#include <stdint.h>

#define DUMPS_KEEP  16      /* lines the index keeps */

struct dumps_file {
	uint32_t addr, len;     /* the chip range the file holds from its start */
	char path[1024];
};

/* The dumps of one chip, newest first. */
struct dumps {
	unsigned n;
	struct dumps_file f[DUMPS_KEEP];
};

/* Add a dump of len bytes from chip address addr, held in path (made
 * absolute here), to the index in dir; the oldest lines beyond DUMPS_KEEP
 * go.  0, or -1 with errno (the dump itself is not affected). */
int dumps_note(const char *dir, const uint8_t jedec[3], uint32_t addr, uint32_t len,
	       const char *path);

/* The dumps of the chip with this ID listed in dir's index (none when it
 * cannot be read). */
void dumps_load(struct dumps *d, const char *dir, const uint8_t jedec[3]);

/* The size bytes at chip address addr from the newest dump that holds them
 * and whose bytes there have CRC-32 crc, into out: 1, or 0 (out undefined). */
int dumps_sector(const struct dumps *d, uint32_t addr, uint32_t size, uint32_t crc,
		 uint8_t *out);

#endif
