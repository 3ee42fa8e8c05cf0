/*
 * emu_pace: how simulated time relates to the wall clock.
 *
 *   EMU_PACE_IDLE (default)  busy: as fast as the host allows; idle (the AVR
 *                            asleep, or spinning without SPI traffic, and
 *                            nothing moving on the line): no faster than the
 *                            wall clock, blocked in poll()
 *   EMU_PACE_REALTIME        always no faster than the wall clock
 *   EMU_PACE_TURBO           sleep is a fast-forward (4-30x real time idle)
 *
 * Idle pacing keeps the firmware's millis() timeouts honest against a host
 * that thinks in wall time, and keeps an idle emulator off the CPU, while a
 * busy one still runs flat out.  Blocking waits end early when the host
 * writes: the sleep is then cut short at that wall-clock moment, so the byte
 * reaches the AVR at the simulated time matching when it was sent.
 */
#ifndef EMU_PACE_H
#define EMU_PACE_H

#include <stdint.h>

#include "sim_avr.h"
#include "emu_bridge.h"

enum emu_pace_mode { EMU_PACE_IDLE, EMU_PACE_REALTIME, EMU_PACE_TURBO };

struct emu_pace_stats {
	uint64_t waits;              /* blocking waits */
	uint64_t wait_ns;            /* wall time spent in them */
	uint64_t woken;              /* waits the host cut short */
	uint64_t anchors;            /* idle stretches (or realtime restarts) */
};

struct emu_pace {
	avr_t *avr;
	struct emu_bridge *bridge;
	enum emu_pace_mode mode;
	int idle;                    /* inside an idle stretch: the anchor holds */
	avr_cycle_count_t woke;      /* cycle the last sleep ended */
	uint64_t wall0, sim0;        /* anchor: wall ns and simulated ns that match */
	uint64_t (*activity)(void *);/* bytes moved on the SPI bus so far */
	void *activity_ctx;
	uint64_t last_activity;      /* at the last pace timer */
	struct emu_pace_stats st;
};

/* activity(ctx): a count that moves whenever the AVR does I/O beside the UART. */
void emu_pace_init(struct emu_pace *p, avr_t *avr, struct emu_bridge *b,
		   enum emu_pace_mode mode, uint64_t (*activity)(void *), void *ctx);
/* (Re)start: after init and after every avr_reset() (it drops cycle timers). */
void emu_pace_start(struct emu_pace *p);
/* simavr's avr->sleep: the AVR sleeps for how_long cycles (next timer). */
void emu_pace_sleep(struct emu_pace *p, avr_cycle_count_t how_long);

#endif
