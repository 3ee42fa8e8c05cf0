/*
 * Unit tests of the flash chip model: every test drives the chip through
 * the bus (select, bytes, deselect) with simulated time, as the emulator and
 * the firmware do, and checks what silicon would do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashchip.h"

#define KIB 1024u
#define MIB (1024u * 1024u)
#define US 1000ull
#define MS 1000000ull
#define BYTE_NS 1000u           /* one byte at 8 MHz SCK */

struct rig {
	struct fc_chip c;
	uint8_t *mem;
	uint64_t now;
};

/* A chip with its array filled with `fill`; freed by teardown. */
static struct rig *open_part(void **state, const char *name, uint32_t opts, uint8_t fill)
{
	const struct fc_part *p = fc_part_find(name);
	struct rig *r;

	assert_non_null(p);
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->mem = malloc(p->size);
	assert_non_null(r->mem);
	memset(r->mem, fill, p->size);
	fc_init(&r->c, p, r->mem, opts);
	r->now = 1 * MS;
	*state = r;
	return r;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	if (r) {
		free(r->mem);
		free(r);
	}
	return 0;
}

static void close_part(void **state)
{
	teardown(state);
	*state = NULL;
}

/* One transaction: opcode, alen address bytes, ndummy dummy bytes, then n
 * data bytes (out may be NULL: FFh is sent).  Returns the time of CS rise. */
static uint64_t xfer(struct rig *r, uint8_t op, uint32_t addr, int alen, int ndummy,
		     const uint8_t *out, uint8_t *in, size_t n)
{
	uint64_t t;
	size_t i;
	int k;

	fc_select(&r->c, r->now);
	r->now += 100;
	assert_int_equal(fc_transfer(&r->c, op, r->now), 0xFF);
	r->now += BYTE_NS;
	for (k = alen - 1; k >= 0; k--, r->now += BYTE_NS)
		assert_int_equal(fc_transfer(&r->c, (uint8_t)(addr >> (8 * k)), r->now), 0xFF);
	for (k = 0; k < ndummy; k++, r->now += BYTE_NS)
		assert_int_equal(fc_transfer(&r->c, 0x00, r->now), 0xFF);
	for (i = 0; i < n; i++, r->now += BYTE_NS) {
		uint8_t v = fc_transfer(&r->c, out ? out[i] : 0xFF, r->now);
		if (in)
			in[i] = v;
	}
	t = r->now;
	fc_deselect(&r->c, t);
	r->now += 100;
	return t;
}

static uint64_t cmd(struct rig *r, uint8_t op) { return xfer(r, op, 0, 0, 0, NULL, NULL, 0); }
static void wren(struct rig *r) { cmd(r, 0x06); }

static uint8_t rdsr(struct rig *r, uint8_t op)
{
	uint8_t v;

	xfer(r, op, 0, 0, 0, NULL, &v, 1);
	return v;
}

/* Poll WIP as firmware does, with a deadline (1000 s of simulated time). */
static void wait_idle(struct rig *r)
{
	uint64_t step = 10 * US, deadline = r->now + 1000000 * MS;

	while (rdsr(r, 0x05) & 0x01) {
		assert_true(r->now < deadline);
		r->now += step;
		if (step < 100 * MS)
			step *= 2;
	}
}

static uint64_t program(struct rig *r, uint32_t addr, const uint8_t *d, size_t n)
{
	wren(r);
	return xfer(r, 0x02, addr, 3, 0, d, NULL, n);
}

static uint64_t erase(struct rig *r, uint8_t op, uint32_t addr)
{
	int alen = (op == 0xC7 || op == 0x60) ? 0 : (op == 0x21 || op == 0x5C || op == 0xDC) ? 4 : 3;

	wren(r);
	return xfer(r, op, addr, alen, 0, NULL, NULL, 0);
}

static void program_idle(struct rig *r, uint32_t addr, const uint8_t *d, size_t n)
{
	program(r, addr, d, n);
	wait_idle(r);
}

static void erase_idle(struct rig *r, uint8_t op, uint32_t addr)
{
	erase(r, op, addr);
	wait_idle(r);
}

/* [lo, lo + n) erased and its neighbours still programmed (array filled 00h). */
static void assert_erased_exactly(const struct rig *r, uint32_t lo, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(r->mem[lo + i], 0xFF);
	if (lo > 0)
		assert_int_equal(r->mem[lo - 1], 0x00);
	if (lo + n < r->c.part->size)
		assert_int_equal(r->mem[lo + n], 0x00);
}

