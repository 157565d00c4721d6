/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_CPUMASK_H
#define LAMINA_CPUMASK_H

#include <lamina/types.h>

/* A set of physical CPUs, one bit per CPU number below CONFIG_NR_CPUS. */
#define CPUMASK_LONGS	((CONFIG_NR_CPUS + 63) / 64)
typedef struct {
	unsigned long bits[CPUMASK_LONGS];
} cpumask_t;

static inline void cpumask_clear(cpumask_t *m)
{
	unsigned int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set(cpumask_t *m, unsigned int cpu)
{
	m->bits[cpu / 64] |= 1UL << (cpu % 64);
}

static inline bool cpumask_test(const cpumask_t *m, unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* Every CPU number, online or not. */
static inline void cpumask_fill(cpumask_t *m)
{
	unsigned int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		m->bits[i] = ~0UL;
}

#endif /* LAMINA_CPUMASK_H */
