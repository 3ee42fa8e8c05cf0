/*
 * Printers for insp_identify's report: text for people (one structure per
 * paragraph, numbers in the form ifdtool and cbfstool print them, so the
 * two can be set side by side) and JSON for scripts (hand-written: every
 * string goes through insp_json_str).
 */
#include "insp_priv.h"

#include <inttypes.h>
#include <stdio.h>

void insp_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *master_names[INSP_IFD_MASTERS] = { "BIOS", "ME", "GbE", "Master4", "EC" };

static void acc_text(char out[3], uint8_t a)
{
	out[0] = (a & INSP_ACC_READ) ? 'r' : '-';
	out[1] = (a & INSP_ACC_WRITE) ? 'w' : '-';
	out[2] = '\0';
}

static void text_ifd(FILE *f, const struct insp_ifd *d)
{
	size_t i, m;
	char a[3];

	fprintf(f, "Intel flash descriptor at 0x%zx (version %d)\n", d->sig_off, d->version);
	if (d->version == 1) {
		fprintf(f, "  FLMAP0: 0x%08" PRIx32 " NR %u FRBA 0x%" PRIx32 " NC %u FCBA 0x%"
			PRIx32 "\n", d->flmap0, d->nr, d->frba, d->nc, d->fcba);
		fprintf(f, "  FLMAP1: 0x%08" PRIx32 " ISL 0x%02x FPSBA 0x%" PRIx32 " NM %u FMBA 0x%"
			PRIx32 "\n", d->flmap1, d->isl, d->fpsba, d->nm, d->fmba);
		fprintf(f, "  FLMAP2: 0x%08" PRIx32 " PSL 0x%04x FMSBA 0x%" PRIx32 "\n",
			d->flmap2, d->psl, d->fmsba);
	} else {
		fprintf(f, "  FLMAP0: 0x%08" PRIx32 " FRBA 0x%" PRIx32 " NC %u FCBA 0x%" PRIx32 "\n",
			d->flmap0, d->frba, d->nc, d->fcba);
		fprintf(f, "  FLMAP1: 0x%08" PRIx32 " PSL 0x%02x FPSBA 0x%" PRIx32 " NM %u FMBA 0x%"
			PRIx32 "\n", d->flmap1, d->psl, d->fpsba, d->nm, d->fmba);
		fprintf(f, "  FLMAP2: 0x%08" PRIx32 " FMSBA 0x%" PRIx32 "\n", d->flmap2, d->fmsba);
	}
	for (i = 0; i < d->nregions; i++) {
		const struct insp_ifd_region *g = &d->reg[i];

		fprintf(f, "  FLREG%u: 0x%08" PRIx32 " %-10s %08" PRIx32 " - %08" PRIx32 "%s%s\n",
			g->index, g->flreg, g->name, g->base, g->limit,
			g->used ? "" : " (unused)", g->past_end ? " PAST END" : "");
	}
	if (d->table_truncated)
		fprintf(f, "  region table cut by the end of the image\n");
	for (m = 0; d->has_masters && m < d->nmasters; m++) {
		fprintf(f, "  FLMSTR%zu: 0x%08" PRIx32 " (%s)", m + 1, d->flmstr[m],
			master_names[m]);
		for (i = 0; i < d->nregions; i++) {
			if (!(d->acc[m][d->reg[i].index] & INSP_ACC_KNOWN))
				continue;
			acc_text(a, d->acc[m][d->reg[i].index]);
			fprintf(f, " %s=%s", d->reg[i].name, a);
		}
		fputc('\n', f);
	}
}

static void text_fmap(FILE *f, const struct insp_fmap *m)
{
	size_t i;

	fprintf(f, "FMAP at 0x%zx: \"%s\" v%u.%u base 0x%" PRIx64 " size 0x%" PRIx32
		", %u areas%s\n", m->at, m->name, m->ver_major, m->ver_minor, m->base, m->size,
		m->nareas, m->truncated ? " (cut by the end of the image)" : "");
	for (i = 0; i < m->nlisted; i++)
		fprintf(f, "  area 0x%08" PRIx32 " size 0x%08" PRIx32 " flags 0x%04x %s%s\n",
			m->area[i].off, m->area[i].size, m->area[i].flags, m->area[i].name,
			m->area[i].past_end ? " PAST END" : "");
	if (m->nlisted < m->nareas && !m->truncated)
		fprintf(f, "  ... and %zu more areas\n", (size_t)m->nareas - m->nlisted);
}