static void wrsr(struct rig *r, const uint8_t *v, size_t n)
{
	wren(r);
	xfer(r, 0x01, 0, 0, 0, v, NULL, n);
	wait_idle(r);
}

static uint8_t read1(struct rig *r, uint32_t addr)
{
	uint8_t v;

	xfer(r, 0x03, addr, 3, 0, NULL, &v, 1);
	return v;
}

/* ---- identification ---- */

static void test_jedec_id_all_parts(void **state)
{
	const struct fc_part *p;

	for (p = fc_parts; p->name; p++) {
		struct rig *r = open_part(state, p->name, 0, 0xFF);
		uint8_t id[4];

		xfer(r, 0x9F, 0, 0, 0, NULL, id, 4);
		assert_memory_equal(id, p->jedec, 3);
		assert_int_equal(id[3], p->jedec[0]);   /* the ID repeats */
		close_part(state);
	}
}

static void test_rems_res(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[3];

	xfer(r, 0x90, 0, 3, 0, NULL, v, 3);
	assert_int_equal(v[0], 0xEF);
	assert_int_equal(v[1], 0x17);
	assert_int_equal(v[2], 0xEF);
	xfer(r, 0x90, 1, 3, 0, NULL, v, 2);     /* A0 = 1: device ID first */
	assert_int_equal(v[0], 0x17);
	assert_int_equal(v[1], 0xEF);
	xfer(r, 0xAB, 0, 3, 0, NULL, v, 2);
	assert_int_equal(v[0], 0x17);
	assert_int_equal(v[1], 0x17);
}

static void test_part_find(void **state)
{
	const struct fc_part *p;

	(void)state;
	assert_string_equal(fc_part_find("w25q128")->name, "W25Q128");
	assert_null(fc_part_find("W25Q999"));
	assert_null(fc_part_find("W25Q12"));
	for (p = fc_parts; p->name; p++) {
		assert_non_null(p->datasheet);
		assert_true(p->page_size >= 1 && p->page_size <= 256);
		assert_int_equal(p->size & (p->size - 1), 0);   /* power of two */
	}
	assert_true(fc_part_find("W25X10")->size <= 128 * KIB);
}

/* ---- read ---- */

static void test_read(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0xFF);
	uint8_t buf[8];
	uint32_t i;

	for (i = 0; i < r->c.part->size; i++)
		r->mem[i] = (uint8_t)(i * 31 + (i >> 8));
	xfer(r, 0x03, 0x1234, 3, 0, NULL, buf, 8);
	assert_memory_equal(buf, r->mem + 0x1234, 8);
	xfer(r, 0x0B, 0x4321, 3, 1, NULL, buf, 8);     /* fast read: one dummy */
	assert_memory_equal(buf, r->mem + 0x4321, 8);
	/* A read runs off the end of the array into address 0. */
	xfer(r, 0x03, r->c.part->size - 2, 3, 0, NULL, buf, 4);
	assert_memory_equal(buf, r->mem + r->c.part->size - 2, 2);
	assert_memory_equal(buf + 2, r->mem, 2);
	/* Unknown opcodes answer nothing and change nothing. */
	xfer(r, 0x77, 0, 0, 0, NULL, buf, 4);
	assert_int_equal(buf[0] & buf[1] & buf[2] & buf[3], 0xFF);
	assert_int_equal(rdsr(r, 0x05), 0x00);
}

/* ---- program ---- */

static void test_program_without_wel_refused(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0xFF);
	uint8_t d[4] = { 1, 2, 3, 4 };

	xfer(r, 0x02, 0x100, 3, 0, d, NULL, 4);
	assert_int_equal(read1(r, 0x100), 0xFF);
	assert_int_equal(r->c.stats.refused, 1);
	assert_int_equal(r->c.stats.programs, 0);
	assert_int_equal(rdsr(r, 0x05) & 0x01, 0);      /* never went busy */
	/* WRDI takes WEL away again. */
	wren(r);
	assert_int_equal(rdsr(r, 0x05), 0x02);
	cmd(r, 0x04);
	xfer(r, 0x02, 0x100, 3, 0, d, NULL, 4);
	assert_int_equal(read1(r, 0x100), 0xFF);
	assert_int_equal(r->c.stats.refused, 2);
}

static void test_wel_cleared_after_program(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0xFF);
	uint8_t d = 0x5A;

	program(r, 0x10, &d, 1);
	assert_int_equal(rdsr(r, 0x05), 0x03);          /* WIP and WEL while busy */
	wait_idle(r);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x10), 0x5A);
	assert_int_equal(r->c.stats.programs, 1);
	assert_int_equal(r->c.stats.bytes_programmed, 1);
	/* A second program needs a second WREN. */
	d = 0x00;
	xfer(r, 0x02, 0x10, 3, 0, &d, NULL, 1);
	assert_int_equal(read1(r, 0x10), 0x5A);
	assert_int_equal(r->c.stats.refused, 1);
}

