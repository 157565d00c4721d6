// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/bootmem.h>
#include <lamina/mm.h>

/*
 * For hot loops: Check's own assertions record their location on every
 * call, which under CK_FORK costs a write each and adds up to minutes.
 */
#define FAST_ASSERT(c) do {						\
	if (!(c))							\
		ck_abort_msg("%s:%d: assertion %s failed", __FILE__,	\
			     __LINE__, #c);				\
} while (0)

/* The free ranges as bootmem_handover() reports them (then re-added). */
struct snap {
	unsigned int n;
	paddr_t start[BOOTMEM_MAX_RANGES], end[BOOTMEM_MAX_RANGES];
};

static void record(paddr_t start, paddr_t end, void *ctx)
{
	struct snap *s = ctx;

	ck_assert_uint_lt(s->n, BOOTMEM_MAX_RANGES);
	s->start[s->n] = start;
	s->end[s->n++] = end;
}

/* Snapshot the ranges without losing them. */
static void snapshot(struct snap *s)
{
	unsigned int i;

	s->n = 0;
	bootmem_handover(record, s);
	bootmem_init();
	for (i = 0; i < s->n; i++)
		bootmem_add(s->start[i], s->end[i]);
}

#define EXPECT_RANGES(...) do {						\
	const paddr_t want__[] = { __VA_ARGS__ };			\
	struct snap s__;						\
	snapshot(&s__);							\
	ck_assert_uint_eq(s__.n * 2, ARRAY_SIZE(want__));		\
	for (unsigned int i__ = 0; i__ < s__.n; i__++) {		\
		ck_assert_uint_eq(s__.start[i__], want__[2 * i__]);	\
		ck_assert_uint_eq(s__.end[i__], want__[2 * i__ + 1]);	\
	}								\
} while (0)

static void setup(void)
{
	bootmem_init();
}

START_TEST(add_rounds_inwards)
{
	bootmem_add(0x1234, 0x5678);
	EXPECT_RANGES(0x2000, 0x5000);
	bootmem_add(0x10001, 0x10fff);	/* no whole page */
	EXPECT_RANGES(0x2000, 0x5000);
	ck_assert_uint_eq(bootmem_free_bytes(), 0x3000);
}
END_TEST

START_TEST(page_zero_never_free)
{
	bootmem_add(0, 0x3000);
	EXPECT_RANGES(0x1000, 0x3000);
	bootmem_add(0, 0x1000);
	EXPECT_RANGES(0x1000, 0x3000);
}
END_TEST

START_TEST(add_merges_and_sorts)
{
	bootmem_add(0x10000, 0x20000);
	bootmem_add(0x40000, 0x50000);
	bootmem_add(0x2000, 0x3000);
	EXPECT_RANGES(0x2000, 0x3000, 0x10000, 0x20000, 0x40000, 0x50000);
	bootmem_add(0x20000, 0x30000);		/* touches: merged */
	EXPECT_RANGES(0x2000, 0x3000, 0x10000, 0x30000, 0x40000, 0x50000);
	bootmem_add(0x18000, 0x48000);		/* overlaps two */
	EXPECT_RANGES(0x2000, 0x3000, 0x10000, 0x50000);
	bootmem_add(0x1000, 0x60000);		/* covers all */
	EXPECT_RANGES(0x1000, 0x60000);
	bootmem_add(0x2000, 0x3000);		/* inside: no change */
	EXPECT_RANGES(0x1000, 0x60000);
	ck_assert_uint_eq(bootmem_nr_ranges(), 1);
}
END_TEST

START_TEST(reserve_cases)
{
	bootmem_add(0x10000, 0x20000);
	bootmem_add(0x30000, 0x40000);
	bootmem_reserve(0x10000, 0x11000);	/* head */
	EXPECT_RANGES(0x11000, 0x20000, 0x30000, 0x40000);
	bootmem_reserve(0x1f800, 0x20800);	/* tail, rounded outwards */
	EXPECT_RANGES(0x11000, 0x1f000, 0x30000, 0x40000);
	bootmem_reserve(0x34001, 0x34002);	/* middle: split */
	EXPECT_RANGES(0x11000, 0x1f000, 0x30000, 0x34000, 0x35000, 0x40000);
	bootmem_reserve(0x1e000, 0x31000);	/* spans two */
	EXPECT_RANGES(0x11000, 0x1e000, 0x31000, 0x34000, 0x35000, 0x40000);
	bootmem_reserve(0x31000, 0x34000);	/* exactly one */
	EXPECT_RANGES(0x11000, 0x1e000, 0x35000, 0x40000);
	bootmem_reserve(0x0, 0x5000);		/* nothing there */
	bootmem_reserve(0x50000, 0x50000);	/* empty */
	EXPECT_RANGES(0x11000, 0x1e000, 0x35000, 0x40000);
	bootmem_reserve(0, ~(paddr_t)0);	/* everything */
	ck_assert_uint_eq(bootmem_nr_ranges(), 0);
	ck_assert_uint_eq(bootmem_free_bytes(), 0);
}
END_TEST

