// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time check of the timer path on every CPU: each online CPU gets a
 * one-shot timer a few ms ahead; the boot CPU waits for all of them and
 * reports how late the latest fired. This exercises the LAPIC timers, the
 * timer softirq and the kick IPIs before anything depends on them.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/processor.h>

static struct timer check_timers[CONFIG_NR_CPUS];
static s_time_t lateness[CONFIG_NR_CPUS];
static unsigned int fired;

static void check_fn(void *data)
{
	struct timer *t = data;

	lateness[t->cpu] = NOW() - t->expires;
	if (t->cpu != smp_processor_id())
		lateness[t->cpu] = -1;		/* ran on the wrong CPU */
	__atomic_fetch_add(&fired, 1, __ATOMIC_SEQ_CST);
}

/* Returns 0 if every CPU's timer fired on that CPU within a second. */
int timer_check(void)
{
	unsigned int cpu, n = nr_cpus_online;
	s_time_t worst = 0, deadline;

	for (cpu = 0; cpu < n; cpu++) {
		timer_init(&check_timers[cpu], check_fn, &check_timers[cpu],
			   cpu);
		set_timer(&check_timers[cpu], NOW() + MILLISECS(5));
	}
	deadline = NOW() + SECONDS(1);
	while (__atomic_load_n(&fired, __ATOMIC_SEQ_CST) < n &&
	       NOW() < deadline) {
		do_softirq();
		cpu_relax();
	}
	for (cpu = 0; cpu < n; cpu++) {
		if (!check_timers[cpu].active && lateness[cpu] >= 0) {
			worst = MAX(worst, lateness[cpu]);
			continue;
		}
		stop_timer(&check_timers[cpu]);
		printk("(lamina) timer check: CPU %u's timer %s\n", cpu,
		       check_timers[cpu].active ? "never fired" :
		       "ran on another CPU");
		return -1;
	}
	printk("(lamina) timers: one-shot timer fired on all %u CPUs, "
	       "latest %lu us after its deadline\n", n, worst / 1000);
	return 0;
}