static void test_program_ands_bits(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0xFF);
	uint8_t a = 0x0F, b = 0xF0;

	program_idle(r, 0x200, &a, 1);
	assert_int_equal(read1(r, 0x200), 0x0F);
	program_idle(r, 0x200, &b, 1);
	assert_int_equal(read1(r, 0x200), 0x00);        /* no bit came back */
}

static void test_page_wrap(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0xFF);
	uint8_t d[300], got[256];
	int i;

	for (i = 0; i < 300; i++)
		d[i] = (uint8_t)(i * 7 + (i >> 8) * 3 + 1);
	/* 32 bytes from offset F0h: 16 fill the page end, 16 wrap to its start. */
	program_idle(r, 0x10F0, d, 32);
	xfer(r, 0x03, 0x1000, 3, 0, NULL, got, 256);
	assert_memory_equal(got + 0xF0, d, 16);
	assert_memory_equal(got, d + 16, 16);
	for (i = 16; i < 0xF0; i++)
		assert_int_equal(got[i], 0xFF);
	assert_int_equal(read1(r, 0x1100), 0xFF);       /* next page untouched */
	assert_int_equal(read1(r, 0x0FFF), 0xFF);
	/* 300 bytes into one page: the last 256 are kept. */
	program_idle(r, 0x2000, d, 300);
	xfer(r, 0x03, 0x2000, 3, 0, NULL, got, 256);
	assert_memory_equal(got, d + 256, 44);
	assert_memory_equal(got + 44, d + 44, 256 - 44);
	assert_int_equal(r->c.stats.bytes_programmed, 32 + 256);
}

static void test_malformed_commands_ignored(void **state)
{
	struct rig *r = open_part(state, "W25X10", 0, 0x00);
	uint8_t d = 0x00;

	r->mem[0x3000] = 0xFF;
	wren(r);
	/* CS rises inside the address: nothing, and WEL stays. */
	xfer(r, 0x02, 0x30, 2, 0, NULL, NULL, 0);
	xfer(r, 0x20, 0x30, 2, 0, NULL, NULL, 0);
	/* Program with no data byte; erase with a byte too many. */
	xfer(r, 0x02, 0x3000, 3, 0, NULL, NULL, 0);
	xfer(r, 0x20, 0x3000, 3, 0, &d, NULL, 1);
	/* WREN with a trailing byte is not a WREN either. */
	assert_int_equal(rdsr(r, 0x05), 0x02);
	assert_int_equal(r->mem[0x3000], 0xFF);
	assert_int_equal(r->mem[0x3001], 0x00);
	assert_int_equal(r->c.stats.programs + r->c.stats.erases, 0);
	cmd(r, 0x04);
	xfer(r, 0x06, 0, 0, 0, &d, NULL, 1);
	assert_int_equal(rdsr(r, 0x05), 0x00);
}

/* ---- timing ---- */

static void test_busy_typ_time_ignores_commands(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t d = 0x12, id[3];
	uint64_t t = program(r, 0x40, &d, 1);

	assert_true(fc_busy(&r->c, t + 700 * US - 1));
	assert_false(fc_busy(&r->c, t + 700 * US));
	/* While busy: WREN, reads, ID and writes are all ignored. */
	r->now = t + 100 * US;
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);
	assert_int_equal(id[0] & id[1] & id[2], 0xFF);
	assert_int_equal(read1(r, 0x40), 0xFF);
	xfer(r, 0x02, 0x80, 3, 0, &d, NULL, 1);
	assert_int_equal(r->c.stats.refused, 1);
	assert_int_equal(rdsr(r, 0x05), 0x03);
	assert_int_equal(rdsr(r, 0x35), 0x02);          /* SR2 readable while busy */
	r->now = t + 698 * US;           /* the status byte comes ~1 us later */
	assert_int_equal(rdsr(r, 0x05), 0x03);
	r->now = t + 700 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x40), 0x12);
	assert_int_equal(read1(r, 0x80), 0xFF);
	/* A WREN sent during busy did not stick. */
	r->now = t + 2 * MS;
	t = program(r, 0x41, &d, 1);
	r->now += 50 * US;
	cmd(r, 0x06);
	r->now = t + 800 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);
	/* FC_O_MAXTIME: the datasheet maximum, 400 ms for a sector. */
	close_part(state);
	r = open_part(state, "W25Q128", FC_O_MAXTIME, 0xFF);
	t = erase(r, 0x20, 0);
	assert_true(fc_busy(&r->c, t + 400 * MS - 1));
	assert_false(fc_busy(&r->c, t + 400 * MS));
}

