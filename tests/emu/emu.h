/* emu: the state of one spiflash-emu run (emu_main.c, emu_port.c). */
#ifndef EMU_H
#define EMU_H

#include <stdint.h>

#include "sim_avr.h"

#include "flashchip.h"
#include "emu_args.h"
#include "emu_bridge.h"
#include "emu_image.h"
#include "emu_pace.h"
#include "emu_spi.h"
#include "emu_wiring.h"

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

/*
 * emu_port.c: the serial port as the host sees it.  --link follows the pty;
 * an unplug (SIGHUP, unplug-after=) takes the port away and, with --replug,
 * a new one is announced on stdout.
 */
/* Point --link (if any) at the pty.  0, or -1 after a message on stderr. */
int emu_port_link(struct emu *e);
/* Remove --link if it still points to our pty. */
void emu_port_drop_link(struct emu *e);
/* Unplug the adapter; with --replug, schedule the new port. */
void emu_port_unplug(struct emu *e);
/* A new pty, announced on stdout.  0, or -1 after a message on stderr. */
int emu_port_replug(struct emu *e);

#endif
