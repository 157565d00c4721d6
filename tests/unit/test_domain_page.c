// SPDX-License-Identifier: GPL-2.0
/*
 * Domain frames one by one: a 2 MiB allocation becomes 512 frames that
 * are released singly; a frame someone else holds a reference to
 * outlives its owner's destruction and is freed by the last put_page().
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/page_alloc.h>
#include <asm/p2m.h>

#define NR_FRAMES	8192

static struct page_info *ft;
static struct domain dom, other;
static unsigned long free0;

static void init_dom(struct domain *d)
{
	memset(d, 0, sizeof(*d));
	d->page_list = PG_LINK_NONE;
	spin_lock_init(&d->page_lock, LOCK_LEVEL_DOMAIN, "domain_pages");
}

static void setup(void)
{
	harness_machine_memory(0, (size_t)NR_FRAMES * PAGE_SIZE);
	ft = calloc(NR_FRAMES, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, NR_FRAMES);
	page_alloc_add_free(1024, NR_FRAMES - 1024);
	free0 = page_alloc_free_pages();
	init_dom(&dom);
	init_dom(&other);
}

static void teardown(void)
{
	free(ft);
	harness_machine_memory_free();
}

START_TEST(alloc_and_release_single_frames)
{
	struct page_info *pg = domain_alloc_frames(&dom, 9);
	unsigned int i;

	ck_assert_ptr_nonnull(pg);
	ck_assert_uint_eq(dom.tot_pages, 512);
	for (i = 0; i < 512; i++) {
		ck_assert_ptr_eq(pg[i].owner, &dom);
		ck_assert_uint_eq(pg[i].count, 1);
	}
	/* Every other frame back, then the rest: the block merges again. */
	for (i = 0; i < 512; i += 2)
		ck_assert_int_eq(domain_release_frame(&dom, &pg[i]), 0);
	ck_assert_uint_eq(dom.tot_pages, 256);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 - 256);
	ck_assert_int_eq(domain_release_frame(&dom, &pg[0]), -EINVAL);
	for (i = 1; i < 512; i += 2)
		ck_assert_int_eq(domain_release_frame(&dom, &pg[i]), 0);
	ck_assert_uint_eq(dom.tot_pages, 0);
	ck_assert_uint_eq(dom.page_list, PG_LINK_NONE);
	ck_assert_uint_eq(page_alloc_free_pages(), free0);
	ck_assert_ptr_nonnull(alloc_pages(9, 0));
}
END_TEST

START_TEST(references)
{
	struct page_info *pg = domain_alloc_frames(&dom, 0);

	ck_assert(get_page(pg, &dom));
	ck_assert(!get_page(pg, &other));
	ck_assert_int_eq(domain_release_frame(&other, pg), -EINVAL);
	ck_assert_uint_eq(pg->count, 2);
	/* Released by its owner but still held: not free, not ownable. */
	ck_assert_int_eq(domain_release_frame(&dom, pg), 0);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 - 1);
	ck_assert(!get_page(pg, &dom));
	put_page(pg);
	ck_assert_uint_eq(page_alloc_free_pages(), free0);
}
END_TEST

START_TEST(relinquish_keeps_held_frames)
{
	struct page_info *a = domain_alloc_frames(&dom, 0);
	struct page_info *b = domain_alloc_frames(&dom, 4);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(get_page(&b[3], &dom));
	domain_relinquish_frames(&dom);
	ck_assert_uint_eq(dom.tot_pages, 0);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 - 1);
	ck_assert_ptr_null(b[3].owner);
	put_page(&b[3]);
	ck_assert_uint_eq(page_alloc_free_pages(), free0);
}
END_TEST

START_TEST(populate_maps_and_counts)
{
	enum p2m_type t;
	unsigned int order;

	ck_assert_int_eq(p2m_init(&dom, P2M_FORMAT_NPT), 0);
	ck_assert_int_eq(domain_populate(&dom, 0x200, 0x201), 0);
	ck_assert_uint_eq(dom.tot_pages, 0x201);
	p2m_lookup(&dom, 0x200, &t, &order);
	ck_assert_int_eq(t, P2M_RAM);
	ck_assert_uint_eq(order, P2M_ORDER_2M);
	p2m_lookup(&dom, 0x400, &t, &order);
	ck_assert_int_eq(t, P2M_RAM);
	ck_assert_uint_eq(order, P2M_ORDER_4K);
	ck_assert_int_eq(domain_populate(&dom, ~0UL, 2), -EINVAL);
	p2m_teardown(&dom);
	domain_relinquish_frames(&dom);
	ck_assert_uint_eq(page_alloc_free_pages(), free0);
}
END_TEST

SUITE(domain_page)
{
	Suite *s = suite_create("domain_page");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, alloc_and_release_single_frames);
	tcase_add_test(tc, references);
	tcase_add_test(tc, relinquish_keeps_held_frames);
	tcase_add_test(tc, populate_maps_and_counts);
	suite_add_tcase(s, tc);
	return s;
}