static void test_wip_clears_in_long_rdsr(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0x00);
	uint64_t t = erase(r, 0x20, 0x5000);
	int i, first_idle = -1;

	/* One RDSR with CS held low, one byte per millisecond. */
	fc_select(&r->c, t + 1000);
	fc_transfer(&r->c, 0x05, t + 2000);
	for (i = 1; i <= 60; i++) {
		uint8_t v = fc_transfer(&r->c, 0xFF, t + (uint64_t)i * MS);
		if (i < 45)
			assert_int_equal(v, 0x03);
		else if (first_idle < 0)
			first_idle = i;
		if (i >= 45)
			assert_int_equal(v, 0x00);              /* WIP and WEL both gone */
	}
	fc_deselect(&r->c, t + 61 * MS);
	assert_int_equal(first_idle, 45);
}

/* ---- erase ---- */

static void test_erase_alignment_granularity(void **state)
{
	struct rig *r = open_part(state, "W25Q80", 0, 0x00);

	erase_idle(r, 0x20, 0x1234);                    /* low bits ignored */
	assert_erased_exactly(r, 0x1000, 4 * KIB);
	assert_int_equal(read1(r, 0x1000), 0xFF);
	erase_idle(r, 0x52, 0x3FFFF);
	assert_erased_exactly(r, 0x38000, 32 * KIB);
	erase_idle(r, 0xD8, 0x8ABCD);
	assert_erased_exactly(r, 0x80000, 64 * KIB);
	assert_int_equal(r->c.stats.erases, 3);
	/* Chip erase: everything, for the datasheet time (2.5 s typical). */
	{
		uint64_t t = erase(r, 0xC7, 0);
		assert_true(fc_busy(&r->c, t + 2500 * MS - 1));
		assert_false(fc_busy(&r->c, t + 2500 * MS));
		r->now = t + 2500 * MS;
		assert_int_equal(read1(r, 0x00000), 0xFF);
		assert_int_equal(read1(r, 0xFFFFF), 0xFF);
	}
}

static void test_mx_52h_erases_64k(void **state)
{
	struct rig *r = open_part(state, "MX25L6406E", 0, 0x00);

	erase_idle(r, 0x52, 0x18000);
	assert_erased_exactly(r, 0x10000, 64 * KIB);    /* 64 KiB, not 32 KiB */
	assert_int_equal(rdsr(r, 0x35), 0xFF);          /* no SR2 */
}

/* ---- status registers ---- */

static void test_wrsr_one_byte_clears_sr2(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[2] = { 0x00, 0x02 };

	assert_int_equal(rdsr(r, 0x35), 0x02);          /* QE set at power-up */
	wrsr(r, v, 1);
	assert_int_equal(rdsr(r, 0x35), 0x00);          /* the trap */
	wrsr(r, v, 2);
	assert_int_equal(rdsr(r, 0x35), 0x02);
	v[0] = 0x04;
	wrsr(r, v, 2);                                  /* 2 bytes keep QE */
	assert_int_equal(rdsr(r, 0x05), 0x04);
	assert_int_equal(rdsr(r, 0x35), 0x02);
	/* 31h writes SR2 alone; 11h writes SR3's writable bits. */
	wren(r);
	v[0] = 0x00;
	xfer(r, 0x31, 0, 0, 0, v, NULL, 1);
	wait_idle(r);
	assert_int_equal(rdsr(r, 0x35), 0x00);
	assert_int_equal(rdsr(r, 0x05), 0x04);
	wren(r);
	v[0] = 0xFF;
	xfer(r, 0x11, 0, 0, 0, v, NULL, 1);
	wait_idle(r);
	assert_int_equal(rdsr(r, 0x15), 0x64);
	assert_int_equal(r->c.stats.sr_writes, 5);
}

