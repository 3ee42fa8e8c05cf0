/*
 * region: -i NAME from --layout or --fmap (region.h).
 */
#include "cli/region.h"
#include "core/file.h"
#include "core/fmap.h"
#include "core/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int takes_image(const struct opts *o)
{
	return (o->cmd == OPTS_CMD_WRITE || o->cmd == OPTS_CMD_VERIFY) && !o->region_file;
}

/* The region called o->region of l into r and o's range fields. */
static int apply(struct opts *o, const struct layout *l, struct region *r, char *msg,
		 size_t msglen)
{
	const struct layout_region *lr = layout_find(l, o->region);
	char names[400];
	struct stat st;
	uint32_t len;

	if (!lr) {
		layout_names(l, names, sizeof(names));
		snprintf(msg, msglen, "no region '%s' in the %s; it has: %s", o->region, r->source,
			 names);
		return REGION_E_NONAME;
	}
	len = lr->end - lr->start + 1;
	if (lr->start == 0 && lr->end == 0xFFFFFFFFu)
		len = 0xFFFFFFFFu;   /* 4 GiB does not fit: the range check will say */
	snprintf(r->name, sizeof(r->name), "%s", lr->name);
	r->offset = lr->start;
	r->length = len;
	o->flash_offset = lr->start;
	o->length = len;
	o->given |= OPTS_HAVE_FLASH_OFFSET | OPTS_HAVE_LENGTH;
	if (o->cmd == OPTS_CMD_WRITE || o->cmd == OPTS_CMD_VERIFY) {
		o->file_offset = o->region_file ? 0 : lr->start;
		o->given |= OPTS_HAVE_FILE_OFFSET;
	}
	/* a region file of another size is the wrong file, not a prefix to take */
	if (o->region_file && strcmp(o->file, "-") && !stat(o->file, &st) &&
	    (uint64_t)st.st_size != len) {
		snprintf(msg, msglen, "'%s' is %llu bytes but region '%s' is %u: nothing was %s",
			 o->file, (unsigned long long)st.st_size, r->name, (unsigned)len,
			 o->cmd == OPTS_CMD_WRITE ? "written" : "compared");
		return REGION_E_SIZE;
	}
	r->resolved = 1;
	return 0;
}

static int from_layout(struct opts *o, struct region *r, char *msg, size_t msglen)
{
	struct layout *l = malloc(sizeof(*l));
	uint8_t *text = NULL;
	uint32_t len;
	char sub[200];
	int err;

	if (!l) {
		snprintf(msg, msglen, "out of memory");
		return REGION_E_FILE;
	}
	snprintf(r->source, sizeof(r->source), "layout");
	err = file_load(o->layout, 0, 0, 0, &text, &len, sub, sizeof(sub));
	if (err) {
		snprintf(msg, msglen, "layout: %s", sub);
		err = REGION_E_FILE;
		goto out;
	}
	err = layout_parse((const char *)text, len, l, sub, sizeof(sub));
	if (err) {
		snprintf(msg, msglen, "layout '%s': %s", o->layout, sub);
		err = REGION_E_LAYOUT;
		goto out;
	}
	err = apply(o, l, r, msg, msglen);
out:
	free(text);
	free(l);
	return err;
}

static int from_fmap_buf(struct opts *o, const uint8_t *buf, size_t len, struct region *r,
			 char *msg, size_t msglen)
{
	struct layout *l = malloc(sizeof(*l));
	struct fmap_info info;
	int err;

	if (!l) {
		snprintf(msg, msglen, "out of memory");
		return REGION_E_FILE;
	}
	err = fmap_parse(buf, len, &info, l);
	if (err) {
		snprintf(msg, msglen, "%s: %s", r->source, fmap_strerror(err));
		err = REGION_E_LAYOUT;
	} else {
		err = apply(o, l, r, msg, msglen);
	}
	free(l);
	return err;
}

