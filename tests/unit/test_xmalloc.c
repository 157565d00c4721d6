// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>
#include <lamina/xmalloc.h>

/*
 * For hot loops: Check's own assertions record their location on every
 * call, which under CK_FORK costs a write each and adds up to minutes.
 */
#define FAST_ASSERT(c) do {						\
	if (!(c))							\
		ck_abort_msg("%s:%d: assertion %s failed", __FILE__,	\
			     __LINE__, #c);				\
} while (0)

#define FRAMES	8192	/* 32 MiB of machine memory */

static struct page_info *ft;
static unsigned long baseline;

static void setup_heap(unsigned long frames)
{
	harness_machine_memory(0, frames * PAGE_SIZE);
	free(ft);
	ft = calloc(frames, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, frames);
	page_alloc_add_free(1, frames - 1);
	baseline = page_alloc_free_pages();
}

static void setup(void)
{
	setup_heap(FRAMES);
}

static void teardown(void)
{
	free(ft);
	ft = NULL;
	harness_machine_memory_free();
}

static void fill(void *p, size_t n, unsigned int tag)
{
	memset(p, (int)(tag & 0xff), n);
}

/* One assertion per block: each Check assertion costs a pipe write. */
static void check_fill(const void *p, size_t n, unsigned int tag)
{
	const unsigned char *c = p;
	size_t i = 0;

	while (i < n && c[i] == (tag & 0xff))
		i++;
	if (i != n)
		ck_abort_msg("byte %zu of %zu overwritten", i, n);
}

static const size_t sizes[] = {
	0, 1, 7, 15, 16, 17, 31, 32, 33, 48, 63, 64, 100, 112, 113, 240,
	500, 1000, 1008, 1009, 2000, XMALLOC_MAX_SMALL, XMALLOC_MAX_SMALL + 1,
	4080, 4096, 10000, 65536, 1 << 20, 3 << 20,
};

