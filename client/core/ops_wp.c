/*
 * ops_wp: block write protection on the chip: read and decode it, refuse a
 * write that touches it before anything changes, clear it (--unprotect) and
 * set it (protect).  Status writes keep every bit that is not protection:
 * QE above all, which a one-byte 01h on W25Q/GD25Q parts would clear.
 */
#include "core/ops.h"
#include "spinor.h"
#include "core/ops_chip.h"
#include "core/ops_util.h"

#include <stdio.h>
#include <string.h>

#define SECTOR 4096u

/* SST26: read the block protection register (72h): one bit per 64 KiB
 * block, two per 32 KiB and 8 KiB block (write and read lock). */
static int read_bpr(struct ops *o, struct wp_state *st)
{
	uint8_t op = SPINOR_OP_RBPR, bpr[32];
	unsigned n = (o->chip.size / 65536 + 16 + 7) / 8, i;
	int err;

	if (n > sizeof(bpr))
		n = sizeof(bpr);
	err = prog_xfer(o->prog, &op, 1, bpr, (uint16_t)n);
	if (err)
		return ops_fail(o, err, "reading the block protection register (72h)");
	st->needs_bpr = 0;
	for (i = 0; i < n; i++)
		if (bpr[i]) {
			st->lo = 0;
			st->hi = o->chip.size;
			st->bp = 1;
		}
	return 0;
}

int ops_wp_read(struct ops *o, uint8_t sr[3], unsigned *have, struct wp_state *st)
{
	int err = ops_read_status(o, sr, have);

	if (err)
		return err;
	wp_decode(&o->chip, sr, *have, st);
	if (st->needs_bpr && (o->prog->caps & PROTO_CAP_XFER))
		return read_bpr(o, st);
	return 0;
}

static int regs_text(char *buf, size_t len, const uint8_t sr[3], unsigned have)
{
	int n = snprintf(buf, len, "SR1 0x%02x", sr[0]);

	if (have & 2)
		n += snprintf(buf + n, len - (size_t)n, ", SR2 0x%02x", sr[1]);
	return n;
}

int ops_check_writable_range(struct ops *o, uint32_t addr, uint32_t len)
{
	uint32_t ra = addr - addr % SECTOR;
	uint64_t rb = (uint64_t)addr + len;
	struct wp_state st;
	uint8_t sr[3];
	unsigned have;
	char where[96], regs[32], bits[64];
	int err;

	rb = (rb + SECTOR - 1) / SECTOR * SECTOR;
	if (rb > o->chip.size)
		rb = o->chip.size;
	err = ops_wp_read(o, sr, &have, &st);
	if (err)
		return err;
	if (!wp_overlaps(&st, ra, (uint32_t)(rb - ra)))
		return 0;
	wp_range_text(where, sizeof(where), &o->chip, &st);
	regs_text(regs, sizeof(regs), sr, have);
	wp_bits_text(bits, sizeof(bits), &st);
	return ops_fail(o, OPS_E_PROTECTED,
			"%s is write protected at %s (%s: %s) and 0x%06x-0x%06x touches it: nothing was changed; add --unprotect to clear the protection first",
			o->chip.name, where, regs, bits, ra, (uint32_t)rb - 1);
}

/* WREN and a command without data (98h global unlock), by XFER. */
static int global_unlock(struct ops *o)
{
	uint8_t wren = SPINOR_OP_WREN, ulbpr = SPINOR_OP_ULBPR;
	int err = prog_xfer(o->prog, &wren, 1, NULL, 0);

	if (!err)
		err = prog_xfer(o->prog, &ulbpr, 1, NULL, 0);
	if (err)
		return ops_fail(o, err, "sending global block unlock (98h)");
	return 0;
}

/* Write SR1/SR2 from old to want the way the part takes it. */
static int write_regs(struct ops *o, const uint8_t old[3], const uint8_t want[3], unsigned have)
{
	const struct chip *c = &o->chip;
	uint8_t flags = (c->flags & CHIP_F_EWSR) ? PROTO_WSR_VOLATILE : 0;
	uint16_t t = c->t_w_max_ms ? c->t_w_max_ms : 100;
	int err = 0;

	if ((have & 2) && (c->flags & CHIP_F_WRSR_2BYTE)) {
		/* one 01h with both bytes: SR2 (QE) written back as it was */
		if (want[0] != old[0] || want[1] != old[1])
			err = prog_write_sr(o->prog, SPINOR_OP_WRSR, flags, want, 2, t);
		if (err)
			return ops_fail(o, err, "writing SR1 and SR2 (01h)");
		return 0;
	}
	if (want[0] != old[0]) {
		err = prog_write_sr(o->prog, SPINOR_OP_WRSR, flags, want, 1, t);
		if (err)
			return ops_fail(o, err, "writing SR1 (01h)");
	}
	if ((have & 2) && want[1] != old[1]) {
		if (!(c->flags & CHIP_F_WRSR2_31))
			return ops_fail(o, OPS_E_PROTECTED,
					"%s: the table knows no way to write SR2", c->name);
		err = prog_write_sr(o->prog, SPINOR_OP_WRSR2, flags, &want[1], 1, t);
		if (err)
			return ops_fail(o, err, "writing SR2 (31h)");
	}
	return 0;
}

