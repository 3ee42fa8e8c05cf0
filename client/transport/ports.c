/*
 * ports: every port libserialport finds, with USB IDs and a board guess.
 */
#include "transport/ports.h"
#include "transport/link.h"

#include <stddef.h>

static const struct {
	uint16_t vid, pid;
	const char *what;
} known[] = {
	{ 0x2341, 0x0043, "Arduino Uno (ATmega16U2)" },
	{ 0x2341, 0x0001, "Arduino Uno (ATmega8U2)" },
	{ 0x2A03, 0x0043, "Arduino Uno (arduino.org)" },
	{ 0x2341, 0x0042, "Arduino Mega 2560" },
	{ 0x2341, 0x0010, "Arduino Mega 2560 (early)" },
	{ 0x2341, 0x8036, "Arduino Leonardo" },
	{ 0x2341, 0x0036, "Arduino Leonardo bootloader" },
	{ 0x2341, 0x8037, "Arduino Micro" },
	{ 0x1A86, 0x7523, "CH340 bridge (Nano or Uno clone)" },
	{ 0x1A86, 0x55D4, "CH9102 bridge (Nano clone)" },
	{ 0x0403, 0x6001, "FTDI FT232R (Nano, Duemilanove)" },
	{ 0x0403, 0x6014, "FTDI FT232H" },
	{ 0x10C4, 0xEA60, "Silicon Labs CP2102" },
	{ 0x067B, 0x2303, "Prolific PL2303" },
};

const char *ports_guess(uint16_t vid, uint16_t pid)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].vid == vid && known[i].pid == pid)
			return known[i].what;
	return NULL;
}

static void print_port(void *arg, const struct link_port_info *p)
{
	FILE *out = arg;
	const char *guess;

	if (!p->usb) {
		fprintf(out, "%s\t-\t%s\n", p->name, p->description ? p->description : "");
		return;
	}
	guess = ports_guess(p->vid, p->pid);
	fprintf(out, "%s\t%04x:%04x\t%s%s%s%s%s\n", p->name, p->vid, p->pid,
		p->manufacturer ? p->manufacturer : "", p->manufacturer ? " " : "",
		p->product ? p->product : (p->description ? p->description : ""),
		guess ? "\t" : "", guess ? guess : "");
}

int ports_list(FILE *out)
{
	return link_list_ports(print_port, out);
}
