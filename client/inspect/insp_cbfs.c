/*
 * CBFS, coreboot's file system (all fields big endian):
 *   master header (32 bytes): "ORBC", version, romsize, bootblocksize,
 *     align, offset, architecture, pad; found through the pointer in the
 *     last 4 bytes of an x86 image (a negative offset from the end, which is
 *     also what a 32-bit x86 address just below 4 GiB comes to).
 *   file (24 bytes + name): "LARCHIVE", len, type, attributes_offset,
 *     offset (of the data, from the file header); files follow each other
 *     on 64-byte boundaries.
 * Where the files start: the FMAP's COREBOOT area if there is one (images
 * made with an FMAP need no master header), else the master header's
 * offset, else the first 64-byte aligned "LARCHIVE".
 */
#include "insp_priv.h"

#include <string.h>

#define CBFS_MAGIC 0x4F524243u	/* "ORBC" */
#define CBFS_HDR_LEN 32
#define CBFS_FILE_HDR 24
#define CBFS_ALIGN 64u
#define ATTR_COMPRESSION 0x42435a4cu
#define ATTR_HDR 8

const char *insp_cbfs_type_name(uint32_t type)
{
	static const struct {
		uint32_t type;
		const char *name;
	} names[] = {
		{ 0xffffffffu, "null" }, { 0x00, "deleted" }, { 0x01, "bootblock" },
		{ 0x02, "cbfs header" }, { 0x10, "stage" }, { 0x20, "simple elf" },
		{ 0x21, "fit_payload" }, { 0x30, "optionrom" }, { 0x40, "bootsplash" },
		{ 0x50, "raw" }, { 0x51, "vsa" }, { 0x52, "mbi" }, { 0x53, "microcode" },
		{ 0x60, "fsp" }, { 0x61, "mrc" }, { 0x62, "mma" }, { 0x63, "efi" },
		{ 0x70, "struct" }, { 0xaa, "cmos_default" }, { 0xab, "spd" },
		{ 0xac, "mrc_cache" }, { 0x1aa, "cmos_layout" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	return "unknown";
}

static void find_master(const uint8_t *buf, size_t len, struct insp_cbfs *c)
{
	int64_t rel;
	uint64_t at;
	const uint8_t *h;

	if (len < 4 || len > INT64_MAX)
		return;
	rel = (int32_t)insp_le32(buf + len - 4);
	if (rel >= 0 || -rel > (int64_t)len)
		return;
	at = (uint64_t)((int64_t)len + rel);
	if (!insp_fits(len, at, CBFS_HDR_LEN) || insp_be32(buf + at) != CBFS_MAGIC)
		return;
	h = buf + at;
	c->has_master = 1;
	c->master_at = (size_t)at;
	c->version = insp_be32(h + 4);
	c->romsize = insp_be32(h + 8);
	c->bootblocksize = insp_be32(h + 12);
	c->align = insp_be32(h + 16);
	c->offset = insp_be32(h + 20);
	c->arch = insp_be32(h + 24);
}

/* Where the walk starts and ends; 0 if there is no CBFS to walk. */
static int find_start(const uint8_t *buf, size_t len, const struct insp_fmap *fmap,
		      struct insp_cbfs *c)
{
	size_t i, at;

	for (i = 0; fmap && fmap->found && i < fmap->nlisted; i++) {
		const struct insp_fmap_area *a = &fmap->area[i];

		if (!strcmp(a->name, "COREBOOT") && a->off < len) {
			c->start = a->off;
			c->end = a->past_end ? len : (size_t)a->off + a->size;
			return 1;
		}
	}
	/* the master header's offset counts from the start of a ROM of
	 * romsize bytes that sits at the top of the flash */
	if (c->has_master && c->romsize <= len &&
	    (uint64_t)(len - c->romsize) + c->offset < len) {
		c->start = len - c->romsize + c->offset;
		c->end = len;
		return 1;
	}
	for (at = 0; at + 8 <= len; at += CBFS_ALIGN)
		if (!memcmp(buf + at, "LARCHIVE", 8)) {
			c->start = at;
			c->end = len;
			return 1;
		}
	return 0;
}

static uint32_t compression(const uint8_t *f, uint32_t attr_off, uint32_t data_off)
{
	uint32_t at = attr_off;

	/* differences, not sums: a hostile attr_off near 4 GiB must not wrap */
	while (at >= CBFS_FILE_HDR && at <= data_off && data_off - at >= ATTR_HDR) {
		uint32_t tag = insp_be32(f + at), size = insp_be32(f + at + 4);

		if (size < ATTR_HDR || size > data_off - at)
			break;
		if (tag == ATTR_COMPRESSION && size >= 16)
			return insp_be32(f + at + 8);
		at += size;
	}
	return 0;
}

#define WALK_STOP SIZE_MAX

/* One file header at p (inside [start, end)); returns the next file's
 * offset, or WALK_STOP. */
static size_t one_file(const uint8_t *buf, size_t p, struct insp_cbfs *c, size_t step)
{
	const uint8_t *f = buf + p;
	uint32_t flen = insp_be32(f + 8), data_off = insp_be32(f + 20);
	uint64_t next;
	struct insp_cbfs_file *o;
	int cut;

	if (data_off < CBFS_FILE_HDR || !insp_fits(c->end - p, 0, data_off)) {
		c->truncated = 1;
		return WALK_STOP;
	}
	cut = !insp_fits(c->end - p, data_off, flen);
	c->nfiles++;
	if (c->nlisted < INSP_CBFS_MAX_FILES) {
		o = &c->file[c->nlisted++];
		o->off = (uint32_t)(p - c->start);
		o->len = flen;
		o->type = insp_be32(f + 12);
		o->attr_off = insp_be32(f + 16);
		o->data_off = data_off;
		o->comp = compression(f, o->attr_off, data_off);
		o->past_end = cut;
		insp_copy_name(o->name, f + CBFS_FILE_HDR, data_off - CBFS_FILE_HDR);
	}
	if (cut) {
		c->truncated = 1;
		return WALK_STOP;
	}
	next = ((uint64_t)p + data_off + flen + step - 1) / step * step;
	return next < c->end ? (size_t)next : WALK_STOP;
}

int insp_cbfs_parse(const uint8_t *buf, size_t len, const struct insp_fmap *fmap,
		    struct insp_cbfs *c)
{
	size_t p, step = CBFS_ALIGN;

	if (!c || (!buf && len))
		return INSP_E_ARG;
	memset(c, 0, sizeof(*c));
	find_master(buf, len, c);
	if (!find_start(buf, len, fmap, c))
		return 0;
	/* a master header's alignment wins if it is a sane power of two */
	if (c->has_master && c->align >= 16 && c->align <= 0x10000 &&
	    !(c->align & (c->align - 1)))
		step = c->align;
	p = c->start;
	if (c->end - p < CBFS_FILE_HDR || memcmp(buf + p, "LARCHIVE", 8)) {
		c->found = c->has_master;
		return 0;
	}
	c->found = 1;
	while (p != WALK_STOP && c->end - p >= CBFS_FILE_HDR && !memcmp(buf + p, "LARCHIVE", 8))
		p = one_file(buf, p, c, step);
	/* a file header that the end cuts in two */
	if (p != WALK_STOP && c->end - p >= 8 && c->end - p < CBFS_FILE_HDR &&
	    !memcmp(buf + p, "LARCHIVE", 8))
		c->truncated = 1;
	return 0;
}
