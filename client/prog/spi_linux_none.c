/*
 * spi_linux_none: -p linux_spi where there is no Linux spidev (Windows,
 * macOS): the programmer is still listed, so --help and messages name the
 * same programmers everywhere, and says why it cannot open.  Built instead
 * of spi_linux.c off Linux.
 */
#include "prog/spi_linux.h"

#include <stdio.h>

int spi_linux_attach(struct prog *p, const char *path, uint32_t hz)
{
	(void)hz;
	snprintf(p->msg, sizeof(p->msg),
		 "programmer 'linux_spi' needs a Linux spidev: '%s' cannot be used on this system", path);
	return DEV_E_OPEN;
}

static int linux_spi_open(struct prog *p, const struct prog_params *pp)
{
	return spi_linux_attach(p, pp->device, pp->spi_hz);
}

const struct prog_driver prog_linux_spi_driver = {
	.name = "linux_spi",
	.needs_device = 1,
	.open = linux_spi_open,
};
