/*
 * dev_stream: requests that do not wait for a round trip each.
 *
 * A streaming read is one READ_STREAM request answered by a DATA frame per
 * block; a lost or damaged block is not fatal here, it is simply left
 * unconfirmed for the caller to read again.  Pipelined programs keep several
 * PROGRAM requests in flight, as many as fit in the receive space the device
 * announced in HELLO, so the next page is already there when the chip
 * finishes the current one.
 */
#include "prog/dev_stream.h"
#include "prog/dev_priv.h"
#include "proto_msg.h"
#include "transport/clock.h"

#include <string.h>
#include <zlib.h>

static int link_read(struct dev *d, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	int n = d->link->ops->read(d->link->ctx, buf, len, timeout_ms);

	if (n < 0) {
		d->link_err = n;
		return DEV_E_LINK;
	}
	return n;
}

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
		n = link_read(d, buf, sizeof(buf), 100);
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
		n = link_read(d, rbuf, sizeof(rbuf), (unsigned)(until - now));
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

/* ---- pipelined programs ---- */

/* Wire bytes one of the device's receive buffers stands for: a request of
 * up to max_payload, whatever its length. */
static size_t pipe_buf_size(const struct dev *d)
{
	return (size_t)PROTO_HDR_LEN + d->hello.max_payload + PROTO_CRC_LEN;
}

/* The device's receive buffers for PROGRAMs: two, and a third beyond
 * rx_buffer on a device with RX3 (PROTOCOL.md, flow control). */
static unsigned pipe_bufs(const struct dev *d)
{
	return (d->hello.caps & PROTO_CAP_RX3) && !d->pipe_pair ? 3 : 2;
}

static size_t budget(const struct dev *d)
{
	if (!(d->hello.caps & PROTO_CAP_PIPELINE))
		return 0;      /* one at a time */
	/* At 2 Mbaud an ATmega328P has little to spare: its receive interrupt
	 * takes 35 of the 80 cycles of each byte, and it decodes a page while
	 * it programs the one before.  Should its ring overflow again and
	 * again (filler for a bridge that holds answers, a slower board),
	 * an automatic rate goes down to DEV_PIPE_SLOW_BAUD (dev_pipe_program);
	 * a forced one, or a slow one already, sends pages one at a time:
	 * each waits for its answer, but none is lost. */
	if (d->pipe_slow)
		return 0;
	return d->hello.rx_buffer + (pipe_bufs(d) - 2) * pipe_buf_size(d);
}

/*
 * The device's receive ring: rx_buffer less its two receive buffers, each
 * of which holds one request of up to max_payload whatever its length.
 * Requests after the oldest two (three with RX3) wait there as wire bytes,
 * so theirs must fit it, less DEV_PIPE_RING_SLACK for the bytes it has not
 * decoded yet of the request before (PROTOCOL.md, flow control).
 */
static size_t ring_cap(const struct dev *d)
{
	size_t bufs = 2 * pipe_buf_size(d);

	if (d->hello.rx_buffer <= bufs + DEV_PIPE_RING_SLACK)
		return 0;
	return d->hello.rx_buffer - bufs - DEV_PIPE_RING_SLACK;
}

/* How many more bytes of request i (in order) may go now. */
static size_t pipe_room(const struct dev_pipe *p, unsigned i)
{
	const struct dev_pipe_req *q = &p->q[i];
	size_t total = budget(p->d), left = (size_t)(q->wire_len - q->sent), room;
	unsigned k;

	if (i == 0)       /* the oldest goes whole, whatever the budget */
		return left;
	if (!total)       /* one at a time */
		return 0;
	room = p->inflight < total ? total - p->inflight : 0;
	if (i >= pipe_bufs(p->d)) {
		size_t cap = p->d->pipe_whole ? 0 : ring_cap(p->d), ring = 0;

		for (k = pipe_bufs(p->d); k < p->count; k++)
			ring += p->q[k].sent;
		if (ring >= cap)
			return 0;
		if (cap - ring < room)
			room = cap - ring;
	}
	return left < room ? left : room;
}

