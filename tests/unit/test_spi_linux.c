/*
 * -p linux_spi without a spidev: spi_linux's ioctl seam drives a fake
 * spidev over the strict chip model (fc_select / fc_transfer /
 * fc_deselect), and the whole client stack runs on it: hostseq's host-side
 * sequencing and the ops algorithms.  The fake enforces what the kernel
 * does: mode 0 and 8 bits set, no message over bufsiz.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <cmocka.h>
#include <linux/spi/spidev.h>

#include "prog/dev.h"
#include "core/ops.h"
#include "prog/spi_linux.h"
#include "flashchip.h"

/* The fake device.  ioctl(2) passes only the descriptor, so the fake is
 * reached through this pointer, as a driver's state is reached in the
 * kernel; each test sets it up. */
static struct fake {
	struct fc_chip chip;
	uint8_t *mem;
	size_t bufsiz;
	uint8_t mode, bits;
	uint32_t hz;
	int miso;               /* -1: the chip answers; 0 or 0xFF: stuck */
	size_t max_total;       /* largest message seen */
	unsigned messages;
	uint64_t t0;
} *fk;

/* The chip's clock: wall time, 20 times faster, so erases do not slow the
 * test while hostseq's deadlines (wall time) stay honest. */
static uint64_t chip_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec - fk->t0) * 20u;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct spi_ioc_transfer *tr = arg;
	size_t total = 0, i, k, n;

	(void)fd;
	if (req == SPI_IOC_WR_MODE) {
		fk->mode = *(uint8_t *)arg;
		return 0;
	}
	if (req == SPI_IOC_WR_BITS_PER_WORD) {
		fk->bits = *(uint8_t *)arg;
		return 0;
	}
	if (req == SPI_IOC_WR_MAX_SPEED_HZ) {
		fk->hz = *(uint32_t *)arg;
		return 0;
	}
	if (_IOC_TYPE(req) != SPI_IOC_MAGIC || _IOC_NR(req) != 0) {
		errno = ENOTTY;
		return -1;
	}
	n = _IOC_SIZE(req) / sizeof(*tr);
	for (k = 0; k < n; k++)
		total += tr[k].len;
	/* spidev refuses a message larger than its buffer */
	if (total > fk->bufsiz || fk->mode != SPI_MODE_0 || fk->bits != 8) {
		errno = EMSGSIZE;
		return -1;
	}
	if (total > fk->max_total)
		fk->max_total = total;
	fk->messages++;
	fc_select(&fk->chip, chip_ns());
	for (k = 0; k < n; k++) {
		const uint8_t *tx = (const uint8_t *)(uintptr_t)tr[k].tx_buf;
		uint8_t *rx = (uint8_t *)(uintptr_t)tr[k].rx_buf;

		for (i = 0; i < tr[k].len; i++) {
			/* no tx_buf: the kernel clocks out zeros */
			uint8_t in = fc_transfer(&fk->chip, tx ? tx[i] : 0x00, chip_ns());

			if (rx)
				rx[i] = fk->miso < 0 ? in : (uint8_t)fk->miso;
		}
	}
	fc_deselect(&fk->chip, chip_ns());
	return (int)total;
}

struct bench {
	struct fake fake;
	struct prog prog;
	struct ops ops;
	char msg[200];
};

static struct bench *bench_new(const char *part, size_t bufsiz)
{
	struct bench *b = calloc(1, sizeof(*b));
	const struct fc_part *p = fc_part_find(part);
	struct timespec ts;

	assert_non_null(b);
	assert_non_null(p);
	fk = &b->fake;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fk->t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	fk->mem = malloc(p->size);
	assert_non_null(fk->mem);
	memset(fk->mem, 0xFF, p->size);
	fc_init(&fk->chip, p, fk->mem, 0);
	fk->bufsiz = bufsiz;
	fk->miso = -1;
	fk->mode = 0xFF;
	/* fd -1: never touched, the fake ioctl ignores it; dev_close closes
	 * it, which fails harmlessly with EBADF */
	assert_int_equal(spi_linux_attach_fd(&b->prog, -1, 8000000, bufsiz, fake_ioctl), 0);
	ops_init(&b->ops, &b->prog, NULL, NULL);
	return b;
}

