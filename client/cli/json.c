/*
 * json: the writer behind --json (json.h).
 */
#include "cli/json.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * overlongs, surrogates and code points above U+10FFFF are invalid too,
 * as RFC 8259 parsers reject them. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void json_quote(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, l;

	fputc('"', out);
	while (i < n) {
		unsigned char ch = s[i];

		switch (ch) {
		case '"':  fputs("\\\"", out); i++; continue;
		case '\\': fputs("\\\\", out); i++; continue;
		case '\n': fputs("\\n", out); i++; continue;
		case '\r': fputs("\\r", out); i++; continue;
		case '\t': fputs("\\t", out); i++; continue;
		default: break;
		}
		if (ch < 0x20 || ch == 0x7F) {
			fprintf(out, "\\u%04x", ch);
			i++;
			continue;
		}
		l = utf8_len(s + i, n - i);
		if (!l) {
			fputs("\\ufffd", out);
			i++;
			continue;
		}
		fwrite(s + i, 1, l, out);
		i += l;
	}
	fputc('"', out);
}

/* The separator and the key before a value at the current level. */
static void member(struct json *j, const char *key)
{
	if (j->comma & (1u << j->depth))
		fputc(',', j->out);
	j->comma |= 1u << j->depth;
	if (key) {
		json_quote(j->out, key, strlen(key));
		fputc(':', j->out);
	}
}

static void open_(struct json *j, const char *key, char ch)
{
	if (j->depth + 1 >= JSON_DEPTH_MAX) {
		j->err = JSON_E_DEPTH;
		return;
	}
	member(j, key);
	fputc(ch, j->out);
	j->depth++;
	j->comma &= ~(1u << j->depth);
}

static void close_(struct json *j, char ch)
{
	if (!j->depth) {
		j->err = JSON_E_DEPTH;
		return;
	}
	j->depth--;
	fputc(ch, j->out);
	if (!j->depth) {
		fputc('\n', j->out);
		fflush(j->out);
	}
}

void json_object_begin(struct json *j, const char *key) { open_(j, key, '{'); }
void json_object_end(struct json *j) { close_(j, '}'); }
void json_array_begin(struct json *j, const char *key) { open_(j, key, '['); }
void json_array_end(struct json *j) { close_(j, ']'); }

void json_strn(struct json *j, const char *key, const char *v, size_t len)
{
	member(j, key);
	json_quote(j->out, v, len);
}

void json_str(struct json *j, const char *key, const char *v)
{
	if (!v) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, v, strlen(v));
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64, v);
}

void json_int(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json *j, const char *key, int v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->out);
}

void json_raw(struct json *j, const char *key, const char *text, size_t len)
{
	member(j, key);
	fwrite(text, 1, len, j->out);
}
