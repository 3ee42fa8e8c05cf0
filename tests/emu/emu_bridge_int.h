/*
 * emu_bridge_int: what the parts of the bridge (emu_bridge.h) share among
 * themselves and nobody else uses.
 *   emu_bridge.c  the AVR's side: UART0 hooks, the byte timer, init
 *   emu_pty.c     the host's side: the pty, its client, unplug and replug
 *   emu_usb.c     the USB-serial chip models (--bridge)
 *   emu_fault.c   the fault injector (--fault) on the way into a ring
 *   emu_baud.c    line rates: the host's, the AVR's, garbling on a mismatch
 */
#ifndef EMU_BRIDGE_INT_H
#define EMU_BRIDGE_INT_H

#include <stdint.h>

#include "emu_bridge.h"

#define EMU_RING_SIZE (1u << EMU_RING_BITS)
#define EMU_RING_MASK (EMU_RING_SIZE - 1)

static inline uint32_t emu_ring_used(const struct emu_ring *r)
{
	return r->head - r->tail;
}

static inline uint32_t emu_ring_space(const struct emu_ring *r)
{
	return EMU_RING_SIZE - emu_ring_used(r);
}

static inline int emu_ring_ready(const struct emu_ring *r, avr_cycle_count_t now)
{
	return emu_ring_used(r) && r->due[r->tail & EMU_RING_MASK] <= now;
}

static inline uint64_t emu_rng_next(uint64_t *s)     /* xorshift64* */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* emu_fault.c */
/*
 * Queue one byte in direction dir to leave at cycle due, through the fault
 * injector if enabled.  0 (queued or dropped by a fault), -1 if r is full.
 */
int emu_fault_enqueue(struct emu_bridge *b, struct emu_ring *r, unsigned dir,
		      uint8_t byte, avr_cycle_count_t due);
/* One more byte moved: raise the unplug-after= and reset-after= requests. */
void emu_fault_count(struct emu_bridge *b);

/* emu_baud.c */
/* Look at the host's termios rate again at most every 1 ms, or now if forced. */
void emu_baud_host_refresh(struct emu_bridge *b, int force);
/* The firmware changed UART0's rate: cpb cycles a byte; say so if asked. */
void emu_baud_avr_changed(struct emu_bridge *b, avr_cycle_count_t cpb);
/* Would a byte on the line now arrive as garbage? (reports changes) */
int emu_baud_garbles(struct emu_bridge *b);
/* A byte sampled at the wrong rate: never the byte that was sent. */
uint8_t emu_baud_noise(struct emu_bridge *b, uint8_t byte);

/* emu_usb.c */
/* Queue a byte from the AVR for the host when the USB chip passes it on. */
void emu_usb_enqueue(struct emu_bridge *b, uint8_t byte);

/* emu_pty.c */
/* Open a pty (path in b->path), raw, non-blocking.  0, or -1 with err set. */
int emu_pty_open(struct emu_bridge *b, char *err, size_t errlen);
/* Look for a client, read what the host sent, write what is due for it. */
void emu_pty_poll(struct emu_bridge *b);
/* Write out the bytes due for the host (dropped if nobody listens). */
void emu_pty_write(struct emu_bridge *b);

#endif
