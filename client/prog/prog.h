/*
 * prog: the programmer interface.  The core (ops, backup, resume, info,
 * protection) reaches the flash chip only through these operations, like
 * flashrom's struct opaque_master: one request each of PROTOCOL.md section 3,
 * carried out by whatever sits behind (the spiflash sketch over a serial
 * link, or the host sequencing the chip over a raw SPI master: serprog,
 * Linux spidev, the in-process chip model).  A new programmer is a new file
 * with a struct prog_driver, listed in prog_list.c; no core file changes.
 *
 * Every operation returns 0 or a negative enum sf_err (err.h); a refusal by
 * the programmer or the chip is DEV_E_REMOTE + a proto_status, whoever
 * carried the request out, so the core tells E_WEL from E_TIMEOUT the same
 * way behind every programmer.
 */
#ifndef PROG_H
#define PROG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "proto.h"
#include "proto_msg.h"

/* the fate of each block of a streamed read */
enum prog_block_state {
	PROG_BLOCK_MISSING = 0,     /* never arrived intact: read it again */
	PROG_BLOCK_RECEIVED = 1,    /* arrived, the second read not matched */
	PROG_BLOCK_CONFIRMED = 2,   /* arrived and matched (or no check asked) */
};

/* Bytes of a streamed read so far; nonzero asks the programmer to end the
 * stream early (a signal): it keeps the blocks that came and returns 0. */
typedef int (*prog_stream_progress_fn)(void *arg, uint32_t done);

struct prog_stats {
	unsigned requests, resends, bad_frames, frame_errs;
	unsigned silences;              /* resends after a silence (the slow kind) */
	unsigned stream_breaks;         /* streams that fell silent before the end */
	unsigned stream_check_fails;    /* blocks the second read disowned */
	unsigned stream_blank_blocks;   /* all-FF blocks that did not cross the line */
};

/* What `info` and --json say of the programmer. */
struct prog_desc {
	char lines[3][256];         /* "firmware:  ...", "protocol:  ...", "bridge:  ..." ("" unused) */
	char link[64];              /* "termios", "serprog, host-side sequencing" */
	uint32_t baud;              /* serial line rate, 0 without one */
	char bridge[160];           /* the USB bridge behind the port ("" unknown) */
	int latency_ms;             /* its driver's latency timer, -1 unknown */
	unsigned held_ms;           /* a short round trip measured over it (0: not held) */
	/* the firmware object of --json ("" and 0 where there is none) */
	char fw_version[16];
	char board[17];
	unsigned protocol;
	uint32_t f_cpu;
};

struct prog_ops {
	/* Leave the programmer as found (boot rate, drivers off) and free ctx. */
	void (*close)(void *ctx);
	void (*describe)(void *ctx, struct prog_desc *d);
	/* SPI clock at most hz; *set (may be NULL) gets the clock chosen. */
	int (*set_clock)(void *ctx, uint32_t hz, uint32_t *set);
	/* The chip's geometry, before any addressed request. */
	int (*chip)(void *ctx, const struct proto_chip *c);
	int (*jedec)(void *ctx, uint8_t *id, uint8_t n);
	int (*sfdp)(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len);
	int (*read)(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len);
	/* [addr, addr+len) in blocks; state[i] gets each block's fate.  0 when
	 * the stream ended, broke off or was stopped by fn (unconfirmed blocks
	 * are the caller's to read again). */
	int (*read_stream)(void *ctx, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
			   uint8_t *buf, uint8_t *state, prog_stream_progress_fn fn, void *arg);
	/* Programs of whole pages, which the programmer may keep in flight:
	 * program_begin, program_page for each, program_end waits for all.  On
	 * an error *err_addr names the first page that failed. */
	int (*program_begin)(void *ctx, unsigned t_page_max_ms, unsigned page_size);
	int (*program_page)(void *ctx, uint32_t addr, const uint8_t *buf, size_t len,
			    uint32_t *err_addr);
	int (*program_end)(void *ctx, uint32_t *err_addr);
	int (*erase)(void *ctx, uint32_t addr, uint8_t opcode, uint32_t max_ms);
	int (*read_sr)(void *ctx, uint8_t opcode, uint8_t *val);
	int (*write_sr)(void *ctx, uint8_t opcode, uint8_t flags, const uint8_t *val, uint8_t n,
			uint16_t max_ms);
	int (*crc32)(void *ctx, uint32_t addr, uint32_t len, uint32_t *crc);
	/* CRC-32 of count consecutive units of unit bytes; with span (not 0,
	 * PROTO_CAP_CRC_SPAN), of the first span bytes of each unit. */
	int (*crc32_multi)(void *ctx, uint32_t addr, uint16_t count, uint32_t unit, uint16_t span,
			   uint32_t *crcs);
	/* *first: the first byte that is not FF, or 0xFFFFFFFF if blank */
	int (*blank)(void *ctx, uint32_t addr, uint32_t len, uint32_t *first);
	/* One raw transaction: wlen bytes out, then rlen in (PROTO_CAP_XFER). */
	int (*xfer)(void *ctx, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen);
	/* Optional: the DIAG readings of the wiring and supply (PROTO_CAP_DIAG),
	 * for spiflash doctor; NULL where the programmer cannot take them. */
	int (*diag)(void *ctx, const struct proto_req_diag *q, struct proto_ans_diag *a);
};

