/*
 * proto: the spiflash serial protocol codec, shared byte for byte by the
 * firmware and the client.  PROTOCOL.md is the specification; this file and
 * proto.c implement it.
 *
 * Plain C99 over <stdint.h>, <stddef.h> and <string.h>: no malloc, no I/O,
 * caller-provided buffers, so it builds unchanged with avr-gcc and on the host.
 *
 * A frame on the wire:   SOF  COBS(type seq payload crc16)  0x00
 * COBS removes every 0x00 from the body, so 0x00 always ends a frame and the
 * decoder resynchronises on the next one whatever garbage came before.
 * The CRC-16 (XMODEM) covers type, sequence number and payload; a frame
 * whose CRC fails is dropped whole.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROTO_VERSION       1     /* this codec's protocol version */
#define PROTO_SOF           0xA5  /* first byte of every frame */
#define PROTO_EOF           0x00  /* last byte of every frame */

#define PROTO_HDR_LEN       2     /* type, seq */
#define PROTO_CRC_LEN       2
/* Largest payload a frame may carry.  A device may advertise less in HELLO. */
#define PROTO_MAX_PAYLOAD   528
#define PROTO_MAX_BODY      (PROTO_HDR_LEN + PROTO_MAX_PAYLOAD + PROTO_CRC_LEN)
/* COBS adds one code byte per 254 data bytes, plus one. */
#define PROTO_COBS_MAX(n)   ((n) + (n) / 254 + 1)
/* Worst-case bytes on the wire for a frame of n payload bytes. */
#define PROTO_WIRE_MAX(n)   (1 + PROTO_COBS_MAX(PROTO_HDR_LEN + (n) + PROTO_CRC_LEN) + 1)
#define PROTO_WIRE_MAX_LEN  PROTO_WIRE_MAX(PROTO_MAX_PAYLOAD)

/* Frame types.  Requests are 0x01..0x3F; a response has bit 7 set. */
enum proto_op {
	PROTO_OP_HELLO      = 0x01, /* -> version, limits, capabilities */
	PROTO_OP_SPI_CLOCK  = 0x02, /* u32 hz wanted -> u32 hz set */
	PROTO_OP_CHIP       = 0x03, /* set geometry and timings (struct proto_chip) */
	PROTO_OP_JEDEC      = 0x04, /* u8 n -> n ID bytes (9Fh) */
	PROTO_OP_SFDP       = 0x05, /* u32 addr, u16 len -> data (5Ah) */
	PROTO_OP_READ       = 0x06, /* u32 addr, u16 len -> data */
	PROTO_OP_PROGRAM    = 0x07, /* u32 addr, data -> (page program, split at pages) */
	PROTO_OP_ERASE      = 0x08, /* u32 addr, u8 opcode, u32 max_ms -> */
	PROTO_OP_READ_SR    = 0x09, /* u8 opcode -> u8 value */
	PROTO_OP_WRITE_SR   = 0x0A, /* u8 opcode, u8 flags, u8 n, n bytes, u16 max_ms -> */
	PROTO_OP_CRC32      = 0x0B, /* u32 addr, u32 len -> u32 crc */
	PROTO_OP_BLANK      = 0x0C, /* u32 addr, u32 len -> u32 first non-FF or FFFFFFFF */
	PROTO_OP_XFER       = 0x0D, /* u16 rlen, wdata -> rdata (one CS-low transaction) */
	PROTO_OP_PING       = 0x0E, /* any payload -> the same payload (link test) */
	PROTO_OP_SET_BAUD   = 0x0F, /* u32 baud -> u32 baud set; switch after the answer */
	PROTO_OP_READ_STREAM = 0x10, /* u32 addr, u32 len, u16 block, u8 flags -> DATA... END */
	PROTO_OP_CRC32_MULTI = 0x11, /* u32 addr, u16 count, u32 unit -> count x u32 CRC */
	PROTO_OP_DIAG       = 0x12, /* u8 flags, u32 addr -> wiring and supply readings */
	PROTO_OP_SET_PAD    = 0x13, /* u8 n -> u8 n set: n filler bytes after each answer */

	PROTO_OP_RESPONSE   = 0x80, /* response type = request type | 0x80 */
	PROTO_OP_DATA       = 0xD0, /* stream block: u32 check of the previous block, data */
	PROTO_OP_DATA_BLANK = 0xD1, /* stream block, all FF: u32 check, u16 length */
	PROTO_OP_PENDING    = 0xC0, /* device still working on request seq (keepalive) */
	PROTO_OP_READY      = 0xC1, /* sent once at start-up: u8 version */
	PROTO_OP_FRAME_ERR  = 0xFF, /* a frame arrived damaged: i8 status */
};

