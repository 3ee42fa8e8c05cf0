/*
 * fw_serprog: the serprog command set (flashrom's Documentation/
 * serprog-protocol.txt, version 1) for an SPI-only programmer.
 *
 * serprog has no framing and no checksum: a command byte, its parameters,
 * an ACK (06) or NAK (15) and the answer.  What keeps line noise away from
 * the chip is the session rule in fw_serprog.h; what keeps a half-sent
 * command away from it is that every parameter byte has a deadline and an
 * O_SPIOP selects the chip only when all its write bytes are here.
 */
#include "fw_serprog.h"
#include "fw_hal.h"

#include <string.h>

#ifdef __AVR__
#include <avr/pgmspace.h>
#endif

#define SP_SOF 0xA5   /* a spiflash frame begins: PROTOCOL.md section 1 */

/* 16 bytes, NUL padded: the name flashrom prints. */
#ifdef __AVR__
static const char sp_name[SERPROG_PGMNAME_LEN] PROGMEM = "spiflash";
#define SP_NAME_COPY(dst) memcpy_P((dst), sp_name, SERPROG_PGMNAME_LEN)
#else
static const char sp_name[SERPROG_PGMNAME_LEN] = "spiflash";
#define SP_NAME_COPY(dst) memcpy((dst), sp_name, SERPROG_PGMNAME_LEN)
#endif

void fw_serprog_init(struct fw_serprog *s)
{
	s->state = 0;
}

/* The next byte, or -1 when none came within FW_SP_BYTE_MS. */
static int16_t get_byte(void)
{
	uint32_t start = hal_millis();

	for (;;) {
		int16_t ch = hal_uart_getc();

		if (ch >= 0) {
			/* a byte is progress: a 16 MiB operation takes minutes */
			hal_watchdog_kick();
			return ch;
		}
		if ((uint32_t)(hal_millis() - start) > FW_SP_BYTE_MS)
			return -1;
		hal_idle();
	}
}

static uint8_t get_params(uint8_t *p, uint8_t n)
{
	while (n--) {
		int16_t ch = get_byte();

		if (ch < 0)
			return 0;
		*p++ = (uint8_t)ch;
	}
	return 1;
}

/* buf is RAM of our own: send it and wait, so it can be reused at once. */
static void reply(const uint8_t *buf, uint16_t n)
{
	hal_uart_send(buf, n);
	hal_uart_tx_wait();
}

static void reply_code(uint8_t *buf, uint8_t code)
{
	buf[0] = code;
	reply(buf, 1);
}

/*
 * Perform SPI operation: u24 slen, u24 rlen, slen bytes; ACK and rlen bytes
 * read after them, chip select low throughout.
 */
static void op_spiop(struct fw_serprog *s, uint8_t *buf, uint16_t n)
{
	uint8_t p[SERPROG_SPIOP_HDR];
	uint32_t slen, rlen, i;
	uint16_t k = 1;
	uint8_t ok;

	if (!get_params(p, sizeof(p)))
		goto lost;
	slen = serprog_get24(p);
	rlen = serprog_get24(p + 3);
	ok = (s->state & (FW_SP_ARMED | FW_SP_PINSOFF)) == FW_SP_ARMED && slen <= n;
	/* a refused operation still takes its bytes: they are data, and must
	 * not be read as commands */
	for (i = 0; i < slen; i++) {
		int16_t ch = get_byte();

		if (ch < 0)
			goto lost;
		if (ok)
			buf[i] = (uint8_t)ch;
	}
	if (!ok) {
		reply_code(buf, SERPROG_NAK);
		return;
	}
	hal_spi_select();
	hal_spi_write(buf, (uint16_t)slen);
	/* The answer leaves in pieces of buf, the first behind the ACK, so a
	 * read of any length needs no more RAM.  A piece is read from the chip
	 * once the one before has left: the line, not the bus, is the
	 * bottleneck (reading 535 bytes at 8 MHz takes 2 % of their time on
	 * the line at 115200), so one buffer does. */
	buf[0] = SERPROG_ACK;
	for (;;) {
		uint16_t m = (uint16_t)(n - k);

		if (m > rlen)
			m = (uint16_t)rlen;
		hal_watchdog_kick();
		hal_uart_tx_wait();
		hal_spi_read(buf + k, m);
		hal_uart_send(buf, (uint16_t)(k + m));
		rlen -= m;
		if (!rlen)
			break;
		/* a serprog host waits for the whole answer: one that talks
		 * has given up on it, so stop instead of holding the line */
		if (hal_uart_rx_pending()) {
			s->state = 0;
			break;
		}
		k = 0;
	}
	hal_uart_tx_wait();
	hal_spi_deselect();
	return;
lost:
	/* the host went quiet in mid-command: nothing reached the chip, and
	 * what comes next needs a new sync */
	s->state = 0;
}

