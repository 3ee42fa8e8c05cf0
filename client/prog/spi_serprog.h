/*
 * spi_serprog: any flashrom serprog programmer (serprog-protocol.txt,
 * version 1, SPI bus) as a raw SPI master under hostseq (struct spi_master),
 * over an open link.  O_SPIOP is the transaction; everything else the
 * spiflash sketch would do is sequenced on the host by hostseq.c.
 */
#ifndef SPI_SERPROG_H
#define SPI_SERPROG_H

#include <stddef.h>
#include <stdint.h>

#include "prog/hostseq.h"
#include "transport/link.h"

#define SPI_SERPROG_SYNC_MS  3000   /* flashrom allows ~5 s */
#define SPI_SERPROG_AUTO_SYNC_MS 1200 /* after the sketch's HELLOs went unanswered */
#define SPI_SERPROG_WRITE_CAP 4096  /* bytes per O_SPIOP we send at most */

/*
 * Synchronise (NOP, SYNCNOP), check the interface version and the command
 * map, select the SPI bus, read the limits and the name, enable the pin
 * drivers; then make p a host-sequenced programmer over it (hostseq), at
 * spi_hz if not 0 (S_SPI_FREQ).  On failure, p->msg says what went wrong.
 * prog_close disables the drivers again and frees the master; the link
 * stays open.
 */
int spi_serprog_attach(struct prog *p, struct link *l, unsigned sync_ms, uint32_t spi_hz);

/* -p serprog: over the serial link the caller opened (prog_params.link) */
extern const struct prog_driver prog_serprog_driver;

#endif
