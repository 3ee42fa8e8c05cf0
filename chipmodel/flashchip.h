/*
 * flashchip: a strict behavioural model of a 25xx SPI NOR flash chip.
 *
 * The model is driven byte by byte, the way the SPI bus drives silicon:
 * fc_select() on the falling edge of chip select, fc_transfer() once per
 * byte (returns the MISO byte of that same transfer), fc_deselect() on the
 * rising edge, which is where program, erase and status writes are latched
 * and the chip goes busy.  Time is simulated time in nanoseconds, supplied by
 * the caller, so the same model serves the AVR emulator and host unit tests.
 *
 * It is never kinder than silicon: nothing is written without WEL, program
 * only clears bits, a page program wraps inside its page, an erase works on
 * whole aligned blocks, block-protect bits refuse writes, and while busy the
 * chip answers only status reads.
 */
#ifndef FLASHCHIP_H
#define FLASHCHIP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the part reaches addresses above 16 MiB. */
enum fc_addr4 {
	FC_ADDR4_NONE = 0,   /* 3-byte only (<= 16 MiB) */
	FC_ADDR4_MODE,       /* B7h/E9h enter/exit 4-byte mode */
	FC_ADDR4_NATIVE,     /* B7h/E9h and 4-byte opcodes 13h 0Ch 12h 21h 52h->5Ch DCh */
};

/* Quirk and feature flags of a part. */
enum fc_flags {
	FC_F_SR2        = 1 << 0,  /* has status register 2 (35h read) */
	FC_F_SR3        = 1 << 1,  /* has status register 3 (15h read, 11h write) */
	FC_F_WRSR2_31   = 1 << 2,  /* SR2 written with 31h */
	FC_F_WRSR_2BYTE = 1 << 3,  /* 01h takes SR1 and SR2; a 1-byte 01h clears SR2 */
	FC_F_AAI        = 1 << 4,  /* SST25VF: 02h programs one byte, AAI word program (ADh),
	                              90h and ABh both read the ID, no power-down */
	FC_F_TB         = 1 << 5,  /* TB bit (bottom protection): SR1 bit 5, bit 6 with FC_F_BP3 */
	FC_F_SEC        = 1 << 6,  /* SR1 bit 6 is SEC (4 KiB protection granularity) */
	FC_F_CMP        = 1 << 7,  /* SR2 bit 6 is CMP (complement protection) */
	FC_F_BP3        = 1 << 8,  /* four BP bits (BP0-BP3 in SR1 bits 2-5) */
	FC_F_RESET      = 1 << 9,  /* 66h/99h software reset */
	FC_F_DP         = 1 << 10, /* B9h deep power-down (ABh releases) */
	FC_F_EAR        = 1 << 11, /* extended address register: C5h write (needs WEL), C8h read */
	FC_F_52_64K     = 1 << 12, /* 52h erases 64 KiB, like D8h (old Macronix) */
};

/* Datasheet facts of one part.  Times in microseconds. */
struct fc_part {
	const char *name;
	const char *datasheet;      /* where the numbers came from */
	uint8_t jedec[3];           /* manufacturer, memory type, capacity */
	uint32_t size;              /* bytes */
	uint16_t page_size;         /* bytes */
	enum fc_addr4 addr4;
	uint32_t flags;             /* enum fc_flags */
	uint8_t res_id;             /* device ID of ABh (RES) and 90h (REMS) */
	uint8_t sr1_init, sr2_init, sr3_init;   /* power-up status registers */
	uint8_t sr1_wmask, sr2_wmask, sr3_wmask; /* bits a status write can change */
	uint32_t t_pp_typ, t_pp_max;            /* page program */
	uint32_t t_se_typ, t_se_max;            /* 4 KiB sector erase (20h) */
	uint32_t t_be32_typ, t_be32_max;        /* 32 KiB block erase (52h), 0 if none */
	uint32_t t_be64_typ, t_be64_max;        /* 64 KiB block erase (D8h) */
	uint32_t t_ce_typ, t_ce_max;            /* chip erase (C7h/60h) */
	uint32_t t_w_typ, t_w_max;              /* write status register, 0: immediate */
	const uint8_t *sfdp;        /* SFDP space image, NULL if the part has none */
	uint16_t sfdp_len;
};

/* The built-in personalities, terminated by an entry with name == NULL. */
extern const struct fc_part fc_parts[];
const struct fc_part *fc_part_find(const char *name);   /* case-insensitive */

/* Options of one chip instance. */
enum fc_opts {
	FC_O_MAXTIME = 1 << 0,   /* busy for the datasheet maximum, not typical */
};

