/*
 * dev_stream: streaming reads (READ_STREAM) and pipelined PROGRAM requests,
 * so throughput does not depend on the round trip of the USB bridge.
 */
#ifndef DEV_STREAM_H
#define DEV_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "prog/dev.h"



/*
 * Read [addr, addr+len) in blocks of `block` bytes with one request.  buf
 * gets the data, state[i] the fate of block i (ceil(len / block) entries).
 * Returns 0 when the stream ended or broke off (blocks left unconfirmed are
 * the caller's to read again), a negative enum dev_err when the device
 * refused or the link failed.
 */
int dev_read_stream(struct dev *d, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
		    uint8_t *buf, uint8_t *state, prog_stream_progress_fn progress, void *arg);

/*
 * A USB bridge that holds short answers until its buffer fills or a timer
 * runs out (an FT232R's latency timer, 16 ms unless the driver was asked
 * for low latency) shows as round trips far longer than their bytes: then
 * ask the device to pad each answer to the bridge's 62 bytes (SET_PAD).
 * Sets *held_ms to the round trip measured; 0 when nothing was needed.
 */
int dev_bridge_pad(struct dev *d, unsigned *held_ms);

#define DEV_PIPE_DEPTH  8
#define DEV_PIPE_OVERRUNS 4         /* this many overruns, and more than one in
				     * DEV_PIPE_OVERRUN_EVERY pages: the device
				     * cannot keep up with pages in flight */
#define DEV_PIPE_OVERRUN_EVERY 32
#define DEV_PIPE_SLOW_BAUD 1000000  /* where a 328P keeps up, padding and all */
#define DEV_STREAM_TAIL_MS 50       /* after a stream's last block, its END
				     * answer is due within this (plus a
				     * bridge's hold and the frame's bytes) */
#define DEV_PIPE_DATA   256
#define DEV_PIPE_PART   32          /* the least a first part of a PROGRAM
				     * holds: fewer bytes are not worth a write */
#define DEV_PIPE_RING_SLACK 16      /* room left in the device's ring for the
				     * bytes of the request before that it has
				     * not decoded yet */

struct dev_pipe_req {
	uint8_t seq;
	uint16_t len;
	unsigned sends;         /* in all: DEV_MAX_SENDS at most */
	unsigned silences;      /* sends that met silence: DEV_TRIES at most */
	uint64_t sent_ms;
	uint64_t order;         /* when its last send ended, in sends: an
				 * answer to a later one shows an earlier one
				 * was lost only if it went before that */
	uint8_t payload[4 + DEV_PIPE_DATA];
	/* the frame as it goes on the wire, and how much of it has gone: the
	 * newest request may be sent in two parts (dev_stream.c, pipe_room) */
	uint8_t wire[PROTO_WIRE_MAX(4 + DEV_PIPE_DATA)];
	uint16_t wire_len, sent;
};

struct dev_pipe {
	struct dev *d;
	unsigned page_ms, page_size;
	struct dev_pipe_req q[DEV_PIPE_DEPTH];   /* in flight, oldest first */
	unsigned count;
	size_t inflight;        /* wire bytes sent of the requests in flight */
	uint32_t err_addr;      /* address of the request the device refused */
	unsigned damaged;       /* damaged frames, either way, since the last
				 * resend: see pipe_wait_answer */
	uint64_t sends;         /* requests sent whole so far (order) */
};

void dev_pipe_init(struct dev_pipe *p, struct dev *d, unsigned page_ms, unsigned page_size);
/* Queue one PROGRAM (at most one page); waits while the device is full. */
int dev_pipe_program(struct dev_pipe *p, uint32_t addr, const uint8_t *data, size_t len);
/* Wait until every queued request is answered. */
int dev_pipe_drain(struct dev_pipe *p);

#endif
