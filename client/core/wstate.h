/*
 * wstate: after a write or an erase failed, what state is its range in?
 * Each 4 KiB sector of the range is asked for its device CRC-32 and compared
 * with the wanted bytes, with all FF and with the old bytes (the backup):
 *
 *   state of 0x003000-0x007fff: 0x003000-0x004fff done, 0x005000-0x005fff
 *   erased, 0x006000-0x007fff as before
 *
 * "partly written" is a sector that matches none of them.  Only when the
 * device still answers; a link that failed leaves the state unknown.
 */
#ifndef WSTATE_H
#define WSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"

/* want NULL: an erase.  old_path/old_lo: the backup of the sectors (NULL:
 * none).  0 with the sentence in buf, or the dev error that stopped it. */
int wstate_describe(struct ops *o, uint32_t lo, const uint8_t *want, uint32_t len,
		    const char *old_path, uint32_t old_lo, uint32_t old_len, char *buf,
		    size_t n);

#endif
