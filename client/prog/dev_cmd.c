/*
 * dev_cmd: one function per request type of PROTOCOL.md section 3, packing
 * fields with explicit little-endian shifts and checking response lengths.
 */
#include "prog/dev.h"
#include "prog/dev_spi.h"

#include <string.h>

/* Check that the response carries exactly n bytes after the status. */
static int want_len(const struct dev *d, size_t n)
{
	return d->resp_len == n ? DEV_OK : DEV_E_BADRESP;
}

int dev_ping(struct dev *d, const uint8_t *buf, size_t len)
{
	int err;

	if (d->spi)
		return DEV_OK;      /* no serial line to test */
	if (len > dev_read_max(d))
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_PING, buf, len, 0);
	if (!err && (d->resp_len != len || memcmp(d->resp, buf, len)))
		err = DEV_E_BADRESP;
	return err;
}

int dev_spi_clock(struct dev *d, uint32_t hz, uint32_t *set)
{
	uint8_t p[4];
	int err;

	if (d->spi)
		return dev_spi_set_clock(d, hz, set);
	proto_put32(p, hz);
	err = dev_request(d, PROTO_OP_SPI_CLOCK, p, sizeof(p), 0);
	if (!err)
		err = want_len(d, 4);
	if (!err && set)
		*set = proto_get32(d->resp);
	return err;
}

int dev_chip(struct dev *d, const struct proto_chip *c)
{
	uint8_t p[PROTO_CHIP_LEN];

	if (d->spi)
		return dev_spi_chip(d, c);
	proto_put16(p, c->page_size);
	p[2] = c->addr_mode;
	proto_put32(p + 3, c->size);
	proto_put16(p + 7, c->t_page_max_ms);
	return dev_request(d, PROTO_OP_CHIP, p, sizeof(p), 0);
}

int dev_jedec(struct dev *d, uint8_t *id, uint8_t n)
{
	int err;

	if (d->spi)
		return dev_spi_jedec(d, id, n);
	if (n < 1 || n > 16)
		return DEV_E_ARG;
	err = dev_request(d, PROTO_OP_JEDEC, &n, 1, 0);
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
	uint8_t p[6];
	int err;

	if (d->spi)
		return dev_spi_sfdp(d, addr, buf, len);
	if (len > dev_read_max(d))
		return DEV_E_ARG;
	proto_put32(p, addr);
	proto_put16(p + 4, len);
	err = dev_request(d, PROTO_OP_SFDP, p, sizeof(p), spi_ms(len));
	if (!err)
		err = want_len(d, len);
	if (!err)
		memcpy(buf, d->resp, len);
	return err;
}

int dev_read(struct dev *d, uint32_t addr, uint8_t *buf, uint16_t len)
{
	uint8_t p[6];
	int err;

	if (d->spi)
		return dev_spi_read(d, addr, buf, len);
	if (len > dev_read_max(d))
		return DEV_E_ARG;
	proto_put32(p, addr);
	proto_put16(p + 4, len);
	err = dev_request(d, PROTO_OP_READ, p, sizeof(p), spi_ms(len));
	if (!err)
		err = want_len(d, len);
	if (!err)
		memcpy(buf, d->resp, len);
	return err;
}

int dev_program(struct dev *d, uint32_t addr, const uint8_t *buf, size_t len,
		unsigned t_page_max_ms, unsigned page_size)
{
	uint8_t p[PROTO_MAX_PAYLOAD];
	size_t pages;

	if (d->spi)
		return dev_spi_program(d, addr, buf, len, t_page_max_ms, page_size);
	if (len == 0 || len > dev_program_max(d) || !page_size)
		return DEV_E_ARG;
	proto_put32(p, addr);
	memcpy(p + 4, buf, len);
	/* pages touched, counting a partial first and last page */
	pages = ((addr % page_size) + len + page_size - 1) / page_size;
	return dev_request(d, PROTO_OP_PROGRAM, p, 4 + len,
			   (unsigned)(pages * t_page_max_ms) + spi_ms(len));
}

