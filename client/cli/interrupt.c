/* interrupt: the signal handlers and the guard programmer (interrupt.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli/interrupt.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#define LACKS (DEV_E_REMOTE + PROTO_E_UNKNOWN_OP)

static volatile sig_atomic_t got;
static char tmp_path[1100];
static volatile sig_atomic_t have_tmp;

static void on_signal(int sig)
{
	static const char msg[] = "\nspiflash: second signal: stopping now\n";

	if (got) {
		if (have_tmp)
			unlink(tmp_path);
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(128 + sig);
		_exit(128 + sig);
	}
	got = sig;
}

void interrupt_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	unsigned i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;        /* no SA_RESTART: a wait returns early */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int interrupt_signal(void)
{
	return got;
}

const char *interrupt_name(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT (Ctrl-C)";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	default: return "a signal";
	}
}

void interrupt_tmp(const char *path)
{
	have_tmp = 0;
	if (path && strlen(path) < sizeof(tmp_path)) {
		memcpy(tmp_path, path, strlen(path) + 1);
		have_tmp = 1;
	}
}

/* ---- the guard: every request refused once a signal arrived ---- */

#define STOPPED(g) (got && !(g)->allow)

static void doing(void *ctx, const char *what)
{
	struct guard *g = ctx;

	if (g->doing != what) {
		g->doing = what;
		if (g->changed)
			g->changed(g->changed_arg);
	}
}

static void g_close(void *ctx)
{
	struct guard *g = ctx;

	prog_close(&g->inner);
}

static void g_describe(void *ctx, struct prog_desc *d)
{
	struct guard *g = ctx;

	prog_describe(&g->inner, d);
}

/* the body of a guarded call */
#define PASS(call) \
	struct guard *g = ctx; \
	\
	if (STOPPED(g)) \
		return SF_E_INTERRUPTED; \
	return call

static int g_set_clock(void *ctx, uint32_t hz, uint32_t *set)
{
	PASS(prog_set_clock(&g->inner, hz, set));
}

static int g_chip(void *ctx, const struct proto_chip *c)
{
	PASS(prog_chip(&g->inner, c));
}

static int g_jedec(void *ctx, uint8_t *id, uint8_t n)
{
	PASS(prog_jedec(&g->inner, id, n));
}

static int g_sfdp(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	PASS(prog_sfdp(&g->inner, addr, buf, len));
}

static int g_read(void *ctx, uint32_t addr, uint8_t *buf, uint16_t len)
{
	PASS(prog_read(&g->inner, addr, buf, len));
}

static int g_program_begin(void *ctx, unsigned t_page_max_ms, unsigned page_size)
{
	doing(ctx, "program");
	{
		PASS(prog_program_begin(&g->inner, t_page_max_ms, page_size));
	}
}

static int g_erase(void *ctx, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	doing(ctx, "erase");
	{
		PASS(prog_erase(&g->inner, addr, opcode, max_ms));
	}
}

static int g_read_sr(void *ctx, uint8_t opcode, uint8_t *val)
{
	PASS(prog_read_sr(&g->inner, opcode, val));
}

static int g_write_sr(void *ctx, uint8_t opcode, uint8_t flags, const uint8_t *val, uint8_t n,
		      uint16_t max_ms)
{
	PASS(prog_write_sr(&g->inner, opcode, flags, val, n, max_ms));
}

static int g_crc32(void *ctx, uint32_t addr, uint32_t len, uint32_t *crc)
{
	doing(ctx, "verify");
	{
		PASS(prog_crc32(&g->inner, addr, len, crc));
	}
}

static int g_crc32_multi(void *ctx, uint32_t addr, uint16_t count, uint32_t unit, uint16_t span,
			 uint32_t *crcs)
{
	doing(ctx, "verify");
	{
		PASS(prog_crc32_multi(&g->inner, addr, count, unit, span, crcs));
	}
}

static int g_blank(void *ctx, uint32_t addr, uint32_t len, uint32_t *first)
{
	PASS(prog_blank(&g->inner, addr, len, first));
}

static int g_xfer(void *ctx, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	PASS(prog_xfer(&g->inner, w, wlen, r, rlen));
}


/* The pages already sent finish: wait for them, then refuse. */
static int g_program_page(void *ctx, uint32_t addr, const uint8_t *buf, size_t len,
			  uint32_t *err_addr)
{
	struct guard *g = ctx;
	uint32_t at;

	if (STOPPED(g)) {
		prog_program_end(&g->inner, &at);
		return SF_E_INTERRUPTED;
	}
	doing(g, "program");
	return prog_program_page(&g->inner, addr, buf, len, err_addr);
}

static int g_program_end(void *ctx, uint32_t *err_addr)
{
	struct guard *g = ctx;

	return prog_program_end(&g->inner, err_addr);
}

struct chunk_progress {
	struct guard *g;
	prog_stream_progress_fn fn;
	void *arg;
	uint32_t base;
};

/* A signal ends the stream at the next block. */
static int chunk_cb(void *arg, uint32_t done)
{
	struct chunk_progress *cp = arg;

	if (cp->fn && cp->fn(cp->arg, cp->base + done))
		return 1;
	return STOPPED(cp->g);
}

/*
 * A long stream in chunks of about eight seconds on the line.  A signal
 * stops a chunk at its next block (chunk_cb), and a stream that breaks
 * off is streamed again from where it broke (ops.c), so the chunks only
 * keep each request's deadline in reach.  Each costs a round trip and the
 * device's first block, about 5 ms at 2 Mbaud.
 */
static int g_read_stream(void *ctx, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
			 uint8_t *buf, uint8_t *state, prog_stream_progress_fn fn, void *arg)
{
	struct guard *g = ctx;
	uint32_t baud = g->inner.line_baud ? *g->inner.line_baud : 0;
	uint32_t chunk = baud ? baud / 11 * 8 : 256u * 1024u, off, n;
	struct chunk_progress cp = { g, fn, arg, 0 };
	int err;

	if (!block)
		return prog_read_stream(&g->inner, addr, len, block, flags, buf, state, fn, arg);
	chunk = chunk < block ? block : chunk - chunk % block;
	for (off = 0; off < len; off += n) {
		if (STOPPED(g))
			return SF_E_INTERRUPTED;
		n = len - off < chunk ? len - off : chunk;
		cp.base = off;
		err = prog_read_stream(&g->inner, addr + off, n, block, flags, buf + off,
				       state + off / block, chunk_cb, &cp);
		if (err)
			return err;
	}
	return STOPPED(g) ? SF_E_INTERRUPTED : 0;
}

static int g_diag(void *ctx, const struct proto_req_diag *q, struct proto_ans_diag *a)
{
	PASS(prog_diag(&g->inner, q, a));
}


static const struct prog_ops guard_ops = {
	.close = g_close,
	.describe = g_describe,
	.set_clock = g_set_clock,
	.chip = g_chip,
	.jedec = g_jedec,
	.sfdp = g_sfdp,
	.read = g_read,
	.read_stream = g_read_stream,
	.program_begin = g_program_begin,
	.program_page = g_program_page,
	.program_end = g_program_end,
	.erase = g_erase,
	.read_sr = g_read_sr,
	.write_sr = g_write_sr,
	.crc32 = g_crc32,
	.crc32_multi = g_crc32_multi,
	.blank = g_blank,
	.xfer = g_xfer,
	.diag = g_diag,
};

void interrupt_guard(struct prog *p, struct guard *g)
{
	g->inner = *p;
	g->allow = 0;
	g->doing = NULL;
	p->ops = &guard_ops;
	p->ctx = g;
	(void)LACKS;
}
