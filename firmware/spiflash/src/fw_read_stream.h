/*
 * fw_read_stream: READ_STREAM on the device (fw_read_stream.c).
 */
#ifndef FW_READ_STREAM_H
#define FW_READ_STREAM_H

#include <stdint.h>

#include "fw_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Run READ_STREAM from the request payload p (pn bytes) with sequence
 * number seq: DATA frames go out as it runs, the END answer's data is put in
 * out.  Its length, or a PROTO_E_* status (PROTO_E_ABORTED when the host
 * sent a byte meanwhile). */
int16_t fw_read_stream(struct fw_core *c, const uint8_t *p, uint16_t pn, uint8_t seq,
		       uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
