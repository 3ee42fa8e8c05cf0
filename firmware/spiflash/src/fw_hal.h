/*
 * fw_hal: the few things the portable firmware core needs from a board.
 *
 * hal_arduino.cpp and hal_arduino_loops.cpp implement them with the Arduino
 * core and its SPI library;
 * the host tests implement them over the chip model, so the dispatcher and
 * the flash sequencing run unchanged on a PC.
 */
#ifndef FW_HAL_H
#define FW_HAL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void hal_init(void);

/* Serial link.  hal_uart_getc returns -1 when nothing has arrived. */
int16_t hal_uart_getc(void);
/* Nonzero when a received byte is waiting. */
uint8_t hal_uart_rx_pending(void);
/* How many received bytes wait in the receive ring. */
uint16_t hal_uart_rx_backlog(void);
/* The received bytes that lie in one piece in the receive ring (*n of
 * them, maybe 0), to be handed on with hal_uart_consume: a bulk path for
 * 2 Mbaud, where a function call per byte is too slow. */
const uint8_t *hal_uart_peek(uint16_t *n);
void hal_uart_consume(uint16_t n);
/* Bytes lost because the receive ring was full (saturates at 255): never
 * more than 0 when the host keeps to rx_buffer; reported in FRAME_ERR. */
uint8_t hal_uart_rx_drops(void);
/* Bytes the receive ring holds before it must drop. */
uint16_t hal_uart_rx_capacity(void);
/*
 * Start sending buf in the background; buf must stay untouched until
 * hal_uart_tx_wait() returns.  Waits first for a send still in progress,
 * so two buffers used in turn keep the line busy while the next is built.
 */
void hal_uart_send(const uint8_t *buf, uint16_t len);
/* After what is being sent (or at once), n filler bytes (FF) in the
 * background; hal_uart_send waits for them too. */
void hal_uart_send_pad(uint8_t n);
/* Wait until everything handed to hal_uart_send has been sent. */
void hal_uart_tx_wait(void);
/* Nonzero while a send is still going out. */
uint8_t hal_uart_tx_busy(void);
/* Change the line rate once the last byte has left; returns the rate set,
 * or 0 if the board cannot make it within 2.5 %. */
uint32_t hal_uart_set_baud(uint32_t baud);
/* The rate the sketch starts with. */
uint32_t hal_uart_boot_baud(void);

/* SPI bus, mode 0, MSB first. */
void hal_spi_select(void);
void hal_spi_deselect(void);
uint8_t hal_spi_xfer(uint8_t out);
/* Clock in n bytes (sending FF); returns the AND of them, so an erased
 * (all FF) block is recognised for free. */
uint8_t hal_spi_read(uint8_t *buf, uint16_t n);
/* The same AND, nothing kept: whether n bytes of the chip are erased. */
uint8_t hal_spi_and(uint16_t n);
/* Sends n bytes; on the boards with a receive ring of their own, the line's
 * bytes go on into it meanwhile, taken by this loop rather than the receive
 * interrupt, which would take more cycles than the loop itself. */
void hal_spi_write(const uint8_t *buf, uint16_t n);
/* Clock in n bytes and fold them into a zlib-style CRC-32 (crc as returned
 * by proto_crc32_update), the CRC of each byte computed while the next one
 * shifts in. */
uint32_t hal_spi_crc32(uint32_t crc, uint16_t n);
/*
 * The stream's block loops (fw_core READ_STREAM with PROTO_STREAM_CMP).
 * While they run, bytes go out by polling, from inside the loops that clock
 * the chip, with no interrupt per byte: at 2 Mbaud an interrupt per byte
 * costs half of the 88 cycles a byte has.  hal_uart_take stops the
 * background send (hal_uart_send) and gives what it had left in tx; the
 * loops send from tx and hal_uart_send hands the rest back.  hal_tx_poll
 * sends one byte of tx if the transmitter has room.
 */
struct hal_tx {
	const uint8_t *p;
	uint16_t n;
};
/* COBS encoder state: the code byte being filled and the next byte out. */
struct hal_cobs {
	uint8_t *code;
	uint8_t *out;
};
void hal_uart_take(struct hal_tx *tx);
void hal_tx_poll(struct hal_tx *tx);
/* Read in progress (flash_read_begin): clock n bytes into buf, fold them
 * into *crc (proto_crc16_update), send from tx; returns their AND. */
uint8_t hal_spi_read_crc16(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx);
/* Read in progress: clock n bytes and compare them with buf (nonzero: some
 * differ), COBS-encode buf's bytes at c (c->out may run behind buf, the
 * encoding in place), send from tx. */
uint8_t hal_spi_cmp_cobs(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx);
/* The portable C of the two (fw_stream.c): the host's HAL and boards
 * without the assembly use them; tests compare them with the assembly. */
uint8_t fw_spi_read_crc16_c(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx);
uint8_t fw_spi_cmp_cobs_c(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx);
void fw_cobs_put(struct hal_cobs *c, uint8_t b);

/* Clock at most hz; returns the clock actually set. */
uint32_t hal_spi_set_clock(uint32_t hz);
/* Bytes that shift out in well under 0.1 ms at the clock set (64 at
 * 8 MHz, 8 at 1 MHz): the pieces a page goes to the chip in, the receive
 * ring looked at between them. */
uint8_t hal_spi_piece(void);

/* Wiring checks (fw_diag.c): the MCU's pull-up on MISO (a floating line
 * follows it, a driven one does not), MISO's level, and a 10-bit ADC
 * reading against AVcc of HAL_ADC_A0 (with HAL_ADC_PULLUP: A0's pull-up on
 * meanwhile) or HAL_ADC_BANDGAP (the 1.1 V reference). */
#define HAL_ADC_A0       0
#define HAL_ADC_BANDGAP  1
#define HAL_ADC_PULLUP   0x80
void hal_spi_miso_pullup(uint8_t on);
uint8_t hal_miso_level(void);
uint16_t hal_adc_read(uint8_t ch);
/* The JEDEC ID (9Fh, n bytes) bit-banged with the roles of MOSI and MISO
 * exchanged: the MCU drives its MISO pin and reads its MOSI pin (pulled up,
 * so a correctly wired chip hears FF and stays silent). */
void hal_spi_swapped_jedec(uint8_t *id, uint8_t n);

/* Milliseconds since start; wraps. */
uint32_t hal_millis(void);
/* Nothing to do: may sleep until the next interrupt. */
void hal_idle(void);

/*
 * The watchdog: hal_init arms it (2 s), and the board resets if it is not
 * kicked for that long, so no input and no stuck loop can wedge the sketch.
 * fw_core_poll kicks it once a turn, fw_flash on every tick of a long
 * operation, the stream and serprog loops once a block.
 */
void hal_watchdog_kick(void);

/* Board name for HELLO, at most 16 characters, and the CPU clock. */
const char *hal_board(void);
uint32_t hal_f_cpu(void);

#ifdef __cplusplus
}
#endif
#endif
