// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH boot layout and start info (common/pvh_start_info.c) over
 * simulated guest memory: a host buffer standing for guest RAM [0, size),
 * written only through the callback, which refuses anything outside it.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/errno.h>
#include <lamina/mm.h>
#include <lamina/pvh_start_info.h>
#include <xen/xen.h>

static uint8_t *gmem;
static size_t gmem_size;
static unsigned int nr_writes;

static int gwrite(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	nr_writes++;
	if (gpa > gmem_size || len > gmem_size - gpa)
		return -EFAULT;
	memcpy(gmem + gpa, src, len);
	return 0;
}

static void gmem_alloc(size_t size)
{
	free(gmem);
	gmem = calloc(1, size);
	ck_assert_ptr_nonnull(gmem);
	gmem_size = size;
	nr_writes = 0;
}

static void teardown(void)
{
	free(gmem);
	gmem = NULL;
	gmem_size = 0;
}

/* A small domain: 64 MiB, a kernel at 16 MiB like Linux's. */
static struct pvh_guest linux_like(void)
{
	return (struct pvh_guest){
		.domid = 3, .mem = MiB(64), .kernel_start = MiB(16),
		.kernel_end = MiB(16) + 0x123456, .cmdline = "console=hvc0",
		.flags = SIF_PRIVILEGED | SIF_INITDOMAIN,
	};
}

