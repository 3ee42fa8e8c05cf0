/*
 * chips_sfdp: SFDP into a struct chip, and SFDP against the table.
 */
#include "chips/chips_sfdp.h"
#include "proto.h"

#include <stdio.h>
#include <string.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

static const uint32_t erase_sizes[CHIP_ERASE_N] = { 4 * KIB, 32 * KIB, 64 * KIB };

static const struct sfdp_erase *find_erase(const struct sfdp_info *s, uint32_t size)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s->erase[i].size == size && s->erase[i].opcode && s->erase[i].opcode != 0xFF)
			return &s->erase[i];
	return NULL;
}

static uint32_t at_least(uint32_t v, uint32_t min)
{
	return v < min ? min : v;
}

int chips_from_sfdp(const struct sfdp_info *s, uint8_t bank, const uint8_t id[3],
		    struct chip *out, char *why, size_t whylen)
{
	const struct sfdp_erase *e;
	int i;

	memset(out, 0, sizeof(*out));
	out->name = "SFDP part";
	out->datasheet = "the chip's own SFDP tables (JESD216)";
	out->bank = bank;
	memcpy(out->jedec, id, 3);
	if (s->size == 0 || s->size > 0x100000000ULL || (s->size & (s->size - 1))) {
		snprintf(why, whylen, "SFDP gives an unusable size of %llu bytes",
			 (unsigned long long)s->size);
		return -1;
	}
	out->size = (uint32_t)s->size;
	out->page_size = s->page_size >= 1 && s->page_size <= 256 ? (uint16_t)s->page_size : 256;
	if (!(s->flags & SFDP_F_WRITE_GRAN_64))
		out->page_size = 1;  /* write granularity of one byte: program byte by byte */
	out->addr_mode = PROTO_ADDR_3;
	if (out->size > 16 * MIB) {
		uint32_t need = SFDP_4B_READ_13 | SFDP_4B_PP_12;

		e = find_erase(s, 4 * KIB);
		if ((s->flags & SFDP_F_4BAIT) && (s->fourbait & need) == need && e &&
		    e->has_opcode4 && e->opcode4 == 0x21)
			out->addr_mode = PROTO_ADDR_4_NATIVE;
		else if ((s->flags & SFDP_F_DW16) && (s->enter4 & SFDP_ENTER4_B7) &&
			 (s->exit4 & SFDP_EXIT4_E9))
			out->addr_mode = PROTO_ADDR_4_MODE;
		else {
			snprintf(why, whylen, "%u MiB part with no 4-byte method the programmer speaks (4-byte opcodes or B7h/E9h)",
				 out->size / MIB);
			return -1;
		}
	}
	for (i = 0; i < CHIP_ERASE_N; i++) {
		e = find_erase(s, erase_sizes[i]);
		if (!e)
			continue;
		/* in native 4-byte mode the firmware maps 20h/52h/D8h to
		 * 21h/5Ch/DCh: keep only erases whose 4-byte twin is that */
		if (out->addr_mode == PROTO_ADDR_4_NATIVE &&
		    (e->opcode != (i == 0 ? 0x20 : i == 1 ? 0x52 : 0xD8) || !e->has_opcode4 ||
		     e->opcode4 != (i == 0 ? 0x21 : i == 1 ? 0x5C : 0xDC)))
			continue;
		out->erase[i].opcode = e->opcode;
		out->erase[i].size = erase_sizes[i];
		out->erase[i].t_typ_ms = (s->flags & SFDP_F_ERASE_TIMES) ? e->typ_ms : 100;
		out->erase[i].t_max_ms = at_least((s->flags & SFDP_F_ERASE_TIMES) ? e->max_ms : 0,
						  i == 0 ? 1000 : 4000);
	}
	if (!out->erase[0].opcode) {
		snprintf(why, whylen, "SFDP lists no 4 KiB erase the programmer can use");
		return -1;
	}
	out->t_pp_typ_us = 1000;
	out->t_pp_max_ms = 10;
	if (s->flags & SFDP_F_PAGE_SIZE) {
		out->t_pp_typ_us = (uint16_t)(s->pp_typ_us > 60000 ? 60000 : s->pp_typ_us);
		out->t_pp_max_ms = (uint16_t)at_least((s->pp_max_us + 999) / 1000, 3);
		out->t_ce_typ_ms = s->chip_erase_typ_ms;
		out->t_ce_max_ms = s->chip_erase_max_ms;
	}
	/* chip erase: no less than 1 s per 32 KiB when SFDP does not say */
	out->t_ce_max_ms = at_least(out->t_ce_max_ms, out->size / (32 * KIB) * 1000);
	if (!out->t_ce_typ_ms)
		out->t_ce_typ_ms = out->t_ce_max_ms / 4;
	out->t_w_max_ms = 200;
	out->sr = CHIP_SR_PLAIN;
	out->wp = CHIP_WP_GENERIC;
	out->flags = CHIP_F_SFDP;
	if (s->flags & SFDP_F_QER) {
		switch (s->qer) {
		case SFDP_QER_SR2B1_CLEARS:
		case SFDP_QER_SR2B1:
		case SFDP_QER_SR2B1_35:
			out->flags |= CHIP_F_SR2 | CHIP_F_WRSR_2BYTE;
			out->sr = CHIP_SR_WINBOND;
			break;
		case SFDP_QER_SR2B1_31:
			out->flags |= CHIP_F_SR2 | CHIP_F_WRSR2_31;
			out->sr = CHIP_SR_WINBOND;
			break;
		case SFDP_QER_SR1B6:
			out->flags |= CHIP_F_QE_SR1;
			out->sr = CHIP_SR_MACRONIX;
			break;
		default:
			break;
		}
	}
	return 0;
}

int chips_sfdp_compare(const struct chip *c, const struct sfdp_info *s, char *buf, size_t len)
{
	size_t o = 0;
	int n = 0, i;

#define SAY(...) do { \
		if (o < len) \
			o += (size_t)snprintf(buf + o, len - o, "%s", n ? "; " : \
					      "SFDP disagrees with the table (the table wins): "); \
		if (o < len) \
			o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); \
		n++; \
	} while (0)

	if (len)
		buf[0] = '\0';
	if (s->size != c->size)
		SAY("size %llu KiB, table %u KiB", (unsigned long long)(s->size / 1024),
		    c->size / 1024);
	if ((s->flags & SFDP_F_PAGE_SIZE) && c->page_size > 1 && s->page_size != c->page_size)
		SAY("page %u bytes, table %u", (unsigned)s->page_size, c->page_size);
	for (i = 0; i < CHIP_ERASE_N; i++) {
		const struct sfdp_erase *e = find_erase(s, erase_sizes[i]);
		const struct chip_erase *t = &c->erase[i];

		if (t->opcode && !e)
			SAY("no %uK erase, table has %02Xh", erase_sizes[i] / 1024, t->opcode);
		else if (t->opcode && e->opcode != t->opcode)
			SAY("%uK erase is %02Xh, table %02Xh", erase_sizes[i] / 1024, e->opcode,
			    t->opcode);
	}
#undef SAY
	if (!n && len)
		snprintf(buf, len, "SFDP agrees with the table");
	return n;
}
