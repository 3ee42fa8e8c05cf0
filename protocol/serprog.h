/*
 * serprog: flashrom's serial programmer protocol (Documentation/
 * serprog-protocol.txt, interface version 1), the command numbers and the
 * small helpers shared by the sketch (fw_serprog.c) and the client (its
 * serprog programmer and the port probe).  PROTOCOL.md section 7 says how the
 * sketch tells serprog from spiflash frames.
 *
 * A command is one byte and its parameters; the programmer answers ACK and
 * the command's answer, or NAK.  Multi-byte fields are little-endian, lengths
 * and addresses 24 bits.
 *
 * Plain C99 over <stdint.h>: no I/O, builds with avr-gcc and on the host.
 */
#ifndef SERPROG_H
#define SERPROG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SERPROG_IFACE_VERSION 1      /* Q_IFACE answer (u16) */
#define SERPROG_ACK         0x06
#define SERPROG_NAK         0x15
#define SERPROG_BUS_SPI     0x08     /* Q_BUSTYPE / S_BUSTYPE bit */

#define SERPROG_CMDMAP_LEN  32       /* Q_CMDMAP: a bit per command number */
#define SERPROG_PGMNAME_LEN 16       /* Q_PGMNAME: NUL padded */

/* Command bytes and (after ACK) their answers. */
enum serprog_cmd {
	SERPROG_CMD_NOP         = 0x00, /* -> ACK */
	SERPROG_CMD_Q_IFACE     = 0x01, /* -> u16 interface version */
	SERPROG_CMD_Q_CMDMAP    = 0x02, /* -> 32 bytes command map */
	SERPROG_CMD_Q_PGMNAME   = 0x03, /* -> 16 bytes name */
	SERPROG_CMD_Q_SERBUF    = 0x04, /* -> u16 receive buffer size */
	SERPROG_CMD_Q_BUSTYPE   = 0x05, /* -> u8 buses */
	SERPROG_CMD_Q_WRNMAXLEN = 0x08, /* -> u24 largest write-n */
	SERPROG_CMD_SYNCNOP     = 0x10, /* -> NAK ACK */
	SERPROG_CMD_Q_RDNMAXLEN = 0x11, /* -> u24 largest read-n (0: 2^24) */
	SERPROG_CMD_S_BUSTYPE   = 0x12, /* u8 buses -> */
	SERPROG_CMD_O_SPIOP     = 0x13, /* u24 slen, u24 rlen, slen bytes -> rlen bytes */
	SERPROG_CMD_S_SPI_FREQ  = 0x14, /* u32 Hz (not 0) -> u32 Hz set */
	SERPROG_CMD_S_PIN_STATE = 0x15, /* u8 0 off, 1 on -> */
};

/* Parameter bytes after the command byte. */
#define SERPROG_SPIOP_HDR   6        /* O_SPIOP: u24 slen, u24 rlen */

static inline void serprog_put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
}

static inline uint32_t serprog_get24(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
}

/* Whether a Q_CMDMAP answer (SERPROG_CMDMAP_LEN bytes) lists cmd. */
static inline int serprog_cmdmap_has(const uint8_t *map, uint8_t cmd)
{
	return (map[cmd >> 3] >> (cmd & 7)) & 1;
}

/* The O_SPIOP header: u24 slen, u24 rlen.  Returns SERPROG_SPIOP_HDR. */
static inline uint8_t serprog_spiop_pack(uint8_t *p, uint32_t slen, uint32_t rlen)
{
	serprog_put24(p, slen);
	serprog_put24(p + 3, rlen);
	return SERPROG_SPIOP_HDR;
}

#ifdef __cplusplus
}
#endif
#endif