static void test_wrsr_rules(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[3] = { 0xFF, 0xFF, 0xFF };
	uint64_t t;

	/* Without WEL: refused. */
	xfer(r, 0x01, 0, 0, 0, v, NULL, 1);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(r->c.stats.refused, 1);
	/* Three bytes is not a status write. */
	wren(r);
	xfer(r, 0x01, 0, 0, 0, v, NULL, 3);
	assert_int_equal(rdsr(r, 0x05), 0x02);
	/* WIP and WEL cannot be written; busy for tW (10 ms). */
	t = xfer(r, 0x01, 0, 0, 0, v, NULL, 2);
	assert_true(fc_busy(&r->c, t + 10 * MS - 1));
	assert_false(fc_busy(&r->c, t + 10 * MS));
	r->now = t + 10 * MS;
	assert_int_equal(rdsr(r, 0x05), 0xFC);
	assert_int_equal(rdsr(r, 0x35), 0x43);          /* SRP1 QE CMP; LB and SUS not */
	/* 50h: volatile write, no WREN, no busy. */
	cmd(r, 0x50);
	v[0] = 0x00;
	v[1] = 0x02;
	t = xfer(r, 0x01, 0, 0, 0, v, NULL, 2);
	assert_false(fc_busy(&r->c, t));
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(rdsr(r, 0x35), 0x02);
	/* 50h is good for the next command only. */
	cmd(r, 0x50);
	rdsr(r, 0x05);
	v[0] = 0x1C;
	xfer(r, 0x01, 0, 0, 0, v, NULL, 1);
	assert_int_equal(rdsr(r, 0x05), 0x00);
}

/* ---- protection ---- */

static void test_protected_region_refuses(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[2] = { 0x04, 0x02 }, d = 0x00;      /* BP0: upper 256 KiB */

	wrsr(r, v, 2);
	program(r, 0xFC0000, &d, 1);
	assert_int_equal(rdsr(r, 0x05), 0x04);          /* refused: not busy, WEL gone */
	assert_int_equal(read1(r, 0xFC0000), 0xFF);
	erase(r, 0xD8, 0xFC0000);
	erase(r, 0x20, 0xFFF000);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(r->c.stats.erases, 0);
	program(r, 0xFBFFFF, &d, 1);                    /* just below: fine */
	wait_idle(r);
	assert_int_equal(read1(r, 0xFBFFFF), 0x00);
	/* TB = 1: the same size at the bottom. */
	v[0] = 0x24;
	wrsr(r, v, 2);
	program(r, 0x03FFFF, &d, 1);
	erase(r, 0x20, 0x000000);
	assert_int_equal(r->c.stats.refused, 5);
	program_idle(r, 0xFC0000, &d, 1);
	assert_int_equal(read1(r, 0xFC0000), 0x00);
	/* SEC = 1, BP = 001: only the top 4 KiB. */
	v[0] = 0x44;
	wrsr(r, v, 2);
	erase(r, 0x20, 0xFFF000);
	assert_int_equal(r->c.stats.refused, 6);
	erase_idle(r, 0x20, 0xFFE000);
	assert_int_equal(r->c.stats.erases, 1);
}

static void test_cmp_inverts(void **state)
{
	struct rig *r = open_part(state, "W25Q128", 0, 0xFF);
	uint8_t v[2] = { 0x04, 0x42 }, d = 0x00;      /* BP0 + CMP */

	wrsr(r, v, 2);
	program(r, 0x000000, &d, 1);
	program(r, 0xFBFF00, &d, 1);
	assert_int_equal(r->c.stats.refused, 2);
	program(r, 0xFC0000, &d, 1);                    /* the top is now free */
	wait_idle(r);
	assert_int_equal(read1(r, 0xFC0000), 0x00);
	/* CMP with BP = 000 protects everything; with BP = 111 nothing. */
	v[0] = 0x00;
	wrsr(r, v, 2);
	program(r, 0xFC0001, &d, 1);
	assert_int_equal(r->c.stats.refused, 3);
	v[0] = 0x1C;
	wrsr(r, v, 2);
	erase_idle(r, 0xC7, 0);
	assert_int_equal(read1(r, 0xFC0000), 0xFF);
}

static void test_chip_erase_refused_when_protected(void **state)
{
	struct rig *r = open_part(state, "W25Q128-WP", 0, 0x00);
	uint8_t v[2] = { 0x00, 0x02 };

	assert_int_equal(rdsr(r, 0x05), 0x1C);
	erase(r, 0xC7, 0);
	assert_int_equal(rdsr(r, 0x05), 0x1C);          /* not busy, WEL cleared */
	assert_int_equal(read1(r, 0x123456), 0x00);
	erase(r, 0x20, 0);
	assert_int_equal(r->c.stats.refused, 2);
	/* One BP bit is enough to refuse a chip erase. */
	v[0] = 0x04;
	wrsr(r, v, 2);
	erase(r, 0x60, 0);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(read1(r, 0), 0x00);
	v[0] = 0x00;
	wrsr(r, v, 2);
	erase_idle(r, 0x60, 0);
	assert_int_equal(read1(r, 0), 0xFF);
	assert_int_equal(read1(r, 0xFFFFFF), 0xFF);
}