/* A FRAME_ERR from the device: noise, or its receive ring overflowed. */
static void pipe_frame_err(struct dev_pipe *p)
{
	struct dev *d = p->d;

	d->stats.frame_errs++;
	p->damaged++;
	if (!dev_frame_err(d, ""))
		return;
	/* first step back: no more requests sent in two parts */
	if (!d->pipe_whole && p->count > pipe_bufs(d)) {
		d->pipe_whole = 1;
		dev_trace(d, "  the device's receive ring overflowed with %u PROGRAMs in flight at %u baud: "
			  "whole ones only from here", p->count, (unsigned)d->link->baud);
		return;
	}
	d->pipe_overruns++;
	if (d->pipe_slow || d->pipe_overruns < DEV_PIPE_OVERRUNS ||
	    d->pipe_overruns * DEV_PIPE_OVERRUN_EVERY <= d->pipe_pages)
		return;
	/* second step back: the pair of buffers only.  Behind a bridge that
	 * needs its answers padded (an FT232R) the device's CPU has the
	 * least to spare: three pages in flight keep the line busier than
	 * it decodes */
	if (pipe_bufs(d) == 3) {
		d->pipe_pair = 1;
		dev_trace(d, "  the device's receive ring overflowed %u times in %u pages at %u baud: "
			  "two requests in flight from here", d->pipe_overruns, d->pipe_pages,
			  (unsigned)d->link->baud);
		d->pipe_overruns = 0;
		d->pipe_pages = 0;
		return;
	}
	d->pipe_slow = 1;
	dev_trace(d, "  the device's receive ring overflowed %u times in %u pages at %u baud: %s",
		  d->pipe_overruns, d->pipe_pages, (unsigned)d->link->baud,
		  d->rate_auto && d->link->baud > DEV_PIPE_SLOW_BAUD ?
		  "a slower rate for the pages to come" : "one page at a time from here");
}

/* The device could not keep up at an automatic rate: drain, and go down to
 * where it does (a failed switch leaves both sides at the boot rate). */
static int pipe_slow_down(struct dev_pipe *p)
{
	struct dev *d = p->d;
	int err = dev_pipe_drain(p);

	if (err)
		return err;
	err = dev_set_rate(d, DEV_PIPE_SLOW_BAUD);
	if (err && err != DEV_E_RATE)
		return err;
	err = dev_bridge_pad(d, &d->held_ms);
	if (err)
		return err;
	d->pipe_slow = 0;
	d->pipe_whole = 0;
	d->pipe_pair = 0;
	d->pipe_overruns = 0;
	d->pipe_pages = 0;
	return DEV_OK;
}

void dev_pipe_init(struct dev_pipe *p, struct dev *d, unsigned page_ms, unsigned page_size)
{
	memset(p, 0, sizeof(*p));
	p->d = d;
	p->page_ms = page_ms;
	p->page_size = page_size ? page_size : 256;
}

/* The address a queued PROGRAM request writes to. */
static uint32_t req_addr(const struct dev_pipe_req *q)
{
	struct proto_req_program r;

	return proto_req_program_unpack(q->payload, q->len, &r) ? 0 : r.addr;
}

static int pipe_write(struct dev_pipe *p, struct dev_pipe_req *q, size_t from, size_t n)
{
	struct dev *d = p->d;
	int err = d->link->ops->write(d->link->ctx, q->wire + from, n, dev_wire_ms(d, n) + 1000);

	if (err) {
		d->link_err = err;
		return DEV_E_LINK;
	}
	return DEV_OK;
}

/*
 * Send what the device has room for of the requests not yet sent whole, in
 * order.  The newest may go in two parts: its beginning waits in the
 * device's ring while the two before it run, and the rest follows the next
 * answer.  At 2 Mbaud that keeps the line busy through the round trip,
 * which whole frames alone cannot: two of them are all the device holds
 * besides the ring.  A part is at least DEV_PIPE_PART bytes, or the rest.
 */
static int pipe_push(struct dev_pipe *p)
{
	unsigned i;

	for (i = 0; i < p->count; i++) {
		struct dev_pipe_req *q = &p->q[i];
		size_t n;
		int err;

		if (q->sent == q->wire_len)
			continue;
		n = pipe_room(p, i);
		if (!n || (n < DEV_PIPE_PART && n < (size_t)(q->wire_len - q->sent)))
			return DEV_OK;
		if (!q->sent) {
			q->sent_ms = clock_ms();
			q->sends++;
			dev_trace(p->d, "> PROGRAM seq %u at 0x%06x, %u bytes (%u in flight)%s",
				  q->seq, (unsigned)req_addr(q), (unsigned)q->len, i,
				  n < q->wire_len ? ", the first part" : "");
		} else {
			dev_trace(p->d, "> the rest of PROGRAM seq %u, %u bytes", q->seq, (unsigned)n);
		}
		err = pipe_write(p, q, q->sent, n);
		if (err)
			return err;
		q->sent = (uint16_t)(q->sent + n);
		p->inflight += n;
		if (q->sent < q->wire_len)
			return DEV_OK;
		q->order = ++p->sends;
	}
	return DEV_OK;
}

/* Send a request again, whole: only one that went whole before. */
static int pipe_resend(struct dev_pipe *p, struct dev_pipe_req *q)
{
	q->sent_ms = clock_ms();
	q->sends++;
	q->order = ++p->sends;
	p->d->stats.resends++;
	dev_trace(p->d, "> PROGRAM seq %u at 0x%06x, %u bytes (again)", q->seq,
		  (unsigned)req_addr(q), (unsigned)q->len);
	return pipe_write(p, q, 0, q->wire_len);
}

