// SPDX-License-Identifier: GPL-2.0
/*
 * ELF loader tests: synthetic ELF64 and ELF32 images built here, each
 * header field pushed out of bounds, random mutations under ASan, and a
 * real host binary (not a PVH kernel). The real Linux kernel is tested
 * in test_bzimage.c, after decompression.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/elf.h>
#include <xen/elfnote.h>

#define IMG_SIZE	0x3000
#define PHOFF		0x40
#define NOTE_OFF	0x800
#define SHOFF		0xc00
#define DATA_OFF	0x1000

/* What a synthetic image contains. */
struct spec {
	bool is64;
	unsigned int nr_loads;
	struct { uint64_t off, paddr, filesz, memsz; } load[4];
	bool note;			/* a PVH note at all */
	bool note_in_section;		/* as SHT_NOTE instead of PT_NOTE */
	unsigned int entry_size;	/* 4 or 8 */
	uint64_t entry;
};

static uint8_t img[IMG_SIZE];
static size_t img_len;
static struct elf_plan plan;

static void put(size_t off, uint64_t v, unsigned int n)
{
	memcpy(img + off, &v, n);	/* little-endian host */
}

/* One note: header, padded name and descriptor. Returns its size. */
static size_t put_note(size_t off, uint32_t type, const void *desc,
		       uint32_t descsz)
{
	put(off, 4, 4);
	put(off + 4, descsz, 4);
	put(off + 8, type, 4);
	memcpy(img + off + 12, "Xen", 4);
	memcpy(img + off + 16, desc, descsz);
	return 16 + ((descsz + 3) & ~3u);
}

static size_t build_notes(const struct spec *s)
{
	uint32_t feat = 0x25;
	size_t n = 0;

	n += put_note(NOTE_OFF + n, XEN_ELFNOTE_GUEST_OS, "linux", 6);
	n += put_note(NOTE_OFF + n, XEN_ELFNOTE_FEATURES,
		      "!writable_page_tables", 22);
	n += put_note(NOTE_OFF + n, XEN_ELFNOTE_SUPPORTED_FEATURES, &feat, 4);
	n += put_note(NOTE_OFF + n, XEN_ELFNOTE_PHYS32_ENTRY, &s->entry,
		      s->entry_size);
	return n;
}

static void build_ehdr(const struct spec *s, unsigned int phnum)
{
	memcpy(img, "\177ELF", 4);
	img[4] = s->is64 ? 2 : 1;
	img[5] = 1;
	img[6] = 1;
	put(16, 2, 2);				/* ET_EXEC */
	put(18, s->is64 ? 62 : 3, 2);
	put(20, 1, 4);
	if (s->is64) {
		put(24, 0xffffffff81000000ull, 8);
		put(32, PHOFF, 8);
		put(52, 64, 2);
		put(54, 56, 2);
		put(56, phnum, 2);
	} else {
		put(24, 0xc1000000u, 4);
		put(28, PHOFF, 4);
		put(40, 52, 2);
		put(42, 32, 2);
		put(44, phnum, 2);
	}
}

static void build_phdr(const struct spec *s, unsigned int i, uint32_t type,
		       uint64_t off, uint64_t paddr, uint64_t filesz,
		       uint64_t memsz, uint64_t align)
{
	size_t p = PHOFF + i * (s->is64 ? 56 : 32);

	put(p, type, 4);
	if (s->is64) {
		put(p + 8, off, 8);
		put(p + 16, paddr + 0xffffffff80000000ull, 8);
		put(p + 24, paddr, 8);
		put(p + 32, filesz, 8);
		put(p + 40, memsz, 8);
		put(p + 48, align, 8);
	} else {
		put(p + 4, off, 4);
		put(p + 8, paddr + 0xc0000000u, 4);
		put(p + 12, paddr, 4);
		put(p + 16, filesz, 4);
		put(p + 20, memsz, 4);
		put(p + 28, align, 4);
	}
}