static void test_mx_protection(void **state)
{
	struct rig *r = open_part(state, "MX25L6406E", 0, 0xFF);
	uint8_t v = 0x04, d = 0x00;                     /* BP0: top 64 KiB */

	wrsr(r, &v, 1);
	program(r, 0x7F0000, &d, 1);
	assert_int_equal(r->c.stats.refused, 1);
	program_idle(r, 0x7EFFFF, &d, 1);
	assert_int_equal(read1(r, 0x7EFFFF), 0x00);
	v = 0x1C;                                       /* BP0-2: top 4 MiB */
	wrsr(r, &v, 1);
	program(r, 0x400000, &d, 1);
	assert_int_equal(r->c.stats.refused, 2);
	program_idle(r, 0x3FFFFF, &d, 1);
	v = 0x20;                                       /* BP3: everything */
	wrsr(r, &v, 1);
	program(r, 0x000000, &d, 1);
	assert_int_equal(r->c.stats.refused, 3);
	assert_int_equal(rdsr(r, 0x05), 0x20);
}

/* ---- 4-byte addressing ---- */

static void test_w25q256_4byte_mode(void **state)
{
	struct rig *r = open_part(state, "W25Q256", 0, 0xFF);
	uint8_t d = 0x3C, v[2];

	r->mem[0x0000010] = 0x11;
	r->mem[0x1000010] = 0x22;
	assert_int_equal(read1(r, 0x000010), 0x11);
	/* 3-byte mode: the counter wraps inside the low 16 MiB. */
	xfer(r, 0x03, 0xFFFFFF, 3, 0, NULL, v, 2);
	assert_int_equal(v[0], r->mem[0xFFFFFF]);
	assert_int_equal(v[1], r->mem[0]);
	cmd(r, 0xB7);
	assert_int_equal(rdsr(r, 0x15) & 0x01, 0x01);   /* ADS */
	xfer(r, 0x03, 0x1000010, 4, 0, NULL, v, 1);
	assert_int_equal(v[0], 0x22);
	xfer(r, 0x0B, 0x1000010, 4, 1, NULL, v, 1);
	assert_int_equal(v[0], 0x22);
	wren(r);
	xfer(r, 0x02, 0x1800000, 4, 0, &d, NULL, 1);
	wait_idle(r);
	assert_int_equal(r->mem[0x1800000], 0x3C);
	assert_int_equal(r->mem[0x0800000], 0xFF);
	wren(r);
	xfer(r, 0xD8, 0x1800000, 4, 0, NULL, NULL, 0);
	wait_idle(r);
	assert_int_equal(r->mem[0x1800000], 0xFF);
	cmd(r, 0xE9);
	assert_int_equal(rdsr(r, 0x15) & 0x01, 0x00);
	assert_int_equal(read1(r, 0x000010), 0x11);
	/* The extended address register picks the upper 16 MiB. */
	wren(r);
	v[0] = 0x01;
	xfer(r, 0xC5, 0, 0, 0, v, NULL, 1);
	assert_int_equal(read1(r, 0x000010), 0x22);
	/* Reset: back to 3-byte mode, segment 0, WEL off. */
	cmd(r, 0xB7);
	wren(r);
	cmd(r, 0x66);
	cmd(r, 0x99);
	r->now += 30 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x000010), 0x11);
}

static void test_w25q256_native_4byte_opcodes(void **state)
{
	struct rig *r = open_part(state, "W25Q256", 0, 0x00);
	uint8_t d = 0xA5, v;

	/* Still in 3-byte mode: the 4-byte opcodes reach past 16 MiB. */
	r->mem[0x1234567] = 0x77;
	xfer(r, 0x13, 0x1234567, 4, 0, NULL, &v, 1);
	assert_int_equal(v, 0x77);
	xfer(r, 0x0C, 0x1234567, 4, 1, NULL, &v, 1);    /* fast read: one dummy */
	assert_int_equal(v, 0x77);
	erase_idle(r, 0x21, 0x1FFF000);
	assert_erased_exactly(r, 0x1FFF000, 4 * KIB);
	assert_int_equal(r->mem[0x0FFF000], 0x00);
	wren(r);
	xfer(r, 0x12, 0x1FFF000, 4, 0, &d, NULL, 1);
	wait_idle(r);
	assert_int_equal(r->mem[0x1FFF000], 0xA5);
	erase_idle(r, 0x5C, 0x1008000);
	assert_erased_exactly(r, 0x1008000, 32 * KIB);
	erase_idle(r, 0xDC, 0x102ABCD);
	assert_erased_exactly(r, 0x1020000, 64 * KIB);
	assert_int_equal(r->mem[0x0020000], 0x00);
	/* The 3-byte-only W25Q128 ignores them. */
	teardown(state);
	r = open_part(state, "W25Q128", 0, 0x00);
	erase(r, 0x21, 0x0001000);
	assert_int_equal(r->mem[0x1000], 0x00);
	assert_int_equal(rdsr(r, 0x05), 0x02);
}

