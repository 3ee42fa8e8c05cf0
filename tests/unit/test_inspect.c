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

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

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
	assert_int_equal(r.ifd.sig_off, 0x10);
	assert_int_equal(r.ifd.version, 1);
	assert_int_equal(r.ifd.frba, 0x40);
	assert_int_equal(r.ifd.fcba, 0x30);
	assert_int_equal(r.ifd.fmba, 0x60);
	assert_int_equal(r.ifd.fpsba, 0x100);
	assert_int_equal(r.ifd.fmsba, 0x200);
	assert_int_equal(r.ifd.nr, 3);
	assert_int_equal(r.ifd.nc, 1);
	assert_int_equal(r.ifd.nm, 2);
	assert_int_equal(r.ifd.isl, 0x12);
	assert_int_equal(r.ifd.psl, 0x2101);
	assert_int_equal(r.ifd.nregions, 5);
	assert_string_equal(r.ifd.reg[2].name, "ME");
	assert_int_equal(r.ifd.reg[2].base, 0x1000);
	assert_int_equal(r.ifd.reg[2].limit, 0x7fff);
	assert_true(r.ifd.reg[1].used);
	assert_int_equal(r.ifd.reg[1].base, 0x8000);
	assert_false(r.ifd.reg[3].used);
	assert_false(r.ifd.reg[1].past_end);
	assert_true(r.ifd.has_masters);
	assert_int_equal(r.ifd.acc[0][0], INSP_ACC_KNOWN | INSP_ACC_READ);
	assert_int_equal(r.ifd.acc[0][1], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE);
	assert_int_equal(r.ifd.acc[0][2], INSP_ACC_KNOWN);
	assert_int_equal(r.ifd.acc[2][3], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE);
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
	le32(img + 0x84, 0);
	le32(img + 0x88, 0);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_int_equal(r.ifd.version, 2);
	assert_int_equal(r.ifd.nregions, 16);
	assert_int_equal(r.ifd.reg[1].base, 0x1000000);
	assert_int_equal(r.ifd.reg[1].limit, 0x1ffffff);
	assert_true(r.ifd.reg[1].past_end);
	assert_true(has_note(&r, "region BIOS (0x01000000-0x01ffffff) runs past the end"));
	assert_string_equal(r.ifd.reg[8].name, "EC");
	assert_false(r.ifd.reg[8].used);
	/* FLREG5..7 are zero here: base 0, limit 0xfff: used, as ifdtool says */
	assert_true(r.ifd.reg[5].used);
	assert_int_equal(r.ifd.acc[0][0], INSP_ACC_KNOWN | INSP_ACC_READ);
	assert_int_equal(r.ifd.acc[0][1], INSP_ACC_KNOWN | INSP_ACC_READ | INSP_ACC_WRITE);
	assert_int_equal(r.ifd.acc[0][11], INSP_ACC_KNOWN);
	assert_int_equal(r.ifd.acc[0][12], 0);	/* no bits for it in FLMSTR */
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
	assert_true(r.ifd.found);
	assert_int_equal(r.ifd.sig_off, 0);
	assert_int_equal(r.ifd.nregions, 2);
	assert_true(r.ifd.table_truncated);
	assert_true(r.ifd.reg[1].past_end);
	assert_false(r.ifd.has_masters);
	assert_true(has_note(&r, "region table runs past the end"));
	assert_true(has_note(&r, "master section (FLMSTR) lies outside"));
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
	h[8] = 1;
	h[9] = 1;
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
	assert_true(r.fmap.found);
	assert_int_equal(r.fmap.at, 0x100);
	assert_int_equal(r.fmap.nareas, 3);
	assert_int_equal(r.fmap.nlisted, 3);
	assert_string_equal(r.fmap.name, "FLASH");
	assert_int_equal(r.fmap.area[1].off, 0x8000);
	assert_string_equal(r.fmap.area[1].name, "q\"b\\");
	assert_int_equal(r.fmap.area[2].flags, 2);
	assert_false(r.fmap.area[1].past_end);
	assert_true(r.fmap.area[2].past_end);
	assert_true(has_note(&r, "FMAP area FAR runs past the end"));
	assert_false(r.fmap.truncated);

	/* cut inside the third area */
	assert_int_equal(insp_fmap_parse(img, 0x100 + 56 + 2 * 42 + 10, &r.fmap), 0);
	assert_true(r.fmap.found);
	assert_true(r.fmap.truncated);
	assert_int_equal(r.fmap.nlisted, 2);
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
	assert_int_equal(r.nfv, 3);
	assert_int_equal(r.fv[0].off, 0);
	assert_int_equal(r.fv[0].size, 0x4000);
	assert_string_equal(r.fv[0].guid, "8C8CE578-8A3D-4F1C-9935-896185C32DD3");
	assert_string_equal(r.fv[0].guid_name, "FFS2");
	assert_true(r.fv[0].checksum_ok);
	assert_int_equal(r.fv[1].off, 0x4000);
	assert_false(r.fv[1].checksum_ok);
	assert_int_equal(r.fv[2].off, 0xe000);
	assert_true(r.fv[2].past_end);
	assert_true(has_note(&r, "0x4000 has a bad header checksum"));
	assert_true(has_note(&r, "volume at 0xe000 runs past the end"));
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
	be32(h, 0x4F524243);
	be32(h + 4, 0x31313132);
	be32(h + 8, (uint32_t)len);
	be32(h + 12, 0x40);
	be32(h + 16, 64);
	be32(h + 20, 0);
	be32(h + 24, 1);
	le32(img + len - 4, (uint32_t)-0x40);
}

