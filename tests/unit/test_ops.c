/*
 * The client's session (dev) and algorithms (ops) against the real firmware
 * core and the strict chip model, in process: a struct link whose write()
 * runs fw_core on the bytes and whose read() returns what it answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prog/dev.h"
#include "prog/dev_stream.h"
#include "core/ops.h"
#include "fw_core.h"
#include "fw_bench.h"
#include "fw_host_hal.h"

static int setup_part(void **state, const char *part)
{
	struct fw_bench *b = fw_bench_new(part, 1);

	assert_int_equal(dev_open(&b->dev, &b->link, 500), 0);
	fw_bench_attach(b);
	*state = b;
	return 0;
}

static int setup(void **state)
{
	return setup_part(state, "W25Q80");
}

static int setup_wp(void **state)
{
	return setup_part(state, "W25Q128-WP");
}

static int teardown(void **state)
{
	fw_bench_free(*state);
	return 0;
}

static void test_hello(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(b->dev.version, PROTO_VERSION);
	assert_true(b->dev.max_payload >= 64);
	assert_true(b->dev.hello.caps & PROTO_CAP_CRC32);
	assert_string_equal(b->dev.hello.board, "host");
}

static void test_detect(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(ops_detect(&b->ops), 0);
	assert_string_equal(b->ops.chip.name, "W25Q80");
	assert_int_equal(b->ops.chip.size, 1024 * 1024);
}

static void test_read(void **state)
{
	struct fw_bench *b = *state;
	uint8_t *buf = malloc(20000);

	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_read(&b->ops, 1234, buf, 20000), 0);
	assert_memory_equal(buf, b->mem + 1234, 20000);
	free(buf);
}

static void test_write_preserves_outside(void **state)
{
	struct fw_bench *b = *state;
	uint32_t addr = 0x1F00 + 3, len = 3 * 4096 + 77, i;
	uint8_t *want = malloc(len), *before = malloc(b->chip.part->size);

	memcpy(before, b->mem, b->chip.part->size);
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, addr, want, len, 1), 0);
	assert_memory_equal(b->mem + addr, want, len);
	assert_memory_equal(b->mem, before, addr);
	assert_memory_equal(b->mem + addr + len, before + addr + len,
			    b->chip.part->size - addr - len);
	assert_true(b->ops.stats.erases_4k >= 4);
	/* the same again: every sector is skipped, nothing erased */
	memset(&b->ops.stats, 0, sizeof(b->ops.stats));
	assert_int_equal(ops_write(&b->ops, addr, want, len, 1), 0);
	assert_int_equal(b->ops.stats.erases_4k, 0);
	assert_int_equal(b->ops.stats.pages_programmed, 0);
	assert_int_equal(b->ops.stats.sectors_skipped, 4);   /* 0x1000-0x4fff */
	free(want);
	free(before);
}

static void test_write_clears_only(void **state)
{
	struct fw_bench *b = *state;
	uint8_t want[300];
	uint32_t i;

	assert_int_equal(ops_detect(&b->ops), 0);
	/* at 115200 reading the sector costs more than erasing it: erase */
	for (i = 0; i < sizeof(want); i++)
		want[i] = b->mem[0x6000 + i] & 0x0F;
	assert_int_equal(ops_write(&b->ops, 0x6000, want, sizeof(want), 1), 0);
	assert_int_equal(b->ops.stats.erases_4k, 1);
	assert_int_equal(b->ops.stats.sectors_program_only, 0);
	assert_memory_equal(b->mem + 0x6000, want, sizeof(want));
	/* at 2 Mbaud a 4 KiB read (9 requests, ~30 ms) still costs more than
	 * half a 45 ms sector erase: erase */
	assert_int_equal(dev_set_rate(&b->dev, 2000000), 0);
	for (i = 0; i < sizeof(want); i++)
		want[i] = b->mem[0x7000 + i] & 0x0F;
	assert_int_equal(ops_write(&b->ops, 0x7000, want, sizeof(want), 1), 0);
	assert_int_equal(b->ops.stats.erases_4k, 2);
	assert_int_equal(b->ops.stats.sectors_program_only, 0);
	assert_memory_equal(b->mem + 0x7000, want, sizeof(want));
	/* with a chip that erases a sector in 400 ms the read is cheaper:
	 * only 1->0 changes, no erase */
	b->ops.chip.erase[CHIP_ERASE_4K].t_typ_ms = 400;
	for (i = 0; i < sizeof(want); i++)
		want[i] = b->mem[0x5000 + i] & 0x0F;
	assert_int_equal(ops_write(&b->ops, 0x5000, want, sizeof(want), 1), 0);
	assert_int_equal(b->ops.stats.erases_4k, 2);
	assert_int_equal(b->ops.stats.sectors_program_only, 1);
	assert_memory_equal(b->mem + 0x5000, want, sizeof(want));
}

