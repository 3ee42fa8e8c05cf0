/*
 * wp: decode and encode block protection (see wp.h for the rules).
 */
#include "chips/wp.h"

#include <stdio.h>
#include <string.h>

#define KIB 1024u

/* Where a layout keeps its bits.  Bit numbers are in SR1 unless noted;
 * -1: the part has no such bit. */
struct wp_desc {
	uint8_t nbp;            /* BP bits: 3 or 4 (0: not a range layout) */
	uint8_t bp_bit[4];      /* SR1 bit of BP0..BP3 */
	int8_t tb, sec;         /* SR1 bits */
	int8_t cmp;             /* SR2 bit */
	uint8_t div64;          /* first unit is max(64 KiB, size / 64), not 64 KiB */
	uint8_t all7;           /* three BP bits all set: the whole chip */
	int8_t srp0;            /* SR1 bit that makes WP# lock the registers */
	int8_t srp1;            /* SR2 bit: lock until power-down */
};

static const struct wp_desc descs[CHIP_WP_N] = {
	[CHIP_WP_NONE]      = { 0, { 0 }, -1, -1, -1, 0, 0, 7, -1 },
	[CHIP_WP_GENERIC]   = { 0, { 0 }, -1, -1, -1, 0, 0, 7, -1 },
	[CHIP_WP_BP3]       = { 3, { 2, 3, 4 }, -1, -1, -1, 1, 1, 7, -1 },
	[CHIP_WP_BP3_TB]    = { 3, { 2, 3, 4 }, 5, -1, -1, 1, 1, 7, -1 },
	[CHIP_WP_W25Q]      = { 3, { 2, 3, 4 }, 5, 6, 6, 1, 1, 7, 0 },
	[CHIP_WP_W25Q_BP4]  = { 4, { 2, 3, 4, 5 }, 6, -1, 6, 0, 0, 7, 0 },
	[CHIP_WP_BP4]       = { 4, { 2, 3, 4, 5 }, -1, -1, -1, 0, 0, 7, -1 },
	[CHIP_WP_MICRON]    = { 4, { 2, 3, 4, 6 }, 5, -1, -1, 0, 0, 7, -1 },
	[CHIP_WP_AT25DF]    = { 0, { 0 }, -1, -1, -1, 0, 0, 7, -1 },
	[CHIP_WP_SST26]     = { 0, { 0 }, -1, -1, -1, 0, 0, -1, -1 },
};

#define GENERIC_BP_MASK 0x3Cu   /* SR1 bits 2-5: BP0-BP3 on nearly every part */
#define AT25DF_SWP      0x0Cu   /* SR1 bits 2-3: none / some / all sectors locked */

static const struct wp_desc *desc_of(const struct chip *c)
{
	return c->wp < CHIP_WP_N ? &descs[c->wp] : &descs[CHIP_WP_GENERIC];
}

static int bit(uint8_t v, int n)
{
	return n >= 0 ? (v >> n) & 1 : 0;
}

static unsigned get_bp(const struct wp_desc *d, uint8_t sr1)
{
	unsigned i, bp = 0;

	for (i = 0; i < d->nbp; i++)
		bp |= (unsigned)bit(sr1, d->bp_bit[i]) << i;
	return bp;
}

/* The protected length for BP (and SEC) before TB and CMP place it. */
static uint64_t prot_len(const struct wp_desc *d, uint32_t size, unsigned bp, int sec)
{
	uint64_t unit = 64 * KIB, len;

	if (bp == 0)
		return 0;
	if (d->all7 && bp == 7)
		return size;
	if (sec)
		return (bp & 4) ? 32 * KIB : (uint64_t)(4 * KIB) << ((bp & 3) - 1);
	if (d->div64 && size / 64 > unit)
		unit = size / 64;
	len = unit << (bp - 1);
	return len > size ? size : len;
}

static void place(uint32_t size, uint64_t len, int tb, int cmp, uint32_t *lo, uint32_t *hi)
{
	if (len >= size) {
		*lo = 0;
		*hi = size;
	} else if (tb) {
		*lo = 0;
		*hi = (uint32_t)len;
	} else {
		*lo = size - (uint32_t)len;
		*hi = size;
	}
	if (!cmp)
		return;
	/* the complement of one end of the array is the other end */
	if (*lo == *hi) {
		*lo = 0;
		*hi = size;
	} else if (*lo == 0 && *hi == size) {
		*lo = *hi = 0;
	} else if (*lo == 0) {
		*lo = *hi;
		*hi = size;
	} else {
		*hi = *lo;
		*lo = 0;
	}
}

void wp_decode(const struct chip *c, const uint8_t sr[3], unsigned have, struct wp_state *st)
{
	const struct wp_desc *d = desc_of(c);
	int has_sr2 = (have & 2) != 0;

	memset(st, 0, sizeof(*st));
	st->tb = d->tb >= 0 ? bit(sr[0], d->tb) : -1;
	st->sec = d->sec >= 0 ? bit(sr[0], d->sec) : -1;
	st->cmp = d->cmp >= 0 && has_sr2 ? bit(sr[1], d->cmp) : -1;
	st->srp0 = bit(sr[0], d->srp0);
	st->srp1 = d->srp1 >= 0 && has_sr2 ? bit(sr[1], d->srp1) : 0;
	st->exact = 1;
	switch (c->wp) {
	case CHIP_WP_NONE:
		return;
	case CHIP_WP_GENERIC:
		st->bp = (sr[0] & GENERIC_BP_MASK) >> 2;
		st->exact = 0;
		if (st->bp)
			st->hi = c->size;
		return;
	case CHIP_WP_AT25DF:
		st->bp = (sr[0] & AT25DF_SWP) >> 2;
		st->exact = st->bp == 0 || st->bp == 3;   /* 01: some sectors */
		if (st->bp)
			st->hi = c->size;
		return;
	case CHIP_WP_SST26:
		st->needs_bpr = 1;
		st->exact = 0;
		return;
	default:
		break;
	}
	st->bp = get_bp(d, sr[0]);
	if ((c->flags & CHIP_F_WPS) && (have & 4) && (sr[2] & 0x04)) {
		/* individual block locks: the BP bits mean nothing; the locks
		 * are set at power-up unless cleared, so assume all of them */
		st->wps = 1;
		st->exact = 0;
		st->hi = c->size;
		return;
	}
	place(c->size, prot_len(d, c->size, st->bp, st->sec > 0), st->tb > 0, st->cmp > 0,
	      &st->lo, &st->hi);
}

