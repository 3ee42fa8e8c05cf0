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

enum dev_err {
	DEV_OK = 0,
	DEV_E_LINK = -20,        /* the link failed (see dev.link_err) */
	DEV_E_NOANSWER = -21,    /* nothing that looks like the sketch answered */
	DEV_E_TIMEOUT = -22,     /* the device answered before but not this time */
	DEV_E_VERSION = -23,     /* protocol versions do not overlap */
	DEV_E_BADRESP = -24,     /* a response of the wrong length or type */
	DEV_E_ARG = -25,         /* caller asked for more than max_payload */
	DEV_E_RESET = -26,       /* the device sent READY mid-session: it restarted */
	DEV_E_NOISY = -27,       /* every try came back damaged */
	DEV_E_RATE = -28,        /* the link failed its test at a new rate */
	/* The device answered with status s (enum proto_status < 0): the error
	 * is DEV_E_REMOTE + s, so E_WEL (-7) arrives as -107. */
	DEV_E_REMOTE = -100,
};
#define DEV_IS_REMOTE(e)     ((e) <= DEV_E_REMOTE - 1 && (e) > DEV_E_REMOTE - 64)
#define DEV_REMOTE_STATUS(e) ((e) - DEV_E_REMOTE)

#define DEV_TRIES            3      /* tries that end in silence */
#define DEV_MAX_SENDS        10     /* sends in all: a damaged answer proves the
				     * device alive, so it costs less than silence */
#define DEV_SILENCE_MS       1000   /* no byte for this long: resend */
#define DEV_STARTUP_MS       2500   /* an Uno resets on open: bootloader + setup */
#define DEV_BOOT_BAUD        115200 /* the sketch starts at this rate */
#define DEV_AUTO_MAX_BAUD    2000000 /* fastest exact rate of a 16 MHz AVR */
#define DEV_RATE_TEST_MS     300    /* silence that fails a rate test */
#define DEV_RATE_PROBATION_MS 1200  /* the device returns to its boot rate after
				     * 1000 ms without a good frame */

struct dev_stats {
	unsigned requests, resends, bad_frames, frame_errs;
	unsigned stream_breaks;         /* streams that fell silent before the end */
	unsigned stream_check_fails;    /* blocks the device's second read disowned */
	unsigned stream_blank_blocks;   /* all-FF blocks that did not cross the line */
};

/*
 * A raw SPI master (a serprog programmer, Linux spidev): when struct dev has
 * one, every dev_* function below is carried out on the host instead
 * (dev_spi.c: write enable and WEL check, page splitting, busy polling with
 * deadlines, 4-byte addressing, CRC-32 with zlib), and HELLO describes what
 * the host emulates.  xfer is one chip-select-low transaction: wn bytes out,
 * then rn bytes in; it returns 0 or a negative enum dev_err.
 */
struct dev_spi_master {
	const char *name;           /* "serprog", "linux_spi" */
	int (*xfer)(void *ctx, const uint8_t *w, size_t wn, uint8_t *r, size_t rn);
	size_t max_write, max_read; /* per transaction */
	void (*close)(void *ctx);   /* also frees ctx */
	/* optional (NULL): clock at most hz, *set gets the clock chosen */
	int (*set_clock)(void *ctx, uint32_t hz, uint32_t *set);
};

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
	struct dev_stats stats;
	struct proto_dec dec;
	uint8_t body[PROTO_MAX_BODY];
	uint8_t wire[PROTO_WIRE_MAX_LEN];
	uint8_t resp[PROTO_MAX_PAYLOAD];   /* payload of the last response, after status */
	uint16_t resp_len;
	/* raw SPI master instead of the sketch (dev_spi.c), NULL: the sketch */
	const struct dev_spi_master *spi;
	void *spi_ctx;
	struct proto_chip spi_chip;  /* geometry from dev_chip */
	struct link spi_line;        /* d->link then: its baud says what a byte
				      * costs, for ops' read-or-erase choice */
};

/* Start a session over a raw SPI master (owned from now on: dev_close
 * closes it).  line_baud: the serial rate with the same byte cost. */
int dev_open_spi(struct dev *d, const struct dev_spi_master *m, void *ctx, uint32_t line_baud);

/* Wait for the sketch on an open link and say HELLO.  startup_ms bounds it. */
int dev_open(struct dev *d, struct link *l, unsigned startup_ms);
const char *dev_strerror(int err);

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
int dev_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit, uint32_t *crcs);
/* *first: address of the first byte that is not FF, or 0xFFFFFFFF if blank */
int dev_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first);
int dev_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen);

#endif
