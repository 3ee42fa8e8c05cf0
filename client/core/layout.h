/*
 * layout: named regions of a chip, from a flashrom layout file
 * ("start:end name" per line, hex, end inclusive) or from an FMAP (fmap.h).
 * Pure: text or bytes in, a struct out, messages in the caller's buffer.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define LAYOUT_MAX 128          /* regions; coreboot FMAPs hold about 40 */
#define LAYOUT_NAME_MAX 64      /* bytes of a name, without the NUL */

struct layout_region {
	uint32_t start;
	uint32_t end;                     /* inclusive, as in flashrom's files */
	char name[LAYOUT_NAME_MAX + 1];
};

struct layout {
	struct layout_region r[LAYOUT_MAX];
	unsigned n;
};

enum layout_err {
	LAYOUT_E_SYNTAX = -700,    /* a line is not "start:end name" */
	LAYOUT_E_RANGE = -701,     /* end before start, or past 4 GiB */
	LAYOUT_E_DUP = -702,       /* a name given twice */
	LAYOUT_E_TOOMANY = -703,   /* more than LAYOUT_MAX regions */
	LAYOUT_E_NONAME = -704,    /* layout_find: no such region */
	LAYOUT_E_EMPTY = -705,     /* no region at all */
};

/* Parse a layout file's text (len bytes; need not be NUL-terminated).
 * Blank lines and lines starting with '#' are skipped.  msg names the line. */
int layout_parse(const char *text, size_t len, struct layout *l, char *msg, size_t msglen);

/* The region called name, or NULL. */
const struct layout_region *layout_find(const struct layout *l, const char *name);

/* Add one region (checked as layout_parse checks a line). */
int layout_add(struct layout *l, uint32_t start, uint32_t end, const char *name, size_t namelen,
	       char *msg, size_t msglen);

/* The names, comma-separated, for "no region 'x': the layout has a, b". */
void layout_names(const struct layout *l, char *buf, size_t len);

#endif
