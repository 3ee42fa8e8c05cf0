/*
 * fw_diag: readings for `spiflash doctor`.  The JEDEC ID is read twice, with
 * the MCU's pull-up on MISO and without: a chip that drives MISO gives the
 * same bytes both times, a line nobody drives follows the pull-up (FF) and
 * reads anything without it.  A0, where the chip's VCC is wired to it, is
 * read against AVcc, and the bandgap gives AVcc itself; under a load (a
 * status-read loop, or a sector erase the host asked for) the lowest A0 is
 * kept, so a supply that sags when the chip works shows.
 */
#include "fw_diag.h"
#include "fw_hal.h"
#include "proto_msg.h"

struct load {
	flash_tick_fn fn;
	void *ctx;
	uint16_t min;
};

static void sample(struct load *l)
{
	uint16_t v = hal_adc_read(HAL_ADC_A0);

	if (v < l->min)
		l->min = v;
}

/* The flash tick during the erase: sample, then the core's keepalives. */
static void load_tick(void *ctx)
{
	struct load *l = (struct load *)ctx;

	sample(l);
	if (l->fn)
		l->fn(l->ctx);
}

int16_t fw_diag(struct flash *f, const uint8_t *p, uint16_t n, uint8_t *out)
{
	struct proto_req_diag q;
	struct load l;
	uint16_t t0, a0;
	uint8_t i, miso;
	int8_t rc = 0;

	if (proto_req_diag_unpack(p, n, &q) ||
	    ((q.flags & PROTO_DIAG_ERASE) && q.addr >= f->size))
		return PROTO_E_ARG;
	/* built in place, in the layout of proto_ans_diag_pack */
	miso = (uint8_t)(hal_miso_level() << 1);
	flash_jedec(f, out + 4, 3);
	hal_spi_miso_pullup(1);
	out[0] = miso | hal_miso_level();
	flash_jedec(f, out + 1, 3);
	hal_spi_miso_pullup(0);
	/* A0 before its pull-up: an open pin keeps the pull-up's charge */
	a0 = hal_adc_read(HAL_ADC_A0);
	proto_put16(out + 7, a0);
	proto_put16(out + 9, hal_adc_read(HAL_ADC_A0 | HAL_ADC_PULLUP));
	proto_put16(out + 11, hal_adc_read(HAL_ADC_BANDGAP));
	l.min = a0;
	l.fn = f->tick;
	l.ctx = f->tick_ctx;
	t0 = (uint16_t)hal_millis();
	if (q.flags & PROTO_DIAG_LOAD) {
		hal_spi_select();
		hal_spi_xfer(SPINOR_OP_RDSR);
		for (i = 0; i < 64; i++) {
			hal_spi_xfer(0xFF);
			sample(&l);
		}
		hal_spi_deselect();
	}
	if (q.flags & PROTO_DIAG_ERASE) {
		f->tick = load_tick;
		f->tick_ctx = &l;
		rc = flash_erase(f, q.addr, SPINOR_OP_SE, 1000);
		f->tick = l.fn;
		f->tick_ctx = l.ctx;
	}
	proto_put16(out + 13, l.min);
	proto_put16(out + 15, (uint16_t)((uint16_t)hal_millis() - t0));
	hal_spi_swapped_jedec(out + 17, 3);
	if (rc < 0)
		return rc;
	return PROTO_ANS_DIAG_LEN;
}
