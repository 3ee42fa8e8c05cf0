/*
 * wp: block write protection as data.  Decodes a part's status registers
 * (BP0-BP3, TB, SEC, CMP, SRP0/SRP1, WPS) into the protected address range,
 * finds the bits that protect a wanted range, and the bits that clear all
 * protection while keeping everything else (QE above all).  Pure: no I/O.
 *
 * The range rules follow the datasheet tables of each family, which all
 * grow a run of blocks by powers of two from the top of the array (or the
 * bottom with TB): Winbond and clones with three BP bits start at
 * max(64 KiB, size / 64) and call BP=111 the whole chip; four-bit parts
 * (Macronix, ISSI, Micron, W25Q256) start at one 64 KiB block.  SEC=1
 * switches to 4/8/16/32 KiB sectors, CMP=1 protects the complement.
 */
#ifndef WP_H
#define WP_H

#include <stddef.h>
#include <stdint.h>

#include "chips/chips.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wp_state {
	uint32_t lo, hi;       /* protected [lo, hi); lo == hi: nothing */
	unsigned bp;           /* BP bits as a number */
	int tb, sec, cmp;      /* -1 where the part has no such bit */
	int exact;             /* 0: the range is a guess (unknown table: whole chip) */
	int srp0;              /* SRP0/SRWD/BPL/SPRL: WP# low locks the status registers */
	int srp1;              /* SRP1: status registers locked until power-down (or for good) */
	int wps;               /* SR3 WPS=1: individual block locks, BP bits unused */
	int needs_bpr;         /* SST26: the block protection register decides */
};

/* Decode the status registers (have: bit n set when SRn+1 was read). */
void wp_decode(const struct chip *c, const uint8_t sr[3], unsigned have, struct wp_state *st);

/* Does [addr, addr + len) touch the protected range? */
int wp_overlaps(const struct wp_state *st, uint32_t addr, uint32_t len);

/* The status register values that clear every protection bit of the part
 * (BP, TB, SEC, CMP) and keep every other bit as it is in sr. */
void wp_clear(const struct chip *c, const uint8_t sr[3], unsigned have, uint8_t out[3]);

/*
 * The status register values that protect exactly [lo, hi), other bits as
 * in sr.  Prefers the plainest encoding (no CMP, no SEC, no TB).  Returns
 * 0, or -1 when the part cannot protect exactly that range (or its table is
 * not known).
 */
int wp_encode(const struct chip *c, const uint8_t sr[3], unsigned have, uint32_t lo,
	      uint32_t hi, uint8_t out[3]);

/* "none", "0xfc0000-0xffffff (256 KiB, top)", "whole chip (16384 KiB)"... */
void wp_range_text(char *buf, size_t len, const struct chip *c, const struct wp_state *st);
/* The bits behind it: "BP=7 TB=0 SEC=0 CMP=0". */
void wp_bits_text(char *buf, size_t len, const struct wp_state *st);

#ifdef __cplusplus
}
#endif
#endif
