/*
 * fw_diag: the DIAG request (PROTOCOL.md): what the wiring and the supply
 * look like from the board, for `spiflash doctor`.
 */
#ifndef FW_DIAG_H
#define FW_DIAG_H

#include <stdint.h>

#include "fw_flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Request payload p (n bytes); the answer goes to out.  Returns its length
 * or a negative proto_status. */
int16_t fw_diag(struct flash *f, const uint8_t *p, uint16_t n, uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