/* Counts the sampled CRC32_MULTI requests (12 bytes: with a span), and in
 * the hundreds the whole ones (10 bytes). */
static void count_samples(void *arg, const char *line)
{
	if (strstr(line, "> CRC32_MULTI seq") && strstr(line, ", 12 bytes"))
		(*(unsigned *)arg)++;
	if (strstr(line, "> CRC32_MULTI seq") && strstr(line, ", 10 bytes"))
		(*(unsigned *)arg) += 100;
}

/* Write want at base with trace watching the requests, stats counted from
 * zero; the chip must then hold want. */
static void write_traced(struct fw_bench *b, uint32_t base, const uint8_t *want, uint32_t len,
			 prog_trace_fn trace, void *arg)
{
	assert_int_equal(ops_detect(&b->ops), 0);
	b->dev.trace = trace;
	b->dev.trace_arg = arg;
	memset(&b->ops.stats, 0, sizeof(b->ops.stats));
	assert_int_equal(ops_write(&b->ops, base, want, len, 1), 0);
	b->dev.trace = NULL;
	assert_memory_equal(b->mem + base, want, len);
}

/*
 * The first group, and one after a group that needed every sector written,
 * are first looked at through a 256-byte sample of each sector.  A sector
 * whose sample matches must still be judged by its whole CRC: here, in the
 * second group, one is equal, one differs only past its sample, one is
 * erased, the rest differ.
 */
static void test_write_sampled(void **state)
{
	struct fw_bench *b = *state;
	uint32_t base = 0x40000, len = 2 * 65536, i;
	uint8_t *want = malloc(len);
	unsigned samples = 0;

	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 13 + (i >> 8) + 5);
	/* the first group: unlike want everywhere (bench contents are random) */
	/* the second: sector 0 equal, sector 1 equal but byte 3000, sector 2 erased */
	memcpy(b->mem + base + 65536, want + 65536, 8192);
	b->mem[base + 65536 + 4096 + 3000] = (uint8_t)~want[65536 + 4096 + 3000];
	memset(b->mem + base + 65536 + 8192, 0xFF, 4096);
	write_traced(b, base, want, len, count_samples, &samples);
	/* both groups sampled; whole CRCs: the second group's unsure
	 * sectors, and the verify of each group (none for the first group's
	 * look: its samples proved every sector different) */
	assert_int_equal(samples, 302);
	assert_int_equal(b->ops.stats.sectors_skipped, 1);
	assert_int_equal(b->ops.stats.sectors_program_only, 1);
	free(want);
}

/* As count_samples, and in blanks the BLANK requests. */
struct look_count {
	unsigned samples, blanks;
};

static void count_looks(void *arg, const char *line)
{
	struct look_count *n = arg;

	count_samples(&n->samples, line);
	if (strstr(line, "> BLANK seq"))
		n->blanks++;
}

/*
 * A new chip: sectors whose sample reads erased, where want's does not, are
 * blank-checked on the device, a run of them a request, with no whole CRC
 * first.  In the first group one sector is erased in its sample but holds a
 * byte further on: the check stops there and goes on after it, and that
 * sector is erased.  In the second, want's first sector starts with 64
 * bytes of FF, so its sample is no proof of anything: that group is looked
 * at whole, as before, with a blank check a sector.
 */
