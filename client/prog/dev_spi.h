/*
 * dev_spi: the dev_* requests carried out on the host over a raw SPI master
 * (struct dev_spi_master in dev.h).  Private to dev: dev.c, dev_cmd.c and
 * dev_stream.c call these when d->spi is set.  Results are those of the
 * sketch: 0, DEV_E_REMOTE + a proto_status (E_WEL, E_TIMEOUT, E_BUSY,
 * E_CHIP, E_ARG), or the master's own negative enum dev_err.
 */
#ifndef DEV_SPI_H
#define DEV_SPI_H

#include "prog/dev.h"
#include "prog/dev_stream.h"

void dev_spi_hello(struct dev *d);
int dev_spi_close(struct dev *d);
int dev_spi_set_clock(struct dev *d, uint32_t hz, uint32_t *set);
int dev_spi_chip(struct dev *d, const struct proto_chip *c);
int dev_spi_jedec(struct dev *d, uint8_t *id, uint8_t n);
int dev_spi_sfdp(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len);
int dev_spi_read(struct dev *d, uint32_t addr, uint8_t *buf, uint32_t len);
int dev_spi_program(struct dev *d, uint32_t addr, const uint8_t *buf, size_t len,
		    unsigned t_page_max_ms, unsigned page_size);
int dev_spi_erase(struct dev *d, uint32_t addr, uint8_t opcode, uint32_t max_ms);
int dev_spi_read_sr(struct dev *d, uint8_t opcode, uint8_t *val);
int dev_spi_write_sr(struct dev *d, uint8_t opcode, uint8_t flags, const uint8_t *val,
		     uint8_t n, uint16_t max_ms);
int dev_spi_crc32(struct dev *d, uint32_t addr, uint32_t len, uint32_t *crc);
int dev_spi_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit,
			uint32_t *crcs);
int dev_spi_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first);
int dev_spi_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen);
int dev_spi_read_stream(struct dev *d, uint32_t addr, uint32_t len, uint16_t block,
			uint8_t flags, uint8_t *buf, uint8_t *state,
			dev_stream_progress_fn progress, void *arg);

#endif
