/*
 * inspect: what is inside a flash dump.  Pure parsers over a caller's buffer:
 * they never read outside [buf, buf + len), never allocate, keep no state and
 * never exit; what they find goes into fixed-size tables in a report, and
 * what does not fit is counted, so a hostile image cannot make them grow.
 *
 *   insp_identify()  Intel flash descriptor, FMAP, UEFI firmware volumes,
 *                    CBFS, uImage/FIT/squashfs, image-level checks
 *   insp_diff()      two images compared region by region
 *   insp_print_*()   text for people, JSON for scripts
 */
#ifndef INSPECT_H
#define INSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define INSP_E_ARG (-1)		/* a NULL pointer where one is needed */

#define INSP_NAME_MAX 64	/* longest name kept (CBFS names can be longer) */
#define INSP_IFD_MAX_REGIONS 16
#define INSP_IFD_MASTERS 5	/* FLMSTR1..5: host CPU/BIOS, ME, GbE, 4, EC */
#define INSP_FMAP_MAX_AREAS 64
#define INSP_MAX_FV 32
#define INSP_CBFS_MAX_FILES 64
#define INSP_MAX_BLOBS 16
#define INSP_MAX_NOTES 40
#define INSP_NOTE_LEN 128

/* ---- Intel flash descriptor ---- */

/* acc[][] bits: the master's access to a region */
#define INSP_ACC_READ 1u
#define INSP_ACC_WRITE 2u
#define INSP_ACC_KNOWN 4u	/* the FLMSTR layout has bits for this region */

struct insp_ifd_region {
	unsigned index;		/* FLREGn */
	const char *name;	/* "Descriptor", "BIOS", "ME", ... (static) */
	uint32_t flreg;		/* the raw register */
	uint32_t base, limit;	/* byte addresses; limit is inclusive */
	int used;		/* base <= limit */
	int past_end;		/* used, but limit >= image length */
};

struct insp_ifd {
	int found;
	size_t sig_off;		/* 0x10 on current chipsets, 0 on ICH8-era */
	int version;		/* 1, or 2 (Skylake on: 15-bit FLREG, new FLMSTR) */
	uint32_t flmap0, flmap1, flmap2;
	/* as ifdtool -d prints them; version 2 has no ISL, and its PSL
	 * (PCH strap length) is in FLMAP1 where version 1 has the ISL */
	unsigned nr, nc, nm, isl, psl;
	uint32_t fcba, frba, fmba, fpsba, fmsba;
	int has_flcomp;
	uint32_t flcomp;
	size_t nregions;
	struct insp_ifd_region reg[INSP_IFD_MAX_REGIONS];
	int table_truncated;	/* region table runs past the end of the buffer */
	int has_masters;	/* FLMSTR1..3 were inside the buffer */
	size_t nmasters;	/* 3 (version 1) or 5 (version 2, if inside) */
	uint32_t flmstr[INSP_IFD_MASTERS];
	uint8_t acc[INSP_IFD_MASTERS][INSP_IFD_MAX_REGIONS];
};

/* ---- FMAP ---- */

struct insp_fmap_area {
	uint32_t off, size;
	uint16_t flags;
	char name[INSP_NAME_MAX + 1];
	int past_end;		/* off + size > image length */
};

struct insp_fmap {
	int found;
	size_t at;
	uint8_t ver_major, ver_minor;
	uint64_t base;
	uint32_t size;
	char name[INSP_NAME_MAX + 1];
	uint16_t nareas;	/* as the header says */
	size_t nlisted;		/* how many of them are in area[] */
	int truncated;		/* header or area table cut by the end of the buffer */
	struct insp_fmap_area area[INSP_FMAP_MAX_AREAS];
};

/* ---- UEFI firmware volumes ---- */

struct insp_fv {
	size_t off;
	uint64_t size;		/* FvLength */
	char guid[37];		/* file system GUID, registry format */
	const char *guid_name;	/* "FFS2", "NVRAM", ... or NULL */
	uint16_t hdr_len;
	uint8_t revision;
	int checksum_ok;
	int past_end;		/* off + FvLength > image length */
};

/* ---- CBFS ---- */

struct insp_cbfs_file {
	uint32_t off;		/* of the file header, from the CBFS start */
	uint32_t len, type, attr_off, data_off;
	uint32_t comp;		/* 0 none, 1 lzma, 2 lz4 (compression attribute) */
	char name[INSP_NAME_MAX + 1];
	int past_end;
};

