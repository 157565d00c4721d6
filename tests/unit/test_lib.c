// SPDX-License-Identifier: GPL-2.0
/*
 * common/string.c and common/vsnprintf.c, built with every global name
 * prefixed hv_ (see UNIT_PREFIXED_SRCS in the Makefile), compared with
 * glibc wherever glibc has the same function.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/types.h>

/*
 * For hot loops: Check's own assertions record their location on every
 * call, which under CK_FORK costs a write each and adds up to minutes.
 */
#define FAST_ASSERT(c) do {						\
	if (!(c))							\
		ck_abort_msg("%s:%d: assertion %s failed", __FILE__,	\
			     __LINE__, #c);				\
} while (0)

void *hv_memcpy(void *dst, const void *src, size_t n);
void *hv_memmove(void *dst, const void *src, size_t n);
void *hv_memset(void *dst, int c, size_t n);
int hv_memcmp(const void *a, const void *b, size_t n);
void *hv_memchr(const void *s, int c, size_t n);
size_t hv_strlen(const char *s);
size_t hv_strnlen(const char *s, size_t max);
int hv_strcmp(const char *a, const char *b);
int hv_strncmp(const char *a, const char *b, size_t n);
char *hv_strchr(const char *s, int c);
char *hv_strrchr(const char *s, int c);
size_t hv_strlcpy(char *dst, const char *src, size_t size);
size_t hv_strlcat(char *dst, const char *src, size_t size);
unsigned long long hv_simple_strtoull(const char *s, const char **end,
				      int base);
long long hv_simple_strtoll(const char *s, const char **end, int base);
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* ---- memory functions -------------------------------------------------- */

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

START_TEST(memcpy_alignments)
{
	unsigned char src[96], a[96], b[96];

	fill(src, sizeof(src), 3);
	for (size_t so = 0; so < 9; so++)
		for (size_t d = 0; d < 9; d++)
			for (size_t n = 0; n < 70; n++) {
				memset(a, 0xee, sizeof(a));
				memset(b, 0xee, sizeof(b));
				FAST_ASSERT(hv_memcpy(a + d, src + so, n) ==
					    a + d);
				memcpy(b + d, src + so, n);
				FAST_ASSERT(!memcmp(a, b, sizeof(a)));
			}
}
END_TEST

START_TEST(memmove_overlap)
{
	unsigned char a[128], b[128];

	for (size_t s = 0; s < 20; s++)
		for (size_t d = 0; d < 20; d++)
			for (size_t n = 0; n < 100; n += 3) {
				fill(a, sizeof(a), 1);
				fill(b, sizeof(b), 1);
				FAST_ASSERT(hv_memmove(a + d, a + s, n) ==
					    a + d);
				memmove(b + d, b + s, n);
				FAST_ASSERT(!memcmp(a, b, sizeof(a)));
			}
}
END_TEST

START_TEST(memset_alignments)
{
	unsigned char a[80], b[80];

	for (size_t d = 0; d < 9; d++)
		for (size_t n = 0; n < 70; n++) {
			fill(a, sizeof(a), 5);
			fill(b, sizeof(b), 5);
			FAST_ASSERT(hv_memset(a + d, 0x1a5, n) == a + d);
			memset(b + d, 0x1a5, n);
			FAST_ASSERT(!memcmp(a, b, sizeof(a)));
		}
}
END_TEST

START_TEST(memcmp_memchr)
{
	unsigned char x[] = { 1, 2, 0x80, 4 }, y[] = { 1, 2, 0x01, 4 };

	ck_assert_int_eq(hv_memcmp(x, y, 2), 0);
	ck_assert_int_eq(hv_memcmp(x, y, 0), 0);
	ck_assert_int_gt(hv_memcmp(x, y, 4), 0);	/* unsigned bytes */
	ck_assert_int_lt(hv_memcmp(y, x, 4), 0);
	ck_assert_ptr_eq(hv_memchr(x, 0x80, 4), x + 2);
	ck_assert_ptr_eq(hv_memchr(x, 0x180, 4), x + 2); /* as unsigned char */
	ck_assert_ptr_null(hv_memchr(x, 4, 3));
	ck_assert_ptr_null(hv_memchr(NULL, 0, 0));
}
END_TEST

