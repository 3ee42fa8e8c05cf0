/*
 * Unit tests of nothing-lost: the backup of the sectors a write changes
 * (backup.c), the journal that puts back bytes a cut write left erased
 * (resume.c), the state of a range after a failure (wstate.c) and the port
 * lock (lock.c), against the real firmware core and chip model in process
 * (fw_bench.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/backup.h"
#include "fw_bench.h"
#include "transport/lock.h"
#include "core/resume.h"
#include "core/wstate.h"

#define S 4096u

struct t {
	struct fw_bench *b;
	char dir[64];
	uint8_t id[3];
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->b = fw_bench_new("W25Q80", 1);
	assert_int_equal(dev_open(&t->b->dev, &t->b->link, 500), 0);
	fw_bench_attach(t->b);
	assert_int_equal(ops_detect(&t->b->ops), 0);
	strcpy(t->dir, "/tmp/spiflash-test-backup-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	memcpy(t->id, "\xef\x40\x14", 3);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", t->dir);
	fw_bench_free(t->b);
	free(t);
	return 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1u << 20);

	assert_non_null(f);
	assert_non_null(buf);
	*n = fread(buf, 1, 1u << 20, f);
	fclose(f);
	return buf;
}

/* Only the run of sectors that change is saved, with the chip's old bytes;
 * sectors that already hold the wanted bytes are counted, not read. */
static void test_backup_saves_the_changed_run(void **state)
{
	struct t *t = *state;
	uint8_t *mem = t->b->mem, *want = malloc(8 * S), *got;
	struct backup b;
	char msg[512];
	size_t n;

	memcpy(want, mem + 0x10000, 8 * S);          /* 8 sectors, all equal ... */
	want[2 * S + 5] ^= 0x55;                     /* ... but the 3rd */
	want[5 * S + 9] ^= 0x55;                     /* ... and the 6th */
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x10000, want, 8 * S, NULL, &b, msg,
				     sizeof(msg)), 0);
	assert_int_equal(b.addr, 0x10000 + 2 * S);
	assert_int_equal(b.len, 4 * S);
	assert_int_equal(b.sectors_same, 6);
	assert_non_null(strstr(b.path, "-0x012000.bin"));
	got = slurp(b.path, &n);
	assert_int_equal(n, 4 * S);
	assert_memory_equal(got, mem + 0x12000, 4 * S);
	free(got);
	assert_int_equal(backup_note(&b, "-d /dev/ttyX", msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "--flash-offset 0x012000 write"));
	free(want);
}

/* The file spans every sector that changes, so writing it back puts the
 * chip as it was: erased sectors in it are FF (known from their CRC, not
 * read), whole sectors already right are the wanted bytes (not read either);
 * only the others cross the line. */
static void test_backup_spans_erased_sectors(void **state)
{
	struct t *t = *state;
	uint8_t *mem = t->b->mem, *want = malloc(6 * S), *got;
	struct backup b;
	char msg[512];
	uint64_t read0;
	size_t n;

	memset(mem + 0x20000, 0xFF, 6 * S);          /* six erased sectors ... */
	memset(mem + 0x20000 + 4 * S, 0x3C, S);      /* ... but the 5th */
	memset(want, 0x77, 6 * S);                   /* all about to change ... */
	memset(want + 2 * S, 0xFF, S);               /* ... but the 3rd */
	read0 = t->b->ops.stats.bytes_read;
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x20000, want, 6 * S, NULL, &b, msg,
				     sizeof(msg)), 0);
	assert_int_equal(b.addr, 0x20000);
	assert_int_equal(b.len, 6 * S);
	assert_int_equal(b.sectors_same, 1);
	got = slurp(b.path, &n);
	assert_int_equal(n, 6 * S);
	assert_memory_equal(got, mem + 0x20000, 6 * S);
	free(got);
	/* one sector read: the one with data */
	assert_int_equal(t->b->ops.stats.bytes_read - read0, S);
	free(want);
}

