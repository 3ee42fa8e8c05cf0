/*
 * prog: the calls through the programmer interface (prog.h).  An operation a
 * programmer lacks answers as the sketch answers an unknown request.
 */
#include "prog/prog.h"

#include <string.h>

#define LACKS (DEV_E_REMOTE + PROTO_E_UNKNOWN_OP)
#define CALL(p, op, ...) ((p)->ops->op ? (p)->ops->op((p)->ctx, __VA_ARGS__) : LACKS)

const struct prog_driver *prog_find(const char *name)
{
	size_t i;

	for (i = 0; prog_drivers[i]; i++)
		if (!strcmp(prog_drivers[i]->name, name))
			return prog_drivers[i];
	return NULL;
}

int prog_open(struct prog *p, const struct prog_driver *drv, const struct prog_params *pp)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = drv->open(p, pp);
	if (!err)
		p->name = drv->name;
	else if (!p->msg[0])
		strncpy(p->msg, sf_strerror(err), sizeof(p->msg) - 1);
	return err;
}

void prog_close(struct prog *p)
{
	if (p->ops && p->ops->close)
		p->ops->close(p->ctx);
	p->ops = NULL;
	p->ctx = NULL;
}

void prog_describe(struct prog *p, struct prog_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->latency_ms = -1;
	if (p->ops && p->ops->describe)
		p->ops->describe(p->ctx, d);
}

int prog_set_clock(struct prog *p, uint32_t hz, uint32_t *set)
{
	return CALL(p, set_clock, hz, set);
}

int prog_chip(struct prog *p, const struct proto_chip *c)
{
	return CALL(p, chip, c);
}

int prog_jedec(struct prog *p, uint8_t *id, uint8_t n)
{
	return CALL(p, jedec, id, n);
}

int prog_sfdp(struct prog *p, uint32_t addr, uint8_t *buf, uint16_t len)
{
	return CALL(p, sfdp, addr, buf, len);
}

int prog_read(struct prog *p, uint32_t addr, uint8_t *buf, uint16_t len)
{
	return CALL(p, read, addr, buf, len);
}

int prog_read_stream(struct prog *p, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
		     uint8_t *buf, uint8_t *state, prog_stream_progress_fn fn, void *arg)
{
	return CALL(p, read_stream, addr, len, block, flags, buf, state, fn, arg);
}

int prog_program_begin(struct prog *p, unsigned t_page_max_ms, unsigned page_size)
{
	return CALL(p, program_begin, t_page_max_ms, page_size);
}

int prog_program_page(struct prog *p, uint32_t addr, const uint8_t *buf, size_t len,
		      uint32_t *err_addr)
{
	*err_addr = addr;
	return CALL(p, program_page, addr, buf, len, err_addr);
}

int prog_program_end(struct prog *p, uint32_t *err_addr)
{
	return CALL(p, program_end, err_addr);
}

int prog_erase(struct prog *p, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	return CALL(p, erase, addr, opcode, max_ms);
}

int prog_read_sr(struct prog *p, uint8_t opcode, uint8_t *val)
{
	return CALL(p, read_sr, opcode, val);
}

int prog_write_sr(struct prog *p, uint8_t opcode, uint8_t flags, const uint8_t *val, uint8_t n,
		  uint16_t max_ms)
{
	return CALL(p, write_sr, opcode, flags, val, n, max_ms);
}

int prog_crc32(struct prog *p, uint32_t addr, uint32_t len, uint32_t *crc)
{
	return CALL(p, crc32, addr, len, crc);
}

int prog_crc32_multi(struct prog *p, uint32_t addr, uint16_t count, uint32_t unit,
		     uint16_t span, uint32_t *crcs)
{
	return CALL(p, crc32_multi, addr, count, unit, span, crcs);
}

int prog_blank(struct prog *p, uint32_t addr, uint32_t len, uint32_t *first)
{
	return CALL(p, blank, addr, len, first);
}

int prog_xfer(struct prog *p, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	return CALL(p, xfer, w, wlen, r, rlen);
}

int prog_diag(struct prog *p, const struct proto_req_diag *q, struct proto_ans_diag *a)
{
	return CALL(p, diag, q, a);
}
