/*
 * emu_wiring: the wiring and supply faults of emu_wiring.h.  The SPI bus
 * hands each selected byte to emu_spi's bus hook; PINB reads pass through
 * here so MISO's level (bit 4) is the line's; the ADC asks here for A0.
 */
#include "emu_wiring.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_io.h"
#include "sim_time.h"
#include "avr_adc.h"
#include "avr_ioport.h"
#include "spinor.h"

/* ATmega328P data addresses */
#define EMU_PINB  0x23
#define EMU_PORTB 0x25
#define EMU_DDRB  0x24
#define EMU_PORTC 0x28
#define EMU_SPCR  0x4C
#define EMU_SPE   0x40
#define EMU_SCK_BIT  5      /* PB5, D13 */
#define EMU_MOSI_BIT 3      /* PB3, D11 */
#define EMU_MISO_BIT 4      /* PB4, D12 */
#define EMU_A0_BIT   0      /* PC0 */
#define EMU_AVCC_MV  5000u

static uint32_t rnd(struct emu_wiring *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return (uint32_t)(w->rng >> 11);
}

/* "4M", "500k", "4000000" */
static int parse_hz(const char *s, uint32_t *hz)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1000, end++;
	else if (*end == 'M')
		v *= 1000000, end++;
	if (*end && *end != ':')
		return -1;
	*hz = (uint32_t)v;
	return 0;
}

static int parse_mv(const char *s, uint32_t *mv)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 6000)
		return -1;
	*mv = (uint32_t)v;
	return 0;
}

int emu_wiring_parse(const char *wiring, const char *vcc, struct emu_wiring *w,
		     char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	memset(w, 0, sizeof(*w));
	w->rng = 0x9E3779B97F4A7C15ull;
	if (wiring) {
		if (strlen(wiring) >= sizeof(buf)) {
			snprintf(err, errlen, "--wiring too long");
			return -1;
		}
		strcpy(buf, wiring);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "miso-float"))
				w->float_miso = 1;
			else if (!strcmp(tok, "swap"))
				w->swap = 1;
			else if (!strcmp(tok, "hold-low"))
				w->hold_low = 1;
			else if (!strcmp(tok, "wp-low"))
				w->wp_low = 1;
			else if (!strncmp(tok, "marginal=", 9)) {
				const char *colon = strchr(tok + 9, ':');
				uint32_t ppm = 2000;

				if (parse_hz(tok + 9, &w->marginal_hz) || !w->marginal_hz) {
					snprintf(err, errlen, "--wiring '%s': expected marginal=HZ[:PPM]", tok);
					return -1;
				}
				if (colon) {
					char *end;

					ppm = (uint32_t)strtoul(colon + 1, &end, 10);
					if (*end || ppm > 1000000) {
						snprintf(err, errlen, "--wiring '%s': PPM up to 1000000", tok);
						return -1;
					}
				}
				w->marginal_ppm = ppm;
			} else {
				snprintf(err, errlen, "--wiring '%s': expected miso-float, swap, hold-low, wp-low or marginal=HZ[:PPM]",
					 tok);
				return -1;
			}
		}
	}
	if (vcc) {
		if (strlen(vcc) >= sizeof(buf)) {
			snprintf(err, errlen, "--vcc too long");
			return -1;
		}
		strcpy(buf, vcc);
		save = NULL;
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int bad;

			if (!strncmp(tok, "sag=", 4))
				bad = parse_mv(tok + 4, &w->sag_mv);
			else if (!strncmp(tok, "weak=", 5))
				bad = parse_mv(tok + 5, &w->weak_mv);
			else if (tok == buf)
				bad = parse_mv(tok, &w->vcc_mv) || !w->vcc_mv;
			else
				bad = 1;
			if (bad) {
				snprintf(err, errlen, "--vcc '%s': expected MV[,sag=MV][,weak=MV] (millivolts)",
					 vcc);
				return -1;
			}
		}
	}
	return 0;
}

/* MISO as the AVR sees it when nothing drives it. */
static uint8_t floating_byte(struct emu_wiring *w)
{
	if (w->avr->data[EMU_PORTB] & (1u << EMU_MISO_BIT))
		return 0xFF;
	return (uint8_t)rnd(w);
}

static uint32_t spi_clock_hz(const struct emu_spi *s)
{
	return (uint32_t)(8ull * s->avr->frequency / emu_spi_byte_cycles(s));
}

static uint8_t bus_byte(struct emu_spi *s, uint8_t mosi, void *ctx)
{
	struct emu_wiring *w = ctx;
	uint8_t miso;

	if (w->float_miso || w->swap || w->hold_low)
		return floating_byte(w);
	miso = fc_transfer(s->chip, mosi, emu_spi_now_ns(s));
	if (w->marginal_hz && spi_clock_hz(s) > w->marginal_hz &&
	    rnd(w) % 1000000u < w->marginal_ppm) {
		miso ^= (uint8_t)(1u << (rnd(w) & 7));
		w->flips++;
	}
	return miso;
}

static int spi_off(const struct emu_wiring *w)
{
	return !(w->avr->data[EMU_SPCR] & EMU_SPE);
}