/* Status codes: 0 or negative, the first byte of every response payload. */
enum proto_status {
	PROTO_OK            =  0,
	PROTO_E_CRC         = -1,  /* frame CRC mismatch */
	PROTO_E_FRAMING     = -2,  /* bad COBS, too short */
	PROTO_E_OVERSIZE    = -3,  /* frame longer than the device buffer */
	PROTO_E_UNKNOWN_OP  = -4,  /* request type not implemented */
	PROTO_E_ARG         = -5,  /* malformed or out-of-range arguments */
	PROTO_E_TIMEOUT     = -6,  /* chip stayed busy past its deadline */
	PROTO_E_WEL         = -7,  /* write enable did not latch (protected, no chip) */
	PROTO_E_CHIP        = -8,  /* chip answered nonsense (e.g. MISO stuck) */
	PROTO_E_BUSY        = -9,  /* chip still busy from an earlier operation */
	PROTO_E_ABORTED     = -10, /* a stream stopped because the host sent a byte */
};

/* Capability bits reported by HELLO. */
enum proto_caps {
	PROTO_CAP_CRC32     = 1u << 0,
	PROTO_CAP_BLANK     = 1u << 1,
	PROTO_CAP_XFER      = 1u << 2,
	PROTO_CAP_SFDP      = 1u << 3,
	PROTO_CAP_ADDR4     = 1u << 4,
	PROTO_CAP_PENDING   = 1u << 5,  /* sends PENDING keepalives */
	PROTO_CAP_STREAM    = 1u << 6,  /* READ_STREAM */
	PROTO_CAP_BAUD      = 1u << 7,  /* SET_BAUD */
	PROTO_CAP_PIPELINE  = 1u << 8,  /* several requests in flight, within rx_buffer */
	PROTO_CAP_CRC32_MULTI = 1u << 9, /* CRC32_MULTI */
	PROTO_CAP_DIAG      = 1u << 10, /* DIAG */
	PROTO_CAP_STREAM_CMP = 1u << 11, /* READ_STREAM flag PROTO_STREAM_CMP */
	PROTO_CAP_PAD       = 1u << 12, /* SET_PAD */
	PROTO_CAP_CRC_SPAN  = 1u << 13, /* CRC32_MULTI with a span (a sample of each unit) */
	PROTO_CAP_BLANK_RUN = 1u << 14, /* READ_STREAM flag PROTO_STREAM_BLANK_RUN */
	PROTO_CAP_RX3       = 1u << 15, /* a third receive buffer for PROGRAMs, beyond rx_buffer */
};

/* READ_STREAM flags */
#define PROTO_STREAM_CHECK  0x01   /* second read of each block, CRC-32 sent */
#define PROTO_STREAM_SKIP_BLANK 0x02 /* all-FF blocks sent as DATA_BLANK */
/* With PROTO_STREAM_CHECK: the device compares the second read with the
 * first itself; the check is CRC-32 of the block's address (4 bytes, LE)
 * when they are equal, its complement when they differ */
#define PROTO_STREAM_CMP    0x04
/* With PROTO_STREAM_SKIP_BLANK and PROTO_STREAM_CMP: a run of blank blocks
 * may come as one DATA_BLANK frame that names its address and length */
#define PROTO_STREAM_BLANK_RUN 0x08

/* DIAG flags: what to load the supply with while A0 is sampled */
#define PROTO_DIAG_LOAD     0x01   /* a status-register read loop, chip selected */
#define PROTO_DIAG_ERASE    0x02   /* erase the 4 KiB sector at addr (destroys it) */

/* WRITE_SR flags */
#define PROTO_WSR_VOLATILE  0x01   /* enable with 50h instead of 06h */

/* Address modes for PROTO_OP_CHIP */
enum proto_addr_mode {
	PROTO_ADDR_3       = 0,  /* 3-byte addresses only */
	PROTO_ADDR_4_NATIVE = 1, /* 4-byte opcodes (13h, 12h, 21h, 5Ch, DCh) above 16 MiB */
	PROTO_ADDR_4_MODE  = 2,  /* B7h before, E9h after each access above 16 MiB */
};

/* HELLO response, after the status byte. */
struct proto_hello {
	uint8_t proto_version;      /* PROTO_VERSION of the device */
	uint8_t proto_min;          /* oldest version the device still speaks */
	uint8_t fw_major, fw_minor, fw_patch;
	uint16_t max_payload;       /* largest request payload the device accepts */
	uint16_t rx_buffer;         /* bytes the device can hold unread */
	uint32_t caps;              /* enum proto_caps */
	uint32_t f_cpu;             /* Hz */
	char board[17];             /* NUL-terminated, e.g. "uno" */
	uint16_t max_read;          /* largest READ/SFDP/XFER answer, stream block */
};
#define PROTO_HELLO_LEN     (1 + 1 + 3 + 2 + 2 + 4 + 4 + 16 + 2)
/* The first firmware had no max_read: a host accepts the shorter HELLO and
 * takes max_payload - 1. */
#define PROTO_HELLO_LEN_MIN (1 + 1 + 3 + 2 + 2 + 4 + 4 + 16)

/* CHIP request: what the device needs to sequence program and erase. */
struct proto_chip {
	uint16_t page_size;         /* power of two, <= 256 */
	uint8_t addr_mode;          /* enum proto_addr_mode */
	uint32_t size;              /* bytes */
	uint16_t t_page_max_ms;     /* page program deadline */
};
#define PROTO_CHIP_LEN      (2 + 1 + 4 + 2)

