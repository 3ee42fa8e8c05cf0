/*
 * link_tty: the termios back end, for pseudo-terminals (the emulator, socat)
 * and any tty libserialport will not open.  poll() bounds every wait.
 */
#include "transport/link.h"
#include "transport/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct tty {
	int fd;
	struct termios saved;   /* as found: put back at close */
	int have_saved;
};


static speed_t speed_of(uint32_t baud)
{
	static const struct { uint32_t baud; speed_t sp; } map[] = {
		{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
		{ 115200, B115200 }, { 230400, B230400 },
		/* Linux's; macOS's termios stops at 230400 (libserialport, which real
		 * ports use there, sets faster rates with IOSSIOSPEED): on a pty
		 * there the sketch stays at its boot rate */
#ifdef B2000000
		{ 460800, B460800 }, { 500000, B500000 }, { 921600, B921600 },
		{ 1000000, B1000000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
#endif
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].baud == baud)
			return map[i].sp;
	return 0;
}

static int tty_set_baud(void *ctx, uint32_t baud)
{
	struct tty *t = ctx;
	struct termios tio;
	speed_t sp = speed_of(baud);

	if (!sp || tcgetattr(t->fd, &tio))
		return LINK_E_CONFIG;
	cfsetispeed(&tio, sp);
	cfsetospeed(&tio, sp);
	if (tcsetattr(t->fd, TCSANOW, &tio))
		return LINK_E_CONFIG;
	return LINK_OK;
}

static void tty_close(void *ctx)
{
	struct tty *t = ctx;

	if (!t)
		return;
	/* The next program on this port inherits its settings: flashrom sets
	 * no VMIN, and with ours (0) its blocking reads spin. */
	if (t->have_saved)
		tcsetattr(t->fd, TCSADRAIN, &t->saved);
	close(t->fd);
	free(t);
}

static int tty_read(void *ctx, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct tty *t = ctx;
	struct pollfd p = { t->fd, POLLIN, 0 };
	ssize_t n;
	int r;

	r = poll(&p, 1, (int)timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : LINK_E_IO;
	if (r == 0)
		return 0;
	if (p.revents & (POLLERR | POLLNVAL))
		return LINK_E_IO;
	n = read(t->fd, buf, len);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : LINK_E_IO;
	if (n == 0 && (p.revents & POLLHUP))
		return LINK_E_IO;   /* the other side of the pty went away */
	return (int)n;
}

static int tty_write(void *ctx, const uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct tty *t = ctx;
	uint64_t deadline = clock_ms() + timeout_ms;
	size_t done = 0;

	while (done < len) {
		struct pollfd p = { t->fd, POLLOUT, 0 };
		uint64_t now = clock_ms();
		ssize_t n;
		int r;

		if (now >= deadline)
			return LINK_E_TIMEOUT;
		r = poll(&p, 1, (int)(deadline - now));
		if (r < 0 && errno != EINTR)
			return LINK_E_IO;
		if (r <= 0)
			continue;
		if (p.revents & (POLLERR | POLLNVAL | POLLHUP))
			return LINK_E_IO;
		n = write(t->fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return LINK_E_IO;
		}
		done += (size_t)n;
	}
	return LINK_OK;
}

static int tty_flush_input(void *ctx)
{
	struct tty *t = ctx;

	return tcflush(t->fd, TCIFLUSH) ? LINK_E_IO : LINK_OK;
}

static const struct link_ops tty_ops = {
	.name = "termios",
	.close = tty_close,
	.read = tty_read,
	.write = tty_write,
	.flush_input = tty_flush_input,
	.set_baud = tty_set_baud,
};

int link_tty_open(struct link *l, const char *path, uint32_t baud)
{
	struct termios tio;
	struct tty *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return LINK_E_NOMEM;
	t->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(l->detail, sizeof(l->detail), "%s", strerror(errno));
		err = errno == ENOENT ? LINK_E_NOENT : LINK_E_OPEN;
		free(t);
		return err;
	}
	if (tcgetattr(t->fd, &tio)) {
		snprintf(l->detail, sizeof(l->detail), "%s", strerror(errno));
		err = LINK_E_NOTTY;
		goto fail;
	}
	t->saved = tio;
	t->have_saved = 1;
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(t->fd, TCSANOW, &tio)) {
		snprintf(l->detail, sizeof(l->detail), "%s", strerror(errno));
		err = LINK_E_CONFIG;
		goto fail;
	}
	if (tty_set_baud(t, baud)) {
		snprintf(l->detail, sizeof(l->detail), "unsupported baud rate %u", (unsigned)baud);
		err = LINK_E_CONFIG;
		goto fail;
	}
	l->ops = &tty_ops;
	l->ctx = t;
	bridge_open(&l->bridge, path, t->fd, "/sys");
	return LINK_OK;
fail:
	tty_close(t);
	return err;
}
