/*
 * link: choose a back end for a port path.
 *
 * libserialport is the portable way and knows USB metadata, but 0.1.1 cannot
 * open a Linux pseudo-terminal (no /sys/class/tty/pts/N, TIOCMGET fails with
 * ENOTTY): the emulator and socat hand out ptys, so those go through plain
 * termios.  LINK_FORCE_SERIALPORT proves the libserialport path in tests.
 */
#include "transport/link.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int is_pty(const char *path)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return 0;
#ifdef __APPLE__
	/* macOS: /dev/ttys000 and on (not /dev/tty.usbserial-...) */
	if (!strncmp(real, "/dev/ttys", 9) && real[9] >= '0' && real[9] <= '9')
		return 1;
#endif
	return !strncmp(real, "/dev/pts/", 9) || !strcmp(real, "/dev/ptmx");
}

int link_open(struct link *l, const char *path, uint32_t baud, unsigned flags)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->baud = baud;
	if (flags & LINK_FORCE_TERMIOS)
		return link_tty_open(l, path, baud);
	if (!(flags & LINK_FORCE_SERIALPORT) && is_pty(path))
		return link_tty_open(l, path, baud);
	err = link_serial_open(l, path, baud);
	if (err == LINK_OK || (flags & LINK_FORCE_SERIALPORT))
		return err;
	/* libserialport refuses what it does not find in /sys (ptys, USB
	 * gadgets, odd drivers): termios still works on any tty */
	if (err == LINK_E_NOTTY || err == LINK_E_CONFIG)
		return link_tty_open(l, path, baud);
	return err;
}

void link_close(struct link *l)
{
	if (l->ops) {
		bridge_close(&l->bridge);
		l->ops->close(l->ctx);
	}
	l->ops = NULL;
	l->ctx = NULL;
}

