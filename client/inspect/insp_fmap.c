/*
 * FMAP: the flash map that coreboot and ChromeOS images carry somewhere in
 * the image, found by its "__FMAP__" signature.  Layout (little endian):
 *   header 56 bytes: signature[8], ver_major, ver_minor, base u64,
 *                    size u32, name[32], nareas u16
 *   area 42 bytes:   offset u32, size u32, name[32], flags u16
 * Only version 1 is known; another version is taken for a chance match of
 * the signature (e.g. the string inside code that looks for it).
 */
#include "insp_priv.h"

#include <string.h>

#define FMAP_SIG "__FMAP__"
#define FMAP_SIG_LEN 8
#define FMAP_HDR_LEN 56
#define FMAP_AREA_LEN 42
#define FMAP_NAME_LEN 32

static void parse_areas(const uint8_t *buf, size_t len, struct insp_fmap *f)
{
	size_t i;

	for (i = 0; i < f->nareas; i++) {
		uint64_t at = f->at + FMAP_HDR_LEN + (uint64_t)i * FMAP_AREA_LEN;
		const uint8_t *a;
		struct insp_fmap_area *o;

		if (!insp_fits(len, at, FMAP_AREA_LEN)) {
			f->truncated = 1;
			return;
		}
		if (f->nlisted >= INSP_FMAP_MAX_AREAS)
			return;
		a = buf + at;
		o = &f->area[f->nlisted++];
		o->off = insp_le32(a);
		o->size = insp_le32(a + 4);
		insp_copy_name(o->name, a + 8, FMAP_NAME_LEN);
		o->flags = insp_le16(a + 40);
		o->past_end = (uint64_t)o->off + o->size > len;
	}
}

static void parse_header(const uint8_t *buf, size_t len, size_t at, struct insp_fmap *f)
{
	const uint8_t *h = buf + at;

	f->found = 1;
	f->at = at;
	f->ver_major = h[8];
	f->ver_minor = h[9];
	f->base = insp_le64(h + 10);
	f->size = insp_le32(h + 18);
	insp_copy_name(f->name, h + 22, FMAP_NAME_LEN);
	f->nareas = insp_le16(h + 54);
	parse_areas(buf, len, f);
}

int insp_fmap_parse(const uint8_t *buf, size_t len, struct insp_fmap *f)
{
	size_t at = 0;

	if (!f || (!buf && len))
		return INSP_E_ARG;
	memset(f, 0, sizeof(*f));
	while (at + FMAP_SIG_LEN <= len) {
		const uint8_t *p = memchr(buf + at, '_', len - at - FMAP_SIG_LEN + 1);

		if (!p)
			break;
		at = (size_t)(p - buf);
		if (!memcmp(p, FMAP_SIG, FMAP_SIG_LEN)) {
			if (!insp_fits(len, at, FMAP_HDR_LEN)) {
				/* a signature in the last bytes: keep looking for
				 * nothing more, but say it is there, cut */
				if (at + 9 <= len && p[8] != 1)
					break;
				f->found = 1;
				f->at = at;
				f->truncated = 1;
				return 0;
			}
			if (p[8] == 1) {
				parse_header(buf, len, at, f);
				return 0;
			}
		}
		at++;
	}
	return 0;
}
