/*
 * fw_core: the firmware's protocol dispatcher.  Portable C over fw_hal.h:
 * it reads bytes, decodes frames, runs requests through fw_flash and sends
 * the answers.  The sketch calls fw_core_init once and fw_core_poll forever.
 */
#ifndef FW_CORE_H
#define FW_CORE_H

#include <stdint.h>

#include "fw_flash.h"
#include "fw_serprog.h"
#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FW_VERSION_MAJOR  0
#define FW_VERSION_MINOR  1
#define FW_VERSION_PATCH  0

/*
 * Buffers, sized for the 2 KiB of an ATmega328P.  Requests are at most one
 * page of data (PROGRAM: address + 256 bytes); two receive buffers let the
 * next request arrive while one runs, and a third inside the transmit
 * buffer (FW_RX3_OFS) takes PROGRAMs.  Answers and stream blocks are built in
 * place in a transmit buffer; a stream uses the receive pair as its second
 * transmit buffer, since nothing is received while it runs.
 */
#define FW_RX_PAYLOAD     264
#define FW_RX_CAP         (PROTO_HDR_LEN + FW_RX_PAYLOAD + PROTO_CRC_LEN)
#define FW_STREAM_BLOCK   512
#define FW_TX_PAYLOAD     (1 + 4 + FW_STREAM_BLOCK)
#define FW_TX_CAP         (PROTO_INPLACE_PAYLOAD + FW_TX_PAYLOAD + PROTO_CRC_LEN)
#define FW_READ_MAX       FW_STREAM_BLOCK
/* A run of blank blocks goes out this long after it began, well within the
 * host's 400 ms of silence before it takes a stream for broken (a block
 * read twice takes 1.2 ms at 8 MHz, 66 ms at the slowest clock, 125 kHz). */
#define FW_BLANK_RUN_MS   100

/* The third receive buffer's place in wire[]: after the longest answer a
 * PROGRAM has (a status byte), built in place from wire[0]. */
#define FW_RX3_OFS        16
#if PROTO_INPLACE_PAYLOAD + 1 + PROTO_CRC_LEN > FW_RX3_OFS || PROTO_WIRE_MAX(1) > FW_RX3_OFS
#error "a PROGRAM's answer would reach the third receive buffer"
#endif
#if FW_RX3_OFS + FW_RX_CAP > FW_TX_CAP
#error "the third receive buffer does not fit the transmit buffer"
#endif

#if 2 * FW_RX_CAP < FW_TX_CAP
#error "the receive pair must hold a stream block"
#endif
#if FW_TX_CAP < PROTO_WIRE_MAX(FW_TX_PAYLOAD)
#error "transmit buffer too small for an encoded answer"
#endif

/* SET_PAD at most: an FT232R passes its buffer on at 62 bytes. */
#define FW_PAD_MAX        62

/* A half frame is dropped after this much silence. */
#define FW_FRAME_TIMEOUT_MS   100
/* Keepalive period during long requests. */
#define FW_PENDING_MS         100
/* After SET_BAUD, a good frame must arrive within this, or the boot rate
 * comes back (the host falls back to it too). */
#define FW_BAUD_PROBATION_MS  1000
/* Away from the boot rate, this long without a good frame brings the boot
 * rate back, so a host that left (or crashed) does not strand the next one
 * at a rate it does not know. */
#define FW_BAUD_IDLE_MS       3000

/* A complete request waiting to run. */
struct fw_req {
	uint8_t *buf;          /* the receive buffer holding it */
	const uint8_t *payload;
	uint16_t len;
	uint16_t crc;
	uint8_t type, seq;
};

struct fw_core {
	struct proto_dec dec;
	struct flash flash;
	union {
		uint8_t rx[2][FW_RX_CAP];
		uint8_t tx2[2 * FW_RX_CAP];  /* second transmit buffer of a stream */
	} pool;
	uint8_t wire[FW_TX_CAP];     /* answers; the last one kept for resends */
	uint16_t wire_len;
	/* The receive buffers: each is the decoder's, a complete request's
	 * (waiting in ready[] or running), or spare.  A PROGRAM gives its
	 * buffer back once the chip has its bytes, so a request after it is
	 * decoded while the page programs. */
	struct fw_req ready[3];      /* complete requests, oldest first */
	uint8_t n_ready;
	uint8_t dec_idle;            /* the decoder has no buffer to fill */
	uint8_t running;             /* inside handle() */
	uint8_t run_type;            /* the running request's type */
	uint8_t *spare[2];           /* free buffers of the pair */
	uint8_t n_spare;
	/* The third buffer, in wire[] past a short answer (FW_RX3_OFS): free,
	 * lent to the decoder, or holding a request.  Lent only while every
	 * request queued or running is a PROGRAM, whose answer is a status
	 * byte; anything else that lands in it is moved to the pair before it
	 * runs, and nothing is decoded after it meanwhile (rx3_hold). */
	uint8_t rx3_free;
	uint8_t rx3_hold;
	uint8_t *run_buf;            /* the running request's, until given back */
	uint8_t last_type, last_seq; /* request the kept answer belongs to */
	uint16_t last_crc;
	uint8_t have_last;
	uint8_t cur_seq;             /* request in progress, for keepalives */
	uint8_t pad;                 /* SET_PAD: filler bytes after each answer */
	uint8_t baud_probation;
	uint8_t baud_raised;         /* not at the boot rate */
	uint32_t baud_since_ms;
	uint32_t last_good_ms;       /* last good frame */
	uint32_t last_rx_ms;
	uint32_t last_pending_ms;
	struct fw_serprog serprog;   /* flashrom's protocol between frames */
};

/* addr..addr+len inside the chip, without overflowing 32 bits */
static inline int fw_in_chip(const struct flash *f, uint32_t addr, uint32_t len)
{
	return addr < f->size && len <= f->size - addr;
}

void fw_core_init(struct fw_core *c);
/* Handle whatever has arrived; returns without blocking when idle. */
void fw_core_poll(struct fw_core *c);

#ifdef __cplusplus
}
#endif
#endif