/* Remove entry i (answered) from the queue, keeping the order. */
static void pipe_remove(struct dev_pipe *p, unsigned i)
{
	p->inflight -= p->q[i].sent;
	memmove(&p->q[i], &p->q[i + 1], (p->count - i - 1) * sizeof(p->q[0]));
	p->count--;
}

/* Requests sent whole; the one after them, if any, is on its way. */
static unsigned pipe_sent_whole(const struct dev_pipe *p)
{
	unsigned i;

	for (i = 0; i < p->count && p->q[i].sent == p->q[i].wire_len; i++)
		;
	return i;
}

/*
 * Send again the requests among the first `upto` in flight (those sent
 * whole) whose last send went before `before` (in sends, q->order): after
 * an answer to a later request, only those that went ahead of it are
 * known lost; one already sent again after it is still on its way, and a
 * second copy would only crowd the device's ring.  A request sent in part
 * is finished first: a whole one sent behind its first part would join it
 * into one damaged frame.  A line that needs resends gets no more requests
 * in parts.
 */
static int pipe_resend_older(struct dev_pipe *p, unsigned upto, uint64_t before)
{
	unsigned i, whole = pipe_sent_whole(p), resent = 0;
	int err;

	/* after an answer: nothing to do if every one before it went again
	 * after it (its part, if any, follows the next answer as usual) */
	for (i = 0; i < upto && i < whole && p->q[i].order >= before; i++)
		;
	if (before != UINT64_MAX && (i == upto || i == whole))
		return DEV_OK;
	if (whole < p->count && p->q[whole].sent) {
		struct dev_pipe_req *q = &p->q[whole];
		size_t n = (size_t)(q->wire_len - q->sent);

		dev_trace(p->d, "> the rest of PROGRAM seq %u, %u bytes, before sending again",
			  q->seq, (unsigned)n);
		err = pipe_write(p, q, q->sent, n);
		if (err)
			return err;
		q->sent = q->wire_len;
		q->order = ++p->sends;
		p->inflight += n;
	}
	if (!p->d->pipe_whole) {
		p->d->pipe_whole = 1;
		dev_trace(p->d, "  requests go whole from here");
	}
	for (i = 0; i < upto && i < whole; i++) {
		if (p->q[i].order >= before)
			continue;
		if (p->q[i].sends >= DEV_MAX_SENDS)
			return DEV_E_NOISY;
		err = pipe_resend(p, &p->q[i]);
		if (err)
			return err;
		resent++;
	}
	/* what they told of is being sent again; with some left out, a
	 * FRAME_ERR beyond the ones resent may be a later request's, and
	 * counts towards sending that one again too (without it, it waits
	 * for a silence) */
	p->damaged = resent < whole && p->damaged > resent ? p->damaged - resent : 0;
	return DEV_OK;
}

/* Handle one decoded frame: 1 when it answered a request in flight. */
static int pipe_frame(struct dev_pipe *p, int *err)
{
	struct dev *d = p->d;
	struct proto_dec *dec = &d->dec;
	unsigned k;

	d->answered = 1;
	if (dec->type == PROTO_OP_FRAME_ERR) {
		pipe_frame_err(p);
		return 0;
	}
	if (dec->type == PROTO_OP_READY) {
		d->ready_seen = 1;
		*err = DEV_E_RESET;
		return 0;
	}
	if (dec->type == PROTO_OP_PENDING) {
		for (k = 0; k < p->count; k++)
			if (p->q[k].seq == dec->seq)
				p->q[k].sent_ms = clock_ms();
		return 0;
	}
	if (dec->type != (PROTO_OP_PROGRAM | PROTO_OP_RESPONSE) || dec->payload_len < 1)
		return 0;
	for (k = 0; k < p->count && p->q[k].seq != dec->seq; k++)
		;
	if (k == p->count)
		return 0;         /* an answer to a resend we no longer need */
	dev_trace(d, "< PROGRAM seq %u: %s", dec->seq,
		  dec->payload[0] ? proto_status_str((int8_t)dec->payload[0]) : "ok");
	if (dec->payload[0]) {
		p->err_addr = req_addr(&p->q[k]);
		*err = DEV_E_REMOTE + (int8_t)dec->payload[0];
		return 0;
	}
	/* The device runs requests in order: an earlier one still waiting was
	 * lost on the way, so send it again now rather than at the timeout. */
	if (k)
		*err = pipe_resend_older(p, k, p->q[k].order);
	pipe_remove(p, k);
	return 1;
}

/* Wait for at least one answer (or a timeout that resends); bounded.  All
 * bytes read are decoded: one read may hold several answers. */
