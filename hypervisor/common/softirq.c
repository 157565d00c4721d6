// SPDX-License-Identifier: GPL-2.0
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>

/* Pending bits per CPU: set by anyone (atomically), cleared by the owner. */
static unsigned long pending[CONFIG_NR_CPUS];
static softirq_handler_t handlers[NR_SOFTIRQS];

void open_softirq(enum softirq nr, softirq_handler_t handler)
{
	BUG_ON(nr >= NR_SOFTIRQS);
	handlers[nr] = handler;
}

void raise_softirq(enum softirq nr)
{
	__atomic_fetch_or(&pending[smp_processor_id()], 1UL << nr,
			  __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, enum softirq nr)
{
	unsigned long old = __atomic_fetch_or(&pending[cpu], 1UL << nr,
					      __ATOMIC_SEQ_CST);

	if (cpu != smp_processor_id() && !(old & (1UL << nr)))
		arch_kick_cpu(cpu);
}

bool softirq_pending(unsigned int cpu)
{
	return __atomic_load_n(&pending[cpu], __ATOMIC_SEQ_CST) != 0;
}

void do_softirq(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long bits;

	while ((bits = __atomic_exchange_n(&pending[cpu], 0,
					   __ATOMIC_SEQ_CST))) {
		unsigned int nr;

		for (nr = 0; nr < NR_SOFTIRQS; nr++)
			if ((bits & (1UL << nr)) && handlers[nr])
				handlers[nr]();
	}
}
