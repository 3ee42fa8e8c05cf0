/* emu_port: the serial port as the host sees it; see emu.h. */
#include "emu.h"
#include "emu_clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int set_link(const char *link, const char *target)
{
	/* Replace only a symlink: never clobber a regular file by a typo. */
	if (unlink(link) < 0 && errno != ENOENT)
		return -1;
	return symlink(target, link);
}

int emu_port_link(struct emu *e)
{
	if (!e->opt.link || set_link(e->opt.link, e->bridge->path) == 0)
		return 0;
	fprintf(stderr, "spiflash-emu: cannot link '%s' to '%s': %s\n",
		e->opt.link, e->bridge->path, strerror(errno));
	return -1;
}

/* A vanished port has no name. */
void emu_port_drop_link(struct emu *e)
{
	char target[sizeof(e->bridge->path)];
	ssize_t n;

	if (!e->opt.link || !e->bridge || !e->bridge->path[0])
		return;
	n = readlink(e->opt.link, target, sizeof(target) - 1);
	if (n > 0 && (target[n] = '\0', !strcmp(target, e->bridge->path)))
		unlink(e->opt.link);
}

void emu_port_unplug(struct emu *e)
{
	if (e->bridge->master < 0)
		return;
	emu_bridge_unplug(e->bridge);
	emu_port_drop_link(e);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: unplugged %s\n", e->bridge->path);
	if (e->opt.replug)
		e->replug_at_ns = emu_wall_ns() + (uint64_t)e->opt.replug_ms * 1000000u;
}

/* --link follows the new pty; failing that is said, not fatal. */
int emu_port_replug(struct emu *e)
{
	char err[256];

	e->replug_at_ns = 0;
	if (emu_bridge_replug(e->bridge, err, sizeof(err)) < 0) {
		fprintf(stderr, "spiflash-emu: replug: %s\n", err);
		return -1;
	}
	emu_port_link(e);
	printf("%s\n", e->bridge->path);
	fflush(stdout);
	if (e->opt.verbose)
		fprintf(stderr, "spiflash-emu: replugged as %s\n", e->bridge->path);
	return 0;
}
