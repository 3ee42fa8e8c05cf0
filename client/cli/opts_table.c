/*
 * opts_table: every option of spiflash once, with its help.  getopt's table
 * (opts.c), --help (opts_usage) come from it; tests/e2e/test_edges.sh checks
 * that the man page and the bash completion name the same options.
 */
#include "cli/opts.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* where backups go by default (plat_state_dir), as --help shows it */
#ifdef _WIN32
#define STATE_DIR_SHOWN "%LOCALAPPDATA%\\spiflash"
#else
#define STATE_DIR_SHOWN "~/.local/state/spiflash"
#endif

const struct opts_def opts_table[] = {
	{ "device", 'd', 'd', required_argument, "PORT", NULL, "where",
	  "serial port of the programmer (see 'spiflash ports');\n"
	  "several -d: the same command on each, in parallel (the same\n"
	  "port twice counts once); none: the one programmer that answers" },
	{ "programmer", 'p', 'p', required_argument, "NAME[:ARGS]", NULL, NULL,
	  "spiflash (the sketch), serprog, linux_spi, or dummy:chip=NAME,image=FILE\n"
	  "(default: the sketch, else serprog when it answers)" },
	{ "rate", 0, OPT_RATE, required_argument, "BAUD", NULL, NULL,
	  "force a line rate (default: the fastest of 2000000, 1000000,\n"
	  "500000, 250000 that passes a link test, else 115200)" },
	{ "spi-speed", 0, OPT_SPI_SPEED, required_argument, "HZ", NULL, NULL,
	  "SPI clock at most HZ (8M, 512k); auto (the sketch's default):\n"
	  "the fastest at which reads agree (see 'doctor')" },
	{ "chip", 'c', 'c', required_argument, "NAME", NULL, NULL,
	  "use this part when its ID cannot be read (flashrom's -c)" },
	{ "list-chips", 0, OPT_LIST_CHIPS, no_argument, NULL, NULL, NULL,
	  "list the parts this client knows" },
	{ "file", 'f', 'f', required_argument, "FILE", NULL, "what",
	  "image file; '-' is stdin (write, verify) or stdout (read)" },
	{ "length", 'l', 'l', required_argument, "N", NULL, NULL,
	  "length (see numbers below); default: the rest of the file\n"
	  "(write, verify) or of the chip" },
	{ "flash-offset", 0, OPT_FLASH_OFFSET, required_argument, "N", NULL, NULL,
	  "first chip address" },
	{ "file-offset", 0, OPT_FILE_OFFSET, required_argument, "N", NULL, NULL,
	  "first file byte (write, verify)" },
	{ "region", 'i', 'i', required_argument, "NAME[:FILE]", "include", NULL,
	  "only region NAME of --layout or --fmap; several -i: each in\n"
	  "turn; NAME:FILE: the region alone from or into FILE (flashrom's)" },
	{ "layout", 0, OPT_LAYOUT, required_argument, "FILE", NULL, NULL,
	  "regions from a flashrom layout 'start:end name' (hex)" },
	{ "fmap", 0, OPT_FMAP, no_argument, NULL, NULL, NULL,
	  "regions from the FMAP of the image, or of the chip" },
	{ "ifd", 0, OPT_IFD, no_argument, NULL, NULL, NULL,
	  "regions from the Intel flash descriptor of the image, or of the chip" },
	{ "region-file", 0, OPT_REGION_FILE, no_argument, NULL, NULL, NULL,
	  "write, verify: -f holds the region only (default: a whole\n"
	  "image, the region's bytes at its offset)" },
	{ "no-verify", 0, OPT_NO_VERIFY, no_argument, NULL, NULL, "safety",
	  "skip the verify after write and erase" },
	{ "unprotect", 0, OPT_UNPROTECT, no_argument, NULL, NULL, NULL,
	  "write, erase: clear block protection first if the range\n"
	  "touches it (never done unless asked)" },
	{ "all", 0, OPT_ALL, no_argument, NULL, NULL, NULL,
	  "protect: the whole chip" },
	{ "read-passes", 0, OPT_READ_PASSES, required_argument, "N", NULL, NULL,
	  "read, verify, write: read N more times and compare" },
	{ "backup", 0, OPT_BACKUP, required_argument, "FILE", NULL, NULL,
	  "write, erase: save the old bytes of the sectors that change\n"
	  "to FILE (default: a new file in " STATE_DIR_SHOWN "; the\n"
	  "undo command is printed)" },
	{ "no-backup", 0, OPT_NO_BACKUP, no_argument, NULL, NULL, NULL,
	  "write, erase: save nothing" },
	{ "force", 0, OPT_FORCE, no_argument, NULL, NULL, NULL,
	  "read: replace an existing FILE that holds other bytes" },
	{ "json", 0, OPT_JSON, no_argument, NULL, NULL, "output",
	  "one JSON object on stdout: the result, or the error" },
	{ "probe", 0, OPT_PROBE, no_argument, NULL, NULL, NULL,
	  "ports: ask each port whether a programmer answers" },
	{ "erase-test", 0, OPT_ERASE_TEST, required_argument, "ADDR", NULL, NULL,
	  "doctor: measure the supply during an erase of the sector at\n"
	  "ADDR (its bytes are written back)" },
	{ "progress", 0, OPT_PROGRESS, no_argument, NULL, NULL, NULL,
	  "show the progress bar even when stderr is not a terminal" },
	{ "no-progress", 0, OPT_NO_PROGRESS, no_argument, NULL, NULL, NULL,
	  "no progress bar (default when stderr is not a terminal)" },
	{ "quiet", 'q', 'q', no_argument, NULL, NULL, NULL,
	  "no progress, no status lines" },
	{ "verbose", 'v', 'v', optional_argument, "[=N]", NULL, NULL,
	  "more detail: -v the link, the chip and statistics; -vv (or\n"
	  "--verbose=2) also each phase's bytes and time; -vvv also a\n"
	  "trace of every request, answer and resend (no progress bar)" },
	{ "help", 'h', 'h', no_argument, NULL, NULL, NULL, "this text" },
	{ "version", 0, OPT_VERSION, no_argument, NULL, NULL, NULL,
	  "client version and the protocols it speaks" },
};
const unsigned opts_table_len = sizeof(opts_table) / sizeof(opts_table[0]);