static int layout(const struct pvh_guest *g, struct pvh_layout *l)
{
	harness_log_clear();
	return pvh_layout(g, l);
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/* The invariants every successful layout keeps. */
static void check_layout(const struct pvh_guest *g, const struct pvh_layout *l)
{
	ck_assert_uint_ge(l->data_start, PVH_LEGACY_END);
	ck_assert(IS_ALIGNED(l->data_start, PAGE_SIZE));
	ck_assert_uint_le(l->data_end, PVH_DATA_LIMIT);
	ck_assert_uint_le(l->data_end, l->ram_low_end);
	ck_assert(!overlaps(l->data_start, l->data_end, g->kernel_start,
			    g->kernel_end));
	ck_assert_uint_eq(l->start_info + sizeof(struct hvm_start_info),
			  l->data_end);
	ck_assert(IS_ALIGNED(l->start_info, 8));
	ck_assert(IS_ALIGNED(l->memmap, 8));
	if (g->initrd) {
		ck_assert_uint_eq(l->initrd, l->data_start);
		ck_assert(IS_ALIGNED(l->modlist, 8));
	}
}

START_TEST(small_domain)
{
	struct pvh_guest g = linux_like();
	const struct hvm_start_info *si;
	const struct hvm_memmap_table_entry *map;
	struct pvh_layout l;

	gmem_alloc(g.mem);
	memset(gmem + g.kernel_start, 0xcc, g.kernel_end - g.kernel_start);
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_uint_eq(l.ram_low_end, MiB(64));
	ck_assert_uint_eq(l.ram_high_end, 0);
	ck_assert_uint_eq(l.data_start, MiB(1));	/* below the kernel */
	ck_assert_uint_eq(l.initrd, 0);
	ck_assert_uint_eq(l.modlist, 0);
	ck_assert_int_eq(pvh_write(&g, &l, gwrite, NULL), 0);

	si = (const void *)(gmem + l.start_info);
	ck_assert_uint_eq(si->magic, XEN_HVM_START_MAGIC_VALUE);
	ck_assert_uint_eq(si->version, 1);
	ck_assert_uint_eq(si->flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
	ck_assert_uint_eq(si->nr_modules, 0);
	ck_assert_uint_eq(si->modlist_paddr, 0);
	ck_assert_uint_eq(si->rsdp_paddr, 0);
	ck_assert_uint_eq(si->reserved, 0);
	ck_assert_str_eq((const char *)gmem + si->cmdline_paddr,
			 "console=hvc0");
	ck_assert_uint_eq(si->memmap_entries, 3);
	map = (const void *)(gmem + si->memmap_paddr);
	ck_assert_uint_eq(map[0].addr, 0);
	ck_assert_uint_eq(map[0].size, 0xA0000);
	ck_assert_uint_eq(map[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	ck_assert_uint_eq(map[1].addr, 0xA0000);
	ck_assert_uint_eq(map[1].size, 0x60000);
	ck_assert_uint_eq(map[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	ck_assert_uint_eq(map[2].addr, MiB(1));
	ck_assert_uint_eq(map[2].size, MiB(63));
	ck_assert_uint_eq(map[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
	/* The kernel is untouched. */
	ck_assert_uint_eq(gmem[g.kernel_start], 0xcc);
	ck_assert_uint_eq(gmem[g.kernel_end - 1], 0xcc);
}
END_TEST

START_TEST(initrd_and_strings)
{
	struct pvh_guest g = linux_like();
	static uint8_t initrd[5000];
	const struct hvm_start_info *si;
	const struct hvm_modlist_entry *mod;
	struct pvh_layout l;
	unsigned int i;

	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 7);
	g.initrd = initrd;
	g.initrd_len = sizeof(initrd);
	g.initrd_cmdline = "initrd-arg=1";
	g.acpi_size = 600;
	gmem_alloc(g.mem);
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_int_eq(pvh_write(&g, &l, gwrite, NULL), 0);
	si = (const void *)(gmem + l.start_info);
	ck_assert_uint_eq(si->nr_modules, 1);
	ck_assert_uint_eq(si->rsdp_paddr, 0xe0000);
	mod = (const void *)(gmem + si->modlist_paddr);
	ck_assert_uint_eq(mod->paddr, MiB(1));
	ck_assert_uint_eq(mod->size, sizeof(initrd));
	ck_assert_uint_eq(mod->reserved, 0);
	ck_assert_mem_eq(gmem + mod->paddr, initrd, sizeof(initrd));
	ck_assert_str_eq((const char *)gmem + mod->cmdline_paddr,
			 "initrd-arg=1");
	ck_assert_str_eq((const char *)gmem + si->cmdline_paddr,
			 "console=hvc0");
	ck_assert_uint_gt(si->cmdline_paddr, mod->paddr + mod->size - 1);
}
END_TEST

/* No strings: their addresses are 0, nothing is written for them. */
START_TEST(empty_strings)
{
	struct pvh_guest g = linux_like();
	static uint8_t initrd[100];
	const struct hvm_modlist_entry *mod;
	struct pvh_layout l;

	g.cmdline = "";
	g.initrd = initrd;
	g.initrd_len = sizeof(initrd);
	gmem_alloc(g.mem);
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.cmdline, 0);
	ck_assert_uint_eq(l.initrd_cmdline, 0);
	ck_assert_int_eq(pvh_write(&g, &l, gwrite, NULL), 0);
	mod = (const void *)(gmem + l.modlist);
	ck_assert_uint_eq(mod->cmdline_paddr, 0);
	g.cmdline = NULL;
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.cmdline, 0);
}
END_TEST

/* An initrd too big for the space below the kernel goes above it. */
START_TEST(big_initrd_above_kernel)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.initrd = "";		/* layout only: never written */
	g.initrd_len = MiB(15);
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_uint_eq(l.data_start, ALIGN_UP(g.kernel_end, PAGE_SIZE));
	/* Just fits below: 15 MiB less the start info and lists. */
	g.initrd_len = MiB(15) - PAGE_SIZE;
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.data_start, MiB(1));
}
END_TEST

START_TEST(memory_above_4g)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.mem = GiB(6);
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_uint_eq(l.ram_low_end, 0xF0000000);
	ck_assert_uint_eq(l.ram_high_end, GiB(4) + GiB(6) - 0xF0000000);
	ck_assert_uint_eq(l.nr_memmap, 4);
	ck_assert_uint_eq(l.map[3].addr, GiB(4));
	ck_assert_uint_eq(l.map[3].size, GiB(6) - 0xF0000000);
	ck_assert_uint_eq(l.map[2].addr + l.map[2].size, 0xF0000000);
	g.mem = 0xF0000000;		/* exactly the low RAM */
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.ram_high_end, 0);
	ck_assert_uint_eq(l.nr_memmap, 3);
}
END_TEST

/* An unprivileged domain's map reserves Xen's special pages (the console
 * ring's gfn among them), between low RAM and RAM above 4 GiB. */
START_TEST(special_pages_reserved)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;
	unsigned int i;

	g.flags = 0;
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_uint_eq(l.nr_memmap, 4);
	ck_assert_uint_eq(l.map[3].addr, 0xFEFF8000);
	ck_assert_uint_eq(l.map[3].size, 0x8000);
	ck_assert_uint_eq(l.map[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	ck_assert_uint_ge((uint64_t)PVH_CONSOLE_GFN << 12, l.map[3].addr);
	ck_assert_uint_lt((uint64_t)PVH_CONSOLE_GFN << 12,
			  l.map[3].addr + l.map[3].size);
	g.mem = GiB(6);
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	ck_assert_uint_eq(l.nr_memmap, 5);
	ck_assert_uint_eq(l.map[3].addr, 0xFEFF8000);
	ck_assert_uint_eq(l.map[4].addr, GiB(4));
	/* In address order, and no RAM entry covers the console page. */
	for (i = 0; i < l.nr_memmap; i++) {
		if (i)
			ck_assert_uint_ge(l.map[i].addr, l.map[i - 1].addr +
					  l.map[i - 1].size);
		if (l.map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			ck_assert(PVH_CONSOLE_GFN << 12 < l.map[i].addr ||
				  PVH_CONSOLE_GFN << 12 >=
				  l.map[i].addr + l.map[i].size);
	}
}
END_TEST

START_TEST(bad_memory_sizes)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.mem = 0;
	ck_assert_int_eq(layout(&g, &l), -ENOMEM);
	ck_assert(harness_log_has("d3: memory of 0 KiB, at least 2 MiB"));
	g.mem = MiB(1);
	ck_assert_int_eq(layout(&g, &l), -ENOMEM);
	g.mem = MiB(64) + 100;
	ck_assert_int_eq(layout(&g, &l), -EINVAL);
	ck_assert(harness_log_has("not a whole number of pages"));
	g.mem = PVH_MAX_MEM + PAGE_SIZE;
	ck_assert_int_eq(layout(&g, &l), -E2BIG);
	g.mem = ~0ULL & PAGE_MASK;
	ck_assert_int_eq(layout(&g, &l), -E2BIG);
}
END_TEST

START_TEST(kernel_does_not_fit)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.mem = MiB(16);	/* the kernel starts where RAM ends */
	ck_assert_int_eq(layout(&g, &l), -ENOMEM);
	ck_assert(harness_log_has("d3: memory too small for the kernel"));
	g.mem = MiB(17);	/* it ends 1.1 MiB further */
	ck_assert_int_eq(layout(&g, &l), -ENOMEM);
	g.mem = GiB(8);		/* RAM at 4 GiB does not help a kernel */
	g.kernel_start = 0xF0000000 - MiB(1);
	g.kernel_end = 0xF0000000 + 1;
	ck_assert_int_eq(layout(&g, &l), -ENOMEM);
}
END_TEST

START_TEST(bad_kernel_span)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.kernel_end = g.kernel_start;
	ck_assert_int_eq(layout(&g, &l), -EINVAL);
	ck_assert(harness_log_has("empty kernel span"));
	g.kernel_end = g.kernel_start - 1;
	ck_assert_int_eq(layout(&g, &l), -EINVAL);
}
END_TEST

