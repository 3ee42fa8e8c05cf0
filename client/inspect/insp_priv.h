/*
 * Helpers shared by the inspect parsers: field reads with explicit shifts
 * (never a struct cast onto the buffer: the buffer has no alignment and the
 * host any byte order), a bounds test that cannot overflow, and notes.
 */
#ifndef INSP_PRIV_H
#define INSP_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "inspect.h"

static inline uint16_t insp_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t insp_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t insp_le64(const uint8_t *p)
{
	return (uint64_t)insp_le32(p) | ((uint64_t)insp_le32(p + 4) << 32);
}

static inline uint32_t insp_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

/* [off, off + n) lies inside a buffer of len bytes; written so that no sum
 * can wrap, whatever off and n a hostile header gives. */
static inline int insp_fits(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/* Copies a name field of at most max bytes, stopping at NUL, into out
 * (INSP_NAME_MAX + 1 bytes); bytes outside printable ASCII become '?', so
 * no printer has to trust them. */
void insp_copy_name(char *out, const uint8_t *p, size_t max);

/* Adds a note (printf format) to the report; counts it in notes_more when
 * the table is full. */
void insp_note(struct insp_report *r, int warn, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Writes s as a JSON string, quotes and escapes included. */
void insp_json_str(FILE *f, const char *s);

#endif
