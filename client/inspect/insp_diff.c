/*
 * insp_diff: two images compared per region, so that "ME differs (1234
 * bytes in 3 ranges), BIOS equal" can be said.  Differing bytes close to
 * each other are merged into one range (a changed structure rarely differs
 * in every byte); the list is capped and the rest only counted.  A byte that
 * only one image has (different lengths) counts as differing.
 */
#include "insp_priv.h"

#include <string.h>

/* The range being grown: runs closer than gap to it join it; a run further
 * away closes it (listed while there is room, always counted). */
struct pending {
	int open;
	struct insp_range cur;
	size_t gap;
};

static void flush(struct insp_diff_region *d, struct pending *p)
{
	if (!p->open)
		return;
	if (d->nlisted < INSP_DIFF_MAX_RANGES)
		d->range[d->nlisted++] = p->cur;
	d->nranges++;
	p->open = 0;
}

static void add_run(struct insp_diff_region *d, struct pending *p, uint64_t off, uint64_t n)
{
	d->ndiff += n;
	if (p->open && off - (p->cur.off + p->cur.len) < p->gap) {
		p->cur.len = off + n - p->cur.off;
		return;
	}
	flush(d, p);
	p->open = 1;
	p->cur.off = off;
	p->cur.len = n;
}

/* Compares [off, off + size) of a and b; runs of differing bytes become
 * ranges. */
static void diff_span(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
		      uint64_t off, uint64_t size, size_t gap, struct insp_diff_region *d)
{
	uint64_t end = off + size, common = alen < blen ? alen : blen, i = off, run;
	uint64_t longer = alen > blen ? alen : blen;
	struct pending p = { 0, { 0, 0 }, gap };

	while (i < end && i < common) {
		if (a[i] == b[i]) {
			i++;
			continue;
		}
		run = i;
		while (i < end && i < common && a[i] != b[i])
			i++;
		add_run(d, &p, run, i - run);
	}
	/* what only the longer image has, inside this span */
	if (end > common) {
		uint64_t from = off > common ? off : common;
		uint64_t to = end < longer ? end : longer;

		if (to > from)
			add_run(d, &p, from, to - from);
	}
	flush(d, &p);
}

static void diff_region(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
			const struct insp_region *r, size_t gap, struct insp_diff_region *d)
{
	uint64_t longer = alen > blen ? alen : blen, shorter = alen < blen ? alen : blen;
	uint64_t size = r->size;

	memset(d, 0, sizeof(*d));
	d->r = *r;
	if (r->off >= longer) {
		d->past_end = r->size > 0;
		return;
	}
	if (size > longer - r->off)
		size = longer - r->off;
	d->past_end = r->size > shorter || r->off > shorter - r->size;
	diff_span(a, alen, b, blen, r->off, size, gap, d);
}

int insp_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
	      const struct insp_region *regions, size_t nregions, size_t gap,
	      struct insp_diff_report *d)
{
	struct insp_region whole;
	size_t i;

	if (!d || (!a && alen) || (!b && blen) || (!regions && nregions))
		return INSP_E_ARG;
	memset(d, 0, sizeof(*d));
	if (!gap)
		gap = INSP_DIFF_GAP;
	d->alen = alen;
	d->blen = blen;
	memset(&whole, 0, sizeof(whole));
	strcpy(whole.name, "image");
	whole.size = alen > blen ? alen : blen;
	diff_region(a, alen, b, blen, &whole, gap, &d->whole);
	/* the whole spans the longer image by definition; the size line says it */
	d->whole.past_end = 0;
	for (i = 0; i < nregions; i++) {
		if (d->nregions >= INSP_DIFF_MAX_REGIONS) {
			d->regions_more++;
			continue;
		}
		diff_region(a, alen, b, blen, &regions[i], gap, &d->reg[d->nregions++]);
	}
	return 0;
}

size_t insp_regions_from_report(const struct insp_report *r, struct insp_region *out,
				size_t max)
{
	size_t i, n = 0;

	if (!r || !out)
		return 0;
	if (r->ifd.found) {
		for (i = 0; i < r->ifd.nregions && n < max; i++) {
			const struct insp_ifd_region *g = &r->ifd.reg[i];

			if (!g->used)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			strcpy(out[n].name, g->name);
			out[n].off = g->base;
			out[n].size = (uint64_t)g->limit - g->base + 1;
			n++;
		}
		return n;
	}
	for (i = 0; r->fmap.found && i < r->fmap.nlisted && n < max; i++) {
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].name, r->fmap.area[i].name, sizeof(out[n].name));
		out[n].off = r->fmap.area[i].off;
		out[n].size = r->fmap.area[i].size;
		n++;
	}
	return n;
}