/* ---- string functions -------------------------------------------------- */

START_TEST(strlen_strnlen)
{
	char nt[4] = { 'a', 'b', 'c', 'd' };	/* not terminated */

	ck_assert_uint_eq(hv_strlen(""), 0);
	ck_assert_uint_eq(hv_strlen("hello"), 5);
	ck_assert_uint_eq(hv_strnlen("hello", 3), 3);
	ck_assert_uint_eq(hv_strnlen("hi", 10), 2);
	ck_assert_uint_eq(hv_strnlen(nt, 4), 4);	/* ASan: no overread */
	ck_assert_uint_eq(hv_strnlen(nt, 0), 0);
}
END_TEST

START_TEST(strcmp_strncmp)
{
	static const char *const s[] = {
		"", "a", "ab", "abc", "abd", "b", "\x80", "\x01", "ab\x80",
	};

	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		for (size_t j = 0; j < ARRAY_SIZE(s); j++) {
			ck_assert_int_eq(sign(hv_strcmp(s[i], s[j])),
					 sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 5; n++)
				ck_assert_int_eq(
					sign(hv_strncmp(s[i], s[j], n)),
					sign(strncmp(s[i], s[j], n)));
		}
}
END_TEST

START_TEST(strchr_strrchr)
{
	const char *s = "a/b/c";

	ck_assert_ptr_eq(hv_strchr(s, '/'), s + 1);
	ck_assert_ptr_eq(hv_strrchr(s, '/'), s + 3);
	ck_assert_ptr_eq(hv_strchr(s, 0), s + 5);
	ck_assert_ptr_eq(hv_strrchr(s, 0), s + 5);
	ck_assert_ptr_null(hv_strchr(s, 'x'));
	ck_assert_ptr_null(hv_strrchr(s, 'x'));
	ck_assert_ptr_eq(hv_strchr(s, 'a' + 256), s);	/* as char */
	s = "";
	ck_assert_ptr_eq(hv_strrchr(s, 0), s);
}
END_TEST

START_TEST(strlcpy_strlcat)
{
	char b[8];

	memset(b, 'x', sizeof(b));
	ck_assert_uint_eq(hv_strlcpy(b, "hello", sizeof(b)), 5);
	ck_assert_str_eq(b, "hello");
	ck_assert_uint_eq(hv_strlcpy(b, "hello world", sizeof(b)), 11);
	ck_assert_str_eq(b, "hello w");
	memset(b, 'x', sizeof(b));
	ck_assert_uint_eq(hv_strlcpy(b, "abc", 0), 3);
	ck_assert_int_eq(b[0], 'x');
	ck_assert_uint_eq(hv_strlcpy(b, "abc", 1), 3);
	ck_assert_str_eq(b, "");

	hv_strlcpy(b, "ab", sizeof(b));
	ck_assert_uint_eq(hv_strlcat(b, "cd", sizeof(b)), 4);
	ck_assert_str_eq(b, "abcd");
	ck_assert_uint_eq(hv_strlcat(b, "efghij", sizeof(b)), 10);
	ck_assert_str_eq(b, "abcdefg");
	ck_assert_uint_eq(hv_strlcat(b, "x", sizeof(b)), 8);
	ck_assert_str_eq(b, "abcdefg");
	/* No terminator within size: size + strlen(src), nothing written. */
	memset(b, 'y', sizeof(b));
	ck_assert_uint_eq(hv_strlcat(b, "abc", 4), 7);
	ck_assert_int_eq(b[3], 'y');
	ck_assert_uint_eq(hv_strlcat(b, "abc", 0), 3);
}
END_TEST

/* ---- number parsing ---------------------------------------------------- */