static void test_write_onto_erased(void **state)
{
	struct fw_bench *b = *state;
	uint32_t base = 0x20000, len = 2 * 65536, i;
	uint8_t *want = malloc(len);
	struct look_count n = { 0, 0 };

	assert_non_null(want);
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 7 + (i >> 9) + 1);
	memset(want + 65536, 0xFF, 64);
	memset(b->mem + base, 0xFF, len);
	b->mem[base + 3 * 4096 + 2000] = 0x00;
	write_traced(b, base, want, len, count_looks, &n);
	/* two samples; whole CRCs: the second group's look and each verify */
	assert_int_equal(n.samples, 302);
	/* 0-15 (stops at 3), 4-15; then one a sector in the second group */
	assert_int_equal(n.blanks, 2 + 16);
	assert_int_equal(b->ops.stats.sectors_program_only, 31);
	assert_int_equal(b->ops.stats.erases_4k, 1);
	free(want);
}

static void test_write_uses_64k(void **state)
{
	struct fw_bench *b = *state;
	uint32_t len = 64 * 1024 + 32 * 1024;
	uint8_t *want = malloc(len);

	memset(want, 0x5A, len);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, 0x10000, want, len, 1), 0);
	assert_int_equal(b->ops.stats.erases_64k, 1);
	assert_int_equal(b->ops.stats.erases_32k, 1);
	assert_int_equal(b->ops.stats.erases_4k, 0);
	assert_memory_equal(b->mem + 0x10000, want, len);
	free(want);
}

static void test_erase_range(void **state)
{
	struct fw_bench *b = *state;
	uint8_t *before = malloc(b->chip.part->size);
	uint32_t addr = 0x2345, len = 0x3000, i;

	memcpy(before, b->mem, b->chip.part->size);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_erase(&b->ops, addr, len, 1), 0);
	for (i = 0; i < len; i++)
		assert_int_equal(b->mem[addr + i], 0xFF);
	assert_memory_equal(b->mem, before, addr);
	assert_memory_equal(b->mem + addr + len, before + addr + len,
			    b->chip.part->size - addr - len);
	assert_int_equal(ops_blank(&b->ops, addr, len), 0);
	assert_int_equal(ops_blank(&b->ops, addr - 1, len), OPS_E_NOTBLANK);
	assert_int_equal(b->ops.bad_addr, addr - 1);
	free(before);
}

static void test_verify_mismatch(void **state)
{
	struct fw_bench *b = *state;
	uint8_t *want = malloc(65536);

	memcpy(want, b->mem, 65536);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_verify(&b->ops, 0, want, 65536), 0);
	b->mem[40000] ^= 0x01;
	assert_int_equal(ops_verify(&b->ops, 0, want, 65536), OPS_E_MISMATCH);
	assert_int_equal(b->ops.bad_addr, 40000);
	assert_int_equal(b->ops.bad_want, want[40000]);
	assert_non_null(strstr(b->ops.msg, "0x009c40"));
	free(want);
}

static void test_range(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_check_range(&b->ops, 0x100000, 1), OPS_E_RANGE);
	assert_non_null(strstr(b->ops.msg, "past the end"));
	assert_int_equal(ops_check_range(&b->ops, 0xFFFFF, 2), OPS_E_RANGE);
	assert_int_equal(ops_check_range(&b->ops, 0xFFFFF, 1), 0);
}

static void test_resend_after_damage(void **state)
{
	struct fw_bench *b = *state;
	uint8_t id[3];

	b->corrupt_next_write = 1;
	assert_int_equal(dev_jedec(&b->dev, id, 3), 0);
	assert_int_equal(id[0], 0xEF);
	assert_true(b->dev.stats.resends >= 1);
}

