/*
 * sfdp: JESD216 Serial Flash Discoverable Parameters, parsed from a buffer.
 * See sfdp.h for the interface.  Field layouts are those of JESD216 (1.0),
 * JESD216A (1.5), B (1.6), C (1.7) and D (1.8); later revisions only append
 * DWORDs, which are ignored here.
 */
#include "chips/sfdp.h"

#include <string.h>

#define SFDP_SIGNATURE   0x50444653u  /* "SFDP", little-endian */
#define SFDP_MAJOR       1
#define DEFAULT_PAGE     256u

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* The SFDP header: checked signature and revision, and the parameter count. */
struct hdr {
	uint8_t major, minor, access;
	unsigned nph;          /* 1..256 */
	uint32_t end;          /* first byte after the parameter headers */
};

static int read_hdr(const uint8_t *buf, size_t len, struct hdr *h)
{
	if (!buf)
		return SFDP_E_ARG;
	/* A wrong signature is reported as soon as it is visible, so a client
	 * reading a chip without SFDP stops after the first round. */
	if (len >= 4 && get32(buf) != SFDP_SIGNATURE)
		return SFDP_E_SIGNATURE;
	if (len < SFDP_HEADER_LEN)
		return SFDP_E_TRUNC_HEADER;
	h->minor = buf[4];
	h->major = buf[5];
	h->nph = (unsigned)buf[6] + 1;
	h->access = buf[7];
	h->end = SFDP_HEADER_LEN + SFDP_PARAM_HDR_LEN * (uint32_t)h->nph;
	if (h->major != SFDP_MAJOR)
		return SFDP_E_VERSION;
	if (len < h->end)
		return SFDP_E_TRUNC_HEADER;
	return 0;
}

static void get_param(const uint8_t *buf, unsigned idx, struct sfdp_param *p)
{
	const uint8_t *ph = buf + SFDP_HEADER_LEN + SFDP_PARAM_HDR_LEN * (size_t)idx;

	p->id = (uint16_t)(((uint16_t)ph[7] << 8) | ph[0]);
	p->minor = ph[1];
	p->major = ph[2];
	p->dwords = ph[3];
	p->addr = (uint32_t)ph[4] | ((uint32_t)ph[5] << 8) | ((uint32_t)ph[6] << 16);
}

/*
 * The tables the parser uses.  JESD216 makes the first header the BFPT; a
 * part may add later headers with a newer BFPT of the same major revision
 * (and keep the first for old hosts), so the newest, then longest, wins, as
 * in Linux's spi-nor.  The 4BAIT is the first FF84h header of major 1.
 */
struct tables {
	struct sfdp_param bfpt;
	struct sfdp_param fourbait;
	int has_4bait;
};

static int pick_tables(const uint8_t *buf, const struct hdr *h, struct tables *t)
{
	struct sfdp_param p;
	unsigned i;

	get_param(buf, 0, &t->bfpt);
	if (t->bfpt.id != SFDP_ID_BFPT || t->bfpt.major != SFDP_MAJOR)
		return SFDP_E_NO_BFPT;
	t->has_4bait = 0;
	for (i = 1; i < h->nph; i++) {
		get_param(buf, i, &p);
		if (p.major != SFDP_MAJOR)
			continue;   /* an incompatible table of any kind: not ours to read */
		if (p.id == SFDP_ID_BFPT &&
		    (p.minor > t->bfpt.minor ||
		     (p.minor == t->bfpt.minor && p.dwords > t->bfpt.dwords)))
			t->bfpt = p;
		else if (p.id == SFDP_ID_4BAIT && !t->has_4bait) {
			t->fourbait = p;
			t->has_4bait = 1;
		}
	}
	return 0;
}

/* Where a used table may be: after the headers, DWORD-aligned (JESD216
 * requires it), non-empty, and inside the 24-bit SFDP space. */
static int check_span(const struct hdr *h, const struct sfdp_param *p, struct sfdp_span *s)
{
	if (p->dwords == 0)
		return SFDP_E_TABLE_LEN;
	if (p->addr % 4 != 0 || p->addr < h->end)
		return SFDP_E_PTR;
	/* addr < 2^24 and dwords < 2^8: the sum cannot overflow. */
	s->addr = p->addr;
	s->len = 4u * p->dwords;
	if (s->addr + s->len > SFDP_SPACE_LEN)
		return SFDP_E_PTR;
	return 0;
}

