// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include <lamina/errno.h>
#include <lamina/param.h>

static bool opt_bool, opt_bool2;
static unsigned int opt_uint;
static unsigned char opt_u8;
static unsigned long long opt_ull;
static unsigned long long opt_size;
static unsigned int opt_size32;
static char opt_str[8];
static char custom_seen[64];
static int custom_calls;

static int custom_fn(const char *val)
{
	custom_calls++;
	strcpy(custom_seen, val ? val : "(null)");
	return val && !strcmp(val, "bad") ? -EINVAL : 0;
}

static const struct kernel_param params[] = {
	PARAM_ENTRY_BOOL("flag", opt_bool),
	PARAM_ENTRY_BOOL("other_flag", opt_bool2),
	PARAM_ENTRY_UINT("n", opt_uint),
	PARAM_ENTRY_UINT("byte", opt_u8),
	PARAM_ENTRY_UINT("big", opt_ull),
	PARAM_ENTRY_SIZE("mem", opt_size),
	PARAM_ENTRY_SIZE("mem32", opt_size32),
	PARAM_ENTRY_STRING("str", opt_str),
	PARAM_ENTRY_CUSTOM("cust", custom_fn),
};

/* The registration macros must compile (and land in .init.param). */
static bool reg_bool;
static unsigned long reg_ul;
static char reg_str[4];
boolean_param("reg-bool", reg_bool);
integer_param("reg-ul", reg_ul);
size_param("reg-size", reg_ul);
string_param("reg-str", reg_str);
custom_param("reg-cust", custom_fn);

static int parse(const char *s)
{
	harness_log_clear();
	return cmdline_parse(s, params, params + ARRAY_SIZE(params));
}

static void reset(void)
{
	opt_bool = opt_bool2 = false;
	opt_uint = 0;
	opt_u8 = 0;
	opt_ull = opt_size = 0;
	opt_size32 = 0;
	strcpy(opt_str, "old");
	custom_seen[0] = 0;
	custom_calls = 0;
}

START_TEST(empty)
{
	reset();
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(parse("   \t "), 0);
	ck_assert_int_eq(cmdline_parse(NULL, params, params), 0);
}
END_TEST

START_TEST(booleans)
{
	static const char *const t[] = { "1", "yes", "true", "on", "enable" };
	static const char *const f[] = { "0", "no", "false", "off",
					 "disable" };
	char buf[64];
	unsigned int i;

	reset();
	ck_assert_int_eq(parse("flag"), 0);
	ck_assert(opt_bool);
	ck_assert_int_eq(parse("no-flag"), 0);
	ck_assert(!opt_bool);
	ck_assert_int_eq(parse("no-flag=0"), 0);
	ck_assert(opt_bool);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		snprintf(buf, sizeof(buf), "flag=%s other-flag=%s", f[i], t[i]);
		ck_assert_int_eq(parse(buf), 0);
		ck_assert(!opt_bool && opt_bool2);
	}
	ck_assert_int_eq(parse("flag=maybe"), 1);
	ck_assert(harness_log_has(
		"(lamina) bad value 'maybe' for option 'flag'\n"));
	ck_assert_int_eq(parse("flag="), 1);
	ck_assert(harness_log_has("(lamina) bad value '' for option 'flag'"));
}
END_TEST

START_TEST(dash_underscore)
{
	reset();
	ck_assert_int_eq(parse("other-flag"), 0);
	ck_assert(opt_bool2);
	ck_assert_int_eq(parse("no_other_flag"), 1);	/* "no-" only */
	ck_assert_int_eq(parse("no-other_flag"), 0);
	ck_assert(!opt_bool2);
}
END_TEST

START_TEST(integers)
{
	reset();
	ck_assert_int_eq(parse("n=42 byte=0xff big=0xFFFFFFFFFFFFFFFF"), 0);
	ck_assert_uint_eq(opt_uint, 42);
	ck_assert_uint_eq(opt_u8, 255);
	ck_assert(opt_ull == ~0ULL);
	ck_assert_int_eq(parse("n=010"), 0);		/* not octal */
	ck_assert_uint_eq(opt_uint, 10);
	ck_assert_int_eq(parse("n=4294967295"), 0);
	ck_assert_uint_eq(opt_uint, 4294967295u);
}
END_TEST

