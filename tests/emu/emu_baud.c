/*
 * emu_baud: the host's line rate as set on the pty, and whether two UARTs
 * at two rates still understand each other.
 */
#include "emu_baud.h"

#include <stddef.h>
#include <sys/ioctl.h>
#include <termios.h>

/* Two UARTs more than this far apart (percent) no longer frame bytes. */
#define BAUD_TOLERANCE_PCT 3

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
