/*
 * Printers for insp_diff's report: a one-line summary per region ("ME
 * differs (1234 bytes in 3 ranges)", "BIOS equal") with the listed ranges
 * under it, and the same as JSON.
 */
#include "insp_priv.h"

#include <inttypes.h>
#include <stdio.h>

static void text_region(FILE *f, const struct insp_diff_region *d)
{
	size_t i;

	if (!d->ndiff) {
		fprintf(f, "%s equal%s\n", d->r.name,
			d->past_end ? " (region reaches past the end of an image)" : "");
		return;
	}
	fprintf(f, "%s differs (%" PRIu64 " bytes in %" PRIu64 " range%s)%s\n", d->r.name,
		d->ndiff, d->nranges, d->nranges == 1 ? "" : "s",
		d->past_end ? " (region reaches past the end of an image)" : "");
	for (i = 0; i < d->nlisted; i++)
		fprintf(f, "  0x%08" PRIx64 " - 0x%08" PRIx64 " (%" PRIu64 " bytes)\n",
			d->range[i].off, d->range[i].off + d->range[i].len - 1, d->range[i].len);
	if (d->nranges > d->nlisted)
		fprintf(f, "  ... and %" PRIu64 " more ranges\n", d->nranges - d->nlisted);
}

int insp_print_diff_text(FILE *f, const struct insp_diff_report *d)
{
	size_t i;

	if (!f || !d)
		return INSP_E_ARG;
	if (d->alen != d->blen)
		fprintf(f, "sizes differ: %" PRIu64 " and %" PRIu64 " bytes\n", d->alen, d->blen);
	for (i = 0; i < d->nregions; i++)
		text_region(f, &d->reg[i]);
	if (d->regions_more)
		fprintf(f, "... and %zu more regions not compared\n", d->regions_more);
	text_region(f, &d->whole);
	return ferror(f) ? -1 : 0;
}

static void json_region(FILE *f, const struct insp_diff_region *d)
{
	size_t i;

	fprintf(f, "{\"name\":");
	insp_json_str(f, d->r.name);
	fprintf(f, ",\"offset\":%" PRIu64 ",\"size\":%" PRIu64 ",\"equal\":%s,\"past_end\":%s"
		",\"bytes\":%" PRIu64 ",\"nranges\":%" PRIu64 ",\"ranges\":[", d->r.off, d->r.size,
		d->ndiff ? "false" : "true", d->past_end ? "true" : "false", d->ndiff, d->nranges);
	for (i = 0; i < d->nlisted; i++)
		fprintf(f, "%s{\"offset\":%" PRIu64 ",\"len\":%" PRIu64 "}", i ? "," : "",
			d->range[i].off, d->range[i].len);
	fprintf(f, "]}");
}

int insp_print_diff_json(FILE *f, const struct insp_diff_report *d)
{
	size_t i;

	if (!f || !d)
		return INSP_E_ARG;
	fprintf(f, "{\"a_size\":%" PRIu64 ",\"b_size\":%" PRIu64 ",\"image\":", d->alen, d->blen);
	json_region(f, &d->whole);
	fprintf(f, ",\"regions\":[");
	for (i = 0; i < d->nregions; i++) {
		if (i)
			fputc(',', f);
		json_region(f, &d->reg[i]);
	}
	fprintf(f, "],\"regions_more\":%zu}\n", d->regions_more);
	return ferror(f) ? -1 : 0;
}
