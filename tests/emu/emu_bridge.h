/*
 * emu_bridge: UART0 of the emulated AVR <-> a pseudo-terminal, behaving like
 * a USB-serial adapter: nothing the host sends is lost (the simavr UART's
 * 64-entry input FIFO is fed only while it says XON), bytes can be delayed
 * by a fixed latency of simulated time, and a seeded fault injector can
 * flip, drop, duplicate or stall bytes in either direction.
 *
 * Bytes move from a cycle timer that runs once per UART byte time; the pty
 * is polled (never blocking) at most every EMU_BRIDGE_POLL_NS of wall time.
 * While no client has the pty open, output from the AVR is discarded, as a
 * closed port of a real adapter would; input already sent by a client that
 * has since closed is still delivered.
 */
#ifndef EMU_BRIDGE_H
#define EMU_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "sim_avr.h"
#include "avr_uart.h"

#define EMU_BRIDGE_POLL_NS 20000u      /* wall-clock pty poll interval */
#define EMU_RING_BITS 16               /* 64 Ki bytes queued each way */

/* Fault injection, rates in parts per million bytes. */
enum emu_dir { EMU_TO_DEV = 1, EMU_FROM_DEV = 2 };

struct emu_fault {
	uint64_t seed;
	uint32_t flip_ppm, drop_ppm, dup_ppm, stall_ppm;
	uint32_t stall_ms;                 /* length of one stall */
	unsigned dirs;                     /* enum emu_dir mask; 0 = off */
};

struct emu_fault_stats {
	uint64_t flips, drops, dups, stalls;
};

struct emu_ring {
	uint8_t byte[1u << EMU_RING_BITS];
	avr_cycle_count_t due[1u << EMU_RING_BITS];  /* cycle it may leave */
	uint32_t head, tail;               /* free-running, masked on use */
	avr_cycle_count_t last_due;        /* keeps due times in order */
	avr_cycle_count_t stall_until;     /* fault: nothing leaves before */
};

struct emu_bridge_stats {
	uint64_t to_dev;                   /* bytes handed to the AVR UART */
	uint64_t from_dev;                 /* bytes the AVR UART sent */
	uint64_t dropped_no_client;        /* AVR output with nobody listening */
	uint64_t dropped_full;             /* AVR output past a full ring */
	struct emu_fault_stats fault;
};

struct emu_bridge {
	avr_t *avr;
	avr_uart_t *uart;
	avr_irq_t *irq;                    /* UART_IRQ_* */
	int master;                        /* pty master, non-blocking */
	char path[64];                     /* pty slave */
	int client;                        /* a client has the slave open */
	int xoff;                          /* the UART input FIFO is full */
	uint8_t u2x;                       /* last seen U2X0 */
	uint8_t txen;                      /* last seen TXEN0 */
	avr_cycle_count_t cycles_per_byte; /* last seen UART rate */
	uint32_t baud_hint;                /* --baud, 0 if none */
	avr_cycle_count_t latency;         /* cycles, each direction */
	uint64_t last_poll_ns;             /* wall clock */
	uint64_t rng;
	struct emu_fault fault;
	int verbose;
	struct emu_ring to_dev, from_dev;
	struct emu_bridge_stats st;
};

/*
 * Open the pty and hook UART0.  latency_ms: simulated delay each way;
 * baud_hint: warn when the firmware's rate differs (0: no check); fault may
 * be NULL.  Returns 0, or -1 with a message in err.
 */
int emu_bridge_init(struct emu_bridge *b, avr_t *avr, uint32_t latency_ms,
		    uint32_t baud_hint, const struct emu_fault *fault, int verbose,
		    char *err, size_t errlen);
/* (Re)start the cycle timer: after init and after every avr_reset(). */
void emu_bridge_start(struct emu_bridge *b);
/*
 * Sleep up to ns of wall time, waking early when the host sends something:
 * --realtime pacing without adding its sleep to the link's latency.
 */
void emu_bridge_wait(struct emu_bridge *b, uint64_t ns);
/* Close the pty; queued bytes are dropped. */
void emu_bridge_free(struct emu_bridge *b);

/*
 * Parse "seed=N,flip=PPM,drop=PPM,dup=PPM,stall=PPM,stall-ms=N,dir=to|from|both".
 * Returns 0, or -1 with a message in err.
 */
int emu_fault_parse(const char *spec, struct emu_fault *f, char *err, size_t errlen);

#endif
