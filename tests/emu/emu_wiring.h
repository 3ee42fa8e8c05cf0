/*
 * emu_wiring: wiring and supply faults between the AVR and the flash chip,
 * for `spiflash doctor`.
 *
 *   --wiring miso-float   no chip drives MISO: it reads the AVR's pull-up
 *                         (FF) when PORTB4 is set, noise when it is not
 *            swap         MOSI and MISO swapped: the chip hears only the
 *                         AVR's MISO input, so MISO floats as above; with
 *                         the SPI off and the pins driven by hand (MISO
 *                         out, MOSI in) the chip answers
 *            hold-low     HOLD# held low: the chip ignores the clock and
 *                         never drives MISO
 *            wp-low       WP# held low, and the chip's SRP0 set: status
 *                         writes are ignored (chip model, fc_faults.wp_low)
 *            marginal=HZ[:PPM]  above an SPI clock of HZ (4M, 500k), PPM
 *                         bytes per million read back with one bit flipped
 *                         (default 2000)
 *   joined with commas.
 *   --vcc MV[,sag=MV][,weak=MV]  the chip's VCC wired to A0: MV at rest,
 *                         sag= while the chip programs or erases, weak= as
 *                         soon as it is selected (a supply too weak for it).
 *                         Without --vcc A0 is unwired: it follows its
 *                         pull-up, and reads noise without.
 */
#ifndef EMU_WIRING_H
#define EMU_WIRING_H

#include <stddef.h>
#include <stdint.h>

#include "sim_avr.h"
#include "emu_spi.h"

struct emu_wiring {
	avr_t *avr;
	struct emu_spi *spi;
	int float_miso, swap, hold_low, wp_low;
	uint32_t marginal_hz, marginal_ppm;
	uint32_t vcc_mv, sag_mv, weak_mv;     /* vcc_mv 0: A0 not wired */
	uint64_t rng;
	uint64_t flips;                        /* bytes corrupted by marginal= */
	avr_io_read_t pin_read;                /* simavr's PINB read handler */
	void *pin_param;
	/* SPI off and the pins driven by hand (the firmware's swapped-wires
	 * test): the bit clocked on SCK's rising edges */
	uint8_t last_portb;
	uint32_t bb_gen;                       /* spi->select_gen of the byte */
	unsigned bb_bits;
	uint8_t bb_in, bb_out, bb_do;          /* byte in, byte out, DO level */
};

/* Parse --wiring and --vcc (either may be NULL); 0, or -1 with err set. */
int emu_wiring_parse(const char *wiring, const char *vcc, struct emu_wiring *w,
		     char *err, size_t errlen);
/* Hook the faults onto the bus, PINB and the ADC; 0 or -1. */
int emu_wiring_init(struct emu_wiring *w, avr_t *avr, struct emu_spi *spi);

#endif
