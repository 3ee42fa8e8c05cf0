/*
 * ops_write: sector-aware writing and erasing.
 *
 * The range is widened to whole 4 KiB sectors; bytes of those sectors outside
 * the range are read first and written back, so nothing outside the range
 * changes.  Each sector is then classified:
 *   skip     the chip's CRC32 of it equals the host's: nothing to do
 *   program  only 1->0 bit changes are needed ((old & new) == new): program
 *            the pages that differ, no erase
 *   erase    anything else: erase it, then program the pages not all FF
 * Sectors to erase are merged into 64 KiB or 32 KiB erases where a whole
 * aligned block needs it and the part has that size.
 */
#include "core/ops.h"
#include "spinor.h"
#include "core/ops_util.h"
#include "core/ops_chip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GROUP   (64u * 1024u)
#define SPG     (GROUP / OPS_SECTOR)      /* sectors per group */
#define OPS_SAMPLE 64                     /* bytes of each sector in a first look */

enum action { ACT_SKIP = 0, ACT_PROGRAM, ACT_ERASE, ACT_ERASED };

static int all_ff(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++ != 0xFF)
			return 0;
	return 1;
}

/* Can old become want by clearing bits only? */
static int only_clears(const uint8_t *old, const uint8_t *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((old[i] & want[i]) != want[i])
			return 0;
	return 1;
}

/*
 * Reading a sector to see whether only 1->0 changes are needed pays only
 * when the line carries 4 KiB much faster than the chip erases it; at 115200
 * a read costs 0.4 s, at 1 Mbaud 41 ms, a sector erase 45 ms.  The read is
 * one request per read_max bytes and a CRC: each a round trip of at least
 * a USB frame (1 ms) and its framing, which at 2 Mbaud cost as much as the
 * bytes (measured 50 ms a sector, against 20 ms for the bytes alone).
 */
static int worth_reading(const struct ops *o)
{
	uint32_t baud = o->prog->line_baud && *o->prog->line_baud ? *o->prog->line_baud : 115200;
	uint32_t per = o->prog->read_max ? (uint32_t)o->prog->read_max : 256;
	uint32_t reqs = (OPS_SECTOR + per - 1) / per + 1;
	uint32_t read_ms = (uint32_t)(((uint64_t)OPS_SECTOR + reqs * 32ull) * 10 * 1000 / baud) +
			   reqs * 1;

	/* half the erase time: the read is wasted when the sector needs an
	 * erase after all, which is the common case for a new image */
	return read_ms < o->chip.erase[CHIP_ERASE_4K].t_typ_ms / 2;
}

/*
 * Decide one sector: same, the chip holds want already; maybe_blank, the
 * chip's CRC of it is that of an erased sector.
 */
static int classify_one(struct ops *o, uint32_t addr, int same, int maybe_blank,
			const uint8_t *want, uint8_t *old, enum action *act)
{
	uint32_t first;
	int err;

	if (same) {
		*act = ACT_SKIP;
		return 0;
	}
	if (all_ff(want, OPS_SECTOR)) {
		*act = ACT_ERASE;
		return 0;
	}
	if (maybe_blank) {
		/* very likely blank; the device confirms it without the line */
		err = prog_blank(o->prog, addr, OPS_SECTOR, &first);
		if (err)
			return ops_fail(o, err, "blank checking 0x%06x", addr);
		if (first == 0xFFFFFFFFu) {
			memset(old, 0xFF, OPS_SECTOR);
			*act = ACT_PROGRAM;
			return 0;
		}
	}
	if (!worth_reading(o)) {
		*act = ACT_ERASE;
		return 0;
	}
	err = ops_read_block(o, addr, old, OPS_SECTOR);
	if (err)
		return err;
	*act = only_clears(old, want, OPS_SECTOR) ? ACT_PROGRAM : ACT_ERASE;
	return 0;
}

/* The chip's CRCs of n sectors from addr (of the first span bytes of each
 * with a span, which needs CRC32_MULTI). */
