// SPDX-License-Identifier: GPL-2.0
/*
 * CMOS RTC register decoding. The values come from hardware that may be
 * mid-update, unset or plain broken, so every field is range-checked
 * rather than trusted.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/rtc.h>

/* Decode one register; -1 if it is not valid BCD. */
static int decode(uint8_t v, bool binary)
{
	if (binary)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (v >> 4) * 10 + (v & 0x0f);
}

static bool is_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned int days_in_month(unsigned int y, unsigned int m)
{
	static const uint8_t days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return days[m - 1] + (m == 2 && is_leap(y));
}

/* Leap years in [1, y]. */
static uint64_t leaps_upto(unsigned int y)
{
	return y / 4 - y / 100 + y / 400;
}

uint64_t rtc_days_since_epoch(unsigned int year, unsigned int mon,
			      unsigned int mday)
{
	uint64_t days = 365ULL * (year - 1970) + leaps_upto(year - 1) -
			leaps_upto(1969);
	unsigned int m;

	for (m = 1; m < mon; m++)
		days += days_in_month(year, m);
	return days + mday - 1;
}

/* The hour in 0-23, or -1. */
static int decode_hour(uint8_t raw, bool binary, bool h24)
{
	int h;

	if (h24) {
		h = decode(raw, binary);
		return h >= 0 && h <= 23 ? h : -1;
	}
	h = decode(raw & ~RTC_HOUR_PM, binary);
	if (h < 1 || h > 12)
		return -1;
	/* 12 AM is midnight, 12 PM is noon. */
	if (h == 12)
		h = 0;
	return (raw & RTC_HOUR_PM) ? h + 12 : h;
}

int rtc_to_unix(const struct rtc_regs *r, uint64_t *secs)
{
	bool binary = r->reg_b & RTC_REG_B_BINARY;
	int sec = decode(r->sec, binary), min = decode(r->min, binary);
	int mday = decode(r->mday, binary), mon = decode(r->mon, binary);
	int year = decode(r->year, binary), century = 20;
	int hour = decode_hour(r->hour, binary, r->reg_b & RTC_REG_B_24H);

	if (r->century) {
		century = decode(r->century, binary);
		if (century < 19 || century > 99)
			goto bad;
	}
	if (sec < 0 || sec > 59 || min < 0 || min > 59 || hour < 0 ||
	    year < 0 || year > 99 || mon < 1 || mon > 12)
		goto bad;
	year += century * 100;
	if (year < 1970 || mday < 1 ||
	    (unsigned int)mday > days_in_month(year, mon))
		goto bad;
	*secs = rtc_days_since_epoch(year, mon, mday) * 86400 +
		hour * 3600 + min * 60 + sec;
	return 0;
bad:
	printk("(lamina) RTC: invalid time %02x:%02x:%02x %02x/%02x/%02x%02x (reg B %#x)\n",
	       r->hour, r->min, r->sec, r->mday, r->mon, r->century, r->year,
	       r->reg_b);
	return -EINVAL;
}
