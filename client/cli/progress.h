/*
 * progress: the command line's progress line on stderr (an ops progress
 * callback), and the --help text.  Split from main.c to keep it short.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

struct progress {
	int enabled;
	const char *phase;
	uint64_t t0, last;
	int shown;
};

void progress_cb(void *arg, const char *phase, uint64_t done, uint64_t total);
void progress_end(struct progress *p);

extern const char progress_usage_text[];

#endif