START_TEST(alloc_highest_and_aligned)
{
	paddr_t a;

	bootmem_add(0x100000, 0x200000);
	bootmem_add(GiB(4), GiB(4) + MiB(2));
	a = bootmem_alloc(100, 0, BOOTMEM_NO_LIMIT);
	ck_assert_uint_eq(a, GiB(4) + MiB(2) - PAGE_SIZE);
	a = bootmem_alloc(0x3000, MiB(1), BOOTMEM_NO_LIMIT);
	ck_assert_uint_eq(a, GiB(4) + MiB(1));
	/* Below 4 GiB: the block must end at or below the limit. */
	a = bootmem_alloc(0x2000, 0, GiB(4));
	ck_assert_uint_eq(a, 0x1fe000);
	a = bootmem_alloc(0x1000, 0, 0x1ff000);
	ck_assert_uint_eq(a, 0x1fd000);
	ck_assert_uint_eq(bootmem_alloc(0x1000, 0, 0x100fff), 0);
	ck_assert_uint_eq(bootmem_alloc(0x1000, 0, 0x101000), 0x100000);
	ck_assert_uint_eq(bootmem_alloc(MiB(4), 0, BOOTMEM_NO_LIMIT), 0);
	ck_assert_uint_eq(bootmem_alloc(0, 0, BOOTMEM_NO_LIMIT), 0);
	/* 1 + 3 + 2 + 1 + 1 pages taken. */
	ck_assert_uint_eq(bootmem_free_bytes(), MiB(3) - 8 * PAGE_SIZE);
}
END_TEST

START_TEST(alloc_until_exhausted)
{
	unsigned int n = 0;
	paddr_t a, prev = ~(paddr_t)0;

	bootmem_add(0x5000, 0x9000);
	bootmem_add(0x20000, 0x22000);
	while ((a = bootmem_alloc(1, PAGE_SIZE, BOOTMEM_NO_LIMIT))) {
		ck_assert_uint_lt(a, prev);	/* from the top down */
		prev = a;
		n++;
	}
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(bootmem_free_bytes(), 0);
}
END_TEST

START_TEST(alloc_bad_align_panics)
{
	bootmem_add(0x5000, 0x9000);
	EXPECT_PANIC(bootmem_alloc(0x1000, 0x3000, BOOTMEM_NO_LIMIT));
	ck_assert(strstr(harness_panic_msg, "power of two"));
}
END_TEST

START_TEST(too_many_ranges_panics)
{
	unsigned int i;

	for (i = 0; i < BOOTMEM_MAX_RANGES; i++)
		bootmem_add((i * 2 + 1) * PAGE_SIZE, (i * 2 + 2) * PAGE_SIZE);
	ck_assert_uint_eq(bootmem_nr_ranges(), BOOTMEM_MAX_RANGES);
	EXPECT_PANIC(bootmem_add(MiB(64), MiB(65)));
	ck_assert_msg(strstr(harness_panic_msg, "BOOTMEM_MAX_RANGES"),
		      "%s", harness_panic_msg);
	/* Merging into existing ranges needs no slot. */
	bootmem_add(2 * PAGE_SIZE, 3 * PAGE_SIZE);
	ck_assert_uint_eq(bootmem_nr_ranges(), BOOTMEM_MAX_RANGES - 1);
	bootmem_add(MiB(64), MiB(65));
	EXPECT_PANIC(bootmem_reserve(MiB(64) + PAGE_SIZE,
				     MiB(64) + 2 * PAGE_SIZE));
}
END_TEST

static void sum(paddr_t start, paddr_t end, void *ctx)
{
	*(uint64_t *)ctx += end - start;
}