/* Nothing to save when nothing changes, or when what changes is erased. */
static void test_backup_nothing_to_save(void **state)
{
	struct t *t = *state;
	uint8_t *mem = t->b->mem;
	struct backup b;
	char msg[512];
	uint8_t want[S];

	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x3001, mem + 0x3001, 100, NULL, &b,
				     msg, sizeof(msg)), 0);
	assert_int_equal(b.len, 0);
	memset(mem + 0x5000, 0xFF, S);               /* an erased sector ... */
	memset(want, 0x12, sizeof(want));            /* ... about to be written */
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x5000, want, S, NULL, &b, msg,
				     sizeof(msg)), 0);
	assert_int_equal(b.len, 0);
	/* an erase of an unaligned range saves the whole sector around it */
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x7100, NULL, 0x100, NULL, &b, msg,
				     sizeof(msg)), 0);
	assert_int_equal(b.addr, 0x7000);
	assert_int_equal(b.len, S);
}

/* An existing backup is never overwritten: FILE.1 is used. */
static void test_backup_never_overwrites(void **state)
{
	struct t *t = *state;
	char path[128], msg[512];
	struct backup b;
	FILE *f;

	snprintf(path, sizeof(path), "%s/b.bin", t->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("precious", f);
	fclose(f);
	assert_int_equal(backup_save(&t->b->ops, path, NULL, 0x9000, NULL, S, NULL, &b, msg,
				     sizeof(msg)), 0);
	assert_int_equal(b.len, S);
	assert_non_null(strstr(b.path, "/b.bin.1"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(msg, sizeof(msg), f));
	fclose(f);
	assert_string_equal(msg, "precious");
}

/*
 * A write of [0x1100, 0x2F00) cut after erasing its first sector and putting
 * back only 0x80 of the 0x100 bytes before the range: resume_plan grows the
 * range to the sector and takes those bytes from the journaled backup; the
 * write then leaves every byte around the range as it was.
 */
static void test_resume_puts_back_what_a_cut_write_erased(void **state)
{
	struct t *t = *state;
	uint8_t *mem = t->b->mem, *old = malloc(1u << 20), want[0x1E00];
	struct resume r;
	struct backup b;
	char msg[512], st[512];
	unsigned i;

	memcpy(old, mem, 1u << 20);
	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7 + 1);
	resume_init(&r, t->dir, t->id);
	assert_int_equal(resume_plan(&r, &t->b->ops, 0x1100, want, sizeof(want)), 0);
	assert_int_equal(r.restored, 0);             /* no journal yet */
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x1100, want, sizeof(want), NULL, &b,
				     msg, sizeof(msg)), 0);
	resume_add(&r, b.addr, b.addr + b.len, b.path);
	resume_free(&r);
	/* the cut: sector 0x1000 erased, its first 0x80 bytes back, the rest not */
	memset(mem + 0x1000, 0xFF, S);
	memcpy(mem + 0x1000, old + 0x1000, 0x80);
	assert_int_equal(wstate_describe(&t->b->ops, 0x1100, want, sizeof(want), b.path, b.addr,
					 b.len, st, sizeof(st)), 0);
	assert_string_equal(st, "0x001100-0x001fff erased, 0x002000-0x002eff as before");

	resume_init(&r, t->dir, t->id);
	assert_int_equal(resume_plan(&r, &t->b->ops, 0x1100, want, sizeof(want)), 0);
	assert_int_equal(r.lo, 0x1000);
	assert_int_equal(r.hi, 0x2F00);              /* the tail was untouched */
	assert_int_equal(r.restored, 0x100);
	assert_memory_equal(r.want, old + 0x1000, 0x100);
	assert_memory_equal(r.want + 0x100, want, sizeof(want));
	assert_int_equal(ops_write(&t->b->ops, r.lo, r.want, r.hi - r.lo, 1), 0);
	resume_done(&r, r.lo, r.hi);
	resume_free(&r);
	assert_memory_equal(mem, old, 0x1100);
	assert_memory_equal(mem + 0x1100, want, sizeof(want));
	assert_memory_equal(mem + 0x2F00, old + 0x2F00, (1u << 20) - 0x2F00);
	assert_int_equal(access(r.journal, F_OK), -1);   /* finished: journal gone */
	assert_int_equal(wstate_describe(&t->b->ops, 0x1100, want, sizeof(want), NULL, 0, 0, st,
					 sizeof(st)), 0);
	assert_string_equal(st, "0x001100-0x002eff done");
	free(old);
}