int wp_overlaps(const struct wp_state *st, uint32_t addr, uint32_t len)
{
	return st->lo < st->hi && len && addr < st->hi && (uint64_t)addr + len > st->lo;
}

static uint8_t sr1_mask(const struct chip *c, const struct wp_desc *d)
{
	uint8_t m = 0;
	unsigned i;

	switch (c->wp) {
	case CHIP_WP_GENERIC:
		return GENERIC_BP_MASK;
	case CHIP_WP_AT25DF:
		return 0xFF;       /* global unprotect: the whole byte is 00h */
	default:
		break;
	}
	for (i = 0; i < d->nbp; i++)
		m |= (uint8_t)(1u << d->bp_bit[i]);
	if (d->tb >= 0)
		m |= (uint8_t)(1u << d->tb);
	if (d->sec >= 0)
		m |= (uint8_t)(1u << d->sec);
	return m;
}

void wp_clear(const struct chip *c, const uint8_t sr[3], unsigned have, uint8_t out[3])
{
	const struct wp_desc *d = desc_of(c);

	out[0] = (uint8_t)(sr[0] & ~sr1_mask(c, d));
	out[1] = sr[1];
	out[2] = sr[2];
	if (d->cmp >= 0 && (have & 2))
		out[1] = (uint8_t)(sr[1] & ~(1u << d->cmp));
	if (c->wp == CHIP_WP_AT25DF)
		out[0] = 0x00;
}

int wp_encode(const struct chip *c, const uint8_t sr[3], unsigned have, uint32_t lo,
	      uint32_t hi, uint8_t out[3])
{
	const struct wp_desc *d = desc_of(c);
	int ncmp = d->cmp >= 0 && (have & 2) ? 2 : 1;
	int nsec = d->sec >= 0 ? 2 : 1, ntb = d->tb >= 0 ? 2 : 1;
	int cmp, sec, tb;
	unsigned bp, i;

	wp_clear(c, sr, have, out);
	if (lo >= hi)
		return 0;
	if (c->wp == CHIP_WP_AT25DF && lo == 0 && hi == c->size) {
		out[0] = 0x3C;     /* global protect */
		return 0;
	}
	if (!d->nbp)
		return -1;
	/* plainest first: CMP, SEC and TB only when needed, fewest BP */
	for (cmp = 0; cmp < ncmp; cmp++)
		for (sec = 0; sec < nsec; sec++)
			for (tb = 0; tb < ntb; tb++)
				for (bp = 1; bp < (1u << d->nbp); bp++) {
					uint32_t l, h;

					place(c->size, prot_len(d, c->size, bp, sec), tb, cmp, &l, &h);
					if (l != lo || h != hi)
						continue;
					for (i = 0; i < d->nbp; i++)
						if (bp & (1u << i))
							out[0] |= (uint8_t)(1u << d->bp_bit[i]);
					if (tb)
						out[0] |= (uint8_t)(1u << d->tb);
					if (sec)
						out[0] |= (uint8_t)(1u << d->sec);
					if (cmp)
						out[1] |= (uint8_t)(1u << d->cmp);
					return 0;
				}
	return -1;
}

void wp_range_text(char *buf, size_t len, const struct chip *c, const struct wp_state *st)
{
	uint32_t n = st->hi - st->lo;

	if (st->needs_bpr) {
		snprintf(buf, len, "unknown (block protection register not read)");
	} else if (st->lo >= st->hi) {
		snprintf(buf, len, "none");
	} else if (!st->exact) {
		snprintf(buf, len, "whole chip assumed (%u KiB): %s", c->size / 1024,
			 st->wps ? "individual block locks (WPS=1)" :
			 c->wp == CHIP_WP_AT25DF ? "sector protection is on" :
			 "block protect bits set, table unknown");
	} else if (st->lo == 0 && st->hi == c->size) {
		snprintf(buf, len, "0x%06x-0x%06x, whole chip (%u KiB)", st->lo, st->hi - 1,
			 c->size / 1024);
	} else {
		snprintf(buf, len, "0x%06x-0x%06x (%u KiB, %s)", st->lo, st->hi - 1,
			 n / 1024, st->lo == 0 ? "bottom" : "top");
	}
}

void wp_bits_text(char *buf, size_t len, const struct wp_state *st)
{
	size_t o = (size_t)snprintf(buf, len, "BP=%u", st->bp);

	if (st->tb >= 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " TB=%d", st->tb);
	if (st->sec >= 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " SEC=%d", st->sec);
	if (st->cmp >= 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " CMP=%d", st->cmp);
	if (o < len)
		snprintf(buf + o, len - o, " SRP0=%d SRP1=%d", st->srp0, st->srp1);
}
