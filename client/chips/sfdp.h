/*
 * sfdp: a pure parser of the JESD216 Serial Flash Discoverable Parameters
 * (revisions 1.0 through D) over a byte buffer the caller read from the chip
 * with 5Ah.  No I/O, no malloc, no global state: the same bytes always give
 * the same answer, so the parser is tested against published dumps of real
 * parts and fuzzed.
 *
 * The buffer is the SFDP space from address 0, so every table pointer in it
 * is an offset into the buffer.  Nothing in it is trusted: each pointer and
 * length is checked against the buffer, the 24-bit SFDP address space and the
 * headers before a byte is read.
 *
 * Reading SFDP over a slow link, in three rounds and never more than needed:
 *
 *	need = SFDP_HEADER_LEN; len = 0;
 *	do {
 *		read SFDP bytes [len, need) into buf + len; len = need;
 *		err = sfdp_needed_len(buf, len, &need);
 *	} while (!err && need > len);
 *	if (!err) err = sfdp_parse(buf, len, &info);
 *
 * The first round reads the 8-byte header, the second the parameter
 * headers, the third up to the end of the last table the parser uses.  To
 * skip the gaps between tables instead, size buf to need, fill it with 0xFF,
 * and read only the spans sfdp_tables() lists once the headers are in.
 */
#ifndef SFDP_H
#define SFDP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SFDP_HEADER_LEN       8          /* "SFDP", minor, major, NPH, access protocol */
#define SFDP_PARAM_HDR_LEN    8          /* one parameter header */
#define SFDP_MAX_PARAMS       256        /* NPH is one byte, zero-based */
#define SFDP_SPACE_LEN        0x1000000u /* 5Ah takes a 24-bit address */
#define SFDP_BFPT_MIN_DWORDS  9          /* JESD216 (rev 1.0) */
#define SFDP_BFPT_DWORDS      16         /* what this parser reads (JESD216A-B) */
#define SFDP_4BAIT_DWORDS     2
#define SFDP_MAX_SPANS        2          /* tables sfdp_parse reads: BFPT and 4BAIT */

/* Parameter IDs: MSB in byte 7 of the parameter header, LSB in byte 0. */
#define SFDP_ID_BFPT          0xFF00u    /* basic flash parameter table */
#define SFDP_ID_SECTOR_MAP    0xFF81u
#define SFDP_ID_4BAIT         0xFF84u    /* 4-byte address instruction table */

enum sfdp_err {
	SFDP_OK               =   0,
	SFDP_E_ARG            =  -1, /* NULL buffer or result */
	SFDP_E_TRUNC_HEADER   =  -2, /* buffer ends inside the header or parameter headers */
	SFDP_E_TRUNC_TABLE    =  -3, /* buffer ends inside a table the parser needs */
	SFDP_E_SIGNATURE      =  -4, /* no "SFDP" signature: no SFDP, no chip, or a bad read */
	SFDP_E_VERSION        =  -5, /* SFDP major revision is not 1 */
	SFDP_E_NO_BFPT        =  -6, /* the first parameter header is not a JESD216 BFPT */
	SFDP_E_PTR            =  -7, /* table pointer unaligned, inside the headers, or past 16 MiB */
	SFDP_E_TABLE_LEN      =  -8, /* table length of zero DWORDs */
	SFDP_E_BFPT_SHORT     =  -9, /* BFPT shorter than 9 DWORDs */
	SFDP_E_DENSITY        = -10, /* density zero, not whole bytes, or 2^N out of range */
	SFDP_E_ADDR_BYTES     = -11, /* DWORD 1 address bytes field has the reserved value */
	SFDP_E_ERASE_SIZE     = -12, /* an erase type larger than 2 GiB or than the chip */
	SFDP_E_PAGE_SIZE      = -13, /* page larger than the chip */
	SFDP_E_4BAIT_SHORT    = -14, /* 4-byte address instruction table under 2 DWORDs */
};

/* enum sfdp_info.flags: which optional facts the tables carried. */
enum sfdp_flags {
	SFDP_F_ERASE_4K       = 1u << 0,  /* DWORD 1: 4 KiB erase everywhere, erase4k_opcode */
	SFDP_F_WRITE_GRAN_64  = 1u << 1,  /* DWORD 1: write buffer >= 64 bytes (else 1 byte) */
	SFDP_F_VOLATILE_SR    = 1u << 2,  /* DWORD 1: block protect bits are volatile */
	SFDP_F_VSR_WREN_06    = 1u << 3,  /* DWORD 1: ... written after 06h (else 50h) */
	SFDP_F_READ_112       = 1u << 4,  /* DWORD 1 fast read modes */
	SFDP_F_READ_122       = 1u << 5,
	SFDP_F_READ_144       = 1u << 6,
	SFDP_F_READ_114       = 1u << 7,
	SFDP_F_DTR            = 1u << 8,
	SFDP_F_ERASE_TIMES    = 1u << 9,  /* DWORD 10: erase[].typ_ms/max_ms */
	SFDP_F_PAGE_SIZE      = 1u << 10, /* DWORD 11: page_size and program/chip erase times
	                                     (without it page_size is the 256 default) */
	SFDP_F_QER            = 1u << 11, /* DWORD 15: qer */
	SFDP_F_DW16           = 1u << 12, /* DWORD 16: enter4, exit4, soft_reset, sr1_write */
	SFDP_F_4BAIT          = 1u << 13, /* 4BAIT present: fourbait, erase[].opcode4 */
};

