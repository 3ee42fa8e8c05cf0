/*
 * serprog in the firmware, on the host: the real fw_core (with its serprog
 * hook) and fw_serprog against the strict chip model.  The bytes below are
 * what flashrom 1.3.0 sends; the noise tests check the safety rule of
 * PROTOCOL.md section 7: nothing but a complete, armed O_SPIOP reaches the
 * chip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw_core.h"
#include "fw_serprog.h"
#include "fw_host_hal.h"
#include "flashchip.h"

#define PART "W25Q80"
#define ACK FW_SP_ACK
#define NAK FW_SP_NAK

struct bench {
	struct fc_chip chip;
	uint8_t *mem;
	struct fw_core core;
	uint8_t out[70000];
	size_t out_len;
};

static int setup(void **state)
{
	struct bench *b = calloc(1, sizeof(*b));
	const struct fc_part *p = fc_part_find(PART);

	if (!b || !p)
		return -1;
	b->mem = malloc(p->size);
	memset(b->mem, 0xFF, p->size);
	fc_init(&b->chip, p, b->mem, 0);
	host_hal_attach(&b->chip);
	fw_core_init(&b->core);
	host_hal_output_clear();     /* the READY frame */
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	struct bench *b = *state;

	free(b->mem);
	free(b);
	return 0;
}

/* Feed bytes as one burst and run the firmware until it has taken them;
 * the answer lands in b->out.  A serprog host sends one command and waits
 * for the answer, so tests call this once per command. */
static size_t run(struct bench *b, const uint8_t *in, size_t n)
{
	const uint8_t *o;
	size_t len;
	int guard = 0;

	host_hal_output_clear();
	host_hal_input(in, n);
	while (host_hal_input_left() && guard++ < 1000000)
		fw_core_poll(&b->core);
	fw_core_poll(&b->core);
	o = host_hal_output(&len);
	memcpy(b->out, o, len);
	b->out_len = len;
	return len;
}

#define RUN(b, ...) do { \
		static const uint8_t in_[] = { __VA_ARGS__ }; \
		run((b), in_, sizeof(in_)); \
	} while (0)

static void expect(struct bench *b, const uint8_t *want, size_t n)
{
	assert_int_equal(b->out_len, n);
	assert_memory_equal(b->out, want, n);
}

#define EXPECT(b, ...) do { \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		expect((b), want_, sizeof(want_)); \
	} while (0)

/* flashrom's start: 8 NOPs, SYNCNOP twice, then the queries it makes for
 * an SPI programmer, with the exact answers. */
static void flashrom_init(struct bench *b)
{
	RUN(b, 0, 0, 0, 0, 0, 0, 0, 0);
	EXPECT(b, ACK, ACK, ACK, ACK, ACK, ACK, ACK, ACK);
	RUN(b, 0x10);
	EXPECT(b, NAK, ACK);
	RUN(b, 0x10);
	EXPECT(b, NAK, ACK);
	RUN(b, 0x01);
	EXPECT(b, ACK, 0x01, 0x00);
	RUN(b, 0x02);
	assert_int_equal(b->out_len, 33);
	assert_int_equal(b->out[0], ACK);
	assert_int_equal(b->out[1], 0x3F);
	assert_int_equal(b->out[2], 0x01);
	assert_int_equal(b->out[3], 0x3F);
	RUN(b, 0x05);
	EXPECT(b, ACK, 0x08);
	RUN(b, 0x12, 0x08);
	EXPECT(b, ACK);
	RUN(b, 0x08);
	EXPECT(b, ACK, 0x00, 0x02, 0x00);          /* 512 */
	RUN(b, 0x11);
	EXPECT(b, ACK, 0xFF, 0xFF, 0xFF);
	RUN(b, 0x14, 0x00, 0x12, 0x7A, 0x00);       /* 8 MHz */
	EXPECT(b, ACK, 0x00, 0x12, 0x7A, 0x00);
	RUN(b, 0x03);
	assert_int_equal(b->out_len, 17);
	assert_memory_equal(b->out + 1, "spiflash\0\0\0\0\0\0\0\0", 16);
	RUN(b, 0x04);
	assert_int_equal(b->out_len, 3);
	assert_int_equal(b->out[0], ACK);
	RUN(b, 0x15, 0x01);
	EXPECT(b, ACK);
}

