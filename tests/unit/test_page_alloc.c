// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/bootmem.h>
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>

/*
 * For hot loops: Check's own assertions record their location on every
 * call, which under CK_FORK costs a write each and adds up to minutes.
 */
#define FAST_ASSERT(c) do {						\
	if (!(c))							\
		ck_abort_msg("%s:%d: assertion %s failed", __FILE__,	\
			     __LINE__, #c);				\
} while (0)

#define MFN_4G	(1UL << (32 - PAGE_SHIFT))

static struct page_info *ft;

/* Machine memory and a frame table for frames [0, nr), all reserved. */
static void setup_frames(unsigned long nr)
{
	harness_machine_memory(0, nr * PAGE_SIZE);
	free(ft);
	ft = calloc(nr, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, nr);
}

static void teardown(void)
{
	free(ft);
	ft = NULL;
	harness_machine_memory_free();
}

static bool is_free_block_available(unsigned int order, unsigned int flags)
{
	struct page_info *pg = alloc_pages(order, flags);

	if (pg)
		free_pages(pg, order);
	return pg != NULL;
}

START_TEST(page_info_is_small)
{
	ck_assert_uint_le(sizeof(struct page_info), 32);
}
END_TEST

START_TEST(starts_reserved)
{
	setup_frames(1024);
	ck_assert_uint_eq(page_alloc_total_pages(), 0);
	ck_assert_uint_eq(page_alloc_free_pages(), 0);
	ck_assert_ptr_null(alloc_pages(0, 0));
	ck_assert_uint_eq(mfn_to_page(5)->state, PGS_RESERVED);
}
END_TEST

/* Reclaiming boot memory frees only what is still reserved. */
START_TEST(reclaim_reserved_only)
{
	struct page_info *pg;

	setup_frames(1024);
	page_alloc_add_free(100, 10);
	pg = alloc_pages(0, 0);
	ck_assert_ptr_nonnull(pg);
	/* 90..130: 100..109 are not reserved (one allocated), 30 are. */
	ck_assert_uint_eq(page_alloc_reclaim(90, 40), 30);
	ck_assert_uint_eq(page_alloc_free_pages(), 9 + 30);
	ck_assert_uint_eq(page_alloc_reclaim(90, 40), 0);
	/* Beyond the frame table: clipped. */
	ck_assert_uint_eq(page_alloc_reclaim(1020, 100), 4);
	free_pages(pg, 0);
	ck_assert_uint_eq(page_alloc_free_pages(), 10 + 34);
}
END_TEST

START_TEST(every_order)
{
	unsigned long nr = 1UL << MAX_ORDER;
	unsigned int order;

	setup_frames(nr);
	page_alloc_add_free(0, nr);
	ck_assert_uint_eq(page_alloc_total_pages(), nr);
	for (order = 0; order <= MAX_ORDER; order++) {
		struct page_info *pg = alloc_pages(order, 0);
		unsigned long mfn;

		ck_assert_ptr_nonnull(pg);
		mfn = page_to_mfn(pg);
		ck_assert(IS_ALIGNED(mfn, 1UL << order));
		ck_assert_uint_eq(pg->state, PGS_ALLOCATED);
		ck_assert_uint_eq(pg->order, order);
		ck_assert_uint_eq(mfn_to_page(mfn + (1UL << order) - 1)->state,
				  PGS_ALLOCATED);
		ck_assert_uint_eq(page_alloc_free_pages(), nr - (1UL << order));
		ck_assert_ptr_eq(page_to_virt(pg), mfn_to_virt(mfn));
		ck_assert_ptr_eq(virt_to_page(page_to_virt(pg)), pg);
		free_pages(pg, order);
		ck_assert_uint_eq(page_alloc_free_pages(), nr);
	}
	ck_assert_ptr_null(alloc_pages(MAX_ORDER + 1, 0));
	ck_assert(is_free_block_available(MAX_ORDER, 0));
}
END_TEST

