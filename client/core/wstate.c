/* wstate: the state of a failed write's range, sector by sector. */
#include "core/wstate.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "core/ops_util.h"

#define SECTOR OPS_SECTOR

enum st { ST_DONE, ST_ERASED, ST_OLD, ST_PARTLY, ST_N };
static const char *const st_name[ST_N] = { "done", "erased", "as before", "partly written" };

/* CRC of the range's part [a, e) of a sector as it should be, as FF, as it was */
static void crcs(const uint8_t *want, uint32_t lo, uint32_t a, uint32_t e, FILE *old,
		 uint32_t old_lo, uint32_t old_len, uint32_t *cw, uint32_t *cf, uint32_t *co,
		 int *have_old)
{
	uint8_t buf[SECTOR];

	memset(buf, 0xFF, sizeof(buf));
	*cf = (uint32_t)crc32(0L, buf, e - a);
	*cw = want ? (uint32_t)crc32(0L, want + (a - lo), e - a) : *cf;
	*have_old = 0;
	if (old && a >= old_lo && e <= old_lo + old_len &&
	    fseek(old, (long)(a - old_lo), SEEK_SET) == 0 && fread(buf, 1, e - a, old) == e - a) {
		*co = (uint32_t)crc32(0L, buf, e - a);
		*have_old = 1;
	}
}

static size_t add(char *buf, size_t n, size_t at, uint32_t a, uint32_t e, enum st s)
{
	int k;

	if (at >= n)
		return at;
	k = snprintf(buf + at, n - at, "%s0x%06x-0x%06x %s", at ? ", " : "", a, e - 1, st_name[s]);
	return k > 0 ? at + (size_t)k : at;
}

int wstate_describe(struct ops *o, uint32_t lo, const uint8_t *want, uint32_t len,
		    const char *old_path, uint32_t old_lo, uint32_t old_len, char *buf,
		    size_t n)
{
	uint32_t hi = lo + len, s, run_lo = lo;
	enum st run = ST_N;
	FILE *old = old_path ? fopen(old_path, "rb") : NULL;
	size_t at = 0;
	int err = 0;

	buf[0] = '\0';
	for (s = lo - lo % SECTOR; s < hi; s += SECTOR) {
		uint32_t a = s > lo ? s : lo, e = s + SECTOR < hi ? s + SECTOR : hi;
		uint32_t dcrc, cw, cf, co = 0;
		int have_old;
		enum st st;

		err = ops_chip_crc(o, a, e - a, &dcrc);
		if (err)
			break;
		crcs(want, lo, a, e, old, old_lo, old_len, &cw, &cf, &co, &have_old);
		st = dcrc == cw ? ST_DONE : dcrc == cf ? ST_ERASED :
		     have_old && dcrc == co ? ST_OLD : ST_PARTLY;
		if (st != run && run != ST_N) {
			at = add(buf, n, at, run_lo, a, run);
			run_lo = a;
		}
		run = st;
	}
	if (!err && run != ST_N)
		add(buf, n, at, run_lo, hi, run);
	if (old)
		fclose(old);
	return err;
}
