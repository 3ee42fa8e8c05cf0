/*
 * spi_linux: a Linux spidev (/dev/spidevB.C: Raspberry Pi, BeagleBone, any
 * board with SPI pins) as a raw SPI master for dev.  One SPI_IOC_MESSAGE per
 * transaction, never more bytes than the kernel's spidev buffer
 * (/sys/module/spidev/parameters/bufsiz, 4096 unless changed).
 */
#ifndef SPI_LINUX_H
#define SPI_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "prog/hostseq.h"

#define SPI_LINUX_DEFAULT_HZ  2000000u
#define SPI_LINUX_BUFSIZ_PATH "/sys/module/spidev/parameters/bufsiz"
#define SPI_LINUX_BUFSIZ      4096u

/* ioctl(2) as the master calls it: the seam where tests put a fake spidev. */
typedef int (*spi_linux_ioctl_fn)(int fd, unsigned long request, void *arg);

/*
 * Open path (mode 0, 8 bits, at most hz, or SPI_LINUX_DEFAULT_HZ when 0),
 * read the kernel's buffer size, and start a dev session over it.  On
 * failure msg says why.  dev_close closes the device.
 */
int spi_linux_attach(struct prog *p, const char *path, uint32_t hz);
/* The same over an open descriptor, with the caller's ioctl and buffer size. */
int spi_linux_attach_fd(struct prog *p, int fd, uint32_t hz, size_t bufsiz,
			spi_linux_ioctl_fn io);

/* -p linux_spi: -d names the spidev */
extern const struct prog_driver prog_linux_spi_driver;

#endif
