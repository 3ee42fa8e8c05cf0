/*
 * info: the 'info' command's report, and --list-chips.
 */
#include "cli/info.h"
#include "chips/chips_sfdp.h"
#include "core/ops_chip.h"

#include <stdlib.h>
#include <string.h>

static void caps_text(char *buf, size_t len, uint32_t caps)
{
	static const char *const names[] = { "crc32", "blank", "xfer", "sfdp", "addr4", "pending",
					     "stream", "baud", "pipeline", "crc32-multi" };
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (caps & (1u << i) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "", names[i]);
}

void info_decode_sr(char *buf, size_t len, int layout, int n, uint8_t v)
{
#define B(x) ((v >> (x)) & 1)
	if (n == 1) {
		switch (layout) {
		case CHIP_SR_WINBOND:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d TB=%d SEC=%d SRP0=%d",
				 B(0), B(1), (v >> 2) & 7, B(5), B(6), B(7));
			break;
		case CHIP_SR_WINBOND4:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d TB=%d SRP0=%d",
				 B(0), B(1), (v >> 2) & 15, B(6), B(7));
			break;
		case CHIP_SR_MACRONIX:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d QE=%d SRWD=%d",
				 B(0), B(1), (v >> 2) & 15, B(6), B(7));
			break;
		case CHIP_SR_SST:
			snprintf(buf, len, "BUSY=%d WEL=%d BP=%d AAI=%d BPL=%d",
				 B(0), B(1), (v >> 2) & 15, B(6), B(7));
			break;
		case CHIP_SR_MICRON:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d TB=%d SRWD=%d",
				 B(0), B(1), ((v >> 2) & 7) | (B(6) << 3), B(5), B(7));
			break;
		case CHIP_SR_AT25DF:
			snprintf(buf, len, "RDY/BSY=%d WEL=%d SWP=%d WPP=%d EPE=%d SPRL=%d",
				 B(0), B(1), (v >> 2) & 3, B(4), B(5), B(7));
			break;
		default:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d SRWD=%d",
				 B(0), B(1), (v >> 2) & 15, B(7));
			break;
		}
	} else if (n == 2) {
		snprintf(buf, len, "SRP1=%d QE=%d LB=%d CMP=%d SUS=%d",
			 B(0), B(1), (v >> 3) & 7, B(6), B(7));
	} else {
		snprintf(buf, len, "ADS=%d ADP=%d WPS=%d DRV=%d", B(0), B(1), B(2), (v >> 5) & 3);
	}
#undef B
}

static void erase_text(char *buf, size_t len, const struct chip *c)
{
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < CHIP_ERASE_N; i++)
		if (c->erase[i].opcode && o < len)
			o += (size_t)snprintf(buf + o, len - o, " %uK", c->erase[i].size / 1024);
	if (!o)
		snprintf(buf, len, " chip only");
}

static const char *addr_text(uint8_t mode)
{
	switch (mode) {
	case PROTO_ADDR_4_NATIVE: return "4-byte opcodes (13h 12h 21h 5Ch DCh) above 16 MiB";
	case PROTO_ADDR_4_MODE:   return "4-byte mode (B7h before, E9h after) above 16 MiB";
	default:                  return "3-byte";
	}
}

static const char *source_text(const struct ops_chip_id *id)
{
	switch (id->found) {
	case OPS_FOUND_REMS:    return "table, by its REMS ID (no JEDEC ID)";
	case OPS_FOUND_SFDP:    return "SFDP (not in the table)";
	case OPS_FOUND_GENERIC: return "generic guess from the JEDEC ID (not in the table, no SFDP)";
	case OPS_FOUND_FORCED:  return "table, forced by --chip";
	default:                return "table";
	}
}

static void print_sfdp(FILE *out, struct ops *o, const struct ops_chip_id *id)
{
	struct sfdp_info s;
	uint8_t *buf = malloc(OPS_SFDP_MAX);
	size_t len;
	char text[256];
	int err, i;

	if (!buf)
		return;
	err = ops_sfdp(o, buf, &len, &s);
	free(buf);
	if (err) {
		fprintf(out, "sfdp:      none (%s)\n", o->msg);
		o->msg[0] = '\0';
		return;
	}
	fprintf(out, "sfdp:      rev %u.%u, %llu KiB, %u-byte pages, erase", s.rev_major,
		s.rev_minor, (unsigned long long)(s.size / 1024), (unsigned)s.page_size);
	for (i = 0; i < 4; i++)
		if (s.erase[i].size)
			fprintf(out, " %uK=%02Xh", s.erase[i].size / 1024, s.erase[i].opcode);
	fprintf(out, ", %s%s\n", s.addr == SFDP_ADDR_3 ? "3-byte" :
		s.addr == SFDP_ADDR_4 ? "4-byte only" : "3- or 4-byte",
		(s.flags & SFDP_F_4BAIT) ? ", 4-byte opcode table" : "");
	if (id->found != OPS_FOUND_SFDP) {
		chips_sfdp_compare(&o->chip, &s, text, sizeof(text));
		fprintf(out, "check:     %s\n", text);
	}
}

