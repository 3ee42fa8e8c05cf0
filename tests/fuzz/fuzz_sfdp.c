/*
 * libFuzzer harness for the SFDP parser (client/chips/sfdp.c): arbitrary bytes as
 * the SFDP space.  Beyond "no crash, no read past the end", it checks that
 * the four entry points agree with each other and that a successful parse
 * is self-consistent; any broken invariant aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "chips/sfdp.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sfdp_span span[SFDP_MAX_SPANS];
	struct sfdp_info info;
	struct sfdp_param p;
	uint32_t need = 0;
	int r, rn, nt, e;
	unsigned i;

	r = sfdp_parse(data, size, &info);
	CHECK(r <= 0 && r >= SFDP_E_4BAIT_SHORT && r != SFDP_E_ARG);
	CHECK(sfdp_strerror(r) != NULL);

	/* sfdp_needed_len is the client's guide: it must say "complete" exactly
	 * when the parse did not stop for want of bytes. */
	rn = sfdp_needed_len(data, size, &need);
	if (r == SFDP_E_TRUNC_HEADER || r == SFDP_E_TRUNC_TABLE) {
		CHECK(rn == 0 && need > size);
	} else if (rn == 0) {
		CHECK(need <= size && need <= SFDP_SPACE_LEN);
	}
	if (r == 0)
		CHECK(rn == 0);

	nt = sfdp_tables(data, size, span);
	if (nt > 0) {
		CHECK(nt <= SFDP_MAX_SPANS);
		for (e = 0; e < nt; e++) {
			CHECK(span[e].len > 0 && span[e].addr % 4 == 0);
			CHECK(span[e].addr + (uint64_t)span[e].len <= SFDP_SPACE_LEN);
			if (rn == 0)
				CHECK(span[e].addr + span[e].len <= need);
		}
	}
	for (i = 0; i < SFDP_MAX_PARAMS + 1; i++)
		if (sfdp_param(data, size, i, &p) != 0)
			break;
	CHECK(r != 0 || i == info.nph);

	if (r != 0)
		return 0;
	CHECK(info.rev_major == 1 && info.nph >= 1 && info.nph <= SFDP_MAX_PARAMS);
	CHECK(info.bfpt.dwords >= SFDP_BFPT_MIN_DWORDS);
	CHECK(info.size > 0);
	CHECK(is_pow2(info.page_size) && info.page_size <= 32768);
	CHECK(info.addr <= SFDP_ADDR_4 && info.qer <= SFDP_QER_RESERVED);
	for (e = 0; e < 4; e++) {
		const struct sfdp_erase *x = &info.erase[e];

		if (!x->size) {
			CHECK(!x->opcode && !x->has_opcode4 && !x->typ_ms);
			continue;
		}
		CHECK(is_pow2(x->size) && x->size <= info.size);
		CHECK(x->max_ms >= x->typ_ms);
	}
	CHECK(info.pp_max_us >= info.pp_typ_us);
	CHECK(info.chip_erase_max_ms >= info.chip_erase_typ_ms);
	return 0;
}
