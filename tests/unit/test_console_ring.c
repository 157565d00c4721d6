// SPDX-License-Identifier: GPL-2.0
/*
 * The console page's rings (common/console_ring.c), with the indices a
 * well-behaved guest writes and those a hostile one might: producer
 * behind the consumer, more than a ring ahead, counters wrapping at
 * 2^32. The page is a heap block of exactly its size, so that AddressSanitizer
 * catches any access outside it.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/console_ring.h>
#include <lamina/errno.h>

#define OUT_SIZE	sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE		sizeof(((struct xencons_interface *)0)->in)

static struct xencons_interface *intf;

static void setup(void)
{
	intf = calloc(1, sizeof(*intf));
	ck_assert_ptr_nonnull(intf);
}

static void teardown(void)
{
	free(intf);
	intf = NULL;
}

/* The guest's side: append s to the out ring (no checks: test data). */
static void guest_write(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		intf->out[MASK_XENCONS_IDX(intf->out_prod + i, intf->out)] = s[i];
	intf->out_prod += n;
}

START_TEST(out_empty)
{
	char buf[16];

	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)), 0);
	intf->out_cons = intf->out_prod = 0xdeadbeef;
	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(intf->out_cons, 0xdeadbeef);
}
END_TEST

START_TEST(out_takes_in_order)
{
	char buf[16] = { 0 };

	guest_write("hello\n", 6);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)), 6);
	ck_assert_mem_eq(buf, "hello\n", 6);
	ck_assert_uint_eq(intf->out_cons, 6);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)), 0);
}
END_TEST

/* A short buffer takes a prefix; the rest stays for the next call. */
START_TEST(out_partial)
{
	char buf[4];

	guest_write("abcdefg", 7);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, 4), 4);
	ck_assert_mem_eq(buf, "abcd", 4);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, 4), 3);
	ck_assert_mem_eq(buf, "efg", 3);
	ck_assert_uint_eq(intf->out_cons, 7);
}
END_TEST

/* Indices wrap at 2^32; positions wrap at the ring's end. */
START_TEST(out_wraps)
{
	char buf[32];

	intf->out_cons = intf->out_prod = 0xfffffffc;
	guest_write("0123456789", 10);
	ck_assert_uint_eq(intf->out_prod, 6);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)), 10);
	ck_assert_mem_eq(buf, "0123456789", 10);
	ck_assert_uint_eq(intf->out_cons, 6);
	ck_assert_int_eq(intf->out[OUT_SIZE - 4], '0');
	ck_assert_int_eq(intf->out[0], '4');
}
END_TEST

/* A full ring (exactly its size ahead) is valid and taken whole. */
START_TEST(out_full)
{
	static char buf[4096];

	intf->out_cons = 100;
	intf->out_prod = 100 + OUT_SIZE;
	memset(intf->out, 'x', OUT_SIZE);
	ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)),
			 (int)OUT_SIZE);
	ck_assert_uint_eq(intf->out_cons, 100 + OUT_SIZE);
}
END_TEST

/* One byte more than the ring holds, or a producer behind its consumer:
 * refused, nothing consumed. */
START_TEST(out_hostile)
{
	static const XENCONS_RING_IDX bad[][2] = {
		{ 0, OUT_SIZE + 1 }, { 10, 9 }, { 0, 0xffffffff },
		{ 0x80000000, 0 }, { 0xffffff00, 0x00000f00 },
	};
	char buf[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		intf->out_cons = bad[i][0];
		intf->out_prod = bad[i][1];
		ck_assert_int_eq(cons_ring_take_out(intf, buf, sizeof(buf)),
				 -EINVAL);
		ck_assert_uint_eq(intf->out_cons, bad[i][0]);
		ck_assert_uint_eq(intf->out_prod, bad[i][1]);
	}
}
END_TEST

