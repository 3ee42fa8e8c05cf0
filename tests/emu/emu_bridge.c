/* emu_bridge: UART0 <-> pty, lossless, with optional latency and faults. */
#define _GNU_SOURCE  /* ppoll */
#include "emu_bridge.h"
#include "emu_baud.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sim_io.h"
#include "sim_time.h"
#include "sim_cycle_timers.h"

/* avr_uart.h declares the FIFO type only; the accessors are static inlines. */
DEFINE_FIFO(uint16_t, uart_fifo);

#define RING_SIZE (1u << EMU_RING_BITS)
#define RING_MASK (RING_SIZE - 1)

/* Bounds of the tick period, in cycles: at most 1 ms between pty polls. */
#define TICK_MIN 64
#define TICK_MAX 16000

/* How often (wall clock) to look at the host's termios rate while idle. */
#define HOST_BAUD_POLL_NS 1000000u

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- rings ---- */

static uint32_t ring_used(const struct emu_ring *r) { return r->head - r->tail; }
static uint32_t ring_space(const struct emu_ring *r) { return RING_SIZE - ring_used(r); }

/* Due times never go backwards, so the ring stays in order whatever the stalls. */
static void ring_put(struct emu_ring *r, uint8_t byte, avr_cycle_count_t due)
{
	if (due < r->last_due)
		due = r->last_due;
	if (due < r->stall_until)
		due = r->stall_until;
	r->last_due = due;
	r->byte[r->head & RING_MASK] = byte;
	r->due[r->head & RING_MASK] = due;
	r->head++;
}

static int ring_ready(const struct emu_ring *r, avr_cycle_count_t now)
{
	return ring_used(r) && r->due[r->tail & RING_MASK] <= now;
}

/* ---- faults ---- */

static uint64_t rng_next(uint64_t *s)     /* xorshift64* */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static int chance(struct emu_bridge *b, uint32_t ppm)
{
	return ppm && rng_next(&b->rng) % 1000000u < ppm;
}

/*
 * Queue one byte in direction dir to leave at cycle due, through the fault
 * injector if enabled.
 */
static int enqueue(struct emu_bridge *b, struct emu_ring *r, unsigned dir, uint8_t byte,
		   avr_cycle_count_t due)
{
	avr_t *avr = b->avr;
	int copies = 1;

	if (b->fault.dirs & dir) {
		struct emu_fault_stats *fs = &b->st.fault;

		if (chance(b, b->fault.stall_ppm)) {
			r->stall_until = avr->cycle +
				avr_usec_to_cycles(avr, b->fault.stall_ms * 1000u);
			fs->stalls++;
		}
		if (chance(b, b->fault.drop_ppm)) {
			fs->drops++;
			return 0;
		}
		if (chance(b, b->fault.flip_ppm)) {
			byte ^= (uint8_t)(1u << (rng_next(&b->rng) % 8));
			fs->flips++;
		}
		if (chance(b, b->fault.dup_ppm)) {
			copies = 2;
			fs->dups++;
		}
	}
	if (ring_space(r) < (uint32_t)copies)
		return -1;
	while (copies--)
		ring_put(r, byte, due);
	return 0;
}

/* ---- line rates ---- */

/* Look again at most every HOST_BAUD_POLL_NS, or now if forced. */
static void host_baud_refresh(struct emu_bridge *b, int force)
{
	uint64_t now = wall_ns();

	if (b->master < 0 || (!force && now - b->host_baud_ns < HOST_BAUD_POLL_NS))
		return;
	b->host_baud_ns = now;
	b->host_baud = emu_host_baud(b->master);
}

/* The AVR's rate as the datasheet computes it from UBRR and U2X. */
static uint32_t avr_baud(const struct emu_bridge *b)
{
	avr_t *avr = b->avr;
	uint32_t ubrr = avr_regbit_get(avr, b->uart->ubrrl) |
			(uint32_t)avr_regbit_get(avr, b->uart->ubrrh) << 8;

	return avr->frequency / ((avr_regbit_get(avr, b->uart->u2x) ? 8u : 16u) * (ubrr + 1));
}

