/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_SOFTIRQ_H
#define LAMINA_SOFTIRQ_H

#include <lamina/types.h>

/*
 * Work deferred from interrupt handlers to a point where the CPU holds no
 * locks and interrupts are on: the idle loop (and, later, the return path
 * to a guest). Lower numbers run first.
 */
enum softirq {
	TIMER_SOFTIRQ,
	SCHEDULE_SOFTIRQ,	/* choose this CPU's next vCPU */
	CONSOLE_SOFTIRQ,	/* boot CPU: serial input, console rings */
	NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);

void open_softirq(enum softirq nr, softirq_handler_t handler);
/* Mark nr pending on the calling CPU / on cpu (which is then woken). */
void raise_softirq(enum softirq nr);
void cpu_raise_softirq(unsigned int cpu, enum softirq nr);
bool softirq_pending(unsigned int cpu);
/* Run pending handlers of this CPU until none is left. */
void do_softirq(void);

#endif /* LAMINA_SOFTIRQ_H */
