// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage tests: Debian's own kernel (/boot/vmlinuz-*, from the
 * linux-image-amd64 package) decompressed with liblzma and checked to be
 * a PVH kernel; synthetic bzImages around payloads made here with
 * liblzma's encoder; and every kind of malformation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lzma.h>

#include "harness.h"
#include <lamina/bzimage.h>
#include <lamina/elf.h>

/* ---- a counting heap --------------------------------------------------- */

static size_t heap_live, heap_peak, heap_largest;
static bool heap_fail;

static void *t_alloc(size_t n)
{
	size_t *p;

	if (heap_fail)
		return NULL;
	p = malloc(n + 16);
	ck_assert_ptr_nonnull(p);
	*p = n;
	heap_live += n;
	heap_peak = heap_live > heap_peak ? heap_live : heap_peak;
	heap_largest = n > heap_largest ? n : heap_largest;
	return (char *)p + 16;
}

static void t_free(void *q)
{
	size_t *p = (size_t *)((char *)q - 16);

	heap_live -= *p;
	free(p);
}

static const struct loader_heap heap = { t_alloc, t_free };

static void heap_reset(void)
{
	heap_live = heap_peak = heap_largest = 0;
	heap_fail = false;
}

/* ---- synthetic bzImages ------------------------------------------------- */

#define SETUP_SECTS	3
#define PM_START	((SETUP_SECTS + 1) * 512)
#define PAYLOAD_OFF	0x300		/* from PM_START */
#define RAW_LEN		0x20000

static uint8_t raw[RAW_LEN];		/* what the payload decompresses to */
static uint8_t *img;
static size_t img_len, payload_len;
static struct bzimage_info bi;

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* An XZ stream of raw[] with a CRC32 check, as Linux's build makes. */
static size_t make_xz(uint8_t *out, size_t size)
{
	size_t pos = 0;
	unsigned int i;

	for (i = 0; i < RAW_LEN; i++)
		raw[i] = (uint8_t)(i % 251 ^ i >> 9);
	ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL,
						 raw, RAW_LEN, out, &pos, size),
			 LZMA_OK);
	return pos;
}

/* Header, setup sectors, then the payload and its length trailer. */
static void build(void)
{
	static uint8_t xz[RAW_LEN + 1024];
	size_t xz_len = make_xz(xz, sizeof(xz));

	payload_len = xz_len + 4;
	img_len = PM_START + PAYLOAD_OFF + payload_len + 0x40;
	free(img);
	img = calloc(1, img_len);
	img[0x1f1] = SETUP_SECTS;
	img[0x1fe] = 0x55;
	img[0x1ff] = 0xaa;
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f;			/* protocol 2.15 */
	img[0x207] = 0x02;
	put32(img + 0x248, PAYLOAD_OFF);
	put32(img + 0x24c, payload_len);
	memcpy(img + PM_START + PAYLOAD_OFF, xz, xz_len);
	put32(img + PM_START + PAYLOAD_OFF + xz_len, RAW_LEN);
}

static uint8_t *payload(void)
{
	return img + PM_START + PAYLOAD_OFF;
}

static int parse(void)
{
	harness_log_clear();
	return bzimage_parse(img, img_len, &bi);
}

/* Parse and decompress into an exactly sized heap block. */
static int decompress(void)
{
	uint8_t *out;
	int rc = parse();

	if (rc)
		return rc;
	out = malloc(bi.decompressed_len);
	heap_reset();
	rc = bzimage_decompress(&bi, out, bi.decompressed_len, &heap);
	ck_assert_uint_eq(heap_live, 0);	/* nothing leaked */
	if (!rc)
		ck_assert(!memcmp(out, raw, RAW_LEN));
	free(out);
	return rc;
}

#define EXPECT_ERR(expr, err, text) do {				\
	int rc__ = (expr);						\
	ck_assert_int_eq(rc__, (err));					\
	ck_assert_msg(harness_log_has(text), "log: %s", harness_log);	\
} while (0)

static void teardown(void)
{
	free(img);
	img = NULL;
}

START_TEST(synthetic_ok)
{
	build();
	ck_assert(bzimage_probe(img, img_len));
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(bi.version, 0x020f);
	ck_assert_uint_eq(bi.setup_sects, SETUP_SECTS);
	ck_assert_ptr_eq(bi.payload, payload());
	ck_assert_uint_eq(bi.payload_len, payload_len);
	ck_assert_int_eq(bi.format, BZ_FMT_XZ);
	ck_assert_uint_eq(bi.decompressed_len, RAW_LEN);
	ck_assert_int_eq(decompress(), 0);
}
END_TEST

START_TEST(setup_sects_zero_means_four)
{
	build();
	/* Move the payload so that it starts where 4 sectors put it. */
	img[0x1f1] = 0;
	put32(img + 0x248, PAYLOAD_OFF - 512);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(bi.setup_sects, 4);
	ck_assert_ptr_eq(bi.payload, payload());
}
END_TEST

