/* spi_dummy: the chip model as a programmer (spi_dummy.h). */
#include "prog/spi_dummy.h"
#include "prog/hostseq.h"
#include "flashchip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An SPI clock for the cost of a byte: 8 MHz, what a 16 MHz AVR offers. */
#define DUMMY_SPI_HZ 8000000u

struct dummy {
	struct spi_master m;
	struct fc_chip chip;
	uint8_t *mem;
	size_t size;
	int mapped;
	uint64_t t0_ns;
};

/* The chip's clock is the host's: busy times pass in real time, as on a
 * real chip behind a programmer. */
static uint64_t now_ns(const struct dummy *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec - d->t0_ns;
}

static int dummy_xfer(void *ctx, const uint8_t *w, size_t wn, uint8_t *r, size_t rn)
{
	struct dummy *d = ctx;
	size_t i;

	fc_select(&d->chip, now_ns(d));
	for (i = 0; i < wn; i++)
		fc_transfer(&d->chip, w[i], now_ns(d));
	for (i = 0; i < rn; i++)
		r[i] = fc_transfer(&d->chip, 0xFF, now_ns(d));
	fc_deselect(&d->chip, now_ns(d));
	return DEV_OK;
}

static void dummy_close(void *ctx)
{
	struct dummy *d = ctx;

	if (d->mapped) {
		msync(d->mem, d->size, MS_SYNC);
		munmap(d->mem, d->size);
	} else {
		free(d->mem);
	}
	free(d);
}

/* Map FILE as the chip's memory: created erased when missing, refused when
 * its size is not the chip's (it would be another chip's image). */
static int map_image(struct prog *p, struct dummy *d, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(p->msg, sizeof(p->msg), "dummy: cannot open image '%s': %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return DEV_E_OPEN;
	}
	if (st.st_size == 0) {
		uint8_t ff[4096];
		size_t done;

		memset(ff, 0xFF, sizeof(ff));
		for (done = 0; done < d->size; done += sizeof(ff))
			if (write(fd, ff, sizeof(ff)) != (ssize_t)sizeof(ff))
				break;
		st.st_size = (off_t)done;
	}
	if ((size_t)st.st_size != d->size) {
		snprintf(p->msg, sizeof(p->msg),
			 "dummy: image '%s' has %lld bytes, the %s has %zu", path,
			 (long long)st.st_size, d->chip.part ? d->chip.part->name : "chip", d->size);
		close(fd);
		return DEV_E_ARG;
	}
	d->mem = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (d->mem == MAP_FAILED) {
		d->mem = NULL;
		snprintf(p->msg, sizeof(p->msg), "dummy: cannot map image '%s': %s", path,
			 strerror(errno));
		return DEV_E_OPEN;
	}
	d->mapped = 1;
	return DEV_OK;
}

/* "chip=W25Q80,image=a.bin,fault=stuck=0x10:0x01,maxtime": the fault spec
 * has commas of its own, so it takes the rest of the string. */
static int parse_args(struct prog *p, const char *args, char *chip, size_t chiplen,
		      char *image, size_t imagelen, const char **fault, int *maxtime)
{
	while (args && *args) {
		size_t n = strcspn(args, ",");

		if (!strncmp(args, "chip=", 5) && n - 5 < chiplen) {
			memcpy(chip, args + 5, n - 5);
			chip[n - 5] = '\0';
		} else if (!strncmp(args, "image=", 6) && n - 6 < imagelen && n > 6) {
			memcpy(image, args + 6, n - 6);
			image[n - 6] = '\0';
		} else if (!strncmp(args, "fault=", 6)) {
			*fault = args + 6;
			return DEV_OK;
		} else if (n == 7 && !strncmp(args, "maxtime", 7)) {
			*maxtime = 1;
		} else {
			snprintf(p->msg, sizeof(p->msg),
				 "dummy: unknown argument '%.*s': expected chip=NAME, image=FILE, fault=SPEC or maxtime",
				 (int)n, args);
			return DEV_E_ARG;
		}
		args += n + (args[n] == ',');
	}
	return DEV_OK;
}

static int dummy_open(struct prog *p, const struct prog_params *pp)
{
	char chip[32] = SPI_DUMMY_CHIP, image[512] = "", why[120];
	const struct fc_part *part;
	const char *fault = NULL;
	struct dummy *d;
	int maxtime = 0, err;

	err = parse_args(p, pp->args, chip, sizeof(chip), image, sizeof(image), &fault, &maxtime);
	if (err)
		return err;
	part = fc_part_find(chip);
	if (!part) {
		size_t i, o;

		o = (size_t)snprintf(p->msg, sizeof(p->msg), "dummy: no chip model '%s': expected",
				     chip);
		for (i = 0; fc_parts[i].name && o < sizeof(p->msg); i++)
			o += (size_t)snprintf(p->msg + o, sizeof(p->msg) - o, " %s", fc_parts[i].name);
		return DEV_E_ARG;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return OPS_E_NOMEM;
	d->size = part->size;
	d->t0_ns = 0;
	d->t0_ns = now_ns(d);
	d->chip.part = part;
	err = image[0] ? map_image(p, d, image) : DEV_OK;
	if (!err && !image[0]) {
		d->mem = malloc(d->size);
		if (!d->mem)
			err = OPS_E_NOMEM;
		else
			memset(d->mem, 0xFF, d->size);
	}
	if (err) {
		free(d);
		return err;
	}
	fc_init(&d->chip, part, d->mem, maxtime ? FC_O_MAXTIME : 0);
	if (fault && fc_fault_parse(fault, &d->chip.fault, why, sizeof(why))) {
		snprintf(p->msg, sizeof(p->msg), "dummy: bad fault '%s': %s", fault, why);
		dummy_close(d);
		return DEV_E_ARG;
	}
	d->m.name = "dummy";
	d->m.xfer = dummy_xfer;
	d->m.close = dummy_close;
	d->m.max_write = 4096;
	d->m.max_read = 65536;
	/* a byte costs 8 SPI clocks, 10 bit times on a serial line */
	err = hostseq_attach(p, &d->m, d, DUMMY_SPI_HZ / 8 * 10, 0);
	if (err)
		dummy_close(d);
	return err;
}

const struct prog_driver prog_dummy_driver = {
	.name = "dummy",
	.open = dummy_open,
};
