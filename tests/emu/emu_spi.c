/* emu_spi: SPI master timing of the ATmega328P and the flash chip on the bus. */
#include "emu_spi.h"

#include <string.h>

#include "sim_io.h"
#include "sim_core.h"
#include "sim_time.h"
#include "avr_ioport.h"

/* SPSR bits the 328P datasheet defines; simavr has a regbit only for SPIF. */
#define SPSR_SPIF  0x80
#define SPSR_WCOL  0x40
#define SPSR_SPI2X 0x01

#define CS_PORT 'B'
#define CS_PIN  2           /* Arduino D10, the SS pin of the 328P */

uint64_t emu_spi_now_ns(const struct emu_spi *s)
{
	return avr_cycles_to_nsec(s->avr, s->avr->cycle);
}

/* CPU cycles for one byte: 8 SCK periods of F_CPU/{4,16,64,128}, halved by SPI2X. */
static avr_cycle_count_t byte_cycles(const struct emu_spi *s)
{
	static const uint8_t div[4] = { 4, 16, 64, 128 };
	avr_t *avr = s->avr;
	unsigned spr = avr_regbit_get(avr, s->port->spr[0]) |
		       (avr_regbit_get(avr, s->port->spr[1]) << 1);
	avr_cycle_count_t c = 8u * div[spr];

	if (avr->data[s->port->r_spsr] & SPSR_SPI2X)
		c /= 2;
	return c;
}

uint64_t emu_spi_byte_cycles(const struct emu_spi *s)
{
	return byte_cycles(s);
}

/*
 * Second half of the datasheet's SPIF clearing rule: an SPDR access after
 * SPSR was read with SPIF set clears SPIF and WCOL.
 */
static void spdr_accessed(struct emu_spi *s)
{
	avr_t *avr = s->avr;

	if (s->spif_seen) {
		s->spif_seen = 0;
		avr_clear_interrupt(avr, &s->port->spi);
		avr->data[s->port->r_spsr] &= (uint8_t)~(SPSR_SPIF | SPSR_WCOL);
	}
}

static avr_cycle_count_t xfer_done(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct emu_spi *s = param;

	(void)when;
	s->busy = 0;
	/* Disabling the SPI mid-byte aborts the byte, as on silicon. */
	if (!avr_regbit_get(avr, s->port->spe) || !avr_regbit_get(avr, s->port->mstr))
		return 0;
	s->rx = 0xFF;                  /* what a released MISO line reads */
	/* The device answers from its SPI_IRQ_OUTPUT hook by raising SPI_IRQ_INPUT. */
	avr_raise_irq(s->irq + SPI_IRQ_OUTPUT, s->mosi);
	avr->data[s->port->r_spdr] = s->rx;
	/* Sets SPIF, and queues the vector if SPIE is set. */
	avr_raise_interrupt(avr, &s->port->spi);
	return 0;
}

static void spdr_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
	struct emu_spi *s = param;

	(void)addr;
	spdr_accessed(s);
	if (!avr_regbit_get(avr, s->port->spe) || !avr_regbit_get(avr, s->port->mstr))
		return;                /* disabled, or a slave with no master: nothing shifts */
	if (s->busy) {
		/* Write collision: the byte in flight continues, this one is lost. */
		avr->data[s->port->r_spsr] |= SPSR_WCOL;
		s->collisions++;
		return;
	}
	s->busy = 1;
	s->mosi = v;
	s->xfer_gen = s->selected ? s->select_gen : s->select_gen - 1;
	avr_cycle_timer_register(avr, byte_cycles(s), xfer_done, s);
}

static uint8_t spdr_read(avr_t *avr, avr_io_addr_t addr, void *param)
{
	struct emu_spi *s = param;

	(void)avr;
	(void)addr;
	spdr_accessed(s);
	return s->rx;
}

