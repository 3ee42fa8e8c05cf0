/*
 * ops_chip: knowing the chip, beyond what ops.h declares: detection with a
 * forced part, SFDP, and block protection (check by range, clear, set).
 * Like the rest of ops, never prints: the detail goes to ops.msg.
 */
#ifndef OPS_CHIP_H
#define OPS_CHIP_H

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"
#include "chips/sfdp.h"
#include "chips/wp.h"

#define OPS_SFDP_MAX 4096u   /* SFDP bytes read at most */

/* How ops_detect_chip found the part (o->chip.flags says it too). */
enum ops_found {
	OPS_FOUND_TABLE = 0,
	OPS_FOUND_REMS,          /* old part: no 9Fh, REMS (90h) matched the table */
	OPS_FOUND_SFDP,          /* not in the table: described by its SFDP */
	OPS_FOUND_GENERIC,       /* not in the table, no usable SFDP: guessed from the ID */
	OPS_FOUND_FORCED,        /* --chip */
};

struct ops_chip_id {
	uint8_t raw[8];          /* 9Fh answer */
	uint8_t rems[2];         /* 90h answer, when asked */
	uint8_t res;             /* ABh answer, when asked */
	int legacy_tried;        /* REMS/RES were asked (9Fh said no chip) */
	int woke;                /* 9Fh answered only after ABh: the chip was powered down */
	enum ops_found found;
	char note[160];          /* what else the user should know (force, wake) */
};

/*
 * ops_detect with an optional forced part (--chip): the ID is read as
 * always; a forced part is used when the ID is absent or unknown, and
 * refused when the ID names a different part of the table.  id may be NULL.
 */
int ops_detect_chip(struct ops *o, const struct chip *force, struct ops_chip_id *id);

/* Read and parse the SFDP space (5Ah).  buf holds OPS_SFDP_MAX bytes.
 * Returns 0, an SFDP error (< 0, enum sfdp_err, no device error) when the
 * chip has no valid SFDP, or a dev error. */
int ops_sfdp(struct ops *o, uint8_t *buf, size_t *len, struct sfdp_info *info);

/* Status registers decoded into the protected range (SST26: the block
 * protection register is read too). */
int ops_wp_read(struct ops *o, uint8_t sr[3], unsigned *have, struct wp_state *st);

/* OPS_E_PROTECTED when [addr, addr + len), widened to 4 KiB sectors, touches
 * the protected range; the message names the range and --unprotect.  Also
 * refuses parts this programmer cannot write (no 4 KiB erase). */
int ops_check_writable_range(struct ops *o, uint32_t addr, uint32_t len);

/* Clear all block protection, keeping QE and every other bit; read back and
 * verify.  *changed: 0 when nothing was protected. */
int ops_unprotect(struct ops *o, int *changed);

/* Protect exactly [lo, hi) (lo == hi: nothing), or fail with the reason. */
int ops_protect(struct ops *o, uint32_t lo, uint32_t hi);

#endif
