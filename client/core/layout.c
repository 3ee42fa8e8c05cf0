/*
 * layout: flashrom layout files (layout.h).
 */
#include "core/layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(int err, char *msg, size_t msglen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(int err, char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return err;
}

int layout_add(struct layout *l, uint32_t start, uint32_t end, const char *name, size_t namelen,
	       char *msg, size_t msglen)
{
	struct layout_region *r;
	unsigned i;

	if (!namelen || namelen > LAYOUT_NAME_MAX)
		return fail(LAYOUT_E_SYNTAX, msg, msglen, "region name of %zu bytes: expected 1 to %u",
			    namelen, LAYOUT_NAME_MAX);
	if (end < start)
		return fail(LAYOUT_E_RANGE, msg, msglen, "region '%.*s' ends (0x%x) before it starts (0x%x)",
			    (int)namelen, name, end, start);
	for (i = 0; i < l->n; i++)
		if (strlen(l->r[i].name) == namelen && !memcmp(l->r[i].name, name, namelen))
			return fail(LAYOUT_E_DUP, msg, msglen, "region '%.*s' is given twice",
				    (int)namelen, name);
	if (l->n == LAYOUT_MAX)
		return fail(LAYOUT_E_TOOMANY, msg, msglen, "more than %u regions", LAYOUT_MAX);
	r = &l->r[l->n++];
	r->start = start;
	r->end = end;
	memcpy(r->name, name, namelen);
	r->name[namelen] = '\0';
	return 0;
}

/* A hex number (with or without 0x, as flashrom accepts) at *p; -1 if none
 * or above 32 bits. */
static int hex(const char **p, const char *end, uint32_t *v)
{
	const char *s = *p;
	uint64_t n = 0;
	int digits = 0;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; s < end; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		n = n * 16 + (uint64_t)d;
		if (n > 0xFFFFFFFFu)
			return -1;
	}
	if (!digits)
		return -1;
	*p = s;
	*v = (uint32_t)n;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int layout_parse(const char *text, size_t len, struct layout *l, char *msg, size_t msglen)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;

	memset(l, 0, sizeof(*l));
	if (msglen)
		msg[0] = '\0';
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *name;
		uint32_t a, b;
		size_t nl;
		char sub[160];
		int err;

		if (!eol)
			eol = end;
		line++;
		while (p < eol && is_space(*p))
			p++;
		if (p == eol || *p == '#')
			goto next;
		if (hex(&p, eol, &a) || p == eol || *p != ':')
			return fail(LAYOUT_E_SYNTAX, msg, msglen, "line %u: expected 'start:end name' in hex",
				    line);
		p++;
		if (hex(&p, eol, &b) || p == eol || !is_space(*p))
			return fail(LAYOUT_E_SYNTAX, msg, msglen, "line %u: expected 'start:end name' in hex",
				    line);
		while (p < eol && is_space(*p))
			p++;
		name = p;
		while (p < eol && !is_space(*p))
			p++;
		nl = (size_t)(p - name);
		while (p < eol && is_space(*p))
			p++;
		if (!nl || p != eol)
			return fail(LAYOUT_E_SYNTAX, msg, msglen,
				    "line %u: expected one region name after the range", line);
		err = layout_add(l, a, b, name, nl, sub, sizeof(sub));
		if (err)
			return fail(err, msg, msglen, "line %u: %s", line, sub);
next:
		p = eol + (eol < end);
	}
	if (!l->n)
		return fail(LAYOUT_E_EMPTY, msg, msglen, "no region in the layout");
	return 0;
}

const struct layout_region *layout_find(const struct layout *l, const char *name)
{
	unsigned i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->r[i].name, name))
			return &l->r[i];
	return NULL;
}

void layout_names(const struct layout *l, char *buf, size_t len)
{
	size_t o = 0;
	unsigned i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", l->r[i].name);
}
