/*
 * spiflash-emu: the spiflash firmware ELF in simavr (ATmega328P, 16 MHz)
 * with a simulated SPI NOR flash on the bus (CS = PB2 = D10) and UART0 on a
 * pseudo-terminal.  The first line on stdout is the pty path; the emulator
 * then runs until SIGINT/SIGTERM.  SIGUSR1 prints the statistics line,
 * SIGUSR2 resets the AVR (as a reset button would; the flash keeps its state),
 * SIGHUP unplugs the serial adapter: the pty master is closed, so the slave
 * node vanishes, the client's reads see end of file and its writes EIO, and
 * --link is removed.  With --replug, every unplug (SIGHUP or the fault
 * unplug-after=) is followed after a delay by a new pty, whose path is
 * printed on stdout as one more line (it may reuse the old number) and
 * --link follows it.  The AVR keeps running meanwhile, as on a board with
 * its own supply; SIGUSR2 or reset-after= model a power cycle's reset.
 *
 * Time: see emu_pace.h (idle pacing by default, --realtime, --turbo).  The
 * host's termios rate is checked against the AVR's: see emu_bridge.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sim_avr.h"
#include "sim_elf.h"
#include "sim_time.h"
#include "sim_cycle_timers.h"

#include "flashchip.h"
#include "emu_bridge.h"
#include "emu_image.h"
#include "emu_pace.h"
#include "emu_spi.h"
#include "emu_wiring.h"
#include "emu_boot.h"

#define EMU_MCU "atmega328p"
#define EMU_F_CPU 16000000u
#define REPLUG_MS_DEFAULT 300u

struct emu_opts {
	const char *firmware;
	const char *chip;
	const char *image;
	const char *link;
	const char *fault;
	const char *chip_fault;
	const char *usb;                 /* --bridge, emu_bridge.h */
	const char *wiring, *vcc;        /* emu_wiring.h */
	uint32_t latency_ms;
	uint32_t baud;                   /* hint only: simavr derives it from UBRR */
	uint32_t replug_ms;              /* --replug delay */
	enum emu_pace_mode pace;
	int replug;
	int no_baud_check;
	int max_times;
	int verbose;
};

struct emu {
	struct emu_opts opt;
	avr_t *avr;
	struct fc_chip chip;
	struct emu_image img;
	struct emu_spi spi;
	struct emu_wiring wiring;
	struct emu_bridge *bridge;       /* large: heap */
	struct emu_pace pace;
	uint64_t overruns;               /* simavr "RX buffer overrun" messages */
	void (*core_reset)(avr_t *avr);  /* simavr's per-core reset hook */
	uint64_t resets;
	uint64_t replug_at_ns;           /* wall clock; 0 = not unplugged */
};

/* The only mutable file-level state: set by signal handlers, read by the loop. */
static volatile sig_atomic_t sig_stop, sig_stats, sig_reset, sig_unplug;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		sig_stats = 1;
	else if (sig == SIGUSR2)
		sig_reset = 1;
	else if (sig == SIGHUP)
		sig_unplug = 1;
	else
		sig_stop = 1;
}

static const char usage[] =
	"usage: spiflash-emu [options] FIRMWARE.elf\n"
	"  --chip NAME        flash personality (default W25Q128)\n"
	"  --image FILE       chip contents; created erased if missing\n"
	"  --realtime         simulated time never runs ahead of the wall clock\n"
	"  --turbo            never wait: an idle AVR fast-forwards (default: busy\n"
	"                     runs flat out, idle keeps to the wall clock)\n"
	"  --latency-ms N     delay each direction of the serial link by N ms\n"
	"  --bridge B         USB-serial chip: none (default), ftdi[:MS] (62-byte\n"
	"                     packets, MS ms latency timer, default 16), 16u2, ch340\n"
	"  --max-times        chip busy for datasheet maximum times\n"
	"  --baud N           baud hint (the UART rate comes from UBRR)\n"
	"  --no-baud-check    pass bytes whatever rate the host set on the pty\n"
	"                     (default: garbled when >3 % off the AVR's rate)\n"
	"  --link PATH        also make PATH a symlink to the pty\n"
	"  --replug[=MS]      after an unplug, a new pty MS ms later (default 300),\n"
	"                     its path printed on stdout as a new line\n"
	"  --fault SPEC       seeded link faults, e.g. seed=7,flip=100,drop=50,\n"
	"                     dup=50,stall=10,stall-ms=200,dir=to|from|both (ppm),\n"
	"                     unplug-after=BYTES,reset-after=BYTES (both ways)\n"
	"  --chip-fault SPEC  chip faults: stuck=ADDR:MASK (bits that stay 1, up to 8),\n"
	"                     slow-erase[=FACTOR] (busy FACTOR x the maximum, 10),\n"
	"                     miso-stuck-after=N[:VAL] (after N SPI bytes MISO reads\n"
	"                     VAL, default FF), protect-after=N (after N programs/\n"
	"                     erases every BP bit is set); the stats line counts them\n"
	"  --wiring SPEC      miso-float,swap,hold-low,wp-low,marginal=HZ[:PPM]\n"
	"  --vcc MV[,sag=MV][,weak=MV]  the chip's VCC on A0 (emu_wiring.h)\n"
	"  -v                 verbose (twice: simavr warnings, three: traces)\n"
	"  --help\n"
	"prints the pty path as the first line of stdout; SIGUSR1 prints\n"
	"statistics, SIGUSR2 resets the AVR, SIGHUP unplugs the serial adapter,\n"
	"SIGINT/SIGTERM stop\n";

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * Parse argv into o; pure (no printing, no exit).  Returns 0, 1 for --help,
 * or -1 with a message in err.  Accepts "--opt VALUE" and "--opt=VALUE".
 */