/*
 * Would a byte on the line now arrive as garbage?  Checked per byte at the
 * moment it is on the wire, so a rate change mid-stream garbles exactly the
 * bytes that cross it.
 */
static int line_garbles(struct emu_bridge *b)
{
	uint32_t host = b->host_baud, dev;
	int bad;

	/* Nobody on the line: the bytes are dropped anyway, say nothing. */
	if (!b->baud_check || !host || !b->client)
		return 0;
	dev = avr_baud(b);
	bad = emu_baud_mismatch(host, dev);
	if (bad != b->mismatch && (bad || b->verbose))
		fprintf(stderr, bad ? "spiflash-emu: host at %u baud, UART0 at %u: "
			"bytes garbled both ways (--no-baud-check to allow)\n" :
			"spiflash-emu: host at %u baud, UART0 at %u: rates agree\n",
			host, dev);
	b->mismatch = bad;
	return bad;
}

/* A byte sampled at the wrong rate: never the byte that was sent. */
static uint8_t noise(struct emu_bridge *b, uint8_t byte)
{
	return byte ^ (uint8_t)(1u + rng_next(&b->noise) % 255u);
}

/* The traffic-count faults: the main loop acts on the request. */
static void count_traffic(struct emu_bridge *b)
{
	uint64_t n = b->st.to_dev + b->st.from_dev;

	if (b->fault.unplug_after && n == b->fault.unplug_after)
		b->req |= EMU_REQ_UNPLUG;
	if (b->fault.reset_after && n == b->fault.reset_after)
		b->req |= EMU_REQ_RESET;
}

/* ---- the USB-serial chip ---- */

int emu_bridge_set_usb(struct emu_bridge *b, const char *spec, char *err, size_t errlen)
{
	avr_cycle_count_t ms = (avr_cycle_count_t)b->avr->frequency / 1000u;
	char *end;

	memset(&b->usb, 0, sizeof(b->usb));
	b->usb.name = "none";
	if (!strcmp(spec, "none"))
		return 0;
	if (!strcmp(spec, "16u2") || !strcmp(spec, "ch340")) {
		b->usb.name = spec[0] == '1' ? "16u2" : "ch340";
		b->usb.packet = spec[0] == '1' ? 64 : 32;
		b->usb.frame = ms;
		return 0;
	}
	if (!strncmp(spec, "ftdi", 4) && (spec[4] == '\0' || spec[4] == ':')) {
		unsigned long t = 16;

		if (spec[4] == ':') {
			t = strtoul(spec + 5, &end, 10);
			if (*end || t < 1 || t > 255) {
				snprintf(err, errlen, "ftdi latency timer '%s': 1-255 ms", spec + 5);
				return -1;
			}
		}
		b->usb.name = "ftdi";
		b->usb.packet = 62;
		b->usb.hold = ms * t;
		return 0;
	}
	snprintf(err, errlen, "unknown bridge '%s' (none, ftdi[:MS], 16u2, ch340)", spec);
	return -1;
}

/*
 * Queue a byte from the AVR for the host once the USB chip would pass it
 * on: it reaches the chip when its stop bit ends (wire_end); a full packet
 * goes at once, a partial one when the chip's timer or the next frame says.
 */
static void usb_enqueue(struct emu_bridge *b, uint8_t byte)
{
	struct emu_ring *r = &b->from_dev;
	avr_cycle_count_t at = b->wire_end, due = at;
	uint32_t before = r->head, i;

	if (b->usb.packet) {
		if (!b->batch_open || at >= b->batch_due) {
			b->batch_open = 1;
			b->batch_head = r->head;
			b->batch_n = 0;
			b->batch_due = b->usb.hold ? at + b->usb.hold :
				       (at / b->usb.frame + 1) * b->usb.frame;
		}
		due = b->batch_due;
	}
	if (enqueue(b, r, EMU_FROM_DEV, byte, due + b->latency) < 0) {
		b->st.dropped_full++;
		return;
	}
	if (!b->usb.packet)
		return;
	b->batch_n += r->head - before;
	if (b->batch_n < b->usb.packet)
		return;
	/* a full packet: it and everything before it go now (not before a
	 * stall the fault injector started) */
	due = at + b->latency > r->stall_until ? at + b->latency : r->stall_until;
	for (i = b->batch_head; i != r->head; i++)
		if (r->due[i & RING_MASK] > due)
			r->due[i & RING_MASK] = due;
	if (r->last_due > due)
		r->last_due = due;
	b->batch_open = 0;
}

