/* dev_priv: pieces of dev.c shared with dev_stream.c and dev_pipe.c,
 * private to dev. */
#ifndef DEV_PRIV_H
#define DEV_PRIV_H

#include "prog/dev.h"

/* Milliseconds the wire needs for n bytes, doubled for slack, at least 20. */
unsigned dev_wire_ms(const struct dev *d, size_t n);
/* The next sequence number (never 0, which FRAME_ERR carries). */
uint8_t dev_next_seq(struct dev *d);
/* One line of the request trace, when d has one. */
void dev_trace(const struct dev *d, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A FRAME_ERR just decoded: traced (why the device refused, its drops);
 * 1 when its receive ring dropped bytes since the last one told. */
int dev_frame_err(struct dev *d, const char *then);
/* The request type's name in PROTOCOL.md, for the trace. */
const char *dev_op_name(uint8_t op);
/* Read what the link has, within timeout_ms: bytes read (0 on a timeout),
 * or DEV_E_LINK with the link's error kept in d->link_err. */
int dev_link_read(struct dev *d, uint8_t *buf, size_t len, unsigned timeout_ms);
/* Encode and send one frame. */
int dev_send_frame(struct dev *d, uint8_t op, uint8_t seq, const uint8_t *req, size_t len);

#endif
