/*
 * fw_core: the firmware's protocol dispatcher.  Portable C over fw_hal.h:
 * it reads bytes, decodes frames, runs requests through fw_flash and sends
 * the answers.  The sketch calls fw_core_init once and fw_core_poll forever.
 */
#ifndef FW_CORE_H
#define FW_CORE_H

#include <stdint.h>

#include "fw_flash.h"
#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FW_VERSION_MAJOR  0
#define FW_VERSION_MINOR  1
#define FW_VERSION_PATCH  0

/* Largest request payload this build accepts (and answers with). */
#ifndef FW_MAX_PAYLOAD
#define FW_MAX_PAYLOAD    (PROTO_MAX_PAYLOAD)
#endif
#define FW_BODY_CAP       (PROTO_HDR_LEN + FW_MAX_PAYLOAD + PROTO_CRC_LEN)
#define FW_WIRE_CAP       PROTO_WIRE_MAX(FW_MAX_PAYLOAD)

/* A half frame is dropped after this much silence. */
#define FW_FRAME_TIMEOUT_MS   100
/* Keepalive period during long requests. */
#define FW_PENDING_MS         100

struct fw_core {
	struct proto_dec dec;
	struct flash flash;
	uint8_t body[FW_BODY_CAP];   /* received frame; reused for the answer */
	uint8_t wire[FW_WIRE_CAP];   /* last answer as sent, kept for resends */
	uint16_t wire_len;
	uint8_t last_type, last_seq; /* request the kept answer belongs to */
	uint16_t last_crc;
	uint8_t have_last;
	uint8_t cur_seq;             /* request in progress, for keepalives */
	uint32_t last_rx_ms;
	uint32_t last_pending_ms;
};

void fw_core_init(struct fw_core *c);
/* Handle whatever has arrived; returns without blocking when idle. */
void fw_core_poll(struct fw_core *c);

#ifdef __cplusplus
}
#endif
#endif
