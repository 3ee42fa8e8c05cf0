/*
 * chips: what the client knows about SPI NOR parts, as data.  Looked up by
 * JEDEC ID; unknown IDs get a generic 25xx description.
 */
#ifndef CHIPS_H
#define CHIPS_H

#include <stdint.h>

/* Status register layouts, for decoding in 'info' and protection checks. */
enum chip_sr {
	CHIP_SR_PLAIN = 0,     /* SR1 only: WIP WEL BP0-BP2 (BP3) SRWD */
	CHIP_SR_WINBOND,       /* SR1: WIP WEL BP0-2 TB SEC SRP0; SR2: SRP1 QE LB CMP SUS; SR3 */
	CHIP_SR_MACRONIX,      /* SR1: WIP WEL BP0-3 QE SRWD */
	CHIP_SR_SST,           /* SR1: BUSY WEL BP0-3 AAI BPL */
};

enum chip_flags {
	CHIP_F_SR2   = 1 << 0,   /* 35h reads SR2 */
	CHIP_F_SR3   = 1 << 1,   /* 15h reads SR3 */
	CHIP_F_BP3   = 1 << 2,   /* four BP bits (BP3 = SR1 bit 5) */
	CHIP_F_GENERIC = 1 << 3, /* not from the table: guessed from the ID */
};

/* Erase sizes, each with its opcode and datasheet maximum time. */
enum { CHIP_ERASE_4K = 0, CHIP_ERASE_32K, CHIP_ERASE_64K, CHIP_ERASE_N };

struct chip_erase {
	uint8_t opcode;          /* 0: not supported */
	uint32_t size;
	uint32_t t_typ_ms, t_max_ms;
};

struct chip {
	const char *name;
	uint8_t jedec[3];        /* manufacturer, type, capacity */
	uint32_t size;           /* bytes */
	uint16_t page_size;      /* bytes programmed per 02h (1 for byte-program parts) */
	uint8_t addr_mode;       /* enum proto_addr_mode */
	uint8_t sr;              /* enum chip_sr */
	uint32_t flags;          /* enum chip_flags */
	uint16_t t_pp_typ_us, t_pp_max_ms;        /* page program */
	struct chip_erase erase[CHIP_ERASE_N];
	uint32_t t_ce_typ_ms, t_ce_max_ms;        /* chip erase (C7h) */
};

/* The table, terminated by an entry with name == NULL. */
extern const struct chip chips_table[];

/* Find a part by JEDEC ID; NULL if not in the table. */
const struct chip *chips_find(const uint8_t id[3]);
const struct chip *chips_find_name(const char *name);

/* Describe an unknown part from its ID alone (capacity byte 2^n, 4K and 64K
 * erase, generous timings).  Returns 0, or -1 when the ID says nothing usable
 * (no chip: 00 00 00 / FF FF FF, or an implausible capacity byte). */
int chips_generic(const uint8_t id[3], struct chip *out);

/* "no chip" IDs: all zero (MISO stuck low) or all FF (floating high). */
int chips_id_absent(const uint8_t id[3]);

const char *chips_vendor(uint8_t manufacturer);

#endif
