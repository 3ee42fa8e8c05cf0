/*
 * flashchip: a strict behavioural model of a 25xx SPI NOR flash chip.
 *
 * A transaction is decoded byte by byte as silicon does: the opcode decides,
 * on the first byte, whether the chip listens at all (busy, powered down,
 * AAI mode) and how many address and dummy bytes follow; reads answer during
 * the data phase; anything that changes the array or a register is only
 * latched on the rising edge of chip select, and only if the transaction
 * had exactly the right shape.
 */
#include <string.h>

#include "flashchip.h"
/* by its path from here: the emulator builds this file with -Ichipmodel only */
#include "spinor.h"
#include "fc_protect.h"

#define KIB 1024u

/* Winbond W25Q timings that the part table does not carry, in ns. */
#define T_DP_NS   3000u          /* /CS high to power-down */
#define T_RES1_NS 3000u          /* /CS high to standby after ABh */
#define T_RST_NS  30000u         /* software reset */

static const struct fc_part *P(const struct fc_chip *c) { return c->part; }
static int has(const struct fc_chip *c, uint32_t f) { return (P(c)->flags & f) != 0; }

/* Finish an operation whose time has passed: WIP drops, and WEL with it,
 * which is why a poll sees WEL set until the very end. */
static void settle(struct fc_chip *c, uint64_t now)
{
	if (c->busy_until && now >= c->busy_until) {
		c->busy_until = 0;
		if (c->op_clears_wel)
			c->sr1 &= (uint8_t)~SPINOR_SR1_WEL;
		c->op_clears_wel = 0;
	}
}

int fc_busy(const struct fc_chip *c, uint64_t now)
{
	return c->busy_until != 0 && now < c->busy_until;
}

/* Start an internal operation of the given datasheet time (us). */
static void start_op(struct fc_chip *c, uint64_t now, uint32_t typ_us, uint32_t max_us,
		     int clears_wel)
{
	uint64_t us = (c->opts & FC_O_MAXTIME) ? max_us : typ_us;

	if (clears_wel == 2) {          /* an erase: maybe slower than its maximum */
		us = fc_fault_erase_us(c, us, max_us);
		clears_wel = 1;
	}

	if (us == 0) {
		if (clears_wel)
			c->sr1 &= (uint8_t)~SPINOR_SR1_WEL;
		return;
	}
	c->busy_until = now + us * 1000u;
	c->op_clears_wel = (uint8_t)clears_wel;
}

static uint8_t read_sr1(struct fc_chip *c, uint64_t now)
{
	settle(c, now);
	return (uint8_t)((c->sr1 & ~SPINOR_SR1_WIP) | (fc_busy(c, now) ? SPINOR_SR1_WIP : 0));
}

static uint8_t read_sr3(const struct fc_chip *c)
{
	if (P(c)->addr4 != FC_ADDR4_NONE)
		return (uint8_t)((c->sr3 & ~SPINOR_SR3_ADS) | (c->addr4_mode ? SPINOR_SR3_ADS : 0));
	return c->sr3;
}

/* The array address of a command: 4-byte commands use all 32 bits; 3-byte
 * ones take A31-A24 from the extended address register, so a 3-byte
 * address counter wraps inside its 16 MiB segment. */
static uint32_t array_addr(const struct fc_chip *c, uint32_t n)
{
	uint32_t a;

	if (c->alen == 4)
		a = c->addr + n;
	else
		a = ((uint32_t)c->ear << 24) | ((c->addr + n) & 0xFFFFFFu);
	return a % P(c)->size;
}

static int is_write_op(uint8_t op)
{
	switch (op) {
	case SPINOR_OP_WRSR: case SPINOR_OP_WRSR2: case SPINOR_OP_WRSR3:
	case SPINOR_OP_PP: case SPINOR_OP_PP4: case SPINOR_OP_AAI_WP:
	case SPINOR_OP_SE: case SPINOR_OP_SE4: case SPINOR_OP_BE32:
	case SPINOR_OP_BE32_4: case SPINOR_OP_BE64: case SPINOR_OP_BE64_4:
	case SPINOR_OP_CE: case SPINOR_OP_CE_60:
		return 1;
	}
	return 0;
}

/*
 * Decide on the opcode byte whether the chip takes the command, and its
 * address and dummy length.  Returns 0 for an opcode this part ignores.
 */
