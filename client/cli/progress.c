/*
 * progress: the progress bar of long commands (progress.h).
 */
#include "cli/progress.h"
#include "transport/clock.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void progress_plan(struct progress *p, const char *name, double cost, uint64_t bytes)
{
	if (p->nsteps == 0)
		p->start = clock_ms();
	if (p->nsteps < PROGRESS_MAX_STEPS) {
		p->step[p->nsteps].name = name;
		p->step[p->nsteps].cost = cost;
		p->step[p->nsteps].bytes = bytes;
		p->step[p->nsteps].done = 0;
		p->nsteps++;
	}
}

void progress_label(struct progress *p, const char *label)
{
	p->label = label;
}

static unsigned term_cols(void)
{
	struct winsize ws;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 10)
		return ws.ws_col;
	return 80;
}

/* The step the core's phase belongs to: the first not done whose name
 * matches (a backup is the core's "read" under a label). */
static int find_step(struct progress *p, const char *name)
{
	unsigned i;

	for (i = 0; i < p->nsteps; i++)
		if (!p->step[i].done && !strcmp(p->step[i].name, name))
			return (int)i;
	return -1;
}

/* Fraction of the whole command done (0..1), and the phase's alone. */
static double overall(struct progress *p, int step, uint64_t done, uint64_t total)
{
	double all = 0, before = 0;
	unsigned i;

	if (step < 0 || !total)
		return total ? (double)done / (double)total : 0;
	p->step[step].bytes = total;      /* the real size replaces the plan */
	for (i = 0; i < p->nsteps; i++) {
		double w = p->step[i].cost * (double)p->step[i].bytes;

		all += w;
		if ((int)i < step)
			before += w;
	}
	if (all <= 0)
		return 0;
	return (before + p->step[step].cost * (double)done) / all;
}

static void draw(struct progress *p, const char *name, double frac, double rate, uint64_t now)
{
	unsigned cols = term_cols(), bar, i, fill;
	char right[64], line[512];
	int n;
	uint64_t ms = now - (p->nsteps ? p->start : p->t0);

	if (frac > 0.001 && frac < 1.0 && ms > 500) {
		unsigned eta = (unsigned)((double)ms * (1.0 - frac) / frac / 1000.0);

		snprintf(right, sizeof(right), " %3u%% %7.1f KiB/s ETA %u:%02u", (unsigned)(frac * 100),
			 rate / 1024.0, eta / 60, eta % 60);
	} else {
		snprintf(right, sizeof(right), " %3u%% %7.1f KiB/s", (unsigned)(frac * 100),
			 rate / 1024.0);
	}
	n = snprintf(line, sizeof(line), "%-7s ", name);
	bar = cols - 1 > (unsigned)n + strlen(right) + 2 ? cols - 1 - (unsigned)n - (unsigned)strlen(right) - 2 : 0;
	if (bar > 60)
		bar = 60;
	if (bar >= 5 && (size_t)n + bar + 2 < sizeof(line)) {
		fill = (unsigned)(frac * bar + 0.5);
		line[n++] = '[';
		for (i = 0; i < bar; i++)
			line[n++] = i < fill ? '#' : '.';
		line[n++] = ']';
		line[n] = '\0';
	}
	snprintf(line + n, sizeof(line) - (size_t)n, "%s", right);
	if (strlen(line) > cols - 1)
		line[cols - 1] = '\0';
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
}

/* At a phase's end: -vv says what it moved and how long it took. */
static void phase_done(struct progress *p, uint64_t now)
{
	if (p->verbose >= 2 && p->phase) {
		if (p->shown)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "spiflash: %s: %llu bytes in %.1f s\n", p->label && !strcmp(p->phase, "read") ?
			p->label : p->phase, (unsigned long long)p->phase_total,
			(double)(now - p->t0) / 1000.0);
	}
}

void progress_cb(void *arg, const char *phase, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	uint64_t now = clock_ms(), ms;
	const char *name = p->label && !strcmp(phase, "read") ? p->label : phase;
	int step;

	p->phase_done = done;
	if (!p->enabled && p->verbose < 2)
		return;
	if (!p->phase || strcmp(p->phase, phase)) {
		phase_done(p, now);
		p->phase = phase;
		p->t0 = now;
	}
	p->phase_total = total;
	step = find_step(p, name);
	if (p->sub && *p->sub && (!strcmp(phase, "write") || !strcmp(phase, "erase")))
		name = *p->sub;
	if (p->enabled && (done == total || now - p->last >= 200 || p->force)) {
		p->force = 0;
		ms = now - p->t0;
		p->last = now;
		draw(p, name, overall(p, step, done, total), ms ? (double)done * 1000.0 / (double)ms : 0,
		     now);
		p->shown = 1;
	}
	if (done == total && total) {
		phase_done(p, now);
		if (step >= 0)
			p->step[step].done = 1;
		p->phase = NULL;
	}
}

void progress_redraw(void *arg)
{
	struct progress *p = arg;

	if (!p->enabled || !p->phase || p->phase_done >= p->phase_total)
		return;
	p->force = 1;
	progress_cb(p, p->phase, p->phase_done, p->phase_total);
}

void progress_end(struct progress *p)
{
	if (p->enabled && p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}
