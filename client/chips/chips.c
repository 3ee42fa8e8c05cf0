/*
 * chips: looking parts up in the table (chips_table.c), JEDEC ID parsing
 * and the generic guess for IDs the table does not know.
 */
#include "chips/chips.h"
#include "proto.h"

#include <strings.h>

#define KIB 1024u

size_t chips_count(void)
{
	size_t n = 0;

	while (chips_table[n].name)
		n++;
	return n;
}

const struct chip *chips_find(uint8_t bank, const uint8_t id[3])
{
	const struct chip *c;

	for (c = chips_table; c->name; c++)
		if (!(c->flags & CHIP_F_NO_JEDEC) && c->bank == bank && c->jedec[0] == id[0] &&
		    c->jedec[1] == id[1] && c->jedec[2] == id[2])
			return c;
	return NULL;
}

const struct chip *chips_find_rems(uint8_t manufacturer, uint8_t device)
{
	const struct chip *c;

	/* only parts that need it: many newer parts share REMS IDs */
	for (c = chips_table; c->name; c++)
		if ((c->flags & CHIP_F_NO_JEDEC) && c->jedec[0] == manufacturer &&
		    c->rems_id == device)
			return c;
	return NULL;
}

const struct chip *chips_find_name(const char *name)
{
	const struct chip *c;

	if (!name)
		return NULL;
	for (c = chips_table; c->name; c++)
		if (!strcasecmp(c->name, name))
			return c;
	return NULL;
}

int chips_parse_id(const uint8_t *raw, size_t n, uint8_t *bank, uint8_t id[3])
{
	size_t k = 0;

	/* JEP106: each 7Fh moves the manufacturer code one bank up */
	while (k < n && raw[k] == 0x7F)
		k++;
	if (k + 3 > n)
		return -1;
	*bank = (uint8_t)k;
	id[0] = raw[k];
	id[1] = raw[k + 1];
	id[2] = raw[k + 2];
	return 0;
}

int chips_id_absent(const uint8_t id[3])
{
	return (id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00) ||
	       (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF);
}

int chips_generic(const uint8_t id[3], struct chip *out)
{
	static const struct chip generic = {
		.name = "generic 25xx", .datasheet = "none: guessed from the JEDEC ID",
		.page_size = 256, .addr_mode = PROTO_ADDR_3,
		.sr = CHIP_SR_PLAIN, .wp = CHIP_WP_GENERIC, .flags = CHIP_F_GENERIC,
		.t_pp_typ_us = 1000, .t_pp_max_ms = 10,
		.erase = { { 0x20, 4 * KIB, 100, 1000 }, { 0, 0, 0, 0 },
			   { 0xD8, 64 * KIB, 1000, 4000 } },
		.t_w_max_ms = 200,
	};

	if (chips_id_absent(id) || id[0] == 0xFF || id[0] == 0x00)
		return -1;
	/* most vendors code the capacity as log2(bytes): 0x10 = 64 KiB;
	 * stop at 16 MiB, where 4-byte addressing would need knowledge */
	if (id[2] < 0x10 || id[2] > 0x18)
		return -1;
	*out = generic;
	out->jedec[0] = id[0];
	out->jedec[1] = id[1];
	out->jedec[2] = id[2];
	out->size = 1u << id[2];
	/* C7h on an unknown part: allow 1 s per 32 KiB, at least 60 s */
	out->t_ce_max_ms = out->size / (32 * KIB) * 1000;
	if (out->t_ce_max_ms < 60000)
		out->t_ce_max_ms = 60000;
	out->t_ce_typ_ms = out->t_ce_max_ms / 4;
	return 0;
}

const char *chips_vendor(uint8_t bank, uint8_t m)
{
	if (bank == 1 && m == 0x9D)
		return "PMC";
	if (bank == 1 && m == 0x37)
		return "AMIC";
	if (bank != 0)
		return "unknown vendor";
	switch (m) {
	case 0x01: return "Spansion/Cypress";
	case 0x0B: return "XTX";
	case 0x1C: return "EON";
	case 0x1F: return "Atmel/Adesto";
	case 0x20: return "Micron/ST/XMC";
	case 0x37: return "AMIC";
	case 0x5E: return "Zbit";
	case 0x68: return "Boya/BoHong";
	case 0x85: return "Puya";
	case 0x9D: return "ISSI";
	case 0xBF: return "SST/Microchip";
	case 0xC2: return "Macronix";
	case 0xC8: return "GigaDevice";
	case 0xEF: return "Winbond";
	default:   return "unknown vendor";
	}
}