/* Two section headers: a null one and the SHT_NOTE. */
static void build_shdrs(const struct spec *s, size_t notes_len)
{
	size_t sh = s->is64 ? 64 : 40, p = SHOFF + sh;

	put(p + 4, 7, 4);			/* SHT_NOTE */
	if (s->is64) {
		put(40, SHOFF, 8);
		put(58, sh, 2);
		put(60, 2, 2);
		put(p + 24, NOTE_OFF, 8);
		put(p + 32, notes_len, 8);
		put(p + 48, 4, 8);
	} else {
		put(32, SHOFF, 4);
		put(46, sh, 2);
		put(48, 2, 2);
		put(p + 16, NOTE_OFF, 4);
		put(p + 20, notes_len, 4);
		put(p + 32, 4, 4);
	}
}

static void build(const struct spec *s)
{
	unsigned int i, phnum = s->nr_loads;
	size_t notes_len = 0;

	memset(img, 0, sizeof(img));
	for (i = DATA_OFF; i < IMG_SIZE; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	if (s->note)
		notes_len = build_notes(s);
	if (s->note && !s->note_in_section)
		phnum++;
	build_ehdr(s, phnum);
	for (i = 0; i < s->nr_loads; i++)
		build_phdr(s, i, 1, s->load[i].off, s->load[i].paddr,
			   s->load[i].filesz, s->load[i].memsz, 0x1000);
	if (s->note && !s->note_in_section)
		build_phdr(s, i, 4, NOTE_OFF, 0, notes_len, notes_len, 4);
	if (s->note && s->note_in_section)
		build_shdrs(s, notes_len);
	img_len = IMG_SIZE;
}

/* A PVH kernel: text at 16 MiB, data plus BSS above it. */
static struct spec good(bool is64)
{
	struct spec s = {
		.is64 = is64, .nr_loads = 2,
		.load = { { DATA_OFF, 0x1000000, 0x1000, 0x1000 },
			  { DATA_OFF + 0x1000, 0x1200000, 0x800, 0x5000 } },
		.note = true, .entry_size = is64 ? 8 : 4, .entry = 0x1000040,
	};
	return s;
}

static int parse(void)
{
	harness_log_clear();
	return elf_parse(img, img_len, &plan);
}

#define EXPECT_ERR(err, text) do {					\
	int rc__ = parse();						\
	ck_assert_int_eq(rc__, (err));					\
	ck_assert_msg(harness_log_has(text), "log: %s", harness_log);	\
} while (0)

START_TEST(valid_elf64)
{
	struct spec s = good(true);

	build(&s);
	ck_assert_int_eq(parse(), 0);
	ck_assert(plan.is64);
	ck_assert_uint_eq(plan.entry, 0x1000040);
	ck_assert_uint_eq(plan.e_entry, 0xffffffff81000000ull);
	ck_assert_uint_eq(plan.nr_segs, 2);
	ck_assert_uint_eq(plan.segs[0].paddr, 0x1000000);
	ck_assert_ptr_eq(plan.segs[0].src, img + DATA_OFF);
	ck_assert_uint_eq(plan.segs[1].filesz, 0x800);
	ck_assert_uint_eq(plan.segs[1].memsz, 0x5000);
	ck_assert_uint_eq(plan.paddr_start, 0x1000000);
	ck_assert_uint_eq(plan.paddr_end, 0x1205000);
	ck_assert_str_eq(plan.notes.guest_os, "linux");
	ck_assert_str_eq(plan.notes.features, "!writable_page_tables");
	ck_assert(plan.notes.has_supported_features);
	ck_assert_uint_eq(plan.notes.supported_features, 0x25);
}
END_TEST

START_TEST(valid_elf32)
{
	struct spec s = good(false);

	build(&s);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!plan.is64);
	ck_assert_uint_eq(plan.entry, 0x1000040);
	ck_assert_uint_eq(plan.e_entry, 0xc1000000u);
	ck_assert_uint_eq(plan.nr_segs, 2);
	ck_assert_str_eq(plan.notes.guest_os, "linux");
}
END_TEST

