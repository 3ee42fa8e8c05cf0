/*
 * fw_stream: the portable C of the stream's block loops (fw_hal.h).  The
 * ATmega328P and 2560 run hand-written assembly of the same loops
 * (hal_arduino_loops.cpp); tests/e2e/test_stream_asm.sh proves both send the same
 * bytes.
 */
#include "fw_hal.h"
#include "proto.h"

void fw_cobs_put(struct hal_cobs *c, uint8_t b)
{
	if (b == 0) {
		*c->code = (uint8_t)(c->out - c->code);
		c->code = c->out++;
		return;
	}
	*c->out++ = b;
	if (c->out - c->code == 0xFF) {
		*c->code = 0xFF;
		c->code = c->out++;
	}
}

uint8_t fw_spi_read_crc16_c(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx)
{
	uint8_t all = 0xFF;
	uint16_t c = *crc;

	while (n--) {
		uint8_t b = hal_spi_xfer(0xFF);

		*buf++ = b;
		all &= b;
		c = proto_crc16_update(c, b);
		hal_tx_poll(tx);
	}
	*crc = c;
	return all;
}

uint8_t fw_spi_cmp_cobs_c(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx)
{
	uint8_t diff = 0;

	while (n--) {
		uint8_t raw = *buf++;

		diff |= (uint8_t)(hal_spi_xfer(0xFF) ^ raw);
		fw_cobs_put(c, raw);
		hal_tx_poll(tx);
	}
	return diff;
}
