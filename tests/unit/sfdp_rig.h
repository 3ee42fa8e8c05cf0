/* sfdp_rig: what the SFDP unit tests share.  Include after cmocka.h. */
#ifndef SFDP_RIG_H
#define SFDP_RIG_H

#include <stdlib.h>
#include <string.h>

#include "chips/sfdp.h"

/* sfdp_parse over an exact-length heap copy of buf[0..len). */
static inline int parse_exact(const uint8_t *buf, size_t len, struct sfdp_info *info)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	if (len)
		memcpy(copy, buf, len);
	r = sfdp_parse(copy, len, info);
	free(copy);
	return r;
}

#endif