static void test_flashrom_init_and_jedec(void **state)
{
	struct bench *b = *state;

	flashrom_init(b);
	RUN(b, 0x13, 1, 0, 0, 3, 0, 0, 0x9F);
	EXPECT(b, ACK, 0xEF, 0x40, 0x14);
	assert_int_equal(b->core.serprog.state & FW_SP_ARMED, FW_SP_ARMED);
}

static void test_spi_freq_zero_refused(void **state)
{
	struct bench *b = *state;

	RUN(b, 0x10);
	RUN(b, 0x14, 0, 0, 0, 0);
	EXPECT(b, NAK);
	RUN(b, 0x14, 0x40, 0x42, 0x0F, 0x00);       /* 1 MHz */
	EXPECT(b, ACK, 0x40, 0x42, 0x0F, 0x00);
	RUN(b, 0x14, 1, 0, 0, 0);                   /* below the slowest: the slowest */
	EXPECT(b, ACK, 0x48, 0xE8, 0x01, 0x00);     /* 125 kHz */
}

/* WREN, page program, poll, read back in one long read (more than half of
 * the buffer, so it goes out in pieces). */
static void test_program_and_long_read(void **state)
{
	struct bench *b = *state;
	static const uint8_t rd[] = { 0x13, 4, 0, 0, 0x58, 0x02, 0, 0x03, 0x00, 0x01, 0x00 };
	uint8_t cmd[7 + 4 + 250];
	int i;

	flashrom_init(b);
	RUN(b, 0x13, 1, 0, 0, 0, 0, 0, 0x06);
	EXPECT(b, ACK);
	/* page program of 250 bytes at 0x000100: slen 254, rlen 0 */
	memset(cmd, 0, sizeof(cmd));
	cmd[0] = 0x13;
	cmd[1] = 4 + 250;
	cmd[7] = 0x02;
	cmd[9] = 0x01;
	for (i = 0; i < 250; i++)
		cmd[11 + i] = (uint8_t)(i * 7 + 1);
	run(b, cmd, sizeof(cmd));
	EXPECT(b, ACK);
	host_hal_advance_ms(10);
	RUN(b, 0x13, 1, 0, 0, 1, 0, 0, 0x05);
	EXPECT(b, ACK, 0x00);
	/* 600 bytes from 0x000100: more than half the buffer, so in pieces */
	run(b, rd, sizeof(rd));
	assert_int_equal(b->out_len, 1 + 600);
	assert_int_equal(b->out[0], ACK);
	for (i = 0; i < 250; i++)
		assert_int_equal(b->out[1 + i], (uint8_t)(i * 7 + 1));
	assert_memory_equal(b->out + 1, b->mem + 0x100, 600);
	assert_int_equal(b->chip.stats.programs, 1);
}

static void test_spiop_before_arming_refused(void **state)
{
	struct bench *b = *state;

	RUN(b, 0x10);
	/* no Q_IFACE / Q_CMDMAP / S_BUSTYPE: refused, and its data (which
	 * looks like a SYNCNOP and a NOP) is swallowed, not obeyed */
	RUN(b, 0x13, 3, 0, 0, 0, 0, 0, 0x06, 0x10, 0x00);
	EXPECT(b, NAK);
	RUN(b, 0x01);
	RUN(b, 0x12, 0x08);        /* S_BUSTYPE before Q_CMDMAP: not armed */
	EXPECT(b, ACK);
	RUN(b, 0x13, 1, 0, 0, 0, 0, 0, 0x06);
	EXPECT(b, NAK);
	assert_int_equal(b->chip.sr1 & 0x02, 0);   /* WEL never set */
}

static void test_pins_off_refuses(void **state)
{
	struct bench *b = *state;

	flashrom_init(b);
	RUN(b, 0x15, 0x00);
	EXPECT(b, ACK);
	RUN(b, 0x13, 1, 0, 0, 0, 0, 0, 0x06);
	EXPECT(b, NAK);
	RUN(b, 0x15, 0x01);
	RUN(b, 0x13, 1, 0, 0, 0, 0, 0, 0x06);
	EXPECT(b, ACK);
	assert_int_equal(b->chip.sr1 & 0x02, 0x02);
}

