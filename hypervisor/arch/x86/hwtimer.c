// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware behind the timer queues: each CPU's LAPIC timer in one-shot
 * mode, whose interrupt raises TIMER_SOFTIRQ. And the idle loop.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/traps.h>

static uint64_t lapic_ticks_per_ms;	/* the same on every CPU */

void arch_timer_program(s_time_t deadline)
{
	s_time_t delta;
	uint64_t ticks;

	if (!deadline) {
		lapic_timer_oneshot(0);
		return;
	}
	delta = deadline - NOW();
	if (delta <= 0)
		ticks = 1;
	else
		ticks = (uint64_t)delta * lapic_ticks_per_ms / 1000000 + 1;
	lapic_timer_oneshot(ticks > 0xffffffff ? 0xffffffff : (uint32_t)ticks);
}

static void timer_interrupt(struct cpu_regs *regs)
{
	raise_softirq(TIMER_SOFTIRQ);
}

/* Boot CPU: measure the LAPIC timer and install the handler. */
void hwtimer_init(void)
{
	lapic_ticks_per_ms = lapic_timer_calibrate();
	printk("(lamina) LAPIC timer: %lu kHz\n", lapic_ticks_per_ms);
	set_irq_handler(VECTOR_TIMER, timer_interrupt);
}

void hwtimer_init_cpu(void)
{
	lapic_timer_oneshot(0);
}
