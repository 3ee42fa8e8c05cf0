/*
 * chips: what the client knows about SPI NOR parts, as data.  The table
 * (chips_table.c) is looked up by JEDEC ID (with its JEP106 bank), by the
 * REMS (90h) ID for old parts without 9Fh, or by name for --chip.  Unknown
 * IDs get a description from SFDP (ops_chip.c) or a generic 25xx guess.
 */
#ifndef CHIPS_H
#define CHIPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status register layouts, for decoding SR1 in 'info'. */
enum chip_sr {
	CHIP_SR_PLAIN = 0,     /* SR1 only: WIP WEL BP0-BP2 (BP3) SRWD */
	CHIP_SR_WINBOND,       /* SR1: WIP WEL BP0-2 TB SEC SRP0; SR2: SRP1 QE LB CMP SUS; SR3 */
	CHIP_SR_WINBOND4,      /* SR1: WIP WEL BP0-3 TB SRP0; SR2, SR3 as Winbond (W25Q256) */
	CHIP_SR_MACRONIX,      /* SR1: WIP WEL BP0-3 QE SRWD (also ISSI) */
	CHIP_SR_SST,           /* SR1: BUSY WEL BP0-3 AAI BPL */
	CHIP_SR_MICRON,        /* SR1: WIP WEL BP0-2 TB BP3 SRWD */
	CHIP_SR_AT25DF,        /* SR1: RDY WEL SWP(2) WPP EPE - SPRL */
};

/* How a part protects blocks: which decoder of wp.c applies. */
enum chip_wp {
	CHIP_WP_NONE = 0,      /* no block protection bits */
	CHIP_WP_GENERIC,       /* BP0-BP3 of unknown meaning: any set = whole chip */
	CHIP_WP_BP3,           /* BP0-2, top only, 111 all, unit max(64K, size/64) (M25P, SST25VF) */
	CHIP_WP_BP3_TB,        /* ... plus TB in SR1 bit 5 (W25X) */
	CHIP_WP_W25Q,          /* BP0-2, TB bit 5, SEC bit 6, CMP SR2 bit 6 (W25Q, GD25Q, clones) */
	CHIP_WP_W25Q_BP4,      /* BP0-3, TB bit 6, CMP SR2 bit 6, unit 64K (W25Q256/512) */
	CHIP_WP_BP4,           /* BP0-3, top only, unit 64K (Macronix, ISSI) */
	CHIP_WP_MICRON,        /* BP0-2 bits 2-4, BP3 bit 6, TB bit 5, unit 64K (N25Q, MT25Q) */
	CHIP_WP_AT25DF,        /* per-sector locks, SWP summary in SR1 bits 2-3, SPRL bit 7 */
	CHIP_WP_SST26,         /* block protection register (72h), global unlock 98h */
	CHIP_WP_N
};

enum chip_flags {
	CHIP_F_SR2        = 1 << 0,  /* 35h reads SR2 */
	CHIP_F_SR3        = 1 << 1,  /* 15h reads SR3 */
	CHIP_F_WRSR_2BYTE = 1 << 2,  /* 01h takes SR1 and SR2; a 1-byte 01h clears SR2 (QE!) */
	CHIP_F_WRSR2_31   = 1 << 3,  /* 31h writes SR2 alone */
	CHIP_F_EWSR       = 1 << 4,  /* WRSR needs 50h (EWSR), not 06h (old SST) */
	CHIP_F_AAI        = 1 << 5,  /* SST25VF: no page program; 02h programs one byte */
	CHIP_F_NO_4K      = 1 << 6,  /* no uniform 4 KiB erase: writes are refused */
	CHIP_F_WPS        = 1 << 7,  /* SR3 bit 2 WPS selects individual block locks */
	CHIP_F_QE_SR1     = 1 << 8,  /* QE is SR1 bit 6 (Macronix, ISSI): keep it */
	CHIP_F_NO_JEDEC   = 1 << 9,  /* no 9Fh: found by REMS (90h) only */
	CHIP_F_GENERIC    = 1 << 10, /* not from the table: guessed from the ID */
	CHIP_F_SFDP       = 1 << 11, /* not from the table: described by SFDP */
	CHIP_F_FORCED     = 1 << 12, /* --chip: the ID did not say so */
};

/* Erase sizes, each with its opcode and datasheet times. */
enum { CHIP_ERASE_4K = 0, CHIP_ERASE_32K, CHIP_ERASE_64K, CHIP_ERASE_N };

struct chip_erase {
	uint8_t opcode;          /* 0: not supported */
	uint32_t size;
	uint32_t t_typ_ms, t_max_ms;
};

struct chip {
	const char *name;
	const char *datasheet;   /* the document the entry's facts come from */
	uint8_t bank;            /* JEP106 bank - 1: count of 7Fh before the manufacturer */
	uint8_t jedec[3];        /* manufacturer, type, capacity (after the 7Fh codes) */
	uint8_t rems_id;         /* device ID of REMS (90h) and RES (ABh); 0: unknown */
	uint32_t size;           /* bytes */
	uint16_t page_size;      /* bytes programmed per 02h (1 for byte-program parts) */
	uint8_t addr_mode;       /* enum proto_addr_mode */
	uint8_t sr;              /* enum chip_sr */
	uint8_t wp;              /* enum chip_wp */
	uint32_t flags;          /* enum chip_flags */
	uint16_t t_pp_typ_us, t_pp_max_ms;        /* page (or byte) program */
	struct chip_erase erase[CHIP_ERASE_N];
	uint32_t t_ce_typ_ms, t_ce_max_ms;        /* chip erase (C7h) */
	uint16_t t_w_max_ms;                      /* status register write */
};

/* The table, terminated by an entry with name == NULL. */
extern const struct chip chips_table[];
size_t chips_count(void);

/* Find a part by JEDEC ID in bank; NULL if not in the table. */
const struct chip *chips_find(uint8_t bank, const uint8_t id[3]);
/* Find an old part by its REMS answer (manufacturer, device). */
const struct chip *chips_find_rems(uint8_t manufacturer, uint8_t device);
const struct chip *chips_find_name(const char *name);

/*
 * Split a raw 9Fh answer of n bytes into bank (the count of leading 7Fh
 * continuation codes) and the three ID bytes after them.  Returns 0, or -1
 * when the answer is too short for the codes it carries.
 */
int chips_parse_id(const uint8_t *raw, size_t n, uint8_t *bank, uint8_t id[3]);

/* Describe an unknown part from its ID alone (capacity byte 2^n, 4K and 64K
 * erase, generous timings).  Returns 0, or -1 when the ID says nothing usable
 * (no chip: 00 00 00 / FF FF FF, or an implausible capacity byte). */
int chips_generic(const uint8_t id[3], struct chip *out);

/* "no chip" IDs: all zero (MISO stuck low) or all FF (floating high). */
int chips_id_absent(const uint8_t id[3]);

const char *chips_vendor(uint8_t bank, uint8_t manufacturer);

#ifdef __cplusplus
}
#endif
#endif
