/*
 * bridge: the USB bridge behind a port and its latency (bridge.h).
 */
#include "transport/bridge.h"
#include "transport/ports.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/ioctl.h>
#include <linux/serial.h>
#endif

/* One line of a sysfs file as a number; -1 if absent or not a number. */
static long read_num(const char *path, int base)
{
	char line[32], *end;
	FILE *f = fopen(path, "r");
	long v;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	v = strtol(line, &end, base);
	return end == line ? -1 : v;
}

int bridge_sysfs(const char *sysfs, const char *tty, uint16_t *vid, uint16_t *pid,
		 int *latency_ms)
{
	char dev[PATH_MAX], path[PATH_MAX + 32];
	int up;

	*latency_ms = -1;
	/* the tty's device: the usb-serial port (ttyUSB*) or the USB
	 * interface (ttyACM*); its latency_timer is ftdi_sio's */
	snprintf(path, sizeof(path), "%s/class/tty/%s/device", sysfs, tty);
	if (!realpath(path, dev))
		return -1;
	snprintf(path, sizeof(path), "%s/latency_timer", dev);
	*latency_ms = (int)read_num(path, 10);
	/* idVendor sits on the USB device, one or two levels up */
	for (up = 0; up < 3; up++) {
		long v, p;
		char *slash;

		snprintf(path, sizeof(path), "%s/idVendor", dev);
		v = read_num(path, 16);
		snprintf(path, sizeof(path), "%s/idProduct", dev);
		p = read_num(path, 16);
		if (v >= 0 && p >= 0) {
			*vid = (uint16_t)v;
			*pid = (uint16_t)p;
			return 0;
		}
		slash = strrchr(dev, '/');
		if (!slash || slash == dev)
			break;
		*slash = '\0';
	}
	return -1;
}

#ifdef __linux__
/* Set ASYNC_LOW_LATENCY on fd: "" if set (or already), else why not. */
static const char *low_latency(struct bridge *b, int fd)
{
	struct serial_struct ss;

	if (ioctl(fd, TIOCGSERIAL, &ss))
		return "the driver has no low-latency flag";
	if (ss.flags & ASYNC_LOW_LATENCY)
		return "";
	ss.flags |= ASYNC_LOW_LATENCY;
	if (ioctl(fd, TIOCSSERIAL, &ss))
		return errno == EPERM ? "the driver refused low latency" :
					"low latency could not be set";
	b->fd = fd;
	b->restore = 1;
	return "";
}
#endif

void bridge_open(struct bridge *b, const char *path, int fd, const char *sysfs)
{
	char real[PATH_MAX], how[96] = "";
	const char *tty, *what, *why = "";
	size_t o;

	memset(b, 0, sizeof(*b));
	b->latency_ms = -1;
	b->hold_ms = BRIDGE_HOLD_UNKNOWN_MS;
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	if (!strncmp(real, "/dev/pts/", 9) || !strcmp(real, "/dev/ptmx")) {
		snprintf(b->text, sizeof(b->text), "none known (a pseudo-terminal)");
		b->hold_ms = 0;        /* a pty passes each write on at once */
		return;
	}
#ifdef __linux__
	if (fd >= 0)
		why = low_latency(b, fd);
#else
	(void)fd;
#endif
	tty = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	b->usb = !bridge_sysfs(sysfs, tty, &b->vid, &b->pid, &b->latency_ms);
	if (!b->usb) {
		snprintf(b->text, sizeof(b->text), "none known (%.64s is not a USB port)", tty);
#ifdef __linux__
		b->hold_ms = 0;        /* sysfs knows: a UART of this machine's own */
#endif
		return;
	}
	if (b->latency_ms >= 0)
		b->hold_ms = (unsigned)b->latency_ms;
	what = ports_guess(b->vid, b->pid);
	o = (size_t)snprintf(b->text, sizeof(b->text), "%s, USB %04x:%04x",
			     what ? what : "a USB bridge not in spiflash's list", b->vid, b->pid);
	if (b->latency_ms >= 0)
		snprintf(how, sizeof(how), ", latency timer %d ms", b->latency_ms);
	if (b->restore)
		strncat(how, " (low latency set)", sizeof(how) - strlen(how) - 1);
	else if (*why)
		snprintf(how + strlen(how), sizeof(how) - strlen(how), " (%s)", why);
	snprintf(b->text + o, sizeof(b->text) - o, "%s", how);
}

void bridge_close(struct bridge *b)
{
#ifdef __linux__
	struct serial_struct ss;

	if (b->restore && !ioctl(b->fd, TIOCGSERIAL, &ss)) {
		ss.flags &= ~ASYNC_LOW_LATENCY;
		ioctl(b->fd, TIOCSSERIAL, &ss);
	}
#endif
	b->restore = 0;
}
