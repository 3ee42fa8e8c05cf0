/*
 * chips: the built-in part table.  Times are datasheet typical and maximum
 * values, rounded up where a family's parts differ; the maximum is what the
 * device waits before it calls a chip stuck, so erring long is safe.
 */
#include "chips.h"
#include "../protocol/proto.h"

#include <stddef.h>
#include <strings.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

/* Erase lists by family: {opcode, size, typ ms, max ms} for 4K, 32K, 64K. */
#define ERASE_W25Q   { { 0x20, 4 * KIB, 45, 400 }, { 0x52, 32 * KIB, 120, 1600 }, \
		       { 0xD8, 64 * KIB, 150, 2000 } }
#define ERASE_W25X   { { 0x20, 4 * KIB, 30, 300 }, { 0, 0, 0, 0 }, \
		       { 0xD8, 64 * KIB, 150, 1000 } }
#define ERASE_MX_OLD { { 0x20, 4 * KIB, 60, 300 }, { 0, 0, 0, 0 }, \
		       { 0xD8, 64 * KIB, 700, 2000 } }
#define ERASE_MX     { { 0x20, 4 * KIB, 45, 400 }, { 0x52, 32 * KIB, 250, 1000 }, \
		       { 0xD8, 64 * KIB, 500, 2000 } }
#define ERASE_GD     { { 0x20, 4 * KIB, 50, 400 }, { 0x52, 32 * KIB, 160, 1000 }, \
		       { 0xD8, 64 * KIB, 200, 1200 } }
#define ERASE_SST    { { 0x20, 4 * KIB, 18, 25 }, { 0x52, 32 * KIB, 18, 25 }, \
		       { 0xD8, 64 * KIB, 18, 25 } }
#define ERASE_EON    { { 0x20, 4 * KIB, 90, 300 }, { 0, 0, 0, 0 }, \
		       { 0xD8, 64 * KIB, 500, 2000 } }
#define ERASE_S25FL  { { 0x20, 4 * KIB, 50, 450 }, { 0x52, 32 * KIB, 250, 1200 }, \
		       { 0xD8, 64 * KIB, 500, 2000 } }

#define W25X(n, cap, sz, ce_max) { \
	.name = n, .jedec = { 0xEF, 0x30, cap }, .size = sz, .page_size = 256, \
	.addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_PLAIN, .flags = 0, \
	.t_pp_typ_us = 1500, .t_pp_max_ms = 3, .erase = ERASE_W25X, \
	.t_ce_typ_ms = (ce_max) / 4, .t_ce_max_ms = ce_max }

#define W25Q(n, cap, sz, mode, ce_max) { \
	.name = n, .jedec = { 0xEF, 0x40, cap }, .size = sz, .page_size = 256, \
	.addr_mode = mode, .sr = CHIP_SR_WINBOND, .flags = CHIP_F_SR2 | CHIP_F_SR3, \
	.t_pp_typ_us = 700, .t_pp_max_ms = 3, .erase = ERASE_W25Q, \
	.t_ce_typ_ms = (ce_max) / 5, .t_ce_max_ms = ce_max }

#define GD25Q(n, cap, sz, fl, ce_max) { \
	.name = n, .jedec = { 0xC8, 0x40, cap }, .size = sz, .page_size = 256, \
	.addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_WINBOND, .flags = CHIP_F_SR2 | (fl), \
	.t_pp_typ_us = 600, .t_pp_max_ms = 3, .erase = ERASE_GD, \
	.t_ce_typ_ms = (ce_max) / 4, .t_ce_max_ms = ce_max }

