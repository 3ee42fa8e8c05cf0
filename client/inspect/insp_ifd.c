/*
 * Intel Flash Descriptor: the map at the start of an Intel platform's SPI
 * flash that splits it into regions (descriptor, BIOS, ME, GbE, ...) and says
 * which bus master may read or write each.  Field names and the way they are
 * decoded follow what coreboot's `ifdtool -d` prints, so the two can be
 * compared line by line.
 *
 * Two layouts exist.  Version 1 (up to the 100-series PCHs) has 12-bit
 * region bases and FLMSTR read bits at 16..23, write bits at 24..31;
 * version 2 (Skylake on) has 15-bit bases and read bits at 8..19, write bits
 * at 20..31.  The descriptor does not say which it is; Intel's version 2
 * descriptors set the FLCOMP read clock field to 17 MHz (code 6), which no
 * version 1 part uses, so that is the test (ifdtool uses the same field when
 * told the platform is a version 2 one).
 */
#include "insp_priv.h"

#include <string.h>

#define IFD_SIG 0x0FF0A55Au
#define IFD_V1_REGIONS 5	/* ifdtool -d lists FLREG0..4 for version 1 */
#define IFD_READ_17MHZ 6u

static const char *const region_names[INSP_IFD_MAX_REGIONS] = {
	"Descriptor", "BIOS", "ME", "GbE", "PD", "DevExp1", "BIOS2", "Reserved7",
	"EC", "DevExp2", "IE", "10GbE0", "10GbE1", "Reserved13", "Reserved14", "PTT",
};

static int find_sig(const uint8_t *buf, size_t len, size_t *at)
{
	/* 0x10 on every descriptor since ICH9; 0 on ICH8 */
	static const size_t where[] = { 0x10, 0 };
	size_t i;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (insp_fits(len, where[i], 16) && insp_le32(buf + where[i]) == IFD_SIG) {
			*at = where[i];
			return 1;
		}
	return 0;
}

static void decode_maps(struct insp_ifd *d)
{
	d->fcba = (d->flmap0 & 0xff) << 4;
	d->nc = ((d->flmap0 >> 8) & 3) + 1;
	d->frba = ((d->flmap0 >> 16) & 0xff) << 4;
	d->nr = (d->flmap0 >> 24) & 7;
	d->fmba = (d->flmap1 & 0xff) << 4;
	d->nm = (d->flmap1 >> 8) & 7;
	d->fpsba = ((d->flmap1 >> 16) & 0xff) << 4;
	d->fmsba = (d->flmap2 & 0xff) << 4;
	if (d->version == 1) {
		d->isl = d->flmap1 >> 24;
		d->psl = (d->flmap2 >> 8) & 0xffff;
	} else {
		d->psl = d->flmap1 >> 24;
	}
}

/* Version 2 tables hold up to 16 entries, but only as many as fit before the
 * next section: beyond that the words belong to another table. */
static size_t region_count(const struct insp_ifd *d)
{
	uint32_t next = UINT32_MAX, bases[4];
	size_t i, n;

	if (d->version == 1)
		return IFD_V1_REGIONS;
	bases[0] = d->fcba;
	bases[1] = d->fmba;
	bases[2] = d->fpsba;
	bases[3] = d->fmsba;
	for (i = 0; i < 4; i++)
		if (bases[i] > d->frba && bases[i] < next)
			next = bases[i];
	if (next == UINT32_MAX)
		return INSP_IFD_MAX_REGIONS;
	n = (next - d->frba) / 4;
	if (n < 1)
		n = 1;
	return n < INSP_IFD_MAX_REGIONS ? n : INSP_IFD_MAX_REGIONS;
}

static void decode_region(struct insp_ifd_region *g, unsigned idx, uint32_t flreg,
			  int version, size_t len)
{
	uint32_t mask = version == 1 ? 0xfff : 0x7fff;

	g->index = idx;
	g->name = region_names[idx];
	g->flreg = flreg;
	g->base = (flreg & mask) << 12;
	g->limit = (((flreg >> 16) & mask) << 12) | 0xfff;
	/* an all-ones word is erased flash, not a region */
	g->used = g->base <= g->limit && flreg != 0xffffffffu;
	g->past_end = g->used && (uint64_t)g->limit >= len;
}

