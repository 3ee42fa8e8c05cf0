/*
 * proto_msg: the payload layouts of every spiflash request and answer
 * (PROTOCOL.md section 3 and its message table), packed and unpacked here and
 * nowhere else.  The firmware (fw_core.c) and the client (dev_cmd.c, dev.c,
 * dev_stream.c) both compile this header.
 *
 *   proto_req_<msg>_pack(p, ...)       request payload of <msg>
 *   proto_ans_<msg>_pack(p, ...)       answer payload after the status byte
 *   proto_<msg>_pack(p, ...)           other device frames (DATA, READY, ...)
 *
 * A pack function writes into the caller's buffer p, which must hold the
 * PROTO_*_LEN the message names (or its variable part), and returns the
 * payload length.  An unpack function takes the payload p of n bytes, checks
 * that n is exactly what the layout needs, fills the struct and returns 0,
 * or returns PROTO_E_ARG (negative) and leaves the struct undefined.  Pointer
 * fields of unpacked structs point into p.  Unpack checks only the layout;
 * what the values may be (a JEDEC length of 1-16, a page size that is a
 * power of two) is the device's business.
 *
 * Answers: every response payload starts with a status byte (PROTOCOL.md
 * section 2); the answer functions cover the bytes after it, which is where
 * fw_core builds its answers and what dev_request() leaves in d->resp.
 *
 * Everything is static inline: each message is packed or unpacked once in
 * the firmware, where a function call would cost more flash than the shifts.
 * Plain C99 over <stdint.h>, <stddef.h> and <string.h>; no malloc.
 */
#ifndef PROTO_MSG_H
#define PROTO_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Payload lengths of the fixed layouts (requests, then answers after the
 * status byte).  PROTO_CHIP_LEN and PROTO_HELLO_LEN(_MIN) are in proto.h. */
#define PROTO_REQ_HELLO_LEN     1   /* u8 version (a later host may append) */
#define PROTO_U8_LEN            1   /* JEDEC n, READ_SR opcode and its value */
#define PROTO_U32_LEN           4   /* SPI_CLOCK, SET_BAUD, CRC32 / BLANK answers */
#define PROTO_REQ_READ_LEN      6   /* READ, SFDP: u32 addr, u16 len */
#define PROTO_REQ_PROGRAM_HDR   4   /* PROGRAM: u32 addr, then the data */
#define PROTO_REQ_ERASE_LEN     9   /* u32 addr, u8 opcode, u32 max_ms */
#define PROTO_REQ_WRITE_SR_MAX  3   /* status bytes in one WRITE_SR */
#define PROTO_REQ_WRITE_SR_LEN(n) (3u + (n) + 2u) /* u8 op, u8 flags, u8 n, n, u16 ms */
#define PROTO_REQ_RANGE_LEN     8   /* CRC32, BLANK: u32 addr, u32 len */
#define PROTO_REQ_CRC32_MULTI_LEN 10 /* u32 addr, u16 count, u32 unit */
#define PROTO_REQ_CRC32_MULTI_SPAN_LEN 12 /* and u16 span (CAP_CRC_SPAN) */
#define PROTO_REQ_XFER_HDR      2   /* XFER: u16 rlen, then the write bytes */
#define PROTO_REQ_STREAM_LEN    11  /* u32 addr, u32 len, u16 block, u8 flags */
#define PROTO_ANS_STREAM_LEN    8   /* READ_STREAM end: u32 check, u32 blocks */
#define PROTO_DATA_HDR          4   /* DATA: u32 check, then the block */
#define PROTO_DATA_BLANK_LEN    6   /* DATA_BLANK: u32 check, u16 length */
#define PROTO_DATA_RUN_LEN      12  /* DATA_BLANK of a run: u32 check, u32 addr,
				     * u32 length */
#define PROTO_REQ_DIAG_LEN      5   /* DIAG: u8 flags, u32 addr */
#define PROTO_ANS_DIAG_LEN      20  /* DIAG answer: see struct proto_ans_diag */
#define PROTO_READY_LEN         2   /* status 00, u8 version */
#define PROTO_FRAME_ERR_LEN     2   /* i8 status, u8 receive-ring drops */
#define PROTO_FRAME_ERR_LEN_MIN 1   /* i8 status alone (the first firmware) */
#define PROTO_HELLO_BOARD_LEN   16  /* board name in HELLO, NUL padded */

/* ---- one-field layouts ---- */