static int emu_parse_args(int argc, char **argv, struct emu_opts *o,
			  char *err, size_t errlen)
{
	int realtime = 0, turbo = 0;

	memset(o, 0, sizeof(*o));
	o->chip = "W25Q128";
	o->replug_ms = REPLUG_MS_DEFAULT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[32];
		size_t n;

		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			o->verbose++;
			continue;
		}
		if (strcmp(a, "-vv") == 0) {
			o->verbose += 2;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return 1;
		if (a[0] != '-' || strcmp(a, "-") == 0) {
			if (o->firmware) {
				snprintf(err, errlen, "more than one firmware: '%s' and '%s'",
					 o->firmware, a);
				return -1;
			}
			o->firmware = a;
			continue;
		}
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		if (n >= sizeof(name)) {
			snprintf(err, errlen, "unknown option '%s'", a);
			return -1;
		}
		memcpy(name, a, n);
		name[n] = '\0';
		if (!strcmp(name, "--replug")) {
			o->replug = 1;
			if (eq && parse_u32(eq + 1, &o->replug_ms)) {
				snprintf(err, errlen, "option '--replug' wants a number, not '%s'",
					 eq + 1);
				return -1;
			}
			continue;
		}
		if (!strcmp(name, "--realtime") || !strcmp(name, "--max-times") ||
		    !strcmp(name, "--turbo") || !strcmp(name, "--no-baud-check")) {
			if (eq) {
				snprintf(err, errlen, "option '%s' takes no value", name);
				return -1;
			}
			*(!strcmp(name, "--realtime") ? &realtime :
			  !strcmp(name, "--turbo") ? &turbo :
			  !strcmp(name, "--max-times") ? &o->max_times : &o->no_baud_check) = 1;
			continue;
		}
		if (strcmp(name, "--chip") && strcmp(name, "--image") &&
		    strcmp(name, "--link") && strcmp(name, "--latency-ms") &&
		    strcmp(name, "--baud") && strcmp(name, "--fault") &&
		    strcmp(name, "--chip-fault") && strcmp(name, "--wiring") &&
		    strcmp(name, "--vcc") && strcmp(name, "--bridge")) {
			snprintf(err, errlen, "unknown option '%s'", a);
			return -1;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			snprintf(err, errlen, "option '%s' needs a value", name);
			return -1;
		}
		if (!strcmp(name, "--chip"))
			o->chip = val;
		else if (!strcmp(name, "--image"))
			o->image = val;
		else if (!strcmp(name, "--link"))
			o->link = val;
		else if (!strcmp(name, "--fault"))
			o->fault = val;
		else if (!strcmp(name, "--chip-fault"))
			o->chip_fault = val;
		else if (!strcmp(name, "--bridge"))
			o->usb = val;
		else if (!strcmp(name, "--wiring"))
			o->wiring = val;
		else if (!strcmp(name, "--vcc"))
			o->vcc = val;
		else if (parse_u32(val, !strcmp(name, "--baud") ? &o->baud : &o->latency_ms)) {
			snprintf(err, errlen, "option '%s' wants a number, not '%s'", name, val);
			return -1;
		}
	}
	if (!o->firmware) {
		snprintf(err, errlen, "no firmware given");
		return -1;
	}
	if (realtime && turbo) {
		snprintf(err, errlen, "--realtime and --turbo exclude each other");
		return -1;
	}
	o->pace = realtime ? EMU_PACE_REALTIME : turbo ? EMU_PACE_TURBO : EMU_PACE_IDLE;
	return 0;
}