START_TEST(coalesce_restores_max_block)
{
	unsigned long nr = 4096, n = 0, i;
	struct page_info **pgs = calloc(nr + 1, sizeof(*pgs));

	setup_frames(nr);
	page_alloc_add_free(0, nr);
	while ((pgs[n] = alloc_pages(0, 0)))
		n++;
	ck_assert_uint_eq(n, nr);
	ck_assert_uint_eq(page_alloc_free_pages(), 0);
	/* Free in a shuffled order. */
	srandom(7);
	for (i = nr - 1; i > 0; i--) {
		unsigned long j = (unsigned long)random() % (i + 1);
		struct page_info *t = pgs[i];

		pgs[i] = pgs[j];
		pgs[j] = t;
	}
	for (i = 0; i < nr; i++)
		free_pages(pgs[i], 0);
	ck_assert_uint_eq(page_alloc_free_pages(), nr);
	ck_assert(is_free_block_available(12, 0));
	ck_assert(!is_free_block_available(13, 0));
	free(pgs);
}
END_TEST

START_TEST(below_4g)
{
	struct page_info *pg;
	unsigned int n = 0, order;

	setup_frames(MFN_4G + 0x400);
	page_alloc_add_free(MFN_4G - 0x100, 0x100);	/* 1 MiB below 4G */
	page_alloc_add_free(MFN_4G, 0x400);		/* 4 MiB above */
	pg = alloc_pages(0, 0);
	ck_assert_uint_ge(page_to_mfn(pg), MFN_4G);	/* high preferred */
	free_pages(pg, 0);
	for (order = 0; order <= 8; order++) {
		pg = alloc_pages(order, MEMF_below_4G);
		ck_assert_ptr_nonnull(pg);
		ck_assert_uint_le(page_to_mfn(pg) + (1UL << order), MFN_4G);
		free_pages(pg, order);
	}
	ck_assert_ptr_null(alloc_pages(9, MEMF_below_4G));
	pg = alloc_pages(9, 0);
	ck_assert_uint_ge(page_to_mfn(pg), MFN_4G);
	free_pages(pg, 9);
	while ((pg = alloc_pages(0, MEMF_below_4G))) {
		FAST_ASSERT(page_to_mfn(pg) < MFN_4G);
		n++;
	}
	ck_assert_uint_eq(n, 0x100);
	ck_assert_uint_eq(page_alloc_free_pages(), 0x400);
	/* Without the flag, low memory is the fallback. */
	while ((pg = alloc_pages(0, 0)))
		n++;
	ck_assert_uint_eq(n, 0x500);
}
END_TEST

START_TEST(exhaustion)
{
	setup_frames(64);
	page_alloc_add_free(32, 32);
	ck_assert_ptr_null(alloc_pages(6, 0));
	ck_assert_ptr_nonnull(alloc_pages(5, 0));
	ck_assert_ptr_null(alloc_pages(0, 0));
	ck_assert_ptr_null(alloc_pages(0, MEMF_below_4G | MEMF_zero));
	ck_assert_uint_eq(page_alloc_free_pages(), 0);
}
END_TEST

START_TEST(unaligned_ranges)
{
	setup_frames(64);
	page_alloc_add_free(3, 13);	/* 3 | 4..7 | 8..15 */
	ck_assert_uint_eq(page_alloc_free_pages(), 13);
	ck_assert_ptr_null(alloc_pages(4, 0));
	ck_assert_uint_eq(page_to_mfn(alloc_pages(3, 0)), 8);
	ck_assert_uint_eq(page_to_mfn(alloc_pages(2, 0)), 4);
	ck_assert_uint_eq(page_to_mfn(alloc_pages(0, 0)), 3);
	ck_assert_ptr_null(alloc_pages(0, 0));
	free_pages(mfn_to_page(8), 3);
	free_pages(mfn_to_page(4), 2);
	free_pages(mfn_to_page(3), 0);
	/* Adding the neighbours merges everything into one order-5 block. */
	page_alloc_add_free(16, 16);
	page_alloc_add_free(0, 3);
	ck_assert_uint_eq(page_alloc_free_pages(), 32);
	ck_assert_uint_eq(page_to_mfn(alloc_pages(5, 0)), 0);
}
END_TEST

