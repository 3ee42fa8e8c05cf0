/*
 * Image-level checks: blank or zeroed dumps, odd sizes, and halves that
 * repeat.  A chip read with the wrong size (or in 3-byte mode past 16 MiB)
 * wraps around, so the upper half of the dump is a copy of the lower one;
 * halving again finds how small the real content is.
 */
#include "insp_priv.h"

#include <string.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

static int is_pow2(size_t v)
{
	return v && !(v & (v - 1));
}

/* Smallest period p (len / 2^k, even halves only) such that the image is the
 * first p bytes repeated; 0 if even the two halves differ. */
static size_t repeat_period(const uint8_t *buf, size_t len)
{
	size_t p = len, found = 0;

	while (p >= 2 && p % 2 == 0) {
		size_t half = p / 2;

		/* buf[0..p) is already known to repeat over the image, so only
		 * its own two halves need comparing */
		if (memcmp(buf, buf + half, half))
			break;
		found = half;
		p = half;
	}
	return found;
}

static void size_notes(struct insp_report *r)
{
	size_t len = r->len;

	r->pow2 = is_pow2(len);
	r->typical_size = r->pow2 && len >= 64 * KIB && len <= 256 * MIB;
	if (!r->pow2)
		insp_note(r, 1, "size %zu bytes is not a power of two", len);
	else if (!r->typical_size)
		insp_note(r, 1, "size %zu bytes is not a typical SPI flash size", len);
}

int insp_image_check(const uint8_t *buf, size_t len, struct insp_report *r)
{
	size_t i, zero = 0;

	if (!r || (!buf && len))
		return INSP_E_ARG;
	r->len = len;
	if (!len) {
		insp_note(r, 1, "image is empty");
		return 0;
	}
	r->ff_bytes = 0;
	for (i = 0; i < len; i++) {
		if (buf[i] == 0xff)
			r->ff_bytes++;
		else if (buf[i] == 0)
			zero++;
	}
	r->all_ff = r->ff_bytes == len;
	r->all_zero = zero == len;
	if (r->all_ff)
		insp_note(r, 1, "image is all 0xFF (erased/blank chip)");
	else if (r->all_zero)
		insp_note(r, 1, "image is all 0x00 (chip not answering? check wiring/power)");
	size_notes(r);
	/* a uniform image repeats trivially; saying so would only add noise */
	if (!r->all_ff && !r->all_zero) {
		r->repeat_period = repeat_period(buf, len);
		if (r->repeat_period)
			insp_note(r, 1, "image repeats every %zu bytes (%zu copies): read with the "
				  "wrong chip size or address mode?", r->repeat_period,
				  len / r->repeat_period);
	}
	return 0;
}
