/*
 * fw_flash: SPI NOR command sequencing over the board's SPI bus (fw_hal.h).
 */
#include "fw_flash.h"
#include "fw_hal.h"
#include "proto.h"

/*
 * Room kept in the receive ring while a page goes to the chip: a piece
 * (hal_spi_piece: 64 bytes at 8 MHz, as long a time at a slower clock)
 * takes under 0.1 ms, in which 17 bytes arrive at 2 Mbaud, and a tick
 * gives the ring its room back 64 bytes at a time (fw_core's rx_pump).
 * 64-byte pieces at a 1 MHz clock take 0.5 ms: the ring overflowed, and
 * 64 KiB at 2 Mbaud took 5.19 s with 9 requests lost, 1.66 s in 8-byte
 * pieces with none.  Pages of zeros decode slowest (a COBS code byte for every
 * byte): writing 16 KiB with 1 KiB of zeros at 2 Mbaud, the ring
 * overflowed in 4 of 8 runs with 64 bytes of room, 1 of 16 with 72, none
 * of 24 with 80 (random pages: none with 64; a MiB 11.81 s, 11.86 s
 * with 80).
 */
#define FLASH_RING_ROOM 80

void flash_init(struct flash *f)
{
	f->size = SPINOR_ADDR3_SPAN;
	f->page_size = 256;
	f->addr_mode = PROTO_ADDR_3;
	f->t_page_max_ms = 5;
	f->tick = 0;
	f->tick_ctx = 0;
	f->data_sent = 0;
}

static int wide(const struct flash *f)
{
	return f->size > SPINOR_ADDR3_SPAN && f->addr_mode != PROTO_ADDR_3;
}

static void cmd(uint8_t opcode)
{
	hal_spi_select();
	hal_spi_xfer(opcode);
	hal_spi_deselect();
}

/*
 * Select the chip and send an opcode with its address.  Parts over 16 MiB
 * get 4 address bytes: with native 4-byte opcodes (op4), or after B7h on parts
 * that only have a 4-byte mode.  The caller ends with end_addr_cmd(), which
 * leaves the chip in 3-byte mode again: a chip left in 4-byte mode stops some
 * boards from booting.
 */
static void begin_addr_cmd(struct flash *f, uint8_t op3, uint8_t op4, uint32_t addr)
{
	uint8_t opcode = op3;

	if (wide(f)) {
		if (f->addr_mode == PROTO_ADDR_4_MODE)
			cmd(SPINOR_OP_EN4B);
		else
			opcode = op4;
	}
	hal_spi_select();
	hal_spi_xfer(opcode);
	if (wide(f))
		hal_spi_xfer((uint8_t)(addr >> 24));
	hal_spi_xfer((uint8_t)(addr >> 16));
	hal_spi_xfer((uint8_t)(addr >> 8));
	hal_spi_xfer((uint8_t)addr);
}

static void end_addr_cmd(struct flash *f)
{
	hal_spi_deselect();
	if (wide(f) && f->addr_mode == PROTO_ADDR_4_MODE)
		cmd(SPINOR_OP_EX4B);
}

static void tick(struct flash *f)
{
	hal_watchdog_kick();
	if (f->tick)
		f->tick(f->tick_ctx);
}

void flash_jedec(struct flash *f, uint8_t *id, uint8_t n)
{
	(void)f;
	hal_spi_select();
	hal_spi_xfer(SPINOR_OP_JEDEC);
	while (n--)
		*id++ = hal_spi_xfer(0xFF);
	hal_spi_deselect();
}

void flash_sfdp(struct flash *f, uint32_t addr, uint8_t *buf, uint16_t n)
{
	(void)f;
	/* SFDP always takes a 3-byte address and 8 dummy clocks. */
	hal_spi_select();
	hal_spi_xfer(SPINOR_OP_SFDP);
	hal_spi_xfer((uint8_t)(addr >> 16));
	hal_spi_xfer((uint8_t)(addr >> 8));
	hal_spi_xfer((uint8_t)addr);
	hal_spi_xfer(0xFF);
	while (n--)
		*buf++ = hal_spi_xfer(0xFF);
	hal_spi_deselect();
}

