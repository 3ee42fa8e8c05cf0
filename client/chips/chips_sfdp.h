/*
 * chips_sfdp: a part description from SFDP (for parts the table does not
 * know), and the cross-check of a table entry against the chip's own SFDP.
 * Pure: the caller reads the SFDP space and parses it with sfdp_parse().
 */
#ifndef CHIPS_SFDP_H
#define CHIPS_SFDP_H

#include <stddef.h>
#include <stdint.h>

#include "chips/chips.h"
#include "chips/sfdp.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Fill out from parsed SFDP for the ID (bank, id).  Returns 0, or -1 with a
 * lowercase reason in why when the SFDP does not describe a part this
 * programmer can write (no 4 KiB erase, or over 16 MiB with no 4-byte
 * method the firmware speaks).
 */
int chips_from_sfdp(const struct sfdp_info *s, uint8_t bank, const uint8_t id[3],
		    struct chip *out, char *why, size_t whylen);

/*
 * Compare a table entry with the chip's SFDP: size, page size (when the
 * SFDP gives one) and the 4K/32K/64K erase types and opcodes.  Returns the
 * number of disagreements and describes them in buf ("SFDP agrees with the
 * table" when there are none).
 */
int chips_sfdp_compare(const struct chip *c, const struct sfdp_info *s, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
