// SPDX-License-Identifier: GPL-2.0
/*
 * The p2m over simulated machine memory: 16 MiB of frames, of which the
 * page allocator gets [TABLE_FIRST, TABLE_END) for table pages and
 * [GUEST_FIRST, NR_FRAMES) stands in for guest RAM frames. Mappings of
 * frames outside the block are fine: the p2m never touches the frames
 * it maps, only the copy helpers do. Most tests run once per entry
 * format (the loop index _i is the enum p2m_format).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/domain.h>
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>
#include <asm/p2m.h>

#define NR_FRAMES	4096
#define TABLE_FIRST	512
#define TABLE_END	1536
#define GUEST_FIRST	2048	/* 2 MiB aligned */

#define ADDR		0x000ffffffffff000ULL
#define TYPE(t)		((uint64_t)(t) << 52)
#define NX		(1ULL << 63)

static struct page_info *ft;
static struct domain dom;
static unsigned int flushes;
static unsigned long free_at_flush;	/* free pages when last flushed */
static struct page_info *held[NR_FRAMES];
static unsigned int nr_held;

/* The hook the p2m calls: counted here for this suite's domain (the
 * runner's other suites have p2ms of their own). */
void p2m_tlb_flush(struct domain *d)
{
	if (d != &dom)
		return;
	ck_assert(spin_is_locked(&dom.p2m.lock));
	free_at_flush = page_alloc_free_pages();
	flushes++;
}

static void setup(void)
{
	harness_machine_memory(0, (size_t)NR_FRAMES * PAGE_SIZE);
	ft = calloc(NR_FRAMES, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, NR_FRAMES);
	page_alloc_add_free(TABLE_FIRST, TABLE_END - TABLE_FIRST);
	memset(&dom, 0, sizeof(dom));
	flushes = 0;
	nr_held = 0;
}

static void teardown(void)
{
	free(ft);
	ft = NULL;
	harness_machine_memory_free();
}

/* Make the allocator fail once n more pages have been taken. */
static void leave_free(unsigned long n)
{
	while (page_alloc_free_pages() > n) {
		held[nr_held] = alloc_pages(0, 0);
		ck_assert_ptr_nonnull(held[nr_held]);
		nr_held++;
	}
	ck_assert_uint_eq(page_alloc_free_pages(), n);
}

static void release_held(void)
{
	while (nr_held)
		free_pages(held[--nr_held], 0);
}

static void init(enum p2m_format fmt)
{
	ck_assert_int_eq(p2m_init(&dom, fmt), 0);
	ck_assert_uint_ne(dom.p2m.root, 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 1);
}

/* The raw entry at level (4: top, 1: 4 KiB) on gfn's path. */
static uint64_t raw(unsigned long gfn, unsigned int level)
{
	uint64_t table = dom.p2m.root, e;
	unsigned int l;

	for (l = 4;; l--) {
		e = ((uint64_t *)maddr_to_virt(table))[(gfn >> (9 * (l - 1)))
							& 511];
		if (l == level)
			return e;
		table = e & ADDR;
	}
}

/* lookup must give mfn, type t and order. */
static void expect(unsigned long gfn, unsigned long mfn, enum p2m_type t,
		   unsigned int order)
{
	enum p2m_type got_t = 99;
	unsigned int got_order = 99;

	ck_assert_uint_eq(p2m_lookup(&dom, gfn, &got_t, &got_order), mfn);
	ck_assert_int_eq(got_t, t);
	ck_assert_uint_eq(got_order, order);
}

START_TEST(empty)
{
	enum p2m_type t = P2M_RAM;
	unsigned int order = 99;

	init(_i);
	expect(0, INVALID_MFN, P2M_INVALID, 27);
	expect((1UL << 36) - 1, INVALID_MFN, P2M_INVALID, 27);
	/* Beyond 48-bit guest-physical: nothing, order 0. */
	ck_assert_uint_eq(p2m_lookup(&dom, 1UL << 36, &t, &order),
			  INVALID_MFN);
	ck_assert_int_eq(t, P2M_INVALID);
	ck_assert_uint_eq(order, 0);
	/* Both out-pointers are optional. */
	ck_assert_uint_eq(p2m_lookup(&dom, 5, NULL, NULL), INVALID_MFN);
	p2m_teardown(&dom);
	ck_assert_uint_eq(dom.p2m.root, 0);
}
END_TEST