/* u8: JEDEC request (n), READ_SR request (opcode) and answer (value). */
static inline size_t proto_u8_pack(uint8_t *p, uint8_t v)
{
	p[0] = v;
	return PROTO_U8_LEN;
}
static inline int proto_u8_unpack(const uint8_t *p, size_t n, uint8_t *v)
{
	if (n != PROTO_U8_LEN)
		return PROTO_E_ARG;
	*v = p[0];
	return 0;
}

/* u32: SPI_CLOCK and SET_BAUD requests and answers, CRC32 and BLANK answers. */
static inline size_t proto_u32_pack(uint8_t *p, uint32_t v)
{
	proto_put32(p, v);
	return PROTO_U32_LEN;
}
static inline int proto_u32_unpack(const uint8_t *p, size_t n, uint32_t *v)
{
	if (n != PROTO_U32_LEN)
		return PROTO_E_ARG;
	*v = proto_get32(p);
	return 0;
}

/* ---- HELLO ---- */

/* Request: u8 host protocol version.  Longer requests are accepted, so a
 * later host may append fields. */
static inline size_t proto_req_hello_pack(uint8_t *p, uint8_t version)
{
	p[0] = version;
	return PROTO_REQ_HELLO_LEN;
}
static inline int proto_req_hello_unpack(const uint8_t *p, size_t n, uint8_t *version)
{
	if (n < PROTO_REQ_HELLO_LEN)
		return PROTO_E_ARG;
	*version = p[0];
	return 0;
}

/* Answer (struct proto_hello, proto.h): u8 version, u8 oldest, u8 u8 u8
 * firmware, u16 max_payload, u16 rx_buffer, u32 caps, u32 f_cpu, 16 bytes
 * board, u16 max_read.  The board name is board (h->board is not read, so
 * the device need not copy its name there): its first 16 characters, padded
 * with NULs. */
static inline size_t proto_ans_hello_pack(uint8_t *p, const struct proto_hello *h,
					  const char *b)
{
	uint8_t i;

	p[0] = h->proto_version;
	p[1] = h->proto_min;
	p[2] = h->fw_major;
	p[3] = h->fw_minor;
	p[4] = h->fw_patch;
	proto_put16(p + 5, h->max_payload);
	proto_put16(p + 7, h->rx_buffer);
	proto_put32(p + 9, h->caps);
	proto_put32(p + 13, h->f_cpu);
	for (i = 0; i < PROTO_HELLO_BOARD_LEN; i++) {
		p[17 + i] = (uint8_t)*b;
		if (*b)
			b++;
	}
	proto_put16(p + 33, h->max_read);
	return PROTO_HELLO_LEN;
}
/* PROTO_HELLO_LEN_MIN bytes (the first firmware: max_read is then 0), or
 * PROTO_HELLO_LEN and more (fields appended later are skipped). */
static inline int proto_ans_hello_unpack(const uint8_t *p, size_t n, struct proto_hello *h)
{
	if (n != PROTO_HELLO_LEN_MIN && n < PROTO_HELLO_LEN)
		return PROTO_E_ARG;
	h->proto_version = p[0];
	h->proto_min = p[1];
	h->fw_major = p[2];
	h->fw_minor = p[3];
	h->fw_patch = p[4];
	h->max_payload = proto_get16(p + 5);
	h->rx_buffer = proto_get16(p + 7);
	h->caps = proto_get32(p + 9);
	h->f_cpu = proto_get32(p + 13);
	memcpy(h->board, p + 17, PROTO_HELLO_BOARD_LEN);
	h->board[PROTO_HELLO_BOARD_LEN] = '\0';
	h->max_read = n >= PROTO_HELLO_LEN ? proto_get16(p + 33) : 0;
	return 0;
}

/* ---- CHIP: u16 page_size, u8 addr_mode, u32 size, u16 t_page_max_ms ---- */

static inline size_t proto_req_chip_pack(uint8_t *p, const struct proto_chip *c)
{
	proto_put16(p, c->page_size);
	p[2] = c->addr_mode;
	proto_put32(p + 3, c->size);
	proto_put16(p + 7, c->t_page_max_ms);
	return PROTO_CHIP_LEN;
}
static inline int proto_req_chip_unpack(const uint8_t *p, size_t n, struct proto_chip *c)
{
	if (n != PROTO_CHIP_LEN)
		return PROTO_E_ARG;
	c->page_size = proto_get16(p);
	c->addr_mode = p[2];
	c->size = proto_get32(p + 3);
	c->t_page_max_ms = proto_get16(p + 7);
	return 0;
}

