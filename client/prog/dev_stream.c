/*
 * dev_stream: a streaming read, one READ_STREAM request answered by a DATA
 * frame per block; a lost or damaged block is not fatal here, it is simply
 * left unconfirmed for the caller to read again.  And the filler a bridge
 * that holds short answers needs (SET_PAD).  Pipelined programs, the other
 * requests that do not wait for a round trip each: dev_pipe.c.
 */
#include "prog/dev_stream.h"
#include "prog/dev_priv.h"
#include "proto_msg.h"
#include "transport/clock.h"

#include <string.h>
#include <zlib.h>

/* Stop a stream that is still running (any byte does) and drop its tail. */
static int stream_stop(struct dev *d)
{
	static const uint8_t stop = 0x00;
	uint8_t buf[256];
	uint64_t end;
	int n;

	n = d->link->ops->write(d->link->ctx, &stop, 1, 1000);
	if (n) {
		d->link_err = n;
		return DEV_E_LINK;
	}
	/* until 100 ms pass without a byte, bounded at 3 s */
	end = clock_ms() + 3000;
	while (clock_ms() < end) {
		n = dev_link_read(d, buf, sizeof(buf), 100);
		if (n <= 0)
			return n;
	}
	return DEV_OK;
}

struct stream {
	struct dev *d;
	uint32_t addr, len, nblocks;
	uint16_t block;
	uint8_t flags, seq;
	uint8_t *buf, *state;
	uint32_t expected;      /* next block index we expect */
	int64_t last;           /* index of the last block placed, -1: none */
	prog_stream_progress_fn progress;
	void *arg;
	uint32_t done;
	int stop;               /* the progress callback asked to end it */
};

static uint32_t block_len(const struct stream *s, uint32_t idx)
{
	uint32_t off = idx * (uint32_t)s->block;

	return s->len - off < s->block ? s->len - off : s->block;
}

/* The device's CRC of its second read of block idx. */
static void confirm(struct stream *s, int64_t idx, uint32_t check)
{
	uint8_t a[4];
	uint32_t n;

	if (idx < 0 || s->state[idx] != PROG_BLOCK_RECEIVED)
		return;
	n = block_len(s, (uint32_t)idx);
	/* the device's check covers the block's address too: a block put in
	 * the wrong place fails it (PROTOCOL.md, READ_STREAM).  Under
	 * PROTO_STREAM_CMP the device compared its two reads itself: the check
	 * is the address's CRC-32, complemented if they differed, and the
	 * frame's CRC-16 covers the bytes on the way. */
	proto_put32(a, s->addr + (uint32_t)idx * s->block);
	if ((s->flags & PROTO_STREAM_CMP) ? (uint32_t)crc32(0L, a, 4) == check :
	    (uint32_t)crc32(crc32(0L, a, 4), s->buf + (uint32_t)idx * s->block, n) == check)
		s->state[idx] = PROG_BLOCK_CONFIRMED;
	else {
		s->d->stats.stream_check_fails++;
		dev_trace(s->d, "  block 0x%06x: the two reads differ: asked for again",
			  (unsigned)(s->addr + (uint32_t)idx * s->block));
	}
}

/* Progress after n more bytes placed; the callback may ask to stop. */
static void placed(struct stream *s, uint32_t n)
{
	s->done += n;
	if (s->progress && s->progress(s->arg, s->done))
		s->stop = 1;
}

/*
 * A DATA_BLANK frame for a run of blank blocks from idx on: the device read
 * each of them twice, both reads all FF.  The frame names the run's address
 * and length, so it can be put nowhere else; its blocks but the last are
 * confirmed by it, the last one by the next frame's check, as any block.
 */
static void place_run(struct stream *s, uint32_t idx, const struct proto_data *data)
{
	uint32_t off = idx * (uint32_t)s->block, k, last, i;

	if (!(s->flags & PROTO_STREAM_BLANK_RUN) || data->run_addr != s->addr + off ||
	    data->run_len > s->len - off)
		return;
	k = (data->run_len + s->block - 1) / s->block;
	last = idx + k - 1;
	/* whole blocks, the last one short only at the stream's end */
	if (data->run_len % s->block && last != s->nblocks - 1)
		return;
	if (idx >= 1 && s->last == (int64_t)idx - 1)
		confirm(s, s->last, data->check);
	memset(s->buf + off, 0xFF, data->run_len);
	for (i = idx; i < last; i++)
		s->state[i] = PROG_BLOCK_CONFIRMED;
	s->state[last] = PROG_BLOCK_RECEIVED;
	s->d->stats.stream_blank_blocks += k;
	s->last = last;
	s->expected = last + 1;
	placed(s, data->run_len);
}