enum sfdp_addr {
	SFDP_ADDR_3 = 0,      /* 3-byte addresses only */
	SFDP_ADDR_3_OR_4 = 1, /* 3-byte by default, 4-byte when entered or by 4-byte opcodes */
	SFDP_ADDR_4 = 2,      /* 4-byte addresses only */
};

/* DWORD 15 bits 22:20: where the quad enable bit is and how to set it. */
enum sfdp_qer {
	SFDP_QER_NONE = 0,        /* no QE bit (quad by instruction alone) */
	SFDP_QER_SR2B1_CLEARS = 1,/* SR2 bit 1 by a 2-byte 01h; a 1-byte 01h clears SR2 */
	SFDP_QER_SR1B6 = 2,       /* SR1 bit 6 by a 1-byte 01h */
	SFDP_QER_SR2B7 = 3,       /* SR2 bit 7, written with 3Eh, read with 3Fh */
	SFDP_QER_SR2B1 = 4,       /* SR2 bit 1 by a 2-byte 01h; a 1-byte 01h leaves SR2 */
	SFDP_QER_SR2B1_35 = 5,    /* SR2 bit 1, read 05h/35h, written by a 2-byte 01h */
	SFDP_QER_SR2B1_31 = 6,    /* SR2 bit 1, read 35h, written with 31h (JESD216C) */
	SFDP_QER_RESERVED = 7,
};

/* DWORD 16 bits 31:24: ways to enter 4-byte addressing (reserved bit 7 dropped). */
#define SFDP_ENTER4_B7        (1u << 0)  /* B7h */
#define SFDP_ENTER4_WREN_B7   (1u << 1)  /* 06h then B7h */
#define SFDP_ENTER4_EAR       (1u << 2)  /* extended address register, C8h/C5h */
#define SFDP_ENTER4_BANK      (1u << 3)  /* bank register, 16h/17h, bit 7 */
#define SFDP_ENTER4_NVCR      (1u << 4)  /* nonvolatile configuration register, B5h/B1h */
#define SFDP_ENTER4_OPCODES   (1u << 5)  /* dedicated 4-byte address instructions */
#define SFDP_ENTER4_ALWAYS    (1u << 6)  /* always in 4-byte mode */
/* DWORD 16 bits 23:14: ways to leave it (reserved bits 9:8 dropped). */
#define SFDP_EXIT4_E9         (1u << 0)
#define SFDP_EXIT4_WREN_E9    (1u << 1)
#define SFDP_EXIT4_EAR        (1u << 2)
#define SFDP_EXIT4_BANK       (1u << 3)
#define SFDP_EXIT4_NVCR       (1u << 4)
#define SFDP_EXIT4_HW_RESET   (1u << 5)
#define SFDP_EXIT4_SW_RESET   (1u << 6)
#define SFDP_EXIT4_POWER      (1u << 7)
/* DWORD 16 bits 13:8: soft reset and rescue sequences (0: none). */
#define SFDP_RESET_F_8        (1u << 0)  /* drive Fh on all four IOs for 8 clocks */
#define SFDP_RESET_F_10       (1u << 1)  /* ... 10 clocks in 4-byte mode */
#define SFDP_RESET_F_16       (1u << 2)  /* ... 16 clocks */
#define SFDP_RESET_F0         (1u << 3)  /* F0h */
#define SFDP_RESET_66_99      (1u << 4)  /* 66h then 99h (Linux: BFPT_DWORD16_SWRST_EN_RST) */
#define SFDP_RESET_EXIT_044   (1u << 5)  /* leave 0-4-4 mode before any of these */
/* DWORD 16 bits 6:0: status register 1 write enable (reserved bits 6:5 dropped). */
#define SFDP_SR1_NV_06        (1u << 0)  /* non-volatile, 06h */
#define SFDP_SR1_V_06         (1u << 1)  /* volatile, 06h */
#define SFDP_SR1_V_50         (1u << 2)  /* volatile, 50h */
#define SFDP_SR1_NV06_V50     (1u << 3)  /* non-volatile after 06h, volatile after 50h */
#define SFDP_SR1_MIXED_06     (1u << 4)  /* volatile and non-volatile bits, 06h */

