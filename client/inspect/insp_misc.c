/*
 * Embedded-Linux payloads that turn up in SPI flash of routers and boards:
 *   U-Boot legacy uImage: 64-byte header, big endian: magic 0x27051956,
 *     hcrc, time, size, load, ep, dcrc, os, arch, type, comp, name[32];
 *     hcrc is the CRC32 of the header with the hcrc field zeroed.
 *   FIT / device tree blob: big endian magic 0xd00dfeed, totalsize,
 *     off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
 *     last_comp_version, ...; a FIT is a tree with an /images node.
 *   squashfs (little endian): "hsqs", inodes, mkfs_time, block_size,
 *     fragments, compression u16, block_log u16, flags, no_ids,
 *     s_major u16 at 28, s_minor at 30, root_inode u64, bytes_used u64 at 40.
 * The scan looks at every 4-byte offset, since these sit wherever a
 * partition starts, and skips past each one found.  A 4-byte magic turns up
 * by chance in code (U-Boot holds the uImage magic as a constant), so each
 * kind must also pass its own sanity test.
 */
#include "insp_priv.h"

#include <string.h>
#include <zlib.h>

#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HDR 64
#define FDT_MAGIC 0xd00dfeedu
#define FDT_HDR 40
#define FDT_BEGIN_NODE 1u
#define SQFS_HDR 96

const char *insp_blob_kind_name(enum insp_blob_kind k)
{
	switch (k) {
	case INSP_UIMAGE:
		return "uImage";
	case INSP_FIT:
		return "FDT";
	case INSP_SQUASHFS:
		return "squashfs";
	}
	return "?";
}

static struct insp_blob *new_blob(struct insp_report *r)
{
	if (r->nblobs >= INSP_MAX_BLOBS) {
		r->blobs_more++;
		return NULL;
	}
	return memset(&r->blob[r->nblobs++], 0, sizeof(struct insp_blob));
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);

	while (n) {
		uInt chunk = n > 0x40000000u ? 0x40000000u : (uInt)n;

		c = crc32(c, p, chunk);
		p += chunk;
		n -= chunk;
	}
	return (uint32_t)c;
}

/* Returns the bytes to skip (0: not a uImage). */
static uint64_t try_uimage(const uint8_t *buf, size_t len, size_t off, struct insp_report *r)
{
	uint8_t hdr[UIMAGE_HDR];
	uint32_t size;
	int ok;
	struct insp_blob *b;

	if (!insp_fits(len, off, UIMAGE_HDR) || insp_be32(buf + off) != UIMAGE_MAGIC)
		return 0;
	memcpy(hdr, buf + off, UIMAGE_HDR);
	memset(hdr + 4, 0, 4);
	ok = crc32_of(hdr, UIMAGE_HDR) == insp_be32(buf + off + 4);
	/* a bad CRC is worth reporting only where a partition would start */
	if (!ok && off % 4096)
		return 0;
	size = insp_be32(buf + off + 12);
	b = new_blob(r);
	if (b) {
		b->kind = INSP_UIMAGE;
		b->off = off;
		b->size = (uint64_t)size + UIMAGE_HDR;
		insp_copy_name(b->name, buf + off + 32, 32);
		b->crc_ok = ok;
		b->past_end = !insp_fits(len, off, b->size);
		b->data_crc_ok = b->past_end ? -1 :
			crc32_of(buf + off + UIMAGE_HDR, size) == insp_be32(buf + off + 24);
	}
	return UIMAGE_HDR;
}

/* An FDT_BEGIN_NODE token followed by the name "images" in the structure
 * block: what makes a device tree a FIT. */
static int has_images_node(const uint8_t *t, uint64_t total)
{
	uint32_t st = insp_be32(t + 8);
	uint64_t i;

	for (i = st; i + 11 <= total; i += 4)
		if (insp_be32(t + i) == FDT_BEGIN_NODE && !memcmp(t + i + 4, "images", 7))
			return 1;
	return 0;
}

static uint64_t try_fdt(const uint8_t *buf, size_t len, size_t off, struct insp_report *r)
{
	const uint8_t *t;
	uint32_t total, ver, last;
	struct insp_blob *b;

	if (!insp_fits(len, off, FDT_HDR) || insp_be32(buf + off) != FDT_MAGIC)
		return 0;
	t = buf + off;
	total = insp_be32(t + 4);
	ver = insp_be32(t + 20);
	last = insp_be32(t + 24);
	if (total < FDT_HDR || ver < 16 || ver > 17 || last > 16 ||
	    insp_be32(t + 8) >= total || insp_be32(t + 12) > total)
		return 0;
	b = new_blob(r);
	if (b) {
		b->kind = INSP_FIT;
		b->off = off;
		b->size = total;
		b->ver_major = ver;
		b->ver_minor = last;
		b->past_end = !insp_fits(len, off, total);
		/* the check stays inside both the blob and the buffer */
		strcpy(b->name, has_images_node(t, b->past_end ? len - off : total) ?
		       "FIT" : "device tree");
	}
	return total;
}

static uint64_t try_squashfs(const uint8_t *buf, size_t len, size_t off, struct insp_report *r)
{
	const uint8_t *s;
	uint32_t bs;
	uint16_t blog;
	struct insp_blob *b;

	if (!insp_fits(len, off, SQFS_HDR) || memcmp(buf + off, "hsqs", 4))
		return 0;
	s = buf + off;
	bs = insp_le32(s + 12);
	blog = insp_le16(s + 22);
	if (insp_le16(s + 28) != 4 || blog < 12 || blog > 20 || bs != (1u << blog))
		return 0;
	b = new_blob(r);
	if (b) {
		b->kind = INSP_SQUASHFS;
		b->off = off;
		b->size = insp_le64(s + 40);
		b->ver_major = insp_le16(s + 28);
		b->ver_minor = insp_le16(s + 30);
		b->past_end = !insp_fits(len, off, b->size);
	}
	return insp_le64(s + 40);
}

int insp_misc_scan(const uint8_t *buf, size_t len, struct insp_report *r)
{
	size_t off = 0;

	if (!r || (!buf && len))
		return INSP_E_ARG;
	while (len >= 4 && off <= len - 4) {
		uint64_t skip = try_uimage(buf, len, off, r);

		if (!skip)
			skip = try_fdt(buf, len, off, r);
		if (!skip)
			skip = try_squashfs(buf, len, off, r);
		/* past what was found, if that is inside the image; a
		 * uImage's payload (often a FIT) is listed too */
		if (skip && insp_fits(len, off, skip) && skip >= 4)
			off += (size_t)((skip + 3) & ~(uint64_t)3);
		else
			off += 4;
	}
	return 0;
}