START_TEST(memf_zero)
{
	struct page_info *pg;
	unsigned char *p;
	size_t i = 0;

	setup_frames(64);
	page_alloc_add_free(16, 16);
	memset(mfn_to_virt(16), 0xa5, 16 * PAGE_SIZE);
	pg = alloc_pages(2, MEMF_zero);
	p = page_to_virt(pg);
	while (i < 4 * PAGE_SIZE && !p[i])
		i++;
	ck_assert_uint_eq(i, 4 * PAGE_SIZE);
	pg = alloc_pages(2, 0);		/* not zeroed */
	p = page_to_virt(pg);
	ck_assert_uint_eq(p[0], 0xa5);
}
END_TEST

START_TEST(xenheap)
{
	void *va;

	setup_frames(64);
	page_alloc_add_free(8, 8);
	va = alloc_xenheap_pages(3, MEMF_zero);
	ck_assert_ptr_eq(va, mfn_to_virt(8));
	ck_assert_ptr_eq(virt_to_page(va), mfn_to_page(8));
	ck_assert_ptr_null(alloc_xenheap_pages(0, 0));
	free_xenheap_pages(va, 3);
	free_xenheap_pages(NULL, 3);
	ck_assert_uint_eq(page_alloc_free_pages(), 8);
	va = alloc_xenheap_pages(0, 0);
	EXPECT_PANIC(free_xenheap_pages((char *)va + 16, 0));
}
END_TEST

/* Each misuse panics, leaves heap_lock free and the allocator usable. */
START_TEST(bad_frees_panic)
{
	struct page_info *pg;

	setup_frames(64);
	page_alloc_add_free(0, 32);
	pg = alloc_pages(2, 0);
	EXPECT_PANIC(free_pages(pg, 1));
	ck_assert_msg(strstr(harness_panic_msg, "allocated with 2"), "%s",
		      harness_panic_msg);
	EXPECT_PANIC(free_pages(pg, 3));
	EXPECT_PANIC(free_pages(pg + 1, 0));
	ck_assert(strstr(harness_panic_msg, "does not start a block"));
	ck_assert_uint_eq(spin_locks_held(), 0);
	free_pages(pg, 2);
	EXPECT_PANIC(free_pages(pg, 2));		/* double free */
	ck_assert(strstr(harness_panic_msg, "not allocated"));
	EXPECT_PANIC(free_pages(mfn_to_page(40), 0));	/* reserved */
	EXPECT_PANIC(free_pages(mfn_to_page(64), 0));	/* outside */
	EXPECT_PANIC(page_alloc_add_free(8, 1));	/* already free */
	EXPECT_PANIC(page_alloc_add_free(60, 5));	/* beyond the table */
	ck_assert_uint_eq(spin_locks_held(), 0);
	ck_assert_uint_eq(page_alloc_free_pages(), 32);
	ck_assert(is_free_block_available(5, 0));
}
END_TEST