START_TEST(in_puts_and_fills)
{
	static char big[2048];

	ck_assert_int_eq(cons_ring_put_in(intf, "ls\r", 3), 3);
	ck_assert_uint_eq(intf->in_prod, 3);
	ck_assert_mem_eq(intf->in, "ls\r", 3);
	/* Room for IN_SIZE - 3 more, whatever is offered. */
	memset(big, 'y', sizeof(big));
	ck_assert_int_eq(cons_ring_put_in(intf, big, sizeof(big)),
			 (int)(IN_SIZE - 3));
	ck_assert_uint_eq(intf->in_prod, IN_SIZE);
	ck_assert_int_eq(cons_ring_put_in(intf, "z", 1), 0);
	/* The guest reads two bytes: two slots free, at the ring's start. */
	intf->in_cons = 2;
	ck_assert_int_eq(cons_ring_put_in(intf, "abc", 3), 2);
	ck_assert_mem_eq(intf->in, "ab", 2);
	ck_assert_uint_eq(intf->in_prod, IN_SIZE + 2);
}
END_TEST

START_TEST(in_wraps)
{
	intf->in_cons = intf->in_prod = 0xfffffffe;
	ck_assert_int_eq(cons_ring_put_in(intf, "wxyz", 4), 4);
	ck_assert_uint_eq(intf->in_prod, 2);
	ck_assert_int_eq(intf->in[IN_SIZE - 2], 'w');
	ck_assert_int_eq(intf->in[IN_SIZE - 1], 'x');
	ck_assert_int_eq(intf->in[0], 'y');
	ck_assert_int_eq(intf->in[1], 'z');
}
END_TEST

START_TEST(in_hostile)
{
	static const XENCONS_RING_IDX bad[][2] = {	/* cons, prod */
		{ 0, IN_SIZE + 1 }, { 5, 4 }, { 0x80000000, 0 },
		{ 0, 0xffffffff },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		intf->in_cons = bad[i][0];
		intf->in_prod = bad[i][1];
		ck_assert_int_eq(cons_ring_put_in(intf, "q", 1), -EINVAL);
		ck_assert_uint_eq(intf->in_prod, bad[i][1]);
	}
}
END_TEST

/* Random indices: the result is always -EINVAL or within both the ring
 * and the buffer, and no access leaves the page (AddressSanitizer). */
START_TEST(random_indices)
{
	char buf[3000];
	unsigned int seed = 12345, i;

	for (i = 0; i < 100000; i++) {
		XENCONS_RING_IDX c, p;
		size_t len;
		int n;

		seed = seed * 1103515245 + 12345;
		c = seed;
		seed = seed * 1103515245 + 12345;
		p = (i & 1) ? c + (seed % 4096) : seed;
		len = seed % sizeof(buf);
		intf->out_cons = c;
		intf->out_prod = p;
		n = cons_ring_take_out(intf, buf, len);
		if (p - c > OUT_SIZE) {
			ck_assert_int_eq(n, -EINVAL);
		} else {
			ck_assert_int_ge(n, 0);
			ck_assert_uint_le((size_t)n, len);
			ck_assert_uint_le((XENCONS_RING_IDX)n, p - c);
			ck_assert_uint_eq(intf->out_cons, c + n);
		}
		intf->in_cons = c;
		intf->in_prod = p;
		n = cons_ring_put_in(intf, buf, len);
		if (p - c > IN_SIZE) {
			ck_assert_int_eq(n, -EINVAL);
		} else {
			ck_assert_int_ge(n, 0);
			ck_assert_uint_le((size_t)n, len);
			ck_assert_uint_le(p - c + n, IN_SIZE);
			ck_assert_uint_eq(intf->in_prod, p + n);
		}
	}
}
END_TEST

SUITE(console_ring)
{
	Suite *s = suite_create("console_ring");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, out_empty);
	tcase_add_test(tc, out_takes_in_order);
	tcase_add_test(tc, out_partial);
	tcase_add_test(tc, out_wraps);
	tcase_add_test(tc, out_full);
	tcase_add_test(tc, out_hostile);
	tcase_add_test(tc, in_puts_and_fills);
	tcase_add_test(tc, in_wraps);
	tcase_add_test(tc, in_hostile);
	tcase_add_test(tc, random_indices);
	suite_add_tcase(s, tc);
	return s;
}
