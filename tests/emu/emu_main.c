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
#include <unistd.h>

#include "sim_avr.h"
#include "sim_elf.h"
#include "sim_time.h"
#include "sim_cycle_timers.h"

#include "emu.h"
#include "emu_boot.h"
#include "emu_clock.h"

#define EMU_MCU "atmega328p"
#define EMU_F_CPU 16000000u

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

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
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


/*
 * The command line and the option values with a syntax of their own.
 * Returns the exit code if the emulator is not to run (0 after --help, 2 on
 * a usage error), else -1.
 */
static int check_args(struct emu *e, int argc, char **argv, struct emu_fault *fault,
		      struct fc_faults *chip_fault)
{
	char err[512];
	int r = emu_parse_args(argc, argv, &e->opt, err, sizeof(err));

	if (r == 1) {
		fputs(emu_usage, stdout);
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "spiflash-emu: %s\n%s", err, emu_usage);
		return 2;
	}
	if ((e->opt.fault && emu_fault_parse(e->opt.fault, fault, err, sizeof(err)) < 0) ||
	    (e->opt.chip_fault &&
	     fc_fault_parse(e->opt.chip_fault, chip_fault, err, sizeof(err)) < 0) ||
	    emu_wiring_parse(e->opt.wiring, e->opt.vcc, &e->wiring, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return 2;
	}
	return -1;
}

/* The flash chip and its image.  The part, or NULL after a message. */
static const struct fc_part *open_chip(struct emu *e, const struct fc_faults *chip_fault)
{
	const struct fc_part *part = fc_part_find(e->opt.chip);
	char err[512];

	if (!part) {
		fprintf(stderr, "spiflash-emu: unknown chip '%s'\n", e->opt.chip);
		list_parts();
		return NULL;
	}
	if (emu_image_open(&e->img, e->opt.image, part->size, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return NULL;
	}
	fc_init(&e->chip, part, e->img.mem, e->opt.max_times ? FC_O_MAXTIME : 0);
	if (e->opt.chip_fault)
		e->chip.fault = *chip_fault;
	return part;
}

/* The firmware ELF, run as the board's mcu.  0, or -1 after a message. */
static int read_firmware(const char *path, elf_firmware_t *fw)
{
	if (access(path, R_OK) < 0) {
		fprintf(stderr, "spiflash-emu: cannot read firmware '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	memset(fw, 0, sizeof(*fw));
	if (!is_avr_elf(path) ||
	    elf_read_firmware(path, fw) < 0 || !fw->flash || !fw->flashsize) {
		fprintf(stderr, "spiflash-emu: cannot load firmware '%s' (not an AVR ELF?)\n",
			path);
		return -1;
	}
	/* The Arduino ELF has no .mmcu section: this board is fixed anyway. */
	if (fw->mmcu[0] && strcasecmp(fw->mmcu, EMU_MCU))
		fprintf(stderr, "spiflash-emu: firmware says mcu '%s', running it as %s\n",
			fw->mmcu, EMU_MCU);
	strcpy(fw->mmcu, EMU_MCU);
	fw->frequency = EMU_F_CPU;
	return 0;
}

/* The AVR with the firmware loaded.  0, or -1 after a message. */
static int start_avr(struct emu *e)
{
	elf_firmware_t fw;

	avr_global_logger_set(emu_logger);
	if (read_firmware(e->opt.firmware, &fw) < 0)
		return -1;
	e->avr = avr_make_mcu_by_name(EMU_MCU);
	if (!e->avr || avr_init(e->avr) != 0) {
		fprintf(stderr, "spiflash-emu: simavr has no %s\n", EMU_MCU);
		return -1;
	}
	e->avr->custom.data = e;
	/* Default 1 hides LOG_ERROR, such as the UART's "RX buffer overrun". */
	e->avr->log = LOG_ERROR + (e->opt.verbose > 1 ? e->opt.verbose - 1 : 0);
	avr_load_firmware(e->avr, &fw);
	if (emu_boot_setup(e->avr) < 0)
		return -1;
	e->avr->frequency = EMU_F_CPU;
	e->avr->sleep = emu_sleep;
	return 0;
}

/* The chip on the SPI bus, A0, UART0 on a pty, the pacer.  0, or -1. */
static int wire_up(struct emu *e, const struct emu_fault *fault)
{
	char err[512];

	if (emu_spi_init(&e->spi, e->avr, &e->chip) < 0) {
		fprintf(stderr, "spiflash-emu: cannot wire the SPI bus (no SPI or PORTB?)\n");
		return -1;
	}
	if (emu_wiring_init(&e->wiring, e->avr, &e->spi) < 0) {
		fprintf(stderr, "spiflash-emu: cannot wire A0 (no ADC?)\n");
		return -1;
	}
	e->bridge = calloc(1, sizeof(*e->bridge));
	if (!e->bridge ||
	    emu_bridge_init(e->bridge, e->avr, e->opt.latency_ms, e->opt.baud,
			    !e->opt.no_baud_check, e->opt.fault ? fault : NULL,
			    e->opt.verbose, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", e->bridge ? err : "out of memory");
		return -1;
	}
	e->bridge->trace_frames = e->opt.trace_frames;
	if (e->opt.usb && emu_bridge_set_usb(e->bridge, e->opt.usb, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: %s\n", err);
		return -1;
	}
	if (emu_port_link(e) < 0)
		return -1;
	emu_pace_init(&e->pace, e->avr, e->bridge, e->opt.pace, spi_activity, &e->spi);
	emu_pace_start(&e->pace);
	e->core_reset = e->avr->reset;
	e->avr->reset = emu_on_reset;
	return 0;
}

/* The pty path: the first line on stdout, which clients wait for. */
static void announce(const struct emu *e, const struct fc_part *part)
{
	printf("%s\n", e->bridge->path);
	fflush(stdout);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: %s (%u bytes%s) on %s, image %s%s\n",
			part->name, (unsigned)part->size,
			e->opt.max_times ? ", max times" : "", e->bridge->path,
			e->opt.image ? e->opt.image : "(memory)",
			e->img.created ? " (created)" : "");
}

/* What the signals and the bridge's fault requests ask for. */
static void handle_requests(struct emu *e)
{
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
		emu_port_unplug(e);
	}
}

/* Run until a stop signal (exit 0), or the firmware stops or a replug fails (1). */
static int run(struct emu *e)
{
	int ret = 1;

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
		handle_requests(e);
		if (e->replug_at_ns && emu_wall_ns() >= e->replug_at_ns && emu_port_replug(e) < 0)
			break;
	}
	print_stats(e);
	return ret;
}

/* Close the port, write back the image, free it all.  The exit code. */
static int teardown(struct emu *e, int ret)
{
	emu_port_drop_link(e);
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

int main(int argc, char **argv)
{
	struct emu *e;
	const struct fc_part *part;
	struct emu_fault fault;
	struct fc_faults chip_fault;
	int ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return 1;
	ret = check_args(e, argc, argv, &fault, &chip_fault);
	if (ret >= 0)
		return ret;
	catch_signals();
	ret = 1;
	part = open_chip(e, &chip_fault);
	if (part && start_avr(e) == 0 && wire_up(e, &fault) == 0) {
		announce(e, part);
		ret = run(e);
	}
	return teardown(e, ret);
}