static int used_spans(const uint8_t *buf, const struct hdr *h, struct tables *t,
		      struct sfdp_span span[SFDP_MAX_SPANS])
{
	int err = pick_tables(buf, h, t);

	if (err)
		return err;
	err = check_span(h, &t->bfpt, &span[0]);
	if (err)
		return err;
	if (t->bfpt.dwords < SFDP_BFPT_MIN_DWORDS)
		return SFDP_E_BFPT_SHORT;
	if (!t->has_4bait)
		return 1;
	err = check_span(h, &t->fourbait, &span[1]);
	if (err)
		return err;
	if (t->fourbait.dwords < SFDP_4BAIT_DWORDS)
		return SFDP_E_4BAIT_SHORT;
	return 2;
}

int sfdp_tables(const uint8_t *buf, size_t len, struct sfdp_span span[SFDP_MAX_SPANS])
{
	struct hdr h;
	struct tables t;
	int err;

	if (!span)
		return SFDP_E_ARG;
	err = read_hdr(buf, len, &h);
	if (err)
		return err;
	return used_spans(buf, &h, &t, span);
}

int sfdp_needed_len(const uint8_t *buf, size_t len, uint32_t *need)
{
	struct sfdp_span span[SFDP_MAX_SPANS];
	struct hdr h;
	struct tables t;
	uint32_t end;
	int i, n;

	if (!buf || !need)
		return SFDP_E_ARG;
	if (len < SFDP_HEADER_LEN) {
		/* Still check the signature bytes already there. */
		n = read_hdr(buf, len, &h);
		*need = SFDP_HEADER_LEN;
		return n == SFDP_E_TRUNC_HEADER ? 0 : n;
	}
	n = read_hdr(buf, len, &h);
	if (n == SFDP_E_TRUNC_HEADER) {
		*need = h.end;
		return 0;
	}
	if (n)
		return n;
	n = used_spans(buf, &h, &t, span);
	if (n < 0)
		return n;
	end = h.end;
	for (i = 0; i < n; i++)
		if (span[i].addr + span[i].len > end)
			end = span[i].addr + span[i].len;
	*need = end;
	return 0;
}

int sfdp_param(const uint8_t *buf, size_t len, unsigned idx, struct sfdp_param *p)
{
	struct hdr h;
	int err;

	if (!p)
		return SFDP_E_ARG;
	err = read_hdr(buf, len, &h);
	if (err)
		return err;
	if (idx >= h.nph)
		return SFDP_E_ARG;
	get_param(buf, idx, p);
	return 0;
}

/* A 7-bit erase time of DWORD 10: count 4:0, unit 6:5 (1 ms, 16 ms, 128 ms, 1 s). */
static uint32_t erase_ms(uint32_t field)
{
	static const uint16_t unit_ms[4] = { 1, 16, 128, 1000 };

	return ((field & 0x1F) + 1) * unit_ms[(field >> 5) & 3];
}

/*
 * DWORD 2, the density.  Bit 31 clear: bits 30:0 are the size in bits minus
 * one.  Bit 31 set: bits 30:0 are N for 2^N bits, which JESD216 keeps for
 * parts above 2 Gbit (so N >= 32); N > 63 would not fit in a uint64_t and is
 * a corrupt table, as Linux also judges.
 */
static int density(uint32_t dw2, uint64_t *size)
{
	uint32_t v = dw2 & 0x7FFFFFFFu;

	if (dw2 & 0x80000000u) {
		if (v < 32 || v > 63)
			return SFDP_E_DENSITY;
		*size = (uint64_t)1 << (v - 3);
		return 0;
	}
	/* v + 1 bits; zero bytes (v < 7) or a partial byte is no density. */
	if ((v + 1) % 8 != 0 || v < 7)
		return SFDP_E_DENSITY;
	*size = ((uint64_t)v + 1) / 8;
	return 0;
}