int region_plan(struct opts *o, struct region *r, char *msg, size_t msglen)
{
	uint8_t *img = NULL;
	uint32_t len;
	size_t off;
	char sub[200];
	int err;

	memset(r, 0, sizeof(*r));
	if (!o->region)
		return 0;
	if (o->layout)
		return from_layout(o, r, msg, msglen);
	if (!takes_image(o)) {
		r->need_chip = 1;
		return 0;
	}
	snprintf(r->source, sizeof(r->source), "image FMAP");
	if (!strcmp(o->file, "-")) {
		snprintf(msg, msglen, "--fmap looks in the image, which stdin cannot give twice: give -f a file name");
		return REGION_E_FILE;
	}
	err = file_load(o->file, 0, 0, 0, &img, &len, sub, sizeof(sub));
	if (err) {
		snprintf(msg, msglen, "%s", sub);
		return REGION_E_FILE;
	}
	if (fmap_find(img, len, &off)) {
		snprintf(msg, msglen, "no FMAP in '%s': use --layout FILE instead", o->file);
		err = REGION_E_NOFMAP;
	} else {
		err = from_fmap_buf(o, img + off, len - off, r, msg, msglen);
	}
	free(img);
	return err;
}

/* Is there an FMAP that parses at addr?  Reads the signature first, then
 * only as much as the header asks for.  1 with *buf and *len set (the caller frees), 0
 * if not (a damaged one too: the search goes on), or an ops error. */
static int fmap_at(struct ops *ops, uint32_t addr, uint8_t **buf, size_t *len)
{
	uint8_t hdr[FMAP_HEADER_LEN];
	uint32_t size = ops->chip.size, need;
	int err;

	if (addr + FMAP_HEADER_LEN > size)
		return 0;
	err = ops_read(ops, addr, hdr, FMAP_SIG_LEN);
	if (err)
		return err;
	if (memcmp(hdr, FMAP_SIGNATURE, FMAP_SIG_LEN))
		return 0;
	err = ops_read(ops, addr, hdr, FMAP_HEADER_LEN);
	if (err)
		return err;
	need = (uint32_t)fmap_need(hdr);
	if (need > REGION_FMAP_MAX_LEN || addr + need > size)
		return 0;
	*buf = malloc(need);
	if (!*buf)
		return OPS_E_NOMEM;
	err = ops_read(ops, addr, *buf, need);
	if (!err) {
		struct layout *l = malloc(sizeof(*l));
		struct fmap_info info;

		err = !l ? OPS_E_NOMEM : fmap_parse(*buf, need, &info, l) ? 0 : 1;
		free(l);
	}
	if (err != 1) {
		free(*buf);
		*buf = NULL;
		return err;
	}
	*len = need;
	return 1;
}

int region_from_chip(struct opts *o, struct ops *ops, struct region *r, char *msg,
		     size_t msglen)
{
	uint32_t size = ops->chip.size, stride, addr;
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	if (!r->need_chip)
		return 0;
	snprintf(r->source, sizeof(r->source), "chip FMAP");
	/*
	 * flashrom's binary search: offset 0, then the middle, then the
	 * quarters, ... so that an FMAP on a large power-of-two boundary (where
	 * images put it) costs a few reads, and the whole chip at 4 KiB
	 * alignment at most size / 4 KiB reads of 8 bytes.
	 */
	err = fmap_at(ops, 0, &buf, &len);
	for (stride = size / 2; !err && stride >= REGION_FMAP_MIN_STRIDE; stride /= 2)
		for (addr = stride; !err && addr < size; addr += 2 * stride)
			err = fmap_at(ops, addr, &buf, &len);
	if (err < 0)
		return err;
	if (!buf) {
		snprintf(msg, msglen, "no FMAP in the %s (searched at %u KiB alignment): use --layout FILE instead",
			 ops->chip.name, REGION_FMAP_MIN_STRIDE / 1024);
		return REGION_E_NOFMAP;
	}
	err = from_fmap_buf(o, buf, len, r, msg, msglen);
	free(buf);
	return err;
}
