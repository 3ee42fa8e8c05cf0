/*
 * Unit tests for client/inspect: hand-built images of every format the
 * module knows, checked field by field; each image also cut at every length
 * into an exact-size heap block (so ASan catches any read past the end) with
 * the invariant that nothing reported lies outside the bytes given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "inspect.h"

#define KIB 1024u

/* n bytes of v at p, little or big endian, as the formats want them */
static void put(uint8_t *p, uint64_t v, int n, int big)
{
	int i;

	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}
#define le16(p, v) put(p, v, 2, 0)
#define le32(p, v) put(p, v, 4, 0)
#define le64(p, v) put(p, v, 8, 0)
#define be32(p, v) put(p, v, 4, 1)

static uint32_t flreg(uint32_t base, uint32_t limit)
{
	return ((limit >> 12) << 16) | (base >> 12);
}

static int has_note(const struct insp_report *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		if (strstr(r->note[i].text, text))
			return 1;
	return 0;
}

/* Field by field: got[i] == want[i]; cmocka prints both on a mismatch and
 * the index says which field. */
#define EXPECT(...) expect_fields((const uint64_t[]){ __VA_ARGS__ })
static void expect_fields(const uint64_t *pairs)
{
	size_t i;

	for (i = 0; pairs[i] != UINT64_MAX; i += 2) {
		if (pairs[i] != pairs[i + 1])
			print_error("field %zu: ", i / 2);
		assert_int_equal(pairs[i], pairs[i + 1]);
	}
}
#define END UINT64_MAX

/* A version 1 descriptor in a 64 KiB image: Descriptor 0-0xfff,
 * ME 0x1000-0x7fff, BIOS 0x8000-0xffff; the host may read the descriptor
 * and read/write BIOS, nothing of the ME. */
static void build_ifd_v1(uint8_t *img, size_t len, uint32_t flmstr1)
{
	memset(img, 0xff, len);
	le32(img + 0x10, 0x0FF0A55A);
	le32(img + 0x14, 0x03040003);	/* FCBA 0x30, FRBA 0x40, NR 3 */
	le32(img + 0x18, 0x12100206);	/* FMBA 0x60, NM 2, FPSBA 0x100, ISL 0x12 */
	le32(img + 0x1c, 0x00210120);	/* FMSBA 0x200, PSL 0x2101 */
	le32(img + 0x30, 0);		/* FLCOMP: 20 MHz read clock: version 1 */
	le32(img + 0x40, flreg(0, 0xfff));
	le32(img + 0x44, flreg(0x8000, 0xffff));
	le32(img + 0x48, flreg(0x1000, 0x7fff));
	le32(img + 0x4c, 0x00001fff);
	le32(img + 0x50, 0x00001fff);
	le32(img + 0x60, flmstr1);
	le32(img + 0x64, 0x0d0d0000);	/* ME: everything but BIOS */
	le32(img + 0x68, 0x08080118);	/* GbE: its own region */
	img[0x5000] = 0x42;		/* so the image does not repeat */
}

static void test_ifd_v1_regions_and_access(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	build_ifd_v1(img, sizeof(img), 0x02030000);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(r.ifd.found);
	EXPECT(r.ifd.sig_off, 0x10, r.ifd.version, 1, r.ifd.frba, 0x40, r.ifd.fcba, 0x30,
	       r.ifd.fmba, 0x60, r.ifd.fpsba, 0x100, r.ifd.fmsba, 0x200, r.ifd.nr, 3, r.ifd.nc, 1,
	       r.ifd.nm, 2, r.ifd.isl, 0x12, r.ifd.psl, 0x2101, r.ifd.nregions, 5,
	       r.ifd.reg[2].base, 0x1000, r.ifd.reg[2].limit, 0x7fff, r.ifd.reg[1].used, 1,
	       r.ifd.reg[1].base, 0x8000, r.ifd.reg[3].used, 0, r.ifd.reg[1].past_end, 0,
	       r.ifd.has_masters, 1, r.ifd.nmasters, 3, END);
	assert_string_equal(r.ifd.reg[2].name, "ME");
	EXPECT(r.ifd.acc[0][0], INSP_ACC_KNOWN | INSP_ACC_READ,
	       r.ifd.acc[0][1], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE,
	       r.ifd.acc[0][2], INSP_ACC_KNOWN,
	       r.ifd.acc[2][3], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE, END);
	assert_true(has_note(&r, "ME region is locked (BIOS cannot read/write)"));
	assert_true(has_note(&r, "descriptor is read-only for host"));
	assert_false(has_note(&r, "writable by host"));

	/* the same with descriptor write and ME read for the host */
	build_ifd_v1(img, sizeof(img), 0x03070000);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(has_note(&r, "descriptor is writable by host"));
	assert_true(has_note(&r, "ME region is read-only for BIOS"));
	assert_false(has_note(&r, "is locked"));
}