START_TEST(cmdline_too_long)
{
	struct pvh_guest g = linux_like();
	static char s[PVH_CMDLINE_MAX + 1];
	struct pvh_layout l;

	memset(s, 'a', PVH_CMDLINE_MAX);
	g.cmdline = s;			/* 4096 characters */
	ck_assert_int_eq(layout(&g, &l), -E2BIG);
	ck_assert(harness_log_has("d3: command line too long"));
	s[PVH_CMDLINE_MAX - 1] = 0;	/* 4095: the longest accepted */
	ck_assert_int_eq(layout(&g, &l), 0);
	g.cmdline = "x";
	g.initrd = "x";
	g.initrd_len = 1;
	s[PVH_CMDLINE_MAX - 1] = 'a';
	g.initrd_cmdline = s;
	ck_assert_int_eq(layout(&g, &l), -E2BIG);
	ck_assert(harness_log_has("initrd string too long"));
}
END_TEST

/* Modules that fit nowhere beside the kernel below 1 GiB. */
START_TEST(modules_do_not_fit)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.initrd = "";
	g.initrd_len = MiB(47);		/* 15 below, 46.8 above: no */
	ck_assert_int_eq(layout(&g, &l), -ENOSPC);
	ck_assert(harness_log_has("d3: no room for the start info and a "
				  "48128 KiB initrd beside"));
	g.mem = GiB(8);		/* room above the kernel, not < 1 GiB */
	g.initrd_len = GiB(1) - MiB(17);
	ck_assert_int_eq(layout(&g, &l), -ENOSPC);
	g.initrd_len = GiB(1) - MiB(18);	/* fits right below 1 GiB */
	ck_assert_int_eq(layout(&g, &l), 0);
	check_layout(&g, &l);
	g.initrd_len = GiB(3);		/* no overflow on huge sizes */
	ck_assert_int_eq(layout(&g, &l), -ENOSPC);
	g.initrd_len = ~0ULL;
	ck_assert_int_eq(layout(&g, &l), -ENOSPC);
}
END_TEST