/* ---- simavr side ---- */

/* The byte that waited in UDR has moved into the shift register. */
static avr_cycle_count_t udr_free(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct emu_bridge *b = param;

	(void)when;
	if (avr_regbit_get(avr, b->uart->txen))
		avr_raise_interrupt(avr, &b->uart->udrc);
	return 0;
}

static void uart_out(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_bridge *b = param;
	avr_t *avr = b->avr;
	uint8_t byte = (uint8_t)value;

	(void)irq;
	/*
	 * simavr reports the byte when UDR is written; the host has it only
	 * once its stop bit is out, after any byte still on the line: latency
	 * then counts from there, so a burst keeps its spacing.
	 *
	 * The USART has a transmit buffer (UDR) in front of its shift
	 * register: a byte written while the line is idle moves into the
	 * shift register at once and UDRE is set again, and one written while
	 * a byte shifts waits in UDR, with UDRE clear, until the shift
	 * register takes it.  simavr 1.6 clears UDRE on each write and sets it
	 * again only when everything has gone out (an interrupt-driven sender
	 * hides this behind its pump; a polling one loses the polling delay
	 * on every byte, which the chip does not): set UDRE when the chip would.
	 */
	if (b->wire_end <= avr->cycle) {
		b->wire_end = avr->cycle;
		avr_raise_interrupt(avr, &b->uart->udrc);
	} else {
		/* one cycle late: after simavr's own pump on that cycle */
		avr_cycle_timer_register(avr, b->wire_end - avr->cycle + 1, udr_free, b);
	}
	b->wire_end += b->uart->cycles_per_byte;
	b->st.from_dev++;
	host_baud_refresh(b, 0);
	if (line_garbles(b)) {
		byte = noise(b, byte);
		b->st.garbled_from++;
	}
	usb_enqueue(b, byte);
	count_traffic(b);
}

static void uart_xon(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_bridge *b = param;

	(void)irq;
	if (value)
		b->xoff = 0;
}

static void uart_xoff(avr_irq_t *irq, uint32_t value, void *param)
{
	struct emu_bridge *b = param;

	(void)irq;
	b->xoff = value != 0;
}

/*
 * simavr 1.6 computes the baud rate only when UBRRnL is written.  Firmware
 * that sets U2X afterwards would run at half speed: redo the computation by
 * replaying the UBRRnL write whenever U2X changes.
 */
static void ucsra_written(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
	struct emu_bridge *b = param;
	avr_uart_t *u = b->uart;
	uint8_t u2x = avr_regbit_get(avr, u->u2x);
	avr_io_addr_t ubrrl = AVR_DATA_TO_IO(u->ubrrl.reg);

	(void)addr;
	(void)v;
	if (u2x == b->u2x)
		return;
	b->u2x = u2x;
	if (avr->io[ubrrl].w.c)
		avr->io[ubrrl].w.c(avr, u->ubrrl.reg, avr->data[u->ubrrl.reg],
				   avr->io[ubrrl].w.param);
}

/*
 * simavr 1.6 clears UDRE when TXEN is cleared and never sets it again when
 * TXEN comes back, so a transmitter that was ever disabled (the Arduino
 * core's init() writes UCSR0B = 0) waits for UDRE forever.  On silicon UDRE
 * is set whenever the transmit buffer is empty: restore that on TXEN's rise.
 */
static void ucsrb_written(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
	struct emu_bridge *b = param;
	avr_uart_t *u = b->uart;
	uint8_t txen = avr_regbit_get(avr, u->txen);
	uint8_t udrie = avr_regbit_get(avr, u->udrc.enable);

	(void)addr;
	(void)v;
	if (txen && !b->txen && !u->tx_cnt)
		avr_raise_interrupt(avr, &u->udrc);
	/* The UDRE interrupt is a level: enabled while UDRE is set, it fires
	 * at once.  simavr 1.6 fires it then only if its own transmit pump is
	 * idle, otherwise when the pump has sent everything, a byte or two
	 * late (uart_out sets UDRE as the chip does, with the pump running). */
	if (txen && udrie && !b->udrie && avr_regbit_get(avr, u->udrc.raised))
		avr_raise_interrupt(avr, &u->udrc);
	b->txen = txen;
	b->udrie = udrie;
}

