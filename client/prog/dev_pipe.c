/*
 * dev_pipe: pipelined programs.  Several PROGRAM requests in flight, as many
 * as fit in the receive space the device announced in HELLO (and its third
 * buffer, RX3), so the next page is already there when the chip finishes the
 * current one; lost ones are found by the answers to later ones and sent
 * again, and a device whose receive ring overruns gets fewer at a time.
 * The API is in dev_stream.h, with the streaming read's.
 */
#include "prog/dev_stream.h"
#include "prog/dev_priv.h"
#include "proto_msg.h"
#include "transport/clock.h"

#include <string.h>

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
		n = dev_link_read(d, rbuf, sizeof(rbuf), (unsigned)(oldest - now));
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
