/*
 * doctor_priv: what doctor.c and doctor_clock.c share.
 */
#ifndef SPIFLASH_DOCTOR_PRIV_H
#define SPIFLASH_DOCTOR_PRIV_H

#include "core/doctor.h"

#include <stddef.h>
#include <stdint.h>

#define DOCTOR_SLOWEST_HZ 100000u   /* clocks below this are not tried */
#define DOCTOR_QUICK_SPAN 128u      /* bytes --spi-speed auto compares with the slowest clock first */

/* "8 MHz", "125 kHz": hz in buf */
const char *doctor_hz_str(uint32_t hz, char *buf, size_t len);

/*
 * Read at the slowest clock twice (the reference), then `repeats` times at
 * every other clock.  Fills clk[] and returns the chosen clock in *pick: the
 * fastest at which this clock and every slower one agreed.
 */
int doctor_scan(struct prog *p, uint32_t span, unsigned repeats,
		struct doctor_clock *clk, unsigned *nclk, uint32_t *pick, int *ref_bad);

#endif
