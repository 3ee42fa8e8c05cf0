/* emu_boot: a bootloader in the emulated Uno (emu_boot.h). */
#include "emu_boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCUSR_ADDR 0x54         /* ATmega328P, data space */
#define EXTRF 1

static int external;
static int have_boot;
static uint32_t boot_pc;

static int hex_byte(const char *s)
{
	unsigned v;

	return sscanf(s, "%2x", &v) == 1 ? (int)v : -1;
}

/* Intel HEX records 00 (data), 01 (end), 02 and 04 (address bases) into
 * flash; *lo gets the lowest address written. */
static int load_hex(avr_t *avr, const char *path, uint32_t *lo)
{
	char line[600];
	uint32_t base = 0;
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	*lo = UINT32_MAX;
	while (fgets(line, sizeof(line), f)) {
		int len, type, i;
		uint32_t addr;

		if (line[0] != ':' || (len = hex_byte(line + 1)) < 0)
			continue;
		addr = (uint32_t)(hex_byte(line + 3) << 8 | hex_byte(line + 5));
		type = hex_byte(line + 7);
		if (type == 1)
			break;
		if (type == 2 || type == 4) {
			base = (uint32_t)(hex_byte(line + 9) << 8 | hex_byte(line + 11)) <<
			       (type == 2 ? 4 : 16);
			continue;
		}
		if (type != 0)
			continue;
		for (i = 0; i < len; i++) {
			uint32_t a = base + addr + (uint32_t)i;
			int b = hex_byte(line + 9 + 2 * i);

			if (b < 0 || a > avr->flashend)
				goto bad;
			avr->flash[a] = (uint8_t)b;
			if (a < *lo)
				*lo = a;
			n++;
		}
	}
	fclose(f);
	return n ? 0 : -1;
bad:
	fclose(f);
	return -1;
}

int emu_boot_setup(avr_t *avr)
{
	const char *hex = getenv("SPIFLASH_EMU_BOOTLOADER");
	const char *blank = getenv("SPIFLASH_EMU_BLANK_APP");

	if (!hex || !*hex)
		return 0;
	if (blank && *blank && strcmp(blank, "0"))
		memset(avr->flash, 0xFF, avr->flashend + 1);
	if (load_hex(avr, hex, &boot_pc) < 0) {
		fprintf(stderr, "spiflash-emu: cannot load the bootloader '%s'\n", hex);
		return -1;
	}
	/* flash up to the end is code now, not only the ELF's part */
	avr->codeend = avr->flashend;
	have_boot = 1;
	avr->reset_pc = boot_pc;
	avr->pc = boot_pc;
	fprintf(stderr, "spiflash-emu: bootloader '%s' at 0x%04x\n", hex, (unsigned)boot_pc);
	return 0;
}

void emu_boot_reset(avr_t *avr)
{
	external = 1;
	avr_reset(avr);
}

void emu_boot_on_reset(avr_t *avr)
{
	if (!have_boot)
		return;
	avr->pc = boot_pc;
	if (external)
		avr->data[MCUSR_ADDR] |= 1u << EXTRF;
	external = 0;
}