/* 4BAIT DWORD 1: instructions supported with 4-byte addresses. */
#define SFDP_4B_READ_13       (1u << 0)
#define SFDP_4B_FAST_READ_0C  (1u << 1)
#define SFDP_4B_READ_112_3C   (1u << 2)
#define SFDP_4B_READ_122_BC   (1u << 3)
#define SFDP_4B_READ_114_6C   (1u << 4)
#define SFDP_4B_READ_144_EC   (1u << 5)
#define SFDP_4B_PP_12         (1u << 6)
#define SFDP_4B_PP_114_34     (1u << 7)
#define SFDP_4B_PP_144_3E     (1u << 8)
#define SFDP_4B_ERASE(type)   (1u << (8 + (type)))  /* type 1..4: erase[type - 1].opcode4 */

struct sfdp_erase {
	uint32_t size;        /* bytes, a power of two; 0: this erase type is not defined */
	uint8_t opcode;       /* with 3-byte (or current mode) addresses */
	uint8_t has_opcode4;  /* the 4BAIT lists a 4-byte address opcode for this type */
	uint8_t opcode4;
	uint32_t typ_ms;      /* with SFDP_F_ERASE_TIMES, else 0 */
	uint32_t max_ms;
};

struct sfdp_param {
	uint16_t id;          /* SFDP_ID_*, or a vendor's (manufacturer ID in the LSB) */
	uint8_t major, minor;
	uint8_t dwords;       /* table length */
	uint32_t addr;        /* table pointer (24 bits) */
};

struct sfdp_span {
	uint32_t addr;        /* SFDP address of a table */
	uint32_t len;         /* bytes */
};

struct sfdp_info {
	uint8_t rev_major, rev_minor;   /* SFDP header revision, 1.0 (JESD216) .. 1.8 (D) */
	uint16_t nph;                   /* parameter headers, 1..256 */
	uint8_t access_protocol;        /* header byte 7: FFh legacy 3-byte, 8 dummy clocks */
	struct sfdp_param bfpt;         /* the BFPT header used (the newest of major 1) */
	uint32_t flags;                 /* enum sfdp_flags */

	uint64_t size;                  /* bytes */
	uint32_t page_size;             /* bytes: DWORD 11, else 256 */
	enum sfdp_addr addr;
	uint8_t erase4k_opcode;         /* with SFDP_F_ERASE_4K */
	struct sfdp_erase erase[4];     /* erase types 1-4 of DWORDs 8-9, in table order */

	/* DWORD 11 (SFDP_F_PAGE_SIZE); maxima use DWORD 11's multiplier for
	 * programs and DWORD 10's for chip erase. */
	uint32_t pp_typ_us, pp_max_us;              /* page program */
	uint32_t byte_first_typ_us, byte_next_typ_us;
	uint32_t chip_erase_typ_ms, chip_erase_max_ms;

	uint8_t qer;                    /* enum sfdp_qer, with SFDP_F_QER */
	uint8_t enter4;                 /* SFDP_ENTER4_*, with SFDP_F_DW16 */
	uint16_t exit4;                 /* SFDP_EXIT4_* */
	uint8_t soft_reset;             /* SFDP_RESET_* */
	uint8_t sr1_write;              /* SFDP_SR1_* */
	uint32_t fourbait;              /* SFDP_4B_*, with SFDP_F_4BAIT */
};

/*
 * How many bytes from SFDP address 0 sfdp_parse() will read, given the first
 * len bytes: 8 while the header is incomplete, then the end of the parameter
 * headers, then the end of the last table the parser uses.  Returns 0 with
 * *need set (need <= len means the buffer is complete), or a negative enum
 * sfdp_err if what is there is already wrong.  *need never exceeds
 * SFDP_SPACE_LEN.
 */
int sfdp_needed_len(const uint8_t *buf, size_t len, uint32_t *need);

/*
 * The tables sfdp_parse() reads (BFPT first, then the 4BAIT if present), once
 * buf holds the header and all parameter headers.  Returns the count (1 or 2)
 * or a negative enum sfdp_err.  Spans are checked against the headers and the
 * SFDP space, not against len.
 */
int sfdp_tables(const uint8_t *buf, size_t len, struct sfdp_span span[SFDP_MAX_SPANS]);

/*
 * Parameter header idx (0-based) as stored, for listing every table: vendor
 * ones included, nothing validated beyond the buffer.  Returns 0, or
 * SFDP_E_ARG when idx is not below the header's count, or another error.
 */
int sfdp_param(const uint8_t *buf, size_t len, unsigned idx, struct sfdp_param *p);

/*
 * Parse the SFDP space in buf[0..len).  Returns 0 and fills *out, or a
 * negative enum sfdp_err (then *out is zeroed).  Tables other than the BFPT
 * and the 4BAIT (sector maps, vendor tables) are skipped without being read.
 */
int sfdp_parse(const uint8_t *buf, size_t len, struct sfdp_info *out);

/* Lowercase message for an enum sfdp_err, "unknown error" for anything else. */
const char *sfdp_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif
