/*
 * fw_serprog: flashrom's serprog protocol (version 1, SPI bus only) in the
 * same sketch, told apart from spiflash frames by what arrives: a frame
 * always starts with A5, which is no serprog command.  fw_core hands every
 * byte that arrives outside a frame to fw_serprog_poll.
 *
 * Safety (PROTOCOL.md section 7): bytes on the line are only ever a serprog
 * command inside a session, which opens with a sync (NOP, SYNCNOP or
 * Q_IFACE).  O_SPIOP, the only command that reaches the chip, is refused
 * until the session has seen Q_IFACE, Q_CMDMAP and S_BUSTYPE with the SPI
 * bit, in that order, and while the pin drivers are off.  An unknown
 * command or an A5 ends the session.  An O_SPIOP runs only once all its
 * write bytes are in RAM, so a truncated one never selects the chip; a
 * refused one still swallows its bytes, so data is never read as commands.
 */
#ifndef FW_SERPROG_H
#define FW_SERPROG_H

#include <stdint.h>

#include "serprog.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Command numbers, ACK / NAK and the 24-bit helpers: SERPROG_* and
 * serprog_* in serprog.h (a copy of protocol/serprog.h), shared with the
 * client.  The two names below stay for the host tests. */
#define FW_SP_ACK           SERPROG_ACK
#define FW_SP_NAK           SERPROG_NAK

/* Session state bits. */
enum fw_sp_state {
	FW_SP_ON      = 1 << 0,   /* a sync opened a session */
	FW_SP_IFACE   = 1 << 1,   /* Q_IFACE answered */
	FW_SP_CMDMAP  = 1 << 2,   /* Q_CMDMAP answered after Q_IFACE */
	FW_SP_ARMED   = 1 << 3,   /* S_BUSTYPE(SPI) after both: O_SPIOP allowed */
	FW_SP_PINSOFF = 1 << 4,   /* S_PIN_STATE 0: O_SPIOP refused */
};

/* A parameter byte must follow the previous one within this, or the
 * command is dropped unanswered (and the session with it).  flashrom
 * writes a command byte and its parameters with two system calls, which a
 * loaded host can hold apart for tens of milliseconds. */
#define FW_SP_BYTE_MS       500
/*
 * Write-n limit advertised (Q_WRNMAXLEN).  O_SPIOP accepts slen up to the
 * whole buffer it is given (fw_core's receive pool, 536 bytes); 512 leaves
 * room for the opcode and address bytes that flashrom adds on top of a
 * write-n chunk.
 */
#define FW_SP_WRITE_MAX     512u
/* Reads go from the chip to the line in pieces with chip select held, so
 * any 24-bit length works (Q_RDNMAXLEN). */
#define FW_SP_READ_MAX      0xFFFFFFUL

struct fw_serprog {
	uint8_t state;            /* enum fw_sp_state */
};

void fw_serprog_init(struct fw_serprog *s);
/*
 * Handle the bytes waiting outside a frame, using buf (n bytes, n >= 64)
 * for O_SPIOP data.  Returns 1 when it took an A5 (the session is over and
 * the caller starts a frame with it), 0 when nothing is waiting.
 */
uint8_t fw_serprog_poll(struct fw_serprog *s, uint8_t *buf, uint16_t n);

#ifdef __cplusplus
}
#endif
#endif