static const char usage_head[] =
"usage: spiflash [options] COMMAND [options]\n"
"\n"
"commands:\n"
"  read       read the chip (or a range) into FILE; an existing FILE is\n"
"             kept when it holds the same bytes, refused when it differs\n"
"  write      write FILE (or a range of it) to the chip: erases only the\n"
"             sectors it touches, keeps bytes outside the range, skips\n"
"             unchanged sectors, verifies at the end\n"
"  verify     compare the chip with FILE\n"
"  erase      erase the whole chip, or a range (bytes outside it are kept)\n"
"  blank      check that the chip (or a range) is all FF\n"
"  info       firmware, link, chip ID, size, SFDP, status registers, protection\n"
"  protect    set block protection: --all, or the range --flash-offset and -l\n"
"  unprotect  clear block protection (QE and other status bits kept)\n"
"  identify [FILE]  what FILE (none: the chip) holds: flash descriptor, FMAP,\n"
"             UEFI volumes, CBFS, uImage/FIT/squashfs\n"
"  diff A B   compare two images region by region (a file, or 'chip' or '-'\n"
"             for the chip's contents); exit 5 when they differ\n"
"  ports      list serial ports with USB IDs, a board guess, and ports in use\n"
"  doctor     check the wiring, the signal at each SPI clock and the supply:\n"
"             one verdict and the next step\n";

static const char usage_tail[] =
"\n"
"exit codes:\n"
"  0 success           1 file, I/O or other error   2 usage error\n"
"  3 device or link error (cannot open the port, no answer, not a spiflash device)\n"
"  4 chip error (no chip, unknown, write protected, busy timeout, write did not take)\n"
"  5 verify mismatch (or not blank)\n"
"  129, 130, 143 stopped by SIGHUP, SIGINT (Ctrl-C), SIGTERM: the page in flight\n"
"    finished, the range's state and the command that finishes the job printed\n"
#ifndef _WIN32
"\n"
"environment: SPIFLASH_FORCE_LIBSERIALPORT=1 never falls back to termios\n"
#endif
;

#define USAGE_WIDTH 79
#define USAGE_LEFT 26

static const char *const group_names[][2] = {
	{ "where", "the programmer and the chip" },
	{ "what", "what to read or write" },
	{ "safety", "safety" },
	{ "output", "output" },
};

/* "  -d, --device PORT  " into buf */
static void usage_left(const struct opts_def *d, char *buf, size_t n)
{
	int k = snprintf(buf, n, "  %c%c%s--%s%s%s%s%s", d->shrt ? '-' : ' ', d->shrt ? d->shrt : ' ',
			 d->shrt ? ", " : "  ", d->name, d->alias ? ", --" : "",
			 d->alias ? d->alias : "", d->arg && d->arg[0] != '[' ? " " : "",
			 d->arg ? d->arg : "");

	(void)k;
}

/* The help of one option, its lines joined and wrapped to the width left. */
static void usage_help(FILE *f, const char *h)
{
	char text[512];
	size_t n = 0, col = 0, w;
	const char *p;

	for (p = h; *p && n + 1 < sizeof(text); p++)
		text[n++] = *p == '\n' ? ' ' : *p;
	text[n] = '\0';
	for (p = text; *p; ) {
		w = strcspn(p, " ");
		if (col && col + 1 + w > USAGE_WIDTH - USAGE_LEFT) {
			fprintf(f, "\n%-*s", USAGE_LEFT, "");
			col = 0;
		} else if (col) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, p);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

void opts_usage(void *file)
{
	FILE *f = file;
	char left[64];
	unsigned i, g;

	fputs(usage_head, f);
	for (i = 0; i < opts_table_len; i++) {
		const struct opts_def *d = &opts_table[i];

		if (d->group)
			for (g = 0; g < sizeof(group_names) / sizeof(group_names[0]); g++)
				if (!strcmp(d->group, group_names[g][0]))
					fprintf(f, "\n%s:\n", group_names[g][1]);
		usage_left(d, left, sizeof(left));
		fprintf(f, "%-*s", USAGE_LEFT, left);
		if (strlen(left) >= USAGE_LEFT)
			fprintf(f, "\n%-*s", USAGE_LEFT, "");
		usage_help(f, d->help);
	}
	fputs("\n" OPTS_UNITS_HELP, f);
	fputs(usage_tail, f);
}

const char *opts_flashrom_hint(int shrt)
{
	switch (shrt) {
	case 'r': return "did you mean 'spiflash read -f FILE'? (flashrom's -r FILE)";
	case 'w': return "did you mean 'spiflash write -f FILE'? (flashrom's -w FILE)";
	case 'E': return "did you mean 'spiflash erase'? (flashrom's -E)";
	case 'V': return "did you mean 'spiflash -v' (or -vv)? (flashrom's -V)";
	case 'L': return "did you mean 'spiflash --list-chips'? (flashrom's -L)";
	default: return NULL;
	}
}
