/*
 * hal_arduino_loops: the SPI loops that run at the speed of the bus, in
 * AVR assembly where the compiler's code is too slow: the CRC-32 of a
 * range (CRC32, BLANK, the stream's checks), the stream's block loops
 * (fw_hal.h) and the loop that shifts a page out (hal_spi_write_run).  The
 * portable C of the block loops is fw_stream.c, which the host tests run,
 * that of the page loop is in hal_arduino.cpp; tests/e2e/test_stream_asm.sh
 * compares them with these.
 */
#include <Arduino.h>
#include <avr/pgmspace.h>

#include "fw_hal.h"
#include "hal_arduino.h"
#include "proto.h"

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

/* proto.h: proto_crc32_update reads it too, the one copy in flash */
const uint8_t proto_crc32_slices[4][256] PROGMEM __attribute__((aligned(256))) = {
	CRC_R256(0), CRC_R256(1), CRC_R256(2), CRC_R256(3),
};

/*
 * The AND of n bytes, none kept: is a block erased.  At F_CPU/2 a byte
 * takes 16 cycles on the bus; a loop that polls SPIF sees the flag a few
 * cycles late and takes about 23, so here each byte is read 17 cycles after
 * it started and the next starts 18 cycles after it, with no polling.  An
 * interrupt in between only widens the gap, which the bus does not mind.
 * SPIF stays set throughout: it is cleared at the end by reading SPSR and
 * then SPDR, after the last byte.  At slower SPI clocks, and in the build
 * with the portable C loops (SPIFLASH_STREAM_C), the polled loop.
 */
uint8_t hal_spi_and(uint16_t n)
{
	uint8_t all = 0xFF;

	if (!n)
		return all;
#ifndef SPIFLASH_STREAM_C
	if ((SPCR & (_BV(SPR1) | _BV(SPR0))) || !(SPSR & _BV(SPI2X)))
#endif
	{
		while (n--) {
			SPDR = 0xFF;
			while (!(SPSR & _BV(SPIF)))
				;
			all &= SPDR;
		}
		return all;
	}
	asm volatile(
		"	out %[spdr], %[ff]\n"
		"	sbiw %[n], 1\n"
		"	breq 2f\n"
		"	rjmp .+0\n"          /* 5 cycles since out, as in the loop */
		/* 18 cycles from out to out, the byte read at 17 */
		"1:	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	nop\n"
		"	in __tmp_reg__, %[spdr]\n"
		"	out %[spdr], %[ff]\n"
		"	and %[all], __tmp_reg__\n"
		"	sbiw %[n], 1\n"
		"	brne 1b\n"
		/* the last byte: 4 cycles since its out either way, 13 more */
		"2:	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	rjmp .+0\n"
		"	nop\n"
		"	in __tmp_reg__, %[spsr]\n"
		"	in __tmp_reg__, %[spdr]\n"
		"	and %[all], __tmp_reg__\n"
		: [all] "+r" (all), [n] "+w" (n)
		: [ff] "r" ((uint8_t)0xFF), [spdr] "I" (_SFR_IO_ADDR(SPDR)),
		  [spsr] "I" (_SFR_IO_ADDR(SPSR))
		: "memory");   /* kept in its place among the SPI accesses */
	return all;
}

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
			  [tab] "i" (proto_crc32_slices)
			: "r30", "r31");
	}
	while (!(SPSR & _BV(SPIF)))
		;
	last = SPDR;
	crc = (uint32_t)c0 | ((uint32_t)c1 << 8) | ((uint32_t)c2 << 16) | ((uint32_t)c3 << 24);
	return proto_crc32_update(~crc, &last, 1);
}

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

/* CRC-16/XMODEM by table: high bytes, then low bytes, one page each;
 * proto.h: proto_crc16 checks whole frames with it too */
const uint8_t proto_crc16_tab[2][256] PROGMEM __attribute__((aligned(256))) = {
	C16_R256(C16_H), C16_R256(C16_L),
};

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
		: [ff] "r" ((uint8_t)0xFF), [tab] "i" (proto_crc16_tab),
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

#if HAL_SPI_WRITE_ASM
/*
 * The page loop of hal_spi_write (hal_arduino.cpp) at F_CPU/2 and /4, by
 * hand, with the receive interrupt off: n bytes from buf, the byte before
 * them already in SPDR.  SPIF is still waited for before each byte, so no
 * byte collides whatever the silicon's timing, but it is first looked at
 * 16 cycles after the byte before went, when at F_CPU/2 that byte has just
 * shifted out: 19 cycles a byte, where the compiler's loop took 20 to 24
 * (its first look came at 13, then one every 4; a part that sets SPIF a
 * cycle later takes 23 here).  A byte from the line (one in five at 2
 * Mbaud) goes into the receive ring as the interrupt would put it, in
 * place of the idle cycles.  At 2 Mbaud a MiB of pages wrote in 11.58 s of
 * simulated time against 11.86.
 */
void hal_spi_write_run(const uint8_t *buf, uint16_t n)
{
	__asm__ volatile(
		"1:	ld   r18, X+\n"
		"	lds  r19, %[ucsra]\n"
		"	sbrc r19, %[rxc]\n"
		"	rjmp 4f\n"
		"	nop\n	nop\n	nop\n	nop\n	nop\n"
		"2:	in   __tmp_reg__, %[spsr]\n"
		"	sbrs __tmp_reg__, %[spif]\n"
		"	rjmp 2b\n"
		"	out  %[spdr], r18\n"
		"	sbiw %[n], 1\n"
		"	brne 1b\n"
		"	rjmp 9f\n"
		"4:	in   r30, %[head]\n"
		"	ldi  r31, %[ring_hi]\n"
		"	lds  r19, %[udr]\n"
		"	st   Z+, r19\n"
		"	in   r19, %[tail]\n"
		"	cp   r30, r19\n"
		"	breq 5f\n"
		"	out  %[head], r30\n"
		"	rjmp 2b\n"
		"5:	lds  r19, %[drops]\n"        /* full: count it, saturating */
		"	subi r19, 0xFF\n"
		"	breq 2b\n"
		"	sts  %[drops], r19\n"
		"	rjmp 2b\n"
		"9:\n"
		: [buf] "+x" (buf), [n] "+w" (n)
		: [spsr] "I" (_SFR_IO_ADDR(SPSR)), [spdr] "I" (_SFR_IO_ADDR(SPDR)),
		  [spif] "I" (SPIF), [ucsra] "n" (_SFR_MEM_ADDR(UCSR0A)), [rxc] "I" (RXC0),
		  [udr] "n" (_SFR_MEM_ADDR(UDR0)), [head] "I" (_SFR_IO_ADDR(GPIOR0)),
		  [tail] "I" (_SFR_IO_ADDR(GPIOR1)), [ring_hi] "M" (RX_RING_ADDR >> 8),
		  [drops] "i" (&hal_rx_drops)
		: "r18", "r19", "r30", "r31", "memory");
}
#endif