START_TEST(init_errors)
{
	unsigned long free_before = page_alloc_free_pages();

	ck_assert_int_eq(p2m_init(&dom, (enum p2m_format)2), -EINVAL);
	ck_assert_int_eq(p2m_init(&dom, (enum p2m_format)-1), -EINVAL);
	ck_assert_uint_eq(page_alloc_free_pages(), free_before);
	leave_free(0);
	ck_assert_int_eq(p2m_init(&dom, P2M_FORMAT_EPT), -ENOMEM);
	ck_assert_uint_eq(dom.p2m.root, 0);
	/* Tearing down a p2m whose init failed is fine. */
	p2m_teardown(&dom);
	release_held();
	ck_assert_uint_eq(page_alloc_free_pages(), free_before);
}
END_TEST

/* Map one range of each order and look at it from every side. */
START_TEST(map_each_order)
{
	static const unsigned int orders[] = { 0, 9, 18 };
	static const unsigned long tables[] = { 4, 3, 2 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		unsigned int o = orders[i];
		unsigned long n = 1UL << o;
		unsigned long gfn = 5 * n, mfn = 0x40000 + 3 * n;

		init(_i);
		ck_assert_int_eq(p2m_map(&dom, gfn, mfn, o, P2M_RAM), 0);
		ck_assert_uint_eq(dom.p2m.nr_tables, tables[i]);
		expect(gfn, mfn, P2M_RAM, o);
		expect(gfn + n / 2, mfn + n / 2, P2M_RAM, o);
		expect(gfn + n - 1, mfn + n - 1, P2M_RAM, o);
		expect(gfn - 1, INVALID_MFN, P2M_INVALID, o);
		expect(gfn + n, INVALID_MFN, P2M_INVALID, o);
		/* Highest gfn there is. */
		ck_assert_int_eq(p2m_map(&dom, (1UL << 36) - n, mfn, o,
					 P2M_MMIO), 0);
		expect((1UL << 36) - 1, mfn + n - 1, P2M_MMIO, o);
		ck_assert_uint_eq(flushes, 0);
		p2m_teardown(&dom);
	}
}
END_TEST

START_TEST(npt_entry_bits)
{
	uint64_t root;

	init(P2M_FORMAT_NPT);
	root = dom.p2m.root;
	ck_assert_int_eq(p2m_map(&dom, 0x12345, 0x2100, 0, P2M_RAM), 0);
	/* Tables: P RW U; leaf: P RW U A D, type in 52-55. */
	ck_assert_uint_eq(raw(0x12345, 4) & ~ADDR, 0x7);
	ck_assert_uint_eq(raw(0x12345, 3) & ~ADDR, 0x7);
	ck_assert_uint_eq(raw(0x12345, 2) & ~ADDR, 0x7);
	ck_assert_uint_eq(raw(0x12345, 1), 0x2100000ULL | 0x67 |
			  TYPE(P2M_RAM));
	ck_assert_uint_eq(dom.p2m.root, root);
	/* 2 MiB MMIO: PS, PCD PWT (PAT entry 3: UC), NX. */
	ck_assert_int_eq(p2m_map(&dom, 0x400, 0xfee00, 9, P2M_MMIO), 0);
	ck_assert_uint_eq(raw(0x400, 2), 0xfee00000ULL | 0x67 | 0x18 |
			  0x80 | NX | TYPE(P2M_MMIO));
	/* 1 GiB read-only grant: no RW, no D. */
	ck_assert_int_eq(p2m_map(&dom, 1UL << 27, 3UL << 18, 18,
				 P2M_GRANT_MAP_RO), 0);
	ck_assert_uint_eq(raw(1UL << 27, 3), (3ULL << 30) | 0x25 | 0x80 |
			  NX | TYPE(P2M_GRANT_MAP_RO));
	ck_assert_int_eq(p2m_map(&dom, 0x12346, 0x2101, 0, P2M_MAP_FOREIGN),
			 0);
	ck_assert_uint_eq(raw(0x12346, 1), 0x2101000ULL | 0x67 | NX |
			  TYPE(P2M_MAP_FOREIGN));
	ck_assert_int_eq(p2m_map(&dom, 0x12347, 0x2102, 0, P2M_GRANT_MAP_RW),
			 0);
	ck_assert_uint_eq(raw(0x12347, 1), 0x2102000ULL | 0x67 | NX |
			  TYPE(P2M_GRANT_MAP_RW));
	EXPECT_PANIC(p2m_eptp(&dom.p2m));
	p2m_teardown(&dom);
}
END_TEST