static void test_no_chip(void **state)
{
	struct fw_bench *b = *state;

	host_hal_miso_stuck(1);
	assert_int_equal(ops_detect(&b->ops), OPS_E_NOCHIP);
	assert_non_null(strstr(b->ops.msg, "ff ff ff"));
	host_hal_miso_stuck(0);
	assert_int_equal(ops_detect(&b->ops), OPS_E_NOCHIP);
	host_hal_miso_stuck(-1);
}

static void test_protected(void **state)
{
	struct fw_bench *b = *state;
	uint8_t want[16] = { 0 };

	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_write(&b->ops, 0, want, sizeof(want), 1), OPS_E_PROTECTED);
	assert_non_null(strstr(b->ops.msg, "write protected"));
}

static void test_chip_erase(void **state)
{
	struct fw_bench *b = *state;
	uint32_t i;

	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_erase_chip(&b->ops, 1), 0);
	for (i = 0; i < b->chip.part->size; i += 4093)
		assert_int_equal(b->mem[i], 0xFF);
}

/* Auto rate: the fastest rate that passes the link test, falling back
 * when the cable cannot carry it, and both sides agreeing afterwards. */
static void test_auto_rate(void **state)
{
	struct fw_bench *b = *state;
	uint8_t id[3];

	b->max_ok_baud = 1000000;
	assert_int_equal(dev_auto_rate(&b->dev, 2000000), 0);
	assert_int_equal(b->link.baud, 1000000);
	assert_int_equal(host_hal_baud(), 1000000);
	assert_int_equal(b->dev.rate_fallbacks, 1);
	assert_int_equal(dev_jedec(&b->dev, id, 3), 0);
	assert_memory_equal(id, b->chip.part->jedec, 3);
	/* 2 Mbaud fails its test: both sides end at the boot rate, talking */
	assert_int_equal(dev_set_rate(&b->dev, 2000000), DEV_E_RATE);
	assert_int_equal(b->link.baud, 115200);
	assert_int_equal(host_hal_baud(), 115200);
	assert_int_equal(dev_jedec(&b->dev, id, 3), 0);
	/* a session that ends cleanly leaves the boot rate behind */
	assert_int_equal(dev_set_rate(&b->dev, 1000000), 0);
	assert_int_equal(dev_close(&b->dev), 0);
	assert_int_equal(host_hal_baud(), 115200);
	/* one that does not: the next client still finds the device */
	assert_int_equal(dev_set_rate(&b->dev, 500000), 0);
	assert_int_equal(host_hal_baud(), 500000);
	b->host_baud = 115200;
	b->link.baud = 115200;
	assert_int_equal(dev_open(&b->dev, &b->link, 3000), 0);
	assert_int_equal(dev_jedec(&b->dev, id, 3), 0);
	assert_memory_equal(id, b->chip.part->jedec, 3);
}

/* 16 KiB written at 2 Mbaud from 0x40000 with `count` writes damaged from
 * the `after`th on (of type `type` only, if not 0); the bytes must land. */
static void damaged_write(struct fw_bench *b, unsigned after, unsigned count, uint8_t type)
{
	uint32_t len = 16 * 1024, i;
	uint8_t *want = malloc(len);

	assert_non_null(want);
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 13 + after);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(dev_set_rate(&b->dev, 2000000), 0);
	b->corrupt_type = type;
	b->corrupt_after = b->writes + after;
	b->corrupt_next_write = count;
	assert_int_equal(ops_write(&b->ops, 0x40000, want, len, 1), 0);
	assert_memory_equal(b->mem + 0x40000, want, len);
	assert_int_equal(b->corrupt_next_write, 0);
	free(want);
}

/* Damaged PROGRAM requests in the middle of a pipelined write: the device
 * drops them, later ones are answered, the lost ones are sent again. */
static void test_pipelined_write_with_damage(void **state)
{
	struct fw_bench *b = *state;

	/* the 5th, 6th and 7th requests from now on: the first ones are the
	 * CRC and erase requests, the later ones page programs */
	damaged_write(b, 4, 3, 0);
	assert_true(b->dev.stats.resends >= 3);
	/* the later answers showed which were lost: no silence waited out */
	assert_int_equal(b->dev.stats.silences, 0);
}

