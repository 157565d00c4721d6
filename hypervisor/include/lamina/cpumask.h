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

static inline void cpumask_and(cpumask_t *dst, const cpumask_t *a,
			       const cpumask_t *b)
{
	unsigned int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

/* dst = a less b */
static inline void cpumask_andnot(cpumask_t *dst, const cpumask_t *a,
				  const cpumask_t *b)
{
	unsigned int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
}

static inline bool cpumask_empty(const cpumask_t *m)
{
	unsigned int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		if (m->bits[i])
			return false;
	return true;
}

/*
 * m as a list of CPU numbers and ranges ("0-3,6"), "none" if empty, in
 * buf (common/cpumask.c); truncated to size - 1 characters as snprintf
 * does. Returns buf.
 */
char *cpumask_print(char *buf, size_t size, const cpumask_t *m);

#endif /* LAMINA_CPUMASK_H */
