/*
 * dev: request/response sessions with the spiflash sketch (PROTOCOL.md).
 */
#include "prog/dev.h"
#include "prog/dev_priv.h"
#include "proto_msg.h"
#include "transport/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum wait_result {
	WAIT_GOT = 0,       /* our response is in d->resp, status returned separately */
	WAIT_RESEND = 1,    /* silence, FRAME_ERR or a damaged frame: try again */
	WAIT_DEADLINE = 2,  /* the overall deadline passed */
};

/* Milliseconds the wire needs for n bytes at the link rate (10 bits per byte),
 * doubled for slack, at least 20. */
unsigned dev_wire_ms(const struct dev *d, size_t n)
{
	uint32_t baud = d->link->baud ? d->link->baud : 115200;
	uint64_t ms = (uint64_t)n * 10 * 1000 * 2 / baud;

	return (unsigned)(ms < 20 ? 20 : ms);
}

void dev_trace(const struct dev *d, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	if (!d->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->trace(d->trace_arg, line);
}

int dev_link_read(struct dev *d, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	int n = d->link->ops->read(d->link->ctx, buf, len, timeout_ms);

	if (n < 0) {
		d->link_err = n;
		return DEV_E_LINK;
	}
	return n;
}

int dev_frame_err(struct dev *d, const char *then)
{
	int8_t status;
	uint8_t drops;
	int grew;

	if (proto_frame_err_unpack(d->dec.payload, d->dec.payload_len, &status, &drops)) {
		dev_trace(d, "< FRAME_ERR (unreadable): the device got a damaged frame%s", then);
		return 0;
	}
	dev_trace(d, "< FRAME_ERR (status %d, %u bytes dropped by its receive ring so far):"
		  " the device got a damaged frame%s", status, drops, then);
	/* the count saturates at 255: from there every FRAME_ERR counts */
	grew = drops > d->rx_drops || drops == 0xFF;
	d->rx_drops = drops;
	return grew;
}

const char *dev_op_name(uint8_t op)
{
	static const char *const names[] = {
		[PROTO_OP_HELLO] = "HELLO", [PROTO_OP_SPI_CLOCK] = "SPI_CLOCK",
		[PROTO_OP_CHIP] = "CHIP", [PROTO_OP_JEDEC] = "JEDEC", [PROTO_OP_SFDP] = "SFDP",
		[PROTO_OP_READ] = "READ", [PROTO_OP_PROGRAM] = "PROGRAM",
		[PROTO_OP_ERASE] = "ERASE", [PROTO_OP_READ_SR] = "READ_SR",
		[PROTO_OP_WRITE_SR] = "WRITE_SR", [PROTO_OP_CRC32] = "CRC32",
		[PROTO_OP_BLANK] = "BLANK", [PROTO_OP_XFER] = "XFER", [PROTO_OP_PING] = "PING",
		[PROTO_OP_SET_BAUD] = "SET_BAUD", [PROTO_OP_READ_STREAM] = "READ_STREAM",
		[PROTO_OP_CRC32_MULTI] = "CRC32_MULTI", [PROTO_OP_DIAG] = "DIAG",
		[PROTO_OP_SET_PAD] = "SET_PAD",
	};
	uint8_t req = op & (uint8_t)~PROTO_OP_RESPONSE;

	switch (op) {
	case PROTO_OP_DATA: return "DATA";
	case PROTO_OP_DATA_BLANK: return "DATA_BLANK";
	case PROTO_OP_PENDING: return "PENDING";
	case PROTO_OP_READY: return "READY";
	case PROTO_OP_FRAME_ERR: return "FRAME_ERR";
	}
	if (req < sizeof(names) / sizeof(names[0]) && names[req])
		return names[req];
	return "?";
}

uint8_t dev_next_seq(struct dev *d)
{
	d->seq++;
	if (d->seq == 0)      /* seq 0 is what FRAME_ERR carries */
		d->seq = 1;
	return d->seq;
}

int dev_send_frame(struct dev *d, uint8_t op, uint8_t seq, const uint8_t *req, size_t len)
{
	size_t n = proto_encode(op, seq, req, len, d->wire, sizeof(d->wire));
	int err;

	if (!n)
		return DEV_E_ARG;
	err = d->link->ops->write(d->link->ctx, d->wire, n, dev_wire_ms(d, n) + 1000);
	if (err) {
		d->link_err = err;
		return DEV_E_LINK;
	}
	return DEV_OK;
}

/*
 * Read until the response (op | 0x80, seq) arrives.  *status gets its status
 * byte.  Silence of silence_ms (restarted by any byte of PENDING for seq)
 * asks for a resend; deadline ends it all.  A damaged frame asks for one
 * too, once the bytes already here are read: after a stall the answers to
 * earlier sends of this request come in a burst, and a whole one behind a
 * damaged one saves a resend (each of which would meet the next damaged
 * one of the burst and use up the sends).
 */
static int wait_response(struct dev *d, uint8_t op, uint8_t seq, unsigned silence_ms,
			 uint64_t deadline, int *status)
{
	uint64_t quiet_until = clock_ms() + silence_ms;
	uint8_t buf[64];
	int damaged = 0;

	for (;;) {
		uint64_t now = clock_ms(), until = quiet_until < deadline ? quiet_until : deadline;
		int n, i;

		if (now >= deadline)
			return WAIT_DEADLINE;
		if (now >= quiet_until)
			return WAIT_RESEND;
		/* bytes after our response in this buffer are dropped: with one
		 * request outstanding they can only be stale or garbage */
		n = d->link->ops->read(d->link->ctx, buf, sizeof(buf),
				       damaged ? 0 : (unsigned)(until - now));
		if (n < 0) {
			d->link_err = n;
			return DEV_E_LINK;
		}
		if (!n && damaged)
			return WAIT_RESEND;
		for (i = 0; i < n; i++) {
			enum proto_dec_result r = proto_dec_feed(&d->dec, buf[i]);

			if (r != PROTO_DEC_NONE)
				d->frames_in++;
			if (r == PROTO_DEC_ERROR) {
				d->stats.bad_frames++;
				dev_trace(d, "< a damaged frame (its CRC or framing is wrong): send again");
				damaged = 1;
				continue;
			}
			if (r != PROTO_DEC_FRAME)
				continue;
			d->answered = 1;
			if (d->dec.type == PROTO_OP_FRAME_ERR) {
				d->stats.frame_errs++;
				dev_frame_err(d, ": send again");
				damaged = 1;
				continue;
			}
			if (d->dec.type == PROTO_OP_PENDING && d->dec.seq == seq) {
				quiet_until = clock_ms() + silence_ms;
				continue;
			}
			if (d->dec.type == PROTO_OP_READY) {
				d->ready_seen = 1;
				dev_trace(d, "< READY: the sketch (re)started");
				if (op != PROTO_OP_HELLO)
					return DEV_E_RESET;
				return WAIT_RESEND;
			}
			if (d->dec.type != (op | PROTO_OP_RESPONSE) || d->dec.seq != seq)
				continue;     /* a stale answer to an earlier try */
			if (d->dec.payload_len < 1) {
				d->stats.bad_frames++;
				dev_trace(d, "< %s seq %u without a status byte: send again",
					  dev_op_name(d->dec.type), d->dec.seq);
				damaged = 1;
				continue;
			}
			*status = (int8_t)d->dec.payload[0];
			d->resp_len = (uint16_t)(d->dec.payload_len - 1);
			memcpy(d->resp, d->dec.payload + 1, d->resp_len);
			return WAIT_GOT;
		}
	}
}

int dev_request(struct dev *d, uint8_t op, const uint8_t *req, size_t len, unsigned work_ms)
{
	unsigned xfer = dev_wire_ms(d, PROTO_WIRE_MAX(len) + PROTO_WIRE_MAX(dev_read_max(d) + 1));
	unsigned silence = d->silence_ms + d->held_ms + xfer;
	unsigned damaged0 = d->stats.bad_frames + d->stats.frame_errs;
	uint64_t deadline;
	uint8_t seq;
	unsigned wait;
	int sends, silences = 0, r, status = 0;

	if (len > d->max_payload)
		return DEV_E_ARG;
	/* a device without keepalives is silent while it works */
	if (!(d->hello.caps & PROTO_CAP_PENDING))
		silence += work_ms;
	/* room for the tries that end in silence (1 + 2 + 4 windows) and
	 * the rest of the sends */
	deadline = clock_ms() + work_ms + (uint64_t)(DEV_MAX_SENDS + 4) * silence;
	seq = dev_next_seq(d);
	d->stats.requests++;
	for (sends = 0; sends < DEV_MAX_SENDS && silences < DEV_TRIES; sends++) {
		uint64_t t0 = clock_ms();

		if (sends)
			d->stats.resends++;
		dev_trace(d, "> %s seq %u, %u bytes%s", dev_op_name(op), seq, (unsigned)len,
			  sends ? " (again)" : "");
		proto_dec_reset(&d->dec);
		r = dev_send_frame(d, op, seq, req, len);
		if (r)
			return r;
		/* each silence doubles the next wait: a stalled line, not a
		 * lost request, outlasts the first */
		wait = d->rate_testing ? silence : silence << silences;
		r = wait_response(d, op, seq, wait, deadline, &status);
		if (r < 0)
			return r;
		if (r == WAIT_DEADLINE) {
			dev_trace(d, "  no answer to seq %u by the deadline", seq);
			break;
		}
		if (r == WAIT_RESEND) {
			if (clock_ms() - t0 >= wait) {
				dev_trace(d, "  silence for %u ms: send again", wait);
				silences++;
				d->stats.silences++;
			}
			continue;
		}
		dev_trace(d, "< %s seq %u: %s, %u bytes, %u ms", dev_op_name(op), seq,
			  status ? proto_status_str(status) : "ok", d->resp_len,
			  (unsigned)(clock_ms() - t0));
		/* the device saw our request damaged: send it again */
		if (status == PROTO_E_CRC || status == PROTO_E_FRAMING)
			continue;
		return status ? DEV_E_REMOTE + status : DEV_OK;
	}
	/* the sends ran out, not the silences, and answers came damaged: a
	 * noisy line (shorter requests get through more often), even if it
	 * also stalled now and then */
	if (silences < DEV_TRIES && d->stats.bad_frames + d->stats.frame_errs > damaged0)
		return DEV_E_NOISY;
	return d->answered ? DEV_E_TIMEOUT : DEV_E_NOANSWER;
}

size_t dev_read_max(const struct dev *d)
{
	return d->hello.max_read ? d->hello.max_read : d->max_payload - 1u;
}

size_t dev_program_max(const struct dev *d)
{
	return d->max_payload - 4u;     /* after the address */
}

static int parse_hello(struct dev *d)
{
	struct proto_hello *h = &d->hello;

	memset(h, 0, sizeof(*h));
	/* a first-firmware HELLO has no max_read (0): max_payload - 1, below */
	if (proto_ans_hello_unpack(d->resp, d->resp_len, h))
		return DEV_E_BADRESP;
	if (h->proto_min > PROTO_VERSION || h->proto_version < 1)
		return DEV_E_VERSION;
	d->version = h->proto_version < PROTO_VERSION ? h->proto_version : PROTO_VERSION;
	if (h->max_payload < 16)
		return DEV_E_BADRESP;
	d->max_payload = h->max_payload < PROTO_MAX_PAYLOAD ? h->max_payload : PROTO_MAX_PAYLOAD;
	if (h->max_read < 16 || h->max_read > PROTO_MAX_PAYLOAD - 1)
		h->max_read = (uint16_t)(d->max_payload - 1);
	/* on a noisy line a request the device never saw (a flipped A5 or
	 * 00) waits this out: a device that keeps alive allows a short one */
	d->silence_ms = (h->caps & PROTO_CAP_PENDING) ? DEV_ALIVE_SILENCE_MS : DEV_SILENCE_MS;
	return DEV_OK;
}

int dev_hello(struct dev *d)
{
	uint8_t v[PROTO_REQ_HELLO_LEN];
	int err;

	err = dev_request(d, PROTO_OP_HELLO, v, proto_req_hello_pack(v, PROTO_VERSION), 0);
	return err ? err : parse_hello(d);
}

/* Drop whatever the port buffered before we came: a pty keeps the READY
 * frame and anything else the device said while nobody listened.  Then
 * wait out what a USB bridge may still hold (its latency timer): a stale
 * frame is ignored by its seq, but one half-read would cost the HELLO a
 * resend. */
static int drain(struct dev *d)
{
	unsigned quiet = d->link->bridge.hold_ms + 4;
	uint64_t end = clock_ms() + 300;
	uint8_t buf[256];
	int n;

	if (d->link->ops->flush_input(d->link->ctx))
		return DEV_OK;   /* not fatal: a stale frame is ignored by seq */
	while (clock_ms() < end) {
		n = d->link->ops->read(d->link->ctx, buf, sizeof(buf), quiet);
		if (n < 0) {
			d->link_err = n;
			return DEV_E_LINK;
		}
		if (n == 0)
			break;
	}
	return DEV_OK;
}

/* Rates a 16 MHz AVR makes exactly (double speed mode), fastest first. */
static const uint32_t dev_rates[] = { 2000000, 1000000, 500000, 250000 };

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The fast rate after `after` in dev_rates[] (the first when 0), 0 at the end. */
static uint32_t next_rate(uint32_t after)
{
	size_t i, n = sizeof(dev_rates) / sizeof(dev_rates[0]);

	if (!after)
		return dev_rates[0];
	for (i = 0; i + 1 < n; i++)
		if (dev_rates[i] == after)
			return dev_rates[i + 1];
	return 0;
}

/* Our side only: used while hunting for a device at an unknown rate. */
static void try_rate(struct dev *d, uint32_t baud)
{
	if (d->link->ops->set_baud(d->link->ctx, baud) == 0)
		d->link->baud = baud;
}

int dev_open(struct dev *d, struct link *l, unsigned startup_ms)
{
	uint64_t deadline = clock_ms() + startup_ms;
	uint8_t v[PROTO_REQ_HELLO_LEN];
	size_t vn = proto_req_hello_pack(v, PROTO_VERSION);
	uint32_t hunt = 0;
	unsigned tries = 0;
	int err, status = 0;

	prog_trace_fn trace = d->trace;
	void *trace_arg = d->trace_arg;

	memset(d, 0, sizeof(*d));
	d->trace = trace;
	d->trace_arg = trace_arg;
	d->link = l;
	d->silence_ms = DEV_SILENCE_MS;
	d->max_payload = 16;
	proto_dec_init(&d->dec, d->body, sizeof(d->body));
	err = drain(d);
	if (err)
		return err;
	/* An Uno resets when the port opens and its bootloader waits ~0.5-1 s
	 * before the sketch starts: say HELLO every 300 ms until an answer or
	 * the deadline.  A READY frame means the sketch just started: ask
	 * again at once. */
	while (clock_ms() < deadline) {
		uint64_t now = clock_ms();
		uint64_t until = now + 300 < deadline ? now + 300 : deadline;
		uint8_t seq = dev_next_seq(d);

		/* A device left at a fast rate by an earlier session that did not
		 * end cleanly (it returns to its boot rate by itself after 3 s):
		 * every third try, one of the fast rates. */
		if (tries % 3 == 2 && l->baud == DEV_BOOT_BAUD && (hunt = next_rate(hunt)) != 0)
			try_rate(d, hunt);
		else if (l->baud != DEV_BOOT_BAUD)
			try_rate(d, DEV_BOOT_BAUD);
		tries++;

		dev_trace(d, "> HELLO seq %u at %u baud", seq, (unsigned)l->baud);
		proto_dec_reset(&d->dec);
		err = dev_send_frame(d, PROTO_OP_HELLO, seq, v, vn);
		if (err)
			return err;
		err = wait_response(d, PROTO_OP_HELLO, seq, (unsigned)(until - now), until, &status);
		if (err < 0)
			return err;
		if (err != WAIT_GOT)
			continue;
		dev_trace(d, "< HELLO seq %u: %s", seq, status ? proto_status_str(status) : "ok");
		if (status == PROTO_E_CRC || status == PROTO_E_FRAMING)
			continue;
		if (status)
			return DEV_E_REMOTE + status;
		return parse_hello(d);
	}
	if (l->baud != DEV_BOOT_BAUD)
		try_rate(d, DEV_BOOT_BAUD);
	return d->answered ? DEV_E_TIMEOUT : DEV_E_NOANSWER;
}

int dev_close(struct dev *d)
{
	int err = DEV_OK;

	if (d->link && d->link->baud && d->link->baud != DEV_BOOT_BAUD && d->answered)
		err = dev_set_rate(d, DEV_BOOT_BAUD);
	return err;
}

/*
 * A link test: frames that carry every byte value, twice.  Back at the
 * boot rate, which the device starts at and every session begins with,
 * one short frame only confirms the switch: two 256-byte pings there cost
 * a tenth of a second at 115200, paid by every command that ran faster.
 */
static int link_test(struct dev *d)
{
	uint8_t pat[256];
	size_t n = dev_read_max(d) < sizeof(pat) ? dev_read_max(d) : sizeof(pat);
	unsigned i, times = 2;
	int err = DEV_OK;

	if (d->link->baud == DEV_BOOT_BAUD) {
		n = n < 8 ? n : 8;
		times = 1;
	}
	for (i = 0; i < n; i++)
		pat[i] = (uint8_t)(i * 151 + 7);
	for (i = 0; i < times && !err; i++)
		err = dev_ping(d, pat, n);
	return err;
}

/*
 * Move the link to baud.  The device answers at the old rate and then
 * switches; a good frame at the new rate within a second keeps it there,
 * otherwise it returns to its boot rate, and so do we.
 */
int dev_set_rate(struct dev *d, uint32_t baud)
{
	uint32_t old = d->link->baud ? d->link->baud : DEV_BOOT_BAUD;
	unsigned silence = d->silence_ms;
	uint64_t switched, until;
	uint8_t p[PROTO_U32_LEN];
	unsigned frames0;
	int err;

	if (baud == old)
		return DEV_OK;
	if (!(d->hello.caps & PROTO_CAP_BAUD))
		return DEV_E_RATE;
	err = dev_request(d, PROTO_OP_SET_BAUD, p, proto_u32_pack(p, baud), 0);
	if (err)
		return err;
	switched = clock_ms();
	frames0 = d->frames_in;
	if (d->link->ops->set_baud(d->link->ctx, baud) == 0) {
		d->link->baud = baud;
		d->silence_ms = DEV_RATE_TEST_MS;
		d->rate_testing = 1;
		err = link_test(d);
		d->rate_testing = 0;
		d->silence_ms = silence;
		if (!err)
			return DEV_OK;
	}
	/* back to the boot rate on both sides, once the device has given up */
	d->rate_fallbacks++;
	if (d->link->ops->set_baud(d->link->ctx, DEV_BOOT_BAUD) == 0)
		d->link->baud = DEV_BOOT_BAUD;
	while (clock_ms() < switched + DEV_RATE_PROBATION_MS)
		sleep_ms(50);
	/* frames that came back at the new rate (a noisy line, not a rate the
	 * cable cannot carry) mean one of ours may have reached the device
	 * whole: it stays there until 3 s after it.  Say HELLO until then. */
	until = d->frames_in != frames0 ? clock_ms() + DEV_RATE_IDLE_MS : 0;
	do {
		uint64_t started = clock_ms();

		d->link->ops->flush_input(d->link->ctx);
		proto_dec_reset(&d->dec);
		err = dev_hello(d);
		/* tried only while the device may still have been away */
		if (started >= until)
			break;
	} while (err == DEV_E_TIMEOUT || err == DEV_E_NOANSWER);
	return err ? err : DEV_E_RATE;
}

int dev_auto_rate(struct dev *d, uint32_t max_baud)
{
	size_t i;
	int err;

	if (!(d->hello.caps & PROTO_CAP_BAUD))
		return DEV_OK;
	for (i = 0; i < sizeof(dev_rates) / sizeof(dev_rates[0]); i++) {
		if (dev_rates[i] > max_baud)
			continue;
		err = dev_set_rate(d, dev_rates[i]);
		if (err != DEV_E_RATE)
			return err;
	}
	return DEV_OK;      /* nothing faster works: stay at the boot rate */
}