static void place(struct stream *s)
{
	const struct proto_dec *dec = &s->d->dec;
	uint8_t skip = (uint8_t)(dec->seq - (uint8_t)(s->seq + s->expected));
	uint32_t idx = s->expected + skip;
	struct proto_data data;
	uint32_t n;

	/* Frames are numbered modulo 256.  A frame from behind (a duplicate)
	 * reads as a skip of up to 255: take only skips of under half the
	 * circle as frames lost on the way.  The address in every check makes
	 * a wrong guess harmless, this keeps it rare. */
	if (skip >= 128 || idx >= s->nblocks ||
	    proto_data_unpack(dec->type, dec->payload, dec->payload_len, &data))
		return;
	if (data.run_len) {
		place_run(s, idx, &data);
		return;
	}
	n = block_len(s, idx);
	if (data.len != n)
		return;
	if (data.data) {
		memcpy(s->buf + idx * s->block, data.data, n);
	} else {
		memset(s->buf + idx * s->block, 0xFF, n);
		s->d->stats.stream_blank_blocks++;
	}
	/* this frame carries the check of the block before it */
	if (s->flags & PROTO_STREAM_CHECK) {
		if (idx >= 1 && s->last == (int64_t)idx - 1)
			confirm(s, s->last, data.check);
		s->state[idx] = PROG_BLOCK_RECEIVED;
	} else {
		s->state[idx] = PROG_BLOCK_CONFIRMED;
	}
	s->last = idx;
	s->expected = idx + 1;
	placed(s, n);
}

int dev_read_stream(struct dev *d, uint32_t addr, uint32_t len, uint16_t block, uint8_t flags,
		    uint8_t *buf, uint8_t *state, prog_stream_progress_fn progress, void *arg)
{
	struct stream s;
	struct proto_req_stream q = { addr, len, block, flags };
	uint8_t req[PROTO_REQ_STREAM_LEN], rbuf[512];
	uint64_t quiet_until, deadline;
	unsigned silence, tail, resends = 0;
	size_t reqlen;
	int err, heard = 0;     /* a frame of the stream (whole or damaged) came */

	if (!(d->hello.caps & PROTO_CAP_STREAM) || !block || block > dev_read_max(d) || !len)
		return DEV_E_ARG;
	/* the device compares its second read itself when it can: no CRC-32
	 * of it to compute, which is what held a 328P below 2 Mbaud */
	if ((flags & PROTO_STREAM_CHECK) && (d->hello.caps & PROTO_CAP_STREAM_CMP))
		flags |= PROTO_STREAM_CMP;
	/* and sends a run of blank blocks as one frame: at 115200 the frame
	 * of each blank block cost as much line time as reading it twice */
	if ((flags & PROTO_STREAM_CMP) && (flags & PROTO_STREAM_SKIP_BLANK) &&
	    (d->hello.caps & PROTO_CAP_BLANK_RUN))
		flags |= PROTO_STREAM_BLANK_RUN;
	q.flags = flags;
	reqlen = proto_req_stream_pack(req, &q);
	memset(&s, 0, sizeof(s));
	s.d = d;
	s.addr = addr;
	s.len = len;
	s.block = block;
	s.nblocks = (len + block - 1) / block;
	s.flags = flags;
	s.buf = buf;
	s.state = state;
	s.last = -1;
	s.progress = progress;
	s.arg = arg;
	memset(state, PROG_BLOCK_MISSING, s.nblocks);

	s.seq = dev_next_seq(d);
	d->stats.requests++;
	dev_trace(d, "> READ_STREAM seq %u: 0x%06x-0x%06x in blocks of %u%s", s.seq, (unsigned)addr,
		  (unsigned)(addr + len - 1), block,
		  (flags & PROTO_STREAM_CMP) ? ", each read twice and compared on the device" :
		  (flags & PROTO_STREAM_CHECK) ? ", each read twice, its CRC-32 sent" : "");
	proto_dec_reset(&d->dec);
	err = dev_send_frame(d, PROTO_OP_READ_STREAM, s.seq, req, reqlen);
	if (err)
		return err;
	/* the stream is a steady flow: silence means it broke, or, before its
	 * first frame, that the request was lost on the way.  After the last
	 * block only the END answer is due, a few ms behind it (the device
	 * checks the block first): a damaged or shortened END is not waited
	 * for a second, it costs only a re-read of the last block. */
	silence = d->silence_ms + d->held_ms + dev_wire_ms(d, PROTO_WIRE_MAX(block + 4));
	tail = DEV_STREAM_TAIL_MS + d->held_ms + dev_wire_ms(d, PROTO_WIRE_MAX(16));
	quiet_until = clock_ms() + silence;
	deadline = clock_ms() + silence + dev_wire_ms(d, (uint64_t)len + 16ull * s.nblocks) * 2;
	for (;;) {
		uint64_t now = clock_ms(), until = quiet_until < deadline ? quiet_until : deadline;
		int n, i;

		if (now >= quiet_until && !heard && resends < DEV_TRIES) {
			/* nothing of the stream came: the device never saw a
			 * whole request (a flipped A5 or 00 on a noisy line),
			 * and dropped its half a while ago.  Send it again. */
			d->stats.silences++;
			d->stats.resends++;
			dev_trace(d, "  silence for %u ms before the stream began: READ_STREAM seq %u again",
				  silence << resends, s.seq);
			resends++;
			err = dev_send_frame(d, PROTO_OP_READ_STREAM, s.seq, req, reqlen);
			if (err)
				return err;
			/* the next wait doubles: a stalled line outlasts it */
			quiet_until = clock_ms() + (silence << resends);
			deadline += silence << resends;
			continue;
		}
		if (now >= until)
			break;
		n = dev_link_read(d, rbuf, sizeof(rbuf), (unsigned)(until - now));
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			enum proto_dec_result r = proto_dec_feed(&d->dec, rbuf[i]);
			struct proto_dec *dec = &d->dec;

			if (r == PROTO_DEC_ERROR) {
				d->stats.bad_frames++;
				heard = 1;
				dev_trace(d, "< a damaged frame in the stream: its block is asked for again");
			}
			if (r != PROTO_DEC_FRAME)
				continue;
			d->answered = 1;
			if (dec->type == PROTO_OP_DATA || dec->type == PROTO_OP_DATA_BLANK) {
				heard = 1;
				place(&s);
			} else if (dec->type == PROTO_OP_FRAME_ERR && !heard && resends < DEV_TRIES) {
				/* our request arrived damaged and nothing runs:
				 * send it again now, not after the silence */
				d->stats.frame_errs++;
				d->stats.resends++;
				resends++;
				dev_frame_err(d, ": READ_STREAM again");
				err = dev_send_frame(d, PROTO_OP_READ_STREAM, s.seq, req, reqlen);
				if (err)
					return err;
				quiet_until = clock_ms() + silence;
				deadline += silence;
				continue;
			} else if (dec->type == PROTO_OP_READY) {
				d->ready_seen = 1;
				return DEV_E_RESET;
			} else if (dec->type == (PROTO_OP_READ_STREAM | PROTO_OP_RESPONSE) &&
				   dec->seq == s.seq && dec->payload_len >= 1) {
				int8_t status = (int8_t)dec->payload[0];
				struct proto_ans_stream a;

				dev_trace(d, "< READ_STREAM seq %u: %s", s.seq,
					  status ? proto_status_str(status) : "ok, the stream ended");
				if (status)
					return DEV_E_REMOTE + status;
				if (!proto_ans_stream_unpack(dec->payload + 1, dec->payload_len - 1u, &a) &&
				    (flags & PROTO_STREAM_CHECK) && s.last == (int64_t)s.nblocks - 1)
					confirm(&s, s.last, a.check);
				return DEV_OK;
			}
		}
		if (s.stop) {
			/* asked to end early (a signal): what came so far stands */
			dev_trace(d, "  the stream is stopped at the caller's request after %u bytes",
				  (unsigned)s.done);
			return stream_stop(d);
		}
		if (n > 0)
			quiet_until = clock_ms() + (s.last == (int64_t)s.nblocks - 1 ? tail : silence);
	}
	/* broken off (silence, deadline): stop it, keep what arrived intact */
	d->stats.stream_breaks++;
	dev_trace(d, "  the stream went silent%s: stop it, keep the blocks that came intact",
		  s.last == (int64_t)s.nblocks - 1 ? " after its last block (its END lost)" : "");
	return stream_stop(d);
}

