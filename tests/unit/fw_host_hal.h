/*
 * fw_host_hal: fw_hal.h implemented on the host over the chip model, with
 * a scripted serial input, a captured output and a simulated clock.
 */
#ifndef FW_HOST_HAL_H
#define FW_HOST_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "flashchip.h"
#include "fw_hal.h"

void host_hal_attach(struct fc_chip *chip);
/* -1: MISO follows the chip; 0 or 1: MISO stuck at that level (no chip). */
void host_hal_miso_stuck(int level);
void host_hal_input(const uint8_t *buf, size_t len);
size_t host_hal_input_left(void);
const uint8_t *host_hal_output(size_t *len);
void host_hal_output_clear(void);
void host_hal_advance_ms(uint32_t ms);
uint64_t host_hal_now_ns(void);
/* The longest simulated time between two watchdog kicks since the clear
 * (the board resets after 2 s without one). */
uint32_t host_hal_watchdog_max_gap_ms(void);
void host_hal_watchdog_clear(void);
/* What hal_uart_rx_drops() says from now on (a ring that overflowed). */
void host_hal_set_rx_drops(uint8_t n);
/* The line rate the firmware last set. */
uint32_t host_hal_baud(void);
/* The rate output byte `offset` (since the last clear) was sent at. */
uint32_t host_hal_baud_at(size_t offset);

#endif