START_TEST(ept_entry_bits)
{
	init(P2M_FORMAT_EPT);
	/* EPTP: write-back (6), 4-level walk (3 << 3). */
	ck_assert_uint_eq(p2m_eptp(&dom.p2m), dom.p2m.root | 0x1e);
	ck_assert_int_eq(p2m_map(&dom, 0x12345, 0x2100, 0, P2M_RAM), 0);
	/* Tables: R W X, nothing else. */
	ck_assert_uint_eq(raw(0x12345, 4) & ~ADDR, 0x7);
	ck_assert_uint_eq(raw(0x12345, 3) & ~ADDR, 0x7);
	ck_assert_uint_eq(raw(0x12345, 2) & ~ADDR, 0x7);
	/* RAM: R W X, WB (6 << 3), ignore PAT. */
	ck_assert_uint_eq(raw(0x12345, 1), 0x2100000ULL | 0x77 |
			  TYPE(P2M_RAM));
	/* MMIO: R W, UC (0), ignore PAT. */
	ck_assert_int_eq(p2m_map(&dom, 0x12346, 0xfee00, 0, P2M_MMIO), 0);
	ck_assert_uint_eq(raw(0x12346, 1), 0xfee00000ULL | 0x43 |
			  TYPE(P2M_MMIO));
	/* 2 MiB RAM: large-page bit 7. */
	ck_assert_int_eq(p2m_map(&dom, 0x400, 0x800, 9, P2M_RAM), 0);
	ck_assert_uint_eq(raw(0x400, 2), 0x800000ULL | 0xf7 |
			  TYPE(P2M_RAM));
	/* 1 GiB foreign: R W, WB, no X. */
	ck_assert_int_eq(p2m_map(&dom, 1UL << 27, 1UL << 18, 18,
				 P2M_MAP_FOREIGN), 0);
	ck_assert_uint_eq(raw(1UL << 27, 3), (1ULL << 30) | 0xf3 |
			  TYPE(P2M_MAP_FOREIGN));
	ck_assert_int_eq(p2m_map(&dom, 0x12347, 0x2102, 0, P2M_GRANT_MAP_RO),
			 0);
	ck_assert_uint_eq(raw(0x12347, 1), 0x2102000ULL | 0x71 |
			  TYPE(P2M_GRANT_MAP_RO));
	ck_assert_int_eq(p2m_map(&dom, 0x12348, 0x2103, 0, P2M_GRANT_MAP_RW),
			 0);
	ck_assert_uint_eq(raw(0x12348, 1), 0x2103000ULL | 0x73 |
			  TYPE(P2M_GRANT_MAP_RW));
	p2m_teardown(&dom);
}
END_TEST