/* Counters, for tests and for the emulator's statistics line. */
struct fc_stats {
	uint32_t programs;       /* page programs latched */
	uint32_t erases;         /* erases latched (any size) */
	uint32_t sr_writes;      /* status register writes latched */
	uint32_t refused;        /* program/erase/WRSR refused (no WEL, protected, busy) */
	uint64_t bytes_programmed;
};

/*
 * Injected chip faults (all off when zeroed; set after fc_init).  Parsed from
 * "stuck=ADDR:MASK,slow-erase[=FACTOR],miso-stuck-after=N[:VAL],protect-after=N"
 * by fc_fault_parse (fc_fault.c).
 */
#define FC_STUCK_MAX 8
struct fc_faults {
	struct { uint32_t addr; uint8_t mask; } stuck[FC_STUCK_MAX];
	unsigned nstuck;            /* cells whose mask bits stay 1: never program */
	uint32_t slow_erase;        /* erases take FACTOR x the datasheet maximum */
	uint32_t miso_stuck_after;  /* after N bytes clocked, MISO reads miso_value */
	uint8_t miso_value;         /* FFh: pulled up (dead chip), 00h: stuck low */
	uint32_t protect_after;     /* after N programs/erases latched, every BP bit set */
	uint8_t wp_low;             /* WP# pin held low: with SRP0 set, status writes ignored */
	/* counters and what has fired */
	uint64_t bytes;
	uint32_t writes;
	uint8_t miso_stuck, protected_now;
};
int fc_fault_parse(const char *spec, struct fc_faults *f, char *err, size_t errlen);
/* Hooks of flashchip.c into fc_fault.c. */
struct fc_chip;
uint8_t fc_fault_miso(struct fc_chip *c, uint8_t miso);
void fc_fault_programmed(struct fc_chip *c, uint32_t base, uint32_t len);
void fc_fault_latched(struct fc_chip *c);
uint64_t fc_fault_erase_us(const struct fc_chip *c, uint64_t us, uint32_t max_us);

struct fc_chip {
	const struct fc_part *part;
	uint8_t *mem;            /* part->size bytes, owned by the caller (may be an mmap) */
	uint32_t opts;
	/* state below is private to flashchip.c */
	uint8_t sr1, sr2, sr3;   /* WIP is not stored: it is derived from busy_until */
	uint8_t ear;             /* extended address register: A31-A24 in 3-byte mode */
	int addr4_mode;          /* 1 while in 4-byte address mode */
	int selected;
	uint64_t busy_until;     /* ns; WIP while now < busy_until */
	uint64_t deaf_until;     /* ns; tDP, tRES1, tRST: every opcode ignored */
	uint8_t op_clears_wel;   /* the operation in flight clears WEL when it ends */
	uint8_t powered_down;
	uint8_t vwen;            /* 50h seen: the next status write is volatile */
	uint8_t reset_en;        /* 66h seen: 99h may follow */
	uint8_t aai;             /* SST AAI word-program mode */
	uint32_t aai_addr;       /* next AAI word */
	/* the transaction in progress */
	uint8_t cmd;
	uint8_t ignored;         /* opcode not accepted (busy, powered down, unknown) */
	uint8_t busy_write;      /* a write opcode arrived while busy (counted as refused) */
	uint8_t alen;            /* address bytes of this command */
	uint8_t dummy;           /* dummy bytes after the address */
	uint32_t pos;            /* bytes clocked since select */
	uint32_t addr;
	uint32_t ndata;          /* bytes clocked after address and dummy */
	uint8_t buf[256];        /* page program buffer, indexed by offset in the page */
	uint8_t buf_mask[32];    /* which offsets of buf were clocked in */
	uint8_t arg[4];          /* first data bytes of a register write */
	struct fc_stats stats;
	struct fc_faults fault;
};

/* Power-up: status registers from the part, 3-byte mode (4-byte if SR3 ADP),
 * not busy.  mem must hold part->size bytes; it is not cleared (the caller
 * loads the image).  part->page_size must be <= 256. */
void fc_init(struct fc_chip *c, const struct fc_part *p, uint8_t *mem, uint32_t opts);
void fc_select(struct fc_chip *c, uint64_t now_ns);
uint8_t fc_transfer(struct fc_chip *c, uint8_t mosi, uint64_t now_ns);
void fc_deselect(struct fc_chip *c, uint64_t now_ns);
/* 1 while a program, erase or status write is in progress (SR1 WIP). */
int fc_busy(const struct fc_chip *c, uint64_t now_ns);

#ifdef __cplusplus
}
#endif
#endif
