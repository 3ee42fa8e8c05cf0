/*
 * ops_chip: knowing the chip: detection (JEDEC ID with its continuation
 * codes, the REMS/RES fallbacks of old parts, the part table, SFDP, a
 * generic guess) and the status registers.  Block protection is in
 * ops_wp.c.  Split from ops.c so that what the client knows about parts can
 * grow without touching the data paths.
 */
#include "core/ops.h"
#include "core/ops_chip.h"
#include "spinor.h"
#include "core/ops_util.h"
#include "chips/chips_sfdp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int id2_absent(const uint8_t *b)
{
	return (b[0] == 0x00 && b[1] == 0x00) || (b[0] == 0xFF && b[1] == 0xFF);
}

/* 9Fh: up to 8 bytes, so that 7Fh continuation codes still leave room for
 * manufacturer, type and capacity. */
static int read_id(struct ops *o, struct ops_chip_id *id, uint8_t *bank)
{
	int err = prog_jedec(o->prog, id->raw, sizeof(id->raw));

	if (err)
		return ops_fail(o, err, "reading the JEDEC ID");
	if (chips_parse_id(id->raw, sizeof(id->raw), bank, o->jedec)) {
		/* 7Fh all the way: MISO pulled to a pattern, not a chip */
		*bank = 0;
		memcpy(o->jedec, id->raw, 3);
	}
	return 0;
}

/* RES (ABh) first: it also wakes a chip from deep power-down (B9h), which
 * answers nothing else; then REMS (90h, address 0: manufacturer, device). */
static int legacy_probe(struct ops *o, struct ops_chip_id *id)
{
	uint8_t w[4] = { SPINOR_OP_RES, 0, 0, 0 };
	int err;

	if (!(o->prog->caps & PROTO_CAP_XFER))
		return 0;
	id->legacy_tried = 1;
	err = prog_xfer(o->prog, w, sizeof(w), &id->res, 1);
	if (!err) {
		w[0] = SPINOR_OP_REMS;
		err = prog_xfer(o->prog, w, sizeof(w), id->rems, 2);
	}
	if (err)
		return ops_fail(o, err, "reading the REMS/RES ID");
	return 0;
}

static int no_chip(struct ops *o, const struct ops_chip_id *id)
{
	const uint8_t *j = o->jedec;
	const char *why = j[0] == 0xFF ? "MISO floats high" : "MISO stuck low";

	if (id->legacy_tried)
		return ops_fail(o, OPS_E_NOCHIP,
				"no chip answered: JEDEC ID %02x %02x %02x, REMS %02x %02x, RES %02x (%s)",
				j[0], j[1], j[2], id->rems[0], id->rems[1], id->res, why);
	return ops_fail(o, OPS_E_NOCHIP, "no chip answered: JEDEC ID %02x %02x %02x (%s)",
			j[0], j[1], j[2], why);
}

/* Not in the table: SFDP, else the generic guess from the capacity byte. */
static int describe_unknown(struct ops *o, uint8_t bank, struct ops_chip_id *id)
{
	struct sfdp_info info;
	uint8_t *buf = malloc(OPS_SFDP_MAX);
	size_t len = 0;
	char why[128] = "";
	int err;

	if (!buf)
		return ops_fail(o, OPS_E_NOMEM, "allocating the SFDP buffer");
	err = ops_sfdp(o, buf, &len, &info);
	free(buf);
	if (err <= DEV_E_LINK)
		return err;     /* the link failed: o->msg says how */
	if (!err && chips_from_sfdp(&info, bank, o->jedec, &o->chip, why, sizeof(why)) == 0) {
		id->found = OPS_FOUND_SFDP;
		return 0;
	}
	if (err)
		snprintf(why, sizeof(why), "no usable SFDP (%s)", sfdp_strerror(err));
	if (chips_generic(o->jedec, &o->chip) == 0) {
		o->generic = 1;
		id->found = OPS_FOUND_GENERIC;
		snprintf(id->note, sizeof(id->note), "%s", why);
		return 0;
	}
	return ops_fail(o, OPS_E_UNKNOWN,
			"unknown chip: JEDEC ID %02x %02x %02x (%s) is not in the table, %s, and its size cannot be guessed; name it with --chip (see --list-chips)",
			o->jedec[0], o->jedec[1], o->jedec[2], chips_vendor(bank, o->jedec[0]), why);
}

