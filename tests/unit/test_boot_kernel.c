// SPDX-License-Identifier: GPL-2.0
/*
 * Boot kernels (common/boot_kernel.c) over the real page allocator and
 * heap in simulated machine memory: plain ELF, bzImage around an ELF
 * (made here with liblzma's encoder), Debian's own vmlinuz, and every
 * failure, each of which must give back every page it took.
 */
#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>

#include "harness.h"
#include <lamina/boot_kernel.h>
#include <lamina/errno.h>
#include <lamina/page_alloc.h>
#include <xen/elfnote.h>

#define LOAD_PADDR	0x100000
#define ENTRY		(LOAD_PADDR + 0x10)
#define DATA_OFF	0x1000

static struct page_info *ft;
static unsigned long baseline;

/* Machine memory of frames pages, of which [first, frames) are free. */
static void setup_memory_from(unsigned long frames, unsigned long first)
{
	harness_machine_memory(0, frames * PAGE_SIZE);
	free(ft);
	ft = calloc(frames, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, frames);
	page_alloc_add_free(first, frames - first);
	baseline = page_alloc_free_pages();
}

static void setup_memory(unsigned long frames)
{
	setup_memory_from(frames, 1);
}

static void setup(void)
{
	setup_memory(MiB(32) >> PAGE_SHIFT);
}

static void teardown(void)
{
	free(ft);
	ft = NULL;
	harness_machine_memory_free();
}

/* ---- images ------------------------------------------------------------- */

struct note {
	Elf64_Nhdr h;
	char name[4];
	uint32_t desc;
};

/*
 * An ELF64 PVH kernel of len bytes: one PT_LOAD of the data from
 * DATA_OFF to the end at LOAD_PADDR, and a PT_NOTE with the Xen
 * PHYS32_ENTRY note (unless !pvh).
 */
static uint8_t *make_elf(size_t len, bool pvh)
{
	uint8_t *img = calloc(1, len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	struct note *n = (struct note *)(ph + 2);
	size_t i;

	ck_assert_ptr_nonnull(img);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = ENTRY;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = DATA_OFF,
		.p_paddr = LOAD_PADDR, .p_vaddr = LOAD_PADDR,
		.p_filesz = len - DATA_OFF, .p_memsz = len - DATA_OFF + 0x2000,
		.p_align = 0x1000, .p_flags = PF_R | PF_X };
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE,
		.p_offset = (uint8_t *)n - img, .p_filesz = sizeof(*n),
		.p_align = 4 };
	n->h = (Elf64_Nhdr){ .n_namesz = 4, .n_descsz = 4,
		.n_type = pvh ? XEN_ELFNOTE_PHYS32_ENTRY :
				XEN_ELFNOTE_GUEST_OS };
	memcpy(n->name, "Xen", 4);
	n->desc = ENTRY;
	/* Varied data, then zeros: big images stay quick to compress. */
	for (i = DATA_OFF; i < len && i < DATA_OFF + 0x10000; i++)
		img[i] = (uint8_t)(i % 241 ^ i >> 12);
	return img;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A bzImage (protocol 2.15, 1 setup sector) around data[0, len). */
static uint8_t *make_bzimage(const void *data, size_t len, size_t *out_len)
{
	size_t xz_max = len + len / 2 + 4096, xz_len = 0;
	uint8_t *xz = malloc(xz_max), *img;

	ck_assert_ptr_nonnull(xz);
	ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL,
						 data, len, xz, &xz_len,
						 xz_max), LZMA_OK);
	*out_len = 1024 + xz_len + 4;
	img = calloc(1, *out_len);
	ck_assert_ptr_nonnull(img);
	img[0x1f1] = 1;
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f;
	img[0x207] = 0x02;
	put32(img + 0x248, 0);			/* payload at 1024 */
	put32(img + 0x24c, xz_len + 4);
	memcpy(img + 1024, xz, xz_len);
	put32(img + 1024 + xz_len, len);
	free(xz);
	return img;
}

static struct boot_kernel k;

