/*
 * dev_cmd: one function per request type of PROTOCOL.md section 3.  The
 * payloads are packed and the answers unpacked by protocol/proto_msg.h, the
 * same layouts the firmware uses; answers that are plain bytes (JEDEC, READ,
 * SFDP, XFER, PING) are checked for the length asked.
 */
#include "prog/dev.h"
#include "proto_msg.h"

#include <string.h>

/* Check that the response carries exactly n bytes after the status. */
static int want_len(const struct dev *d, size_t n)
{
	return d->resp_len == n ? DEV_OK : DEV_E_BADRESP;
}

int dev_ping(struct dev *d, const uint8_t *buf, size_t len)
{
	int err;

	if (len > dev_read_max(d))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_PING, buf, len, 0);
	if (!err && (d->resp_len != len || memcmp(d->resp, buf, len)))
		err = DEV_E_BADRESP;
	return err;
}

int dev_spi_clock(struct dev *d, uint32_t hz, uint32_t *set)
{
	uint8_t p[PROTO_U32_LEN];
	uint32_t got;
	int err;

	err = dev_request(d, PROTO_OP_SPI_CLOCK, p, proto_u32_pack(p, hz), 0);
	if (!err && proto_u32_unpack(d->resp, d->resp_len, &got))
		err = DEV_E_BADRESP;
	if (!err && set)
		*set = got;
	return err;
}

int dev_chip(struct dev *d, const struct proto_chip *c)
{
	uint8_t p[PROTO_CHIP_LEN];

	return dev_request(d, PROTO_OP_CHIP, p, proto_req_chip_pack(p, c), 0);
}

int dev_jedec(struct dev *d, uint8_t *id, uint8_t n)
{
	uint8_t p[PROTO_U8_LEN];
	int err;

	if (n < 1 || n > 16)
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_JEDEC, p, proto_u8_pack(p, n), 0);
	if (!err)
		err = want_len(d, n);
	if (!err)
		memcpy(id, d->resp, n);
	return err;
}

/* SPI time for n bytes at a slow 100 kHz, the emulator's stock rate: a
 * bound, not an estimate. */
static unsigned spi_ms(size_t n)
{
	return (unsigned)(n / 5 + 100);
}

int dev_sfdp(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len)
{
	struct proto_req_read q = { addr, len };
	uint8_t p[PROTO_REQ_READ_LEN];
	int err;

	if (len > dev_read_max(d))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_SFDP, p, proto_req_read_pack(p, &q), spi_ms(len));
	if (!err)
		err = want_len(d, len);
	if (!err)
		memcpy(buf, d->resp, len);
	return err;
}

int dev_read(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len)
{
	struct proto_req_read q = { addr, len };
	uint8_t p[PROTO_REQ_READ_LEN];
	int err;

	if (len > dev_read_max(d))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_READ, p, proto_req_read_pack(p, &q), spi_ms(len));
	if (!err)
		err = want_len(d, len);
	if (!err)
		memcpy(buf, d->resp, len);
	return err;
}

int dev_program(struct dev *d, uint32_t addr, const uint8_t *buf, size_t len,
		unsigned t_page_max_ms, unsigned page_size)
{
	struct proto_req_program q = { addr, buf, (uint16_t)len };
	uint8_t p[PROTO_MAX_PAYLOAD];
	size_t pages;

	if (len == 0 || len > dev_program_max(d) || !page_size)
		return DEV_E_ARG;
	/* pages touched, counting a partial first and last page */
	pages = ((addr % page_size) + len + page_size - 1) / page_size;
	return dev_request(d, PROTO_OP_PROGRAM, p, proto_req_program_pack(p, &q),
			   (unsigned)(pages * t_page_max_ms) + spi_ms(len));
}

int dev_erase(struct dev *d, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	struct proto_req_erase q = { addr, opcode, max_ms };
	uint8_t p[PROTO_REQ_ERASE_LEN];

	return dev_request(d, PROTO_OP_ERASE, p, proto_req_erase_pack(p, &q), max_ms + 100);
}

