/*
 * cli_ports: the 'ports' command's output (a tab-separated line a port, or
 * one JSON object).  Finding and probing the ports is prog/ports_probe's
 * job; this file only prints what it found.
 */
#include "cli/cli_ports.h"
#include "cli/json.h"

#include <stdio.h>

static void ports_print(FILE *out, const struct ports_set *s, int probed)
{
	char who[96];
	unsigned i;

	for (i = 0; i < s->n; i++) {
		const struct ports_entry *e = &s->e[i];

		if (e->usb)
			fprintf(out, "%s\t%04x:%04x\t%s", e->name, e->vid, e->pid, e->description);
		else
			fprintf(out, "%s\t-\t%s", e->name, e->description);
		if (e->guess)
			fprintf(out, "\t%s", e->guess);
		if (probed && e->kind == PORTS_SPIFLASH)
			fprintf(out, "\t[spiflash on %s]", e->board[0] ? e->board : "unknown board");
		else if (probed && e->kind != PORTS_UNPROBED)
			fprintf(out, "\t[%s]", ports_kind_name(e->kind));
		if (ports_busy(e->name, who, sizeof(who)))
			fprintf(out, "\t[%s]", who);
		fputc('\n', out);
	}
}

static void ports_print_json(FILE *out, const struct ports_set *s, int probed)
{
	char who[96];
	struct json j;
	char hex[8];
	unsigned i;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "command", "ports");
	json_array_begin(&j, "ports");
	for (i = 0; i < s->n; i++) {
		const struct ports_entry *e = &s->e[i];

		json_object_begin(&j, NULL);
		json_str(&j, "name", e->name);
		if (e->usb) {
			snprintf(hex, sizeof(hex), "%04x", e->vid);
			json_str(&j, "vid", hex);
			snprintf(hex, sizeof(hex), "%04x", e->pid);
			json_str(&j, "pid", hex);
		} else {
			json_null(&j, "vid");
			json_null(&j, "pid");
		}
		json_str(&j, "description", e->description);
		json_str(&j, "board", e->guess);
		json_str(&j, "in_use", ports_busy(e->name, who, sizeof(who)) ? who : NULL);
		if (probed) {
			json_str(&j, "programmer", e->kind == PORTS_SPIFLASH ? "spiflash" :
				 e->kind == PORTS_SERPROG ? "serprog" : NULL);
			json_str(&j, "probe", ports_kind_name(e->kind));
			if (e->kind == PORTS_SPIFLASH)
				json_str(&j, "firmware_board", e->board);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_str(&j, "result", "ok");
	json_int(&j, "exit_code", 0);
	json_object_end(&j);
}

int ports_command(FILE *out, const char *list, int probe, int json)
{
	struct ports_set s;
	int err = ports_collect(&s, list);

	if (!err) {
		if (probe)
			ports_probe_all(&s, list != NULL);
		if (json)
			ports_print_json(out, &s, probe);
		else
			ports_print(out, &s, probe);
	}
	ports_free(&s);
	return err;
}