/*
 * Hand due bytes to the UART, one per byte time of its current rate, while
 * its receiver is on and its FIFO has room.  One at a time because simavr
 * lets firmware read a full FIFO at twice the line rate: dumped in bursts,
 * the host's bytes would arrive faster than any wire carries them.
 */
static void feed(struct emu_bridge *b, avr_cycle_count_t when)
{
	avr_t *avr = b->avr;
	struct emu_ring *r = &b->to_dev;

	/* Bytes raised before RXEN are dropped by simavr: hold them instead. */
	if (!avr_regbit_get(avr, b->uart->rxen))
		return;
	while (!b->xoff && ring_ready(r, avr->cycle) && when >= b->rx_free) {
		uint8_t byte = r->byte[r->tail & RING_MASK];

		/* XOFF arrives as the FIFO fills; the check only guards an overrun. */
		if (uart_fifo_isfull(&b->uart->input)) {
			b->xoff = 1;
			break;
		}
		if (line_garbles(b)) {
			byte = noise(b, byte);
			b->st.garbled_to++;
		}
		avr_raise_irq(b->irq + UART_IRQ_INPUT, byte);
		/* From the tick's due time, not the cycle it ran at: no drift. */
		b->rx_free = (b->rx_free > when ? b->rx_free : when) +
			     b->uart->cycles_per_byte;
		r->tail++;
		b->st.to_dev++;
		count_traffic(b);
	}
}

/* ---- pty side ---- */

static void pty_read(struct emu_bridge *b)
{
	uint8_t buf[4096];
	uint32_t space = ring_space(&b->to_dev);
	avr_cycle_count_t due = b->avr->cycle + b->latency;
	ssize_t n;

	/* Leave room for a duplicated byte; beyond that the pty buffers for us. */
	if (space < 2)
		return;
	n = read(b->master, buf, space - 1 < sizeof(buf) ? space - 1 : sizeof(buf));
	if (n < 0) {
		/* EIO: no client has the slave open; keep polling for the next. */
		if (errno == EIO)
			b->client = 0;
		return;
	}
	/* The host set its rate before writing these: look now, not later. */
	if (n > 0)
		host_baud_refresh(b, 1);
	for (ssize_t i = 0; i < n; i++)
		if (enqueue(b, &b->to_dev, EMU_TO_DEV, buf[i], due) < 0)
			break;          /* cannot happen: space was reserved */
}

static void pty_write(struct emu_bridge *b)
{
	struct emu_ring *r = &b->from_dev;
	avr_cycle_count_t now = b->avr->cycle;
	uint8_t buf[4096];
	size_t n = 0;
	ssize_t w;

	while (n < sizeof(buf) && n < ring_used(r)) {
		uint32_t i = (r->tail + (uint32_t)n) & RING_MASK;

		if (r->due[i] > now)
			break;
		buf[n++] = r->byte[i];
	}
	if (!n)
		return;
	if (!b->client || b->master < 0) {
		/* A closed port: nobody would see these, and a later client must not. */
		r->tail += (uint32_t)n;
		b->st.dropped_no_client += n;
		return;
	}
	w = write(b->master, buf, n);
	if (w > 0)
		r->tail += (uint32_t)w;
	else if (w < 0 && errno == EIO)
		b->client = 0;
	/* A short write: the host is not reading; wait for it, not for time. */
	b->out_blocked = w < (ssize_t)n;
}

static void pty_poll(struct emu_bridge *b)
{
	struct pollfd p = { .fd = b->master, .events = POLLIN };
	int was = b->client;

	if (b->master < 0) {
		b->client = 0;
		pty_write(b);            /* drops what is due: unplugged */
		return;
	}
	if (ring_ready(&b->from_dev, b->avr->cycle))
		p.events |= POLLOUT;
	if (poll(&p, 1, 0) < 0)
		return;
	/* POLLHUP on a master: no process has the slave open. */
	b->client = !(p.revents & POLLHUP);
	if (b->verbose && was != b->client)
		fprintf(stderr, "spiflash-emu: client %s\n",
			b->client ? "connected" : "gone");
	host_baud_refresh(b, b->client && !was);
	if (p.revents & POLLIN)
		pty_read(b);
	if (p.events & POLLOUT)
		pty_write(b);
}