int dev_erase(struct dev *d, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	uint8_t p[9];

	if (d->spi)
		return dev_spi_erase(d, addr, opcode, max_ms);
	proto_put32(p, addr);
	p[4] = opcode;
	proto_put32(p + 5, max_ms);
	return dev_request(d, PROTO_OP_ERASE, p, sizeof(p), max_ms + 100);
}

int dev_read_sr(struct dev *d, uint8_t opcode, uint8_t *val)
{
	int err;

	if (d->spi)
		return dev_spi_read_sr(d, opcode, val);
	err = dev_request(d, PROTO_OP_READ_SR, &opcode, 1, 0);
	if (!err)
		err = want_len(d, 1);
	if (!err)
		*val = d->resp[0];
	return err;
}

int dev_write_sr(struct dev *d, uint8_t opcode, uint8_t flags, const uint8_t *val,
		 uint8_t n, uint16_t max_ms)
{
	uint8_t p[3 + 3 + 2];

	if (d->spi)
		return dev_spi_write_sr(d, opcode, flags, val, n, max_ms);
	/* PROTOCOL.md: u8 opcode, u8 flags, u8 n, n bytes, u16 max_ms */
	if (n < 1 || n > 3)
		return DEV_E_ARG;
	p[0] = opcode;
	p[1] = flags;
	p[2] = n;
	memcpy(p + 3, val, n);
	proto_put16(p + 3 + n, max_ms);
	return dev_request(d, PROTO_OP_WRITE_SR, p, 3u + n + 2u, max_ms + 100u);
}

int dev_crc32(struct dev *d, uint32_t addr, uint32_t len, uint32_t *crc)
{
	uint8_t p[8];
	int err;

	if (d->spi)
		return dev_spi_crc32(d, addr, len, crc);
	proto_put32(p, addr);
	proto_put32(p + 4, len);
	err = dev_request(d, PROTO_OP_CRC32, p, sizeof(p), spi_ms(len));
	if (!err)
		err = want_len(d, 4);
	if (!err)
		*crc = proto_get32(d->resp);
	return err;
}

int dev_crc32_multi(struct dev *d, uint32_t addr, uint16_t count, uint32_t unit, uint32_t *crcs)
{
	uint8_t p[10];
	uint16_t i;
	int err;

	if (d->spi)
		return dev_spi_crc32_multi(d, addr, count, unit, crcs);
	if (!count || (size_t)count * 4 > dev_read_max(d))
		return DEV_E_ARG;
	proto_put32(p, addr);
	proto_put16(p + 4, count);
	proto_put32(p + 6, unit);
	err = dev_request(d, PROTO_OP_CRC32_MULTI, p, sizeof(p),
			  spi_ms((size_t)count * unit));
	if (!err)
		err = want_len(d, 4u * count);
	for (i = 0; !err && i < count; i++)
		crcs[i] = proto_get32(d->resp + 4 * i);
	return err;
}

int dev_blank(struct dev *d, uint32_t addr, uint32_t len, uint32_t *first)
{
	uint8_t p[8];
	int err;

	if (d->spi)
		return dev_spi_blank(d, addr, len, first);
	proto_put32(p, addr);
	proto_put32(p + 4, len);
	err = dev_request(d, PROTO_OP_BLANK, p, sizeof(p), spi_ms(len));
	if (!err)
		err = want_len(d, 4);
	if (!err)
		*first = proto_get32(d->resp);
	return err;
}

int dev_xfer(struct dev *d, const uint8_t *w, size_t wlen, uint8_t *r, uint16_t rlen)
{
	uint8_t p[PROTO_MAX_PAYLOAD];
	int err;

	if (d->spi)
		return dev_spi_xfer(d, w, wlen, r, rlen);
	if (wlen + 2 > d->max_payload || rlen > dev_read_max(d))
		return DEV_E_ARG;
	proto_put16(p, rlen);
	memcpy(p + 2, w, wlen);
	err = dev_request(d, PROTO_OP_XFER, p, wlen + 2, spi_ms(wlen + rlen));
	if (!err)
		err = want_len(d, rlen);
	if (!err && rlen)
		memcpy(r, d->resp, rlen);
	return err;
}
