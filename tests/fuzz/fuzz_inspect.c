/*
 * libFuzzer harness for client/inspect: arbitrary bytes as a flash dump.
 * Beyond "no crash, no read past the end" (ASan), it checks that nothing
 * reported lies outside the input, that the tables' counts agree, and that
 * the diff of the input's two halves counts what it lists; the printers run
 * too, into /dev/null.  A broken invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "inspect.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_report(const struct insp_report *r, size_t len)
{
	size_t i;

	CHECK(r->len == len && r->nnotes <= INSP_MAX_NOTES);
	CHECK(r->ff_bytes <= len);
	CHECK(!r->repeat_period || (len % r->repeat_period == 0 && r->repeat_period < len));
	if (r->ifd.found) {
		CHECK(r->ifd.sig_off + 16 <= len);
		CHECK(r->ifd.nregions <= INSP_IFD_MAX_REGIONS);
		CHECK(r->ifd.nregions == 0 || r->ifd.frba + 4 * r->ifd.nregions <= len);
		for (i = 0; i < r->ifd.nregions; i++)
			CHECK(!r->ifd.reg[i].past_end || r->ifd.reg[i].limit >= len);
	}
	if (r->fmap.found) {
		CHECK(r->fmap.at + 8 <= len && r->fmap.nlisted <= INSP_FMAP_MAX_AREAS);
		CHECK(r->fmap.nlisted <= r->fmap.nareas);
		CHECK(r->fmap.at + 56 + 42 * r->fmap.nlisted <= len || !r->fmap.nlisted);
	}
	CHECK(r->nfv <= INSP_MAX_FV);
	for (i = 0; i < r->nfv; i++) {
		CHECK(r->fv[i].off + r->fv[i].hdr_len <= len);
		/* a difference: FvLength may be near 2^64 */
		CHECK(r->fv[i].past_end == (r->fv[i].size > len - r->fv[i].off));
	}
	if (r->cbfs.found) {
		CHECK(r->cbfs.nlisted <= r->cbfs.nfiles && r->cbfs.start <= r->cbfs.end);
		CHECK(r->cbfs.end <= len);
		for (i = 0; i < r->cbfs.nlisted; i++)
			CHECK(r->cbfs.start + r->cbfs.file[i].off + r->cbfs.file[i].data_off <= len);
	}
	for (i = 0; i < r->nblobs; i++)
		CHECK(r->blob[i].off + 40 <= len);
}

static void check_diff(const struct insp_diff_region *d)
{
	uint64_t sum = 0;
	size_t i;

	CHECK(d->nlisted <= INSP_DIFF_MAX_RANGES && d->nlisted <= d->nranges);
	CHECK(d->nranges <= d->ndiff);
	CHECK((d->ndiff == 0) == (d->nranges == 0));
	for (i = 0; i < d->nlisted; i++) {
		CHECK(d->range[i].len > 0);
		CHECK(d->range[i].off >= d->r.off && d->range[i].off + d->range[i].len <= d->r.off + d->r.size);
		if (i)
			CHECK(d->range[i].off >= d->range[i - 1].off + d->range[i - 1].len);
		sum += d->range[i].len;
	}
	if (d->nlisted == d->nranges)
		CHECK(sum >= d->ndiff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct insp_report *r = malloc(sizeof(*r));
	struct insp_diff_report *d = malloc(sizeof(*d));
	struct insp_region regs[INSP_DIFF_MAX_REGIONS];
	size_t n, i, half = size / 2;

	CHECK(r && d);
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	CHECK(insp_identify(data, size, r) == 0);
	check_report(r, size);
	if (devnull) {
		CHECK(insp_print_text(devnull, r) == 0);
		CHECK(insp_print_json(devnull, r) == 0);
	}
	n = insp_regions_from_report(r, regs, INSP_DIFF_MAX_REGIONS);
	CHECK(n <= INSP_DIFF_MAX_REGIONS);
	/* the two halves, the second one a byte longer when size is odd */
	CHECK(insp_diff(data, half, data + half, size - half, regs, n, 0, d) == 0);
	check_diff(&d->whole);
	CHECK(d->whole.ndiff <= size - half);
	for (i = 0; i < d->nregions; i++)
		check_diff(&d->reg[i]);
	if (devnull) {
		CHECK(insp_print_diff_text(devnull, d) == 0);
		CHECK(insp_print_diff_json(devnull, d) == 0);
	}
	free(r);
	free(d);
	return 0;
}
