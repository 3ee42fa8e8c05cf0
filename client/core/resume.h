/*
 * resume: a write or an erase that stops between erasing a sector and
 * programming it again loses the bytes of that sector outside the range
 * (ops_write keeps them in memory only).  The backup (backup.h) holds them;
 * this journal remembers which backup belongs to an unfinished command, so
 * that running the same command again puts them back:
 *
 *   before the first change   resume_add: "LO HI PATH" appended to
 *                             STATE/pending-JEDEC.txt (fsync'd)
 *   after success             resume_done: the lines inside the finished
 *                             sectors dropped
 *   on the next write/erase   resume_plan: for the first and the last sector
 *                             of the range, when the part outside the range
 *                             matches a pending backup except for bytes
 *                             left erased (FF), the range grows to the whole
 *                             sector and those bytes come from the backup
 *
 * Only bytes the failed run left erased are restored, and only when every
 * other byte there still matches the backup, so a deliberate change made in
 * between is never undone.  Without a backup (--no-backup) nothing
 * can be restored.  STATE is the backup directory.
 */
#ifndef RESUME_H
#define RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"

struct resume {
	char journal[1024];      /* empty: no journal (no state directory) */
	uint32_t lo, hi;         /* the range after resume_plan */
	uint8_t *want;           /* its bytes (owned), NULL: unchanged */
	unsigned restored;       /* bytes around the range taken from a backup */
	char from[1024];         /* the backup they came from */
	char guard[2][1024];     /* resume_guard's files, deleted by resume_done */
	unsigned nguard;
	char msg[1200];          /* why resume_init or resume_add failed */
};

/* Journal of the chip with this ID in dir (NULL: the state directory,
 * state.h): 0, or STATE_E_DIR with r->msg. */
int resume_init(struct resume *r, const char *dir, const uint8_t id[3]);
/* Plan [lo, lo + len) with want (NULL: erase): r->lo/hi/want.  0 or an ops
 * error (reading the edge sectors) or OPS_E_NOMEM. */
int resume_plan(struct resume *r, struct ops *o, uint32_t lo, const uint8_t *want,
		uint32_t len);
/* Journal a backup before the change it guards: 0, or BACKUP_E_JOURNAL with
 * r->msg (then the change must not start). */
int resume_add(struct resume *r, uint32_t lo, uint32_t hi, const char *backup);
/*
 * With --no-backup: the bytes around the range in its first and last sector
 * are not the user's to lose, so those (at most two) sectors, if they
 * change, are still saved to the state directory and journaled; resume_done
 * deletes them.  0, an ops/dev error, or BACKUP_E_FILE with msg.
 */
int resume_guard(struct resume *r, struct ops *o, uint32_t lo, const uint8_t *want,
		 uint32_t len, char *msg, size_t msglen);
/*
 * The undo of a run that follows unfinished ones: the bytes of the chip as
 * they were before the first of them.  The backups still pending in the
 * journal that overlap [lo, hi) (earlier runs of the same command, each
 * interrupted) are laid over this run's backup b (NULL or empty: none),
 * the oldest last so its bytes win, and gaps are read from the chip; the
 * result goes to a new file beside the journal.  1 with *path, *addr,
 * *len set when there were earlier runs; 0 when b alone is the undo; an
 * ops error, or BACKUP_E_FILE with r->msg.  Call it before resume_add.
 */
int resume_undo(struct resume *r, struct ops *o, uint32_t lo, uint32_t hi, const char *b_path,
		uint32_t b_addr, uint32_t b_len, char *path, size_t pathlen, uint32_t *addr,
		uint32_t *len);
void resume_done(struct resume *r, uint32_t lo, uint32_t hi);
void resume_free(struct resume *r);

#endif
