/*
 * doctor: the checks of `spiflash doctor` over the programmer interface, a
 * few seconds that end in one verdict.  MISO with the AVR's pull-up on and
 * off (DIAG), the chip's ID, WP# against SRP0, the JEDEC ID, status and a
 * few KiB read at every SPI clock and compared with the slowest, and the
 * chip's VCC on A0 where it is wired.  Programmers without DIAG (serprog,
 * linux_spi, dummy) get what raw SPI can tell, and the findings say what
 * could not be checked.  No printing: cli_doctor.c prints.
 */
#ifndef DOCTOR_H
#define DOCTOR_H

#include <stdint.h>

#include "core/ops.h"
#include "prog/prog.h"

/* The verdict, worst first found; cli_doctor maps it to an exit code. */
enum doctor_verdict {
	DOCTOR_CLEAN = 0,         /* nothing wrong found */
	DOCTOR_MISO_FLOATING,     /* nothing drives MISO */
	DOCTOR_SWAPPED,           /* the chip answers with MOSI and MISO exchanged */
	DOCTOR_MISO_HIGH,         /* MISO high with and without the pull-up */
	DOCTOR_MISO_LOW,          /* MISO low with and without the pull-up */
	DOCTOR_NO_CHIP,           /* MISO driven, but no usable ID */
	DOCTOR_POWER,             /* the chip's VCC out of range, or sagging */
	DOCTOR_WP_LOCKED,         /* WP# low with SRP0 set: status writes ignored */
	DOCTOR_SIGNAL,            /* reads differ at the faster clocks */
	DOCTOR_SIGNAL_NONE,       /* reads differ at every clock */
	DOCTOR_ERROR,             /* the programmer failed: err says why */
};

enum doctor_level { DOCTOR_OK = 0, DOCTOR_NOTE, DOCTOR_WARN, DOCTOR_FAULT };

#define DOCTOR_MAX_FINDINGS 16
#define DOCTOR_MAX_CLOCKS 8

struct doctor_finding {
	int level;                /* enum doctor_level */
	char what[96];            /* "MISO", "signal at 8 MHz", "VCC" */
	char text[320];           /* the finding and its evidence */
};

struct doctor_clock {
	uint32_t hz;
	unsigned reads, bad;      /* comparisons made, and those that differed */
};

struct doctor_params {
	int erase_test;           /* erase (and restore) the sector at erase_addr */
	uint32_t erase_addr;
	unsigned repeats;         /* reads at each clock (0: 3) */
	uint32_t span;            /* bytes of the array read at each clock (0: 4 KiB) */
};

struct doctor {
	struct prog *prog;
	struct ops *ops;
	struct doctor_params par;
	int have_diag;
	struct proto_ans_diag diag;
	struct doctor_finding f[DOCTOR_MAX_FINDINGS];
	unsigned nf;
	struct doctor_clock clk[DOCTOR_MAX_CLOCKS];
	unsigned nclk;
	uint32_t clock_hz;        /* chosen: the fastest at which all reads agreed */
	int vcc_mv, vcc_min_mv, avcc_mv;   /* -1: not measured */
	enum doctor_verdict verdict;
	int err;                  /* with DOCTOR_ERROR */
	char summary[256];        /* the verdict in one line */
	char next[512];           /* what to do next, one or more lines */
};

/* Run every check; 0, or a programmer error (verdict DOCTOR_ERROR). */
int doctor_run(struct doctor *d, struct prog *p, struct ops *o, const struct doctor_params *par);

/*
 * The clock for a session (--spi-speed auto): the fastest clock at which
 * the JEDEC ID, SR1 and the CRC-32 of the first span bytes read `repeats`
 * times agree with a read at the slowest clock.  Clocks are tried from the
 * fastest down and the first that agrees wins; the clock is left set.
 * Needs the chip detected (ops->chip).  *why gets one line for `info`.
 */
int doctor_pick_clock(struct prog *p, struct ops *o, unsigned repeats, uint32_t span,
		      uint32_t *hz, char *why, size_t whylen);

#endif
