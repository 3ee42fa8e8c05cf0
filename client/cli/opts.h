/*
 * opts: the command line of spiflash, parsed by a pure function into a plain
 * struct so that a table of {argv, expected} rows can test it.
 */
#ifndef OPTS_H
#define OPTS_H

#include <stddef.h>
#include <stdint.h>

enum opts_cmd {
	OPTS_CMD_NONE = 0,
	OPTS_CMD_READ,
	OPTS_CMD_WRITE,
	OPTS_CMD_VERIFY,
	OPTS_CMD_ERASE,
	OPTS_CMD_BLANK,
	OPTS_CMD_INFO,
	OPTS_CMD_PORTS,
	OPTS_CMD_PROTECT,      /* set block protection: --all, or --flash-offset and -l */
	OPTS_CMD_UNPROTECT,    /* clear block protection */
	OPTS_CMD_DOCTOR,       /* wiring, signal and supply checks (cli_doctor.c) */
	OPTS_CMD_IDENTIFY,     /* what is inside FILE or the chip (cli_inspect.c) */
	OPTS_CMD_DIFF,         /* two images, region by region (cli_inspect.c) */
};

/* Which fields the user gave explicitly. */
enum opts_given {
	OPTS_HAVE_LENGTH       = 1 << 0,
	OPTS_HAVE_FLASH_OFFSET = 1 << 1,
	OPTS_HAVE_FILE_OFFSET  = 1 << 2,
	OPTS_HAVE_RATE         = 1 << 3,
	OPTS_HAVE_READ_PASSES  = 1 << 4,
};


#define OPTS_MAX_DEVICES 16
#define OPTS_MAX_REGIONS 16

struct opts {
	enum opts_cmd cmd;
	const char *cmd_name;      /* as typed */
	const char *device;        /* -d, NULL if not given (then the one attached programmer) */
	const char *file;          /* -f, "-" for stdin/stdout, NULL if not given */
	uint64_t length;           /* bytes (see OPTS_UNITS_HELP) */
	uint64_t flash_offset;     /* bytes */
	uint64_t file_offset;      /* bytes */
	uint32_t rate;             /* baud, 0 = default */
	unsigned given;            /* enum opts_given */
	int no_verify;
	int quiet;
	int verbose;               /* -v, -vv or --verbose=N: 0 to 3 */
	int help;
	int version;
	int list_chips;            /* --list-chips: print the part table and stop */
	int unprotect;             /* --unprotect: write/erase may clear block protection */
	int all;                   /* --all: protect the whole chip */
	const char *chip;          /* --chip NAME, NULL if not given */
	unsigned read_passes;      /* --read-passes N: extra full reads to compare */
	const char *backup;        /* --backup FILE: where write/erase save old bytes */
	int no_backup;             /* --no-backup */
	/* -p NAME[:ARGS]: what is on the other end of -d, NULL when not given
	 * (the sketch, or serprog if that answers); checked against the
	 * programmer list by the caller.  ARGS (NULL if none) are the driver's. */
	const char *programmer;
	const char *programmer_args;
	char programmer_name[32];
	uint32_t spi_speed;        /* --spi-speed in Hz, 0: the programmer's default */
	int erase_test;            /* doctor --erase-test ADDR: sag measured during an erase */
	uint64_t erase_test_addr;
	/* -d given several times: the same command on every device, in
	 * parallel (multi.h); device is devices[0] */
	const char *devices[OPTS_MAX_DEVICES];
	unsigned ndevices;
	int json;                  /* --json: one JSON object on stdout (report.h) */
	const char *region;        /* -i/--region NAME: the region under way (regions[0]
				    * after parsing; main sets each in turn) */
	/* every -i NAME or -i NAME:FILE (flashrom's form: the region's bytes
	 * from or into FILE, which holds the region only) */
	struct opts_region {
		char name[72];
		const char *file;  /* NULL: -f */
	} regions[OPTS_MAX_REGIONS];
	unsigned nregions;
	const char *layout;        /* --layout FILE: flashrom layout "start:end name" */
	int fmap;                  /* --fmap: regions from the FMAP of the image or chip */
	int region_file;           /* --region-file: -f holds the region only */
	int probe;                 /* ports --probe: ask each port who answers */
	int force;                 /* --force: read may replace a different dump */
	int ifd;                   /* --ifd: regions from the Intel flash descriptor */
	/* identify [FILE], diff A B: the words after the command */
	const char *args[2];
	unsigned nargs;
	int progress;              /* --progress 1, --no-progress 0, -1: when stderr is a tty */
};

#define OPTS_READ_PASSES_MAX 16

enum opts_err {
	OPTS_OK = 0,
	OPTS_E_USAGE = -1,         /* err says what */
};

/*
 * Parse argv into o.  Options may come before or after the command.  Returns
 * OPTS_OK, or OPTS_E_USAGE with a lowercase message in err.  --help and
 * --version set their flag and succeed without a command.  Reentrant: it
 * resets getopt's state, so it can run many times in one process.
 */
int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t errlen);

/* The one rule for -l, --flash-offset and --file-offset, as --help says it. */
#define OPTS_UNITS_HELP \
	"numbers: 0x hex, or a K or M suffix (K = 1024), count bytes; a plain\n" \
	"decimal counts bytes in offsets, and KiB in -l (-l 4096 = 4 MiB)\n"

/* getopt_long's answers for options without a short letter */
enum opts_id {
	OPT_RATE = 256, OPT_FLASH_OFFSET, OPT_FILE_OFFSET, OPT_NO_VERIFY, OPT_VERSION,
	OPT_LIST_CHIPS, OPT_UNPROTECT, OPT_ALL, OPT_READ_PASSES, OPT_BACKUP, OPT_NO_BACKUP,
	OPT_SPI_SPEED, OPT_JSON, OPT_LAYOUT, OPT_FMAP, OPT_REGION_FILE, OPT_PROBE, OPT_FORCE,
	OPT_PROGRESS, OPT_NO_PROGRESS, OPT_ERASE_TEST, OPT_IFD,
};

/* One option of the command line: getopt's table, --help, the man page and
 * the bash completion all come from (or are tested against) opts_table. */
struct opts_def {
	const char *name;          /* long name, without "--" */
	char shrt;                 /* short letter, 0: none */
	int id;                    /* what getopt_long returns */
	int has_arg;               /* no_argument, required_argument, optional_argument */
	const char *arg;           /* "PORT", NULL: none */
	const char *alias;         /* a second long name (flashrom's), or NULL */
	const char *group;         /* a heading before this option, or NULL */
	const char *help;          /* lines separated by \n */
};
#define OPTS_TABLE_MAX 48
extern const struct opts_def opts_table[];
extern const unsigned opts_table_len;
/* The --help text: commands, options grouped, units, exit codes. */
void opts_usage(void *file);
/* flashrom's spelling of a verb, as a hint after an unknown option:
 * "did you mean 'spiflash read -f FILE'?", or NULL. */
const char *opts_flashrom_hint(int shrt);

/* Parse "123", "0x1f", "4k", "1M" (k = 1024) into *v; 0 or -1. */
int opts_number(const char *s, int allow_suffix, uint64_t *v);

const char *opts_cmd_name(enum opts_cmd c);

/* A clock: "8000000", "8M", "512k" (k = 1000, M = 1000000) into Hz, at
 * most 1 GHz; 0 or -1. */
int opts_hz(const char *s, uint32_t *hz);
/* --spi-speed auto: the clock chosen by reading at each (core/doctor.h) */
#define OPTS_SPI_AUTO 0xFFFFFFFFu

#endif