int dev_read_sr(struct dev *d, uint8_t opcode, uint8_t *val)
{
	uint8_t p[PROTO_U8_LEN];
	int err;

	err = dev_request(d, PROTO_OP_READ_SR, p, proto_u8_pack(p, opcode), 0);
	if (!err && proto_u8_unpack(d->resp, d->resp_len, val))
		err = DEV_E_BADRESP;
	return err;
}

int dev_write_sr(struct dev *d, uint8_t opcode, uint8_t flags, const uint8_t *val,
		 uint8_t n, uint16_t max_ms)
{
	struct proto_req_write_sr q;
	uint8_t p[PROTO_REQ_WRITE_SR_LEN(PROTO_REQ_WRITE_SR_MAX)];

	if (n < 1 || n > PROTO_REQ_WRITE_SR_MAX)
		return DEV_E_ARG;
	q.opcode = opcode;
	q.flags = flags;
	q.n = n;
	memcpy(q.val, val, n);
	q.max_ms = max_ms;
	return dev_request(d, PROTO_OP_WRITE_SR, p, proto_req_write_sr_pack(p, &q),
			   max_ms + 100u);
}

int dev_crc32(struct dev *d, uint32_t addr, uint32_t len, uint32_t *crc)
{
	struct proto_req_range q = { addr, len };
	uint8_t p[PROTO_REQ_RANGE_LEN];
	int err;

	err = dev_request(d, PROTO_OP_CRC32, p, proto_req_range_pack(p, &q), spi_ms(len));
	if (!err && proto_u32_unpack(d->resp, d->resp_len, crc))
		err = DEV_E_BADRESP;
	return err;
}

int dev_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit, uint16_t span,
		    uint32_t *crcs)
{
	struct proto_req_crc32_multi q = { addr, count, unit, span };
	uint8_t p[PROTO_REQ_CRC32_MULTI_SPAN_LEN];
	int err;

	if (!count || (size_t)count * 4 > dev_read_max(d) || span > unit ||
	    (span && span < unit && !(d->hello.caps & PROTO_CAP_CRC_SPAN)))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_CRC32_MULTI, p, proto_req_crc32_multi_pack(p, &q),
			  spi_ms((size_t)count * (span ? span : unit)));
	if (!err && proto_ans_crc32_multi_unpack(d->resp, d->resp_len, count, crcs))
		err = DEV_E_BADRESP;
	return err;
}

int dev_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first)
{
	struct proto_req_range q = { addr, len };
	uint8_t p[PROTO_REQ_RANGE_LEN];
	int err;

	err = dev_request(d, PROTO_OP_BLANK, p, proto_req_range_pack(p, &q), spi_ms(len));
	if (!err && proto_u32_unpack(d->resp, d->resp_len, first))
		err = DEV_E_BADRESP;
	return err;
}

int dev_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	struct proto_req_xfer q = { rlen, w, (uint16_t)wlen };
	uint8_t p[PROTO_MAX_PAYLOAD];
	int err;

	if (wlen + PROTO_REQ_XFER_HDR > d->max_payload || rlen > dev_read_max(d))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_XFER, p, proto_req_xfer_pack(p, &q), spi_ms(wlen + rlen));
	if (!err)
		err = want_len(d, rlen);
	if (!err && rlen)
		memcpy(r, d->resp, rlen);
	return err;
}

int dev_diag(struct dev *d, const struct proto_req_diag *q, struct proto_ans_diag *a)
{
	uint8_t p[PROTO_REQ_DIAG_LEN];
	int err;

	/* a sector erase: 400 ms on a W25Q, 1 s the device's own limit */
	err = dev_request(d, PROTO_OP_DIAG, p, proto_req_diag_pack(p, q),
			  q->flags & PROTO_DIAG_ERASE ? 1500 : 200);
	if (!err && proto_ans_diag_unpack(d->resp, d->resp_len, a))
		err = DEV_E_BADRESP;
	return err;
}
