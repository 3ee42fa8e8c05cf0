/*
 * hal_arduino: the board layer of the sketch, the only file that touches
 * SPI.h, pins and registers.
 *
 * On the ATmega328P and ATmega2560 the sketch owns USART0 instead of using
 * HardwareSerial: Serial.write costs ~160 cycles a byte, too slow for the
 * higher line rates, and its 64-byte receive ring drops bytes silently.  The
 * receive interrupt here only stores the byte and moves one index.  The
 * ATmega32U4 (Leonardo, Pro Micro) talks USB CDC, where Serial is the way in
 * and USB's own flow control keeps the host from overrunning it.
 */
#include <avr/wdt.h>
#include <Arduino.h>
#include <SPI.h>
#include <avr/interrupt.h>
#include <avr/sleep.h>

#include "fw_hal.h"
#include "proto.h"
#include "spinor.h"

#include "hal_arduino.h"

static SPISettings spi_settings(8000000UL, MSBFIRST, SPI_MODE0);

#if HAL_OWN_USART
/* Double speed mode: UBRR = F_CPU / (8 * baud) - 1, rounded. */
#define HAL_UBRR(b) ((F_CPU + 4UL * (b)) / (8UL * (b)) - 1UL)
#define HAL_BAUD_REAL(b) (F_CPU / (8UL * (HAL_UBRR(b) + 1UL)))
#define HAL_BAUD_ERR_PERMILLE(b) \
	((HAL_BAUD_REAL(b) > (b) ? HAL_BAUD_REAL(b) - (b) : (b) - HAL_BAUD_REAL(b)) * 1000UL / (b))
#if HAL_BAUD_ERR_PERMILLE(SPIFLASH_BAUD) > 25
#error "SPIFLASH_BAUD is more than 2.5 % off with this F_CPU"
#endif

/*
 * The receive ring: the top 256 bytes of RAM, with the stack moved down
 * below it (hal_stack_below_ring).  At a 256-byte boundary an index is the
 * low byte of an address, and with the indices in GPIOR0 and GPIOR1 (one
 * cycle to read or write) the interrupt below changes no flag and saves
 * no SREG.  256 entries: at 2 Mbaud a 268-byte request arrives faster than
 * the main loop decodes it.  Its size and place: hal_arduino.h.
 */
#define rx_ring ((volatile uint8_t *)RX_RING_ADDR)
#define rx_head GPIOR0             /* written by the receive interrupt only */
#define rx_tail GPIOR1             /* written by the main loop only */
volatile uint8_t hal_rx_drops;     /* bytes lost to a full ring, saturating */
static const uint8_t *volatile tx_ptr;
static volatile uint16_t tx_left;
static volatile uint8_t tx_pad;    /* filler bytes after tx_left's */

/* The bytes the ring takes from the stack's end of RAM, outside data and
 * bss: tests/e2e/test_fw_budget.sh counts them as used. */
__asm__(".global hal_ram_top_reserved\n\t.set hal_ram_top_reserved, 256");

/* Before the C runtime sets up anything that uses the stack. */
extern "C" void hal_stack_below_ring(void) __attribute__((naked, used, section(".init3")));
void hal_stack_below_ring(void)
{
	SP = RX_RING_ADDR - 1;
}

/*
 * The receive interrupt, by hand: at 2 Mbaud a byte comes every 80 cycles
 * (88 in simavr, which counts 11 bits), and the compiler's version took
 * about 65 of them.  This one takes 35 with its entry and reti.  The byte
 * is stored before the full check: with the ring full, the slot at the
 * head is the one kept empty, which the main loop never reads, and the
 * head does not move.  "st Z+" moves the index without touching a flag;
 * only a full ring, counting its drop (saturating at 0xFF), saves SREG.
 */
