/*
 * cli_inspect: `spiflash identify [FILE]` and `spiflash diff A B` over the
 * dump parsers of client/inspect (inspect.h), and --ifd: the regions of an
 * Intel flash descriptor, in the image or on the chip, as a layout for -i.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/file.h"
#include "core/layout.h"
#include "inspect/inspect.h"

#define IFD_BYTES 4096u          /* the descriptor lives in the first 4 KiB */

/* The chip's contents, read once for the whole command. */
static int chip_bytes(struct ctx *c, uint8_t **buf, uint32_t *len, uint32_t want)
{
	int rc, err;

	rc = attach(c);
	if (rc)
		return rc;
	*len = want && want < c->ops.chip.size ? want : c->ops.chip.size;
	*buf = malloc(*len);
	if (!*buf)
		return fail(c, OPS_E_NOMEM);
	progress_plan(&c->prog, "read", 1, *len);
	err = ops_read(&c->ops, 0, *buf, *len);
	if (err) {
		free(*buf);
		*buf = NULL;
		return fail(c, err);
	}
	return EXIT_OK;
}

static int is_chip(const char *name)
{
	return !strcmp(name, "chip") || !strcmp(name, "-");
}

/* A file, or the chip ("chip" or "-"). */
static int image_bytes(struct ctx *c, const char *name, uint8_t **buf, uint32_t *len)
{
	char msg[512];

	if (is_chip(name))
		return chip_bytes(c, buf, len, 0);
	if (file_load(name, 0, 0, 0, buf, len, msg, sizeof(msg))) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

int cmd_identify(struct ctx *c)
{
	struct insp_report *r = malloc(sizeof(*r));
	uint8_t *buf = NULL;
	uint32_t len = 0;
	int rc;

	if (!r)
		return fail(c, OPS_E_NOMEM);
	rc = c->o.nargs ? image_bytes(c, c->o.args[0], &buf, &len) : chip_bytes(c, &buf, &len, 0);
	if (rc)
		goto out;
	progress_end(&c->prog);
	if (insp_identify(buf, len, r) ||
	    (c->o.json ? insp_print_json(stdout, r) : insp_print_text(stdout, r))) {
		error("cannot print what '%s' holds", c->o.nargs ? c->o.args[0] : "the chip");
		rc = EXIT_ERROR;
		goto out;
	}
	c->rep.printed = 1;
	rc = EXIT_OK;
out:
	free(buf);
	free(r);
	return rc;
}

/* --layout FILE as the diff's regions */
static int layout_regions(struct ctx *c, struct insp_region *out, size_t max, size_t *n)
{
	struct layout *l = calloc(1, sizeof(*l));
	char msg[512];
	uint8_t *text = NULL;
	uint32_t len = 0;
	unsigned i;
	int rc = EXIT_OK;

	*n = 0;
	if (!l)
		return fail(c, OPS_E_NOMEM);
	if (file_load(c->o.layout, 0, 0, 0, &text, &len, msg, sizeof(msg)) ||
	    layout_parse((const char *)text, len, l, msg, sizeof(msg))) {
		error("%s", msg);
		rc = EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < l->n && *n < max; i++) {
		snprintf(out[*n].name, sizeof(out[*n].name), "%s", l->r[i].name);
		out[*n].off = l->r[i].start;
		out[*n].size = (uint64_t)l->r[i].end - l->r[i].start + 1;
		(*n)++;
	}
out:
	free(text);
	free(l);
	return rc;
}

/* Regions: --layout, else what a (or b, when a has none) holds. */
static int diff_regions(struct ctx *c, const uint8_t *a, uint32_t alen, const uint8_t *b,
			uint32_t blen, struct insp_region *regs, size_t *n)
{
	struct insp_report *r;

	if (c->o.layout)
		return layout_regions(c, regs, INSP_DIFF_MAX_REGIONS, n);
	r = malloc(sizeof(*r));
	if (!r)
		return fail(c, OPS_E_NOMEM);
	*n = 0;
	if (!insp_identify(a, alen, r))
		*n = insp_regions_from_report(r, regs, INSP_DIFF_MAX_REGIONS);
	if (!*n && !insp_identify(b, blen, r))
		*n = insp_regions_from_report(r, regs, INSP_DIFF_MAX_REGIONS);
	free(r);
	return EXIT_OK;
}

/* "ME differs (1234 bytes in 3 ranges), BIOS equal" */
static void diff_summary(const struct insp_diff_report *d)
{
	size_t i;

	if (!d->nregions)
		return;
	fputs("spiflash: ", stderr);
	for (i = 0; i < d->nregions; i++) {
		const struct insp_diff_region *g = &d->reg[i];

		if (g->ndiff)
			fprintf(stderr, "%s%s differs (%llu bytes in %llu range%s)", i ? ", " : "",
				g->r.name, (unsigned long long)g->ndiff,
				(unsigned long long)g->nranges, g->nranges == 1 ? "" : "s");
		else
			fprintf(stderr, "%s%s equal", i ? ", " : "", g->r.name);
	}
	fputc('\n', stderr);
}

int cmd_diff(struct ctx *c)
{
	struct insp_diff_report *d = malloc(sizeof(*d));
	struct insp_region regs[INSP_DIFF_MAX_REGIONS];
	uint8_t *a = NULL, *b = NULL;
	uint32_t alen = 0, blen = 0;
	size_t n = 0;
	int rc;

	if (!d)
		return fail(c, OPS_E_NOMEM);
	rc = image_bytes(c, c->o.args[0], &a, &alen);
	if (!rc && is_chip(c->o.args[0]) && is_chip(c->o.args[1])) {
		error("'%s' and '%s' are both the chip: give a file for one of them",
		      c->o.args[0], c->o.args[1]);
		rc = EXIT_USAGE;
	}
	if (!rc)
		rc = image_bytes(c, c->o.args[1], &b, &blen);
	if (!rc)
		rc = diff_regions(c, a, alen, b, blen, regs, &n);
	if (rc)
		goto out;
	progress_end(&c->prog);
	if (insp_diff(a, alen, b, blen, regs, n, 0, d) ||
	    (c->o.json ? insp_print_diff_json(stdout, d) : insp_print_diff_text(stdout, d))) {
		error("cannot compare '%s' and '%s'", c->o.args[0], c->o.args[1]);
		rc = EXIT_ERROR;
		goto out;
	}
	c->rep.printed = 1;
	if (!c->o.json)
		diff_summary(d);
	rc = d->whole.ndiff || alen != blen ? EXIT_MISMATCH : EXIT_OK;
out:
	free(a);
	free(b);
	free(d);
	return rc;
}

/*
 * --ifd: the descriptor's regions written as a flashrom layout into a
 * temporary file that --layout then reads.  The descriptor comes from the
 * whole image of write and verify, else from the chip.  path gets the
 * file's name (the caller removes it).
 */
int ifd_layout(struct ctx *c, char *path, size_t pathlen)
{
	struct insp_ifd *ifd = calloc(1, sizeof(*ifd));
	uint8_t *buf = NULL;
	uint32_t len = 0;
	char msg[512];
	size_t i;
	FILE *f;
	int rc, fd;

	if (!ifd)
		return fail(c, OPS_E_NOMEM);
	if ((c->o.cmd == OPTS_CMD_WRITE || c->o.cmd == OPTS_CMD_VERIFY) && !c->o.region_file &&
	    strcmp(c->o.file, "-")) {
		rc = file_load(c->o.file, 0, IFD_BYTES, 0, &buf, &len, msg, sizeof(msg)) ?
		     (error("%s", msg), EXIT_ERROR) : EXIT_OK;
	} else {
		rc = chip_bytes(c, &buf, &len, IFD_BYTES);
	}
	if (rc)
		goto out;
	if (insp_ifd_parse(buf, len, ifd) || !ifd->found) {
		error("no Intel flash descriptor in %s: -i takes regions from --layout FILE or --fmap then",
		      buf && c->pgm_open ? "the chip" : c->o.file);
		rc = EXIT_USAGE;
		goto out;
	}
	{
		const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : getenv("TEMP");

		snprintf(path, pathlen, "%.40s/spiflash-ifd-XXXXXX", dir && *dir ? dir : "/tmp");
	}
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		error("cannot create a temporary layout file: %s", path);
		rc = EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < ifd->nregions; i++)
		if (ifd->reg[i].used)
			fprintf(f, "%08x:%08x %s\n", ifd->reg[i].base, ifd->reg[i].limit,
				ifd->reg[i].name);
	if (fclose(f)) {
		error("cannot write the temporary layout file '%s'", path);
		rc = EXIT_ERROR;
	}
out:
	free(buf);
	free(ifd);
	return rc;
}
