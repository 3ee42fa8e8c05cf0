/*
 * insp_print_json: insp_identify's report as one JSON object.  Numbers are
 * plain decimal (JSON has no hex); names and notes go through
 * insp_json_str, which escapes quotes, backslashes and control bytes.
 */
#include "insp_priv.h"

#include <inttypes.h>
#include <stdio.h>

static const char *bool_s(int v)
{
	return v ? "true" : "false";
}

static void json_ifd_masters(FILE *f, const struct insp_ifd *d)
{
	static const char *const mn[INSP_IFD_MASTERS] = { "BIOS", "ME", "GbE", "Master4", "EC" };
	size_t m, i;
	int first;

	fprintf(f, ",\"masters\":[");
	for (m = 0; d->has_masters && m < d->nmasters; m++) {
		fprintf(f, "%s{\"name\":\"%s\",\"flmstr\":%" PRIu32 ",\"access\":{",
			m ? "," : "", mn[m], d->flmstr[m]);
		first = 1;
		for (i = 0; i < d->nregions; i++) {
			uint8_t a = d->acc[m][d->reg[i].index];

			if (!(a & INSP_ACC_KNOWN))
				continue;
			fprintf(f, "%s\"%s\":{\"read\":%s,\"write\":%s}", first ? "" : ",",
				d->reg[i].name, bool_s(a & INSP_ACC_READ), bool_s(a & INSP_ACC_WRITE));
			first = 0;
		}
		fprintf(f, "}}");
	}
	fprintf(f, "]");
}

static void json_ifd(FILE *f, const struct insp_ifd *d)
{
	size_t i;

	fprintf(f, ",\"ifd\":{\"offset\":%zu,\"version\":%d,\"flmap0\":%" PRIu32
		",\"flmap1\":%" PRIu32 ",\"flmap2\":%" PRIu32 ",\"nr\":%u,\"nc\":%u,\"nm\":%u"
		",\"isl\":%u,\"psl\":%u,\"fcba\":%" PRIu32 ",\"frba\":%" PRIu32 ",\"fmba\":%"
		PRIu32 ",\"fpsba\":%" PRIu32 ",\"fmsba\":%" PRIu32 ",\"table_truncated\":%s"
		",\"regions\":[", d->sig_off, d->version, d->flmap0, d->flmap1, d->flmap2,
		d->nr, d->nc, d->nm, d->isl, d->psl, d->fcba, d->frba, d->fmba, d->fpsba,
		d->fmsba, bool_s(d->table_truncated));
	for (i = 0; i < d->nregions; i++) {
		const struct insp_ifd_region *g = &d->reg[i];

		fprintf(f, "%s{\"index\":%u,\"name\":\"%s\",\"flreg\":%" PRIu32 ",\"base\":%"
			PRIu32 ",\"limit\":%" PRIu32 ",\"used\":%s,\"past_end\":%s}", i ? "," : "",
			g->index, g->name, g->flreg, g->base, g->limit, bool_s(g->used),
			bool_s(g->past_end));
	}
	fprintf(f, "]");
	json_ifd_masters(f, d);
	fprintf(f, "}");
}

static void json_fmap(FILE *f, const struct insp_fmap *m)
{
	size_t i;

	fprintf(f, ",\"fmap\":{\"offset\":%zu,\"version\":\"%u.%u\",\"base\":%" PRIu64
		",\"size\":%" PRIu32 ",\"name\":", m->at, m->ver_major, m->ver_minor, m->base,
		m->size);
	insp_json_str(f, m->name);
	fprintf(f, ",\"nareas\":%u,\"truncated\":%s,\"areas\":[", m->nareas,
		bool_s(m->truncated));
	for (i = 0; i < m->nlisted; i++) {
		fprintf(f, "%s{\"offset\":%" PRIu32 ",\"size\":%" PRIu32 ",\"flags\":%u,\"name\":",
			i ? "," : "", m->area[i].off, m->area[i].size, m->area[i].flags);
		insp_json_str(f, m->area[i].name);
		fprintf(f, ",\"past_end\":%s}", bool_s(m->area[i].past_end));
	}
	fprintf(f, "]}");
}

