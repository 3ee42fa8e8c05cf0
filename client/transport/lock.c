/* lock: an exclusive, non-blocking flock on the serial device node. */
#include "transport/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int lock_take(struct lock *l, const char *path, char *msg, size_t msglen)
{
	l->fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (l->fd < 0)
		return 0;
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK) {
		/* a node without flock support: go on unlocked */
		close(l->fd);
		l->fd = -1;
		return 0;
	}
	snprintf(msg, msglen, "'%s' is in use by another spiflash: wait until it has finished (two programs on one port would mix their bytes)",
		 path);
	close(l->fd);
	l->fd = -1;
	return LOCK_E_BUSY;
}

void lock_release(struct lock *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