/* ---- bridges that hold short answers ---- */

#define DEV_PAD_BYTES    62      /* an FT232R passes its buffer on at 62 */
#define DEV_HELD_MS      6       /* a round trip this much over its bytes */

int dev_bridge_pad(struct dev *d, unsigned *held_ms)
{
	uint8_t ping[8] = { 0 }, n = DEV_PAD_BYTES;
	uint64_t best = ~0ull, bytes_ms;
	int i, err;

	*held_ms = 0;
	if (!(d->hello.caps & PROTO_CAP_PAD))
		return DEV_OK;
	/* the quicker of two small round trips */
	for (i = 0; i < 2; i++) {
		uint64_t t0 = clock_ms();

		err = dev_ping(d, ping, sizeof(ping));
		if (err)
			return err;
		if (clock_ms() - t0 < best)
			best = clock_ms() - t0;
	}
	/* the bytes of both frames, each way, at the link rate */
	bytes_ms = (uint64_t)2 * PROTO_WIRE_MAX(sizeof(ping)) * 10 * 1000 /
		   (d->link->baud ? d->link->baud : 115200);
	if (best < bytes_ms + DEV_HELD_MS)
		return DEV_OK;
	*held_ms = (unsigned)best;
	err = dev_request(d, PROTO_OP_SET_PAD, &n, 1, 0);
	if (!err && (d->resp_len != 1 || d->resp[0] != n))
		err = DEV_E_BADRESP;
	return err;
}
