/*
 * link: the byte transport under the protocol, a struct of function pointers
 * plus a context pointer (like flashrom's struct spi_master), so the session
 * code runs over a serial port, a pseudo-terminal or a test double alike.
 */
#ifndef LINK_H
#define LINK_H

#include "err.h"
#include "transport/bridge.h"

#include <stddef.h>
#include <stdint.h>


struct link_ops {
	const char *name;                                   /* "libserialport", "termios" */
	void (*close)(void *ctx);                           /* also frees ctx */
	/* Up to len bytes; returns the count (0 when timeout_ms passed with
	 * nothing to read) or a negative enum link_err. */
	int (*read)(void *ctx, uint8_t *buf, size_t len, unsigned timeout_ms);
	/* All len bytes or an error; LINK_E_TIMEOUT after timeout_ms. */
	int (*write)(void *ctx, const uint8_t *buf, size_t len, unsigned timeout_ms);
	int (*flush_input)(void *ctx);                      /* drop bytes not yet read */
	int (*set_baud)(void *ctx, uint32_t baud);
};

struct link {
	const struct link_ops *ops;
	void *ctx;
	uint32_t baud;
	char detail[160];       /* OS reason of the last open failure, for messages */
	struct bridge bridge;   /* the USB bridge behind the port, if known */
};

enum link_flags {
	LINK_FORCE_SERIALPORT = 1 << 0,   /* never fall back to termios */
	LINK_FORCE_TERMIOS    = 1 << 1,
};

/* Open path at baud: libserialport first, termios for pseudo-terminals. */
int link_open(struct link *l, const char *path, uint32_t baud, unsigned flags);
void link_close(struct link *l);

/* The two back ends; each fills l->ops and l->ctx on success. */
int link_serial_open(struct link *l, const char *path, uint32_t baud);
int link_tty_open(struct link *l, const char *path, uint32_t baud);

/* Port enumeration (libserialport). */
struct link_port_info {
	const char *name;           /* "/dev/ttyUSB0" */
	const char *description;
	const char *manufacturer;   /* NULL if unknown */
	const char *product;
	const char *serial;
	int usb;                    /* vid and pid valid */
	uint16_t vid, pid;
};
/* Calls cb for each port; returns the count or a negative enum link_err. */
int link_list_ports(void (*cb)(void *arg, const struct link_port_info *p), void *arg);

#endif