/* The commands that take no parameters: 1 when cmd was one (answered). */
static uint8_t query(struct fw_serprog *s, uint8_t cmd, uint8_t *buf, uint16_t n)
{
	switch (cmd) {
	case SERPROG_CMD_NOP:
		reply_code(buf, SERPROG_ACK);
		return 1;
	case SERPROG_CMD_SYNCNOP:
		/* a new session: arming starts over */
		s->state = FW_SP_ON;
		buf[0] = SERPROG_NAK;
		buf[1] = SERPROG_ACK;
		reply(buf, 2);
		return 1;
	case SERPROG_CMD_Q_IFACE:
		s->state |= FW_SP_IFACE;
		buf[0] = SERPROG_ACK;
		buf[1] = SERPROG_IFACE_VERSION;
		buf[2] = 0;
		reply(buf, 3);
		return 1;
	case SERPROG_CMD_Q_CMDMAP:
		if (s->state & FW_SP_IFACE)
			s->state |= FW_SP_CMDMAP;
		memset(buf, 0, 1 + SERPROG_CMDMAP_LEN);
		buf[0] = SERPROG_ACK;
		buf[1] = 0x3F;        /* 00-05 */
		buf[2] = 0x01;        /* 08 */
		buf[3] = 0x3F;        /* 10-15 */
		reply(buf, 1 + SERPROG_CMDMAP_LEN);
		return 1;
	case SERPROG_CMD_Q_PGMNAME:
		buf[0] = SERPROG_ACK;
		SP_NAME_COPY(buf + 1);
		reply(buf, 1 + SERPROG_PGMNAME_LEN);
		return 1;
	case SERPROG_CMD_Q_SERBUF:
		/* what the receive ring holds while a command runs */
		buf[0] = SERPROG_ACK;
		buf[1] = (uint8_t)hal_uart_rx_capacity();
		buf[2] = (uint8_t)(hal_uart_rx_capacity() >> 8);
		reply(buf, 3);
		return 1;
	case SERPROG_CMD_Q_BUSTYPE:
		buf[0] = SERPROG_ACK;
		buf[1] = SERPROG_BUS_SPI;
		reply(buf, 2);
		return 1;
	case SERPROG_CMD_Q_WRNMAXLEN:
		buf[0] = SERPROG_ACK;
		serprog_put24(buf + 1, n >= FW_SP_WRITE_MAX + 8 ? FW_SP_WRITE_MAX : n - 8u);
		reply(buf, 4);
		return 1;
	case SERPROG_CMD_Q_RDNMAXLEN:
		buf[0] = SERPROG_ACK;
		serprog_put24(buf + 1, FW_SP_READ_MAX);
		reply(buf, 4);
		return 1;
	default:
		return 0;
	}
}

static void command(struct fw_serprog *s, uint8_t cmd, uint8_t *buf, uint16_t n)
{
	uint8_t p[4];

	if (query(s, cmd, buf, n))
		return;
	switch (cmd) {
	case SERPROG_CMD_S_BUSTYPE:
		if (!get_params(p, 1))
			break;
		if (!(p[0] & SERPROG_BUS_SPI)) {
			reply_code(buf, SERPROG_NAK);
			return;
		}
		if ((s->state & (FW_SP_IFACE | FW_SP_CMDMAP)) == (FW_SP_IFACE | FW_SP_CMDMAP))
			s->state |= FW_SP_ARMED;
		reply_code(buf, SERPROG_ACK);
		return;
	case SERPROG_CMD_O_SPIOP:
		op_spiop(s, buf, n);
		return;
	case SERPROG_CMD_S_SPI_FREQ: {
		uint32_t hz;

		if (!get_params(p, 4))
			break;
		hz = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
		     ((uint32_t)p[3] << 24);
		if (!hz) {
			reply_code(buf, SERPROG_NAK);
			return;
		}
		hz = hal_spi_set_clock(hz);
		buf[0] = SERPROG_ACK;
		buf[1] = (uint8_t)hz;
		buf[2] = (uint8_t)(hz >> 8);
		buf[3] = (uint8_t)(hz >> 16);
		buf[4] = (uint8_t)(hz >> 24);
		reply(buf, 5);
		return;
	}
	case SERPROG_CMD_S_PIN_STATE:
		/* The board cannot float its pins (the HAL has no such call):
		 * "off" only refuses O_SPIOP until the drivers are "on" again. */
		if (!get_params(p, 1))
			break;
		if (p[0])
			s->state &= (uint8_t)~FW_SP_PINSOFF;
		else
			s->state |= FW_SP_PINSOFF;
		reply_code(buf, SERPROG_ACK);
		return;
	default:
		/* not serprog we speak: answer, and trust nothing more */
		reply_code(buf, SERPROG_NAK);
		break;
	}
	s->state = 0;
}

uint8_t fw_serprog_poll(struct fw_serprog *s, uint8_t *buf, uint16_t n)
{
	int16_t ch;

	while ((ch = hal_uart_getc()) >= 0) {
		if (ch == SP_SOF) {
			s->state = 0;
			return 1;
		}
		/* outside a session only a sync is serprog; anything else is
		 * noise between frames, dropped as it always was */
		if (!(s->state & FW_SP_ON) && ch != SERPROG_CMD_NOP && ch != SERPROG_CMD_SYNCNOP &&
		    ch != SERPROG_CMD_Q_IFACE)
			continue;
		s->state |= FW_SP_ON;
		hal_uart_tx_wait();     /* buf may be what went out last */
		command(s, (uint8_t)ch, buf, n);
	}
	return 0;
}