/* DWORD 1: 4 KiB erase, write granularity, volatile SR, address bytes, reads. */
static int bfpt_dw1(uint32_t v, struct sfdp_info *o)
{
	if ((v & 3) == 1) {     /* 01b: 4 KiB erase everywhere; 11b: none; 00b/10b reserved */
		o->flags |= SFDP_F_ERASE_4K;
		o->erase4k_opcode = (uint8_t)(v >> 8);
	}
	if (v & (1u << 2))
		o->flags |= SFDP_F_WRITE_GRAN_64;
	if (v & (1u << 3)) {
		o->flags |= SFDP_F_VOLATILE_SR;
		if (v & (1u << 4))
			o->flags |= SFDP_F_VSR_WREN_06;
	}
	if (v & (1u << 16))
		o->flags |= SFDP_F_READ_112;
	switch ((v >> 17) & 3) {
	case 0: o->addr = SFDP_ADDR_3; break;
	case 1: o->addr = SFDP_ADDR_3_OR_4; break;
	case 2: o->addr = SFDP_ADDR_4; break;
	default: return SFDP_E_ADDR_BYTES;
	}
	if (v & (1u << 19))
		o->flags |= SFDP_F_DTR;
	if (v & (1u << 20))
		o->flags |= SFDP_F_READ_122;
	if (v & (1u << 21))
		o->flags |= SFDP_F_READ_144;
	if (v & (1u << 22))
		o->flags |= SFDP_F_READ_114;
	return 0;
}

/* DWORDs 8-9: erase types 1-4, size 2^N bytes (N = 0: undefined), opcode;
 * DWORD 10 (n >= 10): their times, maximum = 2 * (multiplier + 1) * typical.
 * *mult gets that multiplier (0 without DWORD 10). */
static int bfpt_erase(const uint32_t *dw, unsigned n, struct sfdp_info *o, uint32_t *mult)
{
	uint32_t v;
	unsigned i;

	for (i = 0; i < 4; i++) {
		uint32_t f = (dw[8 + i / 2] >> (16 * (i % 2))) & 0xFFFF;
		uint32_t e = f & 0xFF;

		if (e == 0)
			continue;
		if (e > 31 || ((uint64_t)1 << e) > o->size)
			return SFDP_E_ERASE_SIZE;
		o->erase[i].size = (uint32_t)1 << e;
		o->erase[i].opcode = (uint8_t)(f >> 8);
	}
	*mult = 0;
	if (n < 10)
		return 0;
	v = dw[10];
	*mult = 2 * ((v & 0xF) + 1);
	o->flags |= SFDP_F_ERASE_TIMES;
	for (i = 0; i < 4; i++) {
		if (!o->erase[i].size)
			continue;
		o->erase[i].typ_ms = erase_ms(v >> (4 + 7 * i));
		o->erase[i].max_ms = *mult * o->erase[i].typ_ms;
	}
	return 0;
}

/* DWORD 11: page size and program times, chip erase time (whose maximum
 * JESD216 gives no multiplier of its own: DWORD 10's, mult). */
static int bfpt_dw11(uint32_t v, uint32_t mult, struct sfdp_info *o)
{
	static const uint32_t ce_unit_ms[4] = { 16, 256, 4000, 64000 };
	uint32_t pmult = 2 * ((v & 0xF) + 1);

	o->flags |= SFDP_F_PAGE_SIZE;
	o->page_size = 1u << ((v >> 4) & 0xF);
	o->pp_typ_us = (((v >> 8) & 0x1F) + 1) * ((v & (1u << 13)) ? 64 : 8);
	o->pp_max_us = pmult * o->pp_typ_us;
	o->byte_first_typ_us = (((v >> 14) & 0xF) + 1) * ((v & (1u << 18)) ? 8 : 1);
	o->byte_next_typ_us = (((v >> 19) & 0xF) + 1) * ((v & (1u << 23)) ? 8 : 1);
	o->chip_erase_typ_ms = (((v >> 24) & 0x1F) + 1) * ce_unit_ms[(v >> 29) & 3];
	o->chip_erase_max_ms = mult * o->chip_erase_typ_ms;
	return o->page_size > o->size ? SFDP_E_PAGE_SIZE : 0;
}