static int prepare(const void *img, size_t len)
{
	harness_log_clear();
	return boot_kernel_prepare(img, len, &k);
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(plain_elf)
{
	uint8_t *elf = make_elf(0x5000, true);

	ck_assert_int_eq(prepare(elf, 0x5000), 0);
	ck_assert(!k.is_bzimage);
	ck_assert_ptr_null(k.scratch);
	ck_assert_uint_eq(k.plan.entry, ENTRY);
	ck_assert_uint_eq(k.plan.paddr_start, LOAD_PADDR);
	ck_assert_uint_eq(k.plan.paddr_end, LOAD_PADDR + 0x6000);
	ck_assert_ptr_eq(k.plan.segs[0].src, elf + DATA_OFF);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	boot_kernel_release(&k);
	free(elf);
}
END_TEST

START_TEST(bzimage_elf)
{
	size_t elf_len = 0x23456, bz_len;
	uint8_t *elf = make_elf(elf_len, true);
	uint8_t *bz = make_bzimage(elf, elf_len, &bz_len);

	ck_assert_int_eq(prepare(bz, bz_len), 0);
	ck_assert(k.is_bzimage);
	ck_assert_uint_eq(k.elf_len, elf_len);
	ck_assert_uint_lt(k.xz_len, bz_len);
	ck_assert_uint_eq(k.scratch_pages, PFN_UP(elf_len));
	/* Only the scratch pages stay: liblzma's blocks are back. */
	ck_assert_uint_eq(page_alloc_free_pages(), baseline - k.scratch_pages);
	ck_assert_mem_eq(page_to_virt(k.scratch), elf, elf_len);
	ck_assert_uint_eq(k.plan.entry, ENTRY);
	ck_assert_ptr_eq(k.plan.segs[0].src,
			 (uint8_t *)page_to_virt(k.scratch) + DATA_OFF);
	boot_kernel_release(&k);
	ck_assert_ptr_null(k.scratch);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	boot_kernel_release(&k);	/* twice: nothing happens */
	free(bz);
	free(elf);
}
END_TEST

/* The decompressed kernel needs more contiguous memory than there is. */
START_TEST(no_memory_for_output)
{
	size_t elf_len = MiB(40), bz_len;
	uint8_t *elf = make_elf(elf_len, true);
	uint8_t *bz = make_bzimage(elf, elf_len, &bz_len);

	ck_assert_int_eq(prepare(bz, bz_len), -ENOMEM);
	ck_assert(harness_log_has("bzImage: no 40 contiguous MiB free for "
				  "the decompressed kernel (31 MiB free"));
	ck_assert_ptr_null(k.scratch);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
	free(elf);
}
END_TEST

/* Room for the output, none for liblzma's 8 MiB dictionary (preset 6). */
START_TEST(no_memory_for_dictionary)
{
	size_t elf_len = 0x20000, bz_len;
	uint8_t *elf = make_elf(elf_len, true);
	uint8_t *bz = make_bzimage(elf, elf_len, &bz_len);

	setup_memory(MiB(4) >> PAGE_SHIFT);
	ck_assert_int_eq(prepare(bz, bz_len), -ENOMEM);
	ck_assert(harness_log_has("xz: out of memory"));
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
	free(elf);
}
END_TEST

START_TEST(corrupt_payload)
{
	size_t elf_len = 0x8000, bz_len;
	uint8_t *elf = make_elf(elf_len, true);
	uint8_t *bz = make_bzimage(elf, elf_len, &bz_len);

	bz[1024 + 200] ^= 0x55;
	ck_assert_int_eq(prepare(bz, bz_len), -EINVAL);
	ck_assert(harness_log_has("xz: "));
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
	free(elf);
}
END_TEST

/* A bzImage whose ELF has no PHYS32_ENTRY note: not a PVH kernel. */
START_TEST(bzimage_not_pvh)
{
	size_t elf_len = 0x8000, bz_len;
	uint8_t *elf = make_elf(elf_len, false);
	uint8_t *bz = make_bzimage(elf, elf_len, &bz_len);

	ck_assert_int_eq(prepare(bz, bz_len), -ENOEXEC);
	ck_assert(harness_log_has("elf: not a PVH kernel"));
	ck_assert_ptr_null(k.scratch);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
	free(elf);
}
END_TEST

/* A bzImage around something that is not an ELF at all. */
START_TEST(bzimage_not_elf)
{
	static uint8_t junk[0x3000];
	size_t bz_len;
	uint8_t *bz;

	memset(junk, 0x5a, sizeof(junk));
	bz = make_bzimage(junk, sizeof(junk), &bz_len);
	ck_assert_int_eq(prepare(bz, bz_len), -ENOEXEC);
	ck_assert(harness_log_has("elf: no ELF magic"));
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
}
END_TEST

START_TEST(neither_elf_nor_bzimage)
{
	static uint8_t junk[4096];

	memset(junk, 0xa5, sizeof(junk));
	ck_assert_int_eq(prepare(junk, sizeof(junk)), -ENOEXEC);
	ck_assert_int_eq(prepare(junk, 3), -ENOEXEC);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

/* A gzip bzImage: refused by the parser before any allocation. */
START_TEST(bzimage_gzip)
{
	size_t bz_len;
	uint8_t *elf = make_elf(0x3000, true);
	uint8_t *bz = make_bzimage(elf, 0x3000, &bz_len);

	bz[1024] = 0x1f;
	bz[1025] = 0x8b;
	ck_assert_int_eq(prepare(bz, bz_len), -EOPNOTSUPP);
	ck_assert(harness_log_has("gzip-compressed payload not supported"));
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(bz);
	free(elf);
}
END_TEST

/* The heap: small blocks from xmalloc, big ones as page runs, bounded. */
START_TEST(heap)
{
	void *small, *big[BOOT_HEAP_BIG];
	unsigned int i;

	small = boot_loader_heap.alloc(100);
	ck_assert_ptr_nonnull(small);
	ck_assert(!IS_ALIGNED((uintptr_t)small, PAGE_SIZE));
	for (i = 0; i < BOOT_HEAP_BIG; i++) {
		big[i] = boot_loader_heap.alloc(PAGE_SIZE + 1);
		ck_assert_ptr_nonnull(big[i]);
		ck_assert(IS_ALIGNED((uintptr_t)big[i], PAGE_SIZE));
		memset(big[i], 0x77, PAGE_SIZE + 1);
	}
	ck_assert_ptr_null(boot_loader_heap.alloc(PAGE_SIZE + 1));
	ck_assert_ptr_null(boot_loader_heap.alloc(GiB(2)));
	for (i = 0; i < BOOT_HEAP_BIG; i++)
		boot_loader_heap.free(big[i]);
	boot_loader_heap.free(NULL);
	boot_loader_heap.free(small);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	big[0] = boot_loader_heap.alloc(MiB(3) + 5);	/* 769 pages */
	ck_assert_uint_eq(page_alloc_free_pages(), baseline - 769);
	boot_loader_heap.free(big[0]);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

/* The newest /boot/vmlinuz-*, read whole; NULL if there is none. */
static uint8_t *read_debian_kernel(size_t *len)
{
	char path[512] = "", best[256] = "";
	struct dirent *de;
	DIR *dir = opendir("/boot");
	uint8_t *buf;
	FILE *f;

	if (!dir)
		return NULL;
	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, "vmlinuz-", 8) &&
		    strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	closedir(dir);
	if (!best[0])
		return NULL;
	snprintf(path, sizeof(path), "/boot/%s", best);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* Debian's kernel: 66 MB out, a 32 MiB dictionary, all from pages. */
START_TEST(debian_kernel)
{
	size_t len = 0;
	uint8_t *img = read_debian_kernel(&len);

	ck_assert_msg(img, "no /boot/vmlinuz-*: apt-get install "
		      "linux-image-amd64");
	setup_memory(MiB(192) >> PAGE_SHIFT);	/* two order-14 blocks */
	ck_assert_int_eq(prepare(img, len), 0);
	ck_assert(k.is_bzimage);
	ck_assert_uint_gt(k.elf_len, MiB(40));
	ck_assert(k.plan.notes.has_phys32_entry);
	ck_assert_uint_eq(k.plan.entry, k.plan.notes.phys32_entry);
	ck_assert_uint_eq(k.plan.paddr_start, 0x1000000);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline - k.scratch_pages);
	boot_kernel_release(&k);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	/* 80 MiB free: 64 MiB for the output, then 16 MiB and its unused
	 * tail, where the 32 MiB dictionary does not fit. */
	setup_memory_from(MiB(144) >> PAGE_SHIFT, MiB(64) >> PAGE_SHIFT);
	ck_assert_int_eq(prepare(img, len), -ENOMEM);
	ck_assert(harness_log_has("xz: out of memory"));
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	free(img);
}
END_TEST

SUITE(boot_kernel)
{
	Suite *s = suite_create("boot_kernel");
	TCase *tc = tcase_create("images");
	TCase *real = tcase_create("debian-kernel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, plain_elf);
	tcase_add_test(tc, bzimage_elf);
	tcase_add_test(tc, no_memory_for_output);
	tcase_add_test(tc, no_memory_for_dictionary);
	tcase_add_test(tc, corrupt_payload);
	tcase_add_test(tc, bzimage_not_pvh);
	tcase_add_test(tc, bzimage_not_elf);
	tcase_add_test(tc, neither_elf_nor_bzimage);
	tcase_add_test(tc, bzimage_gzip);
	tcase_add_test(tc, heap);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(real, NULL, teardown);
	tcase_set_timeout(real, 300);
	tcase_add_test(real, debian_kernel);
	suite_add_tcase(s, real);
	return s;
}