START_TEST(integer_errors)
{
	reset();
	opt_uint = 7;
	ck_assert_int_eq(parse("n=4294967296"), 1);	/* does not fit */
	ck_assert(harness_log_has(
		"(lamina) bad value '4294967296' for option 'n'"));
	ck_assert_int_eq(parse("byte=256"), 1);
	ck_assert_int_eq(parse("big=18446744073709551616"), 1); /* overflow */
	ck_assert_int_eq(parse("big=0x10000000000000000"), 1);
	ck_assert_int_eq(parse("n=12abc"), 1);
	ck_assert_int_eq(parse("n=-1"), 1);
	ck_assert_int_eq(parse("n=0x"), 1);
	ck_assert_int_eq(parse("n="), 1);
	ck_assert_int_eq(parse("n"), 1);
	ck_assert(harness_log_has("(lamina) bad value '' for option 'n'"));
	ck_assert_uint_eq(opt_uint, 7);
	ck_assert_uint_eq(opt_u8, 0);
}
END_TEST

START_TEST(sizes)
{
	uint64_t v;

	reset();
	ck_assert_int_eq(parse("mem=16"), 0);		/* KiB by default */
	ck_assert(opt_size == 16 << 10);
	ck_assert_int_eq(parse("mem=512b"), 0);
	ck_assert(opt_size == 512);
	ck_assert_int_eq(parse("mem=3K"), 0);
	ck_assert(opt_size == 3 << 10);
	ck_assert_int_eq(parse("mem=0x10m"), 0);
	ck_assert(opt_size == 16 << 20);
	ck_assert_int_eq(parse("mem=2G"), 0);
	ck_assert(opt_size == 2ULL << 30);
	ck_assert_int_eq(parse("mem=1t"), 0);
	ck_assert(opt_size == 1ULL << 40);
	ck_assert_int_eq(parse("mem32=3g"), 0);
	ck_assert_uint_eq(opt_size32, 3u << 30);
	ck_assert_int_eq(parse_size("16777215T", &v), 0);
	ck_assert(v == 16777215ULL << 40);
}
END_TEST

START_TEST(size_errors)
{
	uint64_t v;

	reset();
	ck_assert_int_eq(parse("mem=1x"), 1);
	ck_assert(harness_log_has("(lamina) bad value '1x' for option 'mem'"));
	ck_assert_int_eq(parse("mem=1MB"), 1);
	ck_assert_int_eq(parse("mem=M"), 1);
	ck_assert_int_eq(parse("mem"), 1);
	ck_assert_int_eq(parse("mem32=4G"), 1);		/* does not fit */
	ck_assert_int_eq(parse("mem=16777216T"), 1);	/* 2^64 */
	ck_assert_int_eq(parse("mem=18014398509481984"), 1); /* KiB overflow */
	ck_assert_int_eq(parse_size("1%", &v), -EINVAL);
	ck_assert(opt_size == 0);
}
END_TEST

START_TEST(strings)
{
	reset();
	ck_assert_int_eq(parse("str=abc"), 0);
	ck_assert_str_eq(opt_str, "abc");
	ck_assert_int_eq(parse("str=\"a b c\" flag"), 0);
	ck_assert_str_eq(opt_str, "a b c");
	ck_assert(opt_bool);
	ck_assert_int_eq(parse("str=x\"y z\"w"), 0);
	ck_assert_str_eq(opt_str, "xy zw");
	ck_assert_int_eq(parse("str=1234567"), 0);	/* exactly fits */
	ck_assert_str_eq(opt_str, "1234567");
	ck_assert_int_eq(parse("str="), 0);
	ck_assert_str_eq(opt_str, "");
	ck_assert_int_eq(parse("str=a=b"), 0);
	ck_assert_str_eq(opt_str, "a=b");
}
END_TEST

START_TEST(string_errors)
{
	reset();
	ck_assert_int_eq(parse("str=12345678"), 1);
	ck_assert(harness_log_has("(lamina) value for option 'str' too long"));
	ck_assert_str_eq(opt_str, "old");
	ck_assert_int_eq(parse("str=\"abc flag"), 1);	/* unterminated */
	ck_assert(harness_log_has("(lamina) bad value 'abc flag' for option 'str'"));
	ck_assert(!opt_bool);
	ck_assert_str_eq(opt_str, "old");
}
END_TEST