static void test_ifd_v2_and_past_end(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	build_ifd_v1(img, sizeof(img), 0);
	le32(img + 0x18, 0x12100208);	/* FMBA 0x80: room for 16 FLREGs */
	le32(img + 0x30, 6u << 17);	/* 17 MHz read clock: version 2 */
	le32(img + 0x44, flreg(0x1000000, 0x1ffffff));	/* 15-bit base: 16 MiB */
	memset(img + 0x54, 0, 0x2c);
	le32(img + 0x60, 0x00007fff);	/* FLREG8 (EC): unused */
	le32(img + 0x80, (1u << 8) | (1u << 9) | (1u << 21));	/* rd Desc, BIOS; wr BIOS */
	memset(img + 0x84, 0, 8);	/* ME and GbE masters: no access */
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.ifd.version, 2, r.ifd.nregions, 16, r.ifd.reg[1].base, 0x1000000,
	       r.ifd.reg[1].limit, 0x1ffffff, r.ifd.reg[1].past_end, 1, r.ifd.psl, 0x12, END);
	assert_true(has_note(&r, "region BIOS (0x01000000-0x01ffffff) runs past the end"));
	assert_string_equal(r.ifd.reg[8].name, "EC");
	/* FLREG5..7 are zero here: base 0, limit 0xfff: used, as ifdtool says */
	EXPECT(r.ifd.reg[8].used, 0, r.ifd.reg[5].used, 1, END);
	/* FLMSTR has no bits for region 12 */
	EXPECT(r.ifd.acc[0][0], INSP_ACC_KNOWN | INSP_ACC_READ,
	       r.ifd.acc[0][1], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE,
	       r.ifd.acc[0][11], INSP_ACC_KNOWN, r.ifd.acc[0][12], 0, END);
	assert_true(has_note(&r, "ME region is locked (BIOS cannot read/write)"));
}

static void test_ifd_old_signature_and_table_cut(void **state)
{
	uint8_t img[0x48];
	struct insp_report r;
	(void)state;

	/* ICH8: signature at 0; FRBA 0x40 leaves room for 2 of 5 FLREGs */
	memset(img, 0, sizeof(img));
	le32(img, 0x0FF0A55A);
	le32(img + 4, 0x00040003);
	le32(img + 8, 0x00000006);
	le32(img + 0x40, flreg(0, 0xfff));
	le32(img + 0x44, flreg(0x1000, 0x1fff));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.ifd.found, 1, r.ifd.sig_off, 0, r.ifd.nregions, 2, r.ifd.table_truncated, 1,
	       r.ifd.reg[1].past_end, 1, r.ifd.has_masters, 0, END);
	assert_true(has_note(&r, "region table runs past the end"));
	assert_true(has_note(&r, "master section (FLMSTR) lies outside"));
}

static void cbfs_file(uint8_t *p, uint32_t len, uint32_t type, const char *name)
{
	memcpy(p, "LARCHIVE", 8);
	be32(p + 8, len);
	be32(p + 12, type);
	be32(p + 16, 0);
	be32(p + 20, 64);
	memset(p + 24, 0, 40);
	strcpy((char *)p + 24, name);
}