START_TEST(note_in_section)
{
	struct spec s = good(_i);

	s.note_in_section = true;
	build(&s);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(plan.entry, 0x1000040);
}
END_TEST

START_TEST(not_pvh)
{
	struct spec s = good(_i);

	s.note = false;
	build(&s);
	EXPECT_ERR(-ENOEXEC, "not a PVH kernel");
}
END_TEST

START_TEST(bad_ident)
{
	struct spec s = good(true);

	build(&s);
	img[0] = 0x7e;
	EXPECT_ERR(-ENOEXEC, "no ELF magic");
	build(&s);
	img[4] = 3;
	EXPECT_ERR(-ENOEXEC, "bad class");
	build(&s);
	img[5] = 2;
	EXPECT_ERR(-ENOEXEC, "little-endian");
	build(&s);
	put(18, 3, 2);				/* EM_386 in an ELF64 */
	EXPECT_ERR(-ENOEXEC, "not x86");
	build(&s);
	put(16, 1, 2);				/* ET_REL */
	EXPECT_ERR(-ENOEXEC, "not an executable");
	build(&s);
	img_len = 10;
	EXPECT_ERR(-ENOEXEC, "no ELF magic");
	img_len = 63;
	EXPECT_ERR(-EINVAL, "truncated ELF header");
}
END_TEST

START_TEST(bad_phdr_table)
{
	struct spec s = good(true);

	build(&s);
	put(56, 0, 2);
	EXPECT_ERR(-EINVAL, "0 program headers");
	put(56, ELF_MAX_PHDRS + 1, 2);
	EXPECT_ERR(-E2BIG, "program headers");
	put(56, 0xffff, 2);
	EXPECT_ERR(-EINVAL, "program headers");
	build(&s);
	put(54, 55, 2);
	EXPECT_ERR(-EINVAL, "program header size 55");
	build(&s);
	put(32, IMG_SIZE - 100, 8);
	EXPECT_ERR(-EINVAL, "program headers outside");
	put(32, UINT64_MAX - 8, 8);
	EXPECT_ERR(-EINVAL, "program headers outside");
	build(&s);
	img_len = PHOFF + 56 * 2;		/* cuts the third header */
	EXPECT_ERR(-EINVAL, "program headers outside");
}
END_TEST

START_TEST(segment_outside_image)
{
	struct spec s = good(_i);

	s.load[1].filesz = IMG_SIZE;
	s.load[1].memsz = IMG_SIZE;
	build(&s);
	EXPECT_ERR(-EINVAL, "outside the");
	s = good(_i);
	s.load[0].off = s.is64 ? UINT64_MAX - 0x10 : UINT32_MAX - 0x10;
	build(&s);
	EXPECT_ERR(-EINVAL, "outside the");
}
END_TEST

START_TEST(filesz_above_memsz)
{
	struct spec s = good(_i);

	s.load[1].memsz = 0x100;
	build(&s);
	EXPECT_ERR(-EINVAL, "file size above memory size");
}
END_TEST

START_TEST(overlap)
{
	struct spec s = good(_i);

	s.load[1].paddr = 0x1000800;
	build(&s);
	EXPECT_ERR(-EINVAL, "segments overlap");
	s.load[1].paddr = 0xffc000;		/* ends inside the first */
	build(&s);
	EXPECT_ERR(-EINVAL, "segments overlap");
	s.load[1].paddr = 0x1000000 - 0x5000;	/* touches: fine */
	build(&s);
	ck_assert_int_eq(parse(), 0);
}
END_TEST

START_TEST(address_wrap)
{
	struct spec s = good(_i);

	s.load[1].paddr = s.is64 ? UINT64_MAX - 0x1000 : 0xffffe000u;
	build(&s);
	EXPECT_ERR(-EINVAL, "wraps");
}
END_TEST