/* ---- SST AAI ---- */

static void test_sst_aai(void **state)
{
	struct rig *r = open_part(state, "SST25VF016B", 0, 0xFF);
	uint8_t w[3] = { 0x12, 0x34, 0x56 }, v = 0x00, id[3];

	/* Power-up: BP0-2 set, the whole array protected. */
	assert_int_equal(rdsr(r, 0x05), 0x1C);
	program(r, 0x100, w, 1);
	wren(r);
	xfer(r, 0xAD, 0x200, 3, 0, w, NULL, 2);
	assert_int_equal(rdsr(r, 0x05), 0x1C);          /* refused, WEL cleared */
	assert_int_equal(r->c.stats.refused, 2);
	wrsr(r, &v, 1);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	/* 02h programs one byte; two bytes are not a byte program. */
	program(r, 0x100, w, 2);
	assert_int_equal(read1(r, 0x100), 0xFF);
	program_idle(r, 0x100, w, 1);
	assert_int_equal(read1(r, 0x100), 0x12);
	/* AAI: address once (A0 ignored), then words. */
	wren(r);
	xfer(r, 0xAD, 0x201, 3, 0, w, NULL, 2);
	assert_int_equal(rdsr(r, 0x05), 0x43);          /* busy, WEL, AAI */
	wait_idle(r);
	assert_int_equal(rdsr(r, 0x05), 0x42);          /* WEL stays in AAI */
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);            /* ignored in AAI mode */
	assert_int_equal(id[0], 0xFF);
	xfer(r, 0xAD, 0, 0, 0, w + 1, NULL, 2);
	wait_idle(r);
	cmd(r, 0x04);
	assert_int_equal(rdsr(r, 0x05), 0x00);
	assert_int_equal(read1(r, 0x200), 0x12);
	assert_int_equal(read1(r, 0x201), 0x34);
	assert_int_equal(read1(r, 0x202), 0x34);
	assert_int_equal(read1(r, 0x203), 0x56);
	assert_int_equal(read1(r, 0x204), 0xFF);
	/* ABh is Read-ID on SST, like 90h. */
	xfer(r, 0xAB, 1, 3, 0, NULL, id, 2);
	assert_int_equal(id[0], 0x41);
	assert_int_equal(id[1], 0xBF);
	/* AAI without WREN is refused. */
	xfer(r, 0xAD, 0x300, 3, 0, w, NULL, 2);
	assert_int_equal(read1(r, 0x300), 0xFF);
}

/* ---- SFDP ---- */

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Find a parameter table by ID in an SFDP image read over the bus. */
static const uint8_t *sfdp_table(const uint8_t *s, uint16_t id, unsigned *ndw)
{
	unsigned i, nph = s[6] + 1u;

	for (i = 0; i < nph; i++) {
		const uint8_t *h = s + 8 + 8 * i;
		if ((uint16_t)(h[0] | h[7] << 8) == id) {
			*ndw = h[3];
			return s + (h[4] | h[5] << 8 | h[6] << 16);
		}
	}
	return NULL;
}