/* CRC-16/XMODEM (poly 0x1021, init 0): "123456789" -> 0x31C3. */
uint16_t proto_crc16_update(uint16_t crc, uint8_t byte);
uint16_t proto_crc16(const uint8_t *buf, size_t len);
#ifdef __AVR__
/* Its table on the AVR, in flash, defined by the firmware
 * (hal_arduino_loops.cpp): crc = (crc << 8) ^ T[(crc >> 8) ^ byte], the
 * high bytes of T in [0], the low bytes in [1], each on a 256-byte boundary. */
extern const uint8_t proto_crc16_tab[2][256];
#endif

/* CRC-32 as zlib computes it (IEEE 802.3, reflected): "123456789" -> 0xCBF43926.
 * Used for flash contents, so the host can check a device CRC with zlib. */
uint32_t proto_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);
/* Its table, for loops that fuse the CRC with another transfer:
 * crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF].  On the AVR it is in flash
 * (PROGMEM), sliced by byte (slice k holds byte k of each entry, each slice
 * on a 256-byte boundary) and defined by the firmware (hal_arduino_loops.cpp). */
#ifdef __AVR__
extern const uint8_t proto_crc32_slices[4][256];
#else
extern const uint32_t proto_crc32_table[256];
#endif

/* Little-endian field packing. */
static inline void proto_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void proto_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
static inline uint16_t proto_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}
static inline uint32_t proto_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * Encode one frame into out (capacity out_cap).  Returns the number of wire
 * bytes, or 0 if out is too small or payload_len > PROTO_MAX_PAYLOAD.
 */
size_t proto_encode(uint8_t type, uint8_t seq, const uint8_t *payload,
		    size_t payload_len, uint8_t *out, size_t out_cap);

/*
 * Encode in place: the caller has put the payload at
 * buf + PROTO_INPLACE_PAYLOAD, and the frame is built over it from buf[0],
 * so a large answer needs one buffer, not two.  cap must be at least
 * PROTO_INPLACE_PAYLOAD + payload_len + PROTO_CRC_LEN and
 * PROTO_WIRE_MAX(payload_len).  Returns the wire length, or 0.
 *
 * It works because COBS output never overtakes its input by more than the
 * code bytes: output byte i lands at most at 2 + i + i / 254, and the body
 * starts PROTO_INPLACE_OFS bytes in.
 */
#define PROTO_INPLACE_OFS      (3 + PROTO_MAX_BODY / 254)
#define PROTO_INPLACE_PAYLOAD  (PROTO_INPLACE_OFS + PROTO_HDR_LEN)
size_t proto_encode_inplace(uint8_t *buf, size_t cap, uint8_t type, uint8_t seq,
			    size_t payload_len);

/*
 * Incremental decoder: feed it every received byte; it reports a complete,
 * CRC-checked frame, a damaged one, or nothing yet.  body must hold cap bytes
 * (at least PROTO_HDR_LEN + PROTO_CRC_LEN); a frame that would not fit is
 * rejected as soon as it overflows, before anything past cap is touched.
 */
enum proto_dec_result {
	PROTO_DEC_NONE = 0,    /* need more bytes */
	PROTO_DEC_FRAME = 1,   /* a good frame: type, seq, payload, len valid */
	PROTO_DEC_ERROR = -1,  /* a damaged frame was dropped: err says why */
};

struct proto_dec {
	uint8_t *body;        /* decoded type, seq, payload, crc */
	uint16_t cap;
	uint16_t len;         /* decoded bytes so far */
	uint8_t state;        /* private */
	uint8_t code;         /* private: COBS code of the current block */
	uint8_t left;         /* private: bytes left in the current block */
	uint16_t crc;         /* private: CRC-16 of body[0 .. len - 3], kept as
			       * bytes land (the last two are the CRC itself) */
	int8_t err;           /* enum proto_status of the last PROTO_DEC_ERROR */
	/* valid after PROTO_DEC_FRAME */
	uint8_t type;
	uint8_t seq;
	uint8_t *payload;
	uint16_t payload_len;
};

void proto_dec_init(struct proto_dec *d, uint8_t *body, uint16_t cap);
/* Drop any partial frame (e.g. after an inter-byte timeout). */
void proto_dec_reset(struct proto_dec *d);
/* Nonzero while a frame has started and not yet ended. */
int proto_dec_busy(const struct proto_dec *d);
enum proto_dec_result proto_dec_feed(struct proto_dec *d, uint8_t byte);
/*
 * Feed up to n bytes; stops after the byte that completes or breaks a frame.
 * Returns the bytes consumed and sets *res as proto_dec_feed would for the
 * last of them.  The same result as feeding one by one, several times faster
 * for the data inside a frame: at 2 Mbaud an AVR has 88 cycles a byte.
 */
size_t proto_dec_feed_buf(struct proto_dec *d, const uint8_t *p, size_t n,
			  enum proto_dec_result *res);

const char *proto_status_str(int status);

#ifdef __cplusplus
}
#endif
#endif