START_TEST(huge_sizes)
{
	struct spec s = good(true);

	s.load[1].memsz = ELF_MAX_MEM + 1;
	build(&s);
	EXPECT_ERR(-E2BIG, "segment 1 is");
	s.load[1].memsz = UINT64_MAX;
	build(&s);
	EXPECT_ERR(-E2BIG, "segment 1 is");
	s.load[1].memsz = ELF_MAX_MEM - 0x800;	/* sum above the limit */
	build(&s);
	EXPECT_ERR(-E2BIG, "need more than");
}
END_TEST

START_TEST(entry_not_loaded)
{
	struct spec s = good(_i);

	s.entry = 0x2000000;
	build(&s);
	EXPECT_ERR(-ENOEXEC, "outside the loaded");
	s.entry = 0x1201000;			/* in BSS: no code there */
	build(&s);
	EXPECT_ERR(-ENOEXEC, "outside the loaded");
}
END_TEST

START_TEST(bad_notes)
{
	struct spec s = good(true);

	s.entry_size = 2;
	build(&s);
	EXPECT_ERR(-EINVAL, "bad PHYS32_ENTRY");
	s = good(true);
	s.entry = 0x100000000ull;
	build(&s);
	EXPECT_ERR(-EINVAL, "bad PHYS32_ENTRY");
	s = good(true);
	build(&s);
	put(NOTE_OFF + 4, 0x7ffffff0, 4);	/* descsz past the end */
	EXPECT_ERR(-EINVAL, "note runs past");
	build(&s);
	put(NOTE_OFF, 0xfffffffd, 4);		/* namesz wraps when padded */
	EXPECT_ERR(-EINVAL, "note runs past");
	build(&s);
	put(PHOFF + 2 * 56 + 32, IMG_SIZE, 8);	/* PT_NOTE filesz */
	EXPECT_ERR(-EINVAL, "note segment 2 outside");
}
END_TEST

START_TEST(bad_section_table)
{
	struct spec s = good(true);

	s.note_in_section = true;
	build(&s);
	put(58, 40, 2);
	EXPECT_ERR(-EINVAL, "bad section header table");
	build(&s);
	put(40, IMG_SIZE - 64, 8);
	EXPECT_ERR(-EINVAL, "bad section header table");
	build(&s);
	put(SHOFF + 64 + 24, IMG_SIZE, 8);
	EXPECT_ERR(-EINVAL, "note section 1 outside");
}
END_TEST

START_TEST(too_many_segments)
{
	struct spec s = good(true);
	unsigned int i;

	build(&s);
	put(56, ELF_MAX_SEGMENTS + 2, 2);
	for (i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		build_phdr(&s, i, 1, DATA_OFF, 0x1000000 + i * 0x1000, 0x10,
			   0x10, 0x1000);
	EXPECT_ERR(-E2BIG, "more than 16 loadable");
}
END_TEST

/* Guest memory for elf_load_into(): 64 KiB from guest address 16 MiB. */
struct guest {
	uint8_t mem[0x10000];
	unsigned int calls, fail_at;
};

static int guest_check(struct guest *g, uint64_t gpa, size_t len)
{
	if (++g->calls == g->fail_at)
		return -EIO;
	ck_assert_uint_ge(gpa, 0x1000000);
	ck_assert_uint_le(gpa - 0x1000000 + len, sizeof(g->mem));
	return 0;
}

static int guest_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	struct guest *g = ctx;
	int rc = guest_check(g, gpa, len);

	if (!rc)
		memcpy(g->mem + gpa - 0x1000000, src, len);
	return rc;
}

static int guest_zero(void *ctx, uint64_t gpa, size_t len)
{
	struct guest *g = ctx;
	int rc = guest_check(g, gpa, len);

	if (!rc)
		memset(g->mem + gpa - 0x1000000, 0, len);
	return rc;
}

