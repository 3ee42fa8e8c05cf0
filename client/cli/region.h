/*
 * region: -i NAME turned into the range options.  The region comes from a
 * flashrom layout file (--layout) or an FMAP (--fmap) found in the image
 * file or, when there is no whole image to look in, in the chip.
 *
 * A region sets --flash-offset and -l to its start and length, and for
 * write and verify --file-offset to its start too (the file is a whole
 * image, as flashrom takes it), or to 0 with --region-file (the file holds
 * the region only, and must be exactly its size).
 */
#ifndef REGION_H
#define REGION_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"
#include "cli/opts.h"

#define REGION_FMAP_MIN_STRIDE 4096u   /* chip FMAP search: 4 KiB-aligned offsets */
#define REGION_FMAP_MAX_LEN (64u * 1024) /* more than 1500 areas: not an FMAP we take */


struct region {
	int resolved;              /* o's range fields are set */
	int need_chip;             /* --fmap with no whole image: region_from_chip */
	char name[72];
	uint32_t offset, length;
	char source[24];           /* "layout", "image FMAP", "chip FMAP" */
};

/*
 * Before connecting: a --layout region, or an --fmap region from the image
 * file; sets o->flash_offset, o->length, o->file_offset and o->given.  With
 * no -i, nothing.  0 or a negative enum region_err with msg.
 */
int region_plan(struct opts *o, struct region *r, char *msg, size_t msglen);

/* After the chip is detected, when r->need_chip: search the chip for its
 * FMAP (ops errors pass through) and set o's range as region_plan does. */
int region_from_chip(struct opts *o, struct ops *ops, struct region *r, char *msg,
		     size_t msglen);

#endif