static void json_fv(FILE *f, const struct insp_report *r)
{
	size_t i;

	fprintf(f, ",\"firmware_volumes\":[");
	for (i = 0; i < r->nfv; i++) {
		const struct insp_fv *v = &r->fv[i];

		fprintf(f, "%s{\"offset\":%zu,\"size\":%" PRIu64 ",\"guid\":\"%s\",\"guid_name\":",
			i ? "," : "", v->off, v->size, v->guid);
		if (v->guid_name)
			insp_json_str(f, v->guid_name);
		else
			fprintf(f, "null");
		fprintf(f, ",\"header_length\":%u,\"revision\":%u,\"checksum_ok\":%s,"
			"\"past_end\":%s}", v->hdr_len, v->revision, bool_s(v->checksum_ok),
			bool_s(v->past_end));
	}
	fprintf(f, "],\"firmware_volumes_more\":%zu", r->fv_more);
}

static void json_cbfs(FILE *f, const struct insp_cbfs *c)
{
	size_t i;

	fprintf(f, ",\"cbfs\":{\"start\":%zu,\"end\":%zu,\"nfiles\":%zu,\"truncated\":%s",
		c->start, c->end, c->nfiles, bool_s(c->truncated));
	if (c->has_master)
		fprintf(f, ",\"master\":{\"offset\":%zu,\"version\":%" PRIu32 ",\"romsize\":%"
			PRIu32 ",\"bootblocksize\":%" PRIu32 ",\"align\":%" PRIu32 ",\"cbfs_offset\":%"
			PRIu32 ",\"architecture\":%" PRIu32 "}", c->master_at, c->version, c->romsize,
			c->bootblocksize, c->align, c->offset, c->arch);
	fprintf(f, ",\"files\":[");
	for (i = 0; i < c->nlisted; i++) {
		const struct insp_cbfs_file *e = &c->file[i];

		fprintf(f, "%s{\"offset\":%" PRIu32 ",\"len\":%" PRIu32 ",\"type\":%" PRIu32
			",\"type_name\":\"%s\",\"attributes_offset\":%" PRIu32 ",\"data_offset\":%"
			PRIu32 ",\"compression\":%" PRIu32 ",\"past_end\":%s,\"name\":", i ? "," : "",
			e->off, e->len, e->type, insp_cbfs_type_name(e->type), e->attr_off,
			e->data_off, e->comp, bool_s(e->past_end));
		insp_json_str(f, e->name);
		fprintf(f, "}");
	}
	fprintf(f, "]}");
}

static void json_blobs(FILE *f, const struct insp_report *r)
{
	size_t i;

	fprintf(f, ",\"payloads\":[");
	for (i = 0; i < r->nblobs; i++) {
		const struct insp_blob *b = &r->blob[i];

		fprintf(f, "%s{\"kind\":\"%s\",\"offset\":%zu,\"size\":%" PRIu64 ",\"name\":",
			i ? "," : "", insp_blob_kind_name(b->kind), b->off, b->size);
		insp_json_str(f, b->name);
		if (b->kind == INSP_UIMAGE)
			fprintf(f, ",\"header_crc_ok\":%s,\"data_crc_ok\":%s", bool_s(b->crc_ok),
				b->data_crc_ok < 0 ? "null" : bool_s(b->data_crc_ok));
		else
			fprintf(f, ",\"version\":\"%u.%u\"", b->ver_major, b->ver_minor);
		fprintf(f, ",\"past_end\":%s}", bool_s(b->past_end));
	}
	fprintf(f, "],\"payloads_more\":%zu", r->blobs_more);
}

int insp_print_json(FILE *f, const struct insp_report *r)
{
	size_t i;

	if (!f || !r)
		return INSP_E_ARG;
	fprintf(f, "{\"size\":%zu,\"ff_bytes\":%zu,\"all_ff\":%s,\"all_zero\":%s,"
		"\"power_of_two\":%s,\"typical_size\":%s,\"repeat_period\":%zu", r->len,
		r->ff_bytes, bool_s(r->all_ff), bool_s(r->all_zero), bool_s(r->pow2),
		bool_s(r->typical_size), r->repeat_period);
	if (r->ifd.found)
		json_ifd(f, &r->ifd);
	if (r->fmap.found)
		json_fmap(f, &r->fmap);
	json_fv(f, r);
	if (r->cbfs.found)
		json_cbfs(f, &r->cbfs);
	json_blobs(f, r);
	fprintf(f, ",\"notes\":[");
	for (i = 0; i < r->nnotes; i++) {
		fprintf(f, "%s{\"warning\":%s,\"text\":", i ? "," : "", bool_s(r->note[i].warn));
		insp_json_str(f, r->note[i].text);
		fprintf(f, "}");
	}
	fprintf(f, "],\"notes_more\":%zu}\n", r->notes_more);
	return ferror(f) ? -1 : 0;
}