/*
 * One PROGRAM lost in the middle of a pipelined write, with three others
 * in flight behind it: the first answer to a later one shows it lost, and
 * it is sent again once.  The answers that follow, to requests that went
 * before the copy, say nothing more about it: a second copy would only
 * crowd the device's ring (behind a padded bridge, into overruns).
 */
static void test_pipelined_lost_request_sent_once(void **state)
{
	struct fw_bench *b = *state;

	damaged_write(b, 20, 1, PROTO_OP_PROGRAM);
	assert_int_equal(b->dev.stats.resends, 1);
	assert_int_equal(b->dev.stats.silences, 0);
}

/* What the trace says of requests sent in parts. */
struct parts_said {
	unsigned first, rest, whole;
	unsigned behind3;    /* first parts behind three whole requests */
};

static void count_parts(void *arg, const char *line)
{
	struct parts_said *s = arg;

	if (strstr(line, ", the first part"))
		s->first++;
	if (strstr(line, "(3 in flight), the first part"))
		s->behind3++;
	if (strstr(line, "> the rest of PROGRAM"))
		s->rest++;
	if (strstr(line, "requests go whole from here"))
		s->whole++;
}

/*
 * At 2 Mbaud the PROGRAM after the three oldest in flight (two in the
 * device's pair of buffers, one in its third) goes in two parts (its first
 * into the device's ring), each finished once an answer makes
 * room; the pages land whole.  Damage on the line finishes the part sent
 * before anything is sent again, and whole requests go from then on: a
 * resend behind a first part would join it into one damaged frame.
 */
static void test_pipelined_write_in_parts(void **state)
{
	struct fw_bench *b = *state;
	uint32_t len = 32 * 1024, i;
	uint8_t *want = malloc(len);
	struct parts_said said = { 0, 0, 0, 0 };
	uint8_t edge[2] = { b->mem[0x10000 - 1], b->mem[0x10000 + len] };

	assert_non_null(want);
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 29 + 7);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(dev_set_rate(&b->dev, 2000000), 0);
	b->dev.trace = count_parts;
	b->dev.trace_arg = &said;
	assert_int_equal(ops_write(&b->ops, 0x10000, want, len, 1), 0);
	assert_memory_equal(b->mem + 0x10000, want, len);
	assert_true(said.first >= 32);
	assert_int_equal(said.rest, said.first);
	assert_int_equal(said.whole, 0);
	/* the device has a third buffer for PROGRAMs (RX3): three whole
	 * requests ahead of the one in parts */
	assert_true(b->dev.hello.caps & PROTO_CAP_RX3);
	assert_true(said.behind3 >= 32);
	assert_int_equal(b->dev.stats.resends, 0);
	assert_int_equal(b->dev.stats.silences, 0);

	/* the same write over other data, with requests damaged once the
	 * pipeline runs */
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 31 + 5);
	memset(&said, 0, sizeof(said));
	b->corrupt_type = PROTO_OP_PROGRAM;
	b->corrupt_after = b->writes + 12;
	b->corrupt_next_write = 3;
	assert_int_equal(ops_write(&b->ops, 0x10000, want, len, 1), 0);
	b->dev.trace = NULL;
	assert_memory_equal(b->mem + 0x10000, want, len);
	assert_int_equal(b->mem[0x10000 - 1], edge[0]);
	assert_int_equal(b->mem[0x10000 + len], edge[1]);
	assert_true(said.first > 0);      /* parts went before the damage */
	assert_int_equal(said.whole, 1);
	assert_true(b->dev.stats.resends >= 1);
	assert_int_equal(b->dev.stats.silences, 0);
	free(want);
}

/* What the trace says when pages in flight overrun the device: 1 for one
 * page at a time, 100 for a slower rate, 1000 for two in flight instead of
 * three. */