START_TEST(truncated_header)
{
	build();
	img_len = 0x205;			/* "HdrS" cut */
	ck_assert(!bzimage_probe(img, img_len));
	EXPECT_ERR(parse(), -ENOEXEC, "no HdrS");
	img_len = 0x24f;			/* payload_length cut */
	EXPECT_ERR(parse(), -EINVAL, "setup header truncated");
	build();
	memcpy(img + 0x202, "HdrT", 4);
	EXPECT_ERR(parse(), -ENOEXEC, "no HdrS");
}
END_TEST

START_TEST(old_protocol)
{
	build();
	img[0x206] = 0x07;
	EXPECT_ERR(parse(), -ENOEXEC, "boot protocol 2.07, need 2.08");
}
END_TEST

START_TEST(payload_outside)
{
	build();
	put32(img + 0x24c, payload_len + 0x41);
	EXPECT_ERR(parse(), -EINVAL, "outside the");
	build();
	put32(img + 0x248, 0xffffffff);
	EXPECT_ERR(parse(), -EINVAL, "outside the");
	build();
	put32(img + 0x24c, 0xffffffff);
	EXPECT_ERR(parse(), -EINVAL, "outside the");
	build();
	img[0x1f1] = 0xff;			/* setup beyond the image */
	EXPECT_ERR(parse(), -EINVAL, "outside the");
	build();
	put32(img + 0x24c, 4);
	EXPECT_ERR(parse(), -EINVAL, "too short");
}
END_TEST