struct prog {
	const struct prog_ops *ops;
	void *ctx;
	const char *name;           /* the driver's name: "spiflash", "serprog", ... */
	uint32_t caps;              /* PROTO_CAP_* the core may rely on */
	size_t read_max;            /* largest read and SFDP request */
	size_t program_max;         /* largest program_page */
	const uint32_t *line_baud;  /* the serial rate with the same cost per byte,
				     * kept current by the programmer */
	struct prog_stats *stats;   /* the programmer's counters */
	const int *link_err;        /* why its serial link failed (enum sf_err), or NULL */
	char msg[256];              /* why open failed, or detail of the last error */
};

/* One line of -vvv's request trace (no newline). */
typedef void (*prog_trace_fn)(void *arg, const char *line);

/* What opening a programmer gets from the command line. */
struct prog_params {
	const char *device;         /* -d: a port, a spidev, or "" */
	const char *args;           /* after "NAME:" in -p NAME:ARGS, or NULL */
	uint32_t spi_hz;            /* --spi-speed, 0: the programmer's default */
	struct link *link;          /* an open serial link, for programmers on one */
	uint32_t rate;              /* --rate: the line rate, 0 to choose */
	unsigned startup_ms;        /* how long a serial programmer may take to boot */
	unsigned sync_ms;           /* how long a serprog programmer may take to sync */
	prog_trace_fn trace;        /* -vvv: each request, answer and resend, or NULL */
	void *trace_arg;
};

struct prog_driver {
	const char *name;
	int needs_device;           /* -d names its port or device node */
	int needs_link;             /* opened on a serial port the caller opens */
	/* 0 with p ready, or an error with p->msg saying why. */
	int (*open)(struct prog *p, const struct prog_params *pp);
};

/* The driver called name, or NULL. */
const struct prog_driver *prog_find(const char *name);
/* Every driver, NULL-terminated, for --help and messages. */
extern const struct prog_driver *const prog_drivers[];

/* Open the named driver into p (p is cleared first). */
int prog_open(struct prog *p, const struct prog_driver *drv, const struct prog_params *pp);
void prog_close(struct prog *p);
void prog_describe(struct prog *p, struct prog_desc *d);

int prog_set_clock(struct prog *p, uint32_t hz, uint32_t *set);
int prog_chip(struct prog *p, const struct proto_chip *c);
int prog_jedec(struct prog *p, uint8_t *id, uint8_t n);
int prog_sfdp(struct prog *p, uint32_t addr, uint8_t *buf, uint16_t len);
int prog_read(struct prog *p, uint32_t addr, uint8_t *buf, uint16_t len);
int prog_read_stream(struct prog *p, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
		     uint8_t *buf, uint8_t *state, prog_stream_progress_fn fn, void *arg);
int prog_program_begin(struct prog *p, unsigned t_page_max_ms, unsigned page_size);
int prog_program_page(struct prog *p, uint32_t addr, const uint8_t *buf, size_t len,
		      uint32_t *err_addr);
int prog_program_end(struct prog *p, uint32_t *err_addr);
int prog_erase(struct prog *p, uint32_t addr, uint8_t opcode, uint32_t max_ms);
int prog_read_sr(struct prog *p, uint8_t opcode, uint8_t *val);
int prog_write_sr(struct prog *p, uint8_t opcode, uint8_t flags, const uint8_t *val, uint8_t n,
		  uint16_t max_ms);
int prog_crc32(struct prog *p, uint32_t addr, uint32_t len, uint32_t *crc);
int prog_crc32_multi(struct prog *p, uint32_t addr, uint16_t count, uint32_t unit,
		     uint16_t span, uint32_t *crcs);
int prog_blank(struct prog *p, uint32_t addr, uint32_t len, uint32_t *first);
int prog_xfer(struct prog *p, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen);
/* DIAG readings, or LACKS (DEV_E_REMOTE + PROTO_E_UNKNOWN_OP). */
int prog_diag(struct prog *p, const struct proto_req_diag *q, struct proto_ans_diag *a);

#endif
