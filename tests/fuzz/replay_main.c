/*
 * Corpus replay without libFuzzer: a main() that hands each file named on the
 * command line to LLVMFuzzerTestOneInput, so `make test` can run the seed
 * corpus with plain gcc (under ASan/UBSan where available).  Each input is
 * copied to a heap block of exactly its size, as libFuzzer does, so a read
 * past the end is caught.  A harness reports a broken invariant by aborting;
 * this program returns non-zero if a file cannot be read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1024 * 1024)

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *exact = NULL;
	size_t n;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "cannot open '%s'\n", path);
		return -1;
	}
	buf = malloc(MAX_INPUT);
	if (!buf)
		goto out;
	n = fread(buf, 1, MAX_INPUT, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "cannot read '%s' (or longer than %d bytes)\n", path, MAX_INPUT);
		goto out;
	}
	exact = malloc(n ? n : 1);
	if (!exact)
		goto out;
	memcpy(exact, buf, n);
	LLVMFuzzerTestOneInput(exact, n);
	printf("ok: %s (%zu bytes)\n", path, n);
	ret = 0;
out:
	free(exact);
	free(buf);
	fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++)
		if (replay(argv[i]))
			bad++;
	return bad ? 1 : 0;
}
