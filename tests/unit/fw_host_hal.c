/*
 * fw_host_hal: the firmware's board layer (fw_hal.h) on the host, over the
 * chip model, so the real dispatcher and flash sequencing run in unit tests.
 *
 * It stands in for hardware registers, which is why its state is file-level:
 * the firmware reaches the board through plain functions, as on the AVR.
 * Time is simulated: every SPI byte takes 1 us (8 MHz SPI), an idle poll 1 ms.
 */
#include "fw_host_hal.h"
#include "proto.h"

#include <string.h>

static struct host_board {
	struct fc_chip *chip;
	uint64_t now_ns;
	int miso_stuck;               /* -1: chip answers; else the stuck level */
	const uint8_t *in;
	size_t in_len, in_pos;
	uint8_t out[2u << 20];      /* a whole 1 MiB stream fits */
	size_t out_len;
	uint32_t spi_hz;
	uint32_t baud;
	/* rate changes inside the captured output: from out[at] on, rate */
	struct { size_t at; uint32_t rate; } changes[8];
	unsigned nchanges;
	uint32_t out_baud0;        /* rate of out[0] */
	uint64_t kicks, last_kick_ns, max_kick_gap_ns;   /* hal_watchdog_kick */
} hb;

void host_hal_attach(struct fc_chip *chip)
{
	memset(&hb, 0, sizeof(hb));
	hb.chip = chip;
	hb.miso_stuck = -1;
	hb.spi_hz = 8000000;
	hb.baud = 115200;
	hb.out_baud0 = 115200;
}

void host_hal_miso_stuck(int level)
{
	hb.miso_stuck = level;
}

void host_hal_input(const uint8_t *buf, size_t len)
{
	hb.in = buf;
	hb.in_len = len;
	hb.in_pos = 0;
}

size_t host_hal_input_left(void)
{
	return hb.in_len - hb.in_pos;
}

const uint8_t *host_hal_output(size_t *len)
{
	*len = hb.out_len;
	return hb.out;
}

void host_hal_output_clear(void)
{
	hb.out_len = 0;
	hb.nchanges = 0;
	hb.out_baud0 = hb.baud;
}

void host_hal_advance_ms(uint32_t ms)
{
	hb.now_ns += (uint64_t)ms * 1000000u;
}

uint64_t host_hal_now_ns(void)
{
	return hb.now_ns;
}

void hal_init(void)
{
}

int16_t hal_uart_getc(void)
{
	if (hb.in_pos >= hb.in_len)
		return -1;
	hb.now_ns += 5000;     /* a byte at 2 Mbaud */
	return hb.in[hb.in_pos++];
}

uint8_t hal_uart_rx_pending(void)
{
	return hb.in_pos < hb.in_len;
}

uint16_t hal_uart_rx_backlog(void)
{
	size_t left = hb.in_len - hb.in_pos;

	return (uint16_t)(left > 0xFFFF ? 0xFFFF : left);
}

/* Like the AVR ring, hand out at most 64 bytes at a time, so the bulk path
 * is exercised in pieces. */
const uint8_t *hal_uart_peek(uint16_t *n)
{
	size_t left = hb.in_len - hb.in_pos;

	*n = (uint16_t)(left > 64 ? 64 : left);
	return hb.in + hb.in_pos;
}

static uint8_t rx_drops;

void host_hal_set_rx_drops(uint8_t n)
{
	rx_drops = n;
}

uint8_t hal_uart_rx_drops(void)
{
	return rx_drops;
}

void hal_uart_consume(uint16_t n)
{
	hb.in_pos += n;
	hb.now_ns += 5000ull * n;      /* bytes at 2 Mbaud */
}

void hal_uart_tx_wait(void)
{
}

uint8_t hal_uart_tx_busy(void)
{
	return 0;
}

uint32_t hal_uart_set_baud(uint32_t baud)
{
	if (hb.nchanges < 8) {
		hb.changes[hb.nchanges].at = hb.out_len;
		hb.changes[hb.nchanges].rate = baud;
		hb.nchanges++;
	}
	hb.baud = baud;
	return baud;
}

uint32_t host_hal_baud_at(size_t offset)
{
	uint32_t rate = hb.out_baud0;
	unsigned i;

	for (i = 0; i < hb.nchanges; i++)
		if (offset >= hb.changes[i].at)
			rate = hb.changes[i].rate;
	return rate;
}

uint32_t hal_uart_boot_baud(void)
{
	return 115200;
}

uint32_t host_hal_baud(void)
{
	return hb.baud;
}

/* The host side takes a copy at once, so "background" sending is instant. */
void hal_uart_send(const uint8_t *buf, uint16_t len)
{
	if (hb.out_len + len > sizeof(hb.out))
		len = (uint16_t)(sizeof(hb.out) - hb.out_len);
	memcpy(hb.out + hb.out_len, buf, len);
	hb.out_len += len;
}