static void decode_masters(const uint8_t *buf, size_t len, struct insp_ifd *d)
{
	unsigned m, r, rd_bit, wr_bit, nbits;

	if (!insp_fits(len, d->fmba, 4 * 3))
		return;
	d->has_masters = 1;
	/* version 2 adds FLMSTR4 and FLMSTR5 (the EC) */
	d->nmasters = d->version == 2 && insp_fits(len, d->fmba, 4 * 5) ? 5 : 3;
	rd_bit = d->version == 1 ? 16 : 8;
	wr_bit = d->version == 1 ? 24 : 20;
	nbits = d->version == 1 ? 8 : 12;
	for (m = 0; m < d->nmasters; m++) {
		uint32_t v = insp_le32(buf + d->fmba + 4 * m);

		d->flmstr[m] = v;
		for (r = 0; r < nbits && r < INSP_IFD_MAX_REGIONS; r++)
			d->acc[m][r] = (uint8_t)(INSP_ACC_KNOWN |
				((v >> (rd_bit + r)) & 1 ? INSP_ACC_READ : 0) |
				((v >> (wr_bit + r)) & 1 ? INSP_ACC_WRITE : 0));
	}
}

int insp_ifd_parse(const uint8_t *buf, size_t len, struct insp_ifd *d)
{
	size_t at, i, n;

	if (!d || (!buf && len))
		return INSP_E_ARG;
	memset(d, 0, sizeof(*d));
	if (!find_sig(buf, len, &at))
		return 0;
	d->found = 1;
	d->sig_off = at;
	d->flmap0 = insp_le32(buf + at + 4);
	d->flmap1 = insp_le32(buf + at + 8);
	d->flmap2 = insp_le32(buf + at + 12);
	/* FCBA first: FLCOMP tells the layout of everything else */
	d->fcba = (d->flmap0 & 0xff) << 4;
	if (insp_fits(len, d->fcba, 4)) {
		d->has_flcomp = 1;
		d->flcomp = insp_le32(buf + d->fcba);
	}
	d->version = d->has_flcomp && ((d->flcomp >> 17) & 7) == IFD_READ_17MHZ ? 2 : 1;
	decode_maps(d);
	n = region_count(d);
	for (i = 0; i < n; i++) {
		if (!insp_fits(len, d->frba + 4 * (uint64_t)i, 4)) {
			d->table_truncated = 1;
			break;
		}
		decode_region(&d->reg[i], (unsigned)i, insp_le32(buf + d->frba + 4 * i),
			      d->version, len);
	}
	d->nregions = i;
	decode_masters(buf, len, d);
	return 0;
}

/* What the host (FLMSTR1, the BIOS master) may do to one region, in words. */
static void region_access_note(struct insp_report *r, const struct insp_ifd_region *g)
{
	uint8_t a = r->ifd.acc[0][g->index];
	int rd = !!(a & INSP_ACC_READ), wr = !!(a & INSP_ACC_WRITE);

	if (!(a & INSP_ACC_KNOWN))
		return;
	if (g->index == 0) {
		/* a writable descriptor lets software move or unlock the ME */
		insp_note(r, wr, wr ? "descriptor is writable by host (unlocked)" :
			  "descriptor is read-only for host");
		return;
	}
	if (rd && wr)
		return;
	if (!rd && !wr)
		insp_note(r, 1, "%s region is locked (BIOS cannot read/write)", g->name);
	else if (rd)
		insp_note(r, 1, "%s region is read-only for BIOS", g->name);
	else
		insp_note(r, 1, "%s region is write-only for BIOS (cannot read)", g->name);
}

void insp_ifd_notes(struct insp_report *r)
{
	size_t i;

	if (!r || !r->ifd.found)
		return;
	insp_note(r, 0, "Intel flash descriptor (version %d layout) at 0x%zx",
		  r->ifd.version, r->ifd.sig_off);
	if (!r->ifd.has_masters) {
		insp_note(r, 1, "descriptor master section (FLMSTR) lies outside the image");
		return;
	}
	for (i = 0; i < r->ifd.nregions; i++)
		if (r->ifd.reg[i].used)
			region_access_note(r, &r->ifd.reg[i]);
}
