/*
 * emu_baud: the host's line rate as set on the pty, and whether two UARTs
 * at two rates still understand each other; for the bridge, the AVR's rate
 * from its registers and the noise a byte becomes when the two disagree.
 */
#include "emu_baud.h"
#include "emu_bridge_int.h"
#include "emu_clock.h"

#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>

/* Two UARTs more than this far apart (percent) no longer frame bytes. */
#define BAUD_TOLERANCE_PCT 3

/* How often (wall clock) to look at the host's termios rate while idle. */
#define HOST_BAUD_POLL_NS 1000000u

/*
 * The kernel's struct termios2 in the asm-generic layout (x86, arm, arm64,
 * riscv), declared here because <asm/termbits.h> clashes with <termios.h>.
 * TCGETS2 reports the rate as a number, BOTHER rates such as 250000 (which
 * cfgetospeed() cannot name) included; on a pty master it reports the
 * slave's settings, which is where the client sets them.
 */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
	defined(__arm__) || defined(__riscv)
struct emu_termios2 {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[19];
	speed_t c_ispeed, c_ospeed;
};
#define EMU_TCGETS2 _IOR('T', 0x2A, struct emu_termios2)
#endif

/* The host's rate in baud, or 0 if it cannot be told (then nothing garbles). */
uint32_t emu_host_baud(int fd)
{
	static const struct { speed_t sp; uint32_t baud; } map[] = {
		{ B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 }, { B57600, 57600 },
		{ B115200, 115200 }, { B230400, 230400 }, { B460800, 460800 },
		{ B500000, 500000 }, { B576000, 576000 }, { B921600, 921600 },
		{ B1000000, 1000000 }, { B1152000, 1152000 }, { B1500000, 1500000 },
		{ B2000000, 2000000 }, { B2500000, 2500000 }, { B3000000, 3000000 },
	};
	struct termios tio;
	speed_t sp;

#ifdef EMU_TCGETS2
	struct emu_termios2 t2;

	if (ioctl(fd, EMU_TCGETS2, &t2) == 0)
		return t2.c_ospeed;
#endif
	if (tcgetattr(fd, &tio) < 0)
		return 0;
	sp = cfgetospeed(&tio);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sp == sp)
			return map[i].baud;
	return 0;          /* BOTHER or unknown: assume the host knows best */
}

int emu_baud_mismatch(uint32_t a, uint32_t b)
{
	return (uint64_t)(a > b ? a - b : b - a) * 100u > (uint64_t)b * BAUD_TOLERANCE_PCT;
}

/* ---- the bridge's line rates ---- */

void emu_baud_host_refresh(struct emu_bridge *b, int force)
{
	uint64_t now = emu_wall_ns();

	if (b->master < 0 || (!force && now - b->host_baud_ns < HOST_BAUD_POLL_NS))
		return;
	b->host_baud_ns = now;
	b->host_baud = emu_host_baud(b->master);
}

/* The AVR's rate as the datasheet computes it from UBRR and U2X. */
static uint32_t avr_baud(const struct emu_bridge *b)
{
	avr_t *avr = b->avr;
	uint32_t ubrr = avr_regbit_get(avr, b->uart->ubrrl) |
			(uint32_t)avr_regbit_get(avr, b->uart->ubrrh) << 8;

	return avr->frequency / ((avr_regbit_get(avr, b->uart->u2x) ? 8u : 16u) * (ubrr + 1));
}

/* simavr counts 11 bits a byte (8N1 plus the parity bit it always adds). */
void emu_baud_avr_changed(struct emu_bridge *b, avr_cycle_count_t cpb)
{
	uint32_t baud = avr_baud(b);
	uint32_t hint = b->baud_hint;

	b->cycles_per_byte = cpb;
	if (b->verbose)
		fprintf(stderr, "spiflash-emu: UART0 at %u baud (%llu cycles a byte)\n",
			baud, (unsigned long long)cpb);
	if (hint && (baud > hint + hint / 32 || baud < hint - hint / 32))
		fprintf(stderr, "spiflash-emu: warning: firmware set UART0 to %u baud, "
			"not the %u of --baud\n", baud, hint);
}

/*
 * Checked per byte at the moment it is on the wire, so a rate change
 * mid-stream garbles exactly the bytes that cross it.
 */
int emu_baud_garbles(struct emu_bridge *b)
{
	uint32_t host = b->host_baud, dev;
	int bad;

	/* Nobody on the line: the bytes are dropped anyway, say nothing. */
	if (!b->baud_check || !host || !b->client)
		return 0;
	dev = avr_baud(b);
	bad = emu_baud_mismatch(host, dev);
	if (bad != b->mismatch && (bad || b->verbose))
		fprintf(stderr, bad ? "spiflash-emu: host at %u baud, UART0 at %u: "
			"bytes garbled both ways (--no-baud-check to allow)\n" :
			"spiflash-emu: host at %u baud, UART0 at %u: rates agree\n",
			host, dev);
	b->mismatch = bad;
	return bad;
}

uint8_t emu_baud_noise(struct emu_bridge *b, uint8_t byte)
{
	return byte ^ (uint8_t)(1u + emu_rng_next(&b->noise) % 255u);
}