static int accept(struct fc_chip *c, uint8_t op, uint64_t now)
{
	const struct fc_part *p = P(c);
	int a4 = p->addr4 != FC_ADDR4_NONE;
	int native = p->addr4 == FC_ADDR4_NATIVE;
	uint8_t mode_alen = c->addr4_mode ? 4 : 3;

	c->alen = 0;
	c->dummy = 0;
	if (now < c->deaf_until)
		return 0;
	if (c->powered_down) {
		c->alen = 3;            /* ABh: three dummy bytes, then the ID */
		return op == SPINOR_OP_RES;
	}
	if (fc_busy(c, now)) {
		c->busy_write = (uint8_t)is_write_op(op);
		return op == SPINOR_OP_RDSR || (op == SPINOR_OP_RDSR2 && has(c, FC_F_SR2)) ||
		       (op == SPINOR_OP_RDSR3 && has(c, FC_F_SR3));
	}
	if (c->aai && op != SPINOR_OP_AAI_WP && op != SPINOR_OP_WRDI && op != SPINOR_OP_RDSR)
		return 0;

	switch (op) {
	case SPINOR_OP_READ: case SPINOR_OP_PP: case SPINOR_OP_SE: case SPINOR_OP_BE64:
		c->alen = mode_alen;
		return 1;
	case SPINOR_OP_FAST_READ:
		c->alen = mode_alen;
		c->dummy = 1;
		return 1;
	case SPINOR_OP_BE32:
		c->alen = mode_alen;
		return p->t_be32_typ != 0 || has(c, FC_F_52_64K);
	case SPINOR_OP_READ4: case SPINOR_OP_PP4: case SPINOR_OP_SE4:
	case SPINOR_OP_BE64_4:
		c->alen = 4;
		return native;
	case SPINOR_OP_BE32_4:
		c->alen = 4;
		return native && p->t_be32_typ != 0;
	case SPINOR_OP_FAST_READ4:
		c->alen = 4;
		c->dummy = 1;
		return native;
	case SPINOR_OP_REMS:
		c->alen = 3;            /* 24-bit address even in 4-byte mode */
		return 1;
	case SPINOR_OP_RES:
		c->alen = 3;            /* dummy bytes, or SST's ID address */
		return 1;
	case SPINOR_OP_SFDP:
		c->alen = 3;            /* SFDP is always 3-byte addressed */
		c->dummy = 1;
		return p->sfdp != NULL;
	case SPINOR_OP_AAI_WP:
		c->alen = c->aai ? 0 : 3;
		return has(c, FC_F_AAI);
	case SPINOR_OP_JEDEC: case SPINOR_OP_RDSR: case SPINOR_OP_WREN:
	case SPINOR_OP_WRDI: case SPINOR_OP_VWREN: case SPINOR_OP_WRSR:
	case SPINOR_OP_CE: case SPINOR_OP_CE_60:
		return 1;
	case SPINOR_OP_RDSR2:
		return has(c, FC_F_SR2);
	case SPINOR_OP_RDSR3: case SPINOR_OP_WRSR3:
		return has(c, FC_F_SR3);
	case SPINOR_OP_WRSR2:
		return has(c, FC_F_WRSR2_31);
	case SPINOR_OP_DP:
		return has(c, FC_F_DP);
	case SPINOR_OP_RSTEN: case SPINOR_OP_RST:
		return has(c, FC_F_RESET);
	case SPINOR_OP_EN4B: case SPINOR_OP_EX4B:
		return a4;
	case SPINOR_OP_WREAR: case SPINOR_OP_RDEAR:
		return has(c, FC_F_EAR);
	}
	return 0;
}

void fc_init(struct fc_chip *c, const struct fc_part *p, uint8_t *mem, uint32_t opts)
{
	memset(c, 0, sizeof(*c));
	c->part = p;
	c->mem = mem;
	c->opts = opts;
	c->sr1 = (uint8_t)(p->sr1_init & ~(SPINOR_SR1_WIP | SPINOR_SR1_WEL));
	c->sr2 = p->sr2_init;
	c->sr3 = p->sr3_init;
	c->addr4_mode = p->addr4 != FC_ADDR4_NONE && (p->flags & FC_F_SR3) &&
			(p->sr3_init & SPINOR_SR3_ADP);
}