/* A 4 KiB map inside a 2 MiB page splits it; the rest stays. */
START_TEST(split_on_map)
{
	unsigned long i;

	init(_i);
	ck_assert_int_eq(p2m_map(&dom, 0x400, 0x10000, 9, P2M_MMIO), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 3);
	ck_assert_int_eq(p2m_map(&dom, 0x401, 0x777, 0, P2M_RAM), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_uint_eq(flushes, 1);	/* a present entry changed */
	expect(0x401, 0x777, P2M_RAM, 0);
	for (i = 0; i < 512; i++)
		if (i != 1)
			expect(0x400 + i, 0x10000 + i, P2M_MMIO, 0);
	expect(0x600, INVALID_MFN, P2M_INVALID, 9);
	/* A 1 GiB page split twice; the other 2 MiB pieces stay large. */
	ck_assert_int_eq(p2m_map(&dom, 1UL << 18, 1UL << 20, 18, P2M_RAM),
			 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_int_eq(p2m_map(&dom, (1UL << 18) + 0x2345, 0x55, 0,
				 P2M_GRANT_MAP_RW), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 6);
	ck_assert_uint_eq(flushes, 2);
	expect((1UL << 18) + 0x2345, 0x55, P2M_GRANT_MAP_RW, 0);
	expect((1UL << 18) + 0x2344, (1UL << 20) + 0x2344, P2M_RAM, 0);
	expect((1UL << 18) + 0x2200, (1UL << 20) + 0x2200, P2M_RAM, 0);
	expect((1UL << 18) + 0x2400, (1UL << 20) + 0x2400, P2M_RAM, 9);
	expect((1UL << 18), (1UL << 20), P2M_RAM, 9);
	expect((2UL << 18) - 1, (1UL << 20) + (1UL << 18) - 1, P2M_RAM, 9);
	/* A 2 MiB map inside the 1 GiB page's remains. */
	ck_assert_int_eq(p2m_map(&dom, (1UL << 18) + 0x3000, 0x1200, 9,
				 P2M_RAM), 0);
	expect((1UL << 18) + 0x3001, 0x1201, P2M_RAM, 9);
	ck_assert_uint_eq(dom.p2m.nr_tables, 6);
	p2m_teardown(&dom);
}
END_TEST

START_TEST(split_on_unmap)
{
	unsigned long base = 1UL << 18, mfn = 1UL << 19;

	init(_i);
	ck_assert_int_eq(p2m_map(&dom, base, mfn, 18, P2M_MMIO), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 2);
	/* 2 MiB out of the 1 GiB page. */
	ck_assert_int_eq(p2m_unmap(&dom, base + 0x600, 9), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 3);
	ck_assert_uint_eq(flushes, 1);
	expect(base + 0x600, INVALID_MFN, P2M_INVALID, 9);
	expect(base + 0x7ff, INVALID_MFN, P2M_INVALID, 9);
	expect(base + 0x5ff, mfn + 0x5ff, P2M_MMIO, 9);
	expect(base + 0x800, mfn + 0x800, P2M_MMIO, 9);
	/* 4 KiB out of another 2 MiB piece. */
	ck_assert_int_eq(p2m_unmap(&dom, base + 0x805, 0), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_uint_eq(flushes, 2);
	expect(base + 0x805, INVALID_MFN, P2M_INVALID, 0);
	expect(base + 0x804, mfn + 0x804, P2M_MMIO, 0);
	expect(base + 0x806, mfn + 0x806, P2M_MMIO, 0);
	expect(base + 0xa00, mfn + 0xa00, P2M_MMIO, 9);
	/* 4 KiB out of the 1 GiB page's 2 MiB hole: nothing to do. */
	ck_assert_int_eq(p2m_unmap(&dom, base + 0x601, 0), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_uint_eq(flushes, 2);
	p2m_teardown(&dom);
}
END_TEST

/* A superpage over tables (or an unmap of them) frees them. */
START_TEST(superpage_replaces_tables)
{
	unsigned long before = page_alloc_free_pages(), i;

	init(_i);
	for (i = 0; i < 512; i++)
		ck_assert_int_eq(p2m_map(&dom, 0x200 + i, 0x900 + i, 0,
					 P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x40000, 0x1234, 0, P2M_RAM), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 6);
	ck_assert_uint_eq(flushes, 0);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x800, 9, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 1);
	ck_assert_uint_eq(dom.p2m.nr_tables, 5);
	/* The table was freed after the flush, not before. */
	ck_assert_uint_eq(page_alloc_free_pages(), free_at_flush + 1);
	expect(0x2ff, 0x8ff, P2M_RAM, 9);
	/* A 1 GiB page over a table holding a 2 MiB page. */
	ck_assert_int_eq(p2m_map(&dom, 0, 0, 18, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 2);
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_uint_eq(page_alloc_free_pages(), before - 4);
	expect(0x2ff, 0x2ff, P2M_RAM, 18);
	/* Unmapping 1 GiB over two levels of tables frees both. */
	ck_assert_int_eq(p2m_unmap(&dom, 0x40000, 18), 0);
	ck_assert_uint_eq(flushes, 3);
	ck_assert_uint_eq(dom.p2m.nr_tables, 2);
	ck_assert_uint_eq(page_alloc_free_pages(), free_at_flush + 2);
	expect(0x40000, INVALID_MFN, P2M_INVALID, 18);
	p2m_teardown(&dom);
	ck_assert_uint_eq(page_alloc_free_pages(), before);
}
END_TEST

START_TEST(bad_arguments)
{
	init(_i);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x200, 0, P2M_RAM), 0);
	/* Orders other than 0, 9, 18. */
	ck_assert_int_eq(p2m_map(&dom, 0, 0, 1, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0, 0, 10, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0, 0, 27, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0, 0, ~0u, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 0, 8), -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 0, 27), -EINVAL);
	/* gfn or mfn not aligned to the order. */
	ck_assert_int_eq(p2m_map(&dom, 0x201, 0x200, 9, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x201, 9, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x200, 18, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 1UL << 18, 0x200, 18, P2M_RAM),
			 -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 0x201, 9), -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 0x200, 18), -EINVAL);
	/* Beyond 48-bit guest-physical, 52-bit machine addresses. */
	ck_assert_int_eq(p2m_map(&dom, 1UL << 36, 0, 0, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, ~0UL << 18, 0, 18, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0, 1UL << 40, 0, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0, INVALID_MFN, 0, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 1UL << 36, 0), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0x201, (1UL << 40) - 1, 0, P2M_RAM),
			 0);
	expect(0x201, (1UL << 40) - 1, P2M_RAM, 0);
	/* Types that cannot be mapped. */
	ck_assert_int_eq(p2m_map(&dom, 0x202, 1, 0, P2M_INVALID), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0x202, 1, 0, P2M_NR_TYPES), -EINVAL);
	ck_assert_int_eq(p2m_map(&dom, 0x202, 1, 0, (enum p2m_type)-1),
			 -EINVAL);
	/* Nothing else changed. */
	ck_assert_uint_eq(dom.p2m.nr_tables, 4);
	ck_assert_uint_eq(flushes, 0);
	expect(0x200, 0x200, P2M_RAM, 0);
	expect(0x202, INVALID_MFN, P2M_INVALID, 0);
	expect(0, INVALID_MFN, P2M_INVALID, 9);
	p2m_teardown(&dom);
}
END_TEST

