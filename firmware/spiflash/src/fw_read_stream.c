/*
 * fw_read_stream: the READ_STREAM request (PROTOCOL.md): one request, many
 * DATA frames, each block read twice so the host catches a flaky clip
 * without a second pass over the line.  Its own file because it owns the
 * transmit path while it runs: it sends by polling from the loops that read
 * the chip (fw_stream.c, or the assembly in hal_arduino_loops.cpp).
 */
#include "fw_read_stream.h"
#include "fw_hal.h"
#include "proto_msg.h"

/*
 * The check of a stream block: CRC-32 of its address (4 bytes, little-endian)
 * and of a second read of its bytes.  The address is in it so that a block
 * the host put in the wrong place (frames are numbered only modulo 256) can
 * never pass: without it, a whole run of blocks shifted by 256 would.
 */
static uint32_t block_check(struct fw_core *c, uint32_t addr, uint16_t n)
{
	uint8_t a[4];

	proto_put32(a, addr);
	return flash_crc32(&c->flash, addr, n, proto_crc32_update(0, a, 4));
}

/* The check of a block under PROTO_STREAM_CMP: CRC-32 of its address,
 * complemented if the second read differed from the first. */
static uint32_t addr_check(uint32_t addr, uint8_t differ)
{
	uint8_t a[4];
	uint32_t k;

	proto_put32(a, addr);
	k = proto_crc32_update(0, a, 4);
	return differ ? ~k : k;
}

/*
 * One block as a DATA frame under PROTO_STREAM_CMP, built in b: the first
 * read takes the frame's CRC-16 on the way, the second compares and
 * COBS-encodes in place, and both send the frame before by polling (tx).
 * Returns the frame's length; *all is the AND of the first read's bytes,
 * *differ nonzero when the second read differed.
 */
static uint16_t data_frame(struct fw_core *c, uint32_t addr, uint16_t n, uint8_t seq,
			   uint32_t check, uint8_t *b, uint8_t *all, uint8_t *differ)
{
	uint8_t *body = b + PROTO_INPLACE_OFS;
	uint8_t *data = b + PROTO_INPLACE_PAYLOAD + PROTO_DATA_HDR;
	struct hal_tx tx;
	struct hal_cobs cs;
	uint16_t crc = 0;
	uint8_t i;

	body[0] = PROTO_OP_DATA;
	body[1] = seq;
	proto_put32(body + PROTO_HDR_LEN, check);
	for (i = 0; i < PROTO_HDR_LEN + PROTO_DATA_HDR; i++)
		crc = proto_crc16_update(crc, body[i]);
	/* the glue between the loops sends in the background; the loops take
	 * the rest over and send it by polling */
	flash_read_begin(&c->flash, addr);
	hal_uart_take(&tx);
	*all = hal_spi_read_crc16(data, n, &crc, &tx);
	hal_uart_send(tx.p, tx.n);
	flash_read_end(&c->flash);
	b[0] = PROTO_SOF;
	cs.code = b + 1;
	cs.out = b + 2;
	for (i = 0; i < PROTO_HDR_LEN + PROTO_DATA_HDR; i++)
		fw_cobs_put(&cs, body[i]);
	flash_read_begin(&c->flash, addr);
	hal_uart_take(&tx);
	*differ = hal_spi_cmp_cobs(data, n, &cs, &tx);
	hal_uart_send(tx.p, tx.n);
	flash_read_end(&c->flash);
	fw_cobs_put(&cs, (uint8_t)crc);
	fw_cobs_put(&cs, (uint8_t)(crc >> 8));
	*cs.code = (uint8_t)(cs.out - cs.code);
	*cs.out++ = PROTO_EOF;
	return (uint16_t)(cs.out - b);
}

struct blank_run {
	uint32_t addr, len;     /* len 0: no run under way */
	uint32_t check;         /* of the block before it */
	uint16_t t0;            /* hal_millis() at its start, low bits */
	uint8_t seq;            /* of its first block */
};

/* The run of blank blocks under way as one DATA_BLANK frame, built in b
 * (free: the frame before went out from the other buffer). */