void fc_select(struct fc_chip *c, uint64_t now)
{
	settle(c, now);
	c->selected = 1;
	c->pos = 0;
	c->addr = 0;
	c->ndata = 0;
	c->ignored = 0;
	c->busy_write = 0;
	memset(c->buf_mask, 0, sizeof(c->buf_mask));
}

/* One byte of the data phase (after opcode, address and dummy). */
static uint8_t data_byte(struct fc_chip *c, uint32_t n, uint8_t mosi, uint64_t now)
{
	const struct fc_part *p = P(c);

	if (n < sizeof(c->arg))
		c->arg[n] = mosi;
	switch (c->cmd) {
	case SPINOR_OP_READ: case SPINOR_OP_FAST_READ: case SPINOR_OP_READ4:
	case SPINOR_OP_FAST_READ4:
		return c->mem[array_addr(c, n)];
	case SPINOR_OP_JEDEC:
		return p->jedec[n % 3];
	case SPINOR_OP_RES:
		/* On SST parts ABh is the same Read-ID as 90h. */
		if (!has(c, FC_F_AAI))
			return p->res_id;
		/* fall through */
	case SPINOR_OP_REMS:
		/* A0 picks which comes first; the two then alternate. */
		return ((c->addr ^ n) & 1) ? p->res_id : p->jedec[0];
	case SPINOR_OP_SFDP: {
		uint32_t a = c->addr + n;
		return a < p->sfdp_len ? p->sfdp[a] : 0xFF;
	}
	case SPINOR_OP_RDSR:
		return read_sr1(c, now);
	case SPINOR_OP_RDSR2:
		return c->sr2;
	case SPINOR_OP_RDSR3:
		return read_sr3(c);
	case SPINOR_OP_RDEAR:
		return c->ear;
	case SPINOR_OP_PP: case SPINOR_OP_PP4: {
		/* The address counter wraps inside the page, so later bytes
		 * overwrite earlier ones: the last page_size bytes win. */
		uint32_t ps = p->page_size;
		uint32_t off = (c->addr % ps + n) % ps;
		c->buf[off] = mosi;
		c->buf_mask[off >> 3] |= (uint8_t)(1u << (off & 7));
		return 0xFF;
	}
	}
	return 0xFF;
}

uint8_t fc_transfer(struct fc_chip *c, uint8_t mosi, uint64_t now)
{
	uint32_t n;

	if (!c->selected)
		return 0xFF;
	settle(c, now);
	if (c->pos++ == 0) {
		c->cmd = mosi;
		c->ignored = (uint8_t)!accept(c, mosi, now);
		return fc_fault_miso(c, 0xFF);
	}
	if (c->ignored)
		return fc_fault_miso(c, 0xFF);
	n = c->pos - 2;                 /* index after the opcode */
	if (n < c->alen) {
		c->addr = (c->addr << 8) | mosi;
		return fc_fault_miso(c, 0xFF);
	}
	n -= c->alen;
	if (n < c->dummy)
		return fc_fault_miso(c, 0xFF);
	n -= c->dummy;
	c->ndata = n + 1;
	return fc_fault_miso(c, data_byte(c, n, mosi, now));
}

/* ---- operations latched on the rising edge of chip select ---- */

static int addr_complete(const struct fc_chip *c)
{
	return c->pos >= 1u + c->alen;
}

/* WEL checked; 1 if the operation may go on.  Without WEL it is refused. */
static int need_wel(struct fc_chip *c)
{
	if (c->sr1 & SPINOR_SR1_WEL)
		return 1;
	c->stats.refused++;
	return 0;
}

/* Refused because of protection: silicon still clears WEL. */
static void refuse_protected(struct fc_chip *c)
{
	c->stats.refused++;
	c->sr1 &= (uint8_t)~SPINOR_SR1_WEL;
}

static uint8_t sr_apply(uint8_t old, uint8_t v, uint8_t mask)
{
	return (uint8_t)((old & ~mask) | (v & mask));
}