uint8_t flash_read_sr(struct flash *f, uint8_t opcode)
{
	uint8_t v;

	(void)f;
	hal_spi_select();
	hal_spi_xfer(opcode);
	v = hal_spi_xfer(0xFF);
	hal_spi_deselect();
	return v;
}

void flash_read_begin(struct flash *f, uint32_t addr)
{
	begin_addr_cmd(f, SPINOR_OP_READ, SPINOR_OP_READ4, addr);
}

void flash_read_end(struct flash *f)
{
	end_addr_cmd(f);
}

uint8_t flash_read(struct flash *f, uint32_t addr, uint8_t *buf, uint16_t n)
{
	uint8_t all;

	begin_addr_cmd(f, SPINOR_OP_READ, SPINOR_OP_READ4, addr);
	all = hal_spi_read(buf, n);
	end_addr_cmd(f);
	return all;
}

uint8_t flash_read_and(struct flash *f, uint32_t addr, uint16_t n)
{
	uint8_t all;

	begin_addr_cmd(f, SPINOR_OP_READ, SPINOR_OP_READ4, addr);
	all = hal_spi_and(n);
	end_addr_cmd(f);
	return all;
}

/*
 * Write enable on an idle chip, then check that WEL latched.  A chip that does not set WEL
 * (missing, MISO stuck low, hardware protected) would ignore the program or
 * erase that follows, and a silent no-op is the worst outcome for a user.
 */
int8_t flash_write_enable(struct flash *f, uint8_t opcode)
{
	uint8_t sr = flash_read_sr(f, SPINOR_OP_RDSR);

	/* Still busy from an operation that ran past its deadline: WEL reads
	 * set while busy, and the chip would ignore what we send. */
	if (sr != 0xFF && (sr & SPINOR_SR1_WIP))
		return PROTO_E_BUSY;
	cmd(opcode);
	sr = flash_read_sr(f, SPINOR_OP_RDSR);
	if (sr == 0xFF)
		return PROTO_E_CHIP;      /* MISO stuck high: no real SR1 reads FF */
	if (!(sr & SPINOR_SR1_WEL))
		return PROTO_E_WEL;
	return PROTO_OK;
}

/*
 * Poll WIP until clear, for at most max_ms plus a margin for clock error.
 * The status register is read continuously in one transaction, as the
 * datasheets allow; the tick (keepalives, receiving) does not touch the bus.
 */
int8_t flash_wait_ready(struct flash *f, uint32_t max_ms)
{
	uint32_t start = hal_millis();
	uint32_t limit = max_ms + max_ms / 8 + 5;
	int8_t rc = PROTO_E_TIMEOUT;

	hal_spi_select();
	hal_spi_xfer(SPINOR_OP_RDSR);
	for (;;) {
		uint8_t sr = hal_spi_xfer(0xFF);

		if (!(sr & SPINOR_SR1_WIP)) {
			rc = PROTO_OK;
			break;
		}
		if ((uint32_t)(hal_millis() - start) > limit)
			break;
		/* every poll: at 2 Mbaud the next request arrives at 180 bytes
		 * a millisecond and must be decoded while the chip works */
		tick(f);
	}
	hal_spi_deselect();
	return rc;
}

static int8_t program_page(struct flash *f, uint32_t addr, const uint8_t *data, uint16_t n,
			   uint8_t last)
{
	int8_t rc = flash_write_enable(f, SPINOR_OP_WREN);
	uint8_t piece = hal_spi_piece();

	if (rc)
		return rc;
	begin_addr_cmd(f, SPINOR_OP_PP, SPINOR_OP_PP4, addr);
	/*
	 * In pieces of the same time at any SPI clock.  Bytes that arrive
	 * meanwhile wait in the receive ring: decoding them holds the chip
	 * selected, and the busy time after the page is free for it.  So
	 * between pieces only when less than FLASH_RING_ROOM is left (a tick
	 * with nothing it can decode returns at once).  At half full, as
	 * before, about every second page took 0.3 ms longer to reach the
	 * chip at 2 Mbaud.
	 */
	while (n) {
		uint16_t k = n < piece ? n : piece;

		hal_spi_write(data, k);
		data += k;
		n -= k;
		if (hal_uart_rx_backlog() + FLASH_RING_ROOM > hal_uart_rx_capacity())
			tick(f);
	}
	end_addr_cmd(f);
	/* the chip holds the bytes: the buffer may take the next request
	 * while the page programs */
	if (last && f->data_sent)
		f->data_sent(f->tick_ctx);
	return flash_wait_ready(f, f->t_page_max_ms);
}

