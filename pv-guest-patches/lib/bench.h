/* SPDX-License-Identifier: GPL-2.0 */
/* Micro-benchmarks: the median of a few runs, in TSC cycles. */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdint.h>

#define BENCH_RUNS	5
#define BENCH_LIST_LEN	(BENCH_RUNS * 21 + 1)	/* " N" per run, and NUL */

/* The median of BENCH_RUNS values of run(arg); list gets every run's
 * value, in order, each after a space (as the benchmarks print them). */
uint64_t bench_median(uint64_t (*run)(const void *arg), const void *arg,
		      char list[BENCH_LIST_LEN]);

/* The median of BENCH_RUNS runs of n calls of fn, in cycles per call. */
uint64_t bench_calls(void (*fn)(void), unsigned long n,
		     char list[BENCH_LIST_LEN]);

#endif