const struct chip chips_table[] = {
	W25X("W25X10", 0x11, 128 * KIB, 10000),
	W25X("W25X20", 0x12, 256 * KIB, 10000),
	W25X("W25X40", 0x13, 512 * KIB, 10000),
	W25X("W25X80", 0x14, 1 * MIB, 20000),
	W25Q("W25Q80", 0x14, 1 * MIB, PROTO_ADDR_3, 10000),
	W25Q("W25Q16", 0x15, 2 * MIB, PROTO_ADDR_3, 25000),
	W25Q("W25Q32", 0x16, 4 * MIB, PROTO_ADDR_3, 50000),
	W25Q("W25Q64", 0x17, 8 * MIB, PROTO_ADDR_3, 100000),
	W25Q("W25Q128", 0x18, 16 * MIB, PROTO_ADDR_3, 200000),
	W25Q("W25Q256", 0x19, 32 * MIB, PROTO_ADDR_4_NATIVE, 400000),
	{
		.name = "MX25L6406E", .jedec = { 0xC2, 0x20, 0x17 }, .size = 8 * MIB,
		.page_size = 256, .addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_MACRONIX,
		.flags = CHIP_F_BP3, .t_pp_typ_us = 1400, .t_pp_max_ms = 5,
		.erase = ERASE_MX_OLD, .t_ce_typ_ms = 50000, .t_ce_max_ms = 100000,
	},
	{
		.name = "MX25L12835F", .jedec = { 0xC2, 0x20, 0x18 }, .size = 16 * MIB,
		.page_size = 256, .addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_MACRONIX,
		.flags = CHIP_F_BP3, .t_pp_typ_us = 600, .t_pp_max_ms = 5,
		.erase = ERASE_MX, .t_ce_typ_ms = 50000, .t_ce_max_ms = 200000,
	},
	{
		.name = "MX25L25645G", .jedec = { 0xC2, 0x20, 0x19 }, .size = 32 * MIB,
		.page_size = 256, .addr_mode = PROTO_ADDR_4_NATIVE, .sr = CHIP_SR_MACRONIX,
		.flags = CHIP_F_BP3, .t_pp_typ_us = 600, .t_pp_max_ms = 5,
		.erase = ERASE_MX, .t_ce_typ_ms = 150000, .t_ce_max_ms = 400000,
	},
	GD25Q("GD25Q32", 0x16, 4 * MIB, 0, 50000),
	GD25Q("GD25Q64", 0x17, 8 * MIB, 0, 100000),
	GD25Q("GD25Q128", 0x18, 16 * MIB, CHIP_F_SR3, 200000),
	{
		/* no page program: 02h writes one byte, so "pages" are 1 byte */
		.name = "SST25VF016B", .jedec = { 0xBF, 0x25, 0x41 }, .size = 2 * MIB,
		.page_size = 1, .addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_SST,
		.flags = CHIP_F_BP3, .t_pp_typ_us = 10, .t_pp_max_ms = 1,
		.erase = ERASE_SST, .t_ce_typ_ms = 35, .t_ce_max_ms = 100,
	},
	{
		.name = "EN25Q64", .jedec = { 0x1C, 0x30, 0x17 }, .size = 8 * MIB,
		.page_size = 256, .addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_PLAIN,
		.flags = CHIP_F_BP3, .t_pp_typ_us = 800, .t_pp_max_ms = 5,
		.erase = ERASE_EON, .t_ce_typ_ms = 40000, .t_ce_max_ms = 150000,
	},
	{
		.name = "S25FL116K", .jedec = { 0x01, 0x40, 0x15 }, .size = 2 * MIB,
		.page_size = 256, .addr_mode = PROTO_ADDR_3, .sr = CHIP_SR_WINBOND,
		.flags = CHIP_F_SR2 | CHIP_F_SR3, .t_pp_typ_us = 700, .t_pp_max_ms = 3,
		.erase = ERASE_S25FL, .t_ce_typ_ms = 7000, .t_ce_max_ms = 30000,
	},
	{ .name = NULL },
};

const struct chip *chips_find(const uint8_t id[3])
{
	const struct chip *c;

	for (c = chips_table; c->name; c++)
		if (c->jedec[0] == id[0] && c->jedec[1] == id[1] && c->jedec[2] == id[2])
			return c;
	return NULL;
}

const struct chip *chips_find_name(const char *name)
{
	const struct chip *c;

	for (c = chips_table; c->name; c++)
		if (!strcasecmp(c->name, name))
			return c;
	return NULL;
}

int chips_id_absent(const uint8_t id[3])
{
	return (id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00) ||
	       (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF);
}

int chips_generic(const uint8_t id[3], struct chip *out)
{
	static const struct chip generic = {
		.name = "generic 25xx", .page_size = 256, .addr_mode = PROTO_ADDR_3,
		.sr = CHIP_SR_PLAIN, .flags = CHIP_F_GENERIC,
		.t_pp_typ_us = 1000, .t_pp_max_ms = 10,
		.erase = { { 0x20, 4 * KIB, 100, 1000 }, { 0, 0, 0, 0 },
			   { 0xD8, 64 * KIB, 1000, 4000 } },
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

const char *chips_vendor(uint8_t m)
{
	switch (m) {
	case 0x01: return "Spansion/Cypress";
	case 0x1C: return "EON";
	case 0x1F: return "Atmel/Adesto";
	case 0x20: return "Micron/ST";
	case 0x5E: return "Zbit";
	case 0x68: return "Boya";
	case 0x85: return "Puya";
	case 0x9D: return "ISSI";
	case 0xBF: return "SST/Microchip";
	case 0xC2: return "Macronix";
	case 0xC8: return "GigaDevice";
	case 0xEF: return "Winbond";
	case 0x0B: return "XTX";
	default:   return "unknown vendor";
	}
}