/*
 * A page program wraps around inside its page, so a range is cut at every
 * page boundary: the first piece runs from addr to the end of its page.
 */
int8_t flash_program(struct flash *f, uint32_t addr, const uint8_t *data, uint16_t n)
{
	while (n) {
		uint16_t room = (uint16_t)(f->page_size - (addr & (f->page_size - 1)));
		uint16_t chunk = n < room ? n : room;
		int8_t rc = program_page(f, addr, data, chunk, chunk == n);

		if (rc)
			return rc;
		addr += chunk;
		data += chunk;
		n -= chunk;
	}
	return PROTO_OK;
}

int8_t flash_erase(struct flash *f, uint32_t addr, uint8_t opcode, uint32_t max_ms)
{
	int8_t rc = flash_write_enable(f, SPINOR_OP_WREN);

	if (rc)
		return rc;
	if (opcode == SPINOR_OP_CE || opcode == SPINOR_OP_CE_60) {
		cmd(opcode);
	} else {
		uint8_t op4 = opcode == SPINOR_OP_SE ? SPINOR_OP_SE4 :
			      opcode == SPINOR_OP_BE32 ? SPINOR_OP_BE32_4 : SPINOR_OP_BE64_4;

		begin_addr_cmd(f, opcode, op4, addr);
		end_addr_cmd(f);
	}
	return flash_wait_ready(f, max_ms);
}

int8_t flash_write_sr(struct flash *f, uint8_t opcode, uint8_t flags,
		      const uint8_t *val, uint8_t n, uint16_t max_ms)
{
	int8_t rc = flash_write_enable(f, (flags & PROTO_WSR_VOLATILE) ?
				       SPINOR_OP_VWREN : SPINOR_OP_WREN);

	/* 50h enables a volatile write without setting WEL on most parts. */
	if (rc == PROTO_E_WEL && (flags & PROTO_WSR_VOLATILE))
		rc = PROTO_OK;
	if (rc)
		return rc;
	hal_spi_select();
	hal_spi_xfer(opcode);
	while (n--)
		hal_spi_xfer(*val++);
	hal_spi_deselect();
	return flash_wait_ready(f, max_ms);
}

uint32_t flash_crc32(struct flash *f, uint32_t addr, uint32_t len, uint32_t crc)
{
	begin_addr_cmd(f, SPINOR_OP_READ, SPINOR_OP_READ4, addr);
	while (len) {
		uint16_t n = len < 1024 ? (uint16_t)len : 1024;

		crc = hal_spi_crc32(crc, n);
		len -= n;
		tick(f);
	}
	end_addr_cmd(f);
	return crc;
}

uint32_t flash_blank(struct flash *f, uint32_t addr, uint32_t len)
{
	uint8_t chunk[32];
	uint32_t first = 0xFFFFFFFFUL, at = addr;

	begin_addr_cmd(f, SPINOR_OP_READ, SPINOR_OP_READ4, addr);
	while (len) {
		uint8_t n = len < sizeof(chunk) ? (uint8_t)len : (uint8_t)sizeof(chunk);
		uint8_t i;

		if (hal_spi_read(chunk, n) != 0xFF) {
			for (i = 0; chunk[i] == 0xFF; i++)
				;
			first = at + i;
			break;
		}
		at += n;
		len -= n;
		if (!(len & 0x3FF))
			tick(f);
	}
	end_addr_cmd(f);
	return first;
}

void flash_xfer(struct flash *f, const uint8_t *w, uint16_t wn, uint8_t *r, uint16_t rn)
{
	(void)f;
	hal_spi_select();
	hal_spi_write(w, wn);
	hal_spi_read(r, rn);
	hal_spi_deselect();
}