static void text_fv(FILE *f, const struct insp_report *r)
{
	size_t i;

	for (i = 0; i < r->nfv; i++) {
		const struct insp_fv *v = &r->fv[i];

		fprintf(f, "FV at 0x%zx size 0x%" PRIx64 " guid %s%s%s%s hdrlen 0x%x rev %u "
			"checksum %s%s\n", v->off, v->size, v->guid, v->guid_name ? " (" : "",
			v->guid_name ? v->guid_name : "", v->guid_name ? ")" : "", v->hdr_len,
			v->revision, v->checksum_ok ? "ok" : "BAD", v->past_end ? " PAST END" : "");
	}
	if (r->fv_more)
		fprintf(f, "... and %zu more firmware volumes\n", r->fv_more);
}

static void text_cbfs(FILE *f, const struct insp_cbfs *c)
{
	static const char *const comp[] = { "none", "LZMA", "LZ4" };
	size_t i;

	fprintf(f, "CBFS at 0x%zx - 0x%zx, %zu files%s\n", c->start, c->end, c->nfiles,
		c->truncated ? " (cut)" : "");
	if (c->has_master)
		fprintf(f, "  master header at 0x%zx: version 0x%08" PRIx32 " romsize 0x%" PRIx32
			" bootblocksize 0x%" PRIx32 " align 0x%" PRIx32 " offset 0x%" PRIx32
			" arch 0x%08" PRIx32 "\n", c->master_at, c->version, c->romsize,
			c->bootblocksize, c->align, c->offset, c->arch);
	for (i = 0; i < c->nlisted; i++) {
		const struct insp_cbfs_file *e = &c->file[i];

		fprintf(f, "  file 0x%" PRIx32 " %s %" PRIu32 " %s %s%s\n", e->off,
			insp_cbfs_type_name(e->type), e->len, e->comp < 3 ? comp[e->comp] : "?",
			e->name[0] || e->type != 0xffffffffu ? e->name : "(empty)",
			e->past_end ? " PAST END" : "");
	}
	if (c->nfiles > c->nlisted)
		fprintf(f, "  ... and %zu more files\n", c->nfiles - c->nlisted);
}

static void text_blobs(FILE *f, const struct insp_report *r)
{
	size_t i;

	for (i = 0; i < r->nblobs; i++) {
		const struct insp_blob *b = &r->blob[i];

		fprintf(f, "%s at 0x%zx size %" PRIu64, insp_blob_kind_name(b->kind), b->off,
			b->size);
		if (b->kind == INSP_UIMAGE)
			fprintf(f, " name \"%s\" header crc %s data crc %s", b->name,
				b->crc_ok ? "ok" : "BAD", b->data_crc_ok < 0 ? "cut" :
				b->data_crc_ok ? "ok" : "BAD");
		else if (b->kind == INSP_FIT)
			fprintf(f, " %s version %u", b->name, b->ver_major);
		else
			fprintf(f, " version %u.%u", b->ver_major, b->ver_minor);
		fprintf(f, "%s\n", b->past_end ? " PAST END" : "");
	}
	if (r->blobs_more)
		fprintf(f, "... and %zu more\n", r->blobs_more);
}

int insp_print_text(FILE *f, const struct insp_report *r)
{
	size_t i;

	if (!f || !r)
		return INSP_E_ARG;
	fprintf(f, "image: %zu bytes, %zu bytes 0xFF\n", r->len, r->ff_bytes);
	if (r->ifd.found)
		text_ifd(f, &r->ifd);
	if (r->fmap.found)
		text_fmap(f, &r->fmap);
	text_fv(f, r);
	if (r->cbfs.found)
		text_cbfs(f, &r->cbfs);
	text_blobs(f, r);
	for (i = 0; i < r->nnotes; i++)
		fprintf(f, "%s %s\n", r->note[i].warn ? "warning:" : "note:", r->note[i].text);
	if (r->notes_more)
		fprintf(f, "... and %zu more notes\n", r->notes_more);
	return ferror(f) ? -1 : 0;
}