static void run_send(struct blank_run *r, uint8_t *b, uint16_t cap)
{
	size_t n = proto_data_run_pack(b + PROTO_INPLACE_PAYLOAD, r->check, r->addr, r->len);

	hal_uart_send(b, (uint16_t)proto_encode_inplace(b, cap, PROTO_OP_DATA_BLANK, r->seq, n));
	r->len = 0;
}

/* Two reads that keep nothing: is [addr, addr+n) erased. */
static uint8_t blank_twice(struct fw_core *c, uint32_t addr, uint16_t n)
{
	return flash_read_and(&c->flash, addr, n) == 0xFF &&
	       flash_read_and(&c->flash, addr, n) == 0xFF;
}

/*
 * Inside a run of blank blocks: the next block joins the run if it is blank
 * (read twice, nothing kept).  Returns 0 when it is not: the run ends there.
 */
static uint8_t run_take(struct fw_core *c, struct proto_req_stream *q, struct proto_ans_stream *a,
			struct blank_run *r, uint8_t seq, uint16_t n)
{
	if (!blank_twice(c, q->addr, n))
		return 0;
	if (!r->len) {
		r->addr = q->addr;
		r->check = a->check;
		r->seq = seq;
		r->t0 = (uint16_t)hal_millis();
	}
	r->len += n;
	return 1;
}

/*
 * READ_STREAM with PROTO_STREAM_CMP: the device compares the second read
 * with the first, so no CRC-32 of it on the device, and sends by polling
 * from the loops that read the chip (fw_hal.h).  A block is built in one
 * buffer while the other goes out.  As in the plain stream, each frame
 * carries the check of the block before it, the END answer the last one's.
 * With PROTO_STREAM_BLANK_RUN, blank blocks after the first of a run go out
 * as one frame for the run, at its end or FW_BLANK_RUN_MS after its start:
 * at 115200 a 15-byte frame per 512-byte block cost as much as reading the
 * block twice.
 */
static int16_t stream_cmp(struct fw_core *c, struct proto_req_stream *q, uint8_t seq,
			  struct proto_ans_stream *a)
{
	uint8_t *bufs[2];
	uint16_t caps[2];
	uint8_t which = 0, blank = 0;
	const uint8_t skip = q->flags & PROTO_STREAM_SKIP_BLANK;
	const uint8_t runs = skip && (q->flags & PROTO_STREAM_BLANK_RUN);
	struct blank_run run;

	run.len = 0;
	bufs[0] = c->pool.tx2;
	caps[0] = sizeof(c->pool.tx2);
	bufs[1] = c->wire;
	caps[1] = sizeof(c->wire);
	while (q->len) {
		uint16_t n = q->len < q->block ? (uint16_t)q->len : q->block;
		uint8_t *b = bufs[which];
		uint16_t wl;
		uint8_t all, differ = 0;

		hal_watchdog_kick();
		if (hal_uart_rx_pending() || c->n_ready) {
			hal_uart_tx_wait();
			return PROTO_E_ABORTED;
		}
		/*
		 * Erased blocks come in runs: after a blank block two reads
		 * that keep nothing (18 cycles a byte, against 55 for the
		 * CRC-16 and COBS loops) settle whether this one is blank too,
		 * without building a frame to throw away.  Where a run ends,
		 * one read is wasted.  The frame before goes out in the
		 * background.
		 */
		if (blank && runs && run_take(c, q, a, &run, seq, n)) {
			a->check = addr_check(q->addr, 0);
			seq++;
			q->addr += n;
			q->len -= n;
			a->blocks++;
			if ((uint16_t)((uint16_t)hal_millis() - run.t0) >= FW_BLANK_RUN_MS) {
				run_send(&run, bufs[which], caps[which]);
				which ^= 1;
			}
			continue;
		}
		if (!(blank && !runs && blank_twice(c, q->addr, n))) {
			/* the run ends here: its frame first, this block
			 * in the other buffer */
			if (run.len) {
				run_send(&run, b, caps[which]);
				which ^= 1;
				b = bufs[which];
			}
			wl = data_frame(c, q->addr, n, seq, a->check, b, &all, &differ);
			blank = all == 0xFF && skip;
		}
		if (blank)
			wl = (uint16_t)proto_encode_inplace(b, caps[which], PROTO_OP_DATA_BLANK, seq,
					proto_data_blank_pack(b + PROTO_INPLACE_PAYLOAD, a->check, n));
		a->check = addr_check(q->addr, differ);
		seq++;
		/* after the block before (hal_uart_send waits for it) */
		hal_uart_send(b, wl);
		q->addr += n;
		q->len -= n;
		a->blocks++;
		which ^= 1;
	}
	if (run.len)
		run_send(&run, bufs[which], caps[which]);
	/* the answer is built in wire[], which may still be going out */
	hal_uart_tx_wait();
	return 0;
}

