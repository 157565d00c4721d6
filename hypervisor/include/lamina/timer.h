/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_TIMER_H
#define LAMINA_TIMER_H

#include <lamina/types.h>

/*
 * One-shot timers. A timer belongs to one CPU (chosen at init, changed
 * by migrate_timer()) and its function runs there, from TIMER_SOFTIRQ,
 * with no locks held and interrupts on. A periodic timer re-arms itself
 * from its function. set_timer(), stop_timer() and migrate_timer() of
 * one timer may race with its function, not with one another: callers
 * that share a timer serialise those calls.
 */
struct timer {
	s_time_t expires;
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;	/* atomic: migrate_timer() changes it */
	bool active;		/* queued; protected by the CPU's queue lock */
	bool killed;		/* by kill_timer(): never queued again */
	unsigned int running;	/* CPUs running fn now, atomic */
	struct timer *next;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu);
/* (Re)arm t for system time expires; a time in the past fires at once. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/* From now on t fires on cpu (an online CPU); a queued t moves along. */
void migrate_timer(struct timer *t, unsigned int cpu);
/*
 * Stop t for good: later set_timer() calls do nothing, and on return its
 * function is not running anywhere, so t's memory may be freed. Not from
 * t's own function. A timer that was zeroed and never initialised may
 * be killed too.
 */
void kill_timer(struct timer *t);

/* Start the timer subsystem (boot CPU), then each CPU's queue. */
void timers_init(void);

/* Arch hook: fire TIMER_SOFTIRQ at deadline on this CPU (0: never). */
void arch_timer_program(s_time_t deadline);

#endif /* LAMINA_TIMER_H */