ISR(HAL_RX_VECT, ISR_NAKED)
{
	asm volatile(
		"push r30\n\t"
		"push r31\n\t"
		"push r24\n\t"
		"in   r30, %[head]\n\t"
		"ldi  r31, %[ring_hi]\n\t"
		"lds  r24, %[udr]\n\t"
		"st   Z+, r24\n\t"         /* r30: the head after it */
		"in   r24, %[tail]\n\t"
		"cpse r30, r24\n\t"        /* full: the head stays */
		"out  %[head], r30\n\t"
		"in   r31, %[head]\n\t"
		"cpse r31, r30\n\t"        /* it moved: done */
		"rjmp 1f\n\t"
		"pop  r24\n\t"
		"pop  r31\n\t"
		"pop  r30\n\t"
		"reti\n"
		"1:\n\t"
		"in   r24, __SREG__\n\t"
		"push r24\n\t"
		"lds  r24, %[drops]\n\t"
		"subi r24, 0xFF\n\t"
		"breq 2f\n\t"
		"sts  %[drops], r24\n"
		"2:\n\t"
		"pop  r24\n\t"
		"out  __SREG__, r24\n\t"
		"pop  r24\n\t"
		"pop  r31\n\t"
		"pop  r30\n\t"
		"reti\n\t"
		:
		: [head] "I" (_SFR_IO_ADDR(GPIOR0)), [tail] "I" (_SFR_IO_ADDR(GPIOR1)),
		  [ring_hi] "M" (RX_RING_ADDR >> 8), [drops] "i" (&hal_rx_drops),
		  [udr] "n" (_SFR_MEM_ADDR(UDR0)));
}

uint8_t hal_uart_rx_drops(void)
{
	return hal_rx_drops;
}

/*
 * The receive interrupt's work by hand, for loops that keep the interrupt
 * off: at 2 Mbaud it takes 35 of each byte's 80 cycles, and a page shifted
 * out to the chip between interrupts took 0.74 ms instead of 0.3.  A loop
 * that polls must come back within two byte times (the USART holds two
 * bytes and shifts in a third), as the SPI loops below do at any clock.
 */
static inline __attribute__((always_inline)) void rx_poll(void)
{
	if (UCSR0A & _BV(RXC0)) {
		uint8_t h = rx_head;

		rx_ring[h] = UDR0;
		h = (uint8_t)(h + 1);
		if (h != rx_tail)
			rx_head = h;
		else if (hal_rx_drops != 0xFF)
			hal_rx_drops = (uint8_t)(hal_rx_drops + 1);
	}
}

/*
 * UCSR0B also holds UDRIE0, which the transmit interrupt clears: change it
 * with interrupts off, or a stale copy would turn that back on.  Turned
 * on, a byte already waiting is taken here: the chip would interrupt for
 * it at once, but simavr raises the interrupt only when a byte arrives.
 */
static inline void rx_irq(uint8_t on)
{
	uint8_t sreg = SREG;

	cli();
	if (on) {
		UCSR0B |= _BV(RXCIE0);
		rx_poll();
	} else {
		UCSR0B &= (uint8_t)~_BV(RXCIE0);
	}
	SREG = sreg;
}

/*
 * The transmit interrupt: tx_left bytes from tx_ptr, then tx_pad filler
 * bytes (FF), then it turns itself off.  By hand: 56 cycles a byte, 47 a
 * filler byte, where the compiler's took 63 for bytes alone; at 2 Mbaud
 * behind an FTDI bridge 70 bytes follow every page.  The sbiw's borrow says
 * no bytes were left, its zero that this is the last; sts keeps the flags.
 */
ISR(HAL_UDRE_VECT, ISR_NAKED)
{
	asm volatile(
		"push r24\n\t"
		"in   r24, __SREG__\n\t"
		"push r24\n\t"
		"push r30\n\t"
		"push r31\n\t"
		"lds  r30, %[left]\n\t"
		"lds  r31, %[left]+1\n\t"
		"sbiw r30, 1\n\t"
		"brcs 3f\n\t"
		"sts  %[left], r30\n\t"
		"sts  %[left]+1, r31\n\t"
		"brne 1f\n\t"
		"lds  r24, %[pad]\n\t"
		"tst  r24\n\t"
		"brne 1f\n\t"
		"lds  r24, %[ucsrb]\n\t"
		"andi r24, %[noudrie]\n\t"
		"sts  %[ucsrb], r24\n"
		"1:\n\t"
		"lds  r30, %[ptr]\n\t"
		"lds  r31, %[ptr]+1\n\t"
		"ld   r24, Z+\n\t"
		"sts  %[udr], r24\n\t"
		"sts  %[ptr], r30\n\t"
		"sts  %[ptr]+1, r31\n\t"
		"rjmp 9f\n"
		"3:\n\t"
		"ldi  r24, 0xFF\n\t"
		"sts  %[udr], r24\n\t"
		"lds  r24, %[pad]\n\t"
		"dec  r24\n\t"
		"sts  %[pad], r24\n\t"
		"brne 9f\n\t"
		"lds  r24, %[ucsrb]\n\t"
		"andi r24, %[noudrie]\n\t"
		"sts  %[ucsrb], r24\n"
		"9:\n\t"
		"pop  r31\n\t"
		"pop  r30\n\t"
		"pop  r24\n\t"
		"out  __SREG__, r24\n\t"
		"pop  r24\n\t"
		"reti\n\t"
		:
		: [left] "i" (&tx_left), [ptr] "i" (&tx_ptr), [pad] "i" (&tx_pad),
		  [udr] "n" (_SFR_MEM_ADDR(UDR0)), [ucsrb] "n" (_SFR_MEM_ADDR(UCSR0B)),
		  [noudrie] "n" (0xFF & ~_BV(UDRIE0)));
}