/* FMAP at 0x100 of a 64 KiB image, areas: RO 0-0x7fff, "q\"b\\" 0x8000-0xffff,
 * FAR 0xf000 size 0x2000 (past the end) */
static size_t build_fmap(uint8_t *img, size_t len, size_t at)
{
	static const struct {
		uint32_t off, size;
		const char *name;
	} areas[] = { { 0, 0x8000, "RO" }, { 0x8000, 0x8000, "q\"b\\" }, { 0xf000, 0x2000, "FAR" } };
	uint8_t *h = img + at;
	size_t i;

	memcpy(h, "__FMAP__", 8);
	h[8] = h[9] = 1;	/* version 1.1 */
	le64(h + 10, 0);
	le32(h + 18, (uint32_t)len);
	memset(h + 22, 0, 32);
	strcpy((char *)h + 22, "FLASH");
	le16(h + 54, 3);
	for (i = 0; i < 3; i++) {
		uint8_t *a = h + 56 + 42 * i;

		le32(a, areas[i].off);
		le32(a + 4, areas[i].size);
		memset(a + 8, 0, 32);
		strcpy((char *)a + 8, areas[i].name);
		le16(a + 40, (uint16_t)i);
	}
	return 56 + 3 * 42;
}

static void test_fmap(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	memset(img, 0xff, sizeof(img));
	memcpy(img + 0x40, "__FMAP__", 8);	/* a stray signature, version 0 */
	img[0x48] = 0;
	build_fmap(img, sizeof(img), 0x100);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.fmap.found, 1, r.fmap.at, 0x100, r.fmap.nareas, 3, r.fmap.nlisted, 3,
	       r.fmap.area[1].off, 0x8000, r.fmap.area[2].flags, 2, r.fmap.area[1].past_end, 0,
	       r.fmap.area[2].past_end, 1, r.fmap.truncated, 0, END);
	assert_string_equal(r.fmap.name, "FLASH");
	assert_string_equal(r.fmap.area[1].name, "q\"b\\");
	assert_true(has_note(&r, "FMAP area FAR runs past the end"));

	/* cut inside the third area */
	assert_int_equal(insp_fmap_parse(img, 0x100 + 56 + 2 * 42 + 10, &r.fmap), 0);
	EXPECT(r.fmap.found, 1, r.fmap.truncated, 1, r.fmap.nlisted, 2, END);

	/* the second area as COREBOOT: CBFS is walked from there, no master header */
	memset(img + 0x100 + 56 + 42 + 8, 0, 32);
	strcpy((char *)img + 0x100 + 56 + 42 + 8, "COREBOOT");
	cbfs_file(img + 0x8000, 0x1000, 0x50, "x");
	cbfs_file(img + 0x9040, 0x100, 0x50, "y");
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.cbfs.found, 1, r.cbfs.has_master, 0, r.cbfs.start, 0x8000, r.cbfs.nfiles, 2,
	       r.cbfs.file[1].off, 0x1040, END);
	assert_string_equal(r.cbfs.file[1].name, "y");
}

/* A firmware volume header at off: size, GUID FFS2, header 0x48 bytes with
 * a correct checksum unless broken. */
static void build_fv(uint8_t *img, size_t off, uint64_t size, int broken)
{
	static const uint8_t ffs2[16] = { 0x78, 0xe5, 0x8c, 0x8c, 0x3d, 0x8a, 0x1c, 0x4f,
					  0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3 };
	uint8_t *h = img + off;
	uint16_t sum = 0;
	size_t i;

	memset(h, 0, 0x48);
	memcpy(h + 16, ffs2, 16);
	le64(h + 32, size);
	memcpy(h + 40, "_FVH", 4);
	le32(h + 44, 0x0004feff);
	le16(h + 48, 0x48);
	h[55] = 2;
	le32(h + 56, (uint32_t)(size / 0x1000));
	le32(h + 60, 0x1000);
	for (i = 0; i < 0x48; i += 2)
		sum = (uint16_t)(sum + (h[i] | (h[i + 1] << 8)));
	le16(h + 50, (uint16_t)(0x10000 - sum + (broken ? 1 : 0)));
}

