/*
 * insp_identify: runs every parser over one image and keeps their findings
 * in one report; also the two helpers every parser uses (names, notes).
 */
#include "insp_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void insp_copy_name(char *out, const uint8_t *p, size_t max)
{
	size_t i;

	if (max > INSP_NAME_MAX)
		max = INSP_NAME_MAX;
	for (i = 0; i < max && p[i]; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	out[i] = '\0';
}

void insp_note(struct insp_report *r, int warn, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes >= INSP_MAX_NOTES) {
		r->notes_more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(r->note[r->nnotes].text, INSP_NOTE_LEN, fmt, ap);
	va_end(ap);
	r->note[r->nnotes].warn = warn;
	r->nnotes++;
}

static void structure_notes(struct insp_report *r)
{
	size_t i;

	if (r->ifd.found && r->ifd.table_truncated)
		insp_note(r, 1, "descriptor region table runs past the end of the image");
	for (i = 0; r->ifd.found && i < r->ifd.nregions; i++)
		if (r->ifd.reg[i].past_end)
			insp_note(r, 1, "descriptor region %s (0x%08x-0x%08x) runs past the end "
				  "of the image", r->ifd.reg[i].name, (unsigned)r->ifd.reg[i].base,
				  (unsigned)r->ifd.reg[i].limit);
	if (r->fmap.found && r->fmap.truncated)
		insp_note(r, 1, "FMAP at 0x%zx is cut by the end of the image", r->fmap.at);
	for (i = 0; r->fmap.found && i < r->fmap.nlisted; i++)
		if (r->fmap.area[i].past_end)
			insp_note(r, 1, "FMAP area %s runs past the end of the image",
				  r->fmap.area[i].name);
	for (i = 0; i < r->nfv; i++) {
		if (r->fv[i].past_end)
			insp_note(r, 1, "firmware volume at 0x%zx runs past the end of the image",
				  r->fv[i].off);
		if (!r->fv[i].checksum_ok)
			insp_note(r, 1, "firmware volume at 0x%zx has a bad header checksum",
				  r->fv[i].off);
	}
	if (r->cbfs.found && r->cbfs.truncated)
		insp_note(r, 1, "a CBFS file is cut by the end of the image or its region");
	for (i = 0; i < r->nblobs; i++)
		if (r->blob[i].past_end)
			insp_note(r, 1, "%s at 0x%zx runs past the end of the image",
				  insp_blob_kind_name(r->blob[i].kind), r->blob[i].off);
}

int insp_identify(const uint8_t *buf, size_t len, struct insp_report *r)
{
	if (!r || (!buf && len))
		return INSP_E_ARG;
	memset(r, 0, sizeof(*r));
	r->len = len;
	insp_image_check(buf, len, r);
	insp_ifd_parse(buf, len, &r->ifd);
	insp_ifd_notes(r);
	insp_fmap_parse(buf, len, &r->fmap);
	insp_uefi_scan(buf, len, r);
	insp_cbfs_parse(buf, len, &r->fmap, &r->cbfs);
	insp_misc_scan(buf, len, r);
	structure_notes(r);
	return 0;
}
