/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding the CMOS real-time clock (common/rtc.c). Reading the registers
 * (waiting out update-in-progress) is the caller's job; this only turns
 * the register values into a time.
 */
#ifndef LAMINA_RTC_H
#define LAMINA_RTC_H

#include <lamina/types.h>

/* Status register B bits. */
#define RTC_REG_B_24H		(1u << 1)	/* else 12-hour mode */
#define RTC_REG_B_BINARY	(1u << 2)	/* else BCD */
#define RTC_HOUR_PM		0x80		/* 12-hour mode only */

/* CMOS indices, for the caller. */
#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_WEEKDAY		0x06
#define RTC_DAY_OF_MONTH	0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_A_UIP		0x80

/*
 * Raw register values, in the encoding reg_b says. century is the value
 * of the register the FADT names (acpi_info.century_reg), or 0 if there
 * is none, which means 20xx. wday is not used (firmware often leaves it
 * wrong).
 */
struct rtc_regs {
	uint8_t sec, min, hour, wday, mday, mon, year, century, reg_b;
};

/*
 * Seconds since 1970-01-01 00:00:00 UTC (the RTC is assumed to run in
 * UTC). Returns 0, or -EINVAL for a bad BCD digit, a field out of range
 * (including 31 April or 29 February of a common year) or a date before
 * 1970.
 */
int rtc_to_unix(const struct rtc_regs *r, uint64_t *secs);

/* Days since 1970-01-01 of a valid proleptic Gregorian date >= 1970. */
uint64_t rtc_days_since_epoch(unsigned int year, unsigned int mon,
			      unsigned int mday);

#endif /* LAMINA_RTC_H */