static void test_fv(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	memset(img, 0xff, sizeof(img));
	build_fv(img, 0, 0x4000, 0);
	build_fv(img, 0x2000, 0x1000, 0);	/* inside the first: skipped */
	build_fv(img, 0x4000, 0x2000, 1);
	build_fv(img, 0xe000, 0x4000, 0);	/* runs past the end */
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.nfv, 3, r.fv[0].off, 0, r.fv[0].size, 0x4000, r.fv[0].checksum_ok, 1,
	       r.fv[1].off, 0x4000, r.fv[1].checksum_ok, 0, r.fv[2].off, 0xe000,
	       r.fv[2].past_end, 1, END);
	assert_string_equal(r.fv[0].guid, "8C8CE578-8A3D-4F1C-9935-896185C32DD3");
	assert_string_equal(r.fv[0].guid_name, "FFS2");
	assert_true(has_note(&r, "0x4000 has a bad header checksum"));
	assert_true(has_note(&r, "volume at 0xe000 runs past the end"));
}

/* A 64 KiB x86 CBFS: master header near the end, pointer in the last 4
 * bytes, files "a" (100 bytes, raw, LZ4 attribute), "b" (stage), (empty). */
static void build_cbfs(uint8_t *img, size_t len)
{
	uint8_t *h = img + len - 0x40;

	memset(img, 0xff, len);
	cbfs_file(img, 100, 0x50, "a");
	be32(img + 16, 32);		/* attributes at 32: compression, LZ4 */
	be32(img + 32, 0x42435a4c);
	be32(img + 36, 16);
	be32(img + 40, 2);
	be32(img + 44, 200);
	cbfs_file(img + 0xc0, 0x300, 0x10, "fallback/romstage");
	cbfs_file(img + 0x400, (uint32_t)(len - 0x40 - 0x400 - 64), 0xffffffff, "");
	/* "ORBC", version, romsize, bootblocksize, align, offset, architecture */
	const uint32_t master[7] = { 0x4F524243, 0x31313132, (uint32_t)len, 0x40, 64, 0, 1 };
	size_t i;

	for (i = 0; i < 7; i++)
		be32(h + 4 * i, master[i]);
	le32(img + len - 4, (uint32_t)-0x40);
}

static void test_cbfs(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	build_cbfs(img, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.cbfs.found, 1, r.cbfs.has_master, 1, r.cbfs.master_at, sizeof(img) - 0x40,
	       r.cbfs.romsize, sizeof(img), r.cbfs.align, 64, r.cbfs.arch, 1, r.cbfs.nfiles, 3,
	       r.cbfs.file[0].len, 100, r.cbfs.file[0].comp, 2, r.cbfs.file[1].off, 0xc0,
	       r.cbfs.file[2].type, 0xffffffff, r.cbfs.truncated, 0, END);
	assert_string_equal(r.cbfs.file[0].name, "a");
	assert_string_equal(insp_cbfs_type_name(r.cbfs.file[1].type), "stage");
	assert_string_equal(r.cbfs.file[1].name, "fallback/romstage");

	/* a file longer than what is left */
	be32(img + 0xc0 + 8, 0x100000);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.cbfs.nfiles, 2, r.cbfs.file[1].past_end, 1, r.cbfs.truncated, 1, END);
}

static void build_uimage(uint8_t *p, const char *name, uint32_t size, int bad_crc)
{
	uint32_t c;

	memset(p, 0, 64);
	be32(p, 0x27051956);
	be32(p + 12, size);
	memcpy(p + 28, "\5\2\2", 3);	/* os linux, arch arm, type kernel */
	strcpy((char *)p + 32, name);
	memset(p + 64, 0xa5, size);
	be32(p + 24, (uint32_t)crc32(0, p + 64, size));
	c = (uint32_t)crc32(0, p, 64);
	be32(p + 4, c + (bad_crc ? 1 : 0));
}

