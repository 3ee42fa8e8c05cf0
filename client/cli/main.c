/*
 * spiflash: command-line client of the spiflash SPI NOR programmer.
 * The only place that prints errors and turns them into exit codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/backup.h"
#include "transport/clock.h"
#include "core/file.h"
#include "cli/info.h"
#include "transport/link.h"
#include "transport/lock.h"
#include "core/ops.h"
#include "core/ops_chip.h"
#include "cli/opts.h"
#include "transport/ports.h"
#include "prog/ports_probe.h"
#include "cli/progress.h"
#include "core/recheck.h"
#include "cli/region.h"
#include "cli/report.h"
#include "cli/multi.h"
#include "core/resume.h"
#include "core/wstate.h"
#include "prog/spi_linux.h"
#include "prog/spi_serprog.h"
#include "cli/cli.h"

static const struct cmd_struct {
	enum opts_cmd cmd;
	int (*fn)(struct ctx *c);
} commands[] = {
	{ OPTS_CMD_READ,   cmd_read },
	{ OPTS_CMD_WRITE,  cmd_write },
	{ OPTS_CMD_VERIFY, cmd_verify },
	{ OPTS_CMD_ERASE,  cmd_erase },
	{ OPTS_CMD_BLANK,  cmd_blank },
	{ OPTS_CMD_INFO,   cmd_info },
	{ OPTS_CMD_PORTS,  cmd_ports },
	{ OPTS_CMD_PROTECT,   cmd_protect },
	{ OPTS_CMD_UNPROTECT, cmd_unprotect },
	{ OPTS_CMD_DOCTOR, cmd_doctor },
	{ OPTS_CMD_IDENTIFY, cmd_identify },
	{ OPTS_CMD_DIFF,   cmd_diff },
};

/* The command on c->o.device; with --json, its result object on stdout. */
static int dispatch(struct ctx *c)
{
	enum opts_cmd cmd = c->o.cmd;
	size_t i;
	int rc = EXIT_ERROR;

	report_init(&c->rep, c->o.cmd_name, c->o.device, c->o.file);
	if (c->region.resolved || c->region.need_chip)
		c->rep.have_region = 1;
	if (cmd == OPTS_CMD_WRITE || cmd == OPTS_CMD_ERASE)
		c->rep.verified = !c->o.no_verify;
	else if (cmd == OPTS_CMD_VERIFY)
		c->rep.verified = 1;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].cmd == cmd)
			rc = commands[i].fn(c);
	progress_end(&c->prog);
	if (c->rep.have_region) {
		snprintf(c->rep.region, sizeof(c->rep.region), "%s", c->o.region);
		c->rep.region_offset = c->region.offset;
		c->rep.region_length = c->region.length;
	}
	if (c->pgm_open && (cmd == OPTS_CMD_WRITE || cmd == OPTS_CMD_ERASE))
		report_stats(&c->rep, &c->ops.stats);
	if (c->o.json && !c->rep.printed && cmd != OPTS_CMD_PORTS)
		report_print(stdout, &c->rep, rc);
	return rc;
}

/* A child of multi_run: the command on one of several devices. */
static int dispatch_one(void *arg, const char *device)
{
	struct ctx *c = arg;

	c->o.device = device;
	c->o.ndevices = 1;
	return dispatch(c);
}

/* Does the command talk to a chip?  (identify FILE and diff of two files
 * do not) */
static int uses_chip(const struct opts *o)
{
	unsigned i, chip = 0;

	if (o->cmd == OPTS_CMD_PORTS)
		return 0;
	if (o->cmd != OPTS_CMD_IDENTIFY && o->cmd != OPTS_CMD_DIFF)
		return 1;
	for (i = 0; i < o->nargs; i++)
		chip |= !strcmp(o->args[i], "chip") || !strcmp(o->args[i], "-");
	return chip || (o->cmd == OPTS_CMD_IDENTIFY && !o->nargs);
}

/* Before connecting: -d left out (the one programmer attached), -i NAME,
 * several -d.  *done set when the command has run (several devices). */
static int prepare(struct ctx *c, int *done)
{
	struct multi_opts m = { c->o.devices, c->o.ndevices, c->o.cmd_name, c->o.json, c->o.quiet };
	char msg[1024];
	int err;

	const struct prog_driver *drv = c->o.programmer ? prog_find(c->o.programmer) : NULL;

	*done = 0;
	/* a programmer with no port (the dummy) needs no search: its name
	 * stands for the device in messages */
	if (!c->o.device && drv && !drv->needs_device) {
		c->o.device = c->o.devices[0] = drv->name;
		c->o.ndevices = 1;
		c->no_port = 1;
	}
	if (!c->o.device && uses_chip(&c->o)) {
		if (ports_find_one(getenv("SPIFLASH_PORTS"), c->picked, sizeof(c->picked), msg,
				   sizeof(msg))) {
			error("%s", msg);
			return EXIT_DEVICE;
		}
		c->o.device = c->o.devices[0] = c->picked;
		c->o.ndevices = 1;
		say(c, "spiflash: using '%s', the one programmer that answers\n", c->picked);
	}
	if (c->o.ifd && c->o.region) {
		/* the descriptor's regions, as a layout file for region_plan */
		err = ifd_layout(c, c->ifd_layout, sizeof(c->ifd_layout));
		if (err)
			return err;
		c->o.layout = c->ifd_layout;
	}
	err = region_plan(&c->o, &c->region, msg, sizeof(msg));
	if (err) {
		error("%s", msg);
		return region_exit(err);
	}
	if (c->o.ndevices < 2)
		return EXIT_OK;
	*done = 1;
	err = multi_run(&m, dispatch_one, c, stdout, stderr, msg, sizeof(msg));
	if (err < 0) {
		error("%s", msg);
		return EXIT_ERROR;
	}
	return err;
}

