/*
 * Test program for tests/emu/emu_smoke.sh: exercises the emulator, not the
 * spiflash firmware.  Register-level ATmega328P code; one command byte in,
 * an ASCII answer out, anything else is echoed:
 *   J  JEDEC ID (9Fh) as 6 hex digits + '\n'
 *   F  Timer1 cycles for 100 SPI bytes at F_CPU/2, 4 hex digits + '\n'
 *   S  Timer1 cycles for 10 SPI bytes at F_CPU/128
 *   U  Timer1 cycles to send 10 UART bytes (the 10 bytes 'u', then the count)
 *   P  WREN, page program 12 34 56 78 at 0, poll WIP: poll count
 *   R  read 4 bytes at 0
 *   W  sleep until the next byte (consumed): Timer0 ticks of 1.024 ms waited
 *   B  the same, spinning instead of sleeping (still no SPI traffic)
 *   G  8 bytes in: Timer1 cycles from the first to the last (spacing)
 *   X  cli; sleep: the emulator must stop with an error
 * Between commands it sleeps (idle mode) until the RX interrupt, as the
 * spiflash firmware does; Timer0 runs only for W and B, so that it does not
 * disturb the cycle counts of F, S and U.
 * It starts the way the Arduino core does (UCSR0B = 0 first) and writes U2X0
 * after UBRR0, the two simavr 1.6 traps the emulator works around.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <stdint.h>

static volatile uint16_t ticks;

/* Only wakes the CPU; the main loop reads UDR0. */
ISR(USART_RX_vect)
{
	UCSR0B &= (uint8_t)~_BV(RXCIE0);
}

ISR(TIMER0_OVF_vect)
{
	ticks++;
}

/* Race-free: RXCIE is set with interrupts off, and sleep follows sei at once. */
static uint8_t rx(void)
{
	while (!(UCSR0A & _BV(RXC0))) {
		cli();
		if (!(UCSR0A & _BV(RXC0))) {
			UCSR0B |= _BV(RXCIE0);
			sleep_enable();
			sei();
			sleep_cpu();
			sleep_disable();
		}
		sei();
	}
	return UDR0;
}

/* Timer0 ticks (clk/64, overflow every 1.024 ms) until the next byte. */
static uint16_t wait_ticks(uint8_t spin)
{
	ticks = 0;
	TCNT0 = 0;
	TIFR0 = _BV(TOV0);
	TIMSK0 = _BV(TOIE0);
	if (spin)
		while (!(UCSR0A & _BV(RXC0)))
			;
	rx();
	TIMSK0 = 0;
	return ticks;
}

static void tx(uint8_t c)
{
	while (!(UCSR0A & _BV(UDRE0)))
		;
	UDR0 = c;
}

static void hex(uint8_t v)
{
	static const char h[] = "0123456789ABCDEF";

	tx(h[v >> 4]);
	tx(h[v & 15]);
}

static void hex16(uint16_t v)
{
	hex(v >> 8);
	hex(v & 0xFF);
	tx('\n');
}

static uint8_t spi(uint8_t v)
{
	SPDR = v;
	while (!(SPSR & _BV(SPIF)))
		;
	return SPDR;
}

static void cs(uint8_t high)
{
	if (high)
		PORTB |= _BV(PB2);
	else
		PORTB &= ~_BV(PB2);
}

static uint16_t spi_time(uint8_t n)
{
	uint16_t t0 = TCNT1;

	for (uint8_t i = 0; i < n; i++)
		spi(i);
	return TCNT1 - t0;
}

/* WREN, a 4-byte page program at 0, then RDSR until WIP clears: how many
 * polls the chip stayed busy for. */
static uint16_t program_polls(void)
{
	uint16_t n = 0;
	uint8_t st;

	cs(0);
	spi(0x06);
	cs(1);
	cs(0);
	spi(0x02);
	spi(0);
	spi(0);
	spi(0);
	spi(0x12);
	spi(0x34);
	spi(0x56);
	spi(0x78);
	cs(1);
	cs(0);
	spi(0x05);
	do {
		st = spi(0);
		n++;
	} while (st & 1);
	cs(1);
	return n;
}

/* READ of the first 4 bytes, in hex. */
static void read4(void)
{
	cs(0);
	spi(0x03);
	spi(0);
	spi(0);
	spi(0);
	for (uint8_t i = 0; i < 4; i++)
		hex(spi(0));
	cs(1);
	tx('\n');
}

int main(void)
{
	UCSR0B = 0;                       /* as Arduino's init() */
	UBRR0 = 1;                        /* 1 Mbaud with U2X0 ... */
	UCSR0A = _BV(U2X0);               /* ... written after UBRR0 */
	UCSR0B = _BV(RXEN0) | _BV(TXEN0);
	PORTB |= _BV(PB2);
	DDRB |= _BV(PB2) | _BV(PB3) | _BV(PB5);
	SPCR = _BV(SPE) | _BV(MSTR);
	SPSR = _BV(SPI2X);
	TCCR1B = _BV(CS10);
	TCCR0B = _BV(CS01) | _BV(CS00);
	set_sleep_mode(SLEEP_MODE_IDLE);
	sei();

	for (;;) {
		uint8_t c;
		uint16_t t0;

		c = rx();
		switch (c) {
		case 'J':
			cs(0);
			spi(0x9F);
			hex(spi(0));
			hex(spi(0));
			hex(spi(0));
			cs(1);
			tx('\n');
			break;
		case 'F':
			hex16(spi_time(100));
			break;
		case 'S':
			SPCR |= _BV(SPR1) | _BV(SPR0);
			SPSR = 0;
			hex16(spi_time(10));
			SPCR &= ~(_BV(SPR1) | _BV(SPR0));
			SPSR = _BV(SPI2X);
			break;
		case 'U':
			t0 = TCNT1;
			for (uint8_t i = 0; i < 10; i++)
				tx('u');
			hex16(TCNT1 - t0);
			break;
		case 'P':
			hex16(program_polls());
			break;
		case 'R':
			read4();
			break;
		case 'W':
		case 'B':
			hex16(wait_ticks(c == 'B'));
			break;
		case 'G':
			rx();
			t0 = TCNT1;
			for (uint8_t i = 0; i < 7; i++) {
				while (!(UCSR0A & _BV(RXC0)))
					;
				(void)UDR0;
			}
			hex16(TCNT1 - t0);
			break;
		case 'X':
			__asm__ volatile("cli\n\tsleep");
			break;
		default:
			tx(c);
		}
	}
}
