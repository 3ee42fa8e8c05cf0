/*
 * multi: one command on several programmers at once (-d given several
 * times).  One child process a device, so a slow or hung board holds up
 * only itself and each child has its own link, lock and state.  Each
 * child's stdout and stderr go to a file; when all are done, the parent
 * prints every device's messages prefixed with its port, then one result
 * line a device, or with --json one object holding the children's objects.
 */
#ifndef MULTI_H
#define MULTI_H

#include "err.h"

#include <stdio.h>


/* Runs the command for one device in the child; returns its exit code. */
typedef int (*multi_fn)(void *arg, const char *device);

struct multi_opts {
	const char *const *devices;
	unsigned n;
	const char *command;
	int json;                  /* children print JSON objects: gather them */
	int quiet;                 /* only failed devices get a result line */
};

/* Returns the highest exit code of the children (0: all succeeded), or
 * MULTI_E_SYS with msg. */
int multi_run(const struct multi_opts *m, multi_fn fn, void *arg, FILE *out, FILE *err,
	      char *msg, size_t msglen);

#endif