static void test_uimage_fit_squashfs(void **state)
{
	static const uint32_t fdt_hdr[7] = { 0xd00dfeed, 0x100, 0x38, 0xf0, 0x28, 17, 16 };
	static uint8_t img[64 * KIB];
	struct insp_report r;
	uint8_t *t, *s;
	size_t i;
	(void)state;

	memset(img, 0xff, sizeof(img));
	build_uimage(img + 0x1000, "Linux-6.1", 1000, 0);
	build_uimage(img + 0x3000, "broken", 16, 1);
	build_uimage(img + 0x3104, "unaligned broken", 16, 1);	/* not listed */
	t = img + 0x5000;	/* FDT with an /images node: a FIT */
	memset(t, 0, 0x100);	/* magic, totalsize, struct, strings, rsvmap, version 17/16 */
	for (i = 0; i < 7; i++)
		be32(t + 4 * i, fdt_hdr[i]);
	be32(t + 0x38, 1);
	be32(t + 0x40, 1);
	memcpy(t + 0x44, "images", 7);
	s = img + 0x8000;	/* squashfs 4.0 */
	memset(s, 0, 96);
	memcpy(s, "hsqs", 4);
	le32(s + 12, 131072);
	le16(s + 22, 17);
	le16(s + 28, 4);
	le16(s + 30, 0);
	le64(s + 40, 0x10000);	/* past the end */
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	/* the unaligned uImage with a bad CRC is not listed */
	EXPECT(r.nblobs, 4, r.blob[0].kind, INSP_UIMAGE, r.blob[0].off, 0x1000, r.blob[0].size, 1064,
	       r.blob[0].crc_ok, 1, r.blob[0].data_crc_ok, 1, r.blob[1].off, 0x3000,
	       r.blob[1].crc_ok, 0, r.blob[2].kind, INSP_FIT, r.blob[2].size, 0x100,
	       r.blob[2].ver_major, 17, r.blob[3].kind, INSP_SQUASHFS, r.blob[3].size, 0x10000,
	       r.blob[3].ver_major, 4, r.blob[3].past_end, 1, END);
	assert_string_equal(r.blob[0].name, "Linux-6.1");
	assert_string_equal(r.blob[2].name, "FIT");
	assert_true(has_note(&r, "squashfs at 0x8000 runs past the end"));

	/* the uImage data cut by the end of the buffer */
	assert_int_equal(insp_identify(img + 0x1000, 500, &r), 0);
	EXPECT(r.nblobs, 1, r.blob[0].crc_ok, 1, r.blob[0].data_crc_ok, (uint64_t)-1,
	       r.blob[0].past_end, 1, END);
}

