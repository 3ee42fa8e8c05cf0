/*
 * fw_frames: the firmware core on the host, spoken to in frames: a request
 * encoded as the client would, run through fw_core_poll, and what the
 * device sent decoded (the last answer kept, keepalives and FRAME_ERR
 * counted).  Shared by test_fw_core and test_fw_stream.
 */
#ifndef FW_FRAMES_H
#define FW_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "fw_core.h"
#include "fw_host_hal.h"
#include "flashchip.h"

#define SMALL_PART "W25Q80"

struct bench {
	struct fc_chip chip;
	uint8_t *mem;
	struct fw_core core;
	uint8_t seq;
	/* last response */
	uint8_t type;
	int8_t status;
	uint8_t data[PROTO_MAX_PAYLOAD];
	uint16_t data_len;
	int pendings;
	int frame_errs;
};

/* cmocka fixtures: a bench on the named part, or on SMALL_PART */
int setup_part(void **state, const char *name);
int setup(void **state);
int teardown(void **state);
/* Decode everything the device sent; keep the last response, count others. */
int collect(struct bench *b);
/* Feed wire bytes to the device and let it run until it has taken them. */
void run_bytes(struct bench *b, const uint8_t *wire, size_t n);
/* Send one request with the given seq; the number of responses. */
int exchange_seq(struct bench *b, uint8_t type, uint8_t seq, const uint8_t *p, size_t n);
/* Send one request, expect exactly its answer; its status. */
int8_t exchange(struct bench *b, uint8_t type, const uint8_t *p, size_t n);
int8_t do_program(struct bench *b, uint32_t addr, const uint8_t *d, uint16_t n);
int8_t do_read(struct bench *b, uint32_t addr, uint16_t n);
int8_t do_erase(struct bench *b, uint32_t addr, uint8_t op, uint32_t max_ms);

#endif