/* Bytes around the range changed on purpose since (not FF, not the backup's)
 * are left alone; the other edge, only erased, is put back. */
static void test_resume_keeps_a_deliberate_change(void **state)
{
	struct t *t = *state;
	uint8_t *mem = t->b->mem, want[0x100];
	struct resume r;
	struct backup b;
	char msg[512];

	memset(want, 0x42, sizeof(want));
	resume_init(&r, t->dir, t->id);
	assert_int_equal(backup_save(&t->b->ops, NULL, t->dir, 0x4800, want, sizeof(want), NULL, &b,
				     msg, sizeof(msg)), 0);
	resume_add(&r, b.addr, b.addr + b.len, b.path);
	memset(mem + 0x4000, 0xFF, S);               /* erased by the cut run ... */
	mem[0x4010] = 0x00;                          /* ... and someone wrote here since */
	assert_int_equal(resume_plan(&r, &t->b->ops, 0x4800, want, sizeof(want)), 0);
	/* the head [0x4000, 0x4800) is left as it is now; the tail after the
	 * range, erased and otherwise untouched, comes back */
	assert_int_equal(r.lo, 0x4800);
	assert_int_equal(r.hi, 0x5000);
	assert_int_equal(r.restored, 0x700);
	assert_int_equal(ops_write(&t->b->ops, r.lo, r.want, r.hi - r.lo, 1), 0);
	assert_int_equal(mem[0x4010], 0x00);
	assert_int_equal(mem[0x4011], 0xFF);
	resume_free(&r);
}

/* --no-backup still guards the two partly covered sectors, and drops them
 * once the command has succeeded. */
static void test_resume_guard_edges(void **state)
{
	struct t *t = *state;
	uint8_t want[3 * S];
	struct resume r;
	char msg[512];

	memset(want, 0x5A, sizeof(want));
	resume_init(&r, t->dir, t->id);
	assert_int_equal(resume_guard(&r, &t->b->ops, 0x20100, want, sizeof(want), msg,
				      sizeof(msg)), 0);
	assert_int_equal(r.nguard, 2);
	assert_non_null(strstr(r.guard[0], "-0x020000.bin"));
	assert_non_null(strstr(r.guard[1], "-0x023000.bin"));
	assert_int_equal(access(r.guard[0], R_OK), 0);
	assert_int_equal(access(r.journal, R_OK), 0);
	resume_done(&r, 0x20100, 0x20100 + sizeof(want));
	assert_int_equal(r.nguard, 0);
	assert_int_equal(access(r.journal, F_OK), -1);
	resume_free(&r);
}

/* One port, one user. */
static void test_lock(void **state)
{
	struct t *t = *state;
	struct lock a, b;
	char path[128], msg[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/port", t->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(lock_take(&a, path, msg, sizeof(msg)), 0);
	assert_true(a.fd >= 0);
	assert_int_equal(lock_take(&b, path, msg, sizeof(msg)), LOCK_E_BUSY);
	assert_non_null(strstr(msg, "is in use by another spiflash"));
	lock_release(&a);
	assert_int_equal(lock_take(&b, path, msg, sizeof(msg)), 0);
	lock_release(&b);
	/* a node that cannot be opened is left to the link to report */
	assert_int_equal(lock_take(&b, "/nonexistent/port", msg, sizeof(msg)), 0);
	assert_int_equal(b.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_saves_the_changed_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_nothing_to_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_never_overwrites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_spans_erased_sectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_puts_back_what_a_cut_write_erased, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resume_keeps_a_deliberate_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_guard_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
	};

	return cmocka_run_group_tests_name("backup", tests, NULL, NULL);
}
