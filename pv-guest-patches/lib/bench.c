// SPDX-License-Identifier: GPL-2.0
/* Micro-benchmarks (bench.h). */
#include "bench.h"
#include "console.h"
#include "x86.h"

static void sort(uint64_t *v, unsigned int n)
{
	unsigned int i, j;
	uint64_t t;

	for (i = 1; i < n; i++)			/* insertion sort */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

uint64_t bench_median(uint64_t (*run)(const void *arg), const void *arg,
		      char list[BENCH_LIST_LEN])
{
	uint64_t runs[BENCH_RUNS];
	size_t len = 0;
	unsigned int i;

	list[0] = '\0';
	for (i = 0; i < BENCH_RUNS; i++) {
		runs[i] = run(arg);
		len += snprintf(list + len, BENCH_LIST_LEN - len, " %lu",
				(unsigned long)runs[i]);
	}
	sort(runs, BENCH_RUNS);
	return runs[BENCH_RUNS / 2];
}

struct calls {
	void (*fn)(void);
	unsigned long n;
};

static uint64_t cycles_per_call(const void *arg)
{
	const struct calls *c = arg;
	uint64_t t0 = rdtsc();
	unsigned long i;

	for (i = 0; i < c->n; i++)
		c->fn();
	return (rdtsc() - t0) / c->n;
}

uint64_t bench_calls(void (*fn)(void), unsigned long n,
		     char list[BENCH_LIST_LEN])
{
	struct calls c = { fn, n };

	return bench_median(cycles_per_call, &c, list);
}
