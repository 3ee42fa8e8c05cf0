/*
 * lock: one port, one spiflash.  An exclusive flock(2) on the device node,
 * taken before the link opens and held until the end, so a second spiflash
 * on the same port is refused at once instead of interleaving its frames
 * with the first one's.
 */
#ifndef LOCK_H
#define LOCK_H

#include "err.h"

#include <stddef.h>


struct lock {
	int fd;                 /* -1: nothing held */
};

/* Take the lock of path without waiting.  A node that cannot be opened is
 * not an error here: the link's open reports it better.  0 or LOCK_E_BUSY. */
int lock_take(struct lock *l, const char *path, char *msg, size_t msglen);
void lock_release(struct lock *l);

#endif
