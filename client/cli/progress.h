/*
 * progress: the command line's progress bar on stderr (an ops progress
 * callback): the phase under way (backup, erase, program, verify, read),
 * a bar and the percent of the whole command, the rate, and one ETA for
 * the whole command.  It fits the terminal's width, measured at every
 * update (so it follows a resize), and never wraps.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

#define PROGRESS_MAX_STEPS 4

struct progress {
	int enabled;
	int verbose;               /* >= 2: each phase's bytes and time at its end */
	const char *phase;         /* as the core reported it */
	const char *label;         /* shown instead of "read" (backup), or NULL */
	const char *const *sub;    /* the programmer's request under way, or NULL */
	uint64_t t0, last, start;  /* phase start, last update, command start */
	uint64_t phase_total;
	uint64_t phase_done;       /* the core's last count in its phase, also when not shown */
	int shown;
	int force;                 /* draw on the next call, whatever the time */
	/* the whole command: planned work, in bytes times a cost */
	struct { const char *name; double cost; uint64_t bytes; int done; } step[PROGRESS_MAX_STEPS];
	unsigned nsteps, cur;
};

void progress_cb(void *arg, const char *phase, uint64_t done, uint64_t total);
void progress_end(struct progress *p);
/* Draw again now: the request under way (*sub) changed. */
void progress_redraw(void *arg);
/* The whole command: add a step of about `bytes` bytes at a relative cost
 * per byte (a read costs 1, a write about 2), in the order they run. */
void progress_plan(struct progress *p, const char *name, double cost, uint64_t bytes);
/* The core's "read" is shown as label (NULL: as "read") */
void progress_label(struct progress *p, const char *label);

#endif
