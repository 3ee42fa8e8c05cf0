/*
 * emu_spi: the SPI bus between simavr's ATmega328P and the flash chip model,
 * with the byte timing of the silicon.
 *
 * Stock simavr 1.6 completes every SPI byte 100 us after SPDR is written,
 * whatever SPCR says.  This module takes over SPDR (write and read) and SPSR
 * so that a byte completes after 8 x the SCK divider (16 cycles at F_CPU/2),
 * SPIF is set and the interrupt raised as the stock model does, and SPIF is
 * cleared the way the datasheet says: reading SPSR with SPIF set, then
 * accessing SPDR.  Firmware that skips the SPSR poll therefore breaks here as
 * it would on a board.
 *
 * The chip hangs on simavr's SPI IRQs (the MOSI byte on SPI_IRQ_OUTPUT, the
 * answer on SPI_IRQ_INPUT) and on PORTB pin 2 (Arduino D10) as chip select,
 * active low.
 */
#ifndef EMU_SPI_H
#define EMU_SPI_H

#include <stdint.h>

#include "sim_avr.h"
#include "avr_spi.h"
#include "flashchip.h"

struct emu_spi {
	avr_t *avr;
	avr_spi_t *port;          /* simavr's SPI peripheral (vector, regbits) */
	struct fc_chip *chip;
	avr_irq_t *irq;           /* SPI_IRQ_* of port */
	avr_irq_t *cs_irq;        /* PORTB pin 2 */
	int verbose;

	int selected;             /* chip select is low */
	uint32_t select_gen;      /* bumps on every chip-select edge */
	uint32_t xfer_gen;        /* select_gen when the byte in flight started */
	int busy;                 /* a byte is being shifted */
	int spif_seen;            /* SPSR was read with SPIF set (clear half one) */
	uint8_t mosi;             /* byte in flight */
	uint8_t rx;               /* SPDR read buffer: MISO of the last byte */

	uint64_t bytes;           /* bytes shifted while the chip was selected */
	uint64_t bytes_idle;      /* bytes shifted with chip select high */
	uint64_t collisions;      /* SPDR written during a transfer (WCOL) */
	/* Wiring faults (emu_wiring.c): when set, each byte clocked while the
	 * chip is selected goes here instead of straight to fc_transfer. */
	uint8_t (*bus)(struct emu_spi *s, uint8_t mosi, void *ctx);
	void *bus_ctx;
};

/* Wire the bus; 0, or -1 if simavr lacks the SPI peripheral or PORTB. */
int emu_spi_init(struct emu_spi *s, avr_t *avr, struct fc_chip *chip);
/* After avr_reset(): forget the byte in flight and release chip select. */
void emu_spi_reset(struct emu_spi *s);
/* CPU cycles one byte takes at the SPI clock SPCR/SPSR set. */
uint64_t emu_spi_byte_cycles(const struct emu_spi *s);
/* Simulated time of the bus, in nanoseconds. */
uint64_t emu_spi_now_ns(const struct emu_spi *s);

#endif
