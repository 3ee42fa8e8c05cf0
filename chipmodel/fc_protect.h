/*
 * fc_protect: which part of the array the status registers protect, for
 * the chip model (flashchip.c) and nothing else: the decoding of BP, TB,
 * SEC and CMP that the model enforces.
 */
#ifndef FC_PROTECT_H
#define FC_PROTECT_H

#include "flashchip.h"

/* Block protection as one range [*lo, *hi) (empty: lo == hi). */
void fc_prot_range(const struct fc_chip *c, uint32_t *lo, uint32_t *hi);
/* 1 when [a, a + n) touches the protected range. */
int fc_is_protected(const struct fc_chip *c, uint32_t a, uint32_t n);

#endif
