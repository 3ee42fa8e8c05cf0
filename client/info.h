/* info: describe the programmer, the link and the chip for humans. */
#ifndef INFO_H
#define INFO_H

#include <stdint.h>
#include <stdio.h>

#include "ops.h"

/* Print firmware, link, JEDEC ID, chip and decoded status registers.
 * Detects the chip (ops_detect); returns 0 or an ops/dev error, having
 * printed what it learnt before the error. */
int info_print(FILE *out, struct ops *o, const char *device, const char *backend, uint32_t baud);

/* Decode status register n (1-3) of a layout into text such as
 * "WIP=0 WEL=0 BP=0 TB=0 SEC=0 SRP0=0". */
void info_decode_sr(char *buf, size_t len, int layout, int n, uint8_t v);

#endif