START_TEST(sizes_and_alignment)
{
	void *p[ARRAY_SIZE(sizes)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = xmalloc_bytes(sizes[i]);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert(IS_ALIGNED((uintptr_t)p[i], XMALLOC_ALIGN));
		fill(p[i], sizes[i], (unsigned int)i + 1);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		check_fill(p[i], sizes[i], (unsigned int)i + 1);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		xfree(p[i]);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

START_TEST(every_small_size)
{
	for (size_t n = 0; n <= 5000; n++) {
		unsigned char *p = xmalloc_bytes(n);

		FAST_ASSERT(p);
		FAST_ASSERT(IS_ALIGNED((uintptr_t)p, XMALLOC_ALIGN));
		if (n) {
			p[0] = 1;
			p[n - 1] = 2;
		}
		xfree(p);
	}
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

START_TEST(zero_size_is_unique)
{
	void *a = xmalloc_bytes(0), *b = xmalloc_bytes(0);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_ne(a, b);
	xfree(a);
	xfree(b);
	xfree(NULL);
}
END_TEST

START_TEST(xzalloc_zeroes)
{
	size_t n;

	for (n = 1; n < 6000; n += 499) {
		unsigned char *p = xmalloc_bytes(n);

		memset(p, 0xff, n);
		xfree(p);
		p = xzalloc_bytes(n);	/* likely the same chunk */
		check_fill(p, n, 0);
		xfree(p);
	}
}
END_TEST

struct odd {
	char c;
	uint64_t v;
	char tail[3];
};

START_TEST(typed_and_arrays)
{
	struct odd *o = xzalloc(struct odd);
	uint32_t *a = xmalloc_array(uint32_t, 1000);
	uint64_t *z = xzalloc_array(uint64_t, 300);

	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->v, 0);
	ck_assert_ptr_nonnull(a);
	a[999] = 5;
	check_fill(z, 300 * sizeof(*z), 0);
	xfree(o);
	xfree(a);
	xfree(z);
	ck_assert_ptr_null(xmalloc_array(uint64_t, SIZE_MAX / 4));
	ck_assert_ptr_null(xzalloc_array(uint32_t, SIZE_MAX / 2));
	ck_assert_ptr_null(xmalloc_array_bytes(SIZE_MAX / 3, 4, false));
	ck_assert_ptr_null(xmalloc_bytes(SIZE_MAX));
	ck_assert_ptr_null(xmalloc_bytes(SIZE_MAX - 8));
	ck_assert_ptr_null(xmalloc_bytes((size_t)2 << 30));	/* > 1 GiB */
	ck_assert_ptr_null(xmalloc_bytes(64 << 20));	/* > memory */
	a = xmalloc_array(uint32_t, 0);
	ck_assert_ptr_nonnull(a);
	xfree(a);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

START_TEST(pages_come_back)
{
	enum { N = 3000 };
	static void *p[N];
	int i;

	for (i = 0; i < N; i++)
		p[i] = xmalloc_bytes(100 + (size_t)(i % 7) * 150);
	ck_assert_uint_lt(page_alloc_free_pages(), baseline - 100);
	/* Every other one first: slabs become partial, not empty. */
	for (i = 0; i < N; i += 2)
		xfree(p[i]);
	ck_assert_uint_lt(page_alloc_free_pages(), baseline);
	for (i = 1; i < N; i += 2)
		xfree(p[i]);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

START_TEST(out_of_memory)
{
	static void *p[512];
	int n = 0;

	setup_heap(64);		/* 63 free pages */
	while (n < 512 && (p[n] = xmalloc_bytes(1000)))
		n++;
	ck_assert_int_lt(n, 512);
	ck_assert_int_gt(n, 63 * 3);
	ck_assert_ptr_null(xmalloc_bytes(8000));
	ck_assert_uint_eq(spin_locks_held(), 0);
	while (n--)
		xfree(p[n]);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	p[0] = xmalloc_bytes(100000);
	ck_assert_ptr_nonnull(p[0]);
	xfree(p[0]);
}
END_TEST

START_TEST(misuse_panics)
{
	char *p = xmalloc_bytes(40), *q = xmalloc_bytes(40);
	char *big = xmalloc_bytes(10000);
	char *raw = alloc_xenheap_pages(0, MEMF_zero);

	xfree(p);
	EXPECT_PANIC(xfree(p));
	ck_assert_msg(strstr(harness_panic_msg, "double free"), "%s",
		      harness_panic_msg);
	EXPECT_PANIC(xfree(q + 16));	/* inside a block */
	ck_assert(strstr(harness_panic_msg, "not a heap block"));
	EXPECT_PANIC(xfree(q + 1));	/* misaligned */
	EXPECT_PANIC(xfree(raw + 64));	/* never from xmalloc */
	xfree(big);
	EXPECT_PANIC(xfree(big));
	ck_assert(strstr(harness_panic_msg, "double free"));
	ck_assert_uint_eq(spin_locks_held(), 0);
	xfree(q);
	free_xenheap_pages(raw, 0);
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
}
END_TEST

/* ---- randomized ---------------------------------------------------------- */

#define SLOTS	512

static size_t random_size(void)
{
	switch (random() % 10) {
	case 0:
		return (size_t)random() % 40000;
	case 1:
	case 2:
		return (size_t)random() % 2100;
	default:
		return (size_t)random() % 200;
	}
}

START_TEST(random_stress)
{
	static struct {
		unsigned char *p;
		size_t n;
		unsigned int tag;
	} s[SLOTS];
	unsigned int i;

	memset(s, 0, sizeof(s));
	srandom(99);
	for (i = 1; i <= 30000; i++) {
		unsigned int k = (unsigned int)random() % SLOTS;

		if (s[k].p) {
			check_fill(s[k].p, s[k].n, s[k].tag);
			xfree(s[k].p);
			s[k].p = NULL;
			continue;
		}
		s[k].n = random_size();
		s[k].tag = i;
		s[k].p = random() % 4 ? xmalloc_bytes(s[k].n) :
					xzalloc_bytes(s[k].n);
		FAST_ASSERT(s[k].p);
		FAST_ASSERT(IS_ALIGNED((uintptr_t)s[k].p, XMALLOC_ALIGN));
		fill(s[k].p, s[k].n, i);
	}
	for (i = 0; i < SLOTS; i++) {
		if (s[i].p) {
			check_fill(s[i].p, s[i].n, s[i].tag);
			xfree(s[i].p);
		}
	}
	ck_assert_uint_eq(page_alloc_free_pages(), baseline);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

SUITE(xmalloc)
{
	Suite *s = suite_create("xmalloc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sizes_and_alignment);
	tcase_add_test(tc, every_small_size);
	tcase_add_test(tc, zero_size_is_unique);
	tcase_add_test(tc, xzalloc_zeroes);
	tcase_add_test(tc, typed_and_arrays);
	tcase_add_test(tc, pages_come_back);
	tcase_add_test(tc, out_of_memory);
	tcase_add_test(tc, misuse_panics);
	tcase_add_test(tc, random_stress);
	suite_add_tcase(s, tc);
	return s;
}
