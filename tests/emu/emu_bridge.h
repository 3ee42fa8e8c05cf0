/*
 * emu_bridge: UART0 of the emulated AVR <-> a pseudo-terminal, behaving like
 * a USB-serial adapter: nothing the host sends is lost (the simavr UART's
 * 64-entry input FIFO is fed only while it says XON), bytes can be delayed
 * by a fixed latency of simulated time, and a seeded fault injector can
 * flip, drop, duplicate or stall bytes in either direction.
 *
 * Bytes move from a cycle timer that runs once per UART byte time while
 * bytes are queued (once per millisecond when both rings are empty); the pty
 * is polled (never blocking) at most every EMU_BRIDGE_POLL_NS of wall time.
 * While no client has the pty open, output from the AVR is discarded, as a
 * closed port of a real adapter would; input already sent by a client that
 * has since closed is still delivered.
 *
 * A pty has no line rate, so the bridge reads the host's termios speed and,
 * when it is more than 3 % off the AVR's UBRR rate, replaces every byte on
 * the line by noise, both ways, as two UARTs at different rates would.
 * Unplugging closes the pty master (the slave vanishes for the client);
 * replugging opens a fresh pty with a new path.
 *
 * The code is in emu_bridge.c (the AVR's side), emu_pty.c (the host's),
 * emu_usb.c, emu_fault.c and emu_baud.c; see emu_bridge_int.h.
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
	uint64_t unplug_after;             /* bytes both ways, then unplug; 0 = never */
	uint64_t reset_after;              /* bytes both ways, then reset the AVR */
};

struct emu_fault_stats {
	uint64_t flips, drops, dups, stalls;
};

/* What the bridge asks of the main loop (it cannot reset from a timer). */
enum emu_bridge_req { EMU_REQ_UNPLUG = 1, EMU_REQ_RESET = 2 };

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
	uint64_t garbled_to, garbled_from; /* bytes lost to a baud mismatch */
	uint64_t unplugs;
	struct emu_fault_stats fault;
};

/*
 * The USB-serial chip between the AVR and the host (--bridge): how it
 * batches device-to-host bytes.  Host-to-device bytes go at once on all.
 *   none   each byte as its stop bit ends (a perfect bridge)
 *   ftdi   FT232R: held until 62 bytes wait or the latency timer (16 ms by
 *          default, "ftdi:1" for the 1 ms that ftdi_sio sets on a port
 *          opened for low latency) runs out since the first of them
 *   16u2   the Uno's ATmega16U2: 64-byte packets, the rest at the next
 *          1 ms USB frame
 *   ch340  32-byte packets, the rest at the next 1 ms frame (an assumption:
 *          its timeout is not documented)
 */
struct emu_usb {
	const char *name;
	unsigned packet;                   /* bytes that go at once; 0: none */
	avr_cycle_count_t hold;            /* ftdi: the latency timer */
	avr_cycle_count_t frame;           /* others: USB frame (1 ms) */
};

struct emu_bridge {
	avr_t *avr;
	avr_uart_t *uart;
	avr_irq_t *irq;                    /* UART_IRQ_* */
	int master;                        /* pty master, non-blocking; -1 unplugged */
	char path[64];                     /* pty slave */
	int client;                        /* a client has the slave open */
	int out_blocked;                   /* the host is not reading: pty full */
	int xoff;                          /* the UART input FIFO is full */
	uint8_t u2x;                       /* last seen U2X0 */
	uint8_t txen;                      /* last seen TXEN0 */
	uint8_t udrie;                     /* last seen UDRIE0 */
	avr_cycle_count_t cycles_per_byte; /* last seen UART rate */
	uint32_t baud_hint;                /* --baud, 0 if none */
	avr_cycle_count_t latency;         /* cycles, each direction */
	avr_cycle_count_t wire_end;        /* AVR->host: the line is busy until */
	avr_cycle_count_t rx_free;         /* host->AVR: the next byte may start */
	uint64_t last_poll_ns;             /* wall clock */
	int baud_check;                    /* garble bytes on a rate mismatch */
	uint32_t host_baud;                /* host termios rate; 0 = cannot tell */
	uint64_t host_baud_ns;             /* wall clock of the last look */
	int mismatch;                      /* last reported mismatch state */
	uint64_t rng, noise;               /* fault and line-noise generators */
	struct emu_fault fault;
	unsigned req;                      /* enum emu_bridge_req, main loop clears */
	int verbose;
	int trace_frames;                  /* --trace-frames: see emu_bridge_trace */
	struct emu_frame_trace {
		int in;                    /* inside a frame (after its A5) */
		unsigned n;                /* its bytes so far */
		avr_cycle_count_t start;
	} trace[2];                        /* [0] host to AVR, [1] AVR to host */
	struct emu_ring to_dev, from_dev;
	struct emu_bridge_stats st;
	struct emu_usb usb;
	uint32_t batch_head;               /* from_dev index of the batch's first byte */
	unsigned batch_n;                  /* bytes in the open batch */
	int batch_open;
	avr_cycle_count_t batch_due;       /* when the open batch goes, not full */
};

/* --bridge SPEC: none, ftdi[:MS], 16u2, ch340.  0, or -1 with err set. */
int emu_bridge_set_usb(struct emu_bridge *b, const char *spec, char *err, size_t errlen);

/*
 * Open the pty and hook UART0.  latency_ms: simulated delay each way;
 * baud_hint: warn when the firmware's rate differs (0: no check);
 * baud_check: garble bytes while the host's termios rate is off; fault may
 * be NULL.  Returns 0, or -1 with a message in err.
 */
int emu_bridge_init(struct emu_bridge *b, avr_t *avr, uint32_t latency_ms,
		    uint32_t baud_hint, int baud_check, const struct emu_fault *fault,
		    int verbose, char *err, size_t errlen);
/* (Re)start the cycle timer: after init and after every avr_reset(). */
void emu_bridge_start(struct emu_bridge *b);
/*
 * 1 if nothing moves on the line right now (after writing out what is due
 * for the host): no byte due for the AVR, its
 * transmitter idle, no byte due for a host that is reading.  Bytes still in
 * flight (--latency-ms) do not count: they wait for their time.
 */
int emu_bridge_quiet(struct emu_bridge *b);
/*
 * Sleep up to ns of wall time, waking early when the host sends something
 * (or reads, if output is blocked).  Returns 1 if woken early, else 0.
 */
int emu_bridge_wait(struct emu_bridge *b, uint64_t ns);
/* Poll the pty now and run the byte timer on the next cycle. */
void emu_bridge_kick(struct emu_bridge *b);
/* Close the pty master: the slave disappears; queued bytes are lost. */
void emu_bridge_unplug(struct emu_bridge *b);
/* Open a new pty (new path in b->path).  0, or -1 with a message in err. */
int emu_bridge_replug(struct emu_bridge *b, char *err, size_t errlen);
/* Close the pty; queued bytes are dropped. */
void emu_bridge_free(struct emu_bridge *b);

/*
 * Parse "seed=N,flip=PPM,drop=PPM,dup=PPM,stall=PPM,stall-ms=N,
 * dir=to|from|both,unplug-after=BYTES,reset-after=BYTES".
 * Returns 0, or -1 with a message in err.
 */
int emu_fault_parse(const char *spec, struct emu_fault *f, char *err, size_t errlen);

#endif
