/*
 * insp-tool: a small driver for the inspect module until it is wired into
 * spiflash itself.
 *   insp-tool identify FILE [--json]
 *   insp-tool diff A B [--json]
 * Exit status as cmp(1): identify 0; diff 0 equal, 1 different; 2 trouble.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

#define MAX_FILE (512u * 1024u * 1024u)	/* far above any SPI chip */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if (!f) {
		perror(path);
		return NULL;
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 1u << 20;
			nb = cap <= MAX_FILE ? realloc(buf, cap) : NULL;
			if (!nb) {
				fprintf(stderr, "%s: too large or out of memory\n", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		perror(path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int cmd_identify(const char *path, int json)
{
	struct insp_report *r = malloc(sizeof(*r));
	uint8_t *buf;
	size_t len;
	int rc;

	buf = r ? read_file(path, &len) : NULL;
	if (!buf) {
		free(r);
		return 2;
	}
	rc = insp_identify(buf, len, r);
	if (!rc)
		rc = json ? insp_print_json(stdout, r) : insp_print_text(stdout, r);
	free(buf);
	free(r);
	return rc ? 2 : 0;
}

static int cmd_diff(const char *pa, const char *pb, int json)
{
	struct insp_report *r = malloc(sizeof(*r));
	struct insp_diff_report *d = malloc(sizeof(*d));
	struct insp_region regs[INSP_DIFF_MAX_REGIONS];
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0, n = 0;
	int rc = 2;

	if (!r || !d || !(a = read_file(pa, &alen)) || !(b = read_file(pb, &blen)))
		goto out;
	/* regions from a, or from b when a has none (a blank chip, say) */
	if (!insp_identify(a, alen, r))
		n = insp_regions_from_report(r, regs, INSP_DIFF_MAX_REGIONS);
	if (!n && !insp_identify(b, blen, r))
		n = insp_regions_from_report(r, regs, INSP_DIFF_MAX_REGIONS);
	if (insp_diff(a, alen, b, blen, regs, n, 0, d))
		goto out;
	if ((json ? insp_print_diff_json(stdout, d) : insp_print_diff_text(stdout, d)))
		goto out;
	rc = d->whole.ndiff ? 1 : 0;
out:
	free(a);
	free(b);
	free(r);
	free(d);
	return rc;
}

int main(int argc, char **argv)
{
	int json = argc > 1 && !strcmp(argv[argc - 1], "--json");
	int nargs = argc - json;

	if (nargs == 3 && !strcmp(argv[1], "identify"))
		return cmd_identify(argv[2], json);
	if (nargs == 4 && !strcmp(argv[1], "diff"))
		return cmd_diff(argv[2], argv[3], json);
	fprintf(stderr, "usage: %s identify FILE [--json]\n       %s diff A B [--json]\n",
		argv[0], argv[0]);
	return 2;
}
