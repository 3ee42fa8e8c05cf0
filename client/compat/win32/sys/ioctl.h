/*
 * sys/ioctl.h for the Windows build: only the terminal's width, which the
 * progress bar asks for with TIOCGWINSZ; plat_win32.c answers from the
 * console's window (GetConsoleScreenBufferInfo).
 */
#ifndef SPIFLASH_COMPAT_IOCTL_H
#define SPIFLASH_COMPAT_IOCTL_H

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TIOCGWINSZ 0x5413

int ioctl(int fd, unsigned long request, ...);

#endif
