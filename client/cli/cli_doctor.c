/*
 * cli_doctor: `spiflash doctor` (the checks are core/doctor.c) and the
 * session's clock under --spi-speed auto.
 *
 * Exit codes: 0 a clean bill; EXIT_CHIP (4) the chip cannot be used as
 * wired (MISO floating or stuck, no ID, VCC wrong or sagging, WP# locking
 * the status registers, reads that differ at every clock); EXIT_MISMATCH
 * (5) the chip works, but reads differ above some clock; EXIT_DEVICE and
 * the others as for every command when the programmer itself fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/doctor.h"
#include "cli/cli.h"
#include "cli/json.h"

static const char *const level_tag[] = { " ok  ", "note ", "WARN ", "FAULT" };
static const char *const level_name[] = { "ok", "note", "warn", "fault" };
static const char *const verdict_name[] = {
	"clean", "miso-floating", "swapped", "miso-high", "miso-low", "no-chip", "power", "wp-locked",
	"signal", "signal-none", "error",
};

/* --json: the usual members, and "doctor": verdict, findings, clocks, VCC */
static void print_json(struct ctx *c, const struct doctor *d, int rc)
{
	struct json j;
	unsigned i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	report_members(&j, &c->rep, rc);
	json_object_begin(&j, "doctor");
	json_str(&j, "verdict", verdict_name[d->verdict]);
	json_str(&j, "summary", d->summary);
	json_str(&j, "next", d->next);
	json_array_begin(&j, "findings");
	for (i = 0; i < d->nf; i++) {
		json_object_begin(&j, NULL);
		json_str(&j, "level", level_name[d->f[i].level]);
		json_str(&j, "what", d->f[i].what);
		json_str(&j, "text", d->f[i].text);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "clocks");
	for (i = 0; i < d->nclk; i++) {
		json_object_begin(&j, NULL);
		json_uint(&j, "hz", d->clk[i].hz);
		json_uint(&j, "reads", d->clk[i].reads);
		json_uint(&j, "differ", d->clk[i].bad);
		json_object_end(&j);
	}
	json_array_end(&j);
	if (d->clock_hz)
		json_uint(&j, "spi_clock_hz", d->clock_hz);
	else
		json_null(&j, "spi_clock_hz");
	if (d->vcc_mv >= 0) {
		json_int(&j, "vcc_mv", d->vcc_mv);
		json_int(&j, "vcc_min_mv", d->vcc_min_mv);
	} else {
		json_null(&j, "vcc_mv");
	}
	json_object_end(&j);
	json_object_end(&j);
	c->rep.printed = 1;
}

static int verdict_exit(enum doctor_verdict v)
{
	switch (v) {
	case DOCTOR_CLEAN:
		return EXIT_OK;
	case DOCTOR_SIGNAL:
		return EXIT_MISMATCH;
	case DOCTOR_ERROR:
		return EXIT_ERROR;
	default:
		return EXIT_CHIP;
	}
}

/* The verdict as the run's error (--json's "error"), not printed. */
static void rep_error(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_verror(&c->rep, fmt, ap);
	va_end(ap);
}

int cmd_doctor(struct ctx *c)
{
	struct doctor d;
	struct doctor_params par;
	unsigned i;
	int rc, err;

	rc = session_open(c);
	if (rc)
		return rc;
	memset(&par, 0, sizeof(par));
	par.erase_test = c->o.erase_test;
	par.erase_addr = (uint32_t)c->o.erase_test_addr;
	err = doctor_run(&d, &c->pgm, &c->ops, &par);
	rc = verdict_exit(d.verdict);
	if (rc != EXIT_OK && !err)
		rep_error(c, "%s", d.summary);
	if (c->o.json && !err) {
		print_json(c, &d, rc);
		return rc;
	}
	for (i = 0; !c->o.json && i < d.nf; i++)
		printf("[%s] %s: %s\n", level_tag[d.f[i].level], d.f[i].what, d.f[i].text);
	if (err)
		return fail(c, err);
	printf("\nverdict: %s\n", d.summary);
	if (d.next[0])
		printf("next:    %s\n", d.next);
	return rc;
}

/* --spi-speed auto, and the sketch's default: a raw SPI master keeps the
 * clock its driver sets unless asked. */
int session_clock_auto(const struct ctx *c)
{
	return c->o.spi_speed == OPTS_SPI_AUTO ||
	       (!c->o.spi_speed && c->pgm.name && !strcmp(c->pgm.name, "spiflash"));
}

int session_auto_clock(struct ctx *c, char *why, size_t whylen)
{
	uint32_t hz;
	int err;

	why[0] = '\0';
	if (!session_clock_auto(c))
		return 0;
	err = doctor_pick_clock(&c->pgm, &c->ops, 2, 1024, &hz, why, whylen);
	if (err == DEV_E_REMOTE + PROTO_E_UNKNOWN_OP) {
		snprintf(why, whylen, "the programmer's own (it sets no SPI clock)");
		return 0;
	}
	if (!err && c->o.verbose)
		fprintf(stderr, "spiflash: SPI clock %s\n", why);
	return err;
}