/* After a write that did not take: say why, as far as the bits tell. */
static int not_taken(struct ops *o, const char *what, const uint8_t sr[3], unsigned have,
		     const struct wp_state *st)
{
	char regs[32];

	regs_text(regs, sizeof(regs), sr, have);
	if (st->srp0)
		return ops_fail(o, OPS_E_PROTECTED,
				"%s of %s did not take (%s): SRP0/SRWD=1 and WP# (pin 3) is low, which locks the status registers; pull WP# high",
				what, o->chip.name, regs);
	return ops_fail(o, OPS_E_PROTECTED, "%s of %s did not take (%s): the chip ignored the status write",
			what, o->chip.name, regs);
}

static int check_locked(struct ops *o, const struct wp_state *st)
{
	if (!st->srp1)
		return 0;
	return ops_fail(o, OPS_E_PROTECTED,
			"the status registers of %s are locked (SRP1=1): %s", o->chip.name,
			st->srp0 ? "for good (one-time lock)" :
				   "until the next power-down; power-cycle the chip and try again");
}

/* Bits outside the protection that a status write must not change. */
static int kept(const struct chip *c, const uint8_t a[3], const uint8_t b[3], unsigned have)
{
	uint8_t ma[3], mb[3];

	if (c->wp == CHIP_WP_AT25DF)
		return 1;      /* its SR1 is all protection and read-only flags */
	wp_clear(c, a, have, ma);
	wp_clear(c, b, have, mb);
	/* WIP and WEL (bits 0-1) are not ours to compare */
	if ((ma[0] & 0xFC) != (mb[0] & 0xFC))
		return 0;
	return !(have & 2) || ma[1] == mb[1];
}

int ops_unprotect(struct ops *o, int *changed)
{
	struct wp_state st, after;
	uint8_t sr[3], want[3], got[3];
	unsigned have;
	int err;

	*changed = 0;
	err = ops_wp_read(o, sr, &have, &st);
	if (err)
		return err;
	if (st.lo >= st.hi && !st.needs_bpr)
		return 0;
	err = check_locked(o, &st);
	if (err)
		return err;
	if (o->chip.wp == CHIP_WP_SST26 || st.wps) {
		err = global_unlock(o);
	} else if (o->chip.wp == CHIP_WP_AT25DF && (sr[0] & 0x80)) {
		/* SPRL=1: a first write clears SPRL, the second unprotects */
		want[0] = want[1] = want[2] = 0;
		err = write_regs(o, sr, want, have & 1);
		if (!err)
			err = write_regs(o, (const uint8_t[3]){ 0x80, 0, 0 }, want, have & 1);
	} else {
		wp_clear(&o->chip, sr, have, want);
		err = write_regs(o, sr, want, have);
	}
	if (err)
		return err;
	err = ops_wp_read(o, got, &have, &after);
	if (err)
		return err;
	if (after.lo < after.hi || after.needs_bpr)
		return not_taken(o, "clearing the write protection", got, have, &st);
	if (!kept(&o->chip, sr, got, have))
		return ops_fail(o, OPS_E_STUCK,
				"clearing the write protection of %s changed other status bits: SR1 0x%02x -> 0x%02x, SR2 0x%02x -> 0x%02x",
				o->chip.name, sr[0], got[0], sr[1], got[1]);
	*changed = 1;
	return 0;
}

int ops_protect(struct ops *o, uint32_t lo, uint32_t hi)
{
	struct wp_state st, after;
	uint8_t sr[3], want[3], got[3];
	unsigned have;
	int err;

	err = ops_wp_read(o, sr, &have, &st);
	if (err)
		return err;
	err = check_locked(o, &st);
	if (err)
		return err;
	if (wp_encode(&o->chip, sr, have, lo, hi, want))
		return ops_fail(o, OPS_E_RANGE,
				"%s cannot protect exactly 0x%06x-0x%06x: %s", o->chip.name, lo, hi - 1,
				o->chip.wp == CHIP_WP_GENERIC || o->chip.wp == CHIP_WP_NONE ||
				o->chip.wp == CHIP_WP_SST26 ?
				"the table does not know its protection bits" :
				"block protection covers power-of-two runs of blocks from the top or bottom (see 'info')");
	err = write_regs(o, sr, want, have);
	if (err)
		return err;
	err = ops_wp_read(o, got, &have, &after);
	if (err)
		return err;
	if (!(lo < hi ? after.lo == lo && after.hi == hi : after.lo >= after.hi) ||
	    !kept(&o->chip, sr, got, have))
		return not_taken(o, "setting the write protection", got, have, &after);
	return 0;
}