static void uart_rate(uint32_t baud)
{
	uint16_t ubrr = (uint16_t)((F_CPU + 4UL * baud) / (8UL * baud) - 1UL);

	UCSR0A = _BV(U2X0);
	/* UBRRnL last: it is the write that sets the rate */
	UBRR0H = (uint8_t)(ubrr >> 8);
	UBRR0L = (uint8_t)ubrr;
}

static void uart_init(void)
{
	uart_rate(SPIFLASH_BAUD);
	UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);            /* 8N1 */
	UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

int16_t hal_uart_getc(void)
{
	uint8_t b;

	if (rx_tail == rx_head)
		return -1;
	b = rx_ring[rx_tail];
	rx_tail = (uint8_t)(rx_tail + 1);
	return b;
}

uint8_t hal_uart_rx_pending(void)
{
	return rx_tail != rx_head;
}

uint16_t hal_uart_rx_backlog(void)
{
	return (uint8_t)(rx_head - rx_tail);
}

const uint8_t *hal_uart_peek(uint16_t *n)
{
	uint8_t head = rx_head;

	/* bytes up to the head, or up to the end of the ring if it wrapped;
	 * the ISR writes only past the head, so these are stable */
	*n = head >= rx_tail ? (uint16_t)(head - rx_tail) : (uint16_t)(RX_RING - rx_tail);
	return (const uint8_t *)&rx_ring[rx_tail];
}

void hal_uart_consume(uint16_t n)
{
	rx_tail = (uint8_t)(rx_tail + n);
}

uint16_t hal_uart_rx_capacity(void)
{
	return RX_RING - 1;
}

void hal_uart_tx_wait(void)
{
	/* Bounded: the interrupt sends a byte every 10 bit times.  It clears
	 * UDRIE0 after the last byte: one register read.  tx_left is 16 bits
	 * and may be read torn (0x0100 seen as 0 while the interrupt moves it
	 * to 0x00FF), which let a buffer of over 256 bytes be reused while
	 * its last 256 were still going out. */
	while (UCSR0B & _BV(UDRIE0))
		;
}

uint8_t hal_uart_tx_busy(void)
{
	return (UCSR0B & _BV(UDRIE0)) != 0;
}

/*
 * The interrupt goes on from the send under way to the filler: behind an
 * FTDI bridge every answer is followed by 62 of them, and waiting for the
 * answer to leave first (hal_uart_send waits) held the main loop 44 us a
 * page at 2 Mbaud.  With the interrupt on, the send under way has bytes or
 * filler left (the interrupt turns itself off after the last), so the
 * filler is taken up.
 */
void hal_uart_send_pad(uint8_t n)
{
	uint8_t sreg = SREG;

	if (!n)
		return;
	cli();
	tx_pad = n;
	if (!(UCSR0B & _BV(UDRIE0))) {
		tx_left = 0;
		UCSR0A |= _BV(TXC0);
		UCSR0B |= _BV(UDRIE0);
	}
	SREG = sreg;
}

void hal_uart_send(const uint8_t *buf, uint16_t len)
{
	hal_uart_tx_wait();
	if (!len)
		return;
	tx_ptr = buf;
	tx_left = len;
	UCSR0A |= _BV(TXC0);            /* writing 1 clears "transmit complete" */
	UCSR0B |= _BV(UDRIE0);
}

void hal_tx_poll(struct hal_tx *tx)
{
	if (tx->n && (UCSR0A & _BV(UDRE0))) {
		UDR0 = *tx->p++;
		tx->n--;
	}
}

