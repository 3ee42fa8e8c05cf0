/*
 * fw_hal: the few things the portable firmware core needs from a board.
 *
 * hal_arduino.cpp implements them with the Arduino core and its SPI library;
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
void hal_uart_write(const uint8_t *buf, uint16_t len);
/* Bytes the receive side can hold before it must drop. */
uint16_t hal_uart_rx_capacity(void);

/* SPI bus, mode 0, MSB first. */
void hal_spi_select(void);
void hal_spi_deselect(void);
uint8_t hal_spi_xfer(uint8_t out);
/* Clock at most hz; returns the clock actually set. */
uint32_t hal_spi_set_clock(uint32_t hz);

/* Milliseconds since start; wraps. */
uint32_t hal_millis(void);
/* Nothing to do: may sleep until the next interrupt. */
void hal_idle(void);

/* Board name for HELLO, at most 16 characters, and the CPU clock. */
const char *hal_board(void);
uint32_t hal_f_cpu(void);

#ifdef __cplusplus
}
#endif
#endif
