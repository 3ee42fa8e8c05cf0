/*
 * doctor_clock: the signal-quality scan (the same reads at every SPI clock
 * the programmer offers, compared) and the clock --spi-speed auto takes
 * from it (doctor.h, doctor_priv.h).
 */
#include "core/doctor.h"
#include "core/doctor_priv.h"

#include <stdio.h>
#include <string.h>

#include "core/ops_chip.h"
#include "spinor.h"

const char *doctor_hz_str(uint32_t hz, char *buf, size_t len)
{
	if (hz >= 1000000 && hz % 1000000 == 0)
		snprintf(buf, len, "%u MHz", (unsigned)(hz / 1000000));
	else if (hz >= 1000)
		snprintf(buf, len, "%u kHz", (unsigned)(hz / 1000));
	else
		snprintf(buf, len, "%u Hz", (unsigned)hz);
	return buf;
}

struct sample {
	uint8_t id[3];
	uint8_t sr1;
	uint32_t crc;
};

static int take(struct prog *p, uint32_t span, struct sample *s)
{
	int err = prog_jedec(p, s->id, 3);

	if (!err)
		err = prog_read_sr(p, SPINOR_OP_RDSR, &s->sr1);
	if (!err && span)
		err = prog_crc32(p, 0, span, &s->crc);
	return err;
}

static int same(const struct sample *a, const struct sample *b)
{
	return !memcmp(a->id, b->id, 3) && a->sr1 == b->sr1 && a->crc == b->crc;
}

/* The clocks the programmer offers, fastest first: what it sets for
 * 8 MHz, 4 MHz, ... down to DOCTOR_SLOWEST_HZ.  0 when it sets none. */
static int clocks(struct prog *p, uint32_t *hz, unsigned max, unsigned *n)
{
	uint32_t want, set;
	int err;

	*n = 0;
	for (want = 8000000; want >= DOCTOR_SLOWEST_HZ && *n < max; want /= 2) {
		err = prog_set_clock(p, want, &set);
		if (err)
			return err;
		if (*n && set == hz[*n - 1])
			continue;
		hz[(*n)++] = set;
	}
	return 0;
}

/* doctor_priv.h */
int doctor_scan(struct prog *p, uint32_t span, unsigned repeats,
		struct doctor_clock *clk, unsigned *nclk, uint32_t *pick, int *ref_bad)
{
	uint32_t hz[DOCTOR_MAX_CLOCKS];
	struct sample ref, s;
	unsigned n, i, r;
	int err;

	*pick = 0;
	*ref_bad = 0;
	err = clocks(p, hz, DOCTOR_MAX_CLOCKS, &n);
	if (err)
		return err;
	if (!n)
		return DEV_E_ARG;
	err = prog_set_clock(p, hz[n - 1], NULL);
	if (!err)
		err = take(p, span, &ref);
	if (!err)
		err = take(p, span, &s);
	if (err)
		return err;
	if (!same(&ref, &s))
		*ref_bad = 1;
	memset(clk, 0, sizeof(*clk) * n);
	for (i = 0; i < n; i++)
		clk[i].hz = hz[i];
	*nclk = n;
	clk[n - 1].reads = 1;
	clk[n - 1].bad = *ref_bad;
	for (i = 0; i < n - 1; i++) {
		err = prog_set_clock(p, hz[i], NULL);
		for (r = 0; !err && r < repeats; r++) {
			err = take(p, span, &s);
			clk[i].reads++;
			if (!err && !same(&ref, &s))
				clk[i].bad++;
		}
		if (err)
			return err;
	}
	/* the fastest clock with no bad read at it or below it */
	for (i = n; i-- > 0;) {
		if (clk[i].bad)
			break;
		if (clk[i].reads)
			*pick = clk[i].hz;
	}
	return prog_set_clock(p, *pick ? *pick : hz[n - 1], NULL);
}

/*
 * The common case first: a short reference at the slowest clock, then
 * the fastest clock's reads, each matching that reference on its first
 * bytes and one another over the whole span.  A clock too fast for the
 * wires shifts or flips bits from the first bytes on, so the short
 * reference catches it; the full span read twice at the slowest clock
 * (1024 bytes at 125 kHz: 0.13 s before every command) is left for when
 * this disagrees.  1 when the fastest clock passed, 0 to look further.
 */
static int fastest_agrees(struct prog *p, unsigned repeats, uint32_t span, uint32_t *slow,
			  uint32_t *hz, int *err)
{
	struct sample ref, s, first = { { 0 }, 0, 0 };
	uint32_t head = span < DOCTOR_QUICK_SPAN ? span : DOCTOR_QUICK_SPAN, crc;
	unsigned r;

	*err = prog_set_clock(p, DOCTOR_SLOWEST_HZ, slow);
	if (!*err)
		*err = take(p, head, &ref);
	if (!*err)
		*err = prog_set_clock(p, 8000000, hz);
	for (r = 0; !*err && r < repeats; r++) {
		*err = take(p, head, &s);
		if (!*err && !same(&ref, &s))
			return 0;
		if (!*err)
			*err = prog_crc32(p, 0, span, &crc);
		if (!*err && r && crc != first.crc)
			return 0;
		first.crc = crc;
	}
	return !*err;
}

int doctor_pick_clock(struct prog *p, struct ops *o, unsigned repeats, uint32_t span,
		      uint32_t *hz, char *why, size_t whylen)
{
	struct sample ref, s;
	uint32_t slow, want, set, fastest = 0;
	unsigned r, bad = 0, tries = 0;
	int err = 0;
	char a[16], b[16];

	if (span > o->chip.size)
		span = o->chip.size;
	if (repeats >= 2 && fastest_agrees(p, repeats, span, &slow, hz, &err)) {
		snprintf(why, whylen, "%s (auto: the fastest; ID, SR1 and %u bytes read %u times alike at it, the first %u as at %s)",
			 doctor_hz_str(*hz, a, sizeof(a)), (unsigned)span, repeats,
			 (unsigned)(span < DOCTOR_QUICK_SPAN ? span : DOCTOR_QUICK_SPAN),
			 doctor_hz_str(slow, b, sizeof(b)));
		return 0;
	}
	if (err)
		return err;
	/* the reference: the slowest clock, read twice */
	err = prog_set_clock(p, DOCTOR_SLOWEST_HZ, &slow);
	if (!err)
		err = take(p, span, &ref);
	if (!err)
		err = take(p, span, &s);
	if (err)
		return err;
	if (!same(&ref, &s)) {
		*hz = slow;
		snprintf(why, whylen, "%s (auto: reads differ even at the slowest clock; see 'spiflash doctor')",
			 doctor_hz_str(slow, a, sizeof(a)));
		return 0;
	}
	/* from the fastest down, the first clock whose reads all agree */
	for (want = 8000000; ; want = set / 2) {
		err = prog_set_clock(p, want, &set);
		if (err)
			return err;
		if (!fastest)
			fastest = set;
		if (set <= slow || ++tries > DOCTOR_MAX_CLOCKS)
			break;
		for (r = 0, bad = 0; !err && r < repeats; r++) {
			err = take(p, span, &s);
			if (!err && !same(&ref, &s))
				bad++;
		}
		if (err)
			return err;
		if (!bad)
			break;
	}
	*hz = set;
	snprintf(why, whylen, "%s (auto: %s; ID, SR1 and %u bytes read %u times alike at it and at %s)",
		 doctor_hz_str(set, a, sizeof(a)), set == fastest ? "the fastest" : "reads differed above it",
		 (unsigned)span, repeats, doctor_hz_str(slow, b, sizeof(b)));
	return 0;
}

