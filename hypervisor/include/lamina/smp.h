/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_SMP_H
#define LAMINA_SMP_H

#include <lamina/types.h>

/* The number of the CPU running the caller (0 = the boot CPU). */
unsigned int smp_processor_id(void);

/* CPUs that finished bring-up and run the idle loop. */
extern unsigned int nr_cpus_online;

/* Interrupt cpu (an IPI): a guest it runs exits, a halt ends. */
void arch_kick_cpu(unsigned int cpu);

#endif /* LAMINA_SMP_H */
