/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_TIME_H
#define ASM_X86_TIME_H

#include <lamina/types.h>

extern uint64_t tsc_khz;	/* TSC frequency, measured at boot */

/*
 * Calibrate the TSC against the ACPI PM timer (or the PIT when there is
 * none) and start system time at 0. Boot CPU, before SMP bring-up.
 */
void time_init(void);
/* Read the CMOS RTC: seconds since the epoch, UTC; 0 if unreadable. */
uint64_t rtc_read_unix(void);
/* The wall-clock time at system time 0, in seconds since the epoch. */
extern uint64_t boot_wallclock;

/* Busy-wait (before timers work, or with interrupts off). */
void udelay(unsigned int us);
void mdelay(unsigned int ms);

#endif /* ASM_X86_TIME_H */
