/*
 * fc_parts: the personalities of the flash chip model, and their SFDP images.
 *
 * Timings are datasheet typical/maximum figures in microseconds.  SFDP
 * images are built field by field with the JESD216 layouts below, so that
 * every number in them can be read against the part's own row.
 */
#include <stddef.h>

#include "flashchip.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/* ---- JESD216 building blocks ---- */

/* One DWORD, little-endian, as SFDP stores it. */
#define DW(x) (uint8_t)((uint32_t)(x) & 0xFFu), (uint8_t)(((uint32_t)(x) >> 8) & 0xFFu), \
	      (uint8_t)(((uint32_t)(x) >> 16) & 0xFFu), (uint8_t)(((uint32_t)(x) >> 24) & 0xFFu)
#define FF8  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF
#define FF16 FF8, FF8

/* SFDP header: signature, revision, number of parameter headers - 1,
 * access protocol FFh (legacy: 3-byte address, 8 dummy clocks). */
#define SFDP_HDR(minor, nph) 'S', 'F', 'D', 'P', (minor), 0x01, (nph), 0xFF
/* Parameter header: ID LSB, revision, length in DWORDs, table pointer, ID MSB. */
#define PARAM_HDR(id, minor, major, ndw, ptp) \
	(uint8_t)((id) & 0xFF), (minor), (major), (ndw), \
	(uint8_t)((ptp) & 0xFF), (uint8_t)(((ptp) >> 8) & 0xFF), (uint8_t)(((ptp) >> 16) & 0xFF), \
	(uint8_t)(((id) >> 8) & 0xFF)
#define ID_BFPT  0xFF00
#define ID_4BAIT 0xFF84

/* BFPT DWORD 1: 4 KiB erase everywhere (bits 1:0 = 01), write granularity
 * >= 64 bytes (bit 2), non-volatile block protect (bits 4:3 = 00), bits 7:5
 * unused (111), 4 KiB erase opcode 20h, 1-1-2 fast read (bit 16), address
 * bytes (bits 18:17: 00 3-byte only, 01 3 or 4), no DTR, 1-2-2, 1-4-4 and
 * 1-1-4 fast reads (bits 20-22), bit 23 and 31:24 unused. */
#define BFPT_DW1(addr) (0xFF800000u | (1u << 22) | (1u << 21) | (1u << 20) | \
			((uint32_t)(addr) << 17) | (1u << 16) | (0x20u << 8) | 0xE5u)
#define ADDR_3   0u
#define ADDR_3_4 1u
/* DWORD 2: density in bits - 1 (for devices <= 2 Gbit). */
#define BFPT_DW2(bytes) ((uint32_t)(bytes) * 8u - 1u)
/* Fast read descriptor: dummy clocks 4:0, mode clocks 7:5, opcode 15:8. */
#define FR(op, mode, dummy) ((uint32_t)(dummy) | ((uint32_t)(mode) << 5) | ((uint32_t)(op) << 8))
#define BFPT_DW3 (FR(0xEB, 2, 4) | FR(0x6B, 0, 8) << 16)     /* 1-4-4, 1-1-4 */
#define BFPT_DW4 (FR(0x3B, 0, 8) | FR(0xBB, 4, 0) << 16)     /* 1-1-2, 1-2-2 */
#define BFPT_DW5 0xFFFFFFEEu                                 /* no 2-2-2, no 4-4-4 */
#define BFPT_DW6 0xFF00FFFFu                                 /* 2-2-2 unused */
#define BFPT_DW7 0xFF00FFFFu                                 /* 4-4-4 unused */
/* Erase types: size as 2^N, opcode.  Type 4 unused. */
#define ET(n, op) ((uint32_t)(n) | ((uint32_t)(op) << 8))
#define BFPT_DW8 (ET(12, 0x20) | ET(15, 0x52) << 16)        /* 4 KiB, 32 KiB */
#define BFPT_DW9 (ET(16, 0xD8) | ET(0, 0xFF) << 16)         /* 64 KiB */

/* JESD216B DWORD 10: typical erase time = (count + 1) x unit, unit 0 = 1 ms,
 * 1 = 16 ms, 2 = 128 ms, 3 = 1 s; maximum = 2 x (mult + 1) x typical. */
#define ETIME(count, unit) ((uint32_t)(count) | ((uint32_t)(unit) << 5))
#define BFPT_DW10(mult, t1, t2, t3) \
	((uint32_t)(mult) | (t1) << 4 | (t2) << 11 | (t3) << 18)
