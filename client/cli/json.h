/*
 * json: a tiny streaming JSON writer for --json.  Valid output whatever the
 * input: strings are escaped, and bytes that are not UTF-8 (a device path or
 * file name may hold any byte) become U+FFFD.  No allocation; nesting up to
 * JSON_DEPTH_MAX.
 */
#ifndef JSON_H
#define JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

struct json {
	FILE *out;
	unsigned depth;
	uint32_t comma;      /* bit d: level d already has a member, the next needs ',' */
	int err;             /* JSON_E_DEPTH after a misuse: the caller's bug */
};

enum json_err {
	JSON_OK = 0,
	JSON_E_DEPTH = -1,   /* nesting too deep, or an end without a begin */
};

void json_init(struct json *j, FILE *out);
/* key is the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(struct json *j, const char *key);
/* Ends the object; at the top level also writes the final newline. */
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_str(struct json *j, const char *key, const char *v);    /* NULL: null */
void json_strn(struct json *j, const char *key, const char *v, size_t len);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
/* A value already in JSON (another writer's object), copied as it is. */
void json_raw(struct json *j, const char *key, const char *text, size_t len);
/* Write s as a quoted JSON string (used by the above; public for tests). */
void json_quote(FILE *out, const char *s, size_t len);

#endif
