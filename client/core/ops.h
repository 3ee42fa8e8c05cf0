/*
 * ops: the flash algorithms (detect, read, write, verify, erase, blank) over
 * a dev session.  Buffers are in memory; the caller does the files.  Never
 * prints: progress through a callback, and the detail of the last error
 * (addresses, IDs, what to do) in ops.msg.
 */
#ifndef OPS_H
#define OPS_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#include "chips/chips.h"
#include "prog/prog.h"

#define OPS_SECTOR 4096u     /* smallest erase block of every supported part */


typedef void (*ops_progress_fn)(void *arg, const char *phase, uint64_t done, uint64_t total);

struct ops_stats {
	unsigned sectors_skipped;     /* already held the wanted bytes */
	unsigned sectors_program_only;/* only 1->0 changes: programmed without erase */
	unsigned erases_4k, erases_32k, erases_64k, erases_chip;
	unsigned pages_programmed, pages_skipped;
	uint64_t bytes_read;
	unsigned blocks_reread;       /* stream blocks read again (damaged or disowned) */
};

struct ops {
	struct prog *prog;
	struct chip chip;          /* valid after ops_detect */
	uint8_t jedec[3];
	int generic;               /* chip was guessed from the ID */
	ops_progress_fn progress;
	void *progress_arg;
	unsigned read_passes;      /* extra full reads compared with the first (0: none) */
	uint64_t stream_base, stream_total;   /* progress across read passes */
	struct ops_stats stats;
	/* after OPS_E_MISMATCH / OPS_E_NOTBLANK */
	uint32_t bad_addr;
	uint8_t bad_chip, bad_want;
	char msg[256];             /* detail of the last error, lowercase */
};

void ops_init(struct ops *o, struct prog *p, ops_progress_fn fn, void *arg);

/* Read the JEDEC ID, find the part, tell the device its geometry. */
int ops_detect(struct ops *o);
/* Check [addr, addr+len) lies inside the chip; OPS_E_RANGE with a message. */
int ops_check_range(struct ops *o, uint64_t addr, uint64_t len);
/* SR1, SR2, SR3 as the part has them; *have gets bit n for SRn+1 read. */
int ops_read_status(struct ops *o, uint8_t sr[3], unsigned *have);
/* OPS_E_PROTECTED when block protection is on, with the registers in msg. */
int ops_check_writable(struct ops *o);

/* Read len bytes, each block checked against the device's CRC32. */
int ops_read(struct ops *o, uint32_t addr, uint8_t *buf, uint32_t len);
/* Compare the chip with want: OPS_E_MISMATCH and bad_addr on the first
 * difference. */
int ops_verify(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len);
/* Blank check: OPS_E_NOTBLANK and bad_addr on the first byte not FF. */
int ops_blank(struct ops *o, uint32_t addr, uint32_t len);

/* Write want to [addr, addr+len): only the erase blocks the range touches,
 * bytes outside the range preserved, unchanged sectors skipped, 1->0 changes
 * programmed without erase.  Verifies the touched sectors unless !verify. */
int ops_write(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len, int verify);
/* Erase [addr, addr+len) to FF, preserving bytes outside it. */
int ops_erase(struct ops *o, uint32_t addr, uint32_t len, int verify);
/* Chip erase (C7h) with the datasheet maximum as deadline, then a blank check
 * unless !verify. */
int ops_erase_chip(struct ops *o, int verify);

#endif
