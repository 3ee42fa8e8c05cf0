/*
 * progress: the progress line of long commands, and the usage text.
 */
#include "cli/progress.h"
#include "transport/clock.h"

#include <stdio.h>
#include <string.h>

const char progress_usage_text[] =
"usage: spiflash [options] COMMAND [options]\n"
"\n"
"commands:\n"
"  read     read the chip (or a range) into FILE\n"
"  write    write FILE (or a range of it) to the chip: erases only the sectors\n"
"           it touches, keeps bytes outside the range, skips unchanged sectors,\n"
"           verifies at the end\n"
"  verify   compare the chip with FILE\n"
"  erase    erase the whole chip, or a range (bytes outside it are kept)\n"
"  blank    check that the chip (or a range) is all FF\n"
"  info     firmware, link, chip ID, size, SFDP, status registers, protection\n"
"  protect  set block protection: --all, or the range --flash-offset and -l\n"
"           (only ranges the part's protection bits can express exactly)\n"
"  unprotect  clear block protection (QE and other status bits kept)\n"
"  ports    list serial ports with USB IDs and a board guess\n"
"  doctor   check the wiring, the signal at each SPI clock and the supply:\n"
"           one verdict and the next step\n"
"\n"
"options:\n"
"  -d, --device PORT       serial port of the programmer (see 'spiflash ports');\n"
"                          several -d: the same command on each, in parallel;\n"
"                          none: the one programmer that answers\n"
"  -f, --file FILE         image file; '-' is stdin (write, verify) or stdout (read)\n"
"  -l, --length N          length in KiB (4096 = 4 MiB); or with a k/M suffix\n"
"                          default: rest of the file (write, verify) or chip\n"
"      --flash-offset N    first chip address, bytes (decimal, 0x hex, k/M)\n"
"      --file-offset N     first file byte, bytes (write, verify)\n"
"      --rate BAUD         force a line rate (default: the fastest of 2000000,\n"
"                          1000000, 500000, 250000 that passes a link test,\n"
"                          else 115200, where the sketch starts)\n"
"      --no-verify         skip the verify after write and erase\n"
"      --unprotect         write, erase: clear block protection first if the\n"
"                          range touches it (never done unless asked)\n"
"      --chip NAME         use this part when its ID cannot be read\n"
"      --list-chips        list the parts this client knows\n"
"      --read-passes N     read: read the range N more times and compare\n"
"      --backup FILE       write, erase: save the old bytes of the sectors that\n"
"                          change to FILE (default: a new file in\n"
"                          ~/.local/state/spiflash; the undo command is printed)\n"
"      --no-backup         write, erase: save nothing\n"
"  -i, --region NAME       read, write, verify, erase, blank: only region NAME\n"
"                          of --layout FILE (flashrom's 'start:end name', hex)\n"
"                          or --fmap (the FMAP of the image, or of the chip)\n"
"      --region-file       write, verify: FILE is the region only (default: a\n"
"                          whole image, the region's bytes at its offset)\n"
"      --json              one JSON object on stdout: the result, or the error\n"
"      --probe             ports: ask each port whether a programmer answers\n"
"      --spi-speed auto    the fastest SPI clock at which reads agree (the\n"
"                          sketch's default; 8M or 512k forces one)\n"
"      --erase-test ADDR   doctor: measure the supply during a sector erase\n"
"  -q, --quiet             no progress, no status lines\n"
"  -v, --verbose           more detail (link back end, statistics)\n"
"  -h, --help              this text\n"
"      --version           client version and the protocols it speaks\n"
"\n"
"exit codes:\n"
"  0 success           1 file, I/O or other error   2 usage error\n"
"  3 device or link error (cannot open the port, no answer, not a spiflash device)\n"
"  4 chip error (no chip, unknown, write protected, busy timeout, write did not take)\n"
"  5 verify mismatch (or not blank)\n"
"\n"
"environment: SPIFLASH_FORCE_LIBSERIALPORT=1 never falls back to termios\n";

void progress_cb(void *arg, const char *phase, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	uint64_t now = clock_ms(), ms;
	double rate;

	if (!p->enabled)
		return;
	if (!p->phase || strcmp(p->phase, phase)) {
		if (p->shown)
			fputc('\n', stderr);
		p->phase = phase;
		p->t0 = now;
		p->shown = 0;
	}
	if (done != total && now - p->last < 200)
		return;
	p->last = now;
	ms = now - p->t0;
	rate = ms ? (double)done * 1000.0 / (double)ms : 0.0;
	fprintf(stderr, "\r%-7s %9llu / %llu bytes  %7.1f KiB/s", phase,
		(unsigned long long)done, (unsigned long long)total, rate / 1024.0);
	if (rate > 0 && done < total) {
		unsigned eta = (unsigned)((double)(total - done) / rate);

		fprintf(stderr, "  ETA %u:%02u ", eta / 60, eta % 60);
	} else {
		fputs("            ", stderr);
	}
	p->shown = 1;
	if (done == total) {
		fputc('\n', stderr);
		p->shown = 0;
		p->phase = NULL;
	}
}

void progress_end(struct progress *p)
{
	if (p->enabled && p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}