/* simavr counts 11 bits a byte (8N1 plus the parity bit it always adds). */
static void rate_changed(struct emu_bridge *b, avr_cycle_count_t cpb)
{
	uint32_t baud = avr_baud(b);
	uint32_t hint = b->baud_hint;

	b->cycles_per_byte = cpb;
	if (b->verbose)
		fprintf(stderr, "spiflash-emu: UART0 at %u baud (%llu cycles a byte)\n",
			baud, (unsigned long long)cpb);
	if (hint && (baud > hint + hint / 32 || baud < hint - hint / 32))
		fprintf(stderr, "spiflash-emu: warning: firmware set UART0 to %u baud, "
			"not the %u of --baud\n", baud, hint);
}

/*
 * Next tick: every byte time while bytes move; when only bytes in flight
 * (latency, stalls) remain, at the first one's due time; with both rings
 * empty, once a millisecond, for the pty.  An idle AVR then sleeps in long
 * stretches, which is what lets the pacer block instead of spinning.
 */
static avr_cycle_count_t next_tick(const struct emu_bridge *b, avr_cycle_count_t when)
{
	avr_cycle_count_t period = b->uart->cycles_per_byte, due = ~(avr_cycle_count_t)0;
	const struct emu_ring *r[2] = { &b->to_dev, &b->from_dev };

	if (period < TICK_MIN)
		period = TICK_MIN;
	if (period > TICK_MAX)
		period = TICK_MAX;
	for (int i = 0; i < 2; i++)
		if (ring_used(r[i]) && r[i]->due[r[i]->tail & RING_MASK] < due)
			due = r[i]->due[r[i]->tail & RING_MASK];
	if (due > when + period)
		period = due - when < TICK_MAX ? due - when : TICK_MAX;
	return when + period;
}

static avr_cycle_count_t tick(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct emu_bridge *b = param;
	avr_cycle_count_t period = b->uart->cycles_per_byte;
	uint64_t now = wall_ns();

	/* Only once the receiver is on: before, the rate is simavr's 100 us default. */
	if (period != b->cycles_per_byte && period && avr_regbit_get(avr, b->uart->rxen))
		rate_changed(b, period);

	if (now - b->last_poll_ns >= EMU_BRIDGE_POLL_NS) {
		b->last_poll_ns = now;
		pty_poll(b);
	}
	feed(b, when);
	return next_tick(b, when);
}

int emu_bridge_quiet(struct emu_bridge *b)
{
	avr_t *avr = b->avr;
	avr_uart_t *u = b->uart;

	/* Output due now goes out now: a reply must not wait for the poll interval. */
	if (ring_ready(&b->from_dev, avr->cycle) && !b->out_blocked)
		pty_write(b);
	/* Transmitting (a byte in the shift register, or UDRE interrupts on). */
	if (u->tx_cnt || avr_regbit_get(avr, u->udrc.enable))
		return 0;
	if (ring_ready(&b->to_dev, avr->cycle) && avr_regbit_get(avr, u->rxen))
		return 0;
	return !(ring_ready(&b->from_dev, avr->cycle) && b->client && !b->out_blocked);
}

int emu_bridge_wait(struct emu_bridge *b, uint64_t ns)
{
	struct pollfd p = { .fd = b->master, .events = POLLIN };
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };

	if (b->out_blocked)
		p.events |= POLLOUT;
	/*
	 * Without a client the master reports POLLHUP at once: plain sleep
	 * then (a new client is seen at the next tick, within 1 ms).
	 */
	if (b->master < 0 || !b->client)
		return nanosleep(&ts, NULL) != 0;
	return ppoll(&p, 1, &ts, NULL) != 0;
}

