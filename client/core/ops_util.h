/* ops_util: helpers shared by the ops_*.c files (private to ops). */
#ifndef OPS_UTIL_H
#define OPS_UTIL_H

#include "core/ops.h"

/* Set o->msg from a format and return err. */
int ops_fail(struct ops *o, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* CRC-32 of a chip range: the device's CRC32 request. */
int ops_chip_crc(struct ops *o, uint32_t addr, uint32_t len, uint32_t *crc);
/* Read one block (<= 64 KiB) and check it against the device CRC, retrying. */
int ops_read_block(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len);
void ops_report(struct ops *o, const char *phase, uint64_t done, uint64_t total);

#endif
