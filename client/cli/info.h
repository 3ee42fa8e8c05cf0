/* info: describe the programmer, the link and the chip for humans. */
#ifndef INFO_H
#define INFO_H

#include <stdint.h>
#include <stdio.h>

#include "core/ops.h"
#include "prog/prog.h"

/* Print firmware, link, JEDEC ID, chip (and where its description came
 * from: table, SFDP, generic guess, --chip), the SFDP parse and its
 * cross-check with the table, decoded status registers and the protected
 * range.  Detects the chip (force: --chip, or NULL); returns 0 or an
 * ops/dev error, having printed what it learnt before the error. */
int info_print(FILE *out, struct ops *o, const struct chip *force, const char *device,
	       const struct prog_desc *desc);

/* Decode status register n (1-3) of a layout into text such as
 * "WIP=0 WEL=0 BP=0 TB=0 SEC=0 SRP0=0". */
void info_decode_sr(char *buf, size_t len, int layout, int n, uint8_t v);

/* One line per part of the table: name, ID, size, erase sizes, datasheet. */
void info_list_chips(FILE *out);

#endif
