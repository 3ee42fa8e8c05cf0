/*
 * spi_serprog: any flashrom serprog programmer (serprog-protocol.txt,
 * version 1, SPI bus) as a raw SPI master for dev (struct dev_spi_master),
 * over an open link.  O_SPIOP is the transaction; everything else the
 * spiflash sketch would do is sequenced on the host by dev_spi.c.
 */
#ifndef SPI_SERPROG_H
#define SPI_SERPROG_H

#include <stddef.h>
#include <stdint.h>

#include "prog/dev.h"
#include "transport/link.h"

#define SPI_SERPROG_SYNC_MS  3000   /* flashrom allows ~5 s */
#define SPI_SERPROG_AUTO_SYNC_MS 1200 /* after the sketch's HELLOs went unanswered */
#define SPI_SERPROG_WRITE_CAP 4096  /* bytes per O_SPIOP we send at most */

/*
 * Synchronise (NOP, SYNCNOP), check the interface version and the command
 * map, select the SPI bus, read the limits and the name, enable the pin
 * drivers; then start a dev session over it (dev_open_spi), at spi_hz if
 * not 0 (S_SPI_FREQ).  On failure, msg says what went wrong.  dev_close
 * disables the drivers again and frees the master; the link stays open.
 */
int spi_serprog_attach(struct dev *d, struct link *l, unsigned sync_ms, uint32_t spi_hz,
		       char *msg, size_t msglen);

/* The programmer's name (Q_PGMNAME), "" if it has none. */
const char *spi_serprog_name(const struct dev *d);

#endif
