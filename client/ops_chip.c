/*
 * ops_chip: knowing the chip: detection (JEDEC ID, the part table), status
 * registers and write protection.  Split from ops.c so that what the client
 * knows about parts can grow without touching the data paths.
 */
#include "ops.h"
#include "ops_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int ops_detect(struct ops *o)
{
	const struct chip *c;
	struct proto_chip pc;
	uint8_t *id = o->jedec;
	int err;

	err = dev_jedec(o->dev, id, 3);
	if (err)
		return ops_fail(o, err, "reading the JEDEC ID");
	if (chips_id_absent(id))
		return ops_fail(o, OPS_E_NOCHIP,
				"no chip answered: JEDEC ID %02x %02x %02x; check wiring, power and the clip",
				id[0], id[1], id[2]);
	c = chips_find(id);
	if (c) {
		o->chip = *c;
	} else if (chips_generic(id, &o->chip) == 0) {
		o->generic = 1;
	} else {
		return ops_fail(o, OPS_E_UNKNOWN,
				"unknown chip: JEDEC ID %02x %02x %02x (%s) is not in the table and its size cannot be guessed",
				id[0], id[1], id[2], chips_vendor(id[0]));
	}
	pc.page_size = o->chip.page_size;
	pc.addr_mode = o->chip.addr_mode;
	pc.size = o->chip.size;
	pc.t_page_max_ms = o->chip.t_pp_max_ms;
	err = dev_chip(o->dev, &pc);
	if (err)
		return ops_fail(o, err, "setting the chip geometry");
	return 0;
}

int ops_read_status(struct ops *o, uint8_t sr[3], unsigned *have)
{
	int err;

	*have = 0;
	sr[0] = sr[1] = sr[2] = 0;
	err = dev_read_sr(o->dev, 0x05, &sr[0]);
	if (err)
		return ops_fail(o, err, "reading status register 1");
	*have |= 1;
	if (o->chip.flags & CHIP_F_SR2) {
		err = dev_read_sr(o->dev, 0x35, &sr[1]);
		if (err)
			return ops_fail(o, err, "reading status register 2");
		*have |= 2;
	}
	if (o->chip.flags & CHIP_F_SR3) {
		err = dev_read_sr(o->dev, 0x15, &sr[2]);
		if (err)
			return ops_fail(o, err, "reading status register 3");
		*have |= 4;
	}
	return 0;
}

int ops_check_writable(struct ops *o)
{
	uint8_t sr[3], bp;
	unsigned have;
	int err, cmp;

	err = ops_read_status(o, sr, &have);
	if (err)
		return err;
	/* BP0-BP2 are SR1 bits 2-4 everywhere; bit 5 is BP3 on some parts */
	bp = (uint8_t)((sr[0] >> 2) & ((o->chip.flags & CHIP_F_BP3) ? 0x0F : 0x07));
	cmp = o->chip.sr == CHIP_SR_WINBOND && (have & 2) && (sr[1] & 0x40);
	/* CMP=1 inverts the protected area: with BP=0 the whole chip is protected */
	if (bp || cmp) {
		char sr2[16] = "";

		if (have & 2)
			snprintf(sr2, sizeof(sr2), ", SR2 0x%02x", sr[1]);
		return ops_fail(o, OPS_E_PROTECTED,
				"chip %s is write protected: SR1 0x%02x%s (BP=%u%s); clear the block protect bits first (flashrom --wp-disable)",
				o->chip.name, sr[0], sr2, bp, cmp ? ", CMP=1" : "");
	}
	return 0;
}