static const struct ull_case {
	const char *s;
	int base;
	unsigned long long v;
	size_t used;
} ull_cases[] = {
	{ "123", 10, 123, 3 },		{ "123", 0, 123, 3 },
	{ "0x1f", 0, 0x1f, 4 },		{ "0X1F", 0, 0x1f, 4 },
	{ "0x1f", 16, 0x1f, 4 },	{ "1f", 16, 0x1f, 2 },
	{ "017", 0, 017, 3 },		{ "0", 0, 0, 1 },
	{ "0x", 0, 0, 1 },		{ "0xg", 16, 0, 1 },
	{ "12abc", 10, 12, 2 },		{ "", 10, 0, 0 },
	{ "z", 36, 35, 1 },		{ "101", 2, 5, 3 },
	{ "102", 2, 2, 2 },		{ "089", 0, 0, 1 },
	{ " 1", 10, 0, 0 },		{ "-1", 10, 0, 0 },
	{ "12", 1, 0, 0 },		{ "12", 37, 0, 0 },
	{ "18446744073709551615", 10, ULLONG_MAX, 20 },
	{ "18446744073709551616", 10, ULLONG_MAX, 20 },
	{ "999999999999999999999999", 0, ULLONG_MAX, 24 },
	{ "0xffffffffffffffff", 0, ULLONG_MAX, 18 },
	{ "0x10000000000000000", 0, ULLONG_MAX, 19 },
};

START_TEST(strtoull_cases)
{
	const struct ull_case *c = &ull_cases[_i];
	const char *end = NULL;

	ck_assert_msg(hv_simple_strtoull(c->s, &end, c->base) == c->v,
		      "\"%s\" base %d", c->s, c->base);
	ck_assert_msg(end == c->s + c->used, "\"%s\" base %d: used %td",
		      c->s, c->base, end - c->s);
	ck_assert(hv_simple_strtoull(c->s, NULL, c->base) == c->v);
}
END_TEST

START_TEST(strtoll_cases)
{
	const char *end, *s;

	ck_assert_int_eq(hv_simple_strtoll("-42", &end, 10), -42);
	ck_assert_int_eq(*end, 0);
	ck_assert_int_eq(hv_simple_strtoll("+7x", &end, 0), 7);
	ck_assert_int_eq(*end, 'x');
	ck_assert_int_eq(hv_simple_strtoll("-0x10", &end, 0), -16);
	ck_assert_int_eq(hv_simple_strtoll("9223372036854775807", NULL, 10),
			 LLONG_MAX);
	ck_assert_int_eq(hv_simple_strtoll("9223372036854775808", NULL, 10),
			 LLONG_MAX);
	ck_assert_int_eq(hv_simple_strtoll("-9223372036854775808", NULL, 10),
			 LLONG_MIN);
	ck_assert_int_eq(hv_simple_strtoll("-9223372036854775809", NULL, 10),
			 LLONG_MIN);
	s = "-";
	ck_assert_int_eq(hv_simple_strtoll(s, &end, 10), 0);
	ck_assert_ptr_eq(end, s);
	s = "+q";
	ck_assert_int_eq(hv_simple_strtoll(s, &end, 10), 0);
	ck_assert_ptr_eq(end, s);
}
END_TEST

/* ---- vsnprintf --------------------------------------------------------- */