/* 01h, 31h, 11h.  which: 1 = 01h, 2 = 31h, 3 = 11h. */
static void latch_wrsr(struct fc_chip *c, int which, uint64_t now)
{
	const struct fc_part *p = P(c);
	uint32_t maxlen = (which == 1 && has(c, FC_F_WRSR_2BYTE)) ? 2 : 1;
	int vol = c->vwen;

	/* /CS must rise exactly after the 8th or 16th data bit. */
	if (c->ndata == 0 || c->ndata > maxlen)
		return;
	if (!vol && !need_wel(c))
		return;
	/* WP# held low (a wiring fault) with SRP0 set: the status registers
	 * are locked, volatile writes too, as on the W25Q (SRP1 = 0). */
	if (c->fault.wp_low && (c->sr1 & SPINOR_SR1_SRP0)) {
		refuse_protected(c);
		return;
	}
	if (which == 1) {
		c->sr1 = sr_apply(c->sr1, c->arg[0], p->sr1_wmask & 0xFC);
		if (has(c, FC_F_WRSR_2BYTE)) {
			/* The Winbond trap: one byte writes SR2 as 00h. */
			uint8_t v2 = c->ndata == 2 ? c->arg[1] : 0;
			c->sr2 = sr_apply(c->sr2, v2, p->sr2_wmask);
		}
	} else if (which == 2) {
		c->sr2 = sr_apply(c->sr2, c->arg[0], p->sr2_wmask);
	} else {
		c->sr3 = sr_apply(c->sr3, c->arg[0], p->sr3_wmask);
	}
	c->stats.sr_writes++;
	/* A volatile write takes no time and leaves WEL alone. */
	if (!vol)
		start_op(c, now, p->t_w_typ, p->t_w_max, 1);
}

static void latch_program(struct fc_chip *c, uint64_t now)
{
	const struct fc_part *p = P(c);
	uint32_t ps = p->page_size;
	uint32_t base, off, count = 0;

	if (!addr_complete(c) || c->ndata == 0)
		return;
	if (has(c, FC_F_AAI) && c->ndata != 1)
		return;                 /* SST 02h is a single-byte program */
	if (!need_wel(c))
		return;
	base = array_addr(c, 0);
	base -= base % ps;
	if (fc_is_protected(c, base, ps)) {
		refuse_protected(c);
		return;
	}
	for (off = 0; off < ps; off++) {
		if (c->buf_mask[off >> 3] & (1u << (off & 7))) {
			c->mem[base + off] &= c->buf[off];   /* program only clears bits */
			count++;
		}
	}
	fc_fault_programmed(c, base, ps);
	c->stats.programs++;
	c->stats.bytes_programmed += count;
	start_op(c, now, p->t_pp_typ, p->t_pp_max, 1);
	fc_fault_latched(c);
}

static void latch_erase(struct fc_chip *c, uint32_t bsize, uint32_t typ, uint32_t max,
			uint64_t now)
{
	uint32_t base;

	if (!addr_complete(c) || c->ndata != 0)
		return;
	if (!need_wel(c))
		return;
	base = array_addr(c, 0) & ~(bsize - 1);   /* low address bits ignored */
	if (fc_is_protected(c, base, bsize)) {
		refuse_protected(c);
		return;
	}
	memset(c->mem + base, 0xFF, bsize);
	c->stats.erases++;
	start_op(c, now, typ, max, 2);
	fc_fault_latched(c);
}

static void latch_chip_erase(struct fc_chip *c, uint64_t now)
{
	const struct fc_part *p = P(c);
	uint32_t lo, hi;

	if (c->pos != 1 || !need_wel(c))
		return;
	fc_prot_range(c, &lo, &hi);
	if (lo < hi) {                  /* refused if any block is protected */
		refuse_protected(c);
		return;
	}
	memset(c->mem, 0xFF, p->size);
	c->stats.erases++;
	start_op(c, now, p->t_ce_typ, p->t_ce_max, 2);
	fc_fault_latched(c);
}

/* SST AAI word program: ADh A23-A0 D0 D1, then ADh D0 D1 ..., WRDI ends it.
 * WEL stays set between words. */
