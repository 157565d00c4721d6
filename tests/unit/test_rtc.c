// SPDX-License-Identifier: GPL-2.0
#define _DEFAULT_SOURCE			/* timegm() */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include <lamina/errno.h>
#include <lamina/rtc.h>

static uint8_t bcd(unsigned int v)
{
	return (v / 10) << 4 | v % 10;
}

/* Encode a broken-down UTC time the way an RTC in that mode shows it. */
static struct rtc_regs encode(const struct tm *tm, bool binary, bool h24,
			      bool with_century)
{
	struct rtc_regs r = { 0 };
	unsigned int year = tm->tm_year + 1900, h = tm->tm_hour;
	uint8_t (*enc)(unsigned int) = binary ? NULL : bcd;
#define E(v) (enc ? enc(v) : (uint8_t)(v))

	r.reg_b = (binary ? RTC_REG_B_BINARY : 0) | (h24 ? RTC_REG_B_24H : 0);
	r.sec = E(tm->tm_sec);
	r.min = E(tm->tm_min);
	if (h24) {
		r.hour = E(h);
	} else {
		r.hour = E(h % 12 ? h % 12 : 12);
		if (h >= 12)
			r.hour |= RTC_HOUR_PM;
	}
	r.mday = E(tm->tm_mday);
	r.mon = E(tm->tm_mon + 1);
	r.year = E(year % 100);
	r.century = with_century ? E(year / 100) : 0;
	r.wday = 0x55;				/* ignored */
	return r;
#undef E
}

START_TEST(known_values)
{
	struct rtc_regs r = { .sec = 0, .min = 0, .hour = 0, .mday = 1,
			      .mon = 1, .year = 0x70, .century = 0x19,
			      .reg_b = RTC_REG_B_24H };
	uint64_t s;

	ck_assert_int_eq(rtc_to_unix(&r, &s), 0);
	ck_assert(s == 0);
	/* 2026-11-21 00:15:07, BCD, 24h, no century register */
	r = (struct rtc_regs){ .sec = 0x07, .min = 0x15, .hour = 0x00,
			       .mday = 0x21, .mon = 0x11, .year = 0x26,
			       .reg_b = RTC_REG_B_24H };
	ck_assert_int_eq(rtc_to_unix(&r, &s), 0);
	ck_assert(s == 1795220107ull);
	/* 2000-02-29 12:00:00 PM in 12-hour binary mode */
	r = (struct rtc_regs){ .hour = 12 | RTC_HOUR_PM, .mday = 29, .mon = 2,
			       .year = 0, .reg_b = RTC_REG_B_BINARY };
	ck_assert_int_eq(rtc_to_unix(&r, &s), 0);
	ck_assert(s == 951825600ull);
	/* 12 AM is midnight */
	r.hour = 12;
	ck_assert_int_eq(rtc_to_unix(&r, &s), 0);
	ck_assert(s == 951782400ull);
	/* 2099-12-31 23:59:59 */
	r = (struct rtc_regs){ .sec = 0x59, .min = 0x59, .hour = 0x23,
			       .mday = 0x31, .mon = 0x12, .year = 0x99,
			       .century = 0x20, .reg_b = RTC_REG_B_24H };
	ck_assert_int_eq(rtc_to_unix(&r, &s), 0);
	ck_assert(s == 4102444799ull);
}
END_TEST

START_TEST(matches_timegm)
{
	unsigned int i, mode;
	uint64_t s;

	srandom(1234);
	for (i = 0; i < 20000; i++) {
		time_t t = (time_t)(random() % 4102444800LL);
		struct tm tm;
		struct rtc_regs r;

		gmtime_r(&t, &tm);
		mode = i % 8;
		if (!(mode & 4) && tm.tm_year + 1900 < 2000)
			mode |= 4;	/* without century: 20xx only */
		r = encode(&tm, mode & 1, mode & 2, mode & 4);
		ck_assert_msg(rtc_to_unix(&r, &s) == 0, "t=%lld mode %u",
			      (long long)t, mode);
		ck_assert_msg(s == (uint64_t)t, "t=%lld mode %u got %llu",
			      (long long)t, mode, (unsigned long long)s);
	}
}
END_TEST

START_TEST(days)
{
	ck_assert(rtc_days_since_epoch(1970, 1, 1) == 0);
	ck_assert(rtc_days_since_epoch(1972, 3, 1) == 790);
	ck_assert(rtc_days_since_epoch(2100, 3, 1) == 47541);
}
END_TEST

static int bad(struct rtc_regs r)
{
	uint64_t s = 42;
	int rc;

	harness_log_clear();
	rc = rtc_to_unix(&r, &s);
	ck_assert(s == 42);
	return rc;
}

START_TEST(invalid)
{
	const struct rtc_regs ok = { .sec = 0x30, .min = 0x30, .hour = 0x10,
				     .mday = 0x15, .mon = 0x06, .year = 0x24,
				     .reg_b = RTC_REG_B_24H };
	struct rtc_regs r;

	r = ok; r.sec = 0x60;
	ck_assert_int_eq(bad(r), -EINVAL);
	ck_assert(harness_log_has("(lamina) RTC: invalid time"));
	r = ok; r.sec = 0x1a;			/* not BCD */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.min = 0xa0;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.hour = 0x24;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.reg_b = 0; r.hour = 0x00;	/* 12h: hour 0 */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.reg_b = 0; r.hour = 0x13 | RTC_HOUR_PM;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.hour = 0x10 | RTC_HOUR_PM;	/* PM bit in 24h mode */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.mday = 0;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.mday = 0x31;			/* 31 June */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.mon = 0x02; r.mday = 0x29; r.year = 0x23;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.mon = 0x02; r.mday = 0x29; r.year = 0x00; r.century = 0x21;
	ck_assert_int_eq(bad(r), -EINVAL);	/* 2100 is not leap */
	r = ok; r.mon = 0;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.mon = 0x13;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.year = 0x9a;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.reg_b |= RTC_REG_B_BINARY; r.year = 100;
	r.sec = 1; r.min = 1; r.hour = 1; r.mday = 1; r.mon = 1;
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.century = 0x18;		/* before 1900..1970 */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.century = 0x19; r.year = 0x69;	/* 1969 */
	ck_assert_int_eq(bad(r), -EINVAL);
	r = ok; r.century = 0xff;
	ck_assert_int_eq(bad(r), -EINVAL);
}
END_TEST

SUITE(rtc)
{
	Suite *s = suite_create("rtc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, known_values);
	tcase_add_test(tc, matches_timegm);
	tcase_add_test(tc, days);
	tcase_add_test(tc, invalid);
	suite_add_tcase(s, tc);
	return s;
}