/* Exact allocations: nr frames taken, the rest of the block given back. */
START_TEST(exact)
{
	struct page_info *pg, *pg2;
	unsigned char *p;
	unsigned long nr;

	setup_frames(256);
	page_alloc_add_free(0, 128);
	memset(mfn_to_virt(0), 0xa5, 128 * PAGE_SIZE);
	pg = alloc_pages_exact(37, MEMF_zero);	/* from an order-6 block */
	ck_assert_ptr_nonnull(pg);
	ck_assert(IS_ALIGNED(page_to_mfn(pg), 64));
	ck_assert_uint_eq(page_alloc_free_pages(), 128 - 37);
	p = page_to_virt(pg);
	ck_assert_uint_eq(p[0], 0);
	ck_assert_uint_eq(p[37 * PAGE_SIZE - 1], 0);
	ck_assert_uint_eq(p[37 * PAGE_SIZE], 0xa5);	/* not zeroed */
	/* The 27 frames past it are usable: 1 + 2 + 8 + 16 aligned. */
	pg2 = alloc_pages_exact(27, 0);
	ck_assert_ptr_nonnull(pg2);
	free_pages_exact(pg2, 27);
	ck_assert_uint_eq(page_to_mfn(alloc_pages(4, 0)),
			  page_to_mfn(pg) + 48);
	free_pages(mfn_to_page(page_to_mfn(pg) + 48), 4);
	/* Bad frees of a piece are caught by free_pages(). */
	EXPECT_PANIC(free_pages(pg, 6));
	free_pages_exact(pg, 37);
	ck_assert_uint_eq(page_alloc_free_pages(), 128);
	ck_assert(is_free_block_available(7, 0));
	/* Every size up to the whole block, each freed back to one block. */
	for (nr = 1; nr <= 128; nr++) {
		pg = alloc_pages_exact(nr, 0);
		FAST_ASSERT(pg != NULL);
		FAST_ASSERT(page_alloc_free_pages() == 128 - nr);
		free_pages_exact(pg, nr);
		FAST_ASSERT(is_free_block_available(7, 0));
	}
	ck_assert_ptr_null(alloc_pages_exact(129, 0));
	ck_assert_ptr_null(alloc_pages_exact(0, 0));
	ck_assert_ptr_null(alloc_pages_exact((1UL << MAX_ORDER) + 1, 0));
	ck_assert_uint_eq(page_alloc_free_pages(), 128);
}
END_TEST

/* The boot path: frame table from bootmem, the rest handed over. */
START_TEST(bootmem_handover_path)
{
	unsigned long nr = 0x2000;	/* 32 MiB */
	paddr_t ft_ma;
	uint64_t left;

	harness_machine_memory(0, nr * PAGE_SIZE);
	bootmem_init();
	bootmem_add(0, 0x9f000);		/* low memory */
	bootmem_add(MiB(1), nr * PAGE_SIZE);
	bootmem_reserve(MiB(1), MiB(3));	/* the image, say */
	ft_ma = bootmem_alloc(nr * sizeof(struct page_info), PAGE_SIZE,
			      BOOTMEM_NO_LIMIT);
	ck_assert_uint_ne(ft_ma, 0);
	left = bootmem_free_bytes();
	page_alloc_init(maddr_to_virt(ft_ma), nr);
	bootmem_handover(page_alloc_add_range, NULL);
	ck_assert_uint_eq(page_alloc_total_pages(), left / PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_pages(), left / PAGE_SIZE);
	ck_assert_uint_eq(mfn_to_page(0)->state, PGS_RESERVED);
	ck_assert_uint_eq(mfn_to_page(0x9e)->state, PGS_FREE);
	ck_assert_uint_eq(mfn_to_page(0x9f)->state, PGS_RESERVED);
	ck_assert_uint_eq(mfn_to_page(PFN_DOWN(MiB(2)))->state, PGS_RESERVED);
	ck_assert_uint_eq(mfn_to_page(PFN_DOWN(ft_ma))->state, PGS_RESERVED);
	ck_assert(is_free_block_available(11, MEMF_below_4G));
}
END_TEST

/* ---- random operations against a shadow model ------------------------- */

#define STRESS_FRAMES	4096
#define STRESS_SLOTS	256

struct slot {
	struct page_info *pg;
	unsigned int order;
	uint32_t tag;
};

static uint32_t shadow[STRESS_FRAMES];	/* 0: free, else owner's tag */
static bool managed[STRESS_FRAMES];

