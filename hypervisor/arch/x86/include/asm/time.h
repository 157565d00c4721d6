/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_TIME_H
#define ASM_X86_TIME_H

#include <lamina/types.h>

extern uint64_t tsc_khz;	/* TSC frequency, measured at boot */

/*
 * A counter-to-nanoseconds scale in the form pvclock and Xen's CPUID
 * time leaf use: ns = ((ticks << shift) * mul_frac) >> 32, a negative
 * shift shifting right. mul_frac is normalised to [2^31, 2^32).
 */
struct time_scale {
	uint32_t mul_frac;
	int8_t shift;
};

/* The scale of a counter running at khz kHz (0: all zero). */
static inline void time_scale_of_khz(uint64_t khz, struct time_scale *s)
{
	uint64_t hz = khz * 1000;
	int shift = 0;

	s->mul_frac = 0;
	s->shift = 0;
	if (!hz)
		return;
	while (hz > 2000000000ULL) {
		hz >>= 1;
		shift--;
	}
	while (hz <= 1000000000ULL) {
		hz <<= 1;
		shift++;
	}
	s->mul_frac = (uint32_t)((1000000000ULL << 32) / hz);
	s->shift = (int8_t)shift;
}

/* ticks in ns through s, exactly as a pvclock guest computes it. */
static inline uint64_t scale_delta(uint64_t ticks, const struct time_scale *s)
{
	if (s->shift < 0)
		ticks >>= -s->shift;
	else
		ticks <<= s->shift;
	return (uint64_t)(((unsigned __int128)ticks * s->mul_frac) >> 32);
}

/*
 * System time (NOW()) is one linear function of the TSC, the same on
 * every CPU: scale_delta(rdtsc() - tsc_stime0, &tsc_scale). Set once by
 * time_init(); guests' pvclock parameters are derived from it.
 */
extern struct time_scale tsc_scale;
extern uint64_t tsc_stime0;

/*
 * Calibrate the TSC against the ACPI PM timer (or the PIT when there is
 * none) and start system time at 0. Boot CPU, before SMP bring-up.
 */
void time_init(void);
/* Read the CMOS RTC: seconds since the epoch, UTC; 0 if unreadable. */
uint64_t rtc_read_unix(void);
/* The RTC's date at boot, in seconds since the epoch (0: unknown), and
 * the system time when it was read. */
extern uint64_t boot_wallclock;
extern s_time_t boot_wallclock_stime;

/* Busy-wait (before timers work, or with interrupts off). */
void udelay(unsigned int us);
void mdelay(unsigned int ms);

#endif /* ASM_X86_TIME_H */