int info_print(FILE *out, struct ops *o, const struct chip *force, const char *device,
	       const struct prog_desc *desc)
{
	const struct chip *c = &o->chip;
	struct ops_chip_id id;
	struct wp_state st;
	char caps[128], text[160];
	uint8_t sr[3];
	unsigned have;
	int err, i;

	caps_text(caps, sizeof(caps), o->prog->caps);
	if (desc->baud)
		fprintf(out, "device:    %s (%s, %u baud)\n", device, desc->link, (unsigned)desc->baud);
	else
		fprintf(out, "device:    %s (%s)\n", device, desc->link);
	for (i = 0; i < (int)(sizeof(desc->lines) / sizeof(desc->lines[0])); i++)
		if (desc->lines[i][0])
			fprintf(out, "%s\n", desc->lines[i]);
	fprintf(out, "features:  %s\n", caps);
	err = ops_detect_chip(o, force, &id);
	if (err && err != OPS_E_NOCHIP && err != OPS_E_UNKNOWN)
		return err;
	fprintf(out, "jedec id:  ");
	for (i = 0; i < c->bank; i++)
		fprintf(out, "7f ");
	fprintf(out, "%02x %02x %02x (%s)\n", o->jedec[0], o->jedec[1], o->jedec[2],
		chips_id_absent(o->jedec) ? "no chip" : chips_vendor(c->bank, o->jedec[0]));
	if (id.legacy_tried)
		fprintf(out, "legacy id: REMS %02x %02x, RES %02x\n", id.rems[0], id.rems[1], id.res);
	if (err) {
		fprintf(out, "chip:      unknown\n");
		return err;
	}
	erase_text(text, sizeof(text), c);
	fprintf(out, "chip:      %s, %u KiB, %u-byte pages, erase%s\n", c->name, c->size / 1024,
		c->page_size, text);
	fprintf(out, "source:    %s; %s\n", source_text(&id), c->datasheet);
	if (id.note[0])
		fprintf(out, "note:      %s\n", id.note);
	fprintf(out, "address:   %s\n", addr_text(c->addr_mode));
	fprintf(out, "times:     program %u us/%u ms", c->t_pp_typ_us, c->t_pp_max_ms);
	for (i = 0; i < CHIP_ERASE_N; i++)
		if (c->erase[i].opcode)
			fprintf(out, ", %uK %u/%u ms", c->erase[i].size / 1024, c->erase[i].t_typ_ms,
				c->erase[i].t_max_ms);
	fprintf(out, ", chip %u/%u s (typical/maximum)\n", c->t_ce_typ_ms / 1000,
		(c->t_ce_max_ms + 999) / 1000);
	if (c->flags & CHIP_F_AAI)
		fprintf(out, "program:   byte by byte (02h): no page program on this part\n");
	if (c->flags & CHIP_F_NO_4K)
		fprintf(out, "program:   not supported (no uniform 4 KiB erase); read and whole-chip erase work\n");
	if (o->prog->caps & PROTO_CAP_SFDP)
		print_sfdp(out, o, &id);
	err = ops_wp_read(o, sr, &have, &st);
	if (err)
		return err;
	for (i = 0; i < 3; i++) {
		if (!(have & (1u << i)))
			continue;
		info_decode_sr(text, sizeof(text), c->sr, i + 1, sr[i]);
		fprintf(out, "SR%d:       0x%02x  %s\n", i + 1, sr[i], text);
	}
	wp_range_text(text, sizeof(text), c, &st);
	fprintf(out, "protect:   %s", text);
	if (st.lo < st.hi) {
		wp_bits_text(text, sizeof(text), &st);
		fprintf(out, " (%s); writes there need --unprotect", text);
	}
	fputc('\n', out);
	if (st.srp1)
		fprintf(out, "lock:      status registers locked (SRP1=1)\n");
	else if (st.srp0)
		fprintf(out, "lock:      WP# low locks the status registers (SRP0/SRWD=1)\n");
	return 0;
}

void info_list_chips(FILE *out)
{
	const struct chip *c;
	char text[64];
	int i;

	for (c = chips_table; c->name; c++) {
		char id[32];
		int n = 0;

		for (i = 0; i < c->bank; i++)
			n += snprintf(id + n, sizeof(id) - (size_t)n, "7F");
		if (c->flags & CHIP_F_NO_JEDEC)
			snprintf(id + n, sizeof(id) - (size_t)n, "REMS %02X%02X", c->jedec[0], c->rems_id);
		else
			snprintf(id + n, sizeof(id) - (size_t)n, "%02X%02X%02X", c->jedec[0],
				 c->jedec[1], c->jedec[2]);
		erase_text(text, sizeof(text), c);
		fprintf(out, "%-12s %-10s %6u KiB  erase%-12s %-14s %s\n", c->name, id,
			c->size / 1024, text, chips_vendor(c->bank, c->jedec[0]), c->datasheet);
	}
	fprintf(out, "%u parts\n", (unsigned)chips_count());
}