static void bench_free(struct bench *b)
{
	prog_close(&b->prog);
	free(b->fake.mem);
	free(b);
	fk = NULL;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static void test_attach_sets_mode_and_speed(void **state)
{
	struct bench *b = bench_new("W25Q80", 4096);

	(void)state;
	assert_int_equal(fk->mode, SPI_MODE_0);
	assert_int_equal(fk->bits, 8);
	assert_int_equal(fk->hz, 8000000);
	{
		struct prog_desc d;

		prog_describe(&b->prog, &d);
		assert_non_null(strstr(d.lines[0], "linux_spi, host-side sequencing"));
	}
	assert_true(b->prog.caps & PROTO_CAP_CRC32);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_string_equal(b->ops.chip.name, "W25Q80");
	bench_free(b);
}

/* write (erase + program, unaligned), read back, verify, erase */
static void test_write_read_verify(void **state)
{
	struct bench *b = bench_new("W25Q80", 4096);
	uint32_t addr = 0x1234, len = 3 * 4096 + 777;
	uint8_t *want = malloc(len), *got = malloc(len);

	(void)state;
	fill(want, len, 7);
	memset(fk->mem, 0x00, 0x10000);         /* not blank: erases needed */
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, addr, want, len, 1), 0);
	assert_memory_equal(fk->mem + addr, want, len);
	assert_int_equal(fk->mem[addr - 1], 0x00);  /* bytes around it kept */
	assert_int_equal(fk->mem[addr + len], 0x00);
	assert_int_equal(ops_read(&b->ops, addr, got, len), 0);
	assert_memory_equal(got, want, len);
	assert_int_equal(ops_verify(&b->ops, addr, want, len), 0);
	fk->mem[addr + 100] ^= 0x01;
	assert_int_equal(ops_verify(&b->ops, addr, want, len), OPS_E_MISMATCH);
	assert_int_equal(b->ops.bad_addr, addr + 100);
	assert_int_equal(ops_erase(&b->ops, 0x4000, 0x1000, 1), 0);
	assert_int_equal(ops_blank(&b->ops, 0x4000, 0x1000), 0);
	assert_true(fk->max_total <= 4096);
	free(want);
	free(got);
	bench_free(b);
}

/* A kernel built with a small bufsiz: every message stays within it. */
static void test_small_bufsiz_respected(void **state)
{
	struct bench *b = bench_new("W25Q80", 200);
	uint8_t want[4096], got[4096];

	(void)state;
	fill(want, sizeof(want), 3);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, 0x20000, want, sizeof(want), 1), 0);
	assert_int_equal(ops_read(&b->ops, 0x20000, got, sizeof(got)), 0);
	assert_memory_equal(got, want, sizeof(want));
	assert_true(fk->max_total <= 200);
	bench_free(b);
}

/* Above 16 MiB: 4-byte addresses as the chip table says. */
static void test_above_16mib(void **state)
{
	struct bench *b = bench_new("W25Q256", 4096);
	uint32_t addr = 0x1800100;
	uint8_t want[600], got[600];

	(void)state;
	fill(want, sizeof(want), 11);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, addr, want, sizeof(want), 1), 0);
	assert_memory_equal(fk->mem + addr, want, sizeof(want));
	assert_int_equal(fk->mem[addr & 0xFFFFFF], 0xFF);   /* not wrapped to 8 MiB */
	assert_int_equal(ops_read(&b->ops, addr, got, sizeof(got)), 0);
	assert_memory_equal(got, want, sizeof(want));
	bench_free(b);
}

/* No chip: MISO stuck low never sets WEL, stuck high is no status at all;
 * either way nothing is sent after the write enable. */
static void test_missing_chip_refused(void **state)
{
	struct bench *b = bench_new("W25Q80", 4096);
	uint8_t page[16] = { 0 };
	uint32_t at = 1;

	(void)state;
	fk->miso = 0x00;
	assert_int_equal(prog_erase(&b->prog, 0, 0x20, 400), DEV_E_REMOTE + PROTO_E_WEL);
	fk->miso = 0xFF;
	assert_int_equal(prog_program_begin(&b->prog, 5, 256), 0);
	assert_int_equal(prog_program_page(&b->prog, 0, page, sizeof(page), &at),
			 DEV_E_REMOTE + PROTO_E_CHIP);
	assert_int_equal(at, 0);
	assert_int_equal(fk->chip.stats.programs + fk->chip.stats.erases, 0);
	bench_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_sets_mode_and_speed),
		cmocka_unit_test(test_write_read_verify),
		cmocka_unit_test(test_small_bufsiz_respected),
		cmocka_unit_test(test_above_16mib),
		cmocka_unit_test(test_missing_chip_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