/* ---- READ and SFDP: u32 addr, u16 len (the answer: len bytes) ---- */

struct proto_req_read {
	uint32_t addr;
	uint16_t len;
};
static inline size_t proto_req_read_pack(uint8_t *p, const struct proto_req_read *r)
{
	proto_put32(p, r->addr);
	proto_put16(p + 4, r->len);
	return PROTO_REQ_READ_LEN;
}
static inline int proto_req_read_unpack(const uint8_t *p, size_t n, struct proto_req_read *r)
{
	if (n != PROTO_REQ_READ_LEN)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->len = proto_get16(p + 4);
	return 0;
}

/* ---- PROGRAM: u32 addr, data (at least one byte) ---- */

struct proto_req_program {
	uint32_t addr;
	const uint8_t *data;
	uint16_t len;
};
/* p must hold PROTO_REQ_PROGRAM_HDR + r->len bytes. */
static inline size_t proto_req_program_pack(uint8_t *p, const struct proto_req_program *r)
{
	proto_put32(p, r->addr);
	memcpy(p + PROTO_REQ_PROGRAM_HDR, r->data, r->len);
	return PROTO_REQ_PROGRAM_HDR + (size_t)r->len;
}
static inline int proto_req_program_unpack(const uint8_t *p, size_t n,
					   struct proto_req_program *r)
{
	if (n <= PROTO_REQ_PROGRAM_HDR)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->data = p + PROTO_REQ_PROGRAM_HDR;
	r->len = (uint16_t)(n - PROTO_REQ_PROGRAM_HDR);
	return 0;
}

/* ---- ERASE: u32 addr, u8 opcode, u32 max_ms ---- */

struct proto_req_erase {
	uint32_t addr;
	uint8_t opcode;
	uint32_t max_ms;
};
static inline size_t proto_req_erase_pack(uint8_t *p, const struct proto_req_erase *r)
{
	proto_put32(p, r->addr);
	p[4] = r->opcode;
	proto_put32(p + 5, r->max_ms);
	return PROTO_REQ_ERASE_LEN;
}
static inline int proto_req_erase_unpack(const uint8_t *p, size_t n, struct proto_req_erase *r)
{
	if (n != PROTO_REQ_ERASE_LEN)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->opcode = p[4];
	r->max_ms = proto_get32(p + 5);
	return 0;
}

/* ---- WRITE_SR: u8 opcode, u8 flags, u8 n (1-3), n bytes, u16 max_ms ---- */

struct proto_req_write_sr {
	uint8_t opcode;
	uint8_t flags;              /* PROTO_WSR_VOLATILE */
	uint8_t n;                  /* 1..PROTO_REQ_WRITE_SR_MAX */
	uint8_t val[PROTO_REQ_WRITE_SR_MAX];
	uint16_t max_ms;
};
/* Returns 0 (nothing packed) when n is not 1-3. */
static inline size_t proto_req_write_sr_pack(uint8_t *p, const struct proto_req_write_sr *r)
{
	if (r->n < 1 || r->n > PROTO_REQ_WRITE_SR_MAX)
		return 0;
	p[0] = r->opcode;
	p[1] = r->flags;
	p[2] = r->n;
	memcpy(p + 3, r->val, r->n);
	proto_put16(p + 3 + r->n, r->max_ms);
	return PROTO_REQ_WRITE_SR_LEN(r->n);
}
static inline int proto_req_write_sr_unpack(const uint8_t *p, size_t n,
					    struct proto_req_write_sr *r)
{
	uint8_t k;

	if (n < PROTO_REQ_WRITE_SR_LEN(1))
		return PROTO_E_ARG;
	k = p[2];
	if (k < 1 || k > PROTO_REQ_WRITE_SR_MAX || n != PROTO_REQ_WRITE_SR_LEN(k))
		return PROTO_E_ARG;
	r->opcode = p[0];
	r->flags = p[1];
	r->n = k;
	memcpy(r->val, p + 3, k);
	r->max_ms = proto_get16(p + 3 + k);
	return 0;
}

/* ---- CRC32 and BLANK: u32 addr, u32 len (the answer: one u32) ---- */

