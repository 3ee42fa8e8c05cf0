/*
 * proto_probe: talks the spiflash protocol directly to a device (the firmware
 * ELF in the emulator) over a tty and checks each request type, garbage on
 * the line, a truncated frame and resends.  Independent of the client, so a
 * firmware fault is not hidden behind client logic.
 *
 *   proto_probe DEVICE IMAGE
 *
 * IMAGE is the emulator's chip image file (mmap'd by the emulator), used to
 * check that what the device reports is what the chip holds.
 * Prints one line per check and "N passed, M failed" last.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "proto.h"

struct probe {
	int fd;
	uint8_t seq;
	int passed, failed;
	/* last response */
	uint8_t type;
	int8_t status;
	uint8_t data[PROTO_MAX_PAYLOAD];
	uint16_t len;
	int pendings;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void check(struct probe *p, int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	fflush(stdout);
	if (ok)
		p->passed++;
	else
		p->failed++;
}

static int open_tty(const char *dev)
{
	struct termios t;
	int fd = open(dev, O_RDWR | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetspeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void send_raw(struct probe *p, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(p->fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

/* Wait for a response of the given type and seq; 0 on timeout. */
static int wait_response(struct probe *p, uint8_t want_type, uint8_t seq, long timeout_ms)
{
	static uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	long deadline = now_ms() + timeout_ms;

	proto_dec_init(&d, body, sizeof(body));
	p->pendings = 0;
	while (now_ms() < deadline) {
		struct pollfd pfd = { p->fd, POLLIN, 0 };
		uint8_t buf[256];
		ssize_t n, i;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = read(p->fd, buf, sizeof(buf));
		for (i = 0; i < n; i++) {
			if (proto_dec_feed(&d, buf[i]) != PROTO_DEC_FRAME)
				continue;
			if (d.type == PROTO_OP_PENDING) {
				p->pendings++;
				deadline = now_ms() + timeout_ms;
				continue;
			}
			if (d.type != want_type || d.seq != seq)
				continue;
			p->type = d.type;
			p->status = (int8_t)d.payload[0];
			p->len = (uint16_t)(d.payload_len - 1);
			memcpy(p->data, d.payload + 1, p->len);
			return 1;
		}
	}
	return 0;
}

static int request_seq(struct probe *p, uint8_t type, uint8_t seq, const uint8_t *pl, size_t n)
{
	static uint8_t wire[PROTO_WIRE_MAX_LEN];
	size_t len = proto_encode(type, seq, pl, n, wire, sizeof(wire));

	send_raw(p, wire, len);
	return wait_response(p, type | PROTO_OP_RESPONSE, seq, 5000);
}

static int request(struct probe *p, uint8_t type, const uint8_t *pl, size_t n)
{
	return request_seq(p, type, ++p->seq, pl, n) && p->status == PROTO_OK;
}

static void drain(struct probe *p)
{
	uint8_t buf[256];
	struct pollfd pfd = { p->fd, POLLIN, 0 };

	while (poll(&pfd, 1, 100) > 0 && read(p->fd, buf, sizeof(buf)) > 0)
		;
}

static uint8_t *load_image(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *m;

	if (!f || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	m = malloc((size_t)st.st_size);
	if (m && fread(m, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(m);
		m = NULL;
	}
	fclose(f);
	*size = (size_t)st.st_size;
	return m;
}

/* Garbage, a truncated frame, a corrupted frame and its resend, requests
 * the device must refuse: it answers each as PROTOCOL.md says. */
static void probe_damage(struct probe *p, size_t img_size)
{
	uint8_t pl[16];
	size_t i;

	/* garbage, including SOF bytes and a lone EOF, then a correct exchange */
	{
		uint8_t junk[200];

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)(i * 73 + 29);
		junk[5] = PROTO_SOF;
		junk[150] = PROTO_EOF;
		junk[151] = PROTO_SOF;
		send_raw(p, junk, sizeof(junk));
		send_raw(p, (const uint8_t *)"\0", 1);
		drain(p);
		pl[0] = 3;
		check(p, request(p, PROTO_OP_JEDEC, pl, 1) && p->len == 3,
		      "garbage on the line, then a correct exchange");
	}

	/* a truncated frame, then silence: the device drops it on its own */
	{
		uint8_t wire[64];
		size_t n;

		pl[0] = 3;
		n = proto_encode(PROTO_OP_JEDEC, ++p->seq, pl, 1, wire, sizeof(wire));
		send_raw(p, wire, n - 3);
		usleep(400000);
		check(p, request(p, PROTO_OP_JEDEC, pl, 1) && p->len == 3,
		      "truncated frame dropped after silence");
	}

	/* a corrupted frame draws FRAME_ERR; the resend is answered */
	{
		uint8_t wire[64];
		size_t n;

		pl[0] = 3;
		n = proto_encode(PROTO_OP_JEDEC, ++p->seq, pl, 1, wire, sizeof(wire));
		wire[3] ^= 0x04;
		send_raw(p, wire, n);
		check(p, wait_response(p, PROTO_OP_FRAME_ERR, 0, 2000) && p->status == PROTO_E_CRC,
		      "corrupted frame answered with FRAME_ERR E_CRC");
		wire[3] ^= 0x04;
		send_raw(p, wire, n);
		check(p, wait_response(p, PROTO_OP_JEDEC | PROTO_OP_RESPONSE, p->seq, 2000) &&
		      p->status == PROTO_OK, "resend after FRAME_ERR answered");
	}

	proto_put32(pl, (uint32_t)img_size - 2);
	proto_put16(pl + 4, 4);
	check(p, request_seq(p, PROTO_OP_READ, ++p->seq, pl, 6) && p->status == PROTO_E_ARG,
	      "READ past the end of the chip refused with E_ARG");
	check(p, request_seq(p, 0x3D, ++p->seq, pl, 0) && p->status == PROTO_E_UNKNOWN_OP,
	      "unknown request answered with E_UNKNOWN_OP");

}

int main(int argc, char **argv)
{
	struct probe p = { 0 };
	uint8_t pl[PROTO_MAX_PAYLOAD], data[256];
	uint8_t *img;
	size_t img_size = 0, i;
	uint32_t addr = 0x3100 + 17;    /* crosses a page boundary */

	if (argc != 3) {
		fprintf(stderr, "usage: proto_probe DEVICE IMAGE\n");
		return 2;
	}
	p.fd = open_tty(argv[1]);
	if (p.fd < 0) {
		fprintf(stderr, "proto_probe: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 2;
	}
	drain(&p);

	pl[0] = PROTO_VERSION;
	check(&p, request(&p, PROTO_OP_HELLO, pl, 1) && p.len == PROTO_HELLO_LEN &&
	      p.data[0] == PROTO_VERSION, "HELLO answers with version 1");
	printf("   board '%.16s', max payload %u, firmware %u.%u.%u\n", (char *)p.data + 17,
	       proto_get16(p.data + 5), p.data[2], p.data[3], p.data[4]);

	img = load_image(argv[2], &img_size);
	check(&p, img != NULL && img_size >= 0x10000, "chip image readable");
	if (!img)
		goto out;

	pl[0] = 3;
	check(&p, request(&p, PROTO_OP_JEDEC, pl, 1) && p.len == 3, "JEDEC ID read");
	printf("   JEDEC ID %02x %02x %02x\n", p.data[0], p.data[1], p.data[2]);
	check(&p, !(p.data[0] == 0xFF && p.data[1] == 0xFF) && !(p.data[0] == 0 && p.data[1] == 0),
	      "JEDEC ID is a real ID");

	/* CHIP: tell the device the geometry of the emulated part */
	proto_put16(pl, 256);
	pl[2] = PROTO_ADDR_3;
	proto_put32(pl + 3, (uint32_t)img_size);
	proto_put16(pl + 7, 5);
	check(&p, request(&p, PROTO_OP_CHIP, pl, PROTO_CHIP_LEN), "CHIP geometry accepted");

	proto_put32(pl, 0);
	proto_put16(pl + 4, 512);
	check(&p, request(&p, PROTO_OP_READ, pl, 6) && p.len == 512 &&
	      memcmp(p.data, img, 512) == 0, "READ of 512 bytes matches the image");

	/* erase the sector, program across a page boundary, read back */
	proto_put32(pl, 0x3000);
	pl[4] = 0x20;
	proto_put32(pl + 5, 450);
	check(&p, request(&p, PROTO_OP_ERASE, pl, 9), "ERASE 4 KiB sector");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	proto_put32(pl, addr);
	memcpy(pl + 4, data, sizeof(data));
	check(&p, request(&p, PROTO_OP_PROGRAM, pl, 4 + sizeof(data)), "PROGRAM 256 bytes across a page");
	proto_put32(pl, addr);
	proto_put16(pl + 4, sizeof(data));
	check(&p, request(&p, PROTO_OP_READ, pl, 6) && p.len == sizeof(data) &&
	      memcmp(p.data, data, sizeof(data)) == 0, "READ back what was programmed");

	free(img);
	img = load_image(argv[2], &img_size);
	check(&p, img && memcmp(img + addr, data, sizeof(data)) == 0 &&
	      img[addr - 1] == 0xFF && img[addr + sizeof(data)] == 0xFF,
	      "chip image holds the bytes, neighbours erased");

	proto_put32(pl, 0x3000);
	proto_put32(pl + 4, 0x1000);
	check(&p, request(&p, PROTO_OP_CRC32, pl, 8) &&
	      proto_get32(p.data) == (uint32_t)crc32(0, img + 0x3000, 0x1000),
	      "CRC32 of the sector equals zlib's over the image");
	check(&p, request(&p, PROTO_OP_BLANK, pl, 8) && proto_get32(p.data) == addr,
	      "BLANK reports the first programmed byte");

	probe_damage(&p, img_size);

	{
		long t0 = now_ms();

		proto_put32(pl, 0x10000);
		pl[4] = 0xD8;
		proto_put32(pl + 5, 2000);
		check(&p, request(&p, PROTO_OP_ERASE, pl, 9), "ERASE 64 KiB block");
		printf("   64 KiB erase took %ld ms wall, %d keepalives\n", now_ms() - t0, p.pendings);
	}
out:
	free(img);
	close(p.fd);
	printf("%d passed, %d failed\n", p.passed, p.failed);
	return p.failed ? 1 : 0;
}
