/*
 * multi: a command on several devices in parallel (multi.h).
 */
#include "cli/multi.h"
#include "cli/json.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
	pid_t pid;
	FILE *out, *err;           /* unlinked temporary files */
	int rc;
};

/* Copy f to dst, each line prefixed with "DEV: " (or not, if prefix is NULL). */
static void copy_lines(FILE *f, FILE *dst, const char *prefix, int strip_newline)
{
	char line[1024];
	int bol = 1;

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		if (bol && prefix)
			fprintf(dst, "%s: ", prefix);
		bol = l && line[l - 1] == '\n';
		if (bol && strip_newline)
			line[l - 1] = '\0';
		fputs(line, dst);
	}
	if (!bol && !strip_newline)
		fputc('\n', dst);
}

/* A child's JSON object into the array; one the child never printed (it
 * crashed) stands in as a bare error object, so the array has every device. */
static void embed(struct json *j, struct child *c, const char *dev, const char *command)
{
	char buf[16384];
	size_t n;

	rewind(c->out);
	n = fread(buf, 1, sizeof(buf), c->out);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n && n < sizeof(buf) && buf[0] == '{' && buf[n - 1] == '}') {
		json_raw(j, NULL, buf, n);
		return;
	}
	json_object_begin(j, NULL);
	json_str(j, "command", command);
	json_str(j, "device", dev);
	json_str(j, "result", "error");
	json_str(j, "error", "the process for this device printed no result");
	json_int(j, "exit_code", c->rc ? c->rc : 1);
	json_object_end(j);
}

static int start(struct child *c, const char *dev, multi_fn fn, void *arg)
{
	c->out = tmpfile();
	c->err = tmpfile();
	if (!c->out || !c->err)
		return MULTI_E_SYS;
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0)
		return MULTI_E_SYS;
	if (c->pid == 0) {
		int rc;

		dup2(fileno(c->out), STDOUT_FILENO);
		dup2(fileno(c->err), STDERR_FILENO);
		rc = fn(arg, dev);
		fflush(NULL);
		_exit(rc & 0xFF);
	}
	return 0;
}

int multi_run(const struct multi_opts *m, multi_fn fn, void *arg, FILE *out, FILE *err,
	      char *msg, size_t msglen)
{
	struct child *c = calloc(m->n, sizeof(*c));
	unsigned i, started = 0;
	int worst = 0, sys = 0;

	if (!c) {
		snprintf(msg, msglen, "out of memory");
		return MULTI_E_SYS;
	}
	for (i = 0; i < m->n; i++) {
		if (start(&c[i], m->devices[i], fn, arg)) {
			snprintf(msg, msglen, "cannot start a process for '%s': %s", m->devices[i],
				 strerror(errno));
			sys = 1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		int st;

		while (waitpid(c[i].pid, &st, 0) < 0 && errno == EINTR)
			;
		c[i].rc = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
		if (WIFSIGNALED(st))
			fprintf(c[i].err, "spiflash: killed by signal %d\n", WTERMSIG(st));
		fflush(c[i].out);
		fflush(c[i].err);
		if (c[i].rc > worst)
			worst = c[i].rc;
	}
	/* messages first, device by device, then the summary lines together */
	for (i = 0; i < started; i++) {
		copy_lines(c[i].err, err, m->devices[i], 0);
		if (!m->json)
			copy_lines(c[i].out, out, m->devices[i], 0);
	}
	if (m->json) {
		struct json j;

		json_init(&j, out);
		json_object_begin(&j, NULL);
		json_str(&j, "command", m->command);
		json_array_begin(&j, "devices");
		for (i = 0; i < started; i++)
			embed(&j, &c[i], m->devices[i], m->command);
		json_array_end(&j);
		json_str(&j, "result", worst || sys ? "error" : "ok");
		json_int(&j, "exit_code", sys ? 1 : worst);
		json_object_end(&j);
	} else {
		for (i = 0; i < started; i++)
			if (c[i].rc)
				fprintf(err, "%s: failed (exit %d)\n", m->devices[i], c[i].rc);
			else if (!m->quiet)
				fprintf(out, "%s: ok\n", m->devices[i]);
	}
	for (i = 0; i < started; i++) {
		fclose(c[i].out);
		fclose(c[i].err);
	}
	free(c);
	if (sys)
		return MULTI_E_SYS;
	return worst;
}