struct proto_req_range {
	uint32_t addr;
	uint32_t len;
};
static inline size_t proto_req_range_pack(uint8_t *p, const struct proto_req_range *r)
{
	proto_put32(p, r->addr);
	proto_put32(p + 4, r->len);
	return PROTO_REQ_RANGE_LEN;
}
static inline int proto_req_range_unpack(const uint8_t *p, size_t n, struct proto_req_range *r)
{
	if (n != PROTO_REQ_RANGE_LEN)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->len = proto_get32(p + 4);
	return 0;
}

/* ---- CRC32_MULTI: u32 addr, u16 count, u32 unit [, u16 span] -> count x u32 ----
 * span: the CRC covers the first span bytes of each unit (a sample); 0 or
 * absent, the whole unit.  Packed only when it is a sample. */

struct proto_req_crc32_multi {
	uint32_t addr;
	uint16_t count;
	uint32_t unit;
	uint16_t span;
};
static inline size_t proto_req_crc32_multi_pack(uint8_t *p, const struct proto_req_crc32_multi *r)
{
	proto_put32(p, r->addr);
	proto_put16(p + 4, r->count);
	proto_put32(p + 6, r->unit);
	if (!r->span || r->span >= r->unit)
		return PROTO_REQ_CRC32_MULTI_LEN;
	proto_put16(p + 10, r->span);
	return PROTO_REQ_CRC32_MULTI_SPAN_LEN;
}
static inline int proto_req_crc32_multi_unpack(const uint8_t *p, size_t n,
					       struct proto_req_crc32_multi *r)
{
	if (n != PROTO_REQ_CRC32_MULTI_LEN && n != PROTO_REQ_CRC32_MULTI_SPAN_LEN)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->count = proto_get16(p + 4);
	r->unit = proto_get32(p + 6);
	r->span = n == PROTO_REQ_CRC32_MULTI_SPAN_LEN ? proto_get16(p + 10) : 0;
	return 0;
}

/* The answer, one CRC at a time as the device computes them: entry i. */
static inline void proto_ans_crc32_multi_put(uint8_t *p, uint16_t i, uint32_t crc)
{
	proto_put32(p + 4 * (size_t)i, crc);
}
static inline size_t proto_ans_crc32_multi_pack(uint8_t *p, const uint32_t *crcs, uint16_t count)
{
	uint16_t i;

	for (i = 0; i < count; i++)
		proto_ans_crc32_multi_put(p, i, crcs[i]);
	return 4 * (size_t)count;
}
/* Exactly count CRCs. */
static inline int proto_ans_crc32_multi_unpack(const uint8_t *p, size_t n, uint16_t count,
					       uint32_t *crcs)
{
	uint16_t i;

	if (n != 4 * (size_t)count)
		return PROTO_E_ARG;
	for (i = 0; i < count; i++)
		crcs[i] = proto_get32(p + 4 * (size_t)i);
	return 0;
}

/* ---- XFER: u16 rlen, write bytes (the answer: rlen bytes) ---- */

struct proto_req_xfer {
	uint16_t rlen;
	const uint8_t *w;
	uint16_t wlen;
};
/* p must hold PROTO_REQ_XFER_HDR + r->wlen bytes. */
static inline size_t proto_req_xfer_pack(uint8_t *p, const struct proto_req_xfer *r)
{
	proto_put16(p, r->rlen);
	if (r->wlen)
		memcpy(p + PROTO_REQ_XFER_HDR, r->w, r->wlen);
	return PROTO_REQ_XFER_HDR + (size_t)r->wlen;
}
static inline int proto_req_xfer_unpack(const uint8_t *p, size_t n, struct proto_req_xfer *r)
{
	if (n < PROTO_REQ_XFER_HDR)
		return PROTO_E_ARG;
	r->rlen = proto_get16(p);
	r->w = p + PROTO_REQ_XFER_HDR;
	r->wlen = (uint16_t)(n - PROTO_REQ_XFER_HDR);
	return 0;
}

/* ---- READ_STREAM: u32 addr, u32 len, u16 block, u8 flags ---- */

struct proto_req_stream {
	uint32_t addr;
	uint32_t len;
	uint16_t block;
	uint8_t flags;              /* PROTO_STREAM_CHECK, PROTO_STREAM_SKIP_BLANK */
};
static inline size_t proto_req_stream_pack(uint8_t *p, const struct proto_req_stream *r)
{
	proto_put32(p, r->addr);
	proto_put32(p + 4, r->len);
	proto_put16(p + 8, r->block);
	p[10] = r->flags;
	return PROTO_REQ_STREAM_LEN;
}
static inline int proto_req_stream_unpack(const uint8_t *p, size_t n, struct proto_req_stream *r)
{
	if (n != PROTO_REQ_STREAM_LEN)
		return PROTO_E_ARG;
	r->addr = proto_get32(p);
	r->len = proto_get32(p + 4);
	r->block = proto_get16(p + 8);
	r->flags = p[10];
	return 0;
}