/* Everything a p2m (and its lookups) says about gfns around 0x12345. */
static void snapshot(unsigned long *out)
{
	unsigned long gfns[] = { 0, 5, 0x200, 0x12345, 0x12346, 0x3ffff,
				 0x40000 };
	unsigned int i, order;
	enum p2m_type t;

	for (i = 0; i < ARRAY_SIZE(gfns); i++) {
		out[3 * i] = p2m_lookup(&dom, gfns[i], &t, &order);
		out[3 * i + 1] = t;
		out[3 * i + 2] = order;
	}
}

/*
 * Run op with the allocator failing after 0, 1, ... pages: each short
 * run fails with -ENOMEM and changes nothing; the first long enough
 * one must have needed exactly `need` pages.
 */
static void enomem_each_step(int (*op)(void), unsigned long need)
{
	unsigned long before[21], after[21], n, tables;

	snapshot(before);
	tables = dom.p2m.nr_tables;
	for (n = 0; n < need; n++) {
		leave_free(n);
		ck_assert_int_eq(op(), -ENOMEM);
		ck_assert(!spin_is_locked(&dom.p2m.lock));
		ck_assert_uint_eq(spin_locks_held(), 0);
		ck_assert_uint_eq(page_alloc_free_pages(), n);
		release_held();
		ck_assert_uint_eq(dom.p2m.nr_tables, tables);
		snapshot(after);
		ck_assert_mem_eq(before, after, sizeof(before));
		ck_assert_uint_eq(flushes, 0);
	}
	leave_free(need);
	ck_assert_int_eq(op(), 0);
	ck_assert_uint_eq(spin_locks_held(), 0);
	ck_assert_uint_eq(page_alloc_free_pages(), 0);
	release_held();
	ck_assert_uint_eq(dom.p2m.nr_tables, tables + need);
}

static int map_4k_in_hole(void)
{
	return p2m_map(&dom, 0x12345, 0x99, 0, P2M_RAM);
}

static int map_4k_in_1g(void)
{
	return p2m_map(&dom, 5, 0x99, 0, P2M_MMIO);
}

static int unmap_4k_in_1g(void)
{
	return p2m_unmap(&dom, 0x3ffff, 0);
}