void hal_uart_take(struct hal_tx *tx)
{
	uint8_t sreg = SREG;

	cli();
	tx->p = tx_ptr;
	tx->n = 0;
	if (UCSR0B & _BV(UDRIE0)) {
		UCSR0B &= (uint8_t)~_BV(UDRIE0);
		tx->n = tx_left;
	}
	tx_pad = 0;         /* filler has no place in tx: dropped */
	SREG = sreg;
}

uint32_t hal_uart_set_baud(uint32_t baud)
{
	uint32_t real, err, start;

	if (baud < 9600 || baud > F_CPU / 8)
		return 0;
	real = F_CPU / (8UL * ((F_CPU + 4UL * baud) / (8UL * baud)));
	err = (real > baud ? real - baud : baud - real) * 1000UL / baud;
	if (err > 25)
		return 0;
	hal_uart_tx_wait();
	/* the last byte is still in the shift register until TXC: at most one
	 * byte time, bounded here by 5 ms whatever the rate */
	start = millis();
	while (!(UCSR0A & _BV(TXC0)) && (uint32_t)(millis() - start) < 5)
		;
	uart_rate(baud);
	return real;
}

uint32_t hal_uart_boot_baud(void)
{
	return SPIFLASH_BAUD;
}

void hal_idle(void)
{
	/* Race-free: an RX interrupt between the check and the sleep would
	 * otherwise leave a byte waiting until the next timer tick. */
	set_sleep_mode(SLEEP_MODE_IDLE);
	cli();
	if (rx_tail == rx_head) {
		sleep_enable();
		sei();
		sleep_cpu();
		sleep_disable();
	}
	sei();
}
#else /* USB CDC: the host's rate setting does not reach the line */
static void uart_init(void)
{
	Serial.begin(SPIFLASH_BAUD);
}

int16_t hal_uart_getc(void)
{
	return (int16_t)Serial.read();
}

uint8_t hal_uart_rx_pending(void)
{
	return Serial.available() > 0;
}

uint16_t hal_uart_rx_backlog(void)
{
	return (uint16_t)Serial.available();
}

static uint8_t cdc_byte;

const uint8_t *hal_uart_peek(uint16_t *n)
{
	int c = Serial.peek();

	*n = c < 0 ? 0 : 1;
	cdc_byte = (uint8_t)c;
	return &cdc_byte;
}

void hal_uart_consume(uint16_t n)
{
	while (n--)
		Serial.read();
}

uint16_t hal_uart_rx_capacity(void)
{
	return 63;
}

uint8_t hal_uart_rx_drops(void)
{
	return 0;
}

/* USB CDC: the USB interrupt and its flow control do the receiving. */
static inline __attribute__((always_inline)) void rx_poll(void)
{
}

static inline void rx_irq(uint8_t on)
{
	(void)on;
}

void hal_uart_send(const uint8_t *buf, uint16_t len)
{
	Serial.write(buf, len);
}

void hal_uart_send_pad(uint8_t n)
{
	while (n--)
		Serial.write((uint8_t)0xFF);
}

void hal_uart_tx_wait(void)
{
	Serial.flush();
}

uint8_t hal_uart_tx_busy(void)
{
	return 0;             /* Serial.write returns once its bytes are queued */
}

uint32_t hal_uart_set_baud(uint32_t baud)
{
	return baud;
}

void hal_tx_poll(struct hal_tx *tx)
{
	if (tx->n) {
		Serial.write(tx->p, tx->n);
		tx->p += tx->n;
		tx->n = 0;
	}
}

void hal_uart_take(struct hal_tx *tx)
{
	tx->p = 0;
	tx->n = 0;          /* Serial.write has taken everything already */
}

uint32_t hal_uart_boot_baud(void)
{
	return SPIFLASH_BAUD;
}

void hal_idle(void)
{
}
#endif

/*
 * /CS by its port register, looked up once: digitalWrite() takes ~4 us (its
 * pin tables, a PWM check, interrupts off), and a page costs five selects
 * and five deselects, 40 us of the ~1.5 ms a page has at 2 Mbaud.  No
 * interrupt writes this port, so the read-modify-write is safe.
 */
static volatile uint8_t *cs_port;
static uint8_t cs_mask;

