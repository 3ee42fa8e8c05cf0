/*
 * dev: a protocol session with the spiflash sketch over a link: start-up,
 * HELLO, and one function per request type of PROTOCOL.md.  Every request has
 * a silence timeout (restarted by PENDING keepalives), an overall deadline and
 * three tries.  Never prints.
 */
#ifndef DEV_H
#define DEV_H

#include <stddef.h>
#include <stdint.h>

#include "transport/link.h"
#include "proto.h"

#include "err.h"
#include "prog/prog.h"

#define DEV_TRIES            3      /* tries that end in silence */
#define DEV_MAX_SENDS        10     /* sends in all: a damaged answer proves the
				     * device alive, so it costs less than silence */
#define DEV_SILENCE_MS       1000   /* no byte for this long: resend (before
				     * HELLO, and a device without PENDING) */
#define DEV_ALIVE_SILENCE_MS 400    /* the same for a device with PENDING: it
				     * speaks every 100 ms while it works, and
				     * its longest quiet is that plus a 1 KiB
				     * CRC chunk at the slowest SPI clock
				     * (~70 ms); a lost request costs this.
				     * Each silence doubles the next wait
				     * (400, 800, 1600 ms): a line that stalls
				     * for most of a second is ridden through */
#define DEV_STARTUP_MS       2500   /* an Uno resets on open: bootloader + setup */
#define DEV_BOOT_BAUD        115200 /* the sketch starts at this rate */
#define DEV_AUTO_MAX_BAUD    2000000 /* fastest exact rate of a 16 MHz AVR */
#define DEV_RATE_TEST_MS     300    /* silence that fails a rate test */
#define DEV_RATE_PROBATION_MS 1200  /* the device returns to its boot rate after
				     * 1000 ms without a good frame */
#define DEV_RATE_IDLE_MS     3200   /* ... and 3000 ms after the last good one */



struct dev {
	struct link *link;
	uint8_t seq;
	int link_err;               /* enum link_err behind DEV_E_LINK */
	int answered;               /* any good frame came back yet */
	int ready_seen;
	struct proto_hello hello;
	uint8_t version;            /* protocol version in use */
	uint16_t max_payload;       /* largest request payload we may send */
	unsigned silence_ms;
	unsigned rate_fallbacks;    /* rates tried that failed their link test */
	unsigned held_ms;           /* round trip of a bridge that holds answers (padded), 0: none */
	uint8_t rx_drops;           /* the device's receive-ring drops, last told */
	unsigned frames_in;         /* frames that came back, whole or damaged */
	unsigned pipe_pages;        /* pages sent through dev_pipe this session */
	unsigned pipe_overruns;     /* FRAME_ERRs whose drops grew: the device
				     * could not keep up with pages in flight */
	int pipe_slow;              /* it cannot, at this rate (dev_pipe_program) */
	int pipe_whole;             /* it overran with the first part of a
				     * request waiting in its ring: whole
				     * requests only, at this rate */
	int pipe_pair;              /* it overran with whole requests in all
				     * three of its buffers (RX3): two only,
				     * at this rate */
	int rate_auto;              /* the rate was chosen, not forced (--rate) */
	int rate_testing;           /* a rate test: its silences do not double,
				     * a rate the cable cannot carry fails fast */
	struct prog_stats stats;
	struct proto_dec dec;
	uint8_t body[PROTO_MAX_BODY];
	uint8_t wire[PROTO_WIRE_MAX_LEN];
	uint8_t resp[PROTO_MAX_PAYLOAD];   /* payload of the last response, after status */
	uint16_t resp_len;
	prog_trace_fn trace;        /* set before dev_open, which keeps it */
	void *trace_arg;
};

/* Wait for the sketch on an open link and say HELLO.  startup_ms bounds it. */
int dev_open(struct dev *d, struct link *l, unsigned startup_ms);

/* End a session: leave the device at its boot rate for the next one. */
int dev_close(struct dev *d);
/* Switch the line to baud and test it; DEV_E_RATE (and the boot rate on both
 * sides) when the test fails. */
int dev_set_rate(struct dev *d, uint32_t baud);
/* The fastest exact AVR rate up to max_baud that passes its test. */
int dev_auto_rate(struct dev *d, uint32_t max_baud);

/* One request: payload out, response payload (after the status byte) in
 * d->resp / d->resp_len.  work_ms: how long the device may legitimately take
 * (erase time); the overall deadline is work_ms plus transfer time plus the
 * silence timeout. */
int dev_request(struct dev *d, uint8_t op, const uint8_t *req, size_t len, unsigned work_ms);

/* Largest data a READ may ask for, a PROGRAM may carry. */
size_t dev_read_max(const struct dev *d);
size_t dev_program_max(const struct dev *d);

int dev_hello(struct dev *d);
int dev_ping(struct dev *d, const uint8_t *buf, size_t len);
int dev_spi_clock(struct dev *d, uint32_t hz, uint32_t *set);
int dev_chip(struct dev *d, const struct proto_chip *c);
int dev_jedec(struct dev *d, uint8_t *id, uint8_t n);
int dev_sfdp(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len);
int dev_read(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len);
int dev_program(struct dev *d, uint32_t addr, const uint8_t *buf, size_t len,
		unsigned t_page_max_ms, unsigned page_size);
int dev_erase(struct dev *d, uint32_t addr, uint8_t opcode, uint32_t max_ms);
int dev_read_sr(struct dev *d, uint8_t opcode, uint8_t *val);
int dev_write_sr(struct dev *d, uint8_t opcode, uint8_t flags, const uint8_t *val,
		 uint8_t n, uint16_t max_ms);
int dev_crc32(struct dev *d, uint32_t addr, uint32_t len, uint32_t *crc);
/* CRC-32 of count consecutive units of unit bytes, one request, one pass. */
int dev_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit, uint16_t span,
		    uint32_t *crcs);
/* DIAG (PROTO_CAP_DIAG): wiring and supply readings, for spiflash doctor. */
int dev_diag(struct dev *d, const struct proto_req_diag *q, struct proto_ans_diag *a);
/* *first: address of the first byte that is not FF, or 0xFFFFFFFF if blank */
int dev_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first);
int dev_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen);

#endif