START_TEST(enomem_leaves_p2m_intact)
{
	unsigned long free_before = page_alloc_free_pages();

	init(_i);
	enomem_each_step(map_4k_in_hole, 3);
	expect(0x12345, 0x99, P2M_RAM, 0);
	/* Over the tables just made: frees them. */
	ck_assert_int_eq(p2m_map(&dom, 0, 1UL << 18, 18, P2M_RAM), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 2);
	flushes = 0;
	enomem_each_step(map_4k_in_1g, 2);
	expect(5, 0x99, P2M_MMIO, 0);
	expect(4, (1UL << 18) + 4, P2M_RAM, 0);
	expect(0x200, (1UL << 18) + 0x200, P2M_RAM, 9);
	ck_assert_int_eq(p2m_map(&dom, 0, 1UL << 18, 18, P2M_RAM), 0);
	flushes = 0;
	enomem_each_step(unmap_4k_in_1g, 2);
	expect(0x3ffff, INVALID_MFN, P2M_INVALID, 0);
	expect(0x3fffe, (1UL << 18) + 0x3fffe, P2M_RAM, 0);
	p2m_teardown(&dom);
	ck_assert_uint_eq(page_alloc_free_pages(), free_before);
}
END_TEST

START_TEST(types_round_trip)
{
	static const unsigned int orders[] = { 0, 9, 18 };
	enum p2m_type t;
	unsigned int i;

	init(_i);
	for (t = P2M_RAM; t < P2M_NR_TYPES; t++) {
		for (i = 0; i < 3; i++) {
			unsigned long gfn = ((unsigned long)t << 20) +
					    (3UL << orders[i]);

			ck_assert_int_eq(p2m_map(&dom, gfn, gfn, orders[i], t),
					 0);
			expect(gfn, gfn, t, orders[i]);
		}
		/* Splitting keeps the type. */
		ck_assert_int_eq(p2m_unmap(&dom, ((unsigned long)t << 20) +
					   (3UL << 18) + 0x1234, 0), 0);
		expect(((unsigned long)t << 20) + (3UL << 18) + 0x1235,
		       ((unsigned long)t << 20) + (3UL << 18) + 0x1235, t, 0);
		expect(((unsigned long)t << 20) + (3UL << 18) + 0x1400,
		       ((unsigned long)t << 20) + (3UL << 18) + 0x1400, t, 9);
	}
	p2m_teardown(&dom);
}
END_TEST

START_TEST(lookup_ram)
{
	init(_i);
	ck_assert_int_eq(p2m_map(&dom, 1, 11, 0, P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 2, 12, 0, P2M_MMIO), 0);
	ck_assert_int_eq(p2m_map(&dom, 3, 13, 0, P2M_GRANT_MAP_RW), 0);
	ck_assert_int_eq(p2m_map(&dom, 4, 14, 0, P2M_GRANT_MAP_RO), 0);
	ck_assert_int_eq(p2m_map(&dom, 5, 15, 0, P2M_MAP_FOREIGN), 0);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 1, true), 11);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 2, false), INVALID_MFN);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 2, true), INVALID_MFN);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 3, true), 13);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 4, false), 14);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 4, true), INVALID_MFN);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 5, true), 15);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 6, false), INVALID_MFN);
	ck_assert_uint_eq(p2m_lookup_ram(&dom, 1UL << 36, false),
			  INVALID_MFN);
	p2m_teardown(&dom);
}
END_TEST

static uint8_t *frame(unsigned long mfn)
{
	return mfn_to_virt(mfn);
}