void hal_init(void)
{
	/* A watchdog reset leaves WDRF set and the watchdog running at its
	 * shortest period: clear both before anything slow (old bootloaders
	 * do not). */
	MCUSR &= (uint8_t)~(1u << WDRF);
	wdt_disable();
	pinMode(SPIFLASH_CS_PIN, OUTPUT);
	digitalWrite(SPIFLASH_CS_PIN, HIGH);
	cs_port = portOutputRegister(digitalPinToPort(SPIFLASH_CS_PIN));
	cs_mask = digitalPinToBitMask(SPIFLASH_CS_PIN);
	SPI.begin();
	/* The sketch is the only SPI user: one transaction for its lifetime. */
	SPI.beginTransaction(spi_settings);
	uart_init();
#if SPIFLASH_WATCHDOG
	wdt_enable(WDTO_2S);
#endif
}

void hal_watchdog_kick(void)
{
#if SPIFLASH_WATCHDOG
	wdt_reset();
#endif
}

void hal_spi_select(void)
{
	*cs_port &= (uint8_t)~cs_mask;
}

void hal_spi_deselect(void)
{
	*cs_port |= cs_mask;
}

uint8_t hal_spi_xfer(uint8_t out)
{
	return SPI.transfer(out);
}

/*
 * Block transfers keep the SPI shift register busy: the next byte is started
 * as soon as the previous one is read, and the store happens while it shifts.
 */
uint8_t hal_spi_read(uint8_t *buf, uint16_t n)
{
	uint8_t all = 0xFF, b;

	if (!n)
		return all;
	SPDR = 0xFF;
	while (--n) {
		while (!(SPSR & _BV(SPIF)))
			;
		b = SPDR;
		SPDR = 0xFF;
		*buf++ = b;
		all &= b;
	}
	while (!(SPSR & _BV(SPIF)))
		;
	b = SPDR;
	*buf = b;
	return all & b;
}

#if !HAL_SPI_WRITE_ASM
/* The portable page loop (the sketch's SPIFLASH_STREAM_C build and USB
 * boards; by hand in hal_arduino_loops.cpp): n bytes from buf, the byte
 * before them already in SPDR.  tests/e2e/test_stream_asm.sh writes
 * through both. */
void hal_spi_write_run(const uint8_t *buf, uint16_t n)
{
	while (n--) {
		uint8_t next = *buf++;

		rx_poll();
		while (!(SPSR & _BV(SPIF)))
			;
		SPDR = next;
	}
}
#endif

void hal_spi_write(const uint8_t *buf, uint16_t n)
{
	if (!n)
		return;
	/* the line's bytes are taken here while the page shifts out */
	rx_irq(0);
	SPDR = *buf++;
	if (!(SPCR & (_BV(SPR1) | _BV(SPR0)))) {
		/* F_CPU/2 or /4: a byte is at most 32 cycles on the bus, so one
		 * look at the line a byte is enough (hal_spi_write_run: 19
		 * cycles a byte at 8 MHz, 23 for the compiler's loop) */
		if (--n)
			hal_spi_write_run(buf, n);
	} else {
		while (--n) {
			uint8_t next = *buf++;

			rx_poll();
			while (!(SPSR & _BV(SPIF)))
				rx_poll();
			SPDR = next;
		}
	}
	while (!(SPSR & _BV(SPIF)))
		rx_poll();
	(void)SPDR;
	rx_irq(1);
}

/* SCK is F_CPU over 4, 16, 64 or 128 (SPR1:0), halved by SPI2X: 64 bytes
 * at F_CPU/2 (76 us with spi_write_run), the same time's worth below. */
uint8_t hal_spi_piece(void)
{
	static const uint8_t piece[4] = { 32, 8, 2, 1 };
	uint8_t p = piece[SPCR & (_BV(SPR1) | _BV(SPR0))];

	return (SPSR & _BV(SPI2X)) ? (uint8_t)(p * 2) : p;
}

uint32_t hal_spi_set_clock(uint32_t hz)
{
	/* The AVR SPI clock is F_CPU divided by 2, 4, ... 128: take the
	 * fastest that is not above the wish, as SPISettings does. */
	uint32_t div = 2;

	while (div < 128 && F_CPU / div > hz)
		div <<= 1;
	SPI.endTransaction();
	spi_settings = SPISettings(F_CPU / div, MSBFIRST, SPI_MODE0);
	SPI.beginTransaction(spi_settings);
	return F_CPU / div;
}

