/*
 * emu_fault: the --fault specification.  Rates are parts per million bytes
 * and draw on one xorshift generator seeded by seed=, so a run with the same
 * seed and the same traffic injects the same faults; the *-after= counts are
 * exact, counted over both directions (bytes into the AVR plus bytes out).
 */
#include "emu_bridge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
