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

#ifndef SPIFLASH_BAUD
#define SPIFLASH_BAUD 115200UL
#endif

/* The old ATmegaBOOT bootloader of early Nanos cannot start after a
 * watchdog reset (it loops): build those with -DSPIFLASH_WATCHDOG=0, or
 * give them Optiboot ("ATmega328P" rather than "(Old Bootloader)"). */
#ifndef SPIFLASH_WATCHDOG
#define SPIFLASH_WATCHDOG 1
#endif

#ifndef SPIFLASH_CS_PIN
#if defined(__AVR_ATmega2560__) || defined(__AVR_ATmega1280__)
#define SPIFLASH_CS_PIN 53
#else
#define SPIFLASH_CS_PIN 10
#endif
#endif

#if defined(USART_RX_vect)
#define HAL_OWN_USART 1
#define HAL_RX_VECT USART_RX_vect
#define HAL_UDRE_VECT USART_UDRE_vect
#elif defined(USART0_RX_vect)
#define HAL_OWN_USART 1
#define HAL_RX_VECT USART0_RX_vect
#define HAL_UDRE_VECT USART0_UDRE_vect
#else
#define HAL_OWN_USART 0
#endif

#if defined(__AVR_ATmega328P__)
#define HAL_BOARD "uno-328p"
#elif defined(__AVR_ATmega2560__)
#define HAL_BOARD "mega2560"
#elif defined(__AVR_ATmega32U4__)
#define HAL_BOARD "leonardo-32u4"
#else
#define HAL_BOARD "avr"
#endif

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

/* 256 entries: the 8-bit indices wrap by themselves, and at 2 Mbaud a
 * 268-byte request arrives faster than the main loop decodes it. */
#define RX_RING 256
static volatile uint8_t rx_ring[RX_RING];
static volatile uint8_t rx_head;   /* written by the ISR only */
static uint8_t rx_tail;            /* written by the main loop only */
static volatile uint8_t rx_drops;  /* bytes lost to a full ring, saturating */
static const uint8_t *volatile tx_ptr;
static volatile uint16_t tx_left;

ISR(HAL_RX_VECT)
{
	uint8_t b = UDR0;
	uint8_t next = (uint8_t)(rx_head + 1);

	if (next != rx_tail) {
		rx_ring[rx_head] = b;
		rx_head = next;
	} else if (rx_drops != 0xFF) {
		rx_drops++;
	}
}

uint8_t hal_uart_rx_drops(void)
{
	return rx_drops;
}