/* simavr messages go to stderr (its default sends warnings to our stdout). */
static void emu_logger(avr_t *avr, const int level, const char *fmt, va_list ap)
{
	/* Messages without an avr (ELF loading) are chatter unless they are errors. */
	if (avr ? avr->log < level : level > LOG_ERROR)
		return;
	if (avr && avr->custom.data && strstr(fmt, "RX buffer overrun"))
		((struct emu *)avr->custom.data)->overruns++;
	fputs("spiflash-emu: simavr: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/*
 * simavr's raw sleep callback usleep()s until the wall clock reaches
 * simulated time: unthrottled, that is a stall of however far simulation has
 * run ahead.  The pacer decides instead (emu_pace.h).
 */
static void emu_sleep(avr_t *avr, avr_cycle_count_t how_long)
{
	emu_pace_sleep(&((struct emu *)avr->custom.data)->pace, how_long);
}

static uint64_t spi_activity(void *ctx)
{
	const struct emu_spi *s = ctx;

	return s->bytes + s->bytes_idle;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Every avr_reset() (SIGUSR2, or a watchdog reset inside simavr) drops all
 * cycle timers: chained into the core's reset hook, this restarts ours and
 * releases chip select, whoever asked for the reset.
 */
static void emu_on_reset(avr_t *avr)
{
	struct emu *e = avr->custom.data;

	if (e->core_reset)
		e->core_reset(avr);
	emu_boot_on_reset(avr);
	e->resets++;
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: avr reset at cycle %llu\n",
			(unsigned long long)avr->cycle);
	emu_spi_reset(&e->spi);
	emu_bridge_start(e->bridge);
	emu_pace_start(&e->pace);
}

static void print_stats(const struct emu *e)
{
	const struct emu_bridge_stats *b = &e->bridge->st;
	uint64_t ns = avr_cycles_to_nsec(e->avr, e->avr->cycle);

	fprintf(stderr, "spiflash-emu: sim_time=%llu.%06llu to_dev=%llu from_dev=%llu "
		"spi_bytes=%llu programs=%lu erases=%lu\n",
		(unsigned long long)(ns / 1000000000u),
		(unsigned long long)(ns % 1000000000u / 1000u),
		(unsigned long long)b->to_dev, (unsigned long long)b->from_dev,
		(unsigned long long)e->spi.bytes,
		(unsigned long)e->chip.stats.programs, (unsigned long)e->chip.stats.erases);
	if (e->opt.chip_fault)
		fprintf(stderr, "spiflash-emu: chip faults: miso_stuck=%u protected=%u "
			"spi_bytes=%llu writes=%lu\n", e->chip.fault.miso_stuck,
			e->chip.fault.protected_now, (unsigned long long)e->chip.fault.bytes,
			(unsigned long)e->chip.fault.writes);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: resets=%llu rx_overruns=%llu out_dropped_no_client=%llu "
			"out_dropped_full=%llu spi_idle_bytes=%llu spi_wcol=%llu "
			"refused=%lu faults(flip=%llu drop=%llu dup=%llu stall=%llu) "
			"garbled_to=%llu garbled_from=%llu unplugs=%llu "
			"idle_waits=%llu idle_wait_ms=%llu idle_woken=%llu\n",
			(unsigned long long)e->resets, (unsigned long long)e->overruns,
			(unsigned long long)b->dropped_no_client,
			(unsigned long long)b->dropped_full,
			(unsigned long long)e->spi.bytes_idle,
			(unsigned long long)e->spi.collisions,
			(unsigned long)e->chip.stats.refused,
			(unsigned long long)b->fault.flips, (unsigned long long)b->fault.drops,
			(unsigned long long)b->fault.dups, (unsigned long long)b->fault.stalls,
			(unsigned long long)b->garbled_to, (unsigned long long)b->garbled_from,
			(unsigned long long)b->unplugs,
			(unsigned long long)e->pace.st.waits,
			(unsigned long long)(e->pace.st.wait_ns / 1000000u),
			(unsigned long long)e->pace.st.woken);
	fflush(stderr);
}

static void list_parts(void)
{
	fputs("spiflash-emu: known chips:", stderr);
	for (const struct fc_part *p = fc_parts; p->name; p++)
		fprintf(stderr, " %s", p->name);
	fputc('\n', stderr);
}

/* elf_read_firmware() takes any file: insist on a 32-bit little-endian AVR ELF. */
static int is_avr_elf(const char *path)
{
	unsigned char h[20];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(h, 1, sizeof(h), f) : 0;

	if (f)
		fclose(f);
	return n == sizeof(h) && !memcmp(h, "\177ELF", 4) && h[4] == 1 && h[5] == 1 &&
	       (h[18] | h[19] << 8) == 83;        /* EM_AVR */
}

static int set_link(const char *link, const char *target)
{
	/* Replace only a symlink: never clobber a regular file by a typo. */
	if (unlink(link) < 0 && errno != ENOENT)
		return -1;
	return symlink(target, link);
}

/* Remove --link if it still points to our pty (a vanished port has no name). */
static void drop_link(struct emu *e)
{
	char target[sizeof(e->bridge->path)];
	ssize_t n;

	if (!e->opt.link || !e->bridge || !e->bridge->path[0])
		return;
	n = readlink(e->opt.link, target, sizeof(target) - 1);
	if (n > 0 && (target[n] = '\0', !strcmp(target, e->bridge->path)))
		unlink(e->opt.link);
}

static void unplug(struct emu *e)
{
	if (e->bridge->master < 0)
		return;
	emu_bridge_unplug(e->bridge);
	drop_link(e);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: unplugged %s\n", e->bridge->path);
	if (e->opt.replug)
		e->replug_at_ns = wall_ns() + (uint64_t)e->opt.replug_ms * 1000000u;
}

/* A new pty, announced on stdout; --link follows it. */
static int replug(struct emu *e)
{
	char err[256];

	e->replug_at_ns = 0;
	if (emu_bridge_replug(e->bridge, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: replug: %s\n", err);
		return -1;
	}
	if (e->opt.link && set_link(e->opt.link, e->bridge->path) < 0)
		fprintf(stderr, "spiflash-emu: cannot link '%s' to '%s': %s\n",
			e->opt.link, e->bridge->path, strerror(errno));
	printf("%s\n", e->bridge->path);
	fflush(stdout);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: replugged as %s\n", e->bridge->path);
	return 0;
}

int main(int argc, char **argv)
{
	struct emu *e;
	const struct fc_part *part;
	struct emu_fault fault;
	struct fc_faults chip_fault;
	elf_firmware_t fw;
	struct sigaction sa;
	char err[512];
	int ret = 1, r;

	e = calloc(1, sizeof(*e));
	if (!e)
		return 1;
	r = emu_parse_args(argc, argv, &e->opt, err, sizeof(err));
	if (r == 1) {
		fputs(usage, stdout);
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "spiflash-emu: %s\n%s", err, usage);
		return 2;
	}
	if (e->opt.fault && emu_fault_parse(e->opt.fault, &fault, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return 2;
	}
	if (e->opt.chip_fault &&
	    fc_fault_parse(e->opt.chip_fault, &chip_fault, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return 2;
	}

	if (emu_wiring_parse(e->opt.wiring, e->opt.vcc, &e->wiring, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	part = fc_part_find(e->opt.chip);
	if (!part) {
		fprintf(stderr, "spiflash-emu: unknown chip '%s'\n", e->opt.chip);
		list_parts();
		goto out;
	}
	if (emu_image_open(&e->img, e->opt.image, part->size, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		goto out;
	}
	fc_init(&e->chip, part, e->img.mem, e->opt.max_times ? FC_O_MAXTIME : 0);
	if (e->opt.chip_fault)
		e->chip.fault = chip_fault;

	avr_global_logger_set(emu_logger);
	if (access(e->opt.firmware, R_OK) < 0) {
		fprintf(stderr, "spiflash-emu: cannot read firmware '%s': %s\n",
			e->opt.firmware, strerror(errno));
		goto out;
	}
	memset(&fw, 0, sizeof(fw));
	if (!is_avr_elf(e->opt.firmware) ||
	    elf_read_firmware(e->opt.firmware, &fw) < 0 || !fw.flash || !fw.flashsize) {
		fprintf(stderr, "spiflash-emu: cannot load firmware '%s' (not an AVR ELF?)\n",
			e->opt.firmware);
		goto out;
	}
	/* The Arduino ELF has no .mmcu section: this board is fixed anyway. */
	if (fw.mmcu[0] && strcasecmp(fw.mmcu, EMU_MCU))
		fprintf(stderr, "spiflash-emu: firmware says mcu '%s', running it as %s\n",
			fw.mmcu, EMU_MCU);
	strcpy(fw.mmcu, EMU_MCU);
	fw.frequency = EMU_F_CPU;

	e->avr = avr_make_mcu_by_name(EMU_MCU);
	if (!e->avr || avr_init(e->avr) != 0) {
		fprintf(stderr, "spiflash-emu: simavr has no %s\n", EMU_MCU);
		goto out;
	}
	e->avr->custom.data = e;
	/* Default 1 hides LOG_ERROR, such as the UART's "RX buffer overrun". */
	e->avr->log = LOG_ERROR + (e->opt.verbose > 1 ? e->opt.verbose - 1 : 0);
	avr_load_firmware(e->avr, &fw);
	if (emu_boot_setup(e->avr) < 0)
		goto out;
	e->avr->frequency = EMU_F_CPU;
	e->avr->sleep = emu_sleep;

	if (emu_spi_init(&e->spi, e->avr, &e->chip) < 0) {
		fprintf(stderr, "spiflash-emu: cannot wire the SPI bus (no SPI or PORTB?)\n");
		goto out;
	}
	if (emu_wiring_init(&e->wiring, e->avr, &e->spi) < 0) {
		fprintf(stderr, "spiflash-emu: cannot wire A0 (no ADC?)\n");
		goto out;
	}
	e->bridge = calloc(1, sizeof(*e->bridge));
	if (!e->bridge ||
	    emu_bridge_init(e->bridge, e->avr, e->opt.latency_ms, e->opt.baud,
			    !e->opt.no_baud_check, e->opt.fault ? &fault : NULL,
			    e->opt.verbose, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", e->bridge ? err : "out of memory");
		goto out;
	}
	if (e->opt.usb && emu_bridge_set_usb(e->bridge, e->opt.usb, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		goto out;
	}
	if (e->opt.link && set_link(e->opt.link, e->bridge->path) < 0) {
		fprintf(stderr, "spiflash-emu: cannot link '%s' to '%s': %s\n",
			e->opt.link, e->bridge->path, strerror(errno));
		goto out;
	}
	emu_pace_init(&e->pace, e->avr, e->bridge, e->opt.pace, spi_activity, &e->spi);
	emu_pace_start(&e->pace);
	e->core_reset = e->avr->reset;
	e->avr->reset = emu_on_reset;

	printf("%s\n", e->bridge->path);
	fflush(stdout);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: %s (%u bytes%s) on %s, image %s%s\n",
			part->name, (unsigned)part->size,
			e->opt.max_times ? ", max times" : "", e->bridge->path,
			e->opt.image ? e->opt.image : "(memory)",
			e->img.created ? " (created)" : "");

	for (;;) {
		int state = avr_run(e->avr);

		if (sig_stop) {
			ret = 0;
			break;
		}
		if (state == cpu_Done || state == cpu_Crashed) {
			fprintf(stderr, "spiflash-emu: firmware %s at pc 0x%04x, cycle %llu\n",
				state == cpu_Done ?
				"stopped (sleep with interrupts off, or returned from main)" :
				"crashed",
				(unsigned)e->avr->pc, (unsigned long long)e->avr->cycle);
			break;
		}
		if (sig_stats) {
			sig_stats = 0;
			print_stats(e);
		}
		if (sig_reset || (e->bridge->req & EMU_REQ_RESET)) {
			sig_reset = 0;
			e->bridge->req &= ~(unsigned)EMU_REQ_RESET;
			emu_boot_reset(e->avr);   /* avr_reset, as an external reset */
		}
		if (sig_unplug || (e->bridge->req & EMU_REQ_UNPLUG)) {
			sig_unplug = 0;
			e->bridge->req &= ~(unsigned)EMU_REQ_UNPLUG;
			unplug(e);
		}
		if (e->replug_at_ns && wall_ns() >= e->replug_at_ns && replug(e) < 0)
			break;
	}
	print_stats(e);

out:
	drop_link(e);
	if (e->bridge)
		emu_bridge_free(e->bridge);
	if (e->img.mem && emu_image_close(&e->img) < 0) {
		fprintf(stderr, "spiflash-emu: cannot write back the image: %s\n",
			strerror(errno));
		ret = 1;
	}
	if (e->avr)
		avr_terminate(e->avr);
	free(e->bridge);
	free(e);
	return ret;
}
