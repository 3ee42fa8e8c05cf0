/*
 * report: what a command did, kept as it runs, and printed at the end as
 * one JSON object for --json (keys documented in spiflash(1), JSON OUTPUT:
 * command, device, result, exit_code always; error on failure; chip, range,
 * region, verified, stats, backup once known).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/json.h"
#include "core/ops.h"
#include "prog/prog.h"

struct report {
	const char *command, *device, *file;
	int have_chip;
	char chip_name[32];
	uint8_t jedec[3];
	uint32_t chip_size;
	int have_range;
	uint32_t offset, length;
	int have_region;
	char region[72];
	uint32_t region_offset, region_length;
	int verified;               /* -1: not a question for this command */
	int have_stats;
	struct ops_stats stats;
	char backup[1024];
	char error[512];            /* the first error: the cause, not a follow-on */
	int printed;                /* report_info printed the object already */
};

void report_init(struct report *r, const char *command, const char *device, const char *file);
/* Keep the first error message (formatted like main's error()). */
void report_verror(struct report *r, const char *fmt, va_list ap);
void report_chip(struct report *r, const struct ops *o);
void report_range(struct report *r, uint32_t offset, uint32_t length);
void report_stats(struct report *r, const struct ops_stats *s);

/* The result object's members, without the enclosing braces, so that info
 * can add its own (report_info_json). */
void report_members(struct json *j, const struct report *r, int exit_code);
/* The whole object on out. */
void report_print(FILE *out, const struct report *r, int exit_code);

/* info --json: detect the chip (force: --chip) and print firmware, link,
 * chip, status registers and the protected range, with the result members.
 * exit_code_of turns an ops/dev error into an exit code (main's mapping,
 * which also prints the error); returns that exit code, 0 on success. */
int report_info(FILE *out, struct report *r, struct ops *o, const struct chip *force,
		const struct prog_desc *desc, int (*exit_code_of)(void *arg, int err), void *arg);

#endif