START_TEST(copy_helpers)
{
	uint8_t buf[2 * PAGE_SIZE], back[sizeof(buf)];
	unsigned long g = GUEST_FIRST;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	init(_i);
	/* gfns 0x10-0x11 on scattered frames, 0x12 MMIO, 0x14 RO grant. */
	ck_assert_int_eq(p2m_map(&dom, 0x10, g + 5, 0, P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x11, g + 9, 0, P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x12, g + 10, 0, P2M_MMIO), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x14, g + 14, 0, P2M_GRANT_MAP_RO),
			 0);
	ck_assert_int_eq(p2m_map(&dom, 0x15, g + 15, 0, P2M_GRANT_MAP_RW),
			 0);
	ck_assert_int_eq(p2m_map(&dom, 0x16, g + 16, 0, P2M_MAP_FOREIGN), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x200, g + 512, 9, P2M_RAM), 0);

	/* Across two pages on different frames. */
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x10f9c, buf, 200), 0);
	ck_assert_mem_eq(frame(g + 5) + 0xf9c, buf, 100);
	ck_assert_mem_eq(frame(g + 9), buf + 100, 100);
	memset(back, 0, sizeof(back));
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 0x10f9c, 200), 0);
	ck_assert_mem_eq(back, buf, 200);
	ck_assert_int_eq(clear_guest_phys(&dom, 0x10fa0, 8), 0);
	ck_assert_uint_eq(frame(g + 5)[0xf9f], buf[3]);
	ck_assert_uint_eq(frame(g + 5)[0xfa0], 0);
	ck_assert_uint_eq(frame(g + 5)[0xfa7], 0);
	ck_assert_uint_eq(frame(g + 5)[0xfa8], buf[12]);

	/* Into MMIO: refused at that page; the RAM prefix was written. */
	memset(frame(g + 10), 0xee, PAGE_SIZE);
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x11f00, buf, 0x200),
			 -EFAULT);
	ck_assert_mem_eq(frame(g + 9) + 0xf00, buf, 0x100);
	ck_assert_uint_eq(frame(g + 10)[0], 0xee);
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 0x12000, 1),
			 -EFAULT);
	ck_assert_int_eq(clear_guest_phys(&dom, 0x12000, 1), -EFAULT);
	ck_assert_uint_eq(frame(g + 10)[0], 0xee);
	/* Unmapped, and beyond guest-physical. */
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 0x13000, 1),
			 -EFAULT);
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x13fff, buf, 2), -EFAULT);
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 1ULL << 48, 1),
			 -EFAULT);
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, ~0ULL, 2),
			 -EFAULT);
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x13000, buf, 0), 0);

	/* Read-only grant: readable, not writable. */
	frame(g + 14)[5] = 0x5a;
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 0x14005, 1), 0);
	ck_assert_uint_eq(back[0], 0x5a);
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x14005, buf, 1), -EFAULT);
	ck_assert_int_eq(clear_guest_phys(&dom, 0x14005, 1), -EFAULT);
	ck_assert_uint_eq(frame(g + 14)[5], 0x5a);
	/* Read-write grant and foreign frames: both ways. */
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x15ff0, buf, 32), 0);
	ck_assert_mem_eq(frame(g + 15) + 0xff0, buf, 16);
	ck_assert_mem_eq(frame(g + 16), buf + 16, 16);

	/* Inside a 2 MiB page, across a 4 KiB boundary. */
	ck_assert_int_eq(copy_to_guest_phys(&dom, 0x203f00, buf,
					    sizeof(buf)), 0);
	ck_assert_mem_eq(frame(g + 512 + 3) + 0xf00, buf, 0x100);
	ck_assert_mem_eq(frame(g + 512 + 4), buf + 0x100, PAGE_SIZE);
	ck_assert_mem_eq(frame(g + 512 + 5), buf + 0x100 + PAGE_SIZE,
			 sizeof(buf) - 0x100 - PAGE_SIZE);
	ck_assert_int_eq(copy_from_guest_phys(&dom, back, 0x203f00,
					      sizeof(back)), 0);
	ck_assert_mem_eq(back, buf, sizeof(buf));
	p2m_teardown(&dom);
}
END_TEST

/* Teardown frees every table page and none of the mapped frames. */
START_TEST(teardown_frees_tables_only)
{
	unsigned long before = page_alloc_free_pages(), gfn;
	struct page_info *ram = alloc_pages(4, 0);
	unsigned long mfn = page_to_mfn(ram), i;

	init(_i);
	/* Tables spread over every level and several top-level slots. */
	for (i = 0; i < 16; i++) {
		gfn = (i << 27) | (i << 18) | (i << 9) | i;
		ck_assert_int_eq(p2m_map(&dom, gfn, mfn + i, 0, P2M_RAM), 0);
	}
	ck_assert_int_eq(p2m_map(&dom, 5UL << 18, 0, 18, P2M_MMIO), 0);
	ck_assert_int_eq(p2m_map(&dom, 7UL << 9, 0, 9, P2M_MMIO), 0);
	ck_assert_uint_eq(dom.p2m.nr_tables, 1 + 16 * 3);
	ck_assert_uint_eq(page_alloc_free_pages(), before - 16 - 49);
	p2m_teardown(&dom);
	ck_assert_uint_eq(dom.p2m.nr_tables, 0);
	ck_assert_uint_eq(page_alloc_free_pages(), before - 16);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(mfn_to_page(mfn + i)->state, PGS_ALLOCATED);
	free_pages(ram, 4);
	ck_assert_uint_eq(page_alloc_free_pages(), before);
	ck_assert_uint_eq(flushes, 0);
}
END_TEST

