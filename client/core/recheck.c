/* recheck: the JEDEC ID at the end of a command, compared with its start. */
#include "core/recheck.h"

#include <string.h>

#include "core/ops_util.h"

static int absent(const uint8_t *id)
{
	return (id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00) ||
	       (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF);
}

int recheck_init(struct recheck *r, struct ops *o)
{
	int err = prog_jedec(o->prog, r->id, 3);

	r->valid = !err && !absent(r->id);
	return err;
}

int recheck_chip(const struct recheck *r, struct ops *o, const char *what)
{
	uint8_t id[3];
	int err;

	if (!r->valid)
		return 0;
	err = prog_jedec(o->prog, id, 3);
	if (err)
		return err;
	if (!memcmp(id, r->id, 3))
		return 0;
	return ops_fail(o, OPS_E_UNSTABLE,
			"the chip stopped answering during the %s (JEDEC ID now %02x %02x %02x, was %02x %02x %02x): its result cannot be trusted; check the clip and the wiring ('spiflash doctor' tells why), then run the command again",
			what, id[0], id[1], id[2], r->id[0], r->id[1], r->id[2]);
}