static void count_lockstep(void *arg, const char *line)
{
	if (strstr(line, "two requests in flight from here"))
		(*(unsigned *)arg) += 1000;
	if (strstr(line, "one page at a time from here"))
		(*(unsigned *)arg)++;
	if (strstr(line, "a slower rate for the pages to come"))
		(*(unsigned *)arg) += 100;
}

/*
 * Pages in flight that the device's receive ring cannot take (FRAME_ERRs
 * whose drop count grows), at 2 Mbaud: 32 KiB written with the first
 * twelve page requests damaged.  Returns what the trace said about it:
 * 1000 for two in flight instead of three, plus 1 for one page at a time
 * or 100 for a slower rate.  Noise alone (the test before) never does any.
 */
static unsigned overrun_write(struct fw_bench *b, int rate_auto)
{
	uint32_t len = 32 * 1024, i;
	uint8_t *want = malloc(len);
	unsigned said = 0;

	assert_non_null(want);
	for (i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 17 + 3);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(dev_set_rate(&b->dev, 2000000), 0);
	b->dev.rate_auto = rate_auto;
	b->dev.trace = count_lockstep;
	b->dev.trace_arg = &said;
	b->overrun = 1;
	b->corrupt_type = PROTO_OP_PROGRAM;
	b->corrupt_after = b->writes;
	b->corrupt_next_write = 12;
	assert_int_equal(ops_write(&b->ops, 0x40000, want, len, 1), 0);
	b->dev.trace = NULL;
	host_hal_set_rx_drops(0);
	assert_memory_equal(b->mem + 0x40000, want, len);
	free(want);
	return said;
}

/* At a forced rate: two in flight, then one page at a time, the rate kept. */
static void test_pipelined_write_overrun(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(overrun_write(b, 0), 1001);
	assert_true(b->dev.pipe_slow);
	assert_int_equal(b->link.baud, 2000000);
}

/* At a rate chosen automatically: two in flight, then down to 1 Mbaud for
 * the pages to come, pipelined again. */
static void test_pipelined_write_overrun_auto(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(overrun_write(b, 1), 1100);
	assert_int_equal(b->link.baud, 1000000);
	assert_int_equal(host_hal_baud(), 1000000);
	assert_false(b->dev.pipe_slow);
}

/* One page in flight and its request damaged (as when a rate allows no
 * pipelining, or at the end of a group): the device's FRAME_ERR sends it
 * again at once; no later answer could show it was lost, and a second of
 * silence for each damaged page made a write at 1e-4 five times slower. */