static void latch_aai(struct fc_chip *c, uint64_t now)
{
	const struct fc_part *p = P(c);
	uint32_t a;

	if (c->ndata != 2 || !addr_complete(c))
		return;
	if (!c->aai) {
		if (!need_wel(c))
			return;
		a = (c->addr & ~1u) % p->size;   /* a word starts at A0 = 0 */
	} else {
		a = c->aai_addr;
	}
	if (a >= p->size || fc_is_protected(c, a, 2)) {
		refuse_protected(c);
		c->aai = 0;
		c->sr1 &= (uint8_t)~SPINOR_SR1_AAI;
		return;
	}
	c->mem[a] &= c->arg[0];
	c->mem[a + 1] &= c->arg[1];
	fc_fault_programmed(c, a, 2);
	c->aai = 1;
	c->aai_addr = a + 2;
	c->sr1 |= SPINOR_SR1_AAI;
	c->stats.programs++;
	c->stats.bytes_programmed += 2;
	start_op(c, now, p->t_pp_typ, p->t_pp_max, 0);
	fc_fault_latched(c);
}

static void soft_reset(struct fc_chip *c, uint64_t now)
{
	c->sr1 &= (uint8_t)~SPINOR_SR1_WEL;
	c->vwen = 0;
	c->ear = 0;
	c->addr4_mode = P(c)->addr4 != FC_ADDR4_NONE && has(c, FC_F_SR3) &&
			(c->sr3 & SPINOR_SR3_ADP);
	c->deaf_until = now + T_RST_NS;
}

void fc_deselect(struct fc_chip *c, uint64_t now)
{
	const struct fc_part *p = c->part;
	uint8_t op = c->cmd;
	int single = c->pos == 1;       /* opcode alone, nothing after it */
	int reset_en = c->reset_en;

	if (!c->selected)
		return;
	c->selected = 0;
	settle(c, now);
	if (c->pos == 0)
		return;
	if (c->ignored) {
		if (c->busy_write)
			c->stats.refused++;
		return;
	}
	c->reset_en = 0;                /* 99h must come right after 66h */

	switch (op) {
	case SPINOR_OP_WREN:
		if (single)
			c->sr1 |= SPINOR_SR1_WEL;
		break;
	case SPINOR_OP_WRDI:
		if (single) {
			c->sr1 &= (uint8_t)~(SPINOR_SR1_WEL | SPINOR_SR1_AAI);
			c->aai = 0;
		}
		break;
	case SPINOR_OP_VWREN:
		if (single)
			c->vwen = 1;
		return;                 /* keeps vwen for the next command */
	case SPINOR_OP_WRSR: latch_wrsr(c, 1, now); break;
	case SPINOR_OP_WRSR2: latch_wrsr(c, 2, now); break;
	case SPINOR_OP_WRSR3: latch_wrsr(c, 3, now); break;
	case SPINOR_OP_PP: case SPINOR_OP_PP4: latch_program(c, now); break;
	case SPINOR_OP_AAI_WP: latch_aai(c, now); break;
	case SPINOR_OP_SE: case SPINOR_OP_SE4:
		latch_erase(c, 4 * KIB, p->t_se_typ, p->t_se_max, now);
		break;
	case SPINOR_OP_BE32:
		if (has(c, FC_F_52_64K)) {
			latch_erase(c, 64 * KIB, p->t_be64_typ, p->t_be64_max, now);
			break;
		}
		/* fall through */
	case SPINOR_OP_BE32_4:
		latch_erase(c, 32 * KIB, p->t_be32_typ, p->t_be32_max, now);
		break;
	case SPINOR_OP_BE64: case SPINOR_OP_BE64_4:
		latch_erase(c, 64 * KIB, p->t_be64_typ, p->t_be64_max, now);
		break;
	case SPINOR_OP_CE: case SPINOR_OP_CE_60: latch_chip_erase(c, now); break;
	case SPINOR_OP_DP:
		if (single) {
			c->powered_down = 1;
			c->deaf_until = now + T_DP_NS;
		}
		break;
	case SPINOR_OP_RES:
		if (c->powered_down) {
			c->powered_down = 0;
			c->deaf_until = now + T_RES1_NS;
		}
		break;
	case SPINOR_OP_EN4B: case SPINOR_OP_EX4B:
		if (single)
			c->addr4_mode = op == SPINOR_OP_EN4B;
		break;
	case SPINOR_OP_WREAR:
		if (c->ndata == 1 && need_wel(c)) {
			c->ear = c->arg[0];
			c->sr1 &= (uint8_t)~SPINOR_SR1_WEL;
		}
		break;
	case SPINOR_OP_RSTEN:
		c->reset_en = (uint8_t)single;
		break;
	case SPINOR_OP_RST:
		if (single && reset_en)
			soft_reset(c, now);
		break;
	}
	c->vwen = 0;
}