static void test_image_checks(void **state)
{
	static uint8_t img[256 * KIB];
	struct insp_report r;
	size_t i;
	(void)state;

	memset(img, 0xff, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.all_ff, 1, r.typical_size, 1, r.repeat_period, 0, END);
	assert_true(has_note(&r, "all 0xFF"));

	memset(img, 0, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	EXPECT(r.all_zero, 1, r.all_ff, 0, END);
	assert_true(has_note(&r, "all 0x00"));

	/* 64 KiB of content repeated 4 times: the upper half is the lower,
	 * and so are the halves of the lower half */
	for (i = 0; i < 64 * KIB; i++)
		img[i] = (uint8_t)(i * 7 + (i >> 9));
	for (i = 1; i < 4; i++)
		memcpy(img + i * 64 * KIB, img, 64 * KIB);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_int_equal(r.repeat_period, 64 * KIB);
	assert_true(has_note(&r, "repeats every 65536 bytes (4 copies)"));
	img[3 * 64 * KIB + 5] ^= 1;	/* upper half differs now */
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_int_equal(r.repeat_period, 0);

	assert_int_equal(insp_identify(img, 100 * KIB, &r), 0);
	assert_false(r.pow2);
	assert_true(has_note(&r, "not a power of two"));
	assert_int_equal(insp_identify(img, 32 * KIB, &r), 0);
	EXPECT(r.pow2, 1, r.typical_size, 0, END);
	assert_true(has_note(&r, "not a typical SPI flash size"));
	assert_int_equal(insp_identify(NULL, 0, &r), 0);
	assert_true(has_note(&r, "empty"));
	assert_int_equal(insp_identify(NULL, 5, &r), INSP_E_ARG);
	assert_int_equal(insp_identify(img, 5, NULL), INSP_E_ARG);
}

/* Nothing reported may lie outside the len bytes given. */
static void check_inside(const struct insp_report *r, size_t len)
{
	size_t i;

	if (r->ifd.found)
		assert_true(r->ifd.sig_off + 16 <= len);
	for (i = 0; i < r->ifd.nregions; i++)
		assert_true(r->ifd.frba + 4 * (i + 1) <= len);
	if (r->fmap.found)
		assert_true(r->fmap.at + 8 <= len);
	if (r->fmap.found)
		assert_true(r->fmap.at + 56 + 42 * r->fmap.nlisted <= len);
	for (i = 0; i < r->nfv; i++)
		assert_true(r->fv[i].off + r->fv[i].hdr_len <= len);
	for (i = 0; r->cbfs.found && i < r->cbfs.nlisted; i++)
		assert_true(r->cbfs.start + r->cbfs.file[i].off + r->cbfs.file[i].data_off <= len);
	for (i = 0; i < r->nblobs; i++)
		assert_true(r->blob[i].off + 40 <= len);
}

/* Every prefix and every suffix of img, each in a heap block of exactly
 * its size (ASan sees any read past it). */
static void cut_everywhere(const uint8_t *img, size_t len, size_t step)
{
	struct insp_report *r = malloc(sizeof(*r));
	size_t n;

	assert_non_null(r);
	for (n = 0; n <= len; n += (n < 4096 ? 1 : step)) {
		uint8_t *p = malloc(n ? n : 1), *q = malloc(n ? n : 1);

		assert_non_null(p);
		assert_non_null(q);
		memcpy(p, img, n);
		memcpy(q, img + len - n, n);
		assert_int_equal(insp_identify(p, n, r), 0);
		check_inside(r, n);
		assert_int_equal(insp_identify(q, n, r), 0);
		check_inside(r, n);
		free(p);
		free(q);
	}
	free(r);
}

static void test_truncated_at_every_length(void **state)
{
	static uint8_t img[64 * KIB];
	(void)state;

	build_ifd_v1(img, sizeof(img), 0x02030000);
	build_fmap(img, sizeof(img), 0x1000);
	build_fv(img, 0x2000, 0x2000, 0);
	build_uimage(img + 0x4000, "k", 100, 0);
	cut_everywhere(img, sizeof(img), 61);
	build_cbfs(img, sizeof(img));
	cut_everywhere(img, sizeof(img), 61);
}

static void test_diff(void **state)
{
	static uint8_t a[64 * KIB], b[64 * KIB];
	/* BIOS reaches past the end */
	const struct insp_region regs[3] = { { "Descriptor", 0, 0x1000 }, { "ME", 0x1000, 0x7000 },
					     { "BIOS", 0x8000, 0x10000 } };
	struct insp_diff_report d;
	size_t i;
	(void)state;

	memset(a, 0x11, sizeof(a));
	memcpy(b, a, sizeof(b));
	/* ME: 0x1000 and 0x1006-7 merge (equal run of 5 < 16), 0x2000 is apart */
	b[0x1000] = b[0x1006] = b[0x1007] = b[0x2000] = 0;
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 0, &d), 0);
	EXPECT(d.nregions, 3, d.reg[0].ndiff, 0, d.reg[1].ndiff, 4, d.reg[1].nranges, 2,
	       d.reg[1].range[0].off, 0x1000, d.reg[1].range[0].len, 8, d.reg[1].range[1].off, 0x2000,
	       d.reg[2].ndiff, 0, d.reg[2].past_end, 1, d.whole.ndiff, 4, d.whole.past_end, 0, END);

	/* more ranges than the list holds: capped, all counted */
	for (i = 0; i < 40; i++)
		b[0x8000 + 100 * i] = 0;
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 0, &d), 0);
	EXPECT(d.reg[2].ndiff, 40, d.reg[2].nranges, 40, d.reg[2].nlisted, INSP_DIFF_MAX_RANGES, END);
	/* with a gap of 200 they merge into one */
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 200, &d), 0);
	EXPECT(d.reg[2].nranges, 1, d.reg[2].range[0].len, 3901, END);

	/* lengths differ: the extra bytes differ */
	assert_int_equal(insp_diff(a, sizeof(a), a, 0x9000, regs, 3, 0, &d), 0);
	EXPECT(d.whole.ndiff, sizeof(a) - 0x9000, d.reg[1].ndiff, 0,
	       d.reg[2].ndiff, sizeof(a) - 0x9000, END);
	assert_int_equal(insp_diff(NULL, 1, a, 1, NULL, 0, 0, &d), INSP_E_ARG);
}

