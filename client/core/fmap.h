/*
 * fmap: a pure, bounds-checked parser of the FMAP that coreboot and
 * ChromeOS images carry (flashrom fmap.c, and the format's spec in
 * github.com/coreboot/flashmap):
 *
 *   "__FMAP__", u8 ver_major (1), u8 ver_minor, u64 base, u32 size,
 *   char name[32], u16 nareas, then nareas x
 *   { u32 offset, u32 size, char name[32], u16 flags }
 *
 * little-endian and packed (a 56-byte header, 42-byte areas), read with
 * explicit shifts.  Areas become layout regions (layout.h).
 */
#ifndef FMAP_H
#define FMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/layout.h"

#define FMAP_SIGNATURE "__FMAP__"
#define FMAP_SIG_LEN 8
#define FMAP_HEADER_LEN 56
#define FMAP_AREA_LEN 42
#define FMAP_NAME_LEN 32
#define FMAP_VER_MAJOR 1

enum fmap_err {
	FMAP_E_NOTFOUND = -600,   /* no signature with a sane header */
	FMAP_E_TRUNC = -601,      /* header or areas past the end of the buffer */
	FMAP_E_VERSION = -602,    /* ver_major is not 1 */
	FMAP_E_BOUNDS = -603,     /* an area outside the FMAP's size, or wrapping */
	FMAP_E_TOOMANY = -604,    /* more areas than LAYOUT_MAX */
	FMAP_E_NAME = -605,       /* an area name empty or given twice */
};

struct fmap_info {
	uint8_t ver_major, ver_minor;
	uint64_t base;
	uint32_t size;            /* of the flash the FMAP describes */
	char name[FMAP_NAME_LEN + 1];
	uint16_t nareas;
};

/* Parse the FMAP at the start of buf (len bytes) into info and l (areas of
 * size 0 are left out: they name no byte).  0 or a negative enum fmap_err. */
int fmap_parse(const uint8_t *buf, size_t len, struct fmap_info *info, struct layout *l);

/* Bytes an FMAP with nareas areas takes. */
#define FMAP_LEN(nareas) (FMAP_HEADER_LEN + (size_t)(nareas) * FMAP_AREA_LEN)

/* Find the first offset in buf where a signature starts a header that
 * parses; *off gets it.  0 or FMAP_E_NOTFOUND (a signature inside data, or a
 * damaged header, is skipped: the search goes on). */
int fmap_find(const uint8_t *buf, size_t len, size_t *off);

/* Bytes needed to parse the FMAP whose header is at buf (at least
 * FMAP_HEADER_LEN bytes): for a caller that reads a chip piecewise. */
size_t fmap_need(const uint8_t *hdr);

const char *fmap_strerror(int err);

#endif
