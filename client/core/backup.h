/*
 * backup: before a write or an erase changes sectors that hold data, their
 * old contents go to a file, so a mistaken write is undone by writing that
 * file back:
 *
 *     spiflash -d PORT -f BACKUP --flash-offset ADDR write
 *
 * The file holds one contiguous run of whole 4 KiB sectors: from the first
 * sector that will change to the last (sectors in between that will not
 * change are included, so one plain write restores the run).  Which sectors
 * change is decided by the device's CRC-32 of the range's part of each
 * sector against the wanted bytes, so only sectors that change are read;
 * an erased sector (device CRC of 4 KiB of FF) holds nothing to save.
 * ADDR is in the file name ("...-0x01f000.bin") and in backup.addr.
 */
#ifndef BACKUP_H
#define BACKUP_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"
#include "core/dumps.h"


struct backup {
	char path[1024];          /* where it went; empty: nothing to save */
	uint32_t addr, len;       /* the chip range saved */
	unsigned sectors_same;    /* sectors that already hold the wanted bytes */
	unsigned sectors_dumped;  /* sectors taken from a recent dump, not read */
};

/*
 * Save the sectors of [addr, addr + len) whose bytes in the range differ
 * from want (NULL: an erase, every byte FF).  path: the file to create;
 * when it exists, "PATH.1", "PATH.2", ... (an existing backup is never
 * overwritten: after a failed write it holds the only copy of the old
 * bytes).  NULL: a new file in dir (NULL: $XDG_STATE_HOME/spiflash, or
 * ~/.local/state/spiflash), named CHIP-YYYYmmdd-HHMMSS-PID-0xADDR.bin.
 * dumps: recent dumps of this chip (dumps.h), or NULL: a sector whose
 * bytes in one of them have the chip's CRC is taken from it, not read.
 * Returns 0, an ops/dev error (o->msg), or BACKUP_E_FILE with msg.
 */
int backup_save(struct ops *o, const char *path, const char *dir, uint32_t addr,
		const uint8_t *want, uint32_t len, const struct dumps *dumps, struct backup *b,
		char *msg, size_t msglen);


/* The line to print after a backup: where, and the command that undoes the
 * change.  0 when nothing was saved. */
int backup_note(const struct backup *b, const char *target, char *buf, size_t n);

#endif