/*
 * Several -i (or -i NAME:FILE): the command once per region, in the order
 * given, on one session; the first failure stops the rest.  A read of
 * several regions into one -f file is one image (cmd_read_regions).
 */
static int each_region(struct ctx *c)
{
	struct opts base = c->o;
	char msg[1024];
	unsigned i;
	int rc = EXIT_OK, err;

	if (base.nregions < 2 && !(base.nregions == 1 && base.regions[0].file))
		return dispatch(c);
	if (base.cmd == OPTS_CMD_READ && !base.regions[0].file)
		return cmd_read_regions(c, &base);
	for (i = 0; i < base.nregions && rc == EXIT_OK; i++) {
		const struct opts_region *r = &base.regions[i];

		c->o.region = r->name;
		c->o.file = r->file ? r->file : base.file;
		c->o.region_file = r->file ? 1 : base.region_file;
		c->o.given = base.given;
		c->o.flash_offset = base.flash_offset;
		c->o.length = base.length;
		c->o.file_offset = base.file_offset;
		memset(&c->region, 0, sizeof(c->region));
		if (i > 0) {
			err = region_plan(&c->o, &c->region, msg, sizeof(msg));
			if (err) {
				error("%s", msg);
				return region_exit(err);
			}
		}
		say(c, "spiflash: region '%s'%s%s\n", r->name, c->o.file ? ", file " : "",
		    c->o.file ? c->o.file : "");
		rc = dispatch(c);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct ctx *c = calloc(1, sizeof(*c));
	char err[256];
	int rc = EXIT_ERROR, done;

	if (!c) {
		error("out of memory");
		return EXIT_ERROR;
	}
	c->lock.fd = -1;
	report_init(&c->rep, NULL, NULL, NULL);
	if (opts_parse(argc, argv, &c->o, err, sizeof(err))) {
		error("%s", err);
		fputs("try 'spiflash --help'\n", stderr);
		rc = EXIT_USAGE;
		/* a script that asked for JSON gets its object even now */
		for (done = 1; done < argc && strcmp(argv[done], "--json"); done++)
			;
		if (done < argc)
			report_print(stdout, &c->rep, rc);
		goto out;
	}
	if (c->o.help) {
		opts_usage(stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (c->o.version) {
		printf("spiflash %s (protocols: spiflash %u, serprog 1)\n", SPIFLASH_VERSION,
		       PROTO_VERSION);
		rc = EXIT_OK;
		goto out;
	}
	if (c->o.list_chips) {
		info_list_chips(stdout);
		rc = EXIT_OK;
		goto out;
	}
	/* a bar redrawn between -vvv's trace lines would garble them */
	c->prog.enabled = !c->o.quiet && c->o.verbose < 3 &&
			  (c->o.progress >= 0 ? c->o.progress : isatty(STDERR_FILENO));
	c->prog.verbose = c->o.verbose;
	c->prog.sub = &c->guard.doing;
	interrupt_install();
	if (c->o.nregions && c->o.regions[0].file) {
		/* -i NAME:FILE: FILE holds the region alone */
		c->o.file = c->o.regions[0].file;
		c->o.region_file = 1;
	}
	ops_init(&c->ops, &c->pgm, progress_cb, &c->prog);
	c->ops.read_passes = c->o.read_passes;
	report_init(&c->rep, c->o.cmd_name, c->o.device, c->o.file);
	rc = prepare(c, &done);
	if (rc || done) {
		if (rc && !done && c->o.json)
			report_print(stdout, &c->rep, rc);
		goto out;
	}
	rc = each_region(c);
	if (c->o.verbose && c->pgm_open && c->pgm.stats)
		fprintf(stderr, "spiflash: %u requests, %u resends (%u after a silence), %u damaged frames, %u frame errors\n",
			c->pgm.stats->requests, c->pgm.stats->resends, c->pgm.stats->silences,
			c->pgm.stats->bad_frames, c->pgm.stats->frame_errs);
out:
	/* the programmer first: the sketch goes back to its boot rate over
	 * the link, which closes after it */
	if (c->pgm_open)
		prog_close(&c->pgm);
	if (c->ifd_layout[0])
		unlink(c->ifd_layout);
	port_exclusive(c, 0);
	if (c->link_open)
		link_close(&c->link);
	free(c);
	return rc;
}