static bool model_has_free_block(unsigned int order)
{
	unsigned long n = 1UL << order, m, i;

	for (m = 0; m + n <= STRESS_FRAMES; m += n) {
		for (i = 0; i < n && managed[m + i] && !shadow[m + i]; i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

static void stress_alloc(struct slot *s, uint32_t tag)
{
	unsigned int order = (unsigned int)(random() % 7);
	struct page_info *pg = alloc_pages(order, random() % 2 ? MEMF_zero : 0);
	unsigned long mfn, i;

	if (!pg) {
		FAST_ASSERT(!model_has_free_block(order));
		return;
	}
	mfn = page_to_mfn(pg);
	FAST_ASSERT(IS_ALIGNED(mfn, 1UL << order));
	for (i = mfn; i < mfn + (1UL << order); i++) {
		FAST_ASSERT(managed[i]);
		FAST_ASSERT(shadow[i] == 0);
		shadow[i] = tag;
		*(uint32_t *)mfn_to_virt(i) = tag;
	}
	*s = (struct slot){ .pg = pg, .order = order, .tag = tag };
}

static void stress_free(struct slot *s)
{
	unsigned long mfn = page_to_mfn(s->pg), i;

	for (i = mfn; i < mfn + (1UL << s->order); i++) {
		FAST_ASSERT(*(uint32_t *)mfn_to_virt(i) == s->tag);
		shadow[i] = 0;
	}
	free_pages(s->pg, s->order);
	s->pg = NULL;
}

static unsigned long model_free(void)
{
	unsigned long i, n = 0;

	for (i = 0; i < STRESS_FRAMES; i++)
		n += managed[i] && !shadow[i];
	return n;
}

START_TEST(random_stress)
{
	static const unsigned long ranges[][2] = {
		{ 1, 700 }, { 701, 300 }, { 1500, 77 }, { 2048, 2048 },
	};
	static struct slot slots[STRESS_SLOTS];
	unsigned long i, j;

	setup_frames(STRESS_FRAMES);
	memset(shadow, 0, sizeof(shadow));
	memset(managed, 0, sizeof(managed));
	memset(slots, 0, sizeof(slots));
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		page_alloc_add_free(ranges[i][0], ranges[i][1]);
		for (j = 0; j < ranges[i][1]; j++)
			managed[ranges[i][0] + j] = true;
	}
	srandom(42);
	for (i = 1; i <= 20000; i++) {
		struct slot *s = &slots[random() % STRESS_SLOTS];

		if (s->pg)
			stress_free(s);
		else
			stress_alloc(s, (uint32_t)i);
		if (i % 64 == 0)
			FAST_ASSERT(page_alloc_free_pages() == model_free());
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (slots[i].pg)
			stress_free(&slots[i]);
	ck_assert_uint_eq(page_alloc_free_pages(), page_alloc_total_pages());
	ck_assert(is_free_block_available(11, 0));	/* 2048..4095 */
	ck_assert_uint_eq(mfn_to_page(0)->state, PGS_RESERVED);
}
END_TEST

SUITE(page_alloc)
{
	Suite *s = suite_create("page_alloc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, page_info_is_small);
	tcase_add_test(tc, starts_reserved);
	tcase_add_test(tc, reclaim_reserved_only);
	tcase_add_test(tc, every_order);
	tcase_add_test(tc, coalesce_restores_max_block);
	tcase_add_test(tc, below_4g);
	tcase_add_test(tc, exhaustion);
	tcase_add_test(tc, unaligned_ranges);
	tcase_add_test(tc, memf_zero);
	tcase_add_test(tc, xenheap);
	tcase_add_test(tc, bad_frees_panic);
	tcase_add_test(tc, exact);
	tcase_add_test(tc, bootmem_handover_path);
	tcase_add_test(tc, random_stress);
	suite_add_tcase(s, tc);
	return s;
}
