/*
 * fc_fault: injected faults of the chip model (struct fc_faults in
 * flashchip.h), the ways real parts and clips fail that the link faults of
 * the emulator cannot show:
 *
 *   stuck=ADDR:MASK      the MASK bits of byte ADDR stay 1: a program does not
 *                        clear them (a worn or damaged cell); up to 8
 *   slow-erase[=FACTOR]  every erase is busy FACTOR (default 10) times its
 *                        datasheet maximum: the programmer's deadline passes
 *   miso-stuck-after=N[:VAL]
 *                        after N bytes clocked, MISO reads VAL (default FFh,
 *                        a chip that stopped answering or a slipped clip;
 *                        00h: the line shorted low); the chip itself still
 *                        works, only its answers are lost
 *   protect-after=N      after N programs or erases, every block-protect bit
 *                        is set (and SEC, CMP cleared), as a second program
 *                        or a hardware event behind the client's back would
 *
 * Counters run over the chip's lifetime; a fault that fired stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flashchip.h"

static int num(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 0);
	return (*end || *v > max) ? -1 : 0;
}

int fc_fault_parse(const char *spec, struct fc_faults *f, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;
	unsigned long long v, w;

	memset(f, 0, sizeof(*f));
	f->miso_value = 0xFF;
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "chip fault spec too long");
		return -1;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *colon;

		if (eq)
			*eq++ = '\0';
		if (!strcmp(tok, "slow-erase")) {
			f->slow_erase = 10;
			if (eq && (num(eq, 1000, &v) || v == 0))
				goto bad;
			if (eq)
				f->slow_erase = (uint32_t)v;
			continue;
		}
		if (!eq) {
			snprintf(err, errlen, "chip fault '%s' needs a value", tok);
			return -1;
		}
		colon = strchr(eq, ':');
		if (colon)
			*colon++ = '\0';
		if (!strcmp(tok, "stuck")) {
			if (!colon || num(eq, 0xFFFFFFFFu, &v) || num(colon, 0xFF, &w) || w == 0)
				goto bad;
			if (f->nstuck == FC_STUCK_MAX) {
				snprintf(err, errlen, "at most %d stuck cells", FC_STUCK_MAX);
				return -1;
			}
			f->stuck[f->nstuck].addr = (uint32_t)v;
			f->stuck[f->nstuck].mask = (uint8_t)w;
			f->nstuck++;
		} else if (!strcmp(tok, "miso-stuck-after")) {
			if (num(eq, 0xFFFFFFFFu, &v) || (colon && num(colon, 0xFF, &w)))
				goto bad;
			f->miso_stuck_after = (uint32_t)v;
			if (colon)
				f->miso_value = (uint8_t)w;
		} else if (!strcmp(tok, "protect-after")) {
			if (num(eq, 0xFFFFFFFFu, &v) || v == 0)
				goto bad;
			f->protect_after = (uint32_t)v;
		} else {
			snprintf(err, errlen, "unknown chip fault '%s'", tok);
			return -1;
		}
		continue;
bad:
		snprintf(err, errlen, "bad value for chip fault '%s'", tok);
		return -1;
	}
	return 0;
}

uint8_t fc_fault_miso(struct fc_chip *c, uint8_t miso)
{
	struct fc_faults *f = &c->fault;

	if (!f->miso_stuck_after)
		return miso;
	if (!f->miso_stuck && ++f->bytes >= f->miso_stuck_after)
		f->miso_stuck = 1;
	return f->miso_stuck ? f->miso_value : miso;
}

void fc_fault_programmed(struct fc_chip *c, uint32_t base, uint32_t len)
{
	const struct fc_faults *f = &c->fault;
	unsigned i;

	for (i = 0; i < f->nstuck; i++)
		if (f->stuck[i].addr >= base && f->stuck[i].addr - base < len &&
		    f->stuck[i].addr < c->part->size)
			c->mem[f->stuck[i].addr] |= f->stuck[i].mask;
}

void fc_fault_latched(struct fc_chip *c)
{
	struct fc_faults *f = &c->fault;
	uint8_t bp = (c->part->flags & FC_F_BP3) ? 0x3C : 0x1C;

	if (!f->protect_after || f->protected_now || ++f->writes < f->protect_after)
		return;
	f->protected_now = 1;
	c->sr1 |= bp;
	if (c->part->flags & FC_F_SEC)
		c->sr1 &= (uint8_t)~0x40;
	if (c->part->flags & FC_F_CMP)
		c->sr2 &= (uint8_t)~0x40;
}

uint64_t fc_fault_erase_us(const struct fc_chip *c, uint64_t us, uint32_t max_us)
{
	return c->fault.slow_erase ? (uint64_t)max_us * c->fault.slow_erase : us;
}
