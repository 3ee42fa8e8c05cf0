/*
 * emu_fault: the --fault specification, and the injector that applies it to
 * every byte queued on the link.  Rates are parts per million bytes
 * and draw on one xorshift generator seeded by seed=, so a run with the same
 * seed and the same traffic injects the same faults; the *-after= counts are
 * exact, counted over both directions (bytes into the AVR plus bytes out).
 */
#include "emu_bridge.h"
#include "emu_bridge_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_time.h"

int emu_fault_parse(const char *spec, struct emu_fault *f, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	memset(f, 0, sizeof(*f));
	f->seed = 1;
	f->stall_ms = 100;
	f->dirs = EMU_TO_DEV | EMU_FROM_DEV;
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "fault spec too long");
		return -1;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		unsigned long long v;

		if (!eq) {
			snprintf(err, errlen, "fault '%s' has no value", tok);
			return -1;
		}
		*eq++ = '\0';
		if (!strcmp(tok, "dir")) {
			if (!strcmp(eq, "to"))
				f->dirs = EMU_TO_DEV;
			else if (!strcmp(eq, "from"))
				f->dirs = EMU_FROM_DEV;
			else if (!strcmp(eq, "both"))
				f->dirs = EMU_TO_DEV | EMU_FROM_DEV;
			else {
				snprintf(err, errlen, "fault dir '%s' is not to, from or both", eq);
				return -1;
			}
			continue;
		}
		errno = 0;
		v = strtoull(eq, &end, 0);
		if (errno || end == eq || *end) {
			snprintf(err, errlen, "fault '%s' value '%s' is not a number", tok, eq);
			return -1;
		}
		if (!strcmp(tok, "seed"))
			f->seed = v ? v : 1;    /* xorshift must not start at 0 */
		else if (!strcmp(tok, "unplug-after"))
			f->unplug_after = v;
		else if (!strcmp(tok, "reset-after"))
			f->reset_after = v;
		else if (v > 1000000u)
			goto range;
		else if (!strcmp(tok, "flip"))
			f->flip_ppm = (uint32_t)v;
		else if (!strcmp(tok, "drop"))
			f->drop_ppm = (uint32_t)v;
		else if (!strcmp(tok, "dup"))
			f->dup_ppm = (uint32_t)v;
		else if (!strcmp(tok, "stall"))
			f->stall_ppm = (uint32_t)v;
		else if (!strcmp(tok, "stall-ms"))
			f->stall_ms = (uint32_t)v;
		else {
			snprintf(err, errlen, "unknown fault '%s'", tok);
			return -1;
		}
		continue;
range:
		snprintf(err, errlen, "fault '%s' value %llu is above 1000000", tok, v);
		return -1;
	}
	return 0;
}

/* Due times never go backwards, so the ring stays in order whatever the stalls. */
static void ring_put(struct emu_ring *r, uint8_t byte, avr_cycle_count_t due)
{
	if (due < r->last_due)
		due = r->last_due;
	if (due < r->stall_until)
		due = r->stall_until;
	r->last_due = due;
	r->byte[r->head & EMU_RING_MASK] = byte;
	r->due[r->head & EMU_RING_MASK] = due;
	r->head++;
}

static int chance(struct emu_bridge *b, uint32_t ppm)
{
	return ppm && emu_rng_next(&b->rng) % 1000000u < ppm;
}

int emu_fault_enqueue(struct emu_bridge *b, struct emu_ring *r, unsigned dir,
		      uint8_t byte, avr_cycle_count_t due)
{
	avr_t *avr = b->avr;
	int copies = 1;

	if (b->fault.dirs & dir) {
		struct emu_fault_stats *fs = &b->st.fault;

		if (chance(b, b->fault.stall_ppm)) {
			r->stall_until = avr->cycle +
				avr_usec_to_cycles(avr, b->fault.stall_ms * 1000u);
			fs->stalls++;
		}
		if (chance(b, b->fault.drop_ppm)) {
			fs->drops++;
			return 0;
		}
		if (chance(b, b->fault.flip_ppm)) {
			byte ^= (uint8_t)(1u << (emu_rng_next(&b->rng) % 8));
			fs->flips++;
		}
		if (chance(b, b->fault.dup_ppm)) {
			copies = 2;
			fs->dups++;
		}
	}
	if (emu_ring_space(r) < (uint32_t)copies)
		return -1;
	while (copies--)
		ring_put(r, byte, due);
	return 0;
}

/* The traffic-count faults: the main loop acts on the request. */
void emu_fault_count(struct emu_bridge *b)
{
	uint64_t n = b->st.to_dev + b->st.from_dev;

	if (b->fault.unplug_after && n == b->fault.unplug_after)
		b->req |= EMU_REQ_UNPLUG;
	if (b->fault.reset_after && n == b->fault.reset_after)
		b->req |= EMU_REQ_RESET;
}