/* DWORD 11: program max multiplier 3:0, page size 2^N 7:4, page program
 * time 13:8 (count, unit 8 us / 64 us), first byte 18:14 and additional
 * byte 23:19 (count, unit 1 us / 8 us), chip erase 30:24 (count, unit
 * 16 ms / 256 ms / 4 s / 64 s), bit 31 reserved. */
#define PPTIME(count, unit) ((uint32_t)(count) | ((uint32_t)(unit) << 5))
#define BTIME(count, unit)  ((uint32_t)(count) | ((uint32_t)(unit) << 4))
#define CETIME(count, unit) ((uint32_t)(count) | ((uint32_t)(unit) << 5))
#define BFPT_DW11(mult, pagebits, pp, b1, bn, ce) \
	(0x80000000u | (uint32_t)(mult) | (uint32_t)(pagebits) << 4 | (pp) << 8 | \
	 (b1) << 14 | (bn) << 19 | (ce) << 24)
/* DWORDs 12-13: bit 31 of DWORD 12 set = suspend/resume not supported (the
 * model has no 75h/7Ah). */
#define BFPT_DW12 0xFFFFFFFFu
#define BFPT_DW13 0xFFFFFFFFu
/* DWORD 14: deep power-down supported (bit 31 = 0), enter B9h (30:23),
 * exit ABh (22:15), exit delay 3 x 1 us (14:8), status polling by the WIP
 * bit of 05h (bit 2), bits 1:0 reserved. */
#define BFPT_DW14 ((0xB9u << 23) | (0xABu << 15) | (ETIME(2, 1) << 8) | 0x04u | 0x03u)
/* DWORD 15: no 4-4-4 or 0-4-4 modes; QE requirement (22:20) 001: QE is SR2
 * bit 1, written by 01h with two bytes, and a one-byte 01h clears SR2 --
 * exactly what the model does on FC_F_WRSR_2BYTE parts. */
#define BFPT_DW15 (0xFF000000u | (1u << 20))
/* DWORD 16 (JESD216B): enter 4-byte mode (31:24), exit (23:14), soft reset
 * and rescue (13:8: 01_0000 = 66h then 99h), bit 7 reserved, status register
 * 1 write enable (6:0: 000_1000 = non-volatile by 06h, volatile by 50h). */
#define ENTER_B7     (1u << 24)
#define ENTER_NATIVE (1u << 29)      /* dedicated 4-byte instruction set */
#define EXIT_E9      (1u << 14)
#define EXIT_RESET   (1u << 20)      /* 66h/99h */
#define EXIT_POWER   (1u << 21)
#define BFPT_DW16(enter, exit_) ((enter) | (exit_) | (0x10u << 8) | 0x80u | 0x08u)

#define BFPT_9(addr, bytes) \
	DW(BFPT_DW1(addr)), DW(BFPT_DW2(bytes)), DW(BFPT_DW3), DW(BFPT_DW4), DW(BFPT_DW5), \
	DW(BFPT_DW6), DW(BFPT_DW7), DW(BFPT_DW8), DW(BFPT_DW9)

/* 4-byte address instruction table: 13h (bit 0), 0Ch (1), 12h (6), erase
 * types 1-3 (9-11) with opcodes 21h 5Ch DCh; bits 31:20 reserved. */
#define FOURBAIT_DW1 (0xFFF00000u | (1u << 0) | (1u << 1) | (1u << 6) | (1u << 9) | \
		      (1u << 10) | (1u << 11))
#define FOURBAIT_DW2 (0x21u | (0x5Cu << 8) | (0xDCu << 16) | (0xFFu << 24))

/* ---- images ---- */

/* W25Q80DV: JESD216 (rev 1.0), 9-DWORD BFPT at 80h as Winbond places it. */
static const uint8_t sfdp_w25q80[] = {
	SFDP_HDR(0x00, 0),
	PARAM_HDR(ID_BFPT, 0x00, 0x01, 9, 0x80),
	FF16, FF16, FF16, FF16, FF16, FF16, FF16,           /* 10h-7Fh */
	BFPT_9(ADDR_3, 1 * MIB),
};

/* W25Q128JV: JESD216B (rev 1.6), 16-DWORD BFPT at 80h.
 * Erase 45 ms -> 3 x 16 ms, 120 ms -> 8 x 16 ms, 150 ms -> 10 x 16 ms;
 * max 2000/160 = 12.5 -> multiplier 6 (14x).  tPP 0.7 ms -> 11 x 64 us, max
 * 3 ms -> multiplier 2 (6x); tBP1 30 us -> 4 x 8 us; tBP2 2.5 us -> 3 x 1 us;
 * tCE 40 s -> 10 x 4 s. */
