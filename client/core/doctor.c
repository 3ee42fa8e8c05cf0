/*
 * doctor: wiring, signal and supply checks (doctor.h).
 */
#include "core/doctor.h"
#include "core/doctor_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ops_chip.h"
#include "proto_msg.h"
#include "spinor.h"

static void add(struct doctor *d, int level, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct doctor *d, int level, const char *what, const char *fmt, ...)
{
	struct doctor_finding *f;
	va_list ap;

	if (d->nf >= DOCTOR_MAX_FINDINGS)
		return;
	f = &d->f[d->nf++];
	f->level = level;
	snprintf(f->what, sizeof(f->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

/* The first fault found decides the verdict. */
static void verdict(struct doctor *d, enum doctor_verdict v, const char *summary,
		    const char *next)
{
	if (d->verdict != DOCTOR_CLEAN)
		return;
	d->verdict = v;
	snprintf(d->summary, sizeof(d->summary), "%s", summary);
	snprintf(d->next, sizeof(d->next), "%s", next);
}

static int absent(const uint8_t id[3])
{
	return (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF) ||
	       (id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00);
}

/* ---- MISO ---- */

static void not_swapped(struct doctor *d, const struct proto_ans_diag *a)
{
	add(d, DOCTOR_OK, "MOSI/MISO", "not swapped: with D11 and D12 exchanged the ID reads "
	    "%02X %02X %02X (no answer either)", a->id_swap[0], a->id_swap[1], a->id_swap[2]);
}

static void miso_findings(struct doctor *d, const struct proto_ans_diag *a)
{
	const uint8_t *pu = a->id_pu, *np = a->id_nopu;
	static const char causes[] =
		"MISO is not driven by any chip, and MOSI/MISO swapped is ruled out (no\n"
		"answer with them exchanged either).  The rest look the same electrically;\n"
		"check, in order:\n"
		"  1. the chip's power: VCC (pin 8) at 3.3 V (1.8 V parts: 1.8 V), GND (pin 4)\n"
		"  2. HOLD# (pin 7) low: tie it to VCC (a low HOLD# pauses the chip)\n"
		"  3. CS# (pin 1) on D10, CLK (pin 6) on D13; the clip seated, pin 1 at the dot\n"
		"  4. no chip at all, or a dead one";

	if (!memcmp(pu, np, 3) && !absent(pu)) {
		add(d, DOCTOR_OK, "MISO", "driven by the chip: ID %02X %02X %02X read alike with the "
		    "pull-up on and off", pu[0], pu[1], pu[2]);
		return;
	}
	if (absent(pu) && !absent(a->id_swap)) {
		add(d, DOCTOR_FAULT, "MISO", "no answer on MISO (ID %02X %02X %02X with the pull-up, "
		    "%02X %02X %02X without), but ID %02X %02X %02X with D11 and D12 exchanged "
		    "(bit-banged)", pu[0], pu[1], pu[2], np[0], np[1], np[2], a->id_swap[0],
		    a->id_swap[1], a->id_swap[2]);
		verdict(d, DOCTOR_SWAPPED, "MOSI and MISO are swapped",
			"Exchange the two wires: chip pin 5 (DI) to D11 (MOSI), chip pin 2 (DO) to\n"
			"D12 (MISO).  The chip answered with them the other way round, so power,\n"
			"CS#, CLK and HOLD# are fine.");
		return;
	}

	if (pu[0] == 0xFF && pu[1] == 0xFF && pu[2] == 0xFF &&
	    !(np[0] == 0xFF && np[1] == 0xFF && np[2] == 0xFF)) {
		add(d, DOCTOR_FAULT, "MISO", "floating: ID FF FF FF with the AVR's pull-up on MISO, "
		    "%02X %02X %02X without it (a driven line does not follow the pull-up)",
		    np[0], np[1], np[2]);
		verdict(d, DOCTOR_MISO_FLOATING, "no chip answers: MISO is floating", causes);
		not_swapped(d, a);
		return;
	}
	if (absent(pu) && !memcmp(pu, np, 3) && pu[0] == 0xFF) {
		add(d, DOCTOR_FAULT, "MISO", "stuck high: ID FF FF FF with the pull-up on and off "
		    "(idle level %u/%u)", a->miso & 1, (a->miso >> 1) & 1);
		verdict(d, DOCTOR_MISO_HIGH, "no chip answers: MISO stays high",
			"MISO reads 1 with and without the pull-up: something holds it high, or it\n"
			"floats high.  Check, in order:\n"
			"  1. MISO shorted to VCC, or a second device on the bus driving it\n"
			"  2. the causes of a floating MISO: chip unpowered, HOLD# (pin 7) low,\n"
			"     CS# not on D10");
		not_swapped(d, a);
		return;
	}
	if (absent(pu) && !memcmp(pu, np, 3)) {
		add(d, DOCTOR_FAULT, "MISO", "stuck low: ID 00 00 00 with the pull-up on and off "
		    "(idle level %u/%u)", a->miso & 1, (a->miso >> 1) & 1);
		verdict(d, DOCTOR_MISO_LOW, "no chip answers: MISO stays low",
			"MISO reads 0 even against the pull-up: something drives it low.  Check, in order:\n"
			"  1. the chip's power: an unpowered chip pulls its pins down through its\n"
			"     protection diodes (VCC pin 8, GND pin 4)\n"
			"  2. MISO shorted to GND, or a target board holding the bus (power it off,\n"
			"     or hold its CPU in reset)\n"
			"  3. the chip itself");
		not_swapped(d, a);
		return;
	}
	add(d, DOCTOR_WARN, "MISO", "unsteady: ID %02X %02X %02X with the pull-up, %02X %02X %02X "
	    "without", pu[0], pu[1], pu[2], np[0], np[1], np[2]);
}

/* ---- power ---- */

static int mv(unsigned raw, int avcc)
{
	return (int)((raw * (unsigned)avcc + 511) / 1023);
}

static void power_findings(struct doctor *d, const struct proto_ans_diag *a,
			   const struct proto_ans_diag *load, const char *load_what)
{
	const char *ds = d->ops->chip.datasheet ? d->ops->chip.datasheet : "";
	int v18 = strstr(ds, "1.8 V") != NULL || strstr(d->ops->chip.name ? d->ops->chip.name : "", "1.8") != NULL;
	int lo = v18 ? 1650 : 2700, hi = v18 ? 1950 : 3600;
	int diff = (int)a->a0 - (int)a->a0_pu;

	d->vcc_mv = d->vcc_min_mv = d->avcc_mv = -1;
	if (!a->bandgap) {
		add(d, DOCTOR_NOTE, "VCC", "not measured: the bandgap reads 0");
		return;
	}
	d->avcc_mv = (int)((1100u * 1023u + a->bandgap / 2) / a->bandgap);
	if (a->a0 < 20 || diff > 20 || diff < -20) {
		add(d, DOCTOR_NOTE, "VCC", "not measured: A0 is not wired to the chip's VCC (it "
		    "follows its pull-up: %u of 1023 with it, %u without); wire VCC (pin 8) to A0 "
		    "to have it checked", a->a0_pu, a->a0);
		return;
	}
	d->vcc_mv = mv(a->a0, d->avcc_mv);
	d->vcc_min_mv = load ? mv(load->a0_min, d->avcc_mv) : d->vcc_mv;
	if (d->vcc_mv > hi + 300) {
		add(d, DOCTOR_FAULT, "VCC", "%.2f V on the chip's VCC (A0, board at %.2f V): a %s part "
		    "takes %.2f-%.2f V%s", d->vcc_mv / 1000.0, d->avcc_mv / 1000.0,
		    v18 ? "1.8 V" : "3.3 V", lo / 1000.0, hi / 1000.0,
		    a->a0 >= 1013 ? " (A0 at full scale with and without its pull-up: also what an "
		    "open A0 that kept the pull-up's charge from an earlier run reads; if A0 is "
		    "not wired, disregard this)" : "");
		verdict(d, DOCTOR_POWER, v18 ? "a 1.8 V chip on a higher supply" :
			"a 3.3 V chip on 5 V",
			v18 ? "Power the chip from 1.8 V, with level shifters on CS#, CLK, MOSI and MISO\n"
			      "(a 3.3 V programmer destroys 1.8 V parts)." :
			"Power the chip from 3.3 V and put level shifters (or a 3.3 V board) on CS#,\n"
			"CLK and MOSI: a 5 V Arduino drives 5 V into a 3.6 V part.");
		return;
	}
	if (d->vcc_mv < lo) {
		add(d, DOCTOR_FAULT, "VCC", "%.2f V on the chip's VCC: below the %.2f V the part needs",
		    d->vcc_mv / 1000.0, lo / 1000.0);
		verdict(d, DOCTOR_POWER, "the chip's supply is too low",
			"Check the supply and its wires; a board powered back through the clip, or\n"
			"a regulator that cannot start, reads low here.");
		return;
	}
	add(d, DOCTOR_OK, "VCC", "%.2f V on the chip's VCC (A0, board at %.2f V), within %.2f-%.2f V",
	    d->vcc_mv / 1000.0, d->avcc_mv / 1000.0, lo / 1000.0, hi / 1000.0);
	if (load) {
		int drop = d->vcc_mv - d->vcc_min_mv;

		if (d->vcc_min_mv < lo || drop > d->vcc_mv / 10) {
			add(d, DOCTOR_FAULT, "VCC", "sags to %.2f V %s (%u ms), from %.2f V at rest",
			    d->vcc_min_mv / 1000.0, load_what, load->load_ms, d->vcc_mv / 1000.0);
			verdict(d, DOCTOR_POWER, "the chip's supply sags when the chip works",
				"The supply is too weak for the chip: use a stronger 3.3 V source (not the\n"
				"Arduino's 3V3 pin on old Nanos, 50 mA at most), shorten the VCC and GND\n"
				"wires, add 100 nF and 10 uF at the chip, and power down the target board.");
		} else {
			add(d, DOCTOR_OK, "VCC", "holds %.2f V %s (%u ms)", d->vcc_min_mv / 1000.0,
			    load_what, load->load_ms);
		}
	}
}

/* ---- WP# ---- */

static int wp_check(struct doctor *d)
{
	struct prog *p = d->prog;
	const struct chip *ch = &d->ops->chip;
	int two = (ch->flags & CHIP_F_WRSR_2BYTE) != 0;
	uint8_t sr1, sr2 = 0, v[2], back = 0;
	int err;

	err = prog_read_sr(p, SPINOR_OP_RDSR, &sr1);
	if (!err && two)
		err = prog_read_sr(p, SPINOR_OP_RDSR2, &sr2);
	if (err)
		return err;
	if (!(sr1 & SPINOR_SR1_SRP0)) {
		add(d, DOCTOR_OK, "WP#", "not tested: SRP0 is clear (SR1 %02X), so WP# locks nothing", sr1);
		return 0;
	}
	/* a volatile write of SR1 with BP0 flipped, read back, put back */
	v[0] = (uint8_t)((sr1 ^ 0x04) & 0xFC);
	v[1] = sr2;
	err = prog_write_sr(p, SPINOR_OP_WRSR, PROTO_WSR_VOLATILE, v, two ? 2 : 1, 50);
	if (!err)
		err = prog_read_sr(p, SPINOR_OP_RDSR, &back);
	if (err && !DEV_IS_REMOTE(err))
		return err;
	if (!err && (back & 0xFC) == v[0]) {
		v[0] = (uint8_t)(sr1 & 0xFC);
		err = prog_write_sr(p, SPINOR_OP_WRSR, PROTO_WSR_VOLATILE, v, two ? 2 : 1, 50);
		add(d, DOCTOR_OK, "WP#", "high: SRP0 is set and a volatile status write took "
		    "(SR1 %02X -> %02X, put back)", sr1, back);
		return err && !DEV_IS_REMOTE(err) ? err : 0;
	}
	add(d, DOCTOR_FAULT, "WP#", "low: SRP0 is set (SR1 %02X) and a volatile status write was "
	    "ignored (SR1 still %02X)", sr1, back);
	verdict(d, DOCTOR_WP_LOCKED, "WP# is low and SRP0 is set: status-register writes are ignored",
		"Tie WP# (pin 3) to VCC (pin 8), or through 10k; on a board, find what pulls it\n"
		"low.  Until then protect/unprotect and any status write fail; reads, programs\n"
		"and erases outside protected blocks still work.");
	return 0;
}

/* ---- the whole run ---- */

static void signal_findings(struct doctor *d, int ref_bad, uint32_t span, unsigned repeats)
{
	char a[16], b[16], line[96];
	unsigned i;

	for (i = 0; i < d->nclk; i++) {
		const struct doctor_clock *k = &d->clk[i];

		if (!k->reads)
			continue;
		snprintf(line, sizeof(line), "signal at %s", doctor_hz_str(k->hz, a, sizeof(a)));
		if (i == d->nclk - 1 && !k->bad)
			add(d, DOCTOR_OK, line, "two reads alike (the reference)");
		else if (i == d->nclk - 1)
			add(d, DOCTOR_WARN, line, "two reads differ (the reference)");
		else if (k->bad)
			add(d, DOCTOR_WARN, line, "%u of %u reads differ from the slowest clock's "
			    "(ID, SR1, CRC-32 of %u KiB)", k->bad, k->reads, (unsigned)(span / 1024));
		else
			add(d, DOCTOR_OK, line, "%u of %u reads alike", k->reads, k->reads);
	}
	if (ref_bad) {
		add(d, DOCTOR_FAULT, "signal", "two reads at the slowest clock differ");
		verdict(d, DOCTOR_SIGNAL_NONE, "reads differ even at the slowest SPI clock",
			"The wires or the clip lose bits at any speed: reseat the clip (clean the\n"
			"pins), shorten the wires (under 10 cm), a common GND, 100 nF at the chip;\n"
			"power the target board down.");
		return;
	}
	if (d->clock_hz && d->clock_hz != d->clk[0].hz) {
		snprintf(line, sizeof(line), "reads differ above %s: the wiring is marginal",
			 doctor_hz_str(d->clock_hz, a, sizeof(a)));
		verdict(d, DOCTOR_SIGNAL, line, "");
		snprintf(d->next, sizeof(d->next),
			 "Every read agreed at %s and below (%u reads of ID, SR1 and %u KiB each).\n"
			 "With the sketch every command picks such a clock by itself (--spi-speed\n"
			 "auto); --spi-speed %u%s forces this one.  Shorter wires, a common GND and\n"
			 "a seated clip bring %s back.",
			 doctor_hz_str(d->clock_hz, a, sizeof(a)), repeats, (unsigned)(span / 1024),
			 d->clock_hz % 1000000 ? (unsigned)(d->clock_hz / 1000) :
			 (unsigned)(d->clock_hz / 1000000), d->clock_hz % 1000000 ? "k" : "M",
			 doctor_hz_str(d->clk[0].hz, b, sizeof(b)));
	}
}

/* 1. MISO: with the pull-up and without (DIAG); without the sketch, only
 * whether an ID comes back.  A fault found sets the verdict. */
static int step_miso(struct doctor *d)
{
	struct prog *p = d->prog;
	struct proto_req_diag q = { 0, 0 };
	uint8_t id1[3], id2[3];
	int err = prog_diag(p, &q, &d->diag);

	if (!err) {
		d->have_diag = 1;
		miso_findings(d, &d->diag);
		return 0;
	}
	if (err != DEV_E_REMOTE + PROTO_E_UNKNOWN_OP)
		return err;
	add(d, DOCTOR_NOTE, "MISO", "the pull-up test needs the spiflash sketch (DIAG); "
	    "over %s only the ID is read", p->name ? p->name : "this programmer");
	err = prog_jedec(p, id1, 3);
	if (!err)
		err = prog_jedec(p, id2, 3);
	if (err)
		return err;
	if (absent(id1) && !memcmp(id1, id2, 3)) {
		add(d, DOCTOR_FAULT, "MISO", "ID %02X %02X %02X: no chip answers", id1[0],
		    id1[1], id1[2]);
		verdict(d, id1[0] ? DOCTOR_MISO_HIGH : DOCTOR_MISO_LOW,
			"no chip answers (the ID reads all 1s or all 0s)",
			"Without the sketch, floating and stuck cannot be told apart.  Check the\n"
			"chip's power, MOSI/MISO (not swapped), HOLD# (pin 7) high, CS#, the clip.");
	}
	return 0;
}

/* 2. the chip, detected at the slowest clock */
static int step_chip(struct doctor *d)
{
	struct ops *o = d->ops;
	struct ops_chip_id id;
	int err;

	prog_set_clock(d->prog, DOCTOR_SLOWEST_HZ, NULL);
	err = ops_detect_chip(o, NULL, &id);
	if (err == OPS_E_NOCHIP || err == OPS_E_UNKNOWN) {
		add(d, DOCTOR_FAULT, "chip", "%s", o->msg[0] ? o->msg : sf_strerror(err));
		verdict(d, DOCTOR_NO_CHIP, "MISO is driven, but no usable chip ID",
			"Something answers, but not a SPI NOR flash ID: check CS# (pin 1 on D10),\n"
			"the clip's orientation, and that the part is a 25-series flash.  A part\n"
			"with no JEDEC ID can be named with --chip.");
		return 0;
	}
	if (err)
		return err;
	add(d, DOCTOR_OK, "chip", "%s, %u KiB (ID %02X %02X %02X)", o->chip.name,
	    (unsigned)(o->chip.size / 1024), o->jedec[0], o->jedec[1], o->jedec[2]);
	return 0;
}

/* The load for the power reading: a sector erase (its bytes read first and
 * written back) with --erase-test, else a read of the chip. */
static int power_load(struct doctor *d, struct proto_ans_diag *load, const char **what)
{
	struct proto_req_diag q = { 0, 0 };
	uint8_t *save;
	int err;

	if (!d->par.erase_test) {
		q.flags = PROTO_DIAG_LOAD;
		*what = "while the chip is read";
		return prog_diag(d->prog, &q, load);
	}
	q.flags = PROTO_DIAG_ERASE;
	q.addr = d->par.erase_addr & ~(uint32_t)(OPS_SECTOR - 1);
	*what = "during a sector erase";
	save = malloc(OPS_SECTOR);
	if (!save)
		return OPS_E_NOMEM;
	err = ops_read(d->ops, q.addr, save, OPS_SECTOR);
	if (!err)
		err = prog_diag(d->prog, &q, load);
	if (!err)
		err = ops_write(d->ops, q.addr, save, OPS_SECTOR, 1);
	free(save);
	return err;
}

/* 3. power: at rest, then under load (the sketch's ADC on A0) */
static int step_power(struct doctor *d)
{
	struct proto_ans_diag load;
	const char *what;
	int err;

	if (!d->have_diag) {
		add(d, DOCTOR_NOTE, "VCC", "not measured: %s has no ADC (the sketch reads the chip's "
		    "VCC on A0)", d->prog->name ? d->prog->name : "this programmer");
		return 0;
	}
	err = power_load(d, &load, &what);
	if (!err)
		power_findings(d, &d->diag, &load, what);
	return err;
}

/* 5. signal quality: the same reads at every clock the programmer offers */
static int step_signal(struct doctor *d)
{
	unsigned repeats = d->par.repeats ? d->par.repeats : 3;
	uint32_t span = d->par.span ? d->par.span : 4096;
	int ref_bad = 0, err;

	if (span > d->ops->chip.size)
		span = d->ops->chip.size;
	err = doctor_scan(d->prog, span, repeats, d->clk, &d->nclk, &d->clock_hz, &ref_bad);
	if (err == DEV_E_REMOTE + PROTO_E_UNKNOWN_OP) {
		add(d, DOCTOR_NOTE, "signal", "not checked at other clocks: %s sets no SPI clock",
		    d->prog->name ? d->prog->name : "this programmer");
		return 0;
	}
	if (!err)
		signal_findings(d, ref_bad, span, repeats);
	return err;
}

/* The steps in order.  Power, WP# and the clock scan add their evidence
 * even after one of them found a fault (the first fault decides the
 * verdict); but with MISO dead or no chip ID they would measure nothing,
 * so a fault in the first GATING steps ends the run. */
static int (*const steps[])(struct doctor *) = {
	step_miso, step_chip, step_power, wp_check, step_signal,
};
#define GATING 2

int doctor_run(struct doctor *d, struct prog *p, struct ops *o, const struct doctor_params *par)
{
	size_t i;
	int err;

	memset(d, 0, sizeof(*d));
	d->prog = p;
	d->ops = o;
	if (par)
		d->par = *par;
	d->vcc_mv = d->vcc_min_mv = d->avcc_mv = -1;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (i > 0 && i <= GATING && d->verdict != DOCTOR_CLEAN)
			break;
		err = steps[i](d);
		if (err) {
			d->verdict = DOCTOR_ERROR;
			d->err = err;
			return err;
		}
	}
	if (d->verdict == DOCTOR_CLEAN) {
		char a[16];

		if (d->clock_hz)
			snprintf(d->summary, sizeof(d->summary),
				 "clean bill: the chip answers, every read agreed up to %s",
				 doctor_hz_str(d->clock_hz, a, sizeof(a)));
		else
			snprintf(d->summary, sizeof(d->summary), "clean bill: the chip answers");
		snprintf(d->next, sizeof(d->next), "Go ahead: 'spiflash read -f backup.bin' first.");
	}
	return 0;
}
