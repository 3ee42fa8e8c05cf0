/*
 * fw_flash: SPI NOR command sequencing, one small function per opcode.
 * Every wait has a deadline; every write is preceded by a checked write enable.
 */
#ifndef FW_FLASH_H
#define FW_FLASH_H

#include <stdint.h>

#include "spinor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opcodes and status bits: SPINOR_OP_*, SPINOR_SR1_* (spinor.h, a copy of
 * protocol/spinor.h). */

/* Results share the protocol's status codes (proto.h). */

/* Called from long loops, about every millisecond, so the caller can send
 * keepalives; must not touch the SPI bus. */
typedef void (*flash_tick_fn)(void *ctx);

struct flash {
	uint32_t size;          /* bytes; requests past it are refused */
	uint16_t page_size;     /* power of two, <= 256 */
	uint8_t addr_mode;      /* enum proto_addr_mode */
	uint16_t t_page_max_ms;
	flash_tick_fn tick;
	void *tick_ctx;
	/* Called (with tick_ctx) once flash_program has sent its last byte to
	 * the chip, before it waits for the program to end: the caller's
	 * buffer is free from then on. */
	flash_tick_fn data_sent;
};

void flash_init(struct flash *f);

void flash_jedec(struct flash *f, uint8_t *id, uint8_t n);
void flash_sfdp(struct flash *f, uint32_t addr, uint8_t *buf, uint16_t n);
uint8_t flash_read_sr(struct flash *f, uint8_t opcode);
/* Returns the AND of the bytes read: FF means the range is erased. */
uint8_t flash_read(struct flash *f, uint32_t addr, uint8_t *buf, uint16_t n);
/* The AND of n bytes at addr, none kept: FF means erased. */
uint8_t flash_read_and(struct flash *f, uint32_t addr, uint16_t n);
/* A read left open for the caller to clock the bytes (the stream's fused
 * loops, fw_hal.h): chip selected, READ and address sent; then end it. */
void flash_read_begin(struct flash *f, uint32_t addr);
void flash_read_end(struct flash *f);
int8_t flash_write_enable(struct flash *f, uint8_t opcode);
int8_t flash_wait_ready(struct flash *f, uint32_t max_ms);
int8_t flash_program(struct flash *f, uint32_t addr, const uint8_t *data, uint16_t n);
int8_t flash_erase(struct flash *f, uint32_t addr, uint8_t opcode, uint32_t max_ms);
int8_t flash_write_sr(struct flash *f, uint8_t opcode, uint8_t flags,
		      const uint8_t *val, uint8_t n, uint16_t max_ms);
/* CRC-32 (zlib's, continuing from crc) and blank check of a range. */
uint32_t flash_crc32(struct flash *f, uint32_t addr, uint32_t len, uint32_t crc);
uint32_t flash_blank(struct flash *f, uint32_t addr, uint32_t len);
void flash_xfer(struct flash *f, const uint8_t *w, uint16_t wn, uint8_t *r, uint16_t rn);

#ifdef __cplusplus
}
#endif
#endif
