/*
 * spi_linux: spidev as a raw SPI master.  A transaction is one
 * SPI_IOC_MESSAGE of up to two transfers (write, then read) with chip
 * select held between them; the kernel refuses a message whose transfers
 * add up to more than its buffer, so the limits are set from it.
 */
#include "prog/spi_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/spi/spidev.h>

struct spi_linux {
	struct spi_master m;
	int fd;
	uint32_t hz;
	size_t bufsiz;
	spi_linux_ioctl_fn io;
};

static int sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg);
}

static int sl_xfer(void *ctx, const uint8_t *w, size_t wn, uint8_t *r, size_t rn)
{
	struct spi_linux *s = ctx;
	struct spi_ioc_transfer tr[2];
	unsigned n = 0;

	if (wn + rn > s->bufsiz)
		return DEV_E_ARG;
	if (!wn && !rn)
		return DEV_OK;
	memset(tr, 0, sizeof(tr));
	if (wn) {
		tr[n].tx_buf = (uintptr_t)w;
		tr[n].len = (uint32_t)wn;
		tr[n].speed_hz = s->hz;
		tr[n].bits_per_word = 8;
		n++;
	}
	if (rn) {
		tr[n].rx_buf = (uintptr_t)r;
		tr[n].len = (uint32_t)rn;
		tr[n].speed_hz = s->hz;
		tr[n].bits_per_word = 8;
		n++;
	}
	/* the kernel clocks out zeros while reading; flash ignores them */
	if (s->io(s->fd, SPI_IOC_MESSAGE(n), tr) < 0)
		return DEV_E_LINK;
	return DEV_OK;
}

static int sl_set_clock(void *ctx, uint32_t hz, uint32_t *set)
{
	struct spi_linux *s = ctx;
	uint32_t v = hz;

	if (!hz || s->io(s->fd, SPI_IOC_WR_MAX_SPEED_HZ, &v) < 0)
		return DEV_E_REMOTE + PROTO_E_ARG;
	s->hz = hz;
	if (set)
		*set = hz;
	return DEV_OK;
}

static void sl_close(void *ctx)
{
	struct spi_linux *s = ctx;

	close(s->fd);
	free(s);
}

static int fail(char *msg, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *msg, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return err;
}

int spi_linux_attach_fd(struct prog *p, int fd, uint32_t hz, size_t bufsiz,
			spi_linux_ioctl_fn io)
{
	char *msg = p->msg;
	size_t msglen = sizeof(p->msg);
	struct spi_linux *s;
	uint8_t mode = SPI_MODE_0, bits = 8;
	int err;

	if (bufsiz < 64)
		return fail(msg, msglen, DEV_E_ARG, "spidev buffer of %zu bytes is too small", bufsiz);
	s = calloc(1, sizeof(*s));
	if (!s)
		return fail(msg, msglen, DEV_E_ARG, "out of memory");
	s->fd = fd;
	s->io = io ? io : sys_ioctl;
	s->hz = hz ? hz : SPI_LINUX_DEFAULT_HZ;
	s->bufsiz = bufsiz;
	s->m.name = "linux_spi";
	s->m.xfer = sl_xfer;
	s->m.close = sl_close;
	s->m.set_clock = sl_set_clock;
	/* room for an opcode and address in the same message */
	s->m.max_write = bufsiz - 8;
	s->m.max_read = bufsiz - 8;
	if (s->io(fd, SPI_IOC_WR_MODE, &mode) < 0 || s->io(fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
	    s->io(fd, SPI_IOC_WR_MAX_SPEED_HZ, &s->hz) < 0) {
		err = fail(msg, msglen, DEV_E_LINK, "cannot set SPI mode 0, 8 bits, %u Hz: %s",
			   (unsigned)s->hz, strerror(errno));
		free(s);
		return err;
	}
	/* a byte costs 8 clocks on SPI, 10 bit times on a serial line */
	err = hostseq_attach(p, &s->m, s, s->hz / 8 * 10, 0);
	if (err) {
		free(s);
		return fail(msg, msglen, err, "cannot start a session on the spidev");
	}
	return DEV_OK;
}

/* The kernel's limit on one message, 4096 unless the module was loaded
 * with another bufsiz. */
static size_t read_bufsiz(void)
{
	FILE *f = fopen(SPI_LINUX_BUFSIZ_PATH, "r");
	unsigned long v = 0;

	if (!f)
		return SPI_LINUX_BUFSIZ;
	if (fscanf(f, "%lu", &v) != 1 || v < 64)
		v = SPI_LINUX_BUFSIZ;
	fclose(f);
	return v;
}

int spi_linux_attach(struct prog *p, const char *path, uint32_t hz)
{
	char *msg = p->msg;
	size_t msglen = sizeof(p->msg);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0)
		return fail(msg, msglen, DEV_E_LINK, "cannot open '%s': %s%s", path, strerror(errno),
			    errno == ENOENT ? "; enable SPI (raspi-config, config-pin) and see README" :
			    errno == EACCES ? "; add yourself to the 'spi' group" : "");
	err = spi_linux_attach_fd(p, fd, hz, read_bufsiz(), NULL);
	if (err)
		close(fd);
	return err;
}

static int linux_spi_open(struct prog *p, const struct prog_params *pp)
{
	return spi_linux_attach(p, pp->device, pp->spi_hz);
}

const struct prog_driver prog_linux_spi_driver = {
	.name = "linux_spi",
	.needs_device = 1,
	.open = linux_spi_open,
};