START_TEST(handover_disables)
{
	uint64_t total = 0;

	bootmem_add(0x5000, 0x9000);
	bootmem_add(GiB(8), GiB(9));
	bootmem_reserve(0x6000, 0x7000);
	bootmem_handover(sum, &total);
	ck_assert_uint_eq(total, 0x3000 + GiB(1));
	ck_assert_uint_eq(bootmem_free_bytes(), 0);
	EXPECT_PANIC(bootmem_alloc(0x1000, 0, BOOTMEM_NO_LIMIT));
	ck_assert(strstr(harness_panic_msg, "handover"));
	EXPECT_PANIC(bootmem_add(0x5000, 0x9000));
	EXPECT_PANIC(bootmem_reserve(0x5000, 0x9000));
}
END_TEST

START_TEST(top_of_address_space)
{
	paddr_t top = ~(paddr_t)0;

	bootmem_add(top - 0x4fff, top);
	EXPECT_RANGES(top - 0x4fff, top - 0xfff);
	bootmem_reserve(top - 0x1000, top);
	EXPECT_RANGES(top - 0x4fff, top - 0x1fff);
	ck_assert_uint_eq(bootmem_alloc(0x1000, 0, BOOTMEM_NO_LIMIT),
			  top - 0x2fff);
}
END_TEST

START_TEST(dump_prints)
{
	harness_log_clear();
	bootmem_add(0x5000, 0x9000);
	bootmem_dump();
	ck_assert_msg(harness_log_has("0x0000000000005000"), "%s",
		      harness_log);
}
END_TEST

/* ---- random operations against a page bitmap --------------------------- */

#define MODEL_PAGES	512

static bool model[MODEL_PAGES];

static paddr_t model_alloc(unsigned long pages, unsigned long align,
			   paddr_t limit)
{
	unsigned long top = MIN((unsigned long)(limit >> PAGE_SHIFT),
				(unsigned long)MODEL_PAGES);
	unsigned long p, i;

	if (top < pages)
		return 0;
	for (p = ALIGN_DOWN(top - pages, align);; p -= align) {
		for (i = 0; i < pages && model[p + i]; i++)
			;
		if (i == pages) {
			memset(&model[p], 0, pages);
			return (paddr_t)p << PAGE_SHIFT;
		}
		if (p < align)
			return 0;
	}
}

START_TEST(random_vs_model)
{
	uint64_t free_pages;
	unsigned long a, b, i;
	paddr_t got, want, limit;
	unsigned int n_ok = 0;

	srandom(1234);
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 4000; step++) {
		a = random() % MODEL_PAGES;
		b = a + random() % 40;
		b = MIN(b, (unsigned long)MODEL_PAGES);
		switch (random() % 3) {
		case 0:
			bootmem_add(a << PAGE_SHIFT, b << PAGE_SHIFT);
			for (i = MAX(a, 1UL); i < b; i++)
				model[i] = true;
			break;
		case 1:
			bootmem_reserve(a << PAGE_SHIFT, b << PAGE_SHIFT);
			for (i = a; i < b; i++)
				model[i] = false;
			break;
		default:
			b = 1 + random() % 8;		/* pages */
			a = 1UL << (random() % 4);	/* alignment */
			limit = (paddr_t)(random() % (MODEL_PAGES + 64))
				<< PAGE_SHIFT;
			want = model_alloc(b, a, limit);
			got = bootmem_alloc(b * PAGE_SIZE - random() % 100,
					    a * PAGE_SIZE, limit);
			FAST_ASSERT(got == want);
			n_ok += got != 0;
			break;
		}
		for (free_pages = 0, i = 0; i < MODEL_PAGES; i++)
			free_pages += model[i];
		FAST_ASSERT(bootmem_free_bytes() == free_pages * PAGE_SIZE);
	}
	ck_assert_uint_gt(n_ok, 100);
}
END_TEST

SUITE(bootmem)
{
	Suite *s = suite_create("bootmem");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, add_rounds_inwards);
	tcase_add_test(tc, page_zero_never_free);
	tcase_add_test(tc, add_merges_and_sorts);
	tcase_add_test(tc, reserve_cases);
	tcase_add_test(tc, alloc_highest_and_aligned);
	tcase_add_test(tc, alloc_until_exhausted);
	tcase_add_test(tc, alloc_bad_align_panics);
	tcase_add_test(tc, too_many_ranges_panics);
	tcase_add_test(tc, handover_disables);
	tcase_add_test(tc, top_of_address_space);
	tcase_add_test(tc, dump_prints);
	tcase_add_test(tc, random_vs_model);
	suite_add_tcase(s, tc);
	return s;
}
