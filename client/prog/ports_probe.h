/*
 * ports_probe: which serial ports have a programmer behind them, for
 * 'ports --probe' and for choosing the device when -d is left out.
 */
#ifndef PORTS_PROBE_H
#define PORTS_PROBE_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ports_kind {
	PORTS_UNPROBED = 0,
	PORTS_NOTHING,             /* opened, nothing we know answered */
	PORTS_SPIFLASH,            /* the spiflash sketch said HELLO */
	PORTS_SERPROG,             /* a serprog programmer answered SYNCNOP */
	PORTS_BUSY,                /* another spiflash holds it */
	PORTS_NOOPEN,              /* cannot be opened (permission, gone) */
};


struct ports_entry {
	char name[256];
	int usb;
	uint16_t vid, pid;
	char description[128];
	const char *guess;         /* ports_guess(), or NULL */
	enum ports_kind kind;
	char board[17];            /* from HELLO, when kind is PORTS_SPIFLASH */
};

struct ports_set {
	struct ports_entry *e;
	unsigned n;
};

/* The ports to consider: those in list (colon-separated, the value of
 * SPIFLASH_PORTS) if not NULL, else every port the system lists.  0 or a
 * negative enum ports_err. */
int ports_collect(struct ports_set *s, const char *list);
void ports_free(struct ports_set *s);

/* Open path and ask: HELLO (waiting out an Uno's reset), then serprog's
 * SYNCNOP.  board gets the sketch's board name (17 bytes) if it answers. */
enum ports_kind ports_probe(const char *path, char *board);

/* Probe every USB port of s (and every port of an explicit list: those are
 * the ones the user named); others stay PORTS_UNPROBED.  A serial port
 * without USB is a PC's COM port or a console: opening it proves nothing. */
void ports_probe_all(struct ports_set *s, int explicit_list);

/* The one programmer of s: 0 with dev filled, PORTS_E_NONE or PORTS_E_MANY
 * with msg listing what was found. */
int ports_pick(const struct ports_set *s, char *dev, size_t devlen, char *msg, size_t msglen);

const char *ports_kind_name(enum ports_kind k);

/* -d left out: collect (list as in ports_collect), probe, pick. */
int ports_find_one(const char *list, char *dev, size_t devlen, char *msg, size_t msglen);


/* Another process has the port open: 1 with "in use by NAME (pid N)" in
 * who (ports_busy.c), else 0.  The port itself is not opened. */
int ports_busy(const char *path, char *who, size_t wholen);

#endif