static int chip_crcs(struct ops *o, uint32_t addr, unsigned n, uint16_t span, uint32_t *crcs)
{
	unsigned s;
	int err;

	if (o->prog->caps & PROTO_CAP_CRC32_MULTI) {
		err = prog_crc32_multi(o->prog, addr, (uint16_t)n, OPS_SECTOR, span, crcs);
		if (err)
			return ops_fail(o, err, "computing the CRCs of 0x%06x-0x%06x", addr,
					addr + n * OPS_SECTOR - 1);
		return 0;
	}
	for (s = 0; s < n; s++) {
		err = ops_chip_crc(o, addr + s * OPS_SECTOR, OPS_SECTOR, &crcs[s]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The sectors marked in erased[] (a run at a time, one request each) checked
 * blank on the device: blank[s] is set for those that are.
 */
static int blank_sectors(struct ops *o, uint32_t addr, unsigned n, const uint8_t *erased,
			 uint8_t *blank)
{
	unsigned s = 0, e, k;
	uint32_t first;
	int err;

	while (s < n) {
		if (!erased[s]) {
			s++;
			continue;
		}
		for (e = s; e < n && erased[e]; e++)
			;
		err = prog_blank(o->prog, addr + s * OPS_SECTOR, (e - s) * OPS_SECTOR, &first);
		if (err)
			return ops_fail(o, err, "blank checking 0x%06x-0x%06x", addr + s * OPS_SECTOR,
					addr + e * OPS_SECTOR - 1);
		/* up to the sector holding the first byte not FF, all blank; an
		 * address outside the run is a wrong answer, not a blank run */
		k = first == 0xFFFFFFFFu ? e : (first - addr) / OPS_SECTOR;
		if (first != 0xFFFFFFFFu && (first < addr || k < s || k >= e))
			return ops_fail(o, DEV_E_BADRESP, "blank check of 0x%06x-0x%06x named 0x%06x",
					addr + s * OPS_SECTOR, addr + e * OPS_SECTOR - 1, first);
		for (; s < k; s++)
			blank[s] = 1;
		if (s < e)
			s++;      /* not blank: classify_one decides */
	}
	return 0;
}

/*
 * Classify n sectors from addr with one request for all their CRCs.
 *
 * For the first group, and when the group before needed every sector
 * written (a new image), the first look is a sample: the CRC of the first
 * OPS_SAMPLE bytes of each sector, a 64th of the device's work (1 MiB:
 * 0.03 s against 1.9 s; 256 bytes took 0.12 s).  A sample of 64 bytes
 * equal to want's only sends that sector to the whole CRC, as before.
 * A sample unlike both want's and an erased sector's proves the sector
 * differs and is not blank, which is all a sector needing an erase must
 * show.  A sample that reads erased, where want's does not, leaves blank
 * or not to find: the device's blank check says which, where the whole
 * CRC came first and a blank check after it (a MiB onto a new chip at
 * 2 Mbaud: 13.08 s with both, 10.70 s with the check alone).  Only when
 * some sample matches want's do all the unsure get the whole CRC, in a
 * second request.  A group of unchanged sectors (a re-flash) is looked at
 * whole at once.
 */
static int classify(struct ops *o, uint32_t addr, unsigned n, const uint8_t *want,
		    uint8_t *old, enum action *act, int sample)
{
	uint32_t crcs[SPG], crc_ff, crc_ff_sample = 0, crc_want;
	uint8_t sure[SPG], erased[SPG], blank[SPG];
	unsigned s, unsure = n, n_erased = 0;
	int err, whole = 0;

	/* the CRC of an erased sector */
	memset(old, 0xFF, OPS_SECTOR);
	crc_ff = (uint32_t)crc32(0L, old, OPS_SECTOR);

	memset(sure, 0, sizeof(sure));
	memset(erased, 0, sizeof(erased));
	memset(blank, 0, sizeof(blank));
	if (sample && (o->prog->caps & PROTO_CAP_CRC_SPAN) &&
	    (o->prog->caps & PROTO_CAP_CRC32_MULTI)) {
		crc_ff_sample = (uint32_t)crc32(0L, old, OPS_SAMPLE);
		err = chip_crcs(o, addr, n, OPS_SAMPLE, crcs);
		if (err)
			return err;
		for (s = 0, unsure = 0; s < n; s++) {
			crc_want = (uint32_t)crc32(0L, want + s * OPS_SECTOR, OPS_SAMPLE);
			sure[s] = crcs[s] != crc_want && crcs[s] != crc_ff_sample;
			erased[s] = crcs[s] == crc_ff_sample && crc_want != crc_ff_sample;
			unsure += !sure[s];
			n_erased += erased[s];
		}
	}
	if (unsure > n_erased) {
		err = chip_crcs(o, addr, n, 0, crcs);
		if (err)
			return err;
		whole = 1;
	} else if (n_erased) {
		err = blank_sectors(o, addr, n, erased, blank);
		if (err)
			return err;
	}
	for (s = 0; s < n; s++) {
		const uint8_t *w = want + s * OPS_SECTOR;

		if (!whole && blank[s]) {
			memset(old + s * OPS_SECTOR, 0xFF, OPS_SECTOR);
			act[s] = ACT_PROGRAM;
			continue;
		}
		err = classify_one(o, addr + s * OPS_SECTOR,
				   whole && !sure[s] && crcs[s] == (uint32_t)crc32(0L, w, OPS_SECTOR),
				   whole && !sure[s] && crcs[s] == crc_ff, w, old + s * OPS_SECTOR,
				   &act[s]);
		if (err)
			return err;
	}
	return 0;
}

static int erase(struct ops *o, uint32_t addr, int kind)
{
	const struct chip_erase *e = &o->chip.erase[kind];
	int err = prog_erase(o->prog, addr, e->opcode, e->t_max_ms);

	if (err)
		return ops_fail(o, err, "erasing %u KiB at 0x%06x (opcode %02xh)",
				e->size / 1024, addr, e->opcode);
	if (kind == CHIP_ERASE_4K)
		o->stats.erases_4k++;
	else if (kind == CHIP_ERASE_32K)
		o->stats.erases_32k++;
	else
		o->stats.erases_64k++;
	return 0;
}

/*
 * Program one sector.  old is what the chip holds (NULL after an erase: all
 * FF).  Pages that already hold their bytes are skipped; the others go into
 * the pipe, which keeps the device fed while the chip programs.
 */
static int program_sector(struct ops *o, uint32_t addr,
			  const uint8_t *want, const uint8_t *old)
{
	uint32_t page = o->chip.page_size, off;
	int err;

	uint32_t at;

	if (page > o->prog->program_max)
		page = (uint32_t)o->prog->program_max;
	for (off = 0; off < OPS_SECTOR; off += page) {
		const uint8_t *w = want + off;
		int need = old ? memcmp(old + off, w, page) != 0 : !all_ff(w, page);

		if (!need) {
			o->stats.pages_skipped++;
			continue;
		}
		err = prog_program_page(o->prog, addr + off, w, page, &at);
		if (err)
			return ops_fail(o, err, "programming 0x%06x-0x%06x", at, at + page - 1);
		o->stats.pages_programmed++;
	}
	return 0;
}

/* Erase the sectors of one group marked ACT_ERASE, largest blocks first. */
static int erase_group(struct ops *o, uint32_t g, unsigned n, enum action *act)
{
	static const int kinds[] = { CHIP_ERASE_64K, CHIP_ERASE_32K };
	unsigned i, k, s, per;
	int err;

	for (k = 0; k < 2; k++) {
		const struct chip_erase *e = &o->chip.erase[kinds[k]];

		if (!e->opcode || e->size < OPS_SECTOR)
			continue;
		per = e->size / OPS_SECTOR;
		/* g is 64 KiB aligned, so block-aligned sector runs start at
		 * multiples of per */
		for (s = 0; s + per <= n; s += per) {
			for (i = 0; i < per && act[s + i] == ACT_ERASE; i++)
				;
			if (i < per)
				continue;
			err = erase(o, g + s * OPS_SECTOR, kinds[k]);
			if (err)
				return err;
			for (i = 0; i < per; i++)
				act[s + i] = ACT_ERASED;
		}
	}
	for (s = 0; s < n; s++) {
		if (act[s] != ACT_ERASE)
			continue;
		err = erase(o, g + s * OPS_SECTOR, CHIP_ERASE_4K);
		if (err)
			return err;
		act[s] = ACT_ERASED;
	}
	return 0;
}

/*
 * Verify the sectors of a group that were erased or programmed, right after
 * the group: one CRC request for the group, and a sector read only to name
 * the first wrong byte.  Skipped sectors were already found equal by CRC.
 */
static int verify_group(struct ops *o, const char *phase, uint32_t g, unsigned first,
			unsigned n, const enum action *act, const uint8_t *want)
{
	uint32_t crcs[SPG];
	unsigned s;
	int err;

	if (o->prog->caps & PROTO_CAP_CRC32_MULTI) {
		err = prog_crc32_multi(o->prog, g, (uint16_t)n, OPS_SECTOR, 0, crcs);
		if (err)
			return ops_fail(o, err, "computing the CRCs of 0x%06x-0x%06x", g,
					g + n * OPS_SECTOR - 1);
	}
	for (s = 0; s < n; s++) {
		const uint8_t *w = want + s * OPS_SECTOR;
		uint32_t a = g + s * OPS_SECTOR;

		if (act[first + s] == ACT_SKIP)
			continue;
		if ((o->prog->caps & PROTO_CAP_CRC32_MULTI) &&
		    crcs[s] == (uint32_t)crc32(0L, w, OPS_SECTOR))
			continue;
		err = ops_verify(o, a, w, OPS_SECTOR);
		if (err == OPS_E_MISMATCH)
			err = ops_fail(o, OPS_E_STUCK,
				       "%s did not take at 0x%06x: chip has 0x%02x, wanted 0x%02x; the chip may be protected or worn",
				       phase, o->bad_addr, o->bad_chip, o->bad_want);
		if (err)
			return err;
	}
	return 0;
}

static int write_range(struct ops *o, const char *phase, uint32_t addr, const uint8_t *want,
		       uint32_t len, int verify)
{
	uint32_t ra = addr - addr % OPS_SECTOR, end = addr + len;
	uint32_t rb = end % OPS_SECTOR ? end - end % OPS_SECTOR + OPS_SECTOR : end;
	uint8_t *buf = NULL, *old = NULL;
	enum action act[SPG];
	uint32_t at;
	uint32_t g;
	/* the group before needed all its sectors written; the first group
	 * looks at a sample first too: against a new image that saves the
	 * device's CRC of 63 KiB (about 0.12 s at any rate), and an unchanged
	 * one costs a 64th more (2 ms) before its whole CRC */
	int err, fresh = 1;

	err = ops_check_range(o, addr, len);
	if (err)
		return err;
	if (rb > o->chip.size)
		rb = o->chip.size;
	err = ops_check_writable_range(o, ra, (uint32_t)(rb - ra));
	if (err)
		return err;
	buf = malloc(rb - ra);
	old = malloc(GROUP);
	if (!buf || !old) {
		err = ops_fail(o, OPS_E_NOMEM, "allocating %u KiB", (rb - ra) / 1024);
		goto out;
	}
	/* the edges: bytes of the first and last sector outside the range */
	if (ra < addr) {
		err = ops_read_block(o, ra, buf, OPS_SECTOR);
		if (err)
			goto out;
	}
	if (rb > end && rb - OPS_SECTOR >= addr) {
		err = ops_read_block(o, rb - OPS_SECTOR, buf + (rb - OPS_SECTOR - ra), OPS_SECTOR);
		if (err)
			goto out;
	}
	memcpy(buf + (addr - ra), want, len);

	ops_report(o, phase, 0, rb - ra);
	for (g = ra; g < rb; ) {
		uint32_t gend = g - g % GROUP + GROUP;
		unsigned n, s, first = (g % GROUP) / OPS_SECTOR;

		if (gend > rb)
			gend = rb;
		n = (gend - g) / OPS_SECTOR;
		/* act[] is indexed from the 64 KiB boundary below g */
		for (s = 0; s < SPG; s++)
			act[s] = ACT_SKIP;
		err = classify(o, g, n, buf + (g - ra), old + first * OPS_SECTOR, &act[first],
			       fresh);
		if (err)
			goto out;
		for (s = first, fresh = 1; s < first + n; s++)
			fresh &= act[s] != ACT_SKIP;
		for (s = first; s < first + n && act[s] == ACT_SKIP; s++)
			;
		if (s == first + n) {
			o->stats.sectors_skipped += n;
			g = gend;
			ops_report(o, phase, g - ra, rb - ra);
			continue;
		}
		err = erase_group(o, g - g % GROUP, first + n, act);
		if (err)
			goto out;
		err = prog_program_begin(o->prog, o->chip.t_pp_max_ms, o->chip.page_size);
		if (err) {
			/* a signal lands here, between a group's erase and its pages */
			err = ops_fail(o, err, "%s 0x%06x-0x%06x",
				       strcmp(phase, "erase") ? "writing" : "erasing", g, gend - 1);
			goto out;
		}
		for (s = first; s < first + n; s++) {
			uint32_t a = g - g % GROUP + s * OPS_SECTOR;

			if (act[s] == ACT_SKIP) {
				o->stats.sectors_skipped++;
				continue;
			}
			if (act[s] == ACT_PROGRAM)
				o->stats.sectors_program_only++;
			err = program_sector(o, a, buf + (a - ra),
					     act[s] == ACT_PROGRAM ? old + s * OPS_SECTOR : NULL);
			if (err)
				goto out;
		}
		err = prog_program_end(o->prog, &at);
		if (err) {
			err = ops_fail(o, err, "programming at 0x%06x", at);
			goto out;
		}
		if (verify) {
			err = verify_group(o, phase, g, first, n, act, buf + (g - ra));
			if (err)
				goto out;
		}
		g = gend;
		ops_report(o, phase, g - ra, rb - ra);
	}
out:
	free(buf);
	free(old);
	return err;
}

int ops_write(struct ops *o, uint32_t addr, const uint8_t *want, uint32_t len, int verify)
{
	return write_range(o, "write", addr, want, len, verify);
}

int ops_erase(struct ops *o, uint32_t addr, uint32_t len, int verify)
{
	uint8_t *ff;
	int err;

	err = ops_check_range(o, addr, len);
	if (err)
		return err;
	ff = malloc(len);
	if (!ff)
		return ops_fail(o, OPS_E_NOMEM, "allocating %u KiB", len / 1024);
	memset(ff, 0xFF, len);
	err = write_range(o, "erase", addr, ff, len, verify);
	free(ff);
	return err;
}

int ops_erase_chip(struct ops *o, int verify)
{
	int err;

	err = ops_check_writable(o);
	if (err)
		return err;
	ops_report(o, "erase", 0, o->chip.size);
	err = prog_erase(o->prog, 0, SPINOR_OP_CE, o->chip.t_ce_max_ms);
	if (err)
		return ops_fail(o, err, "erasing the whole chip (C7h, up to %u s)",
				o->chip.t_ce_max_ms / 1000);
	o->stats.erases_chip++;
	ops_report(o, "erase", o->chip.size, o->chip.size);
	if (!verify)
		return 0;
	err = ops_blank(o, 0, o->chip.size);
	if (err == OPS_E_NOTBLANK)
		err = ops_fail(o, OPS_E_STUCK, "chip erase did not take: byte at 0x%06x is 0x%02x",
			       o->bad_addr, o->bad_chip);
	return err;
}