static const uint8_t sfdp_w25q128[] = {
	SFDP_HDR(0x06, 0),
	PARAM_HDR(ID_BFPT, 0x06, 0x01, 16, 0x80),
	FF16, FF16, FF16, FF16, FF16, FF16, FF16,
	BFPT_9(ADDR_3, 16 * MIB),
	DW(BFPT_DW10(6, ETIME(2, 1), ETIME(7, 1), ETIME(9, 1))),
	DW(BFPT_DW11(2, 8, PPTIME(10, 1), BTIME(3, 1), BTIME(2, 0), CETIME(9, 2))),
	DW(BFPT_DW12), DW(BFPT_DW13), DW(BFPT_DW14), DW(BFPT_DW15),
	DW(BFPT_DW16(0, 0)),
};

/* W25Q256JV: as W25Q128JV plus 4-byte addressing and the 4-byte address
 * instruction table.  tSE 50 ms -> 4 x 16 ms; tCE 80 s -> 20 x 4 s. */
static const uint8_t sfdp_w25q256[] = {
	SFDP_HDR(0x06, 1),
	PARAM_HDR(ID_BFPT, 0x06, 0x01, 16, 0x80),
	PARAM_HDR(ID_4BAIT, 0x00, 0x01, 2, 0xC0),
	FF8, FF16, FF16, FF16, FF16, FF16, FF16,            /* 18h-7Fh */
	BFPT_9(ADDR_3_4, 32 * MIB),
	DW(BFPT_DW10(6, ETIME(3, 1), ETIME(7, 1), ETIME(9, 1))),
	DW(BFPT_DW11(2, 8, PPTIME(10, 1), BTIME(3, 1), BTIME(2, 0), CETIME(19, 2))),
	DW(BFPT_DW12), DW(BFPT_DW13), DW(BFPT_DW14), DW(BFPT_DW15),
	DW(BFPT_DW16(ENTER_B7 | ENTER_NATIVE, EXIT_E9 | EXIT_RESET | EXIT_POWER)),
	DW(FOURBAIT_DW1), DW(FOURBAIT_DW2),
};

/* GD25Q32C: JESD216 (rev 1.0), 9-DWORD BFPT at 30h as GigaDevice places it. */
static const uint8_t sfdp_gd25q32[] = {
	SFDP_HDR(0x00, 0),
	PARAM_HDR(ID_BFPT, 0x00, 0x01, 9, 0x30),
	FF16, FF16,                                         /* 10h-2Fh */
	BFPT_9(ADDR_3, 4 * MIB),
};

/* ---- the table ---- */

/* Writable status bits.  Winbond/GD SR1: BP0-2, TB, SEC, SRP0 (bits 2-7);
 * with four BP bits TB moves to bit 6.  SR2: SRP1, QE, CMP -- the LB bits
 * are one-time programmable and deliberately read-only here, so a test can
 * never lock a security register for good.  Macronix/SST/W25X: BP bits
 * and SRWD/BPL (bit 7). */
#define W_SR1   0xFCu
#define W_SR2   0x43u
#define MX_SR1  0xBCu

