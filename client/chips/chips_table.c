/*
 * chips_table: the built-in part table, one designated initialiser per part.
 *
 * IDs are checked against the vendors' datasheets and flashrom's ID list
 * (include/flashchips.h); the facts are reused, not the code.  Times are
 * datasheet typical and maximum values, rounded up where a family's parts
 * differ.  The maximum is what the programmer waits before it calls a chip
 * stuck, so erring long is safe and erring short is a bug: every maximum
 * here is at least the emulator's (tests/emu/fc_parts.c) for the same part.
 * Where a `datasheet` string says "bounds", the times are family-class
 * bounds rather than numbers read from that part's own datasheet.
 *
 * Erase lists name only erases that work on uniform blocks everywhere:
 * ops_write merges 4 KiB sectors into 32/64 KiB erases, so an opcode whose
 * block size depends on the address (SST26 D8h, S25FL-S parameter sectors)
 * is left out.
 */
#include "chips/chips.h"
#include "proto.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

#define E4(t, m)  { 0x20, 4 * KIB, (t), (m) }
#define E32(t, m) { 0x52, 32 * KIB, (t), (m) }
#define E64(t, m) { 0xD8, 64 * KIB, (t), (m) }
#define NOE       { 0, 0, 0, 0 }

#define A3 PROTO_ADDR_3
#define A4 PROTO_ADDR_4_NATIVE     /* 13h 12h 21h 5Ch DCh above 16 MiB */
#define AM PROTO_ADDR_4_MODE       /* B7h/E9h around accesses above 16 MiB */

#define WB_SR  (CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR_2BYTE | CHIP_F_WRSR2_31 | CHIP_F_WPS)
#define CLONE_SR (CHIP_F_SR2 | CHIP_F_WRSR_2BYTE | CHIP_F_WRSR2_31)