START_TEST(custom_option)
{
	reset();
	ck_assert_int_eq(parse("cust=hello"), 0);
	ck_assert_str_eq(custom_seen, "hello");
	ck_assert_int_eq(parse("cust"), 0);
	ck_assert_str_eq(custom_seen, "(null)");
	ck_assert_int_eq(parse("cust="), 0);
	ck_assert_str_eq(custom_seen, "");
	ck_assert_int_eq(parse("cust=bad"), 1);
	ck_assert(harness_log_has("(lamina) bad value 'bad' for option 'cust'"));
	ck_assert_int_eq(parse("no-cust"), 1);		/* booleans only */
	ck_assert_int_eq(custom_calls, 4);
}
END_TEST

START_TEST(unknown_and_mixed)
{
	reset();
	ck_assert_int_eq(parse("foo"), 1);
	ck_assert(harness_log_has(
		"(lamina) unknown command-line option 'foo'\n"));
	ck_assert_int_eq(parse("foo=bar"), 1);
	ck_assert(harness_log_has("(lamina) unknown command-line option 'foo'"));
	ck_assert_int_eq(parse("no-n"), 1);
	ck_assert(harness_log_has("(lamina) unknown command-line option 'no-n'"));
	ck_assert_int_eq(parse("  flag  bogus n=5\tn=x mem=1M  "), 2);
	ck_assert(opt_bool);
	ck_assert_uint_eq(opt_uint, 5);
	ck_assert(opt_size == 1 << 20);
	ck_assert_int_eq(parse("=5"), 1);
	ck_assert(harness_log_has("(lamina) unknown command-line option ''"));
}
END_TEST

START_TEST(oversized_option)
{
	char buf[CMDLINE_OPT_MAX * 2 + 16];

	reset();
	strcpy(buf, "str=");
	memset(buf + 4, 'a', CMDLINE_OPT_MAX * 2);
	strcpy(buf + 4 + CMDLINE_OPT_MAX * 2, " flag");
	ck_assert_int_eq(parse(buf), 1);
	ck_assert(harness_log_has("too long"));
	ck_assert(opt_bool);
	ck_assert_str_eq(opt_str, "old");
}
END_TEST

START_TEST(strip_path)
{
	ck_assert_str_eq(cmdline_strip_path("/work/main/build/lamina console=com1"),
			 "console=com1");
	ck_assert_str_eq(cmdline_strip_path("  /boot/lamina.gz  a b"), "a b");
	ck_assert_str_eq(cmdline_strip_path("(hd0,1)/lamina x"), "x");
	ck_assert_str_eq(cmdline_strip_path("/lamina"), "");
	ck_assert_str_eq(cmdline_strip_path("console=com1 x"), "console=com1 x");
	ck_assert_str_eq(cmdline_strip_path("path=/a/b x"), "path=/a/b x");
	ck_assert_str_eq(cmdline_strip_path("noreboot x"), "noreboot x");
	ck_assert_str_eq(cmdline_strip_path(""), "");
	ck_assert_str_eq(cmdline_strip_path(NULL), "");
}
END_TEST

START_TEST(bool_words)
{
	ck_assert_int_eq(parse_bool("on"), 1);
	ck_assert_int_eq(parse_bool("disable"), 0);
	ck_assert_int_eq(parse_bool("On"), -EINVAL);
	ck_assert_int_eq(parse_bool(""), -EINVAL);
	(void)reg_bool;
	(void)reg_ul;
	(void)reg_str;
}
END_TEST

SUITE(cmdline)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, empty);
	tcase_add_test(tc, booleans);
	tcase_add_test(tc, dash_underscore);
	tcase_add_test(tc, integers);
	tcase_add_test(tc, integer_errors);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, size_errors);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, string_errors);
	tcase_add_test(tc, custom_option);
	tcase_add_test(tc, unknown_and_mixed);
	tcase_add_test(tc, oversized_option);
	tcase_add_test(tc, strip_path);
	tcase_add_test(tc, bool_words);
	suite_add_tcase(s, tc);
	return s;
}