/*
 * READ_STREAM: one request, many DATA frames, no round trip per block.
 * Blocks are built in two transmit buffers in turn (wire[] and the receive
 * pair, idle since nothing is received during a stream), so one is read
 * from the chip while the other goes out.  Each block is read a second time
 * and its CRC-32 rides in the next frame (the last one's in the END answer),
 * so the host catches a flaky clip without a second pass over the line.
 * Any byte from the host stops the stream.
 */
int16_t fw_read_stream(struct fw_core *c, const uint8_t *p, uint16_t pn, uint8_t seq0,
		       uint8_t *out)
{
	struct proto_req_stream q;
	struct proto_ans_stream a;
	uint32_t prev_addr = 0;
	uint16_t prev_n = 0;
	uint8_t seq = seq0;
	uint8_t *bufs[2];
	uint8_t which = 0;

	if (proto_req_stream_unpack(p, pn, &q) || q.block == 0 ||
	    q.block > FW_STREAM_BLOCK || !fw_in_chip(&c->flash, q.addr, q.len))
		return PROTO_E_ARG;
	a.check = 0;
	a.blocks = 0;
	if ((q.flags & PROTO_STREAM_CMP) && (q.flags & PROTO_STREAM_CHECK)) {
		int16_t rc = stream_cmp(c, &q, seq, &a);

		if (rc < 0)
			return rc;
		return (int16_t)proto_ans_stream_pack(out, &a);
	}
	bufs[0] = c->pool.tx2;
	bufs[1] = c->wire;
	while (q.len) {
		uint16_t n = q.len < q.block ? (uint16_t)q.len : q.block;
		uint8_t *b = bufs[which];
		uint8_t *pl = b + PROTO_INPLACE_PAYLOAD;
		uint8_t type = PROTO_OP_DATA;
		uint8_t blank;
		size_t wl;

		hal_watchdog_kick();
		if (hal_uart_rx_pending() || c->n_ready)
			return PROTO_E_ABORTED;
		/* b went out two blocks ago and is free: hal_uart_send of the
		 * last block waited for it to finish before starting */
		blank = flash_read(&c->flash, q.addr, pl + PROTO_DATA_HDR, n) == 0xFF &&
			(q.flags & PROTO_STREAM_SKIP_BLANK);
		if (prev_n && (q.flags & PROTO_STREAM_CHECK))
			a.check = block_check(c, prev_addr, prev_n);
		if (blank) {
			type = PROTO_OP_DATA_BLANK;
			wl = proto_data_blank_pack(pl, a.check, n);
		} else {
			wl = proto_data_pack(pl, a.check, n);
		}
		wl = proto_encode_inplace(b, which ? sizeof(c->wire) : sizeof(c->pool.tx2),
					  type, seq++, wl);
		hal_uart_send(b, (uint16_t)wl);
		prev_addr = q.addr;
		prev_n = n;
		q.addr += n;
		q.len -= n;
		a.blocks++;
		which ^= 1;
	}
	hal_uart_tx_wait();
	if (prev_n && (q.flags & PROTO_STREAM_CHECK))
		a.check = block_check(c, prev_addr, prev_n);
	return (int16_t)proto_ans_stream_pack(out, &a);
}
