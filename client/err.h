/*
 * err: the one error type of the client.  Every layer returns 0 or one of
 * these negative values; the prefix of a name says which layer raises it
 * (LINK_ transport, DEV_ a programmer, OPS_ the flash algorithms, FILE_,
 * BACKUP_, LOCK_, STATE_, REGION_, MULTI_, PORTS_).  Values never overlap, so
 * an error can travel up any number of layers and still be told apart.  The
 * detail of an error (an address, a path, what to do) is kept by the object
 * that raised it (ops.msg, prog.msg, lock.msg, ...), never in a shared buffer.
 * The pure parsers (sfdp, fmap, layout, json, opts) keep codes of their own;
 * their callers turn them into these.
 */
#ifndef SF_ERR_H
#define SF_ERR_H

enum sf_err {
	SF_OK = 0,
	LINK_OK = 0,
	DEV_OK = 0,

	LINK_E_NOENT = -1,       /* no such port */
	LINK_E_OPEN = -2,        /* open failed (permission, busy) */
	LINK_E_NOTTY = -3,       /* the path is not a serial port */
	LINK_E_IO = -4,          /* read or write failed */
	LINK_E_TIMEOUT = -5,     /* write did not complete in time */
	LINK_E_CONFIG = -6,      /* baud rate or line settings refused */
	LINK_E_NOMEM = -7,

	DEV_E_LINK = -20,        /* the link failed (the programmer keeps why) */
	DEV_E_NOANSWER = -21,    /* nothing that looks like the programmer answered */
	DEV_E_TIMEOUT = -22,     /* the device answered before but not this time */
	DEV_E_VERSION = -23,     /* protocol versions do not overlap */
	DEV_E_BADRESP = -24,     /* a response of the wrong length or type */
	DEV_E_ARG = -25,         /* caller asked for more than the programmer takes */
	DEV_E_RESET = -26,       /* the device sent READY mid-session: it restarted */
	DEV_E_NOISY = -27,       /* every try came back damaged */
	DEV_E_RATE = -28,        /* the link failed its test at a new rate */
	DEV_E_OPEN = -29,        /* the programmer could not be opened (prog.msg says) */
	/* The device answered with status s (enum proto_status < 0): the error
	 * is DEV_E_REMOTE + s, so E_WEL (-7) arrives as -107. */
	DEV_E_REMOTE = -100,

	OPS_E_NOCHIP = -200,     /* JEDEC ID 00 00 00 or FF FF FF */
	OPS_E_UNKNOWN = -201,    /* ID not in the table and not usable generically */
	OPS_E_RANGE = -202,      /* address range outside the chip */
	OPS_E_PROTECTED = -203,  /* status register says write protected */
	OPS_E_MISMATCH = -204,   /* verify found a different byte */
	OPS_E_UNSTABLE = -205,   /* a read disagreed with the chip's own CRC */
	OPS_E_NOMEM = -206,
	OPS_E_NOTBLANK = -207,   /* blank check found a byte that is not FF */
	OPS_E_STUCK = -208,      /* an erase or program did not take */

	FILE_E_OPEN = -300,      /* cannot open or create */
	FILE_E_READ = -301,
	FILE_E_WRITE = -302,
	FILE_E_SHORT = -303,     /* the file does not cover the range */
	FILE_E_NOMEM = -304,
	FILE_E_EXISTS = -305,    /* the output exists and holds other bytes: kept */

	BACKUP_E_FILE = -400,    /* the backup cannot be created or written */
	BACKUP_E_JOURNAL = -401, /* the resume journal cannot be written */

	LOCK_E_BUSY = -500,      /* another process holds the port */
	STATE_E_DIR = -510,      /* no state directory can be made or written */

	REGION_E_FILE = -720,    /* the layout or image file cannot be read */
	REGION_E_LAYOUT = -721,  /* the layout or FMAP is malformed */
	REGION_E_NONAME = -722,  /* no such region */
	REGION_E_SIZE = -723,    /* --region-file is not the region's size */
	REGION_E_NOFMAP = -724,  /* no FMAP in the image or the chip */

	MULTI_E_SYS = -740,      /* fork or a temporary file failed */

	PORTS_E_NONE = -760,     /* no programmer answers */
	PORTS_E_MANY = -761,     /* several answer */
	PORTS_E_LIST = -762,     /* the system's port list failed */
	PORTS_E_NOMEM = -763,

	SF_E_INTERRUPTED = -780, /* SIGINT, SIGTERM or SIGHUP: stopped between requests */
};

#define DEV_IS_REMOTE(e)     ((e) <= DEV_E_REMOTE - 1 && (e) > DEV_E_REMOTE - 64)
#define DEV_REMOTE_STATUS(e) ((e) - DEV_E_REMOTE)

/* A short lowercase text for any error above (no detail, no newline). */
const char *sf_strerror(int err);

#endif