/* The answer that ends a stream: u32 check of the last block, u32 blocks sent. */
struct proto_ans_stream {
	uint32_t check;
	uint32_t blocks;
};
static inline size_t proto_ans_stream_pack(uint8_t *p, const struct proto_ans_stream *a)
{
	proto_put32(p, a->check);
	proto_put32(p + 4, a->blocks);
	return PROTO_ANS_STREAM_LEN;
}
static inline int proto_ans_stream_unpack(const uint8_t *p, size_t n, struct proto_ans_stream *a)
{
	if (n != PROTO_ANS_STREAM_LEN)
		return PROTO_E_ARG;
	a->check = proto_get32(p);
	a->blocks = proto_get32(p + 4);
	return 0;
}

/* ---- DATA (D0) and DATA_BLANK (D1): the blocks of a stream ---- */

/* DATA: u32 check, then the block, which the device has already read into
 * p + PROTO_DATA_HDR (it builds frames in place).  Returns the payload
 * length. */
static inline size_t proto_data_pack(uint8_t *p, uint32_t check, uint16_t len)
{
	proto_put32(p, check);
	return PROTO_DATA_HDR + (size_t)len;
}
/* DATA_BLANK: u32 check, u16 length of the all-FF block. */
static inline size_t proto_data_blank_pack(uint8_t *p, uint32_t check, uint16_t len)
{
	proto_put32(p, check);
	proto_put16(p + PROTO_DATA_HDR, len);
	return PROTO_DATA_BLANK_LEN;
}

/* DATA_BLANK of a run of blank blocks (PROTO_STREAM_BLANK_RUN): u32 check
 * of the block before the run, u32 address and u32 length of the run.  It
 * takes the frame numbers of all its blocks: the next frame's seq is this
 * one's plus the number of blocks. */
static inline size_t proto_data_run_pack(uint8_t *p, uint32_t check, uint32_t addr,
					 uint32_t len)
{
	proto_put32(p, check);
	proto_put32(p + 4, addr);
	proto_put32(p + 8, len);
	return PROTO_DATA_RUN_LEN;
}

struct proto_data {
	uint32_t check;             /* of the block before this one */
	const uint8_t *data;        /* the block; NULL for DATA_BLANK */
	uint16_t len;               /* of the block; 0 for a run */
	uint32_t run_addr, run_len; /* a run of blank blocks; run_len 0: none */
};
/* A DATA (at least one data byte) or DATA_BLANK (exactly
 * PROTO_DATA_BLANK_LEN, or PROTO_DATA_RUN_LEN for a run) payload; any other
 * type is refused. */
static inline int proto_data_unpack(uint8_t type, const uint8_t *p, size_t n,
				    struct proto_data *d)
{
	d->data = NULL;
	d->len = 0;
	d->run_addr = 0;
	d->run_len = 0;
	if (type == PROTO_OP_DATA && n > PROTO_DATA_HDR) {
		d->data = p + PROTO_DATA_HDR;
		d->len = (uint16_t)(n - PROTO_DATA_HDR);
	} else if (type == PROTO_OP_DATA_BLANK && n == PROTO_DATA_BLANK_LEN) {
		d->len = proto_get16(p + PROTO_DATA_HDR);
	} else if (type == PROTO_OP_DATA_BLANK && n == PROTO_DATA_RUN_LEN &&
		   proto_get32(p + 8) != 0) {
		d->run_addr = proto_get32(p + 4);
		d->run_len = proto_get32(p + 8);
	} else {
		return PROTO_E_ARG;
	}
	d->check = proto_get32(p);
	return 0;
}

/* ---- READY (C1) and FRAME_ERR (FF): unasked device frames ---- */

/* READY: status 00, u8 protocol version of the device. */
static inline size_t proto_ready_pack(uint8_t *p, uint8_t version)
{
	p[0] = PROTO_OK;
	p[1] = version;
	return PROTO_READY_LEN;
}
static inline int proto_ready_unpack(const uint8_t *p, size_t n, uint8_t *version)
{
	if (n != PROTO_READY_LEN || p[0] != PROTO_OK)
		return PROTO_E_ARG;
	*version = p[1];
	return 0;
}