int ops_detect_chip(struct ops *o, const struct chip *force, struct ops_chip_id *idp)
{
	struct ops_chip_id local;
	struct ops_chip_id *id = idp ? idp : &local;
	const struct chip *c = NULL;
	struct proto_chip pc;
	uint8_t bank = 0;
	int err, absent;

	memset(id, 0, sizeof(*id));
	memset(&o->chip, 0, sizeof(o->chip));
	o->generic = 0;
	err = read_id(o, id, &bank);
	if (err)
		return err;
	absent = chips_id_absent(o->jedec);
	if (absent) {
		err = legacy_probe(o, id);
		if (err)
			return err;
		if (id->legacy_tried && ((id->res != 0xFF && id->res != 0x00) ||
					  !id2_absent(id->rems))) {
			/* something answered ABh/90h: it may just have woken up */
			err = read_id(o, id, &bank);
			if (err)
				return err;
			absent = chips_id_absent(o->jedec);
			id->woke = !absent;
		}
	}
	if (absent && id->legacy_tried && !id2_absent(id->rems)) {
		c = chips_find_rems(id->rems[0], id->rems[1]);
		if (c) {
			id->found = OPS_FOUND_REMS;
			memcpy(o->jedec, c->jedec, 3);
			absent = 0;
		}
	}
	if (!c && !absent)
		c = chips_find(bank, o->jedec);
	if (force) {
		if (c && strcmp(c->name, force->name))
			return ops_fail(o, OPS_E_UNKNOWN,
					"the chip answers as %s (JEDEC ID %02x %02x %02x), not %s: drop --chip, or check the part",
					c->name, o->jedec[0], o->jedec[1], o->jedec[2], force->name);
		if (!c) {
			c = force;
			id->found = OPS_FOUND_FORCED;
			snprintf(id->note, sizeof(id->note),
				 "using %s as told by --chip: the chip's ID (%02x %02x %02x) does not say so",
				 force->name, o->jedec[0], o->jedec[1], o->jedec[2]);
		}
	}
	if (c) {
		o->chip = *c;
		if (id->found == OPS_FOUND_FORCED)
			o->chip.flags |= CHIP_F_FORCED;
	} else if (absent) {
		return no_chip(o, id);
	} else {
		err = describe_unknown(o, bank, id);
		if (err)
			return err;
	}
	o->chip.bank = bank;
	if (id->woke && !id->note[0])
		snprintf(id->note, sizeof(id->note),
			 "the chip answered only after ABh: it was in deep power-down");
	pc.page_size = o->chip.page_size;
	pc.addr_mode = o->chip.addr_mode;
	pc.size = o->chip.size;
	pc.t_page_max_ms = o->chip.t_pp_max_ms;
	err = prog_chip(o->prog, &pc);
	if (err)
		return ops_fail(o, err, "setting the chip geometry");
	return 0;
}

int ops_detect(struct ops *o)
{
	return ops_detect_chip(o, NULL, NULL);
}

int ops_sfdp(struct ops *o, uint8_t *buf, size_t *len, struct sfdp_info *info)
{
	size_t have = 0, chunk = o->prog->read_max;
	uint32_t need = SFDP_HEADER_LEN;
	int err;

	*len = 0;
	memset(info, 0, sizeof(*info));
	if (!(o->prog->caps & PROTO_CAP_SFDP))
		return ops_fail(o, SFDP_E_SIGNATURE, "the firmware cannot read SFDP");
	if (chunk > 256)
		chunk = 256;
	/* three rounds: header, parameter headers, the tables (sfdp.h) */
	do {
		if (need > OPS_SFDP_MAX)
			return ops_fail(o, SFDP_E_TRUNC_TABLE, "SFDP tables end past %u bytes",
					OPS_SFDP_MAX);
		while (have < need) {
			size_t n = need - have < chunk ? need - have : chunk;

			err = prog_sfdp(o->prog, (uint32_t)have, buf + have, (uint16_t)n);
			if (err)
				return ops_fail(o, err, "reading SFDP at 0x%06x", (unsigned)have);
			have += n;
		}
		*len = have;
		err = sfdp_needed_len(buf, have, &need);
	} while (!err && need > have);
	if (!err)
		err = sfdp_parse(buf, have, info);
	if (err)
		return ops_fail(o, err, "SFDP: %s", sfdp_strerror(err));
	return 0;
}

int ops_read_status(struct ops *o, uint8_t sr[3], unsigned *have)
{
	int err;

	*have = 0;
	sr[0] = sr[1] = sr[2] = 0;
	err = prog_read_sr(o->prog, SPINOR_OP_RDSR, &sr[0]);
	if (err)
		return ops_fail(o, err, "reading status register 1");
	*have |= 1;
	if (o->chip.flags & CHIP_F_SR2) {
		err = prog_read_sr(o->prog, SPINOR_OP_RDSR2, &sr[1]);
		if (err)
			return ops_fail(o, err, "reading status register 2");
		*have |= 2;
	}
	if (o->chip.flags & CHIP_F_SR3) {
		err = prog_read_sr(o->prog, SPINOR_OP_RDSR3, &sr[2]);
		if (err)
			return ops_fail(o, err, "reading status register 3");
		*have |= 4;
	}
	return 0;
}

int ops_check_writable(struct ops *o)
{
	return ops_check_writable_range(o, 0, o->chip.size);
}