/* A kernel covering all RAM above 1 MiB leaves no room for start info. */
START_TEST(kernel_covers_the_space)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.kernel_start = MiB(1);
	g.kernel_end = MiB(64);
	ck_assert_int_eq(layout(&g, &l), -ENOSPC);
	g.kernel_end = MiB(64) - PAGE_SIZE;	/* one page left above */
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.data_start, MiB(64) - PAGE_SIZE);
	g.kernel_start = MiB(1) + 100;	/* a partial page below: unused */
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.data_start, MiB(64) - PAGE_SIZE);
	g.kernel_start = 0x8000;	/* a kernel below 1 MiB */
	g.kernel_end = 0x9000;
	ck_assert_int_eq(layout(&g, &l), 0);
	ck_assert_uint_eq(l.data_start, MiB(1));
}
END_TEST

/* The write stops at the first failing part and reports it. */
START_TEST(write_fails)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;

	g.kernel_start = MiB(1);
	g.kernel_end = MiB(2);
	ck_assert_int_eq(layout(&g, &l), 0);
	gmem_alloc(MiB(2));		/* guest memory ends at the block */
	ck_assert_int_eq(pvh_write(&g, &l, gwrite, NULL), -EFAULT);
	ck_assert_uint_eq(nr_writes, 1);
	ck_assert(harness_log_has("d3: cannot write the boot data"));
}
END_TEST

/* Random kernels, memory and initrds: every layout keeps the rules. */
START_TEST(random_layouts)
{
	struct pvh_guest g = linux_like();
	struct pvh_layout l;
	unsigned int i, ok = 0;

	srandom(7);
	for (i = 0; i < 20000; i++) {
		g.mem = ((uint64_t)random() % (GiB(2) >> PAGE_SHIFT) + 1)
			<< PAGE_SHIFT;
		g.kernel_start = (uint64_t)random() % GiB(1);
		g.kernel_end = g.kernel_start + 1 +
			       (uint64_t)random() % MiB(128);
		g.initrd = random() % 2 ? "" : NULL;
		g.initrd_len = g.initrd ? (uint64_t)random() % MiB(64) : 0;
		if (layout(&g, &l))
			continue;
		ok++;
		check_layout(&g, &l);
		ck_assert_uint_le(g.kernel_end, l.ram_low_end);
	}
	ck_assert_uint_gt(ok, 1000);
}
END_TEST

SUITE(pvh)
{
	Suite *s = suite_create("pvh");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, small_domain);
	tcase_add_test(tc, initrd_and_strings);
	tcase_add_test(tc, empty_strings);
	tcase_add_test(tc, big_initrd_above_kernel);
	tcase_add_test(tc, memory_above_4g);
	tcase_add_test(tc, special_pages_reserved);
	tcase_add_test(tc, bad_memory_sizes);
	tcase_add_test(tc, kernel_does_not_fit);
	tcase_add_test(tc, bad_kernel_span);
	tcase_add_test(tc, cmdline_too_long);
	tcase_add_test(tc, modules_do_not_fit);
	tcase_add_test(tc, kernel_covers_the_space);
	tcase_add_test(tc, write_fails);
	tcase_add_test(tc, random_layouts);
	suite_add_tcase(s, tc);
	return s;
}