/* Winbond W25X: SR1 only, BP0-2 and TB, no 32 KiB erase. */
#define W25X(n, cap, sz, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0xEF, 0x30, cap }, .rems_id = (cap) - 1, \
	.size = sz, .page_size = 256, .addr_mode = A3, .sr = CHIP_SR_PLAIN, \
	.wp = CHIP_WP_BP3_TB, .t_pp_typ_us = 1500, .t_pp_max_ms = 3, \
	.erase = { E4(150, 300), NOE, E64(1000, 2000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 15 }

/* Winbond W25Q (BV/DV/FV/JV): SR1-SR3, 01h takes two bytes. */
#define W25Q(n, type, cap, sz, fl, mode, srl, wpl, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0xEF, type, cap }, .rems_id = (cap) - 1, \
	.size = sz, .page_size = 256, .addr_mode = mode, .sr = srl, .wp = wpl, \
	.flags = fl, .t_pp_typ_us = 700, .t_pp_max_ms = 3, \
	.erase = { E4(45, 400), E32(120, 1600), E64(150, 2000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 15 }

/* Macronix MX25L/MX25U: one SR with BP0-3 and QE, top protection only. */
#define MX(n, type, cap, sz, mode, kind, pp_t, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0xC2, type, cap }, \
	.size = sz, .page_size = 256, .addr_mode = mode, .sr = CHIP_SR_MACRONIX, \
	.wp = CHIP_WP_BP4, .flags = CHIP_F_QE_SR1, .t_pp_typ_us = pp_t, .t_pp_max_ms = 5, \
	.erase = { MXE_##kind }, .t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 100 }
#define MXE_OLD E4(90, 300), NOE, E64(700, 2000)    /* 52h erases 64 KiB here */
#define MXE_NEW E4(45, 400), E32(250, 1000), E64(500, 2000)

/* Winbond-compatible parts (GigaDevice, XMC, Puya, Zbit, Boya, Adesto SF,
 * Spansion FL-K): SR1/SR2 as W25Q. */
#define WBC(n, m, type, cap, sz, fl, mode, wpl, pp_t, e4m, e32m, e64m, ce_t, ce_m, tw, ds) { \
	.name = n, .datasheet = ds, .jedec = { m, type, cap }, \
	.size = sz, .page_size = 256, .addr_mode = mode, .sr = CHIP_SR_WINBOND, .wp = wpl, \
	.flags = fl, .t_pp_typ_us = pp_t, .t_pp_max_ms = 3, \
	.erase = { E4(50, e4m), E32(160, e32m), E64(250, e64m) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = tw }

/* Micron N25Q/MT25Q: BP3 is SR1 bit 6, TB bit 5; no 32 KiB erase on N25Q. */
#define N25Q(n, cap, sz, mode, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0x20, 0xBA, cap }, \
	.size = sz, .page_size = 256, .addr_mode = mode, .sr = CHIP_SR_MICRON, \
	.wp = CHIP_WP_MICRON, .t_pp_typ_us = 500, .t_pp_max_ms = 5, \
	.erase = { E4(250, 800), NOE, E64(700, 3000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 8 }

/* ST/Numonyx M25P: 64 KiB sectors only. */
#define M25P(n, cap, sz, ce_t, ce_m) { \
	.name = n, .datasheet = "Numonyx M25P80/16/32/64 datasheets", \
	.jedec = { 0x20, 0x20, cap }, .rems_id = (cap) - 1, .size = sz, .page_size = 256, \
	.addr_mode = A3, .sr = CHIP_SR_PLAIN, .wp = CHIP_WP_BP3, .flags = CHIP_F_NO_4K, \
	.t_pp_typ_us = 800, .t_pp_max_ms = 5, .erase = { NOE, NOE, E64(600, 3000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 15 }

/* ISSI IS25LP/WP: one SR like Macronix (QE bit 6), 4K/32K/64K. */
#define IS25(n, type, cap, sz, mode, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0x9D, type, cap }, \
	.size = sz, .page_size = 256, .addr_mode = mode, .sr = CHIP_SR_MACRONIX, \
	.wp = CHIP_WP_BP4, .flags = CHIP_F_QE_SR1, .t_pp_typ_us = 200, .t_pp_max_ms = 1, \
	.erase = { E4(70, 300), E32(100, 500), E64(150, 1000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 15 }

/* EON EN25: one SR; protection tables differ by part: generic decode. */
#define EN25(n, type, cap, sz, e32, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0x1C, type, cap }, .rems_id = (cap) - 1, \
	.size = sz, .page_size = 256, .addr_mode = A3, .sr = CHIP_SR_PLAIN, \
	.wp = CHIP_WP_GENERIC, .t_pp_typ_us = 800, .t_pp_max_ms = 5, \
	.erase = { E4(90, 300), e32, E64(500, 2000) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 50 }

/* Atmel/Adesto AT25DF: per-sector protection, all sectors locked at power-up. */
#define AT25DF(n, type, edi, sz, ce_t, ce_m, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0x1F, type, edi }, \
	.size = sz, .page_size = 256, .addr_mode = A3, .sr = CHIP_SR_AT25DF, \
	.wp = CHIP_WP_AT25DF, .t_pp_typ_us = 1000, .t_pp_max_ms = 5, \
	.erase = { E4(50, 200), E32(250, 600), E64(400, 950) }, \
	.t_ce_typ_ms = ce_t, .t_ce_max_ms = ce_m, .t_w_max_ms = 20 }

/* SST25VF..B: no page program (byte program 02h, or AAI), BP0-2 top. */
#define SST25(n, type, rems, sz, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0xBF, 0x25, type }, .rems_id = rems, \
	.size = sz, .page_size = 1, .addr_mode = A3, .sr = CHIP_SR_SST, .wp = CHIP_WP_BP3, \
	.flags = CHIP_F_AAI, .t_pp_typ_us = 10, .t_pp_max_ms = 1, \
	.erase = { E4(18, 25), E32(18, 25), E64(18, 25) }, \
	.t_ce_typ_ms = 35, .t_ce_max_ms = 100, .t_w_max_ms = 10 }

/* SST26VF: page program, block protection register; D8h block sizes vary
 * (8/32/64 KiB), so only the uniform 4 KiB erase is listed. */
#define SST26(n, cap, sz, ds) { \
	.name = n, .datasheet = ds, .jedec = { 0xBF, 0x26, cap }, \
	.size = sz, .page_size = 256, .addr_mode = A3, .sr = CHIP_SR_PLAIN, \
	.wp = CHIP_WP_SST26, .t_pp_typ_us = 1000, .t_pp_max_ms = 3, \
	.erase = { E4(18, 25), NOE, NOE }, .t_ce_typ_ms = 35, .t_ce_max_ms = 100, \
	.t_w_max_ms = 10 }

#define WB_DS  "Winbond W25Q"
#define BOUNDS "; times: W25Q-class bounds"

const struct chip chips_table[] = {
	/* ---- Winbond ---- */
	W25X("W25X10", 0x11, 128 * KIB, 2000, 4000, "Winbond W25X10/20/40/80 rev N (2008)"),
	W25X("W25X20", 0x12, 256 * KIB, 2000, 4000, "Winbond W25X10/20/40/80 rev N (2008)"),
	W25X("W25X40", 0x13, 512 * KIB, 4000, 10000, "Winbond W25X10/20/40/80 rev N (2008)"),
	W25X("W25X80", 0x14, 1 * MIB, 8000, 20000, "Winbond W25X10/20/40/80 rev N (2008)"),
	W25X("W25X16", 0x15, 2 * MIB, 25000, 50000, "Winbond W25X16/32/64"),
	W25X("W25X32", 0x16, 4 * MIB, 40000, 80000, "Winbond W25X16/32/64"),
	W25X("W25X64", 0x17, 8 * MIB, 60000, 120000, "Winbond W25X16/32/64"),
	W25Q("W25Q40", 0x40, 0x13, 512 * KIB, CHIP_F_SR2 | CHIP_F_WRSR_2BYTE, A3,
	     CHIP_SR_WINBOND, CHIP_WP_W25Q, 1000, 10000, "Winbond W25Q40BV"),
	W25Q("W25Q80", 0x40, 0x14, 1 * MIB, CHIP_F_SR2 | CHIP_F_WRSR_2BYTE, A3,
	     CHIP_SR_WINBOND, CHIP_WP_W25Q, 2500, 6000, "Winbond W25Q80DV rev F (2015)"),
	W25Q("W25Q16", 0x40, 0x15, 2 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     5000, 25000, "Winbond W25Q16JV"),
	W25Q("W25Q32", 0x40, 0x16, 4 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     10000, 50000, "Winbond W25Q32JV"),
	W25Q("W25Q64", 0x40, 0x17, 8 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     20000, 100000, "Winbond W25Q64JV"),
	W25Q("W25Q128", 0x40, 0x18, 16 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     40000, 200000, "Winbond W25Q128JV rev F (2018)"),
	W25Q("W25Q256", 0x40, 0x19, 32 * MIB, WB_SR, A4, CHIP_SR_WINBOND4, CHIP_WP_W25Q_BP4,
	     80000, 400000, "Winbond W25Q256JV rev G (2017)"),
	W25Q("W25Q512JV", 0x40, 0x20, 64 * MIB, WB_SR, A4, CHIP_SR_WINBOND4, CHIP_WP_W25Q_BP4,
	     160000, 800000, "Winbond W25Q512JV"),
	W25Q("W25Q64JV-M", 0x70, 0x17, 8 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     20000, 100000, "Winbond W25Q64JV-IM/JM"),
	W25Q("W25Q128JV-M", 0x70, 0x18, 16 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     40000, 200000, "Winbond W25Q128JV-IM/JM"),
	W25Q("W25Q128FW", 0x60, 0x18, 16 * MIB, WB_SR, A3, CHIP_SR_WINBOND, CHIP_WP_W25Q,
	     40000, 200000, "Winbond W25Q128FW (1.8 V)"),

	/* ---- Macronix ---- */
	MX("MX25L4006E", 0x20, 0x13, 512 * KIB, A3, OLD, 1400, 3500, 10000,
	   "Macronix MX25L4006E"),
	MX("MX25L8006E", 0x20, 0x14, 1 * MIB, A3, OLD, 1400, 7000, 20000,
	   "Macronix MX25L8006E"),
	MX("MX25L1606E", 0x20, 0x15, 2 * MIB, A3, OLD, 1400, 14000, 40000,
	   "Macronix MX25L1606E"),
	MX("MX25L3206E", 0x20, 0x16, 4 * MIB, A3, OLD, 1400, 25000, 60000,
	   "Macronix MX25L3206E"),
	MX("MX25L6406E", 0x20, 0x17, 8 * MIB, A3, OLD, 1400, 50000, 100000,
	   "Macronix MX25L6406E PM1577 rev 1.x"),
	MX("MX25L12835F", 0x20, 0x18, 16 * MIB, A3, NEW, 600, 50000, 200000,
	   "Macronix MX25L12835F"),
	MX("MX25L25645G", 0x20, 0x19, 32 * MIB, A4, NEW, 600, 150000, 400000,
	   "Macronix MX25L25645G (same ID: MX25L25635F)"),
	MX("MX25L51245G", 0x20, 0x1A, 64 * MIB, A4, NEW, 600, 300000, 800000,
	   "Macronix MX25L51245G"),
	MX("MX25U1635F", 0x25, 0x35, 2 * MIB, A3, NEW, 600, 15000, 40000,
	   "Macronix MX25U1635F (1.8 V)"),
	MX("MX25U3235F", 0x25, 0x36, 4 * MIB, A3, NEW, 600, 25000, 60000,
	   "Macronix MX25U3235F (1.8 V)"),
	MX("MX25U6435F", 0x25, 0x37, 8 * MIB, A3, NEW, 600, 50000, 100000,
	   "Macronix MX25U6435F (1.8 V)"),
	MX("MX25U12835F", 0x25, 0x38, 16 * MIB, A3, NEW, 600, 80000, 200000,
	   "Macronix MX25U12835F (1.8 V)"),
	MX("MX25U25645G", 0x25, 0x39, 32 * MIB, A4, NEW, 600, 150000, 400000,
	   "Macronix MX25U25645G (1.8 V)"),

	/* ---- GigaDevice ---- */
	WBC("GD25Q80C", 0xC8, 0x40, 0x14, 1 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 800,
	    1200, 5000, 15000, 30, "GigaDevice GD25Q80C"),
	WBC("GD25Q16C", 0xC8, 0x40, 0x15, 2 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 800,
	    1200, 7000, 20000, 30, "GigaDevice GD25Q16C"),
	WBC("GD25Q32", 0xC8, 0x40, 0x16, 4 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 800, 1200, 10000, 30000, 30, "GigaDevice GD25Q32C rev 2.x"),
	WBC("GD25Q64C", 0xC8, 0x40, 0x17, 8 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 800, 1200, 30000, 100000, 30, "GigaDevice GD25Q64C"),
	/* GD25Q128C: 01h writes SR1 only, 31h SR2 */
	WBC("GD25Q128C", 0xC8, 0x40, 0x18, 16 * MIB, CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR2_31,
	    A3, CHIP_WP_W25Q, 600, 400, 800, 1200, 60000, 200000, 30,
	    "GigaDevice GD25Q128C"),
	WBC("GD25Q256D", 0xC8, 0x40, 0x19, 32 * MIB, CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR2_31,
	    AM, CHIP_WP_GENERIC, 600, 400, 800, 1200, 120000, 400000, 30,
	    "GigaDevice GD25Q256D"),
	WBC("GD25LQ64C", 0xC8, 0x60, 0x17, 8 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 800, 1200, 30000, 100000, 30, "GigaDevice GD25LQ64C (1.8 V)"),
	WBC("GD25LQ128D", 0xC8, 0x60, 0x18, 16 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q,
	    600, 400, 800, 1200, 60000, 200000, 30, "GigaDevice GD25LQ128D (1.8 V)"),

	/* ---- Spansion/Cypress ---- */
	WBC("S25FL116K", 0x01, 0x40, 0x15, 2 * MIB, CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR_2BYTE,
	    A3, CHIP_WP_W25Q, 700, 450, 1200, 2000, 7000, 30000, 200,
	    "Spansion S25FL116K/132K/164K"),
	WBC("S25FL132K", 0x01, 0x40, 0x16, 4 * MIB, CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR_2BYTE,
	    A3, CHIP_WP_W25Q, 700, 450, 1200, 2000, 14000, 60000, 200,
	    "Spansion S25FL116K/132K/164K"),
	WBC("S25FL164K", 0x01, 0x40, 0x17, 8 * MIB, CHIP_F_SR2 | CHIP_F_SR3 | CHIP_F_WRSR_2BYTE,
	    A3, CHIP_WP_W25Q, 700, 450, 1200, 2000, 28000, 120000, 200,
	    "Spansion S25FL116K/132K/164K"),
	WBC("S25FL128L", 0x01, 0x60, 0x18, 16 * MIB, CHIP_F_SR2 | CHIP_F_WRSR_2BYTE, A3,
	    CHIP_WP_GENERIC, 450, 400, 1000, 2000, 55000, 250000, 500,
	    "Cypress S25FL128L/256L"),
	/* the 4-byte 32 KiB erase of the FL-L is 53h, not 5Ch: 32K left out */
	{
		.name = "S25FL256L", .datasheet = "Cypress S25FL128L/256L",
		.jedec = { 0x01, 0x60, 0x19 }, .size = 32 * MIB, .page_size = 256,
		.addr_mode = A4, .sr = CHIP_SR_WINBOND, .wp = CHIP_WP_GENERIC,
		.flags = CHIP_F_SR2 | CHIP_F_WRSR_2BYTE, .t_pp_typ_us = 450, .t_pp_max_ms = 3,
		.erase = { E4(50, 400), NOE, E64(250, 2000) },
		.t_ce_typ_ms = 110000, .t_ce_max_ms = 500000, .t_w_max_ms = 500,
	},
	{
		/* uniform 64/256 KiB sectors, 4 KiB only in the parameter area */
		.name = "S25FL128S", .datasheet = "Cypress S25FL128S/256S (same ID: S25FL128P)",
		.jedec = { 0x01, 0x20, 0x18 }, .size = 16 * MIB, .page_size = 256,
		.addr_mode = A3, .sr = CHIP_SR_PLAIN, .wp = CHIP_WP_GENERIC, .flags = CHIP_F_NO_4K,
		.t_pp_typ_us = 250, .t_pp_max_ms = 2, .erase = { NOE, NOE, E64(500, 2600) },
		.t_ce_typ_ms = 45000, .t_ce_max_ms = 330000, .t_w_max_ms = 2000,
	},

	/* ---- Micron / Numonyx / ST ---- */
	M25P("M25P80", 0x14, 1 * MIB, 8000, 20000),
	M25P("M25P16", 0x15, 2 * MIB, 13000, 40000),
	M25P("M25P32", 0x16, 4 * MIB, 23000, 50000),
	M25P("M25P64", 0x17, 8 * MIB, 68000, 160000),
	N25Q("N25Q032A", 0x16, 4 * MIB, A3, 30000, 120000, "Micron N25Q032A"),
	N25Q("N25Q064A", 0x17, 8 * MIB, A3, 60000, 250000, "Micron N25Q064A"),
	N25Q("N25Q128A", 0x18, 16 * MIB, A3, 170000, 460000,
	     "Micron N25Q128A (same ID: MT25QL128ABA)"),
	/* MT25QL256 has 13h/12h/21h/DCh; B7h on the N25Q needs 06h first,
	 * which the firmware's B7h/E9h mode does not send */
	N25Q("N25Q256A", 0x19, 32 * MIB, A4, 240000, 600000,
	     "Micron MT25QL256ABA (same ID: N25Q256A)"),

	/* ---- ISSI ---- */
	IS25("IS25LP016D", 0x60, 0x15, 2 * MIB, A3, 10000, 30000, "ISSI IS25LP016D"),
	IS25("IS25LP032D", 0x60, 0x16, 4 * MIB, A3, 15000, 50000, "ISSI IS25LP032D"),
	IS25("IS25LP064A", 0x60, 0x17, 8 * MIB, A3, 30000, 90000, "ISSI IS25LP064A"),
	IS25("IS25LP128F", 0x60, 0x18, 16 * MIB, A3, 45000, 180000, "ISSI IS25LP128F"),
	IS25("IS25LP256D", 0x60, 0x19, 32 * MIB, A4, 90000, 300000, "ISSI IS25LP256D"),
	IS25("IS25WP064A", 0x70, 0x17, 8 * MIB, A3, 30000, 90000,
	     "ISSI IS25WP064A (1.8 V)"),
	IS25("IS25WP128F", 0x70, 0x18, 16 * MIB, A3, 45000, 180000,
	     "ISSI IS25WP128F (1.8 V)"),

	/* ---- EON ---- */
	EN25("EN25F80", 0x31, 0x14, 1 * MIB, NOE, 10000, 40000, "EON EN25F80"),
	EN25("EN25Q32B", 0x30, 0x16, 4 * MIB, NOE, 20000, 80000, "EON EN25Q32B"),
	EN25("EN25Q64", 0x30, 0x17, 8 * MIB, NOE, 40000, 150000, "EON EN25Q64"),
	EN25("EN25Q128", 0x30, 0x18, 16 * MIB, NOE, 80000, 300000, "EON EN25Q128"),
	EN25("EN25QH32", 0x70, 0x16, 4 * MIB, E32(200, 1000), 20000, 80000,
	     "EON EN25QH32A"),
	EN25("EN25QH64", 0x70, 0x17, 8 * MIB, E32(200, 1000), 40000, 150000,
	     "EON EN25QH64A"),
	EN25("EN25QH128", 0x70, 0x18, 16 * MIB, E32(200, 1000), 80000, 300000,
	     "EON EN25QH128A"),

	/* ---- Atmel / Adesto ---- */
	AT25DF("AT25DF041A", 0x44, 0x01, 512 * KIB, 4500, 10000, "Atmel AT25DF041A"),
	AT25DF("AT25DF081A", 0x45, 0x01, 1 * MIB, 9000, 20000, "Atmel AT25DF081A"),
	AT25DF("AT25DF161", 0x46, 0x02, 2 * MIB, 18000, 40000, "Atmel AT25DF161"),
	AT25DF("AT25DF321A", 0x47, 0x01, 4 * MIB, 36000, 56000, "Atmel AT25DF321A"),
	AT25DF("AT25DF641", 0x48, 0x00, 8 * MIB, 72000, 112000, "Atmel AT25DF641"),
	WBC("AT25SF041", 0x1F, 0x84, 0x01, 512 * KIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 300, 1300,
	    3000, 5000, 15000, 30, "Adesto AT25SF041"),
	WBC("AT25SF081", 0x1F, 0x85, 0x01, 1 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 300, 1300,
	    3000, 10000, 30000, 30, "Adesto AT25SF081"),
	WBC("AT25SF161", 0x1F, 0x86, 0x01, 2 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 300, 1300,
	    3000, 20000, 60000, 30, "Adesto AT25SF161"),
	WBC("AT25SF321", 0x1F, 0x87, 0x01, 4 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 300, 1300,
	    3000, 40000, 120000, 30, "Adesto AT25SF321"),

	/* ---- SST / Microchip ---- */
	SST25("SST25VF040B", 0x8D, 0x8D, 512 * KIB, "SST25VF040B"),
	SST25("SST25VF080B", 0x8E, 0x8E, 1 * MIB, "SST25VF080B"),
	SST25("SST25VF016B", 0x41, 0x41, 2 * MIB, "SST/Microchip SST25VF016B DS25156"),
	SST25("SST25VF032B", 0x4A, 0x4A, 4 * MIB, "SST25VF032B"),
	{
		/* no 9Fh: REMS answers BF 49; 50h before every status write */
		.name = "SST25VF010A", .datasheet = "SST25VF010A",
		.jedec = { 0xBF, 0x49, 0x00 }, .rems_id = 0x49, .size = 128 * KIB,
		.page_size = 1, .addr_mode = A3, .sr = CHIP_SR_SST, .wp = CHIP_WP_BP3,
		.flags = CHIP_F_AAI | CHIP_F_EWSR | CHIP_F_NO_JEDEC,
		.t_pp_typ_us = 20, .t_pp_max_ms = 1, .erase = { E4(18, 25), E32(18, 25), NOE },
		.t_ce_typ_ms = 70, .t_ce_max_ms = 100, .t_w_max_ms = 10,
	},
	{
		.name = "SST25VF064C", .datasheet = "SST25VF064C",
		.jedec = { 0xBF, 0x25, 0x4B }, .rems_id = 0x4B, .size = 8 * MIB,
		.page_size = 256, .addr_mode = A3, .sr = CHIP_SR_SST, .wp = CHIP_WP_GENERIC,
		.t_pp_typ_us = 1500, .t_pp_max_ms = 5,
		.erase = { E4(18, 25), E32(18, 25), E64(18, 25) },
		.t_ce_typ_ms = 35, .t_ce_max_ms = 100, .t_w_max_ms = 10,
	},
	SST26("SST26VF016B", 0x41, 2 * MIB, "Microchip SST26VF016B"),
	SST26("SST26VF032B", 0x42, 4 * MIB, "Microchip SST26VF032B"),
	SST26("SST26VF064B", 0x43, 8 * MIB, "Microchip SST26VF064B"),

	/* ---- XMC (manufacturer 20h, like Micron) ---- */
	WBC("XM25QH16C", 0x20, 0x40, 0x15, 2 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 1600, 2000, 10000, 40000, 30, "XMC XM25QH16C" BOUNDS),
	WBC("XM25QH32C", 0x20, 0x40, 0x16, 4 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 1600, 2000, 20000, 80000, 30, "XMC XM25QH32C" BOUNDS),
	WBC("XM25QH64C", 0x20, 0x40, 0x17, 8 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q, 600,
	    400, 1600, 2000, 30000, 120000, 30, "XMC XM25QH64C" BOUNDS),
	WBC("XM25QH128C", 0x20, 0x40, 0x18, 16 * MIB, CLONE_SR | CHIP_F_SR3, A3, CHIP_WP_W25Q,
	    600, 400, 1600, 2000, 40000, 200000, 30, "XMC XM25QH128C" BOUNDS),
	WBC("XM25QH256C", 0x20, 0x40, 0x19, 32 * MIB, CLONE_SR | CHIP_F_SR3, AM, CHIP_WP_GENERIC,
	    600, 400, 1600, 2000, 80000, 400000, 30, "XMC XM25QH256C" BOUNDS),
	WBC("XM25QH128A", 0x20, 0x70, 0x18, 16 * MIB, CLONE_SR, A3, CHIP_WP_GENERIC, 600, 400,
	    1600, 2000, 40000, 200000, 30, "XMC XM25QH128A" BOUNDS),

	/* ---- Puya ---- */
	WBC("P25Q80H", 0x85, 0x60, 0x14, 1 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 10000, 40000, 30, "Puya P25Q80H (ID)" BOUNDS),
	WBC("P25Q16H", 0x85, 0x60, 0x15, 2 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 10000, 40000, 30, "Puya P25Q16H (ID)" BOUNDS),
	WBC("P25Q32H", 0x85, 0x60, 0x16, 4 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 20000, 80000, 30, "Puya P25Q32H datasheet (ID)" BOUNDS),
	WBC("P25Q64H", 0x85, 0x60, 0x17, 8 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 30000, 120000, 30, "Puya P25Q64H (ID)" BOUNDS),
	WBC("P25Q128H", 0x85, 0x60, 0x18, 16 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 40000, 200000, 30, "Puya P25Q128H (ID)" BOUNDS),

	/* ---- Zbit ---- */
	WBC("ZB25VQ16", 0x5E, 0x40, 0x15, 2 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 10000, 40000, 30, "Zbit ZB25VQ16 (ID)" BOUNDS),
	WBC("ZB25VQ32", 0x5E, 0x40, 0x16, 4 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 20000, 80000, 30, "Zbit ZB25VQ32 (ID)" BOUNDS),
	WBC("ZB25VQ64", 0x5E, 0x40, 0x17, 8 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 30000, 120000, 30, "Zbit ZB25VQ64 (ID)" BOUNDS),
	WBC("ZB25VQ128", 0x5E, 0x40, 0x18, 16 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 40000, 200000, 30, "Zbit ZB25VQ128 (ID)" BOUNDS),

	/* ---- Boya / BoHong ---- */
	WBC("BY25Q32BS", 0x68, 0x40, 0x16, 4 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 20000, 80000, 30, "Boya BY25Q32BS (ID)" BOUNDS),
	WBC("BY25Q64AS", 0x68, 0x40, 0x17, 8 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 30000, 120000, 30, "Boya/BoHong BY25Q64AS (ID)" BOUNDS),
	WBC("BY25Q128AS", 0x68, 0x40, 0x18, 16 * MIB, CLONE_SR, A3, CHIP_WP_W25Q, 600, 400, 1600,
	    2000, 40000, 200000, 30, "Boya/BoHong BY25Q128AS (ID)" BOUNDS),

	/* ---- XTX ---- */
	WBC("XT25F64B", 0x0B, 0x40, 0x17, 8 * MIB, CLONE_SR, A3, CHIP_WP_GENERIC, 600, 400, 1600,
	    2000, 30000, 120000, 30, "XTX XT25F64B (ID)" BOUNDS),
	WBC("XT25F128B", 0x0B, 0x40, 0x18, 16 * MIB, CLONE_SR, A3, CHIP_WP_GENERIC, 600, 400,
	    1600, 2000, 40000, 200000, 30, "XTX XT25F128B (ID)" BOUNDS),

	/* ---- AMIC: JEP106 bank 2, so 9Fh answers 7F 37 ... ---- */
	{
		.name = "A25L016", .datasheet = "AMIC A25L016",
		.bank = 1, .jedec = { 0x37, 0x30, 0x15 }, .size = 2 * MIB, .page_size = 256,
		.addr_mode = A3, .sr = CHIP_SR_PLAIN, .wp = CHIP_WP_GENERIC,
		.t_pp_typ_us = 1500, .t_pp_max_ms = 5, .erase = { E4(90, 300), NOE, E64(700, 2000) },
		.t_ce_typ_ms = 20000, .t_ce_max_ms = 60000, .t_w_max_ms = 15,
	},
	{
		.name = "A25L032", .datasheet = "AMIC A25L032",
		.bank = 1, .jedec = { 0x37, 0x30, 0x16 }, .size = 4 * MIB, .page_size = 256,
		.addr_mode = A3, .sr = CHIP_SR_PLAIN, .wp = CHIP_WP_GENERIC,
		.t_pp_typ_us = 1500, .t_pp_max_ms = 5, .erase = { E4(90, 300), NOE, E64(700, 2000) },
		.t_ce_typ_ms = 40000, .t_ce_max_ms = 120000, .t_w_max_ms = 15,
	},
	{ .name = NULL },
};