ISR(HAL_UDRE_VECT)
{
	UDR0 = *tx_ptr++;
	if (--tx_left == 0)
		UCSR0B &= (uint8_t)~_BV(UDRIE0);
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

void hal_uart_send(const uint8_t *buf, uint16_t len)
{
	Serial.write(buf, len);
}

void hal_uart_tx_wait(void)
{
	Serial.flush();
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

void hal_init(void)
{
	/* A watchdog reset leaves WDRF set and the watchdog running at its
	 * shortest period: clear both before anything slow (old bootloaders
	 * do not). */
	MCUSR &= (uint8_t)~(1u << WDRF);
	wdt_disable();
	pinMode(SPIFLASH_CS_PIN, OUTPUT);
	digitalWrite(SPIFLASH_CS_PIN, HIGH);
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
	digitalWrite(SPIFLASH_CS_PIN, LOW);
}

void hal_spi_deselect(void)
{
	digitalWrite(SPIFLASH_CS_PIN, HIGH);
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

void hal_spi_write(const uint8_t *buf, uint16_t n)
{
	if (!n)
		return;
	SPDR = *buf++;
	while (--n) {
		uint8_t next = *buf++;

		while (!(SPSR & _BV(SPIF)))
			;
		SPDR = next;
	}
	while (!(SPSR & _BV(SPIF)))
		;
	(void)SPDR;
}

/*
 * CRC-32 at the speed of the bus.  The table is sliced into four 256-byte
 * tables, one per byte of the 32-bit entry, aligned on 256 bytes so that a
 * lookup is "ZH = table page, ZL = index, lpm": four lookups and the byte
 * shuffle of crc >> 8 take 29 cycles a byte, against 44 for the compiled
 * loop over the 32-bit table, and the next SPI byte shifts in meanwhile.
 * The tables are computed by the compiler (the zlib polynomial, reflected).
 */
static constexpr uint32_t crc_entry(uint32_t c, int k)
{
	return k == 0 ? c : crc_entry((c & 1) ? (c >> 1) ^ 0xEDB88320UL : c >> 1, k - 1);
}
#define CRC_B(k, i)   ((uint8_t)(crc_entry((i), 8) >> (8 * (k))))
#define CRC_R4(k, i)  CRC_B(k, i), CRC_B(k, i + 1), CRC_B(k, i + 2), CRC_B(k, i + 3)
#define CRC_R16(k, i) CRC_R4(k, i), CRC_R4(k, i + 4), CRC_R4(k, i + 8), CRC_R4(k, i + 12)
#define CRC_R64(k, i) CRC_R16(k, i), CRC_R16(k, i + 16), CRC_R16(k, i + 32), CRC_R16(k, i + 48)
#define CRC_R256(k)   { CRC_R64(k, 0), CRC_R64(k, 64), CRC_R64(k, 128), CRC_R64(k, 192) }

static const uint8_t crc_slices[4][256] PROGMEM __attribute__((aligned(256))) = {
	CRC_R256(0), CRC_R256(1), CRC_R256(2), CRC_R256(3),
};

uint32_t hal_spi_crc32(uint32_t crc, uint16_t n)
{
	uint8_t c0, c1, c2, c3, last;

	if (!n)
		return crc;
	crc = ~crc;
	c0 = (uint8_t)crc;
	c1 = (uint8_t)(crc >> 8);
	c2 = (uint8_t)(crc >> 16);
	c3 = (uint8_t)(crc >> 24);
	SPDR = 0xFF;
	/* n - 1 bytes that start the next transfer as soon as they are read;
	 * the last one must not, or a byte of the flash would be lost */
	n--;
	if (n) {
		asm volatile(
			"1:	in __tmp_reg__, %[spsr]\n"
			"	sbrs __tmp_reg__, %[spif]\n"
			"	rjmp 1b\n"
			"	in r30, %[spdr]\n"
			"	out %[spdr], %[ff]\n"
			"	eor r30, %[c0]\n"
			"	ldi r31, hi8(%[tab])\n"
			"	lpm %[c0], Z\n"
			"	eor %[c0], %[c1]\n"
			"	inc r31\n"
			"	lpm %[c1], Z\n"
			"	eor %[c1], %[c2]\n"
			"	inc r31\n"
			"	lpm %[c2], Z\n"
			"	eor %[c2], %[c3]\n"
			"	inc r31\n"
			"	lpm %[c3], Z\n"
			"	sbiw %[n], 1\n"
			"	brne 1b\n"
			: [c0] "+r" (c0), [c1] "+r" (c1), [c2] "+r" (c2), [c3] "+r" (c3), [n] "+w" (n)
			: [spsr] "I" (_SFR_IO_ADDR(SPSR)), [spif] "I" (SPIF),
			  [spdr] "I" (_SFR_IO_ADDR(SPDR)), [ff] "r" ((uint8_t)0xFF),
			  [tab] "i" (crc_slices)
			: "r30", "r31");
	}
	while (!(SPSR & _BV(SPIF)))
		;
	last = SPDR;
	crc = (uint32_t)c0 | ((uint32_t)c1 << 8) | ((uint32_t)c2 << 16) | ((uint32_t)c3 << 24);
	crc = (crc >> 8) ^ pgm_read_dword(&proto_crc32_table[(uint8_t)crc ^ last]);
	return ~crc;
}

/*
 * The stream's block loops in assembly (fw_hal.h; fw_stream.c is the same
 * in C, and tests/e2e/test_stream_asm.sh checks that both send the same
 * bytes).  Each turn takes one byte from the SPI bus and starts the next
 * (the bus runs at F_CPU/2: 16 cycles a byte, shifting while the turn
 * works), then sends a byte of tx if the USART's transmit buffer is empty.
 * A turn costs about 28 cycles (read: store, AND, table CRC-16) and 26
 * (compare, COBS), so with the sends a block is read twice and encoded in
 * about 60 of the 88 cycles each byte has on a 2 Mbaud line.
 */
#if HAL_OWN_USART && !defined(SPIFLASH_STREAM_C)
static constexpr uint16_t crc16_entry(uint16_t c, int k)
{
	return k == 0 ? c : crc16_entry((c & 0x8000) ? (uint16_t)((c << 1) ^ 0x1021) : (uint16_t)(c << 1), k - 1);
}
#define C16_H(i)   ((uint8_t)(crc16_entry((uint16_t)((i) << 8), 8) >> 8))
#define C16_L(i)   ((uint8_t)crc16_entry((uint16_t)((i) << 8), 8))
#define C16_R4(f, i)  f(i), f(i + 1), f(i + 2), f(i + 3)
#define C16_R16(f, i) C16_R4(f, i), C16_R4(f, i + 4), C16_R4(f, i + 8), C16_R4(f, i + 12)
#define C16_R64(f, i) C16_R16(f, i), C16_R16(f, i + 16), C16_R16(f, i + 32), C16_R16(f, i + 48)
#define C16_R256(f)   { C16_R64(f, 0), C16_R64(f, 64), C16_R64(f, 128), C16_R64(f, 192) }

/* CRC-16/XMODEM by table: high bytes, then low bytes, one page each */
static const uint8_t crc16_tab[2][256] PROGMEM __attribute__((aligned(256))) = {
	C16_R256(C16_H), C16_R256(C16_L),
};

uint8_t hal_spi_read_crc16(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx)
{
	uint8_t all = 0xFF, crch = (uint8_t)(*crc >> 8), crcl = (uint8_t)*crc, b, t;
	const uint8_t *txp = tx->p;
	uint16_t txn = tx->n;

	if (!n)
		return all;
	asm volatile(
		"	out %[spdr], %[ff]\n"
		"1:	in __tmp_reg__, %[spsr]\n"
		"	sbrs __tmp_reg__, %[spif]\n"
		"	rjmp 1b\n"
		"	in %[b], %[spdr]\n"
		"	out %[spdr], %[ff]\n"
		"	st X+, %[b]\n"
		"	and %[all], %[b]\n"
		"	mov r30, %[crch]\n"
		"	eor r30, %[b]\n"
		"	ldi r31, hi8(%[tab])\n"
		"	lpm %[crch], Z\n"
		"	eor %[crch], %[crcl]\n"
		"	inc r31\n"
		"	lpm %[crcl], Z\n"
		"	lds %[t], %[ucsra]\n"
		"	sbrs %[t], %[udre]\n"
		"	rjmp 2f\n"
		"	cp %A[txn], __zero_reg__\n"
		"	cpc %B[txn], __zero_reg__\n"
		"	breq 2f\n"
		"	movw r30, %[txp]\n"
		"	ld %[t], Z+\n"
		"	sts %[udr], %[t]\n"
		"	movw %[txp], r30\n"
		"	subi %A[txn], 1\n"
		"	sbci %B[txn], 0\n"
		"2:	sbiw %[n], 1\n"
		"	brne 1b\n"
		/* the turn of the last byte started one more: let it end */
		"3:	in __tmp_reg__, %[spsr]\n"
		"	sbrs __tmp_reg__, %[spif]\n"
		"	rjmp 3b\n"
		"	in __tmp_reg__, %[spdr]\n"
		: [buf] "+x" (buf), [n] "+w" (n), [all] "+r" (all), [crch] "+r" (crch),
		  [crcl] "+r" (crcl), [txp] "+r" (txp), [txn] "+d" (txn), [b] "=&r" (b), [t] "=&r" (t)
		: [ff] "r" ((uint8_t)0xFF), [tab] "i" (crc16_tab),
		  [spsr] "I" (_SFR_IO_ADDR(SPSR)), [spif] "I" (SPIF), [spdr] "I" (_SFR_IO_ADDR(SPDR)),
		  [ucsra] "n" (_SFR_MEM_ADDR(UCSR0A)), [udre] "I" (UDRE0), [udr] "n" (_SFR_MEM_ADDR(UDR0))
		: "r30", "r31", "memory");
	tx->p = txp;
	tx->n = txn;
	*crc = (uint16_t)((uint16_t)crch << 8 | crcl);
	return all;
}

uint8_t hal_spi_cmp_cobs(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx)
{
	uint8_t *out = c->out;
	uint8_t run = (uint8_t)(c->out - c->code), diff = 0, b, t;
	const uint8_t *txp = tx->p;
	uint16_t txn = tx->n, sv;

	if (!n)
		return 0;
	asm volatile(
		"	out %[spdr], %[ff]\n"
		"1:	in __tmp_reg__, %[spsr]\n"
		"	sbrs __tmp_reg__, %[spif]\n"
		"	rjmp 1b\n"
		"	in %[b], %[spdr]\n"
		"	out %[spdr], %[ff]\n"
		"	ld %[t], X+\n"
		"	eor %[b], %[t]\n"
		"	or %[diff], %[b]\n"
		"	tst %[t]\n"
		"	breq 4f\n"
		"	st Z+, %[t]\n"
		"	inc %[run]\n"
		"	cpi %[run], 0xFF\n"
		"	breq 4f\n"
		"5:	lds %[t], %[ucsra]\n"
		"	sbrs %[t], %[udre]\n"
		"	rjmp 2f\n"
		"	cp %A[txn], __zero_reg__\n"
		"	cpc %B[txn], __zero_reg__\n"
		"	breq 2f\n"
		"	movw %[sv], r30\n"
		"	movw r30, %[txp]\n"
		"	ld %[t], Z+\n"
		"	sts %[udr], %[t]\n"
		"	movw %[txp], r30\n"
		"	movw r30, %[sv]\n"
		"	subi %A[txn], 1\n"
		"	sbci %B[txn], 0\n"
		"2:	sbiw %[n], 1\n"
		"	brne 1b\n"
		"	rjmp 6f\n"
		/* a zero, or a full block of 254: close the code byte at out - run */
		"4:	movw %[sv], r30\n"
		"	sub r30, %[run]\n"
		"	sbc r31, __zero_reg__\n"
		"	st Z, %[run]\n"
		"	movw r30, %[sv]\n"
		"	adiw r30, 1\n"
		"	ldi %[run], 1\n"
		"	rjmp 5b\n"
		"6:	in __tmp_reg__, %[spsr]\n"
		"	sbrs __tmp_reg__, %[spif]\n"
		"	rjmp 6b\n"
		"	in __tmp_reg__, %[spdr]\n"
		: [buf] "+x" (buf), [out] "+z" (out), [n] "+w" (n), [run] "+d" (run), [diff] "+r" (diff),
		  [txp] "+r" (txp), [txn] "+d" (txn), [b] "=&r" (b), [t] "=&r" (t), [sv] "=&r" (sv)
		: [ff] "r" ((uint8_t)0xFF),
		  [spsr] "I" (_SFR_IO_ADDR(SPSR)), [spif] "I" (SPIF), [spdr] "I" (_SFR_IO_ADDR(SPDR)),
		  [ucsra] "n" (_SFR_MEM_ADDR(UCSR0A)), [udre] "I" (UDRE0), [udr] "n" (_SFR_MEM_ADDR(UDR0))
		: "memory");
	c->out = out;
	c->code = out - run;
	tx->p = txp;
	tx->n = txn;
	return diff;
}
#else
uint8_t hal_spi_read_crc16(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx)
{
	return fw_spi_read_crc16_c(buf, n, crc, tx);
}

uint8_t hal_spi_cmp_cobs(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx)
{
	return fw_spi_cmp_cobs_c(buf, n, c, tx);
}
#endif

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