static int pipe_wait_answer(struct dev_pipe *p)
{
	struct dev *d = p->d;
	unsigned silence = d->silence_ms + d->held_ms + p->page_ms * 2 +
			   dev_wire_ms(d, p->inflight + PROTO_WIRE_MAX(16));
	uint8_t rbuf[128];
	int answered = 0, err = DEV_OK;

	for (;;) {
		/* each silence of the oldest doubles its next wait: a
		 * stalled line outlasts it */
		unsigned wait = silence << p->q[0].silences;
		uint64_t now = clock_ms(), oldest = p->q[0].sent_ms + wait;
		int n, i;

		if (now >= oldest) {
			/* silence for the oldest: send everything again */
			dev_trace(d, "  no answer to PROGRAM seq %u for %u ms: send all %u again",
				  p->q[0].seq, wait, p->count);
			/* silence, not resends after damage, ends it: a noisy
			 * line that answers is not a device gone */
			d->stats.silences++;
			if (++p->q[0].silences >= DEV_TRIES)
				return d->answered ? DEV_E_TIMEOUT : DEV_E_NOANSWER;
			return pipe_resend_older(p, p->count, UINT64_MAX);
		}
		n = link_read(d, rbuf, sizeof(rbuf), (unsigned)(oldest - now));
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			enum proto_dec_result r = proto_dec_feed(&d->dec, rbuf[i]);

			if (r == PROTO_DEC_ERROR) {
				d->stats.bad_frames++;
				p->damaged++;
				dev_trace(d, "< a damaged frame");
			}
			if (r == PROTO_DEC_FRAME)
				answered += pipe_frame(p, &err);
			if (err)
				return err;
		}
		if (!p->count)
			p->damaged = 0;
		if (answered || !p->count)
			return DEV_OK;
		/*
		 * As many damaged frames since the last resend as requests
		 * still waiting, and no answer: each was lost on the way (the
		 * device said FRAME_ERR) or its answer was.  Send them again
		 * now, not after a second of silence: the device runs a
		 * request it lost and answers the last one it ran from its
		 * copy; an older one whose answer was lost programs its page
		 * again with the bytes it already holds, which changes no bit.
		 * With fewer damaged frames than requests, the answers still
		 * to come show which one was lost (pipe_frame).
		 */
		if (p->damaged && p->damaged >= pipe_sent_whole(p)) {
			dev_trace(d, "  %u damaged frames and %u PROGRAMs waiting: send them again",
				  p->damaged, pipe_sent_whole(p));
			err = pipe_resend_older(p, p->count, UINT64_MAX);
			if (err)
				return err;
		}
	}
}

/* As pipe_wait_answer; on a link failure err_addr names the oldest request
 * in flight (a refusal by the device names its own request). */
static int pipe_wait(struct dev_pipe *p)
{
	int err = pipe_wait_answer(p);

	if (err && !DEV_IS_REMOTE(err) && p->count)
		p->err_addr = req_addr(&p->q[0]);
	return err;
}

int dev_pipe_program(struct dev_pipe *p, uint32_t addr, const uint8_t *data, size_t len)
{
	struct proto_req_program r = { addr, data, (uint16_t)len };
	struct dev_pipe_req *q;
	int err;

	if (!len || len > dev_program_max(p->d) || len > DEV_PIPE_DATA)
		return DEV_E_ARG;
	if (p->d->pipe_slow && p->d->rate_auto && p->d->link->baud > DEV_PIPE_SLOW_BAUD) {
		err = pipe_slow_down(p);
		if (err) {
			if (!p->count)    /* drained: the rate switch failed */
				p->err_addr = addr;
			return err;
		}
	}
	/* room in our queue, and the one before sent whole: this one goes
	 * when the device has room for it, or for a first part of it */
	while (p->count && (p->count == DEV_PIPE_DEPTH || pipe_sent_whole(p) < p->count)) {
		err = pipe_wait(p);
		if (!err)
			err = pipe_push(p);
		if (err)
			return err;
	}
	if (!p->count)
		proto_dec_reset(&p->d->dec);
	q = &p->q[p->count];
	q->seq = dev_next_seq(p->d);
	q->len = (uint16_t)proto_req_program_pack(q->payload, &r);
	q->wire_len = (uint16_t)proto_encode(PROTO_OP_PROGRAM, q->seq, q->payload, q->len,
					     q->wire, sizeof(q->wire));
	if (!q->wire_len)
		return DEV_E_ARG;
	q->sent = 0;
	q->sends = 0;
	q->silences = 0;
	p->count++;
	p->d->stats.requests++;
	p->d->pipe_pages++;
	return pipe_push(p);
}

int dev_pipe_drain(struct dev_pipe *p)
{
	while (p->count) {
		int err = pipe_wait(p);

		if (!err)
			err = pipe_push(p);
		if (err)
			return err;
	}
	return DEV_OK;
}