START_TEST(other_formats)
{
	static const struct { const uint8_t magic[4]; const char *name; } f[] = {
		{ { 0x1f, 0x8b, 8, 0 }, "gzip-compressed" },
		{ { 'B', 'Z', 'h', '9' }, "bzip2-compressed" },
		{ { 0x5d, 0, 0, 0x80 }, "lzma-compressed" },
		{ { 0x89, 'L', 'Z', 'O' }, "lzo-compressed" },
		{ { 0x02, 0x21, 0x4c, 0x18 }, "lz4-compressed" },
		{ { 0x28, 0xb5, 0x2f, 0xfd }, "zstd-compressed" },
		{ { 'A', 'B', 'C', 'D' }, "unknown-compressed" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		build();
		memcpy(payload(), f[i].magic, 4);
		EXPECT_ERR(parse(), -EOPNOTSUPP, f[i].name);
		ck_assert(harness_log_has("not supported (only xz)"));
	}
}
END_TEST

START_TEST(corrupt_xz)
{
	size_t pos, step = (payload_len - 4) / 97 + 1;
	int rc;

	for (pos = 0; pos < payload_len - 4; pos += step) {
		build();
		payload()[pos] ^= 0x5a;
		rc = decompress();
		if (pos < 6) {			/* the magic itself */
			ck_assert_int_eq(rc, -EOPNOTSUPP);
			continue;
		}
		ck_assert_msg(rc == -EINVAL, "flip at %zu: rc %d", pos, rc);
		ck_assert_msg(harness_log_has("xz:") ||
			      harness_log_has("decompressed to"),
			      "flip at %zu: %s", pos, harness_log);
	}
}
END_TEST

START_TEST(truncated_xz)
{
	build();
	/* Drop the stream's last 100 bytes; the trailer stays last. */
	memmove(payload() + payload_len - 104, payload() + payload_len - 4, 4);
	put32(img + 0x24c, payload_len - 100);
	EXPECT_ERR(decompress(), -EINVAL, "xz:");
}
END_TEST

START_TEST(wrong_trailer)
{
	build();
	put32(payload() + payload_len - 4, RAW_LEN - 1);
	EXPECT_ERR(decompress(), -EINVAL, "output larger than declared");
	build();
	put32(payload() + payload_len - 4, RAW_LEN + 1);
	EXPECT_ERR(decompress(), -EINVAL, "trailer says");
	build();
	put32(payload() + payload_len - 4, 0);
	EXPECT_ERR(parse(), -EINVAL, "length trailer is 0");
}
END_TEST

START_TEST(huge_declared_size)
{
	build();
	put32(payload() + payload_len - 4, BZIMAGE_MAX_DECOMPRESSED + 1);
	EXPECT_ERR(parse(), -E2BIG, "above the 256 MiB limit");
	put32(payload() + payload_len - 4, 0xffffffff);
	EXPECT_ERR(parse(), -E2BIG, "above the 256 MiB limit");
}
END_TEST

START_TEST(buffer_size_mismatch)
{
	uint8_t out[16];

	build();
	ck_assert_int_eq(parse(), 0);
	harness_log_clear();
	EXPECT_ERR(bzimage_decompress(&bi, out, sizeof(out), &heap), -EINVAL,
		   "output buffer of 16 bytes");
}
END_TEST

START_TEST(out_of_memory)
{
	uint8_t *out = malloc(RAW_LEN);

	build();
	ck_assert_int_eq(parse(), 0);
	heap_reset();
	heap_fail = true;
	EXPECT_ERR(bzimage_decompress(&bi, out, RAW_LEN, &heap), -ENOMEM,
		   "out of memory");
	free(out);
}
END_TEST

/* Skip a variable-length integer of the XZ format. */
static unsigned int skip_vli(const uint8_t *p, unsigned int i)
{
	while (p[i] & 0x80)
		i++;
	return i + 1;
}

/*
 * A stream asking for a 4 GiB dictionary: the block header's LZMA2
 * property byte is raised to 40 and the header's CRC32 fixed up, so only
 * the memory limit can refuse it.
 */
START_TEST(memlimit)
{
	unsigned int size, i = 2;
	uint8_t *bh;

	build();
	bh = payload() + 12;			/* after the stream header */
	size = (bh[0] + 1) * 4;
	ck_assert_uint_eq(bh[1] & 3, 0);	/* one filter */
	if (bh[1] & 0x40)			/* compressed size */
		i = skip_vli(bh, i);
	if (bh[1] & 0x80)			/* uncompressed size */
		i = skip_vli(bh, i);
	ck_assert_uint_eq(bh[i], 0x21);		/* LZMA2 */
	ck_assert_uint_eq(bh[i + 1], 1);	/* one property byte */
	bh[i + 2] = 40;
	put32(bh + size - 4, lzma_crc32(bh, size - 4, 0));
	EXPECT_ERR(decompress(), -E2BIG, "needs more than 128 MiB");
}
END_TEST

/* ---- Debian's kernel ---------------------------------------------------- */

/* The newest-named /boot/vmlinuz-*, read whole; NULL if there is none. */
static uint8_t *read_kernel(size_t *len, char *path, size_t size)
{
	struct dirent *de;
	uint8_t *buf;
	DIR *d = opendir("/boot");
	FILE *f;

	path[0] = 0;
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "vmlinuz-", 8) &&
		    strcmp(de->d_name, path + 6) > 0)
			snprintf(path, size, "/boot/%s", de->d_name);
	if (d)
		closedir(d);
	f = path[0] ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = malloc(*len);
	ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(debian_kernel)
{
	static struct elf_plan plan;
	char path[300];
	size_t len;
	uint8_t *k = read_kernel(&len, path, sizeof(path)), *out;
	double t;

	ck_assert_msg(k, "no /boot/vmlinuz-*: apt-get install linux-image-amd64");
	harness_log_clear();
	ck_assert_int_eq(bzimage_parse(k, len, &bi), 0);
	ck_assert_int_eq(bi.format, BZ_FMT_XZ);
	out = malloc(bi.decompressed_len);
	heap_reset();
	t = now();
	ck_assert_int_eq(bzimage_decompress(&bi, out, bi.decompressed_len,
					    &heap), 0);
	t = now() - t;
	ck_assert_uint_eq(heap_live, 0);
	ck_assert_int_eq(elf_parse(out, bi.decompressed_len, &plan), 0);
	ck_assert(plan.is64);
	ck_assert_str_eq(plan.notes.guest_os, "linux");
	ck_assert_uint_ge(plan.entry, plan.paddr_start);
	ck_assert_uint_lt(plan.entry, plan.paddr_end);
	fprintf(stderr, "bzimage: %s: %zu bytes, protocol %#x, xz payload "
		"%zu -> %u bytes in %.2f s, liblzma heap peak %zu (largest "
		"block %zu); PVH entry %#llx, %u segments [%#llx, %#llx)\n",
		path, len, bi.version, bi.payload_len, bi.decompressed_len, t,
		heap_peak, heap_largest, (unsigned long long)plan.entry,
		plan.nr_segs, (unsigned long long)plan.paddr_start,
		(unsigned long long)plan.paddr_end);
	/* A flipped byte mid-stream fails cleanly too. */
	((uint8_t *)bi.payload)[bi.payload_len / 2] ^= 0xff;
	harness_log_clear();
	ck_assert_int_eq(bzimage_decompress(&bi, out, bi.decompressed_len,
					    &heap), -EINVAL);
	ck_assert_uint_eq(heap_live, 0);
	free(out);
	free(k);
}
END_TEST

SUITE(bzimage)
{
	Suite *s = suite_create("bzimage");
	TCase *tc = tcase_create("bzimage");
	TCase *real = tcase_create("debian-kernel");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, synthetic_ok);
	tcase_add_test(tc, setup_sects_zero_means_four);
	tcase_add_test(tc, truncated_header);
	tcase_add_test(tc, old_protocol);
	tcase_add_test(tc, payload_outside);
	tcase_add_test(tc, other_formats);
	tcase_add_test(tc, corrupt_xz);
	tcase_add_test(tc, truncated_xz);
	tcase_add_test(tc, wrong_trailer);
	tcase_add_test(tc, huge_declared_size);
	tcase_add_test(tc, buffer_size_mismatch);
	tcase_add_test(tc, out_of_memory);
	tcase_add_test(tc, memlimit);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	/* Decompressing ~8 MiB of XZ takes about a second; allow for slow
	 * machines and ASan. */
	tcase_add_test(real, debian_kernel);
	tcase_set_timeout(real, 120);
	suite_add_tcase(s, real);
	return s;
}
