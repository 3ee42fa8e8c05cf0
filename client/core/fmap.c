/*
 * fmap: the FMAP parser (fmap.h).
 */
#include "core/fmap.h"

#include <string.h>

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* A name field: up to 32 bytes, NUL-terminated if shorter.  Returns its length. */
static size_t name_len(const uint8_t *p)
{
	const uint8_t *z = memchr(p, 0, FMAP_NAME_LEN);

	return z ? (size_t)(z - p) : FMAP_NAME_LEN;
}

size_t fmap_need(const uint8_t *hdr)
{
	return FMAP_LEN(le16(hdr + 54));
}

int fmap_parse(const uint8_t *buf, size_t len, struct fmap_info *info, struct layout *l)
{
	size_t i, nl;
	char msg[8];

	memset(info, 0, sizeof(*info));
	memset(l, 0, sizeof(*l));
	if (len < FMAP_HEADER_LEN)
		return len >= FMAP_SIG_LEN && !memcmp(buf, FMAP_SIGNATURE, FMAP_SIG_LEN) ?
		       FMAP_E_TRUNC : FMAP_E_NOTFOUND;
	if (memcmp(buf, FMAP_SIGNATURE, FMAP_SIG_LEN))
		return FMAP_E_NOTFOUND;
	info->ver_major = buf[8];
	info->ver_minor = buf[9];
	info->base = le64(buf + 10);
	info->size = le32(buf + 18);
	nl = name_len(buf + 22);
	memcpy(info->name, buf + 22, nl);
	info->name[nl] = '\0';
	info->nareas = le16(buf + 54);
	if (info->ver_major != FMAP_VER_MAJOR)
		return FMAP_E_VERSION;
	if (FMAP_LEN(info->nareas) > len)
		return FMAP_E_TRUNC;
	for (i = 0; i < info->nareas; i++) {
		const uint8_t *a = buf + FMAP_LEN(i);
		uint32_t off = le32(a), size = le32(a + 4);
		int err;

		/* 64-bit sums: an offset near 4 GiB must not wrap past the check */
		if ((uint64_t)off + size > info->size)
			return FMAP_E_BOUNDS;
		if (!size)
			continue;
		nl = name_len(a + 8);
		err = layout_add(l, off, off + size - 1, (const char *)a + 8, nl, msg, sizeof(msg));
		if (err == LAYOUT_E_TOOMANY)
			return FMAP_E_TOOMANY;
		if (err)
			return FMAP_E_NAME;
	}
	return 0;
}

int fmap_find(const uint8_t *buf, size_t len, size_t *off)
{
	struct fmap_info info;
	struct layout l;       /* 9 KiB: fine on a host stack */
	size_t i = 0;

	while (i + FMAP_HEADER_LEN <= len) {
		const uint8_t *p = memchr(buf + i, '_', len - FMAP_HEADER_LEN + 1 - i);

		if (!p)
			break;
		i = (size_t)(p - buf);
		/* a signature in data, or a damaged header: keep looking */
		if (!memcmp(p, FMAP_SIGNATURE, FMAP_SIG_LEN) && !fmap_parse(p, len - i, &info, &l)) {
			*off = i;
			return 0;
		}
		i++;
	}
	return FMAP_E_NOTFOUND;
}

const char *fmap_strerror(int err)
{
	switch (err) {
	case FMAP_E_NOTFOUND: return "no FMAP found";
	case FMAP_E_TRUNC:    return "the FMAP is cut short";
	case FMAP_E_VERSION:  return "the FMAP has an unknown major version";
	case FMAP_E_BOUNDS:   return "an FMAP area lies outside the flash it describes";
	case FMAP_E_TOOMANY:  return "the FMAP has too many areas";
	case FMAP_E_NAME:     return "an FMAP area name is empty or given twice";
	default:              return "unknown error";
	}
}