static int parse_bfpt(const uint8_t *t, unsigned ndw, struct sfdp_info *o)
{
	uint32_t dw[SFDP_BFPT_DWORDS + 1] = { 0 };   /* 1-based, as JESD216 counts */
	unsigned i, n = ndw < SFDP_BFPT_DWORDS ? ndw : SFDP_BFPT_DWORDS;
	uint32_t v, mult;
	int err;

	for (i = 1; i <= n; i++)
		dw[i] = get32(t + 4 * (i - 1));
	if ((err = bfpt_dw1(dw[1], o)) != 0 || (err = density(dw[2], &o->size)) != 0 ||
	    (err = bfpt_erase(dw, n, o, &mult)) != 0)
		return err;
	o->page_size = DEFAULT_PAGE;
	if (n >= 11 && (err = bfpt_dw11(dw[11], mult, o)) != 0)
		return err;
	if (n >= 15) {
		o->flags |= SFDP_F_QER;
		o->qer = (uint8_t)((dw[15] >> 20) & 7);
	}
	/* DWORD 16.  Reserved bits are dropped: shipping parts set them (the
	 * W25Q128JV's enter field is 80h, its SR1 field has bits 6:5 set). */
	if (n >= 16) {
		v = dw[16];
		o->flags |= SFDP_F_DW16;
		o->enter4 = (uint8_t)((v >> 24) & 0x7F);
		o->exit4 = (uint16_t)((v >> 14) & 0xFF);
		o->soft_reset = (uint8_t)((v >> 8) & 0x3F);
		o->sr1_write = (uint8_t)(v & 0x1F);
	}
	return 0;
}

static void parse_4bait(const uint8_t *t, struct sfdp_info *o)
{
	uint32_t support = get32(t), ops = get32(t + 4);
	unsigned i;

	o->flags |= SFDP_F_4BAIT;
	o->fourbait = support & 0x01FFFFFFu;   /* bits 31:25 reserved */
	for (i = 0; i < 4; i++) {
		if (!o->erase[i].size || !(support & SFDP_4B_ERASE(i + 1)))
			continue;
		o->erase[i].has_opcode4 = 1;
		o->erase[i].opcode4 = (uint8_t)(ops >> (8 * i));
	}
}

int sfdp_parse(const uint8_t *buf, size_t len, struct sfdp_info *out)
{
	struct sfdp_span span[SFDP_MAX_SPANS];
	struct hdr h;
	struct tables t;
	int err, n, i;

	if (!out)
		return SFDP_E_ARG;
	memset(out, 0, sizeof(*out));
	err = read_hdr(buf, len, &h);
	if (err)
		goto out;
	n = used_spans(buf, &h, &t, span);
	if (n < 0) {
		err = n;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (span[i].addr + (size_t)span[i].len > len) {
			err = SFDP_E_TRUNC_TABLE;
			goto out;
		}
	}
	out->rev_major = h.major;
	out->rev_minor = h.minor;
	out->nph = (uint16_t)h.nph;
	out->access_protocol = h.access;
	out->bfpt = t.bfpt;
	err = parse_bfpt(buf + span[0].addr, t.bfpt.dwords, out);
	if (err)
		goto out;
	if (n > 1)
		parse_4bait(buf + span[1].addr, out);
out:
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

const char *sfdp_strerror(int err)
{
	switch (err) {
	case SFDP_OK:             return "ok";
	case SFDP_E_ARG:          return "invalid argument";
	case SFDP_E_TRUNC_HEADER: return "sfdp header truncated";
	case SFDP_E_TRUNC_TABLE:  return "sfdp parameter table truncated";
	case SFDP_E_SIGNATURE:    return "no sfdp signature";
	case SFDP_E_VERSION:      return "unsupported sfdp major revision";
	case SFDP_E_NO_BFPT:      return "first parameter header is not a basic flash parameter table";
	case SFDP_E_PTR:          return "parameter table pointer out of range";
	case SFDP_E_TABLE_LEN:    return "parameter table length is zero";
	case SFDP_E_BFPT_SHORT:   return "basic flash parameter table shorter than 9 dwords";
	case SFDP_E_DENSITY:      return "invalid flash density";
	case SFDP_E_ADDR_BYTES:   return "reserved address bytes value";
	case SFDP_E_ERASE_SIZE:   return "invalid erase type size";
	case SFDP_E_PAGE_SIZE:    return "page size larger than the flash";
	case SFDP_E_4BAIT_SHORT:  return "4-byte address instruction table shorter than 2 dwords";
	default:                  return "unknown error";
	}
}
