/*
 * emu_bridge: UART0 <-> pty, lossless, with optional latency and faults.
 * This file is the AVR's side: simavr's UART0 hooks, the byte timer that
 * moves bytes between them and the rings, and setting it all up.
 */
#include "emu_bridge.h"
#include "emu_bridge_int.h"
#include "emu_clock.h"

#include <stdio.h>
#include <string.h>

#include "sim_io.h"
#include "sim_time.h"
#include "sim_cycle_timers.h"

/* avr_uart.h declares the FIFO type only; the accessors are static inlines. */
DEFINE_FIFO(uint16_t, uart_fifo);

/* Bounds of the tick period, in cycles: at most 1 ms between pty polls. */
#define TICK_MIN 64
#define TICK_MAX 16000

/* ---- simavr side ---- */

/*
 * --trace-frames: a frame runs from its A5 to the 00 that ends it (COBS
 * keeps 00 out of its body).  Times are the AVR's: the host-to-AVR byte as
 * the UART receives it, the AVR-to-host byte as the firmware writes UDR.
 * Bytes between frames (serprog) are not traced.
 */
static void trace_byte(struct emu_bridge *b, int dir, uint8_t byte)
{
	struct emu_frame_trace *t = &b->trace[dir];
	double us = 1e6 / (double)b->avr->frequency;

	if (!b->trace_frames)
		return;
	if (!t->in) {
		if (byte != 0xA5)
			return;
		t->in = 1;
		t->n = 0;
		t->start = b->avr->cycle;
	}
	t->n++;
	if (byte == 0x00) {
		fprintf(stderr, "spiflash-emu: frame %s %.1f-%.1f us, %u bytes\n",
			dir ? "from_dev" : "to_dev", (double)t->start * us,
			(double)b->avr->cycle * us, t->n);
		t->in = 0;
	}
}

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
	emu_baud_host_refresh(b, 0);
	if (emu_baud_garbles(b)) {
		byte = emu_baud_noise(b, byte);
		b->st.garbled_from++;
	}
	trace_byte(b, 1, byte);
	emu_usb_enqueue(b, byte);
	emu_fault_count(b);
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
	while (!b->xoff && emu_ring_ready(r, avr->cycle) && when >= b->rx_free) {
		uint8_t byte = r->byte[r->tail & EMU_RING_MASK];

		/* XOFF arrives as the FIFO fills; the check only guards an overrun. */
		if (uart_fifo_isfull(&b->uart->input)) {
			b->xoff = 1;
			break;
		}
		if (emu_baud_garbles(b)) {
			byte = emu_baud_noise(b, byte);
			b->st.garbled_to++;
		}
		avr_raise_irq(b->irq + UART_IRQ_INPUT, byte);
		trace_byte(b, 0, byte);
		/* From the tick's due time, not the cycle it ran at: no drift. */
		b->rx_free = (b->rx_free > when ? b->rx_free : when) +
			     b->uart->cycles_per_byte;
		r->tail++;
		b->st.to_dev++;
		emu_fault_count(b);
	}
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
		if (emu_ring_used(r[i]) && r[i]->due[r[i]->tail & EMU_RING_MASK] < due)
			due = r[i]->due[r[i]->tail & EMU_RING_MASK];
	if (due > when + period)
		period = due - when < TICK_MAX ? due - when : TICK_MAX;
	return when + period;
}

static avr_cycle_count_t tick(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct emu_bridge *b = param;
	avr_cycle_count_t period = b->uart->cycles_per_byte;
	uint64_t now = emu_wall_ns();

	/* Only once the receiver is on: before, the rate is simavr's 100 us default. */
	if (period != b->cycles_per_byte && period && avr_regbit_get(avr, b->uart->rxen))
		emu_baud_avr_changed(b, period);

	if (now - b->last_poll_ns >= EMU_BRIDGE_POLL_NS) {
		b->last_poll_ns = now;
		emu_pty_poll(b);
	}
	feed(b, when);
	return next_tick(b, when);
}

int emu_bridge_quiet(struct emu_bridge *b)
{
	avr_t *avr = b->avr;
	avr_uart_t *u = b->uart;

	/* Output due now goes out now: a reply must not wait for the poll interval. */
	if (emu_ring_ready(&b->from_dev, avr->cycle) && !b->out_blocked)
		emu_pty_write(b);
	/* Transmitting (a byte in the shift register, or UDRE interrupts on). */
	if (u->tx_cnt || avr_regbit_get(avr, u->udrc.enable))
		return 0;
	if (emu_ring_ready(&b->to_dev, avr->cycle) && avr_regbit_get(avr, u->rxen))
		return 0;
	return !(emu_ring_ready(&b->from_dev, avr->cycle) && b->client && !b->out_blocked);
}

void emu_bridge_kick(struct emu_bridge *b)
{
	b->last_poll_ns = emu_wall_ns();
	emu_pty_poll(b);
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

	if (emu_pty_open(b, err, errlen) < 0)
		return -1;

	avr_irq_register_notify(b->irq + UART_IRQ_OUTPUT, uart_out, b);
	avr_irq_register_notify(b->irq + UART_IRQ_OUT_XON, uart_xon, b);
	avr_irq_register_notify(b->irq + UART_IRQ_OUT_XOFF, uart_xoff, b);
	avr_register_io_write(avr, b->uart->r_ucsra, ucsra_written, b);
	avr_register_io_write(avr, b->uart->txen.reg, ucsrb_written, b);
	emu_bridge_start(b);
	return 0;
}