static void test_sfdp(void **state)
{
	const struct fc_part *p;
	uint8_t s[256];

	for (p = fc_parts; p->name; p++) {
		struct rig *r = open_part(state, p->name, 0, 0xFF);
		const uint8_t *t;
		unsigned ndw = 0;

		xfer(r, 0x5A, 0, 3, 1, NULL, s, sizeof(s));
		if (!p->sfdp) {
			assert_int_equal(s[0] & s[1] & s[2] & s[3], 0xFF);
			close_part(state);
			continue;
		}
		assert_memory_equal(s, "SFDP", 4);
		assert_int_equal(s[5], 0x01);
		assert_true(p->sfdp_len <= sizeof(s));
		assert_int_equal(s[sizeof(s) - 1], 0xFF);   /* past the image */
		t = sfdp_table(s, 0xFF00, &ndw);
		assert_non_null(t);
		assert_true(ndw >= 9);
		assert_int_equal(le32(t + 4), p->size * 8u - 1u);
		assert_int_equal(le32(t) & 0x3, 0x1);       /* 4 KiB erase... */
		assert_int_equal(t[1], 0x20);               /* ...by 20h */
		assert_int_equal(le32(t + 28), 0x520F200Cu); /* 4K/20h 32K/52h */
		assert_int_equal(le32(t + 32), 0xFF00D810u); /* 64K/D8h */
		assert_int_equal((le32(t) >> 17) & 3, p->addr4 == FC_ADDR4_NONE ? 0 : 1);
		if (ndw >= 16) {
			uint32_t dw10 = le32(t + 36), dw11 = le32(t + 40);
			static const uint32_t eunit[4] = { 1, 16, 128, 1000 };  /* ms */
			uint32_t e1 = dw10 >> 4 & 0x7F, e3 = dw10 >> 18 & 0x7F;
			uint32_t se = ((e1 & 31) + 1) * eunit[e1 >> 5] * 1000;
			uint32_t be = ((e3 & 31) + 1) * eunit[e3 >> 5] * 1000;
			uint32_t emul = 2 * ((dw10 & 15) + 1);
			uint32_t pp = ((dw11 >> 8 & 31) + 1) * ((dw11 >> 13 & 1) ? 64 : 8);
			uint32_t pmul = 2 * ((dw11 & 15) + 1);

			assert_int_equal(1u << (dw11 >> 4 & 15), p->page_size);
			/* Typical times round up, by less than one unit step. */
			assert_true(se >= p->t_se_typ && se < 2 * p->t_se_typ);
			assert_true(be >= p->t_be64_typ && be < 2 * p->t_be64_typ);
			assert_true(pp >= p->t_pp_typ && pp < 2 * p->t_pp_typ);
			assert_true((uint64_t)emul * se >= p->t_se_max);
			assert_true((uint64_t)emul * be >= p->t_be64_max);
			assert_true((uint64_t)pmul * pp >= p->t_pp_max);
			assert_int_equal((le32(t + 56) >> 20) & 7, 1);  /* QER 001 */
		}
		t = sfdp_table(s, 0xFF84, &ndw);
		if (p->addr4 == FC_ADDR4_NATIVE) {
			assert_non_null(t);
			assert_int_equal(ndw, 2);
			assert_int_equal(le32(t + 4) & 0xFFFFFF, 0xDC5C21);
		} else {
			assert_null(t);
		}
		close_part(state);
	}
}

/* ---- power-down and reset ---- */

static void test_power_down(void **state)
{
	struct rig *r = open_part(state, "W25Q80", 0, 0x00);
	uint8_t id[3];

	cmd(r, 0xB9);
	r->now += 3 * US;
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);
	assert_int_equal(id[0] & id[1] & id[2], 0xFF);
	assert_int_equal(rdsr(r, 0x05), 0xFF);
	wren(r);
	erase(r, 0x20, 0);
	assert_int_equal(read1(r, 0), 0xFF);            /* MISO idle, not data */
	assert_int_equal(r->mem[0], 0x00);
	/* ABh answers the device ID even from power-down, then releases. */
	xfer(r, 0xAB, 0, 3, 0, NULL, id, 1);
	assert_int_equal(id[0], 0x13);
	assert_int_equal(rdsr(r, 0x05), 0xFF);          /* within tRES1 */
	r->now += 3 * US;
	assert_int_equal(rdsr(r, 0x05), 0x00);          /* WREN was ignored */
	xfer(r, 0x9F, 0, 0, 0, NULL, id, 3);
	assert_int_equal(id[0], 0xEF);
	/* 99h without 66h right before it does nothing. */
	wren(r);
	cmd(r, 0x66);
	rdsr(r, 0x05);
	cmd(r, 0x99);
	assert_int_equal(rdsr(r, 0x05), 0x02);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, teardown)
		T(test_jedec_id_all_parts),
		T(test_rems_res),
		T(test_part_find),
		T(test_read),
		T(test_program_without_wel_refused),
		T(test_wel_cleared_after_program),
		T(test_program_ands_bits),
		T(test_page_wrap),
		T(test_malformed_commands_ignored),
		T(test_busy_typ_time_ignores_commands),
		T(test_wip_clears_in_long_rdsr),
		T(test_erase_alignment_granularity),
		T(test_mx_52h_erases_64k),
		T(test_wrsr_one_byte_clears_sr2),
		T(test_wrsr_rules),
		T(test_protected_region_refuses),
		T(test_cmp_inverts),
		T(test_chip_erase_refused_when_protected),
		T(test_mx_protection),
		T(test_w25q256_4byte_mode),
		T(test_w25q256_native_4byte_opcodes),
		T(test_sst_aai),
		T(test_sfdp),
		T(test_power_down),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
