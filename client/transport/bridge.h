/*
 * bridge: what carries the bytes between this machine and the programmer's
 * UART, and asking it for low latency.
 *
 * A USB-serial bridge holds device-to-host bytes until its buffer fills or
 * a timer runs out: an FT232R waits up to its latency timer, 16 ms unless
 * told otherwise, which costs a short request/answer exchange 16 ms.  Linux
 * drivers map the serial low-latency flag (TIOCSSERIAL, ASYNC_LOW_LATENCY)
 * to the shortest timer they have (ftdi_sio: 1 ms), and ordinary users may
 * set it.  The flag is put back at close: the port is left as found.
 */
#ifndef BRIDGE_H
#define BRIDGE_H

#include <stddef.h>
#include <stdint.h>

/* What a USB bridge of unknown kind may hold bytes for: an FT232R's
 * default latency timer. */
#define BRIDGE_HOLD_UNKNOWN_MS 16u

struct bridge {
	int restore;            /* the flag was set on fd: clear it at close */
	int fd;
	int usb;                /* vid, pid valid */
	uint16_t vid, pid;
	int latency_ms;         /* the driver's latency timer after open; -1: none known */
	unsigned hold_ms;       /* the longest it may hold device-to-host bytes */
	/* "FTDI FT232R (Nano, Duemilanove), USB 0403:6001, latency timer 1 ms
	 * (low latency set)" */
	char text[160];
};

/*
 * Describe the port at path, open as fd (-1: do not touch it), and on Linux
 * ask its driver for low latency.  sysfs is the root of sysfs ("/sys"; a
 * test's own tree in the unit tests).  Never fails: what is not known is
 * said so in text.
 */
void bridge_open(struct bridge *b, const char *path, int fd, const char *sysfs);
/* Put the low-latency flag back as it was. */
void bridge_close(struct bridge *b);

/* The port's USB IDs and latency timer from sysfs: 0, or -1 if the port
 * has no USB device behind it there. */
int bridge_sysfs(const char *sysfs, const char *tty, uint16_t *vid, uint16_t *pid,
		 int *latency_ms);

#endif
