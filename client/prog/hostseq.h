/*
 * hostseq: a programmer that sequences the flash chip on the host over a raw
 * SPI master (struct spi_master): write enable and its WEL check, page
 * splitting, busy polling with deadlines, 4-byte addressing, CRC-32 with
 * zlib; the same rules as the sketch's fw_flash.c.  serprog, Linux spidev
 * and the in-process chip model are raw SPI masters under it.
 */
#ifndef HOSTSEQ_H
#define HOSTSEQ_H

#include <stddef.h>
#include <stdint.h>

#include "prog/prog.h"

/*
 * A raw SPI master: xfer is one chip-select-low transaction, wn bytes out,
 * then rn bytes in; it returns 0 or a negative enum sf_err.
 */
struct spi_master {
	const char *name;           /* "serprog", "linux_spi", "dummy" */
	int (*xfer)(void *ctx, const uint8_t *w, size_t wn, uint8_t *r, size_t rn);
	size_t max_write, max_read; /* per transaction */
	void (*close)(void *ctx);   /* also frees ctx */
	/* optional (NULL): clock at most hz, *set gets the clock chosen */
	int (*set_clock)(void *ctx, uint32_t hz, uint32_t *set);
};

/*
 * Make p a programmer over the master m (owned from now on: prog_close
 * closes it; after a failure it is still the caller's).  line_baud: the serial rate with
 * the same cost per byte, for the core's read-or-erase choices;
 * serial_baud: the rate of the serial line under the master, 0 for none.
 */
int hostseq_attach(struct prog *p, const struct spi_master *m, void *mctx, uint32_t line_baud,
		   uint32_t serial_baud);

#endif
