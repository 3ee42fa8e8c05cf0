/*
 * fw_bench: see fw_bench.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw_bench.h"
#include "prog/sketch.h"
#include "fw_host_hal.h"

/* A UART at the wrong rate, or a rate the cable cannot carry, turns a byte
 * into another. */
static uint8_t garble_byte(const struct fw_bench *b, uint8_t byte, uint32_t dev)
{
	return b->host_baud == dev && dev <= b->max_ok_baud ? byte : (uint8_t)(byte ^ 0x55);
}

static void garble(const struct fw_bench *b, uint8_t *buf, size_t len)
{
	for (; len; len--, buf++)
		*buf = garble_byte(b, *buf, host_hal_baud());
}

static void pump(struct fw_bench *b)
{
	size_t n, i;
	const uint8_t *o;
	int guard = 0;

	while (host_hal_input_left() && guard++ < 1000000)
		fw_core_poll(&b->core);
	for (i = 0; i < 4; i++)
		fw_core_poll(&b->core);
	o = host_hal_output(&n);
	if (b->out_pos == b->out_len)
		b->out_pos = b->out_len = 0;
	if (n > sizeof(b->out) - b->out_len)
		n = sizeof(b->out) - b->out_len;
	/* each byte as the client's UART receives it at the device's rate of
	 * the moment it was sent, less what a drop window loses */
	for (i = 0; i < n; i++) {
		uint64_t g = b->out_total + i;

		if (g >= b->drop_at && g < b->drop_at + b->drop_len)
			continue;
		b->out[b->out_len++] = garble_byte(b, o[i], host_hal_baud_at(i));
	}
	b->out_total += n;
	host_hal_output_clear();
}

static int fl_write(void *ctx, const uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct fw_bench *b = ctx;
	static uint8_t copy[PROTO_WIRE_MAX_LEN];

	(void)timeout_ms;
	memcpy(copy, buf, len);
	/* copy[2]: the type, the first byte of the first COBS block */
	if (b->corrupt_next_write && len > 4 && b->writes >= b->corrupt_after &&
	    (!b->corrupt_type || copy[2] == b->corrupt_type)) {
		copy[3] ^= 0x10;
		b->corrupt_next_write--;
		if (b->overrun)
			host_hal_set_rx_drops((uint8_t)(hal_uart_rx_drops() + 1));
	}
	if (b->lose_next_write && len > 4 && b->writes >= b->corrupt_after) {
		copy[0] ^= 0x10;
		b->lose_next_write--;
	}
	b->writes++;
	garble(b, copy, len);
	/* the firmware drops a half frame after 100 ms of silence: let time
	 * pass between requests as it would on a real line */
	host_hal_advance_ms(1);
	host_hal_input(copy, len);
	pump(b);
	return LINK_OK;
}

static int fl_read(void *ctx, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct fw_bench *b = ctx;
	size_t n = b->out_len - b->out_pos;

	(void)timeout_ms;
	if (n == 0) {
		host_hal_advance_ms(10);
		pump(b);
		n = b->out_len - b->out_pos;
	}
	if (n > len)
		n = len;
	memcpy(buf, b->out + b->out_pos, n);
	b->out_pos += n;
	return (int)n;
}

static int fl_flush(void *ctx)
{
	struct fw_bench *b = ctx;

	b->out_pos = b->out_len = 0;
	host_hal_output_clear();
	return LINK_OK;
}

static int fl_baud(void *ctx, uint32_t baud)
{
	struct fw_bench *b = ctx;

	b->host_baud = baud;
	return LINK_OK;
}

static void fl_close(void *ctx)
{
	(void)ctx;
}

static const struct link_ops fl_ops = {
	.name = "fw_core", .close = fl_close, .read = fl_read, .write = fl_write,
	.flush_input = fl_flush, .set_baud = fl_baud,
};

struct fw_bench *fw_bench_new(const char *part, int random_fill)
{
	struct fw_bench *b = calloc(1, sizeof(*b));
	const struct fc_part *p = fc_part_find(part);
	uint32_t i;

	assert_non_null(b);
	assert_non_null(p);
	b->mem = malloc(p->size);
	assert_non_null(b->mem);
	srand(1);
	for (i = 0; i < p->size; i++)
		b->mem[i] = random_fill ? (uint8_t)rand() : 0xFF;
	fc_init(&b->chip, p, b->mem, 0);
	host_hal_attach(&b->chip);
	fw_core_init(&b->core);
	pump(b);       /* READY, left unread as on a pty */
	b->link.ops = &fl_ops;
	b->link.ctx = b;
	b->link.baud = 115200;
	b->host_baud = 115200;
	b->max_ok_baud = 2000000;
	return b;
}

void fw_bench_attach(struct fw_bench *b)
{
	if (sketch_attach(&b->prog, &b->dev))
		abort();
	ops_init(&b->ops, &b->prog, NULL, NULL);
}

void fw_bench_free(struct fw_bench *b)
{
	prog_close(&b->prog);
	free(b->mem);
	free(b);
}
