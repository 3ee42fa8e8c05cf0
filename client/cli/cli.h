/*
 * cli: what the command-line client's files share: the context of one run,
 * the exit codes, error reporting and the command functions.  main.c parses
 * and dispatches, cli_session.c connects and maps errors to exit codes,
 * cli_cmds.c runs the commands.  Only these files print.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>

#include "chips/chips.h"
#include "prog/prog.h"
#include "transport/link.h"
#include "transport/lock.h"
#include "core/ops.h"
#include "cli/opts.h"
#include "cli/progress.h"
#include "core/recheck.h"
#include "cli/region.h"
#include "cli/report.h"
#include "cli/interrupt.h"
#include "core/backup.h"

#define SPIFLASH_VERSION "0.1.0"

enum exit_code {
	EXIT_OK = 0,
	EXIT_ERROR = 1,      /* file/IO or other error */
	EXIT_USAGE = 2,
	EXIT_DEVICE = 3,     /* cannot open port, no answer, not a spiflash device */
	EXIT_CHIP = 4,       /* no chip, unknown chip, protected, busy timeout */
	EXIT_MISMATCH = 5,   /* verify mismatch, not blank */
};


struct ctx {
	struct opts o;
	struct link link;
	struct prog pgm;           /* the programmer (prog.h) */
	int pgm_open;
	int no_port;                /* the programmer has no port: -d names none */
	struct ops ops;
	struct progress prog;
	struct lock lock;
	struct recheck alive;      /* the JEDEC ID at attach, compared at the end */
	int link_open;
	struct report rep;         /* for --json (report.h) */
	struct region region;      /* -i NAME (region.h) */
	char picked[256];          /* the device found when -d was left out */
	struct guard guard;        /* between the core and the programmer (interrupt.h) */
	char ifd_layout[64];       /* --ifd: the descriptor's regions as a layout file */
	uint64_t trace_t0;         /* -vvv: when the trace began (clock_ms) */
};

void say(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print an error, and keep the first one for --json.  Every caller has its
 * struct ctx *c in scope (NULL before it exists): the macro passes it. */
int cerror(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define error(...) cerror(c, __VA_ARGS__)
/* Map an error of any module to an exit code, printing what went wrong. */
int fail(struct ctx *c, int err);
int session_open(struct ctx *c);
/* TIOCEXCL on the open port (1), or off again (0). */
void port_exclusive(struct ctx *c, int on);
const struct chip *forced_chip(struct ctx *c, int *rc);
int region_exit(int err);
/* Connect and detect the chip. */
int attach(struct ctx *c);

/* cli_change.c: write and erase around the core (protection, backup,
 * journal, undo, the state after a stop) */
int cli_may_write(struct ctx *c, uint32_t addr, uint32_t len);
int cli_save_old(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len,
		 struct backup *b, int note);
int cli_change(struct ctx *c, uint32_t addr, const uint8_t *want, uint32_t len);

int cmd_read(struct ctx *c);
/* read with several -i into one file (cli_cmds.c) */
int cmd_read_regions(struct ctx *c, const struct opts *base);
int cmd_write(struct ctx *c);
int cmd_verify(struct ctx *c);
int cmd_erase(struct ctx *c);
int cmd_blank(struct ctx *c);
int cmd_info(struct ctx *c);
int cmd_protect(struct ctx *c);
int cmd_unprotect(struct ctx *c);
int cmd_ports(struct ctx *c);
int cmd_doctor(struct ctx *c);
int cmd_identify(struct ctx *c);
int cmd_diff(struct ctx *c);
/* --ifd: the descriptor's regions (image or chip) into a layout file */
int ifd_layout(struct ctx *c, char *path, size_t pathlen);
/* --spi-speed auto: pick the session's clock once the chip is detected;
 * *why says which and why ("" without auto).  0 or an error for fail(). */
int session_auto_clock(struct ctx *c, char *why, size_t whylen);
int session_clock_auto(const struct ctx *c);

#endif
