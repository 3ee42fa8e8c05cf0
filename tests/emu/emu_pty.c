/*
 * emu_pty: the host's side of the bridge (emu_bridge.h), the pty a client
 * opens as its serial port: bytes read from it and written to it, whether a
 * client is there, unplugging and replugging.
 */
#define _GNU_SOURCE  /* ppoll */
#include "emu_bridge.h"
#include "emu_bridge_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void pty_read(struct emu_bridge *b)
{
	uint8_t buf[4096];
	uint32_t space = emu_ring_space(&b->to_dev);
	avr_cycle_count_t due = b->avr->cycle + b->latency;
	ssize_t n;

	/* Leave room for a duplicated byte; beyond that the pty buffers for us. */
	if (space < 2)
		return;
	n = read(b->master, buf, space - 1 < sizeof(buf) ? space - 1 : sizeof(buf));
	if (n < 0) {
		/* EIO: no client has the slave open; keep polling for the next. */
		if (errno == EIO)
			b->client = 0;
		return;
	}
	/* The host set its rate before writing these: look now, not later. */
	if (n > 0)
		emu_baud_host_refresh(b, 1);
	for (ssize_t i = 0; i < n; i++)
		if (emu_fault_enqueue(b, &b->to_dev, EMU_TO_DEV, buf[i], due) < 0)
			break;          /* cannot happen: space was reserved */
}

void emu_pty_write(struct emu_bridge *b)
{
	struct emu_ring *r = &b->from_dev;
	avr_cycle_count_t now = b->avr->cycle;
	uint8_t buf[4096];
	size_t n = 0;
	ssize_t w;

	while (n < sizeof(buf) && n < emu_ring_used(r)) {
		uint32_t i = (r->tail + (uint32_t)n) & EMU_RING_MASK;

		if (r->due[i] > now)
			break;
		buf[n++] = r->byte[i];
	}
	if (!n)
		return;
	if (!b->client || b->master < 0) {
		/* A closed port: nobody would see these, and a later client must not. */
		r->tail += (uint32_t)n;
		b->st.dropped_no_client += n;
		return;
	}
	w = write(b->master, buf, n);
	if (w > 0)
		r->tail += (uint32_t)w;
	else if (w < 0 && errno == EIO)
		b->client = 0;
	/* A short write: the host is not reading; wait for it, not for time. */
	b->out_blocked = w < (ssize_t)n;
}

void emu_pty_poll(struct emu_bridge *b)
{
	struct pollfd p = { .fd = b->master, .events = POLLIN };
	int was = b->client;

	if (b->master < 0) {
		b->client = 0;
		emu_pty_write(b);            /* drops what is due: unplugged */
		return;
	}
	if (emu_ring_ready(&b->from_dev, b->avr->cycle))
		p.events |= POLLOUT;
	if (poll(&p, 1, 0) < 0)
		return;
	/* POLLHUP on a master: no process has the slave open. */
	b->client = !(p.revents & POLLHUP);
	if (b->verbose && was != b->client)
		fprintf(stderr, "spiflash-emu: client %s\n",
			b->client ? "connected" : "gone");
	emu_baud_host_refresh(b, b->client && !was);
	if (p.revents & POLLIN)
		pty_read(b);
	if (p.events & POLLOUT)
		emu_pty_write(b);
}

int emu_bridge_wait(struct emu_bridge *b, uint64_t ns)
{
	struct pollfd p = { .fd = b->master, .events = POLLIN };
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };

	if (b->out_blocked)
		p.events |= POLLOUT;
	/*
	 * Without a client the master reports POLLHUP at once: plain sleep
	 * then (a new client is seen at the next tick, within 1 ms).
	 */
	if (b->master < 0 || !b->client)
		return nanosleep(&ts, NULL) != 0;
	return ppoll(&p, 1, &ts, NULL) != 0;
}

int emu_pty_open(struct emu_bridge *b, char *err, size_t errlen)
{
	struct termios tio;
	int slave = -1;

	if (openpty(&b->master, &slave, b->path, NULL, NULL) < 0) {
		b->master = -1;
		snprintf(err, errlen, "cannot open a pty: %s", strerror(errno));
		return -1;
	}
	/* Raw on the slave: the settings outlive our close of it. */
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	/* Closed, so that POLLHUP tells us when no client is connected. */
	close(slave);
	fcntl(b->master, F_SETFL, fcntl(b->master, F_GETFL) | O_NONBLOCK);
	fcntl(b->master, F_SETFD, FD_CLOEXEC);
	b->client = 0;
	b->out_blocked = 0;
	emu_baud_host_refresh(b, 1);
	return 0;
}

void emu_bridge_unplug(struct emu_bridge *b)
{
	if (b->master < 0)
		return;
	close(b->master);
	b->master = -1;
	b->client = 0;
	b->out_blocked = 0;
	b->host_baud = 0;
	b->mismatch = 0;
	/* What was inside the adapter dies with it. */
	b->st.dropped_no_client += emu_ring_used(&b->from_dev);
	b->to_dev.tail = b->to_dev.head;
	b->from_dev.tail = b->from_dev.head;
	b->st.unplugs++;
}

int emu_bridge_replug(struct emu_bridge *b, char *err, size_t errlen)
{
	if (b->master >= 0)
		return 0;
	return emu_pty_open(b, err, errlen);
}

void emu_bridge_free(struct emu_bridge *b)
{
	if (b->master >= 0)
		close(b->master);
	b->master = -1;
}
