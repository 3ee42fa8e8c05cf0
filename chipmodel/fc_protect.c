/* fc_protect: the chip model's block protection (fc_protect.h). */
#include "fc_protect.h"
#include "spinor.h"

#define KIB 1024u

/*
 * Block protection as one range [*lo, *hi).  Both families protect a run of
 * 64 KiB blocks growing by powers of two from the top (or the bottom with
 * TB): Macronix and 4-BP Winbond parts start at one 64 KiB block; 3-BP
 * Winbond parts start at max(64 KiB, size/64) (W25Q128: 256 KiB).  SEC
 * switches to 4/8/16/32 KiB sectors, BP=111 is always everything, and CMP
 * protects the complement.
 */
void fc_prot_range(const struct fc_chip *c, uint32_t *lo, uint32_t *hi)
{
	uint32_t size = c->part->size;
	int bp4 = (c->part->flags & FC_F_BP3) != 0;
	unsigned bp = (c->sr1 >> 2) & (bp4 ? 0x0Fu : 0x07u);
	int tb = (c->part->flags & FC_F_TB) && ((c->sr1 >> (bp4 ? 6 : 5)) & 1);
	int sec = (c->part->flags & FC_F_SEC) && ((c->sr1 >> 6) & 1);
	int cmp = (c->part->flags & FC_F_CMP) && (c->sr2 & SPINOR_SR2_CMP);
	uint64_t len;

	if (bp == 0) {
		len = 0;
	} else if (!bp4 && bp == 7) {
		len = size;
	} else if (sec) {
		len = (bp & 4) ? 32 * KIB : (4 * KIB) << ((bp & 3) - 1);
	} else {
		uint64_t unit = 64 * KIB;
		if (!bp4 && size / 64 > unit)
			unit = size / 64;
		len = unit << (bp - 1);
	}
	if (len > size)
		len = size;

	if (len == size) {
		*lo = 0;
		*hi = size;
	} else if (tb) {
		*lo = 0;
		*hi = (uint32_t)len;
	} else {
		*lo = size - (uint32_t)len;
		*hi = size;
	}
	if (cmp) {
		/* The complement of one end of the array is the other end. */
		if (*lo == *hi) {
			*lo = 0;
			*hi = size;
		} else if (*lo == 0 && *hi == size) {
			*lo = *hi = 0;
		} else if (*lo == 0) {
			*lo = *hi;
			*hi = size;
		} else {
			*hi = *lo;
			*lo = 0;
		}
	}
}

int fc_is_protected(const struct fc_chip *c, uint32_t a, uint32_t n)
{
	uint32_t lo, hi;

	fc_prot_range(c, &lo, &hi);
	return lo < hi && a < hi && a + n > lo;
}