static char *print_to_string(int json, const struct insp_report *r,
			     const struct insp_diff_report *d)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	if (r)
		assert_int_equal(json ? insp_print_json(f, r) : insp_print_text(f, r), 0);
	else
		assert_int_equal(json ? insp_print_diff_json(f, d) : insp_print_diff_text(f, d), 0);
	fclose(f);
	return s;
}

static void test_printers(void **state)
{
	static uint8_t img[64 * KIB], b[64 * KIB];
	struct insp_report r;
	struct insp_region regs[8];
	struct insp_diff_report d;
	char *s;
	size_t n;
	(void)state;

	build_ifd_v1(img, sizeof(img), 0x02030000);
	build_fmap(img, sizeof(img), 0x1000);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	s = print_to_string(0, &r, NULL);
	assert_non_null(strstr(s, "FLREG2: 0x00070001 ME         00001000 - 00007fff\n"));
	assert_non_null(strstr(s, "FLMSTR1: 0x02030000 (BIOS) Descriptor=r- BIOS=rw ME=--"));
	assert_non_null(strstr(s, "warning: ME region is locked (BIOS cannot read/write)"));
	free(s);
	s = print_to_string(1, &r, NULL);
	assert_non_null(strstr(s, "\"name\":\"q\\\"b\\\\\""));
	assert_non_null(strstr(s, "\"ME\":{\"read\":false,\"write\":false}"));
	assert_int_equal(s[strlen(s) - 2], '}');
	free(s);

	n = insp_regions_from_report(&r, regs, 8);
	assert_int_equal(n, 3);	/* the descriptor's used regions win over FMAP */
	assert_string_equal(regs[2].name, "ME");
	memcpy(b, img, sizeof(b));
	b[0x2000] ^= 0xff;
	assert_int_equal(insp_diff(img, sizeof(img), b, sizeof(b), regs, n, 0, &d), 0);
	s = print_to_string(0, NULL, &d);
	assert_non_null(strstr(s, "Descriptor equal\nBIOS equal\nME differs (1 bytes in 1 range)\n"));
	assert_non_null(strstr(s, "image differs (1 bytes in 1 range)"));
	free(s);
	s = print_to_string(1, NULL, &d);
	assert_non_null(strstr(s, "\"name\":\"ME\",\"offset\":4096,\"size\":28672,\"equal\":false"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifd_v1_regions_and_access),
		cmocka_unit_test(test_ifd_v2_and_past_end),
		cmocka_unit_test(test_ifd_old_signature_and_table_cut),
		cmocka_unit_test(test_fmap),
		cmocka_unit_test(test_fv),
		cmocka_unit_test(test_cbfs),
		cmocka_unit_test(test_uimage_fit_squashfs),
		cmocka_unit_test(test_image_checks),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_printers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