/* MISO is an input in SPI master mode, and its PORT bit still switches the
 * pull-up on (328P: PB4, D12). */
#if defined(__AVR_ATmega328P__)
#define HAL_MISO_PULLUP(on) (on ? (PORTB |= _BV(4)) : (PORTB &= (uint8_t)~_BV(4)))
#define HAL_MISO_LEVEL() ((PINB >> 4) & 1)
#define HAL_A0_PULLUP(on) (on ? (PORTC |= _BV(0)) : (PORTC &= (uint8_t)~_BV(0)))
#else
#define HAL_MISO_PULLUP(on) digitalWrite(MISO, on ? HIGH : LOW)
#define HAL_MISO_LEVEL() (digitalRead(MISO) == HIGH)
#define HAL_A0_PULLUP(on) digitalWrite(A0, on ? HIGH : LOW)
#endif

void hal_spi_miso_pullup(uint8_t on)
{
	HAL_MISO_PULLUP(on);
}

uint8_t hal_miso_level(void)
{
	return HAL_MISO_LEVEL();
}

/* The SPI pins, all on port B: SCK, MOSI, MISO. */
#if defined(__AVR_ATmega328P__)
#define HAL_B_SCK  _BV(5)
#define HAL_B_MOSI _BV(3)
#define HAL_B_MISO _BV(4)
#else
#define HAL_B_SCK  _BV(1)
#define HAL_B_MOSI _BV(2)
#define HAL_B_MISO _BV(3)
#endif

static uint8_t swapped_byte(uint8_t out)
{
	uint8_t in = 0, i;

	for (i = 0; i < 8; i++, out <<= 1) {
		if (out & 0x80)
			PORTB |= HAL_B_MISO;
		else
			PORTB &= (uint8_t)~HAL_B_MISO;
		PORTB |= HAL_B_SCK;
		in = (uint8_t)((in << 1) | ((PINB & HAL_B_MOSI) ? 1 : 0));
		PORTB &= (uint8_t)~HAL_B_SCK;
	}
	return in;
}

/* SPI off, MISO an output, MOSI an input with its pull-up, mode 0 by hand;
 * then back as hal_init left it. */
void hal_spi_swapped_jedec(uint8_t *id, uint8_t n)
{
	uint8_t spcr = SPCR;

	SPCR = (uint8_t)(spcr & ~_BV(SPE));
	DDRB = (uint8_t)((DDRB | HAL_B_MISO) & ~HAL_B_MOSI);
	PORTB = (uint8_t)((PORTB | HAL_B_MOSI) & ~HAL_B_SCK);
	hal_spi_select();
	swapped_byte(SPINOR_OP_JEDEC);
	while (n--)
		*id++ = swapped_byte(0xFF);
	hal_spi_deselect();
	PORTB &= (uint8_t)~(HAL_B_MISO | HAL_B_MOSI);
	DDRB = (uint8_t)((DDRB | HAL_B_MOSI) & ~HAL_B_MISO);
	SPCR = spcr;
}

#if defined(__AVR_ATmega32U4__)
#define HAL_MUX_A0 7                 /* A0 is ADC7 on the 32U4 */
#else
#define HAL_MUX_A0 0
#endif
#if defined(__AVR_ATmega328P__)
#define HAL_MUX_BANDGAP 0x0E
#else
#define HAL_MUX_BANDGAP 0x1E
#endif

uint16_t hal_adc_read(uint8_t ch)
{
	uint8_t i;

	if (ch & HAL_ADC_PULLUP)
		HAL_A0_PULLUP(1);
	ADMUX = _BV(REFS0) | ((ch & 0x7F) == HAL_ADC_BANDGAP ? HAL_MUX_BANDGAP : HAL_MUX_A0);
	/* the first conversion after a mux change is off, and the bandgap
	 * settles for ~70 us: the third of three is kept */
	for (i = 0; i < 3; i++) {
		ADCSRA |= _BV(ADSC);
		while (ADCSRA & _BV(ADSC))
			;
	}
	if (ch & HAL_ADC_PULLUP)
		HAL_A0_PULLUP(0);
	return ADC;
}

uint32_t hal_millis(void)
{
	return millis();
}

const char *hal_board(void)
{
	return HAL_BOARD;
}

uint32_t hal_f_cpu(void)
{
	return F_CPU;
}
