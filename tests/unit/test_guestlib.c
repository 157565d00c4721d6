// SPDX-License-Identifier: GPL-2.0
/*
 * The reference guest library (pv-guest-patches/lib) on the host: its
 * vsnprintf compared with glibc's for every conversion it supports, and
 * its command-line lookups. Built with the prefix guestlib_ (see
 * UNIT_GUEST_SRCS in the Makefile).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

int guestlib_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void guestlib_cmdline_set(const char *s);
const char *guestlib_cmdline(void);
bool guestlib_cmdline_arg(const char *key, char *buf, size_t size);
long guestlib_cmdline_num(const char *key, long dflt);
uint64_t guestlib_bench_median(uint64_t (*run)(const void *arg),
			       const void *arg, char *list);

/* For formats the compiler would reject. */
static int (*const unchecked_snprintf)(char *, size_t, const char *, ...) =
	guestlib_snprintf;

/* Both formatters, one format: the same text and the same length. */
#define SAME_AS_GLIBC(fmt, ...) do {					\
	char g[128], want[128];						\
	int ng = guestlib_snprintf(g, sizeof(g), fmt, __VA_ARGS__);	\
	int nw = snprintf(want, sizeof(want), fmt, __VA_ARGS__);	\
	ck_assert_str_eq(g, want);					\
	ck_assert_int_eq(ng, nw);					\
} while (0)

START_TEST(format_integers)
{
	SAME_AS_GLIBC("%d %d %d %d", 0, -1, INT_MIN, INT_MAX);
	SAME_AS_GLIBC("%i|%5d|%-5d|%05d|", 7, -42, -42, -42);
	SAME_AS_GLIBC("%u %u", 0U, UINT_MAX);
	SAME_AS_GLIBC("%ld %ld %lu", LONG_MIN, LONG_MAX, ULONG_MAX);
	SAME_AS_GLIBC("%lld %llu %zu", LLONG_MIN, ULLONG_MAX, (size_t)12345);
	SAME_AS_GLIBC("%3d|%1d", 12345, 0);
}
END_TEST

START_TEST(format_hex)
{
	SAME_AS_GLIBC("%x %X %x", 0xdeadbeefU, 0xdeadbeefU, 0U);
	SAME_AS_GLIBC("%#x %#x %#010x %#lx", 0U, 255U, 255U, 0x40011UL);
	SAME_AS_GLIBC("%016lx %lx %8x|%-8x|", 0x1234UL, ULONG_MAX, 0xabU,
		      0xabU);
	SAME_AS_GLIBC("%p %p", (void *)0x1234, (void *)0xffff800000000000UL);
}
END_TEST

START_TEST(format_text)
{
	SAME_AS_GLIBC("%s|%8s|%-8s|%2s", "abc", "abc", "abc", "abcdef");
	SAME_AS_GLIBC("%c|%3c|%-3c|%%|100%%", 'x', 'y', 'z');
	SAME_AS_GLIBC("%s", "");
}
END_TEST

START_TEST(format_truncation)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(guestlib_snprintf(buf, 4, "abcdef"), 6);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(buf[4], '#');
	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(guestlib_snprintf(buf, 0, "abc%d", 12), 5);
	ck_assert_int_eq(buf[0], '#');
	ck_assert_int_eq(guestlib_snprintf(buf, 1, "%s", "abc"), 3);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* Unknown conversions are printed as written; a lone '%' at the end
 * ends the output; '-' wins over '0' (as in C). */
START_TEST(format_unusual)
{
	char buf[32];

	ck_assert_int_eq(unchecked_snprintf(buf, sizeof(buf), "a%qb"), 4);
	ck_assert_str_eq(buf, "a%qb");
	unchecked_snprintf(buf, sizeof(buf), "end%");
	ck_assert_str_eq(buf, "end");
	unchecked_snprintf(buf, sizeof(buf), "%-05d|", 42);
	ck_assert_str_eq(buf, "42   |");
}
END_TEST

START_TEST(cmdline_lookups)
{
	char buf[16];

	guestlib_cmdline_set("build/guests/burn.elf  test=cpuid burn=10 verbose "
			  "testing=1 test=second");
	ck_assert(guestlib_cmdline_arg("test", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "cpuid");			/* the first wins */
	ck_assert(guestlib_cmdline_arg("verbose", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "");
	ck_assert(!guestlib_cmdline_arg("tes", buf, sizeof(buf)));
	ck_assert(!guestlib_cmdline_arg("missing", buf, sizeof(buf)));
	ck_assert(!guestlib_cmdline_arg("elf", buf, sizeof(buf)));
	ck_assert_int_eq(guestlib_cmdline_num("burn", -1), 10);
	ck_assert_int_eq(guestlib_cmdline_num("test", -1), -1);	/* not a number */
	ck_assert_int_eq(guestlib_cmdline_num("verbose", -1), -1);	/* no value */
	ck_assert_int_eq(guestlib_cmdline_num("missing", 7), 7);
}
END_TEST

START_TEST(cmdline_limits)
{
	char small[4], line[2048];

	guestlib_cmdline_set("key=abcdefgh");
	ck_assert(guestlib_cmdline_arg("key", small, sizeof(small)));
	ck_assert_str_eq(small, "abc");			/* cut to fit */
	guestlib_cmdline_set("");
	ck_assert(!guestlib_cmdline_arg("key", small, sizeof(small)));
	guestlib_cmdline_set("   ");
	ck_assert(!guestlib_cmdline_arg("key", small, sizeof(small)));
	memset(line, 'x', sizeof(line) - 1);		/* kept: 1023 bytes */
	line[sizeof(line) - 1] = '\0';
	guestlib_cmdline_set(line);
	ck_assert_uint_eq(strlen(guestlib_cmdline()), 1023);
}
END_TEST

/* Runs that return 50, 10, 40, 20, 30: the median is 30, and the list
 * keeps the runs' order. */
static uint64_t scripted(const void *arg)
{
	const uint64_t **next = (const uint64_t **)arg;

	return *(*next)++;
}

START_TEST(bench_median_and_list)
{
	static const uint64_t vals[] = { 50, 10, 40, 20, 30 };
	const uint64_t *next = vals;
	char list[5 * 21 + 1];

	ck_assert_uint_eq(guestlib_bench_median(scripted, &next, list), 30);
	ck_assert_str_eq(list, " 50 10 40 20 30");
	ck_assert_ptr_eq(next, vals + 5);
}
END_TEST

SUITE(guestlib)
{
	Suite *s = suite_create("guestlib");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, format_integers);
	tcase_add_test(tc, format_hex);
	tcase_add_test(tc, format_text);
	tcase_add_test(tc, format_truncation);
	tcase_add_test(tc, format_unusual);
	suite_add_tcase(s, tc);
	tc = tcase_create("cmdline");
	tcase_add_test(tc, cmdline_lookups);
	tcase_add_test(tc, cmdline_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("bench");
	tcase_add_test(tc, bench_median_and_list);
	suite_add_tcase(s, tc);
	return s;
}
