/*
 * hal_arduino: the build-time choices of the board layer (pins, rate,
 * watchdog, who owns the USART), shared by hal_arduino.cpp and the hot
 * loops in hal_arduino_loops.cpp.
 */
#ifndef HAL_ARDUINO_H
#define HAL_ARDUINO_H

#include <avr/io.h>

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

#if HAL_OWN_USART
/* The receive ring (hal_arduino.cpp): the top 256 bytes of RAM, its head
 * index in GPIOR0 (the receive interrupt's), its tail in GPIOR1; loops
 * that take the line's bytes with the interrupt off store them the same
 * way, and count a byte lost to a full ring in hal_rx_drops. */
#define RX_RING 256
#define RX_RING_ADDR (RAMEND + 1 - RX_RING)
extern volatile uint8_t hal_rx_drops;
#endif

/* hal_spi_write's page loop: by hand (hal_arduino_loops.cpp) where the
 * sketch owns the USART, in C (hal_arduino.cpp) on USB boards and in the
 * portable SPIFLASH_STREAM_C build.  n bytes, the one before in SPDR. */
#if HAL_OWN_USART && !defined(SPIFLASH_STREAM_C)
#define HAL_SPI_WRITE_ASM 1
#endif
void hal_spi_write_run(const uint8_t *buf, uint16_t n);

#if defined(__AVR_ATmega328P__)
#define HAL_BOARD "uno-328p"
#elif defined(__AVR_ATmega2560__)
#define HAL_BOARD "mega2560"
#elif defined(__AVR_ATmega32U4__)
#define HAL_BOARD "leonardo-32u4"
#else
#define HAL_BOARD "avr"
#endif

#endif
