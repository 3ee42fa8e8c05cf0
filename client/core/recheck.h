/*
 * recheck: is the chip still answering after a command that only listened?
 * A chip whose MISO line stops answering mid-read (a slipped clip, a dead
 * part) reads as all FF or all 00, and the device's CRC agrees with those
 * bytes: read, blank and verify would report success on data that never
 * came from the array.  Reading the JEDEC ID again at the end and comparing
 * it with the one read at the start catches every such chip that has not
 * come back by then.
 */
#ifndef RECHECK_H
#define RECHECK_H

#include <stdint.h>

#include "core/ops.h"

struct recheck {
	uint8_t id[3];
	int valid;          /* the first ID was a real one (not 00/FF) */
};

/* Read the ID the later check compares with.  0 or a dev error. */
int recheck_init(struct recheck *r, struct ops *o);
/* 0 when the ID is unchanged (or there was none to compare), else
 * OPS_E_UNSTABLE with o->msg saying what to do; or a dev error. */
int recheck_chip(const struct recheck *r, struct ops *o, const char *what);

#endif