void hal_uart_send_pad(uint8_t n)
{
	static const uint8_t ff = 0xFF;

	while (n--)
		hal_uart_send(&ff, 1);
}

/* Polled sending: one byte a poll, as the 328P sends about one byte a
 * turn of its loops; hb.out keeps the order, which is all that matters. */
void hal_tx_poll(struct hal_tx *tx)
{
	if (tx->n) {
		hal_uart_send(tx->p, 1);
		tx->p++;
		tx->n--;
	}
}

/* hal_uart_send copies at once: nothing is ever left to take */
void hal_uart_take(struct hal_tx *tx)
{
	tx->p = 0;
	tx->n = 0;
}

uint8_t hal_spi_read_crc16(uint8_t *buf, uint16_t n, uint16_t *crc, struct hal_tx *tx)
{
	return fw_spi_read_crc16_c(buf, n, crc, tx);
}

uint8_t hal_spi_cmp_cobs(const uint8_t *buf, uint16_t n, struct hal_cobs *c, struct hal_tx *tx)
{
	return fw_spi_cmp_cobs_c(buf, n, c, tx);
}

uint16_t hal_uart_rx_capacity(void)
{
	return 127;
}

void hal_spi_select(void)
{
	fc_select(hb.chip, hb.now_ns);
}

void hal_spi_deselect(void)
{
	fc_deselect(hb.chip, hb.now_ns);
}

uint8_t hal_spi_xfer(uint8_t out)
{
	uint8_t in;

	hb.now_ns += 8000000000ull / hb.spi_hz;   /* 8 clocks */
	in = fc_transfer(hb.chip, out, hb.now_ns);
	return hb.miso_stuck < 0 ? in : (hb.miso_stuck ? 0xFF : 0x00);
}

uint8_t hal_spi_read(uint8_t *buf, uint16_t n)
{
	uint8_t all = 0xFF;

	while (n--) {
		*buf = hal_spi_xfer(0xFF);
		all &= *buf++;
	}
	return all;
}

uint8_t hal_spi_and(uint16_t n)
{
	uint8_t all = 0xFF;

	while (n--)
		all &= hal_spi_xfer(0xFF);
	return all;
}

void hal_spi_write(const uint8_t *buf, uint16_t n)
{
	while (n--)
		hal_spi_xfer(*buf++);
}

uint32_t hal_spi_crc32(uint32_t crc, uint16_t n)
{
	while (n--) {
		uint8_t b = hal_spi_xfer(0xFF);

		crc = proto_crc32_update(crc, &b, 1);
	}
	return crc;
}

/* As the board's: 64 bytes at 8 MHz, the same time's worth below. */
uint8_t hal_spi_piece(void)
{
	uint32_t p = (uint64_t)hb.spi_hz * 64 / 8000000u;

	return (uint8_t)(p ? p : 1);
}

uint32_t hal_spi_set_clock(uint32_t hz)
{
	uint32_t div = 2;

	while (div < 128 && 16000000u / div > hz)
		div <<= 1;
	hb.spi_hz = 16000000u / div;
	return hb.spi_hz;
}

uint32_t hal_millis(void)
{
	return (uint32_t)(hb.now_ns / 1000000u);
}

/* Kicks, and the longest simulated time between two of them. */
void hal_watchdog_kick(void)
{
	uint64_t gap = hb.now_ns - hb.last_kick_ns;

	if (hb.kicks && gap > hb.max_kick_gap_ns)
		hb.max_kick_gap_ns = gap;
	hb.kicks++;
	hb.last_kick_ns = hb.now_ns;
}

uint32_t host_hal_watchdog_max_gap_ms(void)
{
	return (uint32_t)(hb.max_kick_gap_ns / 1000000u);
}

void host_hal_watchdog_clear(void)
{
	hb.kicks = 0;
	hb.max_kick_gap_ns = 0;
}

void hal_idle(void)
{
	hb.now_ns += 1000000u;
}

const char *hal_board(void)
{
	return "host";
}

uint32_t hal_f_cpu(void)
{
	return 16000000u;
}

/* DIAG on the host: the chip drives MISO (or the stuck level does); A0 is
 * wired to a 3.3 V chip on a 5 V board (676 of 1023), the bandgap 1.1 V. */
static uint8_t host_miso_pullup;

void hal_spi_miso_pullup(uint8_t on)
{
	host_miso_pullup = on;
}

uint8_t hal_miso_level(void)
{
	return hb.miso_stuck < 0 ? host_miso_pullup : (uint8_t)hb.miso_stuck;
}

/* The chip on the host is wired right: with MOSI and MISO exchanged it
 * hears the pulled-up line and MISO reads the pull-up. */
void hal_spi_swapped_jedec(uint8_t *id, uint8_t n)
{
	memset(id, 0xFF, n);
}

uint16_t hal_adc_read(uint8_t ch)
{
	hb.now_ns += 312000u;       /* three conversions */
	return (ch & 0x7F) == HAL_ADC_BANDGAP ? 225 : 676;
}
