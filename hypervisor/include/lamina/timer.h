/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_TIMER_H
#define LAMINA_TIMER_H

#include <lamina/types.h>

/*
 * One-shot timers. A timer belongs to one CPU (chosen at init) and its
 * function runs there, from TIMER_SOFTIRQ, with no locks held and
 * interrupts on. A periodic timer re-arms itself from its function.
 */
struct timer {
	s_time_t expires;
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;
	bool active;		/* queued; protected by the CPU's queue lock */
	struct timer *next;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu);
/* (Re)arm t for system time expires; a time in the past fires at once. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/*
 * stop_timer(), and if t's function is running on its CPU, wait until
 * it has returned: then t's memory may be freed. Not from t's own
 * function.
 */
void kill_timer(struct timer *t);

/* Start the timer subsystem (boot CPU), then each CPU's queue. */
void timers_init(void);

/* Arch hook: fire TIMER_SOFTIRQ at deadline on this CPU (0: never). */
void arch_timer_program(s_time_t deadline);

#endif /* LAMINA_TIMER_H */
