/*
 * report: the --json result object (report.h).
 */
#include "cli/report.h"
#include "core/ops_chip.h"
#include "chips/wp.h"

#include <stdio.h>
#include <string.h>

void report_init(struct report *r, const char *command, const char *device, const char *file)
{
	memset(r, 0, sizeof(*r));
	r->command = command;
	r->device = device;
	r->file = file;
	r->verified = -1;
}

void report_verror(struct report *r, const char *fmt, va_list ap)
{
	if (r->error[0])
		return;
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
}

void report_chip(struct report *r, const struct ops *o)
{
	r->have_chip = 1;
	snprintf(r->chip_name, sizeof(r->chip_name), "%s", o->chip.name ? o->chip.name : "");
	memcpy(r->jedec, o->jedec, 3);
	r->chip_size = o->chip.size;
}

void report_range(struct report *r, uint32_t offset, uint32_t length)
{
	r->have_range = 1;
	r->offset = offset;
	r->length = length;
}

void report_stats(struct report *r, const struct ops_stats *s)
{
	r->have_stats = 1;
	r->stats = *s;
}

void report_members(struct json *j, const struct report *r, int exit_code)
{
	char hex[8];

	json_str(j, "command", r->command);
	json_str(j, "device", r->device);
	if (r->file)
		json_str(j, "file", r->file);
	if (r->have_chip) {
		snprintf(hex, sizeof(hex), "%02x%02x%02x", r->jedec[0], r->jedec[1], r->jedec[2]);
		json_object_begin(j, "chip");
		json_str(j, "name", r->chip_name);
		json_str(j, "jedec", hex);
		json_uint(j, "size", r->chip_size);
		json_object_end(j);
	}
	if (r->have_region) {
		json_object_begin(j, "region");
		json_str(j, "name", r->region);
		json_uint(j, "offset", r->region_offset);
		json_uint(j, "length", r->region_length);
		json_object_end(j);
	}
	if (r->have_range) {
		json_object_begin(j, "range");
		json_uint(j, "offset", r->offset);
		json_uint(j, "length", r->length);
		json_object_end(j);
	}
	json_str(j, "result", exit_code ? "error" : "ok");
	if (r->verified >= 0)
		json_bool(j, "verified", r->verified && !exit_code);
	if (r->have_stats) {
		json_object_begin(j, "stats");
		json_uint(j, "sectors_unchanged", r->stats.sectors_skipped);
		json_uint(j, "sectors_program_only", r->stats.sectors_program_only);
		json_uint(j, "erases_4k", r->stats.erases_4k);
		json_uint(j, "erases_32k", r->stats.erases_32k);
		json_uint(j, "erases_64k", r->stats.erases_64k);
		json_uint(j, "pages_programmed", r->stats.pages_programmed);
		json_object_end(j);
	}
	if (r->backup[0])
		json_str(j, "backup", r->backup);
	if (exit_code)
		json_str(j, "error", r->error[0] ? r->error : "failed");
	json_int(j, "exit_code", exit_code);
}

void report_print(FILE *out, const struct report *r, int exit_code)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	report_members(&j, r, exit_code);
	json_object_end(&j);
}

int report_info(FILE *out, struct report *r, struct ops *o, const struct chip *force,
		const struct prog_desc *desc, int (*exit_code_of)(void *arg, int err), void *arg)
{
	struct ops_chip_id id;
	struct wp_state st;
	struct json j;
	uint8_t sr[3];
	unsigned have = 0, i;
	int err, rc;

	err = ops_detect_chip(o, force, &id);
	if (!err)
		report_chip(r, o);
	if (!err)
		err = ops_wp_read(o, sr, &have, &st);
	rc = err ? exit_code_of(arg, err) : 0;
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "firmware");
	json_str(&j, "version", desc->fw_version);
	json_str(&j, "board", desc->board);
	json_uint(&j, "protocol", desc->protocol);
	json_uint(&j, "f_cpu", desc->f_cpu);
	json_object_end(&j);
	json_object_begin(&j, "link");
	json_str(&j, "backend", desc->link);
	json_uint(&j, "baud", desc->baud);
	json_str(&j, "bridge", desc->bridge[0] ? desc->bridge : NULL);
	if (desc->latency_ms >= 0)
		json_uint(&j, "latency_timer_ms", (unsigned)desc->latency_ms);
	else
		json_null(&j, "latency_timer_ms");
	json_uint(&j, "answers_held_ms", desc->held_ms);
	json_object_end(&j);
	if (!err) {
		json_array_begin(&j, "status");
		for (i = 0; i < 3; i++)
			if (have & (1u << i))
				json_uint(&j, NULL, sr[i]);
		json_array_end(&j);
		json_object_begin(&j, "protected");
		json_uint(&j, "offset", st.lo);
		json_uint(&j, "length", st.hi - st.lo);
		json_object_end(&j);
	}
	report_members(&j, r, rc);
	json_object_end(&j);
	r->printed = 1;
	return rc;
}