static uint8_t spsr_read(avr_t *avr, avr_io_addr_t addr, void *param)
{
	struct emu_spi *s = param;
	uint8_t v = avr->data[addr];

	if (v & SPSR_SPIF)
		s->spif_seen = 1;
	return v;
}

/* SPIF and WCOL are read-only: a firmware write to SPSR only sets SPI2X. */
static void spsr_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
	(void)param;
	avr->data[addr] = (uint8_t)((avr->data[addr] & (SPSR_SPIF | SPSR_WCOL)) |
				    (v & SPSR_SPI2X));
}

/* The chip: one byte each way per transfer, only while selected throughout. */
static void chip_mosi(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_spi *s = param;
	uint8_t miso = 0xFF;

	(void)irq;
	if (s->selected && s->xfer_gen == s->select_gen) {
		miso = s->bus ? s->bus(s, (uint8_t)value, s->bus_ctx) :
			 fc_transfer(s->chip, (uint8_t)value, emu_spi_now_ns(s));
		s->bytes++;
	} else {
		s->bytes_idle++;
	}
	avr_raise_irq(s->irq + SPI_IRQ_INPUT, miso);
}

static void bus_miso(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_spi *s = param;

	(void)irq;
	s->rx = (uint8_t)value;
}

static void chip_cs(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_spi *s = param;
	int low = !value;

	(void)irq;
	if (low == s->selected)
		return;
	s->selected = low;
	s->select_gen++;
	if (low)
		fc_select(s->chip, emu_spi_now_ns(s));
	else
		fc_deselect(s->chip, emu_spi_now_ns(s));
}

static avr_io_t *find_io(avr_t *avr, uint32_t ioctl)
{
	for (avr_io_t *io = avr->io_port; io; io = io->next)
		if (io->irq_ioctl_get == ioctl)
			return io;
	return NULL;
}

int emu_spi_init(struct emu_spi *s, avr_t *avr, struct fc_chip *chip)
{
	avr_io_t *io;
	avr_io_addr_t spdr;

	memset(s, 0, sizeof(*s));
	s->avr = avr;
	s->chip = chip;
	s->rx = 0xFF;

	io = find_io(avr, AVR_IOCTL_SPI_GETIRQ(0));
	if (!io || strcmp(io->kind, "spi"))
		return -1;
	s->port = (avr_spi_t *)io;      /* avr_io_t is the first member */
	s->irq = avr_io_getirq(avr, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_OUTPUT) - SPI_IRQ_OUTPUT;
	s->cs_irq = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(CS_PORT), CS_PIN);
	if (!s->cs_irq)
		return -1;

	/*
	 * Replace, not add: avr_register_io_write() would chain our handler
	 * behind the stock 100 us one, and avr_register_io_read() refuses to
	 * override.  SPSR has no stock handlers, so it is registered normally.
	 */
	spdr = AVR_DATA_TO_IO(s->port->r_spdr);
	avr->io[spdr].w.c = spdr_write;
	avr->io[spdr].w.param = s;
	avr->io[spdr].r.c = spdr_read;
	avr->io[spdr].r.param = s;
	avr_register_io_read(avr, s->port->r_spsr, spsr_read, s);
	avr_register_io_write(avr, s->port->r_spsr, spsr_write, s);

	avr_irq_register_notify(s->irq + SPI_IRQ_OUTPUT, chip_mosi, s);
	avr_irq_register_notify(s->irq + SPI_IRQ_INPUT, bus_miso, s);
	avr_irq_register_notify(s->cs_irq, chip_cs, s);
	emu_spi_reset(s);
	return 0;
}

void emu_spi_reset(struct emu_spi *s)
{
	/*
	 * After reset PB2 is an input without pull-up; the pin IRQ only fires
	 * on a change, so start it high: the first write that drives the pin
	 * low is then seen as the select it is.
	 */
	if (s->selected)
		chip_cs(s->cs_irq, 1, s);
	s->cs_irq->value = 1;
	s->busy = 0;
	s->spif_seen = 0;
	s->rx = 0xFF;
}
