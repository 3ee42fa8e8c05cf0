/*
 * Unit tests of the flash chip model: every test drives the chip through
 * the bus (select, bytes, deselect) with simulated time, as the emulator and
 * the firmware do, and checks what silicon would do.
 */

#include "fc_rig.h"

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
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