/* FRAME_ERR: i8 status (E_CRC, E_FRAMING, E_OVERSIZE), u8 count of bytes the
 * device's receive ring dropped (a diagnostic, modulo 256).  Firmware before
 * the count sent the status alone: unpacked with drops 0. */
static inline size_t proto_frame_err_pack(uint8_t *p, int8_t status, uint8_t drops)
{
	p[0] = (uint8_t)status;
	p[1] = drops;
	return PROTO_FRAME_ERR_LEN;
}
static inline int proto_frame_err_unpack(const uint8_t *p, size_t n, int8_t *status,
					 uint8_t *drops)
{
	if (n != PROTO_FRAME_ERR_LEN && n != PROTO_FRAME_ERR_LEN_MIN)
		return PROTO_E_ARG;
	*status = (int8_t)p[0];
	*drops = n == PROTO_FRAME_ERR_LEN ? p[1] : 0;
	return 0;
}

/* ---- DIAG: u8 flags, u32 addr -> wiring and supply readings ---- */
struct proto_req_diag {
	uint8_t flags;              /* PROTO_DIAG_LOAD, PROTO_DIAG_ERASE */
	uint32_t addr;              /* the sector PROTO_DIAG_ERASE erases */
};
static inline size_t proto_req_diag_pack(uint8_t *p, const struct proto_req_diag *r)
{
	p[0] = r->flags;
	proto_put32(p + 1, r->addr);
	return PROTO_REQ_DIAG_LEN;
}
static inline int proto_req_diag_unpack(const uint8_t *p, size_t n, struct proto_req_diag *r)
{
	if (n != PROTO_REQ_DIAG_LEN)
		return PROTO_E_ARG;
	r->flags = p[0];
	r->addr = proto_get32(p + 1);
	return 0;
}

/*
 * The DIAG answer: MISO seen with the AVR's pull-up on it and without (a
 * floating line follows the pull-up, a driven one does not), raw 10-bit ADC
 * readings against AVcc: A0 (the chip's VCC, where wired) without and with
 * A0's pull-up, the 1.1 V bandgap (AVcc = 1.1 V * 1023 / bandgap), the
 * lowest A0 while the load of the request ran and how long it ran, and the
 * JEDEC ID bit-banged with MOSI and MISO exchanged (the MCU drives its MISO
 * pin and reads its MOSI pin, pulled up): an ID there means the two wires
 * are swapped.
 */
struct proto_ans_diag {
	uint8_t miso;               /* bit 0: idle level with pull-up, bit 1: without */
	uint8_t id_pu[3];           /* JEDEC ID (9Fh) read with MISO's pull-up on */
	uint8_t id_nopu[3];         /* ... and with it off */
	uint16_t a0, a0_pu, bandgap, a0_min, load_ms;
	uint8_t id_swap[3];         /* JEDEC ID with MOSI and MISO exchanged */
};
static inline size_t proto_ans_diag_pack(uint8_t *p, const struct proto_ans_diag *a)
{
	p[0] = a->miso;
	memcpy(p + 1, a->id_pu, 3);
	memcpy(p + 4, a->id_nopu, 3);
	proto_put16(p + 7, a->a0);
	proto_put16(p + 9, a->a0_pu);
	proto_put16(p + 11, a->bandgap);
	proto_put16(p + 13, a->a0_min);
	proto_put16(p + 15, a->load_ms);
	memcpy(p + 17, a->id_swap, 3);
	return PROTO_ANS_DIAG_LEN;
}
static inline int proto_ans_diag_unpack(const uint8_t *p, size_t n, struct proto_ans_diag *a)
{
	if (n != PROTO_ANS_DIAG_LEN)
		return PROTO_E_ARG;
	a->miso = p[0];
	memcpy(a->id_pu, p + 1, 3);
	memcpy(a->id_nopu, p + 4, 3);
	a->a0 = proto_get16(p + 7);
	a->a0_pu = proto_get16(p + 9);
	a->bandgap = proto_get16(p + 11);
	a->a0_min = proto_get16(p + 13);
	a->load_ms = proto_get16(p + 15);
	memcpy(a->id_swap, p + 17, 3);
	return 0;
}

#ifdef __cplusplus
}
#endif
#endif