void emu_bridge_kick(struct emu_bridge *b)
{
	b->last_poll_ns = wall_ns();
	pty_poll(b);
	/* Replaces the pending tick: new input is fed on the next cycle. */
	avr_cycle_timer_register(b->avr, 1, tick, b);
}

void emu_bridge_start(struct emu_bridge *b)
{
	avr_cycle_timer_cancel(b->avr, tick, b);
	avr_cycle_timer_register(b->avr, TICK_MIN, tick, b);
	b->xoff = 0;             /* the UART's FIFO was emptied by the reset */
	b->rx_free = 0;
	b->u2x = 0;
	b->txen = 1;             /* simavr's reset turns TXEN on */
}

static int open_pty(struct emu_bridge *b, char *err, size_t errlen)
{
	struct termios tio;
	int slave = -1;

	if (openpty(&b->master, &slave, b->path, NULL, NULL) < 0) {
		b->master = -1;
		snprintf(err, errlen, "cannot open a pty: %s", strerror(errno));
		return -1;
	}
	/* Raw on the slave: the settings outlive our close of it. */
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	/* Closed, so that POLLHUP tells us when no client is connected. */
	close(slave);
	fcntl(b->master, F_SETFL, fcntl(b->master, F_GETFL) | O_NONBLOCK);
	fcntl(b->master, F_SETFD, FD_CLOEXEC);
	b->client = 0;
	b->out_blocked = 0;
	host_baud_refresh(b, 1);
	return 0;
}

void emu_bridge_unplug(struct emu_bridge *b)
{
	if (b->master < 0)
		return;
	close(b->master);
	b->master = -1;
	b->client = 0;
	b->out_blocked = 0;
	b->host_baud = 0;
	b->mismatch = 0;
	/* What was inside the adapter dies with it. */
	b->st.dropped_no_client += ring_used(&b->from_dev);
	b->to_dev.tail = b->to_dev.head;
	b->from_dev.tail = b->from_dev.head;
	b->st.unplugs++;
}

int emu_bridge_replug(struct emu_bridge *b, char *err, size_t errlen)
{
	if (b->master >= 0)
		return 0;
	return open_pty(b, err, errlen);
}

int emu_bridge_init(struct emu_bridge *b, avr_t *avr, uint32_t latency_ms,
		    uint32_t baud_hint, int baud_check, const struct emu_fault *fault,
		    int verbose, char *err, size_t errlen)
{
	uint32_t flags = 0;
	avr_io_t *io;

	memset(b, 0, sizeof(*b));
	b->master = -1;
	b->avr = avr;
	b->verbose = verbose;
	b->baud_hint = baud_hint;
	b->baud_check = baud_check;
	b->latency = (avr_cycle_count_t)avr->frequency / 1000u * latency_ms;
	if (fault)
		b->fault = *fault;
	b->rng = b->fault.seed ? b->fault.seed : 1;
	/* Its own stream: garbling must not shift the seeded faults. */
	b->noise = b->rng ^ 0x9E3779B97F4A7C15ull;

	for (io = avr->io_port; io; io = io->next)
		if (io->irq_ioctl_get == AVR_IOCTL_UART_GETIRQ('0'))
			break;
	if (!io) {
		snprintf(err, errlen, "the simulated mcu has no UART0");
		return -1;
	}
	b->uart = (avr_uart_t *)io;        /* avr_io_t is the first member */
	b->irq = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);

	/* No stdio echo of the traffic, no usleep() on every UCSR0A poll. */
	avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);

	if (open_pty(b, err, errlen) < 0)
		return -1;

	avr_irq_register_notify(b->irq + UART_IRQ_OUTPUT, uart_out, b);
	avr_irq_register_notify(b->irq + UART_IRQ_OUT_XON, uart_xon, b);
	avr_irq_register_notify(b->irq + UART_IRQ_OUT_XOFF, uart_xoff, b);
	avr_register_io_write(avr, b->uart->r_ucsra, ucsra_written, b);
	avr_register_io_write(avr, b->uart->txen.reg, ucsrb_written, b);
	emu_bridge_start(b);
	return 0;
}

void emu_bridge_free(struct emu_bridge *b)
{
	if (b->master >= 0)
		close(b->master);
	b->master = -1;
}
