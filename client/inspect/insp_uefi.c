/*
 * UEFI firmware volumes (PI spec, EFI_FIRMWARE_VOLUME_HEADER, little endian):
 *   0 ZeroVector[16], 16 FileSystemGuid, 32 FvLength u64, 40 "_FVH",
 *   44 Attributes u32, 48 HeaderLength u16, 50 Checksum u16,
 *   52 ExtHeaderOffset u16, 54 Reserved, 55 Revision, 56 BlockMap[]
 * The 16-bit words of the header (HeaderLength bytes) sum to 0.
 *
 * Volumes in flash start on erase-block boundaries, so the scan looks every
 * 4 KiB and, after a volume whose length fits, goes on past its end: what is
 * inside a volume (nested volumes, files) is that volume's business.
 */
#include "insp_priv.h"

#include <stdio.h>
#include <string.h>

#define FV_STEP 0x1000u
#define FV_SIG_OFF 40
#define FV_MIN_HDR 64		/* fixed part (56) and the block map's terminator */

static const struct {
	const char *guid, *name;
} known_guids[] = {
	{ "8C8CE578-8A3D-4F1C-9935-896185C32DD3", "FFS2" },
	{ "5473C07A-3DCB-4DCA-BD6F-1E9689E7349A", "FFS3" },
	{ "FFF12B8D-7696-4C8B-A985-2747075B4F50", "NVRAM" },
	{ "04ADEEAD-61FF-4D31-B6BA-64F8BF901F5A", "Apple boot volume" },
	{ "7A9354D9-0468-444A-81CE-0BF617D890DF", "FFS1" },
};

static void guid_text(char out[37], const uint8_t *g)
{
	snprintf(out, 37, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 (unsigned)insp_le32(g), (unsigned)insp_le16(g + 4), (unsigned)insp_le16(g + 6),
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static const char *guid_name(const char *guid)
{
	size_t i;

	for (i = 0; i < sizeof(known_guids) / sizeof(known_guids[0]); i++)
		if (!strcmp(guid, known_guids[i].guid))
			return known_guids[i].name;
	return NULL;
}

static int header_sum_ok(const uint8_t *h, size_t hdr_len)
{
	uint16_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < hdr_len; i += 2)
		sum = (uint16_t)(sum + insp_le16(h + i));
	return sum == 0;
}

/* A header at off that looks like a volume: signature, a header length that
 * fits in the buffer and in the volume. */
static int plausible(const uint8_t *buf, size_t len, size_t off)
{
	const uint8_t *h;
	uint16_t hl;

	if (!insp_fits(len, off, FV_MIN_HDR))
		return 0;
	h = buf + off;
	if (memcmp(h + FV_SIG_OFF, "_FVH", 4))
		return 0;
	hl = insp_le16(h + 48);
	return hl >= FV_MIN_HDR && hl % 2 == 0 && insp_fits(len, off, hl) &&
	       insp_le64(h + 32) >= hl;
}

static void add_fv(const uint8_t *buf, size_t len, size_t off, struct insp_report *r)
{
	const uint8_t *h = buf + off;
	struct insp_fv *v;

	if (r->nfv >= INSP_MAX_FV) {
		r->fv_more++;
		return;
	}
	v = &r->fv[r->nfv++];
	v->off = off;
	v->size = insp_le64(h + 32);
	guid_text(v->guid, h + 16);
	v->guid_name = guid_name(v->guid);
	v->hdr_len = insp_le16(h + 48);
	v->revision = h[55];
	v->checksum_ok = header_sum_ok(h, v->hdr_len);
	v->past_end = !insp_fits(len, off, v->size);
}

int insp_uefi_scan(const uint8_t *buf, size_t len, struct insp_report *r)
{
	size_t off = 0;

	if (!r || (!buf && len))
		return INSP_E_ARG;
	while (off < len) {
		uint64_t size, next;

		if (!plausible(buf, len, off)) {
			off += FV_STEP;
			continue;
		}
		add_fv(buf, len, off, r);
		size = insp_le64(buf + off + 32);
		/* a volume that claims to run past the end may be a broken
		 * header: keep scanning inside it rather than trust it */
		if (!insp_fits(len, off, size)) {
			off += FV_STEP;
			continue;
		}
		next = ((uint64_t)off + size + FV_STEP - 1) / FV_STEP * FV_STEP;
		off = next > off ? (size_t)next : off + FV_STEP;
	}
	return 0;
}