const struct fc_part fc_parts[] = {
	{
		/* The small part for fast tests: no SR2, no SFDP, no 32 KiB erase. */
		.name = "W25X10",
		.datasheet = "Winbond W25X10/W25X20/W25X40/W25X80 rev N (2008)",
		.jedec = { 0xEF, 0x30, 0x11 }, .res_id = 0x10,
		.size = 128 * KIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_TB | FC_F_DP,
		.sr1_wmask = MX_SR1,
		.t_pp_typ = 1500, .t_pp_max = 3000,
		.t_se_typ = 150000, .t_se_max = 300000,
		.t_be64_typ = 1000000, .t_be64_max = 2000000,
		.t_ce_typ = 2000000, .t_ce_max = 4000000,
		.t_w_typ = 10000, .t_w_max = 15000,
	},
	{
		/* No 31h: SR2 is reachable only through a 2-byte 01h. */
		.name = "W25Q80",
		.datasheet = "Winbond W25Q80DV rev F (2015)",
		.jedec = { 0xEF, 0x40, 0x14 }, .res_id = 0x13,
		.size = 1 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_SR2 | FC_F_WRSR_2BYTE | FC_F_TB | FC_F_SEC | FC_F_CMP |
			 FC_F_DP | FC_F_RESET,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2,
		.t_pp_typ = 800, .t_pp_max = 3000,
		.t_se_typ = 45000, .t_se_max = 400000,
		.t_be32_typ = 120000, .t_be32_max = 800000,
		.t_be64_typ = 150000, .t_be64_max = 1000000,
		.t_ce_typ = 2500000, .t_ce_max = 6000000,
		.t_w_typ = 10000, .t_w_max = 15000,
		.sfdp = sfdp_w25q80, .sfdp_len = sizeof(sfdp_w25q80),
	},
	{
		/* QE set at power-up (quad-enabled ordering code), so the
		 * one-byte 01h trap visibly clears it. */
		.name = "W25Q128",
		.datasheet = "Winbond W25Q128JV rev F (2018)",
		.jedec = { 0xEF, 0x40, 0x18 }, .res_id = 0x17,
		.size = 16 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_SR2 | FC_F_SR3 | FC_F_WRSR2_31 | FC_F_WRSR_2BYTE | FC_F_TB |
			 FC_F_SEC | FC_F_CMP | FC_F_DP | FC_F_RESET,
		.sr2_init = 0x02, .sr3_init = 0x60,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2, .sr3_wmask = 0x64,
		.t_pp_typ = 700, .t_pp_max = 3000,
		.t_se_typ = 45000, .t_se_max = 400000,
		.t_be32_typ = 120000, .t_be32_max = 1600000,
		.t_be64_typ = 150000, .t_be64_max = 2000000,
		.t_ce_typ = 40000000, .t_ce_max = 200000000,
		.t_w_typ = 10000, .t_w_max = 15000,
		.sfdp = sfdp_w25q128, .sfdp_len = sizeof(sfdp_w25q128),
	},
	{
		/* A board that left BP2-BP0 set: everything is protected until
		 * the client clears them. */
		.name = "W25Q128-WP",
		.datasheet = "Winbond W25Q128JV rev F (2018), BP2|BP1|BP0 set at power-up",
		.jedec = { 0xEF, 0x40, 0x18 }, .res_id = 0x17,
		.size = 16 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_SR2 | FC_F_SR3 | FC_F_WRSR2_31 | FC_F_WRSR_2BYTE | FC_F_TB |
			 FC_F_SEC | FC_F_CMP | FC_F_DP | FC_F_RESET,
		.sr1_init = 0x1C, .sr2_init = 0x02, .sr3_init = 0x60,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2, .sr3_wmask = 0x64,
		.t_pp_typ = 700, .t_pp_max = 3000,
		.t_se_typ = 45000, .t_se_max = 400000,
		.t_be32_typ = 120000, .t_be32_max = 1600000,
		.t_be64_typ = 150000, .t_be64_max = 2000000,
		.t_ce_typ = 40000000, .t_ce_max = 200000000,
		.t_w_typ = 10000, .t_w_max = 15000,
		.sfdp = sfdp_w25q128, .sfdp_len = sizeof(sfdp_w25q128),
	},
	{
		/* The 1.8 V sibling of the W25Q128 (ID EF 60 18), for spiflash
		 * doctor's supply check; no SFDP image here. */
		.name = "W25Q128FW",
		.datasheet = "Winbond W25Q128FW rev L (2018), 1.65-1.95 V",
		.jedec = { 0xEF, 0x60, 0x18 }, .res_id = 0x17,
		.size = 16 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_SR2 | FC_F_SR3 | FC_F_WRSR2_31 | FC_F_WRSR_2BYTE | FC_F_TB |
			 FC_F_SEC | FC_F_CMP | FC_F_DP | FC_F_RESET,
		.sr2_init = 0x02, .sr3_init = 0x60,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2, .sr3_wmask = 0x64,
		.t_pp_typ = 700, .t_pp_max = 3000,
		.t_se_typ = 45000, .t_se_max = 400000,
		.t_be32_typ = 120000, .t_be32_max = 1600000,
		.t_be64_typ = 150000, .t_be64_max = 2000000,
		.t_ce_typ = 40000000, .t_ce_max = 200000000,
		.t_w_typ = 10000, .t_w_max = 15000,
	},
	{
		/* SR1: BP0-BP3 bits 2-5, TB bit 6.  SR3: ADS (bit 0, read-only),
		 * ADP (bit 1), WPS, DRV. */
		.name = "W25Q256",
		.datasheet = "Winbond W25Q256JV rev G (2017)",
		.jedec = { 0xEF, 0x40, 0x19 }, .res_id = 0x18,
		.size = 32 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NATIVE,
		.flags = FC_F_SR2 | FC_F_SR3 | FC_F_WRSR2_31 | FC_F_WRSR_2BYTE | FC_F_TB |
			 FC_F_BP3 | FC_F_CMP | FC_F_DP | FC_F_RESET | FC_F_EAR,
		.sr2_init = 0x02, .sr3_init = 0x60,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2, .sr3_wmask = 0x66,
		.t_pp_typ = 700, .t_pp_max = 3000,
		.t_se_typ = 50000, .t_se_max = 400000,
		.t_be32_typ = 120000, .t_be32_max = 1600000,
		.t_be64_typ = 150000, .t_be64_max = 2000000,
		.t_ce_typ = 80000000, .t_ce_max = 400000000,
		.t_w_typ = 10000, .t_w_max = 15000,
		.sfdp = sfdp_w25q256, .sfdp_len = sizeof(sfdp_w25q256),
	},
	{
		/* Old Macronix: one status register, BP0-BP3, no SFDP, and 52h
		 * erases a 64 KiB block like D8h. */
		.name = "MX25L6406E",
		.datasheet = "Macronix MX25L6406E PM1577 rev 1.x",
		.jedec = { 0xC2, 0x20, 0x17 }, .res_id = 0x16,
		.size = 8 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_BP3 | FC_F_DP | FC_F_52_64K,
		.sr1_wmask = MX_SR1,
		.t_pp_typ = 1400, .t_pp_max = 5000,
		.t_se_typ = 90000, .t_se_max = 300000,
		.t_be64_typ = 700000, .t_be64_max = 2000000,
		.t_ce_typ = 50000000, .t_ce_max = 80000000,
		.t_w_typ = 40000, .t_w_max = 100000,
	},
	{
		.name = "GD25Q32",
		.datasheet = "GigaDevice GD25Q32C rev 2.x",
		.jedec = { 0xC8, 0x40, 0x16 }, .res_id = 0x15,
		.size = 4 * MIB, .page_size = 256, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_SR2 | FC_F_SR3 | FC_F_WRSR2_31 | FC_F_WRSR_2BYTE | FC_F_TB |
			 FC_F_SEC | FC_F_CMP | FC_F_DP | FC_F_RESET,
		.sr1_wmask = W_SR1, .sr2_wmask = W_SR2, .sr3_wmask = 0x60,
		.t_pp_typ = 600, .t_pp_max = 2400,
		.t_se_typ = 50000, .t_se_max = 400000,
		.t_be32_typ = 150000, .t_be32_max = 800000,
		.t_be64_typ = 250000, .t_be64_max = 1200000,
		.t_ce_typ = 10000000, .t_ce_max = 30000000,
		.t_w_typ = 5000, .t_w_max = 30000,
		.sfdp = sfdp_gd25q32, .sfdp_len = sizeof(sfdp_gd25q32),
	},
	{
		/* No pages: 02h programs one byte (tBP), ADh programs words.
		 * SR1: BP0-BP3, AAI (bit 6), BPL (bit 7); BP3 is don't-care on
		 * the 16 Mbit part.  The status register has no write time; it
		 * is written after WREN or EWSR (50h). */
		.name = "SST25VF016B",
		.datasheet = "SST/Microchip SST25VF016B DS25156",
		.jedec = { 0xBF, 0x25, 0x41 }, .res_id = 0x41,
		.size = 2 * MIB, .page_size = 1, .addr4 = FC_ADDR4_NONE,
		.flags = FC_F_AAI,
		.sr1_init = 0x1C,
		.sr1_wmask = MX_SR1,
		.t_pp_typ = 7, .t_pp_max = 10,
		.t_se_typ = 18000, .t_se_max = 25000,
		.t_be32_typ = 18000, .t_be32_max = 25000,
		.t_be64_typ = 18000, .t_be64_max = 25000,
		.t_ce_typ = 35000, .t_ce_max = 50000,
	},
	{ .name = NULL },
};

static int lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

const struct fc_part *fc_part_find(const char *name)
{
	const struct fc_part *p;

	if (!name)
		return NULL;
	for (p = fc_parts; p->name; p++) {
		const char *a = p->name, *b = name;
		while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0')
			return p;
	}
	return NULL;
}