/*
 * PORTB written with the SPI off: on a rising SCK edge with the chip
 * selected, a swapped wiring clocks the AVR's MISO pin (PB4, an output now)
 * into the chip's DI, and the chip's DO reaches the AVR's MOSI pin (PB3).
 * The chip model takes a byte at a time and its answer to a byte never
 * depends on that byte, so the byte out is known from a copy of the chip
 * clocked with FF at the first edge, the real chip clocked at the eighth.
 */
static void portb_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
	struct emu_wiring *w = param;
	struct emu_spi *s = w->spi;
	uint8_t rise = (uint8_t)(v & ~w->last_portb & (1u << EMU_SCK_BIT));

	(void)addr;
	w->last_portb = v;
	if (!w->swap || !rise || !spi_off(w) || !s->selected ||
	    !(avr->data[EMU_DDRB] & (1u << EMU_SCK_BIT)))
		return;
	if (w->bb_gen != s->select_gen) {
		w->bb_gen = s->select_gen;
		w->bb_bits = 0;
	}
	if (w->bb_bits == 0) {
		struct fc_chip copy = *s->chip;

		w->bb_out = fc_transfer(&copy, 0xFF, emu_spi_now_ns(s));
		w->bb_in = 0;
	}
	w->bb_in = (uint8_t)((w->bb_in << 1) | ((v >> EMU_MISO_BIT) & 1));
	w->bb_do = (uint8_t)((w->bb_out >> (7 - w->bb_bits)) & 1);
	if (++w->bb_bits == 8) {
		fc_transfer(s->chip, w->bb_in, emu_spi_now_ns(s));
		w->bb_bits = 0;
	}
}

/* PINB: simavr's value, with MISO's level put in bit 4 (an input), and
 * with the SPI off, what the MOSI pin (an input then) sees in bit 3. */
static uint8_t pinb_read(avr_t *avr, avr_io_addr_t addr, void *param)
{
	struct emu_wiring *w = param;
	uint8_t v = w->pin_read ? w->pin_read(avr, addr, w->pin_param) : avr->data[addr];
	const struct fc_chip *chip = w->spi->chip;
	uint8_t ddr = avr->data[EMU_DDRB], level;

	if (chip->fault.miso_stuck && !w->float_miso && !w->swap && !w->hold_low)
		level = chip->fault.miso_value >> 7;
	else
		level = floating_byte(w) >> 7;
	if (!(ddr & (1u << EMU_MISO_BIT)))
		v = (uint8_t)((v & ~(1u << EMU_MISO_BIT)) | (level << EMU_MISO_BIT));
	if (spi_off(w) && !(ddr & (1u << EMU_MOSI_BIT))) {
		if (w->swap && w->spi->selected)
			level = w->bb_do;           /* the chip's DO */
		else if (avr->data[EMU_PORTB] & (1u << EMU_MOSI_BIT))
			level = 1;                  /* the chip's DI: only the pull-up */
		else
			level = (uint8_t)(rnd(w) & 1);
		v = (uint8_t)((v & ~(1u << EMU_MOSI_BIT)) | (level << EMU_MOSI_BIT));
	}
	avr->data[addr] = v;
	return v;
}

/* A conversion starts: A0 gets the chip's VCC, or what an open pin reads. */
static void adc_trigger(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_wiring *w = param;
	avr_irq_t *in = avr_io_getirq(w->avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0);
	const struct fc_chip *chip = w->spi->chip;
	uint64_t now = emu_spi_now_ns(w->spi);
	uint32_t mv;

	(void)irq;
	(void)value;
	if (!in)
		return;
	if (!w->vcc_mv) {
		mv = (w->avr->data[EMU_PORTC] & (1u << EMU_A0_BIT)) ? EMU_AVCC_MV :
		     rnd(w) % EMU_AVCC_MV;
	} else {
		mv = w->vcc_mv;
		if (w->sag_mv && chip->busy_until > now)
			mv = w->sag_mv;
		if (w->weak_mv && (w->spi->selected || chip->busy_until > now) &&
		    w->weak_mv < mv)
			mv = w->weak_mv;
	}
	avr_raise_irq(in, mv);
}

int emu_wiring_init(struct emu_wiring *w, avr_t *avr, struct emu_spi *spi)
{
	avr_io_addr_t pin = AVR_DATA_TO_IO(EMU_PINB);
	avr_irq_t *trig;

	w->avr = avr;
	w->spi = spi;
	avr->vcc = EMU_AVCC_MV;
	avr->avcc = EMU_AVCC_MV;
	spi->chip->fault.wp_low = (uint8_t)w->wp_low;
	if (w->wp_low)
		spi->chip->sr1 |= SPINOR_SR1_SRP0;
	spi->bus = bus_byte;
	spi->bus_ctx = w;
	/* wrap simavr's PINB read, as emu_spi does SPDR */
	w->pin_read = avr->io[pin].r.c;
	w->pin_param = avr->io[pin].r.param;
	avr->io[pin].r.c = pinb_read;
	avr->io[pin].r.param = w;
	avr_register_io_write(avr, EMU_PORTB, portb_write, w);
	trig = avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_OUT_TRIGGER);
	if (!trig)
		return -1;
	avr_irq_register_notify(trig, adc_trigger, w);
	return 0;
}
