/*
 * interrupt: SIGINT, SIGTERM and SIGHUP end a command cleanly.  The handler
 * only notes the signal; a guard between the core and the programmer
 * (prog.h) refuses every request after it, so the request in flight (a
 * page, an erase block; a streamed read stops at its next block) finishes,
 * the core stops with SF_E_INTERRUPTED, and the normal way out runs: the
 * state of the range and the command that finishes the job printed, the
 * link back at its boot rate, temporary files removed, exit 128 + signal.
 * A second signal ends the process at once (the temporary file still
 * removed).
 */
#ifndef INTERRUPT_H
#define INTERRUPT_H

#include "prog/prog.h"

struct guard {
	struct prog inner;          /* the real programmer */
	int allow;                  /* after the stop: let the state be read */
	const char *doing;          /* "erase", "program", "verify": for the progress bar */
	void (*changed)(void *arg); /* called when doing changes, or NULL */
	void *changed_arg;
};

/* Install the handlers (once). */
void interrupt_install(void);
/* The signal that arrived, 0 if none. */
int interrupt_signal(void);
/* "SIGINT" and so on */
const char *interrupt_name(int sig);
/* A temporary file the second signal removes too (NULL: none). */
void interrupt_tmp(const char *path);
/* Put the guard between p and its driver; prog_close(p) closes both. */
void interrupt_guard(struct prog *p, struct guard *g);

#endif