START_TEST(flush_hook)
{
	init(_i);
	/* Fresh maps of empty slots, at every order: no flush. */
	ck_assert_int_eq(p2m_map(&dom, 0x10, 0x10, 0, P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x200, 9, P2M_RAM), 0);
	ck_assert_int_eq(p2m_map(&dom, 1UL << 18, 0, 18, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 0);
	/* The same entry again: nothing changes, no flush. */
	ck_assert_int_eq(p2m_map(&dom, 0x10, 0x10, 0, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 0);
	/* Remapped elsewhere, downgraded, upgraded: one flush each. */
	ck_assert_int_eq(p2m_map(&dom, 0x10, 0x11, 0, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 1);
	ck_assert_int_eq(p2m_map(&dom, 0x10, 0x11, 0, P2M_GRANT_MAP_RO), 0);
	ck_assert_uint_eq(flushes, 2);
	ck_assert_int_eq(p2m_map(&dom, 0x200, 0x200, 9, P2M_MMIO), 0);
	ck_assert_uint_eq(flushes, 3);
	/* Unmaps of present entries flush; of holes do not. */
	ck_assert_int_eq(p2m_unmap(&dom, 0x10, 0), 0);
	ck_assert_uint_eq(flushes, 4);
	ck_assert_int_eq(p2m_unmap(&dom, 0x10, 0), 0);
	ck_assert_int_eq(p2m_unmap(&dom, 0x400, 9), 0);
	ck_assert_int_eq(p2m_unmap(&dom, 2UL << 18, 18), 0);
	ck_assert_int_eq(p2m_unmap(&dom, 1UL << 30, 0), 0);
	ck_assert_uint_eq(flushes, 4);
	ck_assert_int_eq(p2m_unmap(&dom, 1UL << 18, 18), 0);
	ck_assert_uint_eq(flushes, 5);
	/* A fresh map into a slot an unmap emptied: no flush. */
	ck_assert_int_eq(p2m_map(&dom, 0x10, 0x10, 0, P2M_RAM), 0);
	ck_assert_uint_eq(flushes, 5);
	/* Failed calls never flush. */
	ck_assert_int_eq(p2m_map(&dom, 0x11, 0x10, 9, P2M_RAM), -EINVAL);
	ck_assert_int_eq(p2m_unmap(&dom, 0x11, 9), -EINVAL);
	ck_assert_uint_eq(flushes, 5);
	p2m_teardown(&dom);
}
END_TEST

SUITE(p2m)
{
	Suite *s = suite_create("p2m");
	TCase *tc = tcase_create("core");
	const int nfmt = 2;	/* loop index _i: enum p2m_format */

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, empty, 0, nfmt);
	tcase_add_test(tc, init_errors);
	tcase_add_loop_test(tc, map_each_order, 0, nfmt);
	tcase_add_test(tc, npt_entry_bits);
	tcase_add_test(tc, ept_entry_bits);
	tcase_add_loop_test(tc, split_on_map, 0, nfmt);
	tcase_add_loop_test(tc, split_on_unmap, 0, nfmt);
	tcase_add_loop_test(tc, superpage_replaces_tables, 0, nfmt);
	tcase_add_loop_test(tc, bad_arguments, 0, nfmt);
	tcase_add_loop_test(tc, enomem_leaves_p2m_intact, 0, nfmt);
	tcase_add_loop_test(tc, types_round_trip, 0, nfmt);
	tcase_add_loop_test(tc, lookup_ram, 0, nfmt);
	tcase_add_loop_test(tc, copy_helpers, 0, nfmt);
	tcase_add_loop_test(tc, teardown_frees_tables_only, 0, nfmt);
	tcase_add_loop_test(tc, flush_hook, 0, nfmt);
	suite_add_tcase(s, tc);
	return s;
}