static void test_cbfs(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	(void)state;

	build_cbfs(img, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(r.cbfs.found);
	assert_true(r.cbfs.has_master);
	assert_int_equal(r.cbfs.master_at, sizeof(img) - 0x40);
	assert_int_equal(r.cbfs.romsize, sizeof(img));
	assert_int_equal(r.cbfs.align, 64);
	assert_int_equal(r.cbfs.arch, 1);
	assert_int_equal(r.cbfs.nfiles, 3);
	assert_string_equal(r.cbfs.file[0].name, "a");
	assert_int_equal(r.cbfs.file[0].len, 100);
	assert_int_equal(r.cbfs.file[0].comp, 2);
	assert_int_equal(r.cbfs.file[1].off, 0xc0);
	assert_string_equal(insp_cbfs_type_name(r.cbfs.file[1].type), "stage");
	assert_string_equal(r.cbfs.file[1].name, "fallback/romstage");
	assert_int_equal(r.cbfs.file[2].type, 0xffffffff);
	assert_false(r.cbfs.truncated);

	/* a file longer than what is left */
	be32(img + 0xc0 + 8, 0x100000);
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_int_equal(r.cbfs.nfiles, 2);
	assert_true(r.cbfs.file[1].past_end);
	assert_true(r.cbfs.truncated);
}

static void test_cbfs_in_fmap(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	uint8_t *a;
	(void)state;

	memset(img, 0xff, sizeof(img));
	build_fmap(img, sizeof(img), 0x100);
	a = img + 0x100 + 56 + 42;	/* second area becomes COREBOOT */
	memset(a + 8, 0, 32);
	strcpy((char *)a + 8, "COREBOOT");
	cbfs_file(img + 0x8000, 0x1000, 0x50, "x");
	cbfs_file(img + 0x9040, 0x100, 0x50, "y");
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(r.cbfs.found);
	assert_false(r.cbfs.has_master);
	assert_int_equal(r.cbfs.start, 0x8000);
	assert_int_equal(r.cbfs.nfiles, 2);
	assert_int_equal(r.cbfs.file[1].off, 0x1040);
	assert_string_equal(r.cbfs.file[1].name, "y");
}

static void build_uimage(uint8_t *p, const char *name, uint32_t size, int bad_crc)
{
	uint32_t c;

	memset(p, 0, 64);
	be32(p, 0x27051956);
	be32(p + 12, size);
	p[28] = 5;	/* os linux */
	p[29] = 2;	/* arch arm */
	p[30] = 2;	/* kernel */
	strcpy((char *)p + 32, name);
	memset(p + 64, 0xa5, size);
	be32(p + 24, (uint32_t)crc32(0, p + 64, size));
	c = (uint32_t)crc32(0, p, 64);
	be32(p + 4, c + (bad_crc ? 1 : 0));
}

static void test_uimage_fit_squashfs(void **state)
{
	static uint8_t img[64 * KIB];
	struct insp_report r;
	uint8_t *t, *s;
	(void)state;

	memset(img, 0xff, sizeof(img));
	build_uimage(img + 0x1000, "Linux-6.1", 1000, 0);
	build_uimage(img + 0x3000, "broken", 16, 1);
	build_uimage(img + 0x3104, "unaligned broken", 16, 1);	/* not listed */
	t = img + 0x5000;	/* FDT with an /images node: a FIT */
	memset(t, 0, 0x100);
	be32(t, 0xd00dfeed);
	be32(t + 4, 0x100);
	be32(t + 8, 0x38);
	be32(t + 12, 0xf0);
	be32(t + 16, 0x28);
	be32(t + 20, 17);
	be32(t + 24, 16);
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
	assert_int_equal(r.nblobs, 4);
	assert_int_equal(r.blob[0].kind, INSP_UIMAGE);
	assert_int_equal(r.blob[0].off, 0x1000);
	assert_int_equal(r.blob[0].size, 1064);
	assert_string_equal(r.blob[0].name, "Linux-6.1");
	assert_true(r.blob[0].crc_ok);
	assert_int_equal(r.blob[0].data_crc_ok, 1);
	assert_int_equal(r.blob[1].off, 0x3000);
	assert_false(r.blob[1].crc_ok);
	assert_int_equal(r.blob[2].kind, INSP_FIT);
	assert_string_equal(r.blob[2].name, "FIT");
	assert_int_equal(r.blob[2].size, 0x100);
	assert_int_equal(r.blob[2].ver_major, 17);
	assert_int_equal(r.blob[3].kind, INSP_SQUASHFS);
	assert_int_equal(r.blob[3].size, 0x10000);
	assert_int_equal(r.blob[3].ver_major, 4);
	assert_true(r.blob[3].past_end);
	assert_true(has_note(&r, "squashfs at 0x8000 runs past the end"));

	/* the uImage data cut by the end of the buffer */
	assert_int_equal(insp_identify(img + 0x1000, 500, &r), 0);
	assert_int_equal(r.nblobs, 1);
	assert_true(r.blob[0].crc_ok);
	assert_int_equal(r.blob[0].data_crc_ok, -1);
	assert_true(r.blob[0].past_end);
}

static void test_image_checks(void **state)
{
	static uint8_t img[256 * KIB];
	struct insp_report r;
	size_t i;
	(void)state;

	memset(img, 0xff, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(r.all_ff);
	assert_true(r.typical_size);
	assert_int_equal(r.repeat_period, 0);
	assert_true(has_note(&r, "all 0xFF"));

	memset(img, 0, sizeof(img));
	assert_int_equal(insp_identify(img, sizeof(img), &r), 0);
	assert_true(r.all_zero);
	assert_false(r.all_ff);
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
	assert_true(r.pow2);
	assert_false(r.typical_size);
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
	struct insp_region regs[3];
	struct insp_diff_report d;
	size_t i;
	(void)state;

	memset(regs, 0, sizeof(regs));
	strcpy(regs[0].name, "Descriptor");
	regs[0].size = 0x1000;
	strcpy(regs[1].name, "ME");
	regs[1].off = 0x1000;
	regs[1].size = 0x7000;
	strcpy(regs[2].name, "BIOS");
	regs[2].off = 0x8000;
	regs[2].size = 0x10000;	/* reaches past the end */
	memset(a, 0x11, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[0x1000] = 0;		/* ME: 1 + 2 (merged: gap 5 < 16) + 1 far = 2 ranges... */
	b[0x1006] = 0;
	b[0x1007] = 0;
	b[0x2000] = 0;		/* ... and a third */
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 0, &d), 0);
	assert_int_equal(d.nregions, 3);
	assert_int_equal(d.reg[0].ndiff, 0);
	assert_int_equal(d.reg[1].ndiff, 4);
	assert_int_equal(d.reg[1].nranges, 2);
	assert_int_equal(d.reg[1].range[0].off, 0x1000);
	assert_int_equal(d.reg[1].range[0].len, 8);
	assert_int_equal(d.reg[1].range[1].off, 0x2000);
	assert_int_equal(d.reg[2].ndiff, 0);
	assert_true(d.reg[2].past_end);
	assert_int_equal(d.whole.ndiff, 4);

	/* more ranges than the list holds: capped, all counted */
	for (i = 0; i < 40; i++)
		b[0x8000 + 100 * i] = 0;
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 0, &d), 0);
	assert_int_equal(d.reg[2].ndiff, 40);
	assert_int_equal(d.reg[2].nranges, 40);
	assert_int_equal(d.reg[2].nlisted, INSP_DIFF_MAX_RANGES);
	/* with a gap of 200 they merge into one */
	assert_int_equal(insp_diff(a, sizeof(a), b, sizeof(b), regs, 3, 200, &d), 0);
	assert_int_equal(d.reg[2].nranges, 1);
	assert_int_equal(d.reg[2].range[0].len, 3901);

	/* lengths differ: the extra bytes differ */
	assert_int_equal(insp_diff(a, sizeof(a), a, 0x9000, regs, 3, 0, &d), 0);
	assert_int_equal(d.whole.ndiff, sizeof(a) - 0x9000);
	assert_int_equal(d.reg[1].ndiff, 0);
	assert_int_equal(d.reg[2].ndiff, sizeof(a) - 0x9000);
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
		cmocka_unit_test(test_cbfs_in_fmap),
		cmocka_unit_test(test_uimage_fit_squashfs),
		cmocka_unit_test(test_image_checks),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_printers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