static void test_lone_page_damaged(void **state)
{
	struct fw_bench *b = *state;
	uint8_t page[256];
	struct dev_pipe p;
	unsigned i;

	for (i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(ops_erase(&b->ops, 0x20000, 4096, 1), 0);
	dev_pipe_init(&p, &b->dev, 3, 256);
	b->corrupt_after = b->writes;
	b->corrupt_next_write = 2;      /* the request, and its first resend */
	assert_int_equal(dev_pipe_program(&p, 0x20100, page, sizeof(page)), 0);
	assert_int_equal(dev_pipe_drain(&p), 0);
	assert_memory_equal(b->mem + 0x20100, page, sizeof(page));
	assert_int_equal(b->dev.stats.resends, 2);
	assert_int_equal(b->dev.stats.silences, 0);
	assert_int_equal(b->chip.stats.programs, 1);
}

/* More than 256 stream frames lost in the middle of a read, the rest
 * arriving: frames are numbered modulo 256, so the later ones look like
 * a small skip.  The address in every block's check must stop them from
 * landing 256 blocks off (a silent corruption found by a 16 MiB read). */
static void test_stream_long_loss(void **state)
{
	struct fw_bench *b = *state;
	uint32_t len = 512 * 1024;
	uint8_t *got = malloc(len);
	unsigned req0;

	assert_non_null(got);
	assert_int_equal(ops_detect(&b->ops), 0);
	b->drop_at = b->out_total + 40000;
	b->drop_len = 300u * 525u;          /* about 300 frames of 512 bytes */
	req0 = b->dev.stats.requests;
	assert_int_equal(ops_read(&b->ops, 0, got, len), 0);
	assert_memory_equal(got, b->mem, len);
	assert_true(b->ops.stats.blocks_reread >= 256);
	/* the run of lost blocks came by a second stream, not a read each */
	print_message("%u requests for the read\n", b->dev.stats.requests - req0);
	assert_true(b->dev.stats.requests - req0 < 64);
	/* and a duplicated frame: it must not move the rest 255 blocks on */
	b->drop_len = 0;
	free(got);
}

/* 16 KiB from 0x8000 by one checked stream: every block confirmed, right. */
static void stream_16k(struct fw_bench *b)
{
	uint32_t len = 16 * 1024, i;
	uint8_t *got = malloc(len), st[32];

	assert_non_null(got);
	assert_int_equal(dev_read_stream(&b->dev, 0x8000, len, 512, PROTO_STREAM_CHECK, got, st,
					 NULL, NULL), 0);
	for (i = 0; i < len / 512; i++)
		assert_int_equal(st[i], PROG_BLOCK_CONFIRMED);
	assert_memory_equal(got, b->mem + 0x8000, len);
	free(got);
}

/* A stream request the device never saw (its A5 flipped, so the bytes went
 * to the serprog parser): nothing comes back, the client sends it again
 * after one short silence, and the one stream brings every block. */
static void test_stream_request_lost(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(ops_detect(&b->ops), 0);
	b->dev.stats = (struct prog_stats){ 0 };
	b->corrupt_after = b->writes;
	b->lose_next_write = 1;
	stream_16k(b);
	assert_int_equal(b->dev.stats.requests, 1);
	assert_int_equal(b->dev.stats.resends, 1);
	assert_int_equal(b->dev.stats.silences, 1);
	assert_int_equal(b->dev.stats.stream_breaks, 0);
	/* a device that keeps alive gets the short silence */
	assert_int_equal(b->dev.silence_ms, DEV_ALIVE_SILENCE_MS);
}

/* A stream request that arrived damaged: the device's FRAME_ERR sends it
 * again at once, without a silence. */
static void test_stream_request_damaged(void **state)
{
	struct fw_bench *b = *state;

	assert_int_equal(ops_detect(&b->ops), 0);
	b->dev.stats = (struct prog_stats){ 0 };
	b->corrupt_after = b->writes;
	b->corrupt_next_write = 1;
	stream_16k(b);
	assert_int_equal(b->dev.stats.frame_errs, 1);
	assert_int_equal(b->dev.stats.resends, 1);
	assert_int_equal(b->dev.stats.silences, 0);
}

/* One DATA frame damaged in a read: it takes its own block and the check
 * of the block before with it.  Both come again by one short stream, not
 * by a READ and a CRC32 each (four round trips, 2 s of a 1e-4 line's
 * 1 MiB read at 2 Mbaud). */
static void test_stream_one_frame_damaged(void **state)
{
	struct fw_bench *b = *state;
	uint32_t len = 64 * 1024;
	uint8_t *got = malloc(len);
	unsigned req0;

	assert_non_null(got);
	assert_int_equal(ops_detect(&b->ops), 0);
	/* a few bytes inside the 20th frame (frames of 512 bytes are ~525 on the line) */
	b->drop_at = b->out_total + 20 * 525 + 100;
	b->drop_len = 3;
	req0 = b->dev.stats.requests;
	assert_int_equal(ops_read(&b->ops, 0x10000, got, len), 0);
	assert_memory_equal(got, b->mem + 0x10000, len);
	assert_int_equal(b->ops.stats.blocks_reread, 2);
	assert_int_equal(b->dev.stats.requests - req0, 2);
	b->drop_len = 0;
	free(got);
}

/* 64 KiB at 0x10000 erased but for one byte at 0x10000 + 40000, read by
 * ops_read, the line losing `drop` bytes from `at` bytes into the answers;
 * returns the bytes the device sent for it. */
static uint64_t read_blank_runs(struct fw_bench *b, uint64_t at, uint64_t drop)
{
	uint32_t len = 64 * 1024;
	uint8_t *got = malloc(len);
	uint64_t out0;

	assert_non_null(got);
	memset(b->mem + 0x10000, 0xFF, len);
	b->mem[0x10000 + 40000] = 0x7E;
	assert_int_equal(ops_detect(&b->ops), 0);
	out0 = b->out_total;
	b->drop_at = out0 + at;
	b->drop_len = drop;
	assert_int_equal(ops_read(&b->ops, 0x10000, got, len), 0);
	b->drop_len = 0;
	assert_memory_equal(got, b->mem + 0x10000, len);
	free(got);
	return b->out_total - out0;
}

/* Runs of blank blocks come as one frame each (BLANK_RUN): of 128 blocks,
 * all blank but one, one block's data crosses the line, not 127 frames of
 * 15 bytes besides. */
static void test_stream_blank_runs(void **state)
{
	struct fw_bench *b = *state;
	uint64_t sent = read_blank_runs(b, 0, 0);

	print_message("%u bytes from the device for 64 KiB, one byte set\n", (unsigned)sent);
	assert_true(sent < 1100);
	assert_true(b->dev.stats.stream_blank_blocks >= 100);
	assert_int_equal(b->ops.stats.blocks_reread, 0);
}

/* A run's frame damaged: its blocks are read again, none is taken as
 * blank on faith. */
static void test_stream_blank_run_damaged(void **state)
{
	struct fw_bench *b = *state;

	/* the second frame of the stream: the run after the first blank block */
	read_blank_runs(b, 20, 3);
	print_message("%u blocks read again\n", (unsigned)b->ops.stats.blocks_reread);
	assert_true(b->ops.stats.blocks_reread >= 8);
}

/* A progress callback that asks for the stop after `after` bytes. */
struct stop_after {
	uint32_t after, calls;
};

static int stop_cb(void *arg, uint32_t done)
{
	struct stop_after *sa = arg;

	sa->calls++;
	return done >= sa->after;
}

/* A stream stopped by its caller (a signal) ends at the next block: the
 * blocks so far are kept, the rest are left for a second read, and the
 * device takes the next request at once. */
static void test_stream_stopped(void **state)
{
	struct fw_bench *b = *state;
	uint32_t len = 64 * 1024, i, nblocks = len / 512, confirmed = 0, missing = 0;
	struct stop_after sa = { 3 * 512, 0 };
	uint8_t *got = malloc(len), st[128], id[3];

	assert_non_null(got);
	assert_int_equal(ops_detect(&b->ops), 0);
	assert_int_equal(dev_read_stream(&b->dev, 0x10000, len, 512, PROTO_STREAM_CHECK, got, st,
					 stop_cb, &sa), 0);
	for (i = 0; i < nblocks; i++) {
		if (st[i] == PROG_BLOCK_CONFIRMED) {
			assert_memory_equal(got + i * 512, b->mem + 0x10000 + i * 512, 512);
			confirmed++;
		} else if (st[i] == PROG_BLOCK_MISSING) {
			missing++;
		}
	}
	/* the blocks before the stop, and at most what was already on the way */
	assert_true(confirmed >= 2);
	assert_true(sa.calls < nblocks / 2);
	assert_true(missing > nblocks / 2);
	assert_int_equal(dev_jedec(&b->dev, id, 3), 0);
	assert_int_equal(id[0], 0xEF);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_long_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_request_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_request_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_one_frame_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_blank_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_blank_run_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_write_with_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_write_in_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_lost_request_sent_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lone_page_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_write_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_write_overrun_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hello, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_preserves_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_clears_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_uses_64k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_sampled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_onto_erased, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_after_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protected, setup_wp, teardown),
		cmocka_unit_test_setup_teardown(test_chip_erase, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