static void test_oversize_swallowed(void **state)
{
	struct bench *b = *state;
	uint8_t cmd[7 + 600];

	flashrom_init(b);
	memset(cmd, 0x10, sizeof(cmd));      /* SYNCNOPs if they were obeyed */
	cmd[0] = 0x13;
	cmd[1] = 600 & 0xFF;
	cmd[2] = 600 >> 8;
	cmd[3] = cmd[4] = cmd[5] = cmd[6] = 0;
	cmd[7] = 0x06;
	run(b, cmd, sizeof(cmd));
	EXPECT(b, NAK);
	assert_int_equal(b->chip.sr1 & 0x02, 0);
	/* still in the session, still armed */
	RUN(b, 0x13, 1, 0, 0, 3, 0, 0, 0x9F);
	EXPECT(b, ACK, 0xEF, 0x40, 0x14);
}

/* Three of five bytes, then silence: nothing reaches the chip, and the
 * session is over (its next bytes would be read as commands otherwise). */
static void test_truncated_spiop_never_selects(void **state)
{
	struct bench *b = *state;

	flashrom_init(b);
	RUN(b, 0x13, 5, 0, 0, 0, 0, 0, 0x06, 0x06, 0x06);
	host_hal_advance_ms(200);
	fw_core_poll(&b->core);
	fw_core_poll(&b->core);
	assert_int_equal(b->chip.sr1 & 0x02, 0);
	assert_int_equal(b->core.serprog.state, 0);
	RUN(b, 0x05);
	EXPECT(b);                              /* outside a session: silence */
}

static void test_unknown_command_ends_session(void **state)
{
	struct bench *b = *state;

	flashrom_init(b);
	RUN(b, 0x0D);                            /* O_WRITEN: not ours */
	EXPECT(b, NAK);
	assert_int_equal(b->core.serprog.state, 0);
	RUN(b, 0x05);                            /* not a sync: ignored */
	EXPECT(b);
}

/* HELLO frame (PROTOCOL.md section 4) */
static const uint8_t hello[] = { 0xA5, 0x06, 0x01, 0x01, 0x01, 0x20, 0x14, 0x00 };

static int hello_answered(struct bench *b)
{
	uint8_t body[PROTO_MAX_BODY];
	struct proto_dec d;
	size_t i;

	run(b, hello, sizeof(hello));
	proto_dec_init(&d, body, sizeof(body));
	for (i = 0; i < b->out_len; i++)
		if (proto_dec_feed(&d, b->out[i]) == PROTO_DEC_FRAME && d.type == 0x81 &&
		    d.payload[0] == 0)
			return 1;
	return 0;
}

/* spiflash, then serprog, then spiflash again, without a reset; an A5 in
 * the middle of a serprog session ends it. */
static void test_switching(void **state)
{
	struct bench *b = *state;

	assert_true(hello_answered(b));
	flashrom_init(b);
	RUN(b, 0x13, 1, 0, 0, 3, 0, 0, 0x9F);
	EXPECT(b, ACK, 0xEF, 0x40, 0x14);
	assert_true(hello_answered(b));
	assert_int_equal(b->core.serprog.state, 0);
	RUN(b, 0x13);                            /* the session is gone */
	EXPECT(b);
	flashrom_init(b);
	assert_true(hello_answered(b));
}

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void noise(struct bench *b, uint32_t seed, size_t total, unsigned alphabet)
{
	uint8_t chunk[257];
	size_t done;

	for (done = 0; done < total; done += sizeof(chunk)) {
		size_t i;

		for (i = 0; i < sizeof(chunk); i++)
			chunk[i] = (uint8_t)(rng(&seed) % alphabet);
		run(b, chunk, sizeof(chunk));
		host_hal_advance_ms(rng(&seed) % 3 ? 0 : 150);
	}
	assert_int_equal(b->chip.stats.programs, 0);
	assert_int_equal(b->chip.stats.erases, 0);
	assert_int_equal(b->chip.stats.sr_writes, 0);
	assert_int_equal(b->chip.stats.refused, 0);
	assert_int_equal(b->chip.sr1 & 0x02, 0);
}

/* Line noise: uniformly random bytes, with pauses. */
static void test_random_bytes_never_write(void **state)
{
	noise(*state, 0x12345678u, 1u << 20, 256);
}

/* Worse than noise: only serprog command bytes (00-15), the alphabet most
 * likely to walk through a session. */
static void test_command_bytes_never_write(void **state)
{
	noise(*state, 0xC0FFEEu, 1u << 18, 0x16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flashrom_init_and_jedec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spi_freq_zero_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_and_long_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spiop_before_arming_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pins_off_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_swallowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_spiop_never_selects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command_ends_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_bytes_never_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_bytes_never_write, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