struct insp_cbfs {
	int found;
	int has_master;		/* the "ORBC" master header */
	size_t master_at;
	uint32_t version, romsize, bootblocksize, align, offset, arch;
	size_t start, end;	/* the walked range, image offsets */
	size_t nfiles;		/* files seen */
	size_t nlisted;
	int truncated;		/* a file header cut by the end */
	struct insp_cbfs_file file[INSP_CBFS_MAX_FILES];
};

/* ---- uImage, FIT, squashfs ---- */

enum insp_blob_kind { INSP_UIMAGE, INSP_FIT, INSP_SQUASHFS };

struct insp_blob {
	enum insp_blob_kind kind;
	size_t off;
	uint64_t size;		/* ih_size + 64, totalsize, bytes_used */
	char name[INSP_NAME_MAX + 1];	/* uImage name */
	int crc_ok;		/* uImage header CRC32 */
	int data_crc_ok;	/* uImage data CRC32; -1 when the data is cut */
	unsigned ver_major, ver_minor;	/* FDT version, squashfs s_major/minor */
	int past_end;
};

/* ---- image-level findings ---- */

struct insp_note {
	int warn;		/* 1: something is wrong or locked */
	char text[INSP_NOTE_LEN];
};

struct insp_report {
	size_t len;
	int all_ff, all_zero;
	int pow2;		/* length is a power of two */
	int typical_size;	/* a power of two from 64 KiB to 256 MiB */
	size_t repeat_period;	/* smallest repeating half found; 0: none */
	size_t ff_bytes;	/* count of 0xFF bytes */
	struct insp_ifd ifd;
	struct insp_fmap fmap;
	size_t nfv, fv_more;
	struct insp_fv fv[INSP_MAX_FV];
	struct insp_cbfs cbfs;
	size_t nblobs, blobs_more;
	struct insp_blob blob[INSP_MAX_BLOBS];
	size_t nnotes, notes_more;
	struct insp_note note[INSP_MAX_NOTES];
};

int insp_identify(const uint8_t *buf, size_t len, struct insp_report *r);

/* The parts, each callable alone (insp_identify calls them all) */
int insp_ifd_parse(const uint8_t *buf, size_t len, struct insp_ifd *d);
int insp_fmap_parse(const uint8_t *buf, size_t len, struct insp_fmap *f);
int insp_uefi_scan(const uint8_t *buf, size_t len, struct insp_report *r);
int insp_cbfs_parse(const uint8_t *buf, size_t len, const struct insp_fmap *fmap,
		    struct insp_cbfs *c);
int insp_misc_scan(const uint8_t *buf, size_t len, struct insp_report *r);
int insp_image_check(const uint8_t *buf, size_t len, struct insp_report *r);
/* the notes about a parsed descriptor ("ME region is locked ...") */
void insp_ifd_notes(struct insp_report *r);

const char *insp_cbfs_type_name(uint32_t type);
const char *insp_blob_kind_name(enum insp_blob_kind k);

/* ---- diff ---- */

struct insp_region {
	char name[INSP_NAME_MAX + 1];
	uint64_t off, size;
};

struct insp_range {
	uint64_t off, len;
};

#define INSP_DIFF_MAX_RANGES 16
#define INSP_DIFF_MAX_REGIONS 64
#define INSP_DIFF_GAP 16	/* equal runs shorter than this join two ranges */

struct insp_diff_region {
	struct insp_region r;
	int past_end;		/* the region reaches past the end of a or b */
	uint64_t ndiff;		/* differing bytes (a byte only one image has counts) */
	uint64_t nranges;	/* merged ranges, all of them */
	size_t nlisted;		/* how many are in range[] */
	struct insp_range range[INSP_DIFF_MAX_RANGES];
};

struct insp_diff_report {
	uint64_t alen, blen;
	struct insp_diff_region whole;
	size_t nregions, regions_more;
	struct insp_diff_region reg[INSP_DIFF_MAX_REGIONS];
};

/* gap: equal runs shorter than this merge two ranges (0: INSP_DIFF_GAP) */
int insp_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
	      const struct insp_region *regions, size_t nregions, size_t gap,
	      struct insp_diff_report *d);
/* The regions a report knows: the descriptor's used ones, else the FMAP's
 * areas.  Returns how many were written to out (at most max). */
size_t insp_regions_from_report(const struct insp_report *r, struct insp_region *out,
				size_t max);

/* ---- printers; return 0, or -1 if the stream reports an error ---- */
int insp_print_text(FILE *f, const struct insp_report *r);
int insp_print_json(FILE *f, const struct insp_report *r);
int insp_print_diff_text(FILE *f, const struct insp_diff_report *d);
int insp_print_diff_json(FILE *f, const struct insp_diff_report *d);

#endif