/* Format with both and compare the text and the return value. */
#define SAME(fmt, ...) do {						\
	char a__[256], b__[256];					\
	int ra__ = hv_snprintf(a__, sizeof(a__), fmt, ##__VA_ARGS__);	\
	int rb__ = snprintf(b__, sizeof(b__), fmt, ##__VA_ARGS__);	\
	if (ra__ != rb__ || strcmp(a__, b__) != 0)			\
		ck_abort_msg(						\
			"format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)", \
			fmt, a__, ra__, b__, rb__);			\
} while (0)

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"

static const char *const int_fmts[] = {
	"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d",
	"%-8.3d|", "%08.3d", "%.0d", "%+05d", "% 05d", "%-+6d|", "%- 6d|",
	"%+.0d", "%0-5d|", "%1d", "%20d", "%020d",
	"%u", "%5u", "%.0u", "%x", "%X", "%#x", "%#X", "%#010x", "%#10x",
	"%#-10x|", "%.0x", "%#.0x", "%#.4x", "%08.4x", "%o", "%#o", "%#.0o",
	"%#5o", "%#.3o", "%.0o", "%+u", "% x", "%hhd", "%hhu", "%hhx",
	"%hd", "%hu", "%hx", "%#hho",
};

static const int int_vals[] = {
	0, 1, -1, 7, 8, 42, -42, 255, 256, 300, -129, 32767, -32769, 65536,
	0x7ffffff, INT_MAX, INT_MIN, INT_MAX - 1,
};

START_TEST(printf_int)
{
	for (size_t f = 0; f < ARRAY_SIZE(int_fmts); f++)
		for (size_t v = 0; v < ARRAY_SIZE(int_vals); v++)
			SAME(int_fmts[f], int_vals[v]);
}
END_TEST

static const char *const ll_fmts[] = {
	"%lld", "%llu", "%llx", "%llX", "%llo", "%#llx", "%+lld", "%30lld",
	"%-30lld|", "%030lld", "%.25lld", "%ld", "%lu", "%lx", "%#lo",
	"%jd", "%ju", "%jx", "%zu", "%zx", "%zd", "%td", "%tx", "%li",
	"%lli", "%ji", "%zi", "%ti", "%#.0llo", "% lld",
};

static const long long ll_vals[] = {
	0, 1, -1, 42, -42, INT_MIN, INT_MAX, (long long)UINT_MAX + 1,
	LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, 0x123456789abcdefLL,
};

START_TEST(printf_long)
{
	for (size_t f = 0; f < ARRAY_SIZE(ll_fmts); f++)
		for (size_t v = 0; v < ARRAY_SIZE(ll_vals); v++)
			SAME(ll_fmts[f], ll_vals[v]);
	SAME("%llu %llx %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
}
END_TEST

START_TEST(printf_star)
{
	static const int w[] = { -12, -1, 0, 1, 5, 12 };

	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		for (size_t j = 0; j < ARRAY_SIZE(w); j++) {
			SAME("[%*d]", w[i], 42);
			SAME("[%*.*d]", w[i], w[j], -42);
			SAME("[%-*.*x]", w[i], w[j], 0xabc);
			SAME("[%0*.*d]", w[i], w[j], 7);
			SAME("[%0*d]", w[i], -7);
			SAME("[%*.*s]", w[i], w[j], "hello");
			SAME("[%.*s]", w[j], "hello");
			SAME("[%*c]", w[i], 'q');
		}
}
END_TEST

START_TEST(printf_text)
{
	const char *null = NULL;
	char nt[3] = { 'a', 'b', 'c' };	/* not terminated */

	SAME("%s", "hello");
	SAME("[%10s]", "hello");
	SAME("[%-10s]", "hello");
	SAME("[%.2s]", "hello");
	SAME("[%.0s]", "hello");
	SAME("[%3s]", "hello");
	SAME("[%s]", "");
	SAME("[%c%c%c]", 'a', 0x162, '\t');
	SAME("[%-3c]", 'z');
	SAME("100%%");
	SAME("%%d %d %%", 3);
	SAME("no conversions");
	SAME("%s and %d and %x and %c and %%", "mix", -5, 255u, 'm');
	SAME("[%s]", null);
	SAME("[%10s]", null);
	SAME("[%.3s]", nt);	/* ASan: at most 3 bytes read */
}
END_TEST

START_TEST(printf_pointer)
{
	int x;
	char a[64], b[64];
	void *ptrs[] = { &x, (void *)1, (void *)UINTPTR_MAX, a };

	for (size_t i = 0; i < ARRAY_SIZE(ptrs); i++) {
		hv_snprintf(a, sizeof(a), "%p", ptrs[i]);
		snprintf(b, sizeof(b), "0x%lx", (unsigned long)ptrs[i]);
		ck_assert_str_eq(a, b);
		hv_snprintf(a, sizeof(a), "[%20p]", ptrs[i]);
		snprintf(b, sizeof(b), "[%#20lx]", (unsigned long)ptrs[i]);
		ck_assert_str_eq(a, b);
		hv_snprintf(a, sizeof(a), "[%-20p]", ptrs[i]);
		snprintf(b, sizeof(b), "[%-#20lx]", (unsigned long)ptrs[i]);
		ck_assert_str_eq(a, b);
	}
	ck_assert_int_eq(hv_snprintf(a, sizeof(a), "%p", NULL), 3);
	ck_assert_str_eq(a, "0x0");
}
END_TEST

START_TEST(printf_truncation)
{
	char buf[32];
	const char *expect = "value=12345 name=lamina";
	int len = (int)strlen(expect);

	for (size_t size = 0; size < 28; size++) {
		memset(buf, '#', sizeof(buf));
		ck_assert_int_eq(hv_snprintf(buf, size, "value=%d name=%s",
					     12345, "lamina"), len);
		if (size) {
			ck_assert_uint_eq(strlen(buf),
					  MIN(size - 1, (size_t)len));
			ck_assert(!strncmp(buf, expect, size - 1));
		}
		for (size_t i = size; i < sizeof(buf); i++)
			ck_assert_int_eq(buf[i], '#');
	}
	ck_assert_int_eq(hv_snprintf(NULL, 0, "%d%s", 1000, "xyz"), 7);
	/* Big padding is counted, not written. */
	ck_assert_int_eq(hv_snprintf(buf, 4, "%1000d", 1), 1000);
	ck_assert_str_eq(buf, "   ");
}
END_TEST

START_TEST(printf_unknown)
{
	char buf[64];

	ck_assert_int_eq(hv_snprintf(buf, sizeof(buf), "a%qb"), 4);
	ck_assert_str_eq(buf, "a%qb");
	ck_assert_int_eq(hv_snprintf(buf, sizeof(buf), "%-5ky"), 5);
	ck_assert_str_eq(buf, "%-5ky");
	ck_assert_int_eq(hv_snprintf(buf, sizeof(buf), "end%"), 4);
	ck_assert_str_eq(buf, "end%");
	ck_assert_int_eq(hv_snprintf(buf, sizeof(buf), "%n"), 2);
	ck_assert_str_eq(buf, "%n");
}
END_TEST

static int call_v(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(printf_va_list)
{
	char buf[64];

	ck_assert_int_eq(call_v(buf, sizeof(buf), "%d-%s-%*d-%llx", 1, "two",
				4, 3, 0x1234567890ULL), 21);
	ck_assert_str_eq(buf, "1-two-   3-1234567890");
}
END_TEST

SUITE(lib)
{
	Suite *s = suite_create("lib");
	TCase *tc = tcase_create("string");

	tcase_add_test(tc, memcpy_alignments);
	tcase_add_test(tc, memmove_overlap);
	tcase_add_test(tc, memset_alignments);
	tcase_add_test(tc, memcmp_memchr);
	tcase_add_test(tc, strlen_strnlen);
	tcase_add_test(tc, strcmp_strncmp);
	tcase_add_test(tc, strchr_strrchr);
	tcase_add_test(tc, strlcpy_strlcat);
	tcase_add_loop_test(tc, strtoull_cases, 0, ARRAY_SIZE(ull_cases));
	tcase_add_test(tc, strtoll_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("vsnprintf");
	tcase_add_test(tc, printf_int);
	tcase_add_test(tc, printf_long);
	tcase_add_test(tc, printf_star);
	tcase_add_test(tc, printf_text);
	tcase_add_test(tc, printf_pointer);
	tcase_add_test(tc, printf_truncation);
	tcase_add_test(tc, printf_unknown);
	tcase_add_test(tc, printf_va_list);
	suite_add_tcase(s, tc);
	return s;
}