START_TEST(load_into)
{
	struct spec s = good(_i);
	static struct guest g;

	s.load[1].paddr = 0x1008000;
	build(&s);
	ck_assert_int_eq(parse(), 0);
	memset(&g, 0xaa, sizeof(g));
	g.calls = 0;
	g.fail_at = 0;
	ck_assert_int_eq(elf_load_into(&plan, guest_write, guest_zero, &g), 0);
	ck_assert_uint_eq(g.calls, 2 + 1);	/* two copies, one zeroing */
	ck_assert(!memcmp(g.mem, img + DATA_OFF, 0x1000));
	ck_assert(!memcmp(g.mem + 0x8000, img + DATA_OFF + 0x1000, 0x800));
	ck_assert_uint_eq(g.mem[0x8800], 0);
	ck_assert_uint_eq(g.mem[0xcfff], 0);
	ck_assert_uint_eq(g.mem[0xd000], 0xaa);	/* past memsz untouched */
	ck_assert_uint_eq(g.mem[0x1000], 0xaa);	/* the gap untouched */
	g.calls = 0;
	g.fail_at = 2;
	ck_assert_int_eq(elf_load_into(&plan, guest_write, guest_zero, &g),
			 -EIO);
	ck_assert_uint_eq(g.calls, 2);
}
END_TEST

/*
 * Random byte and field mutations of a good image: elf_parse() must
 * return 0 or a negative errno and never touch memory outside the image
 * (the image is copied to an exactly sized heap block, so ASan sees any
 * overrun).
 */
START_TEST(mutations)
{
	unsigned int iter, k, n;
	uint8_t *copy;
	int rc;

	srandom(1234 + _i);
	for (iter = 0; iter < 3000; iter++) {
		struct spec s = good(_i);

		s.note_in_section = iter & 1;
		build(&s);
		n = 1 + random() % 8;
		for (k = 0; k < n; k++) {
			size_t span = iter & 2 ? 0x100 : NOTE_OFF + 0x100;
			size_t off = random() % span;

			img[off] = random() & 1 ? (uint8_t)random() : 0xff;
		}
		img_len = random() % 4 ? IMG_SIZE : random() % IMG_SIZE;
		copy = malloc(img_len ? img_len : 1);
		memcpy(copy, img, img_len);
		harness_log_clear();
		rc = elf_parse(copy, img_len, &plan);
		ck_assert_int_le(rc, 0);
		free(copy);
	}
}
END_TEST

/* A real ELF executable from the host: valid, but not a PVH kernel. */
START_TEST(host_binary)
{
	FILE *f = fopen("/bin/true", "rb");
	static uint8_t buf[1 << 20];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	harness_log_clear();
	ck_assert_int_eq(elf_parse(buf, n, &plan), -ENOEXEC);
	ck_assert_msg(harness_log_has("not a PVH kernel"), "%s", harness_log);
	ck_assert_uint_ge(plan.nr_segs, 2);
}
END_TEST

SUITE(elf)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("elf");

	tcase_add_test(tc, valid_elf64);
	tcase_add_test(tc, valid_elf32);
	tcase_add_loop_test(tc, note_in_section, 0, 2);
	tcase_add_loop_test(tc, not_pvh, 0, 2);
	tcase_add_test(tc, bad_ident);
	tcase_add_test(tc, bad_phdr_table);
	tcase_add_loop_test(tc, segment_outside_image, 0, 2);
	tcase_add_loop_test(tc, filesz_above_memsz, 0, 2);
	tcase_add_loop_test(tc, overlap, 0, 2);
	tcase_add_loop_test(tc, address_wrap, 0, 2);
	tcase_add_test(tc, huge_sizes);
	tcase_add_loop_test(tc, entry_not_loaded, 0, 2);
	tcase_add_test(tc, bad_notes);
	tcase_add_test(tc, bad_section_table);
	tcase_add_test(tc, too_many_segments);
	tcase_add_loop_test(tc, load_into, 0, 2);
	tcase_add_loop_test(tc, mutations, 0, 2);
	tcase_add_test(tc, host_binary);
	suite_add_tcase(s, tc);
	return s;
}
