/*
 * info: the 'info' command's report.
 */
#include "info.h"

#include <string.h>

static void caps_text(char *buf, size_t len, uint32_t caps)
{
	static const char *const names[] = { "crc32", "blank", "xfer", "sfdp", "addr4", "pending" };
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
		case CHIP_SR_MACRONIX:
			snprintf(buf, len, "WIP=%d WEL=%d BP=%d QE=%d SRWD=%d",
				 B(0), B(1), (v >> 2) & 15, B(6), B(7));
			break;
		case CHIP_SR_SST:
			snprintf(buf, len, "BUSY=%d WEL=%d BP=%d AAI=%d BPL=%d",
				 B(0), B(1), (v >> 2) & 15, B(6), B(7));
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
		snprintf(buf, len, "WPS=%d DRV=%d", B(2), (v >> 5) & 3);
	}
#undef B
}

int info_print(FILE *out, struct ops *o, const char *device, const char *backend, uint32_t baud)
{
	const struct dev *d = o->dev;
	const struct proto_hello *h = &d->hello;
	char caps[96], text[96];
	uint8_t sr[3];
	unsigned have;
	int err, i;

	caps_text(caps, sizeof(caps), h->caps);
	fprintf(out, "device:    %s (%s, %u baud)\n", device, backend, (unsigned)baud);
	fprintf(out, "firmware:  spiflash %u.%u.%u on %s, %u MHz\n", h->fw_major, h->fw_minor,
		h->fw_patch, h->board[0] ? h->board : "unknown board",
		(unsigned)(h->f_cpu / 1000000));
	fprintf(out, "protocol:  %u (device %u, oldest %u), max payload %u, rx buffer %u\n",
		d->version, h->proto_version, h->proto_min, d->max_payload, h->rx_buffer);
	fprintf(out, "features:  %s\n", caps);
	err = ops_detect(o);
	if (err && err != OPS_E_NOCHIP && err != OPS_E_UNKNOWN)
		return err;
	fprintf(out, "jedec id:  %02x %02x %02x (%s)\n", o->jedec[0], o->jedec[1], o->jedec[2],
		chips_id_absent(o->jedec) ? "no chip" : chips_vendor(o->jedec[0]));
	if (err) {
		fprintf(out, "chip:      unknown\n");
		return err;
	}
	fprintf(out, "chip:      %s%s, %u KiB, %u-byte pages, erase", o->chip.name,
		o->generic ? " (guessed from the ID)" : "", o->chip.size / 1024, o->chip.page_size);
	for (i = 0; i < CHIP_ERASE_N; i++)
		if (o->chip.erase[i].opcode)
			fprintf(out, " %uK", o->chip.erase[i].size / 1024);
	fputc('\n', out);
	err = ops_read_status(o, sr, &have);
	if (err)
		return err;
	for (i = 0; i < 3; i++) {
		if (!(have & (1u << i)))
			continue;
		info_decode_sr(text, sizeof(text), o->chip.sr, i + 1, sr[i]);
		fprintf(out, "SR%d:       0x%02x  %s\n", i + 1, sr[i], text);
	}
	return 0;
}
