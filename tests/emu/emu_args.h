/* emu_args: spiflash-emu's command line; see emu_args.c. */
#ifndef EMU_ARGS_H
#define EMU_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "emu_pace.h"

#define EMU_REPLUG_MS_DEFAULT 300u

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
	enum emu_pace_mode pace;         /* from --realtime and --turbo */
	int realtime, turbo;             /* as given: they exclude each other */
	int replug;
	int no_baud_check;
	int max_times;
	int trace_frames;                /* --trace-frames, emu_bridge.h */
	int verbose;
};

/* The --help text, also printed after a usage error. */
extern const char emu_usage[];

/*
 * Parse argv into o; pure (no printing, no exit).  Returns 0, 1 for --help,
 * or -1 with a message in err.  Accepts "--opt VALUE" and "--opt=VALUE".
 */
int emu_parse_args(int argc, char **argv, struct emu_opts *o, char *err, size_t errlen);

#endif
