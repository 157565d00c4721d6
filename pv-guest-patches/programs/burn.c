// SPDX-License-Identifier: GPL-2.0
/*
 * burn: CPU-bound work for the scheduler figures. "burn=N" burns for N
 * seconds and powers off; without it (or with burn=0) it burns until
 * the hypervisor stops the domain. Each second it prints the work done:
 *
 *	burn: 3 s, 1234 rounds (+411)
 *
 * Time is the TSC, whose rate is Xen's CPUID leaf base+3 (sub-leaf 0,
 * ECX, in kHz). A hypervisor without that leaf gets "seconds" of 10^9
 * TSC cycles, and a line saying so. The TSC runs while the vCPU is
 * descheduled, so two burners sharing a CPU print rounds per second in
 * the ratio of their shares.
 */
#include "guest.h"

#define CYCLES_IF_UNKNOWN	1000000000ULL
#define ROUND_ITERATIONS	100000

static uint64_t tsc_per_second(void)
{
	uint32_t max_leaf = 0, base = xen_cpuid_base(&max_leaf);
	uint64_t khz = 0;

	if (base && max_leaf >= base + 3)
		khz = cpuid_count(base + 3, 0).ecx;
	if (khz) {
		printf("burn: TSC at %lu kHz\n", khz);
		return khz * 1000;
	}
	printf("burn: TSC rate unknown (no CPUID leaf %#x): a second here "
	       "is %llu TSC cycles\n", base + 3, CYCLES_IF_UNKNOWN);
	return CYCLES_IF_UNKNOWN;
}

/* Work the compiler cannot remove: a xorshift whose result is kept. */
static uint64_t round_of_work(uint64_t x)
{
	int i;

	for (i = 0; i < ROUND_ITERATIONS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

void guest_main(void)
{
	long seconds = cmdline_num("burn", 0);
	uint64_t hz = tsc_per_second(), start, next, rounds = 0, last = 0;
	uint64_t x = 88172645463325252ULL;
	long s = 0;

	if (seconds > 0)
		printf("burn: %ld s\n", seconds);
	else
		printf("burn: until stopped\n");
	start = rdtsc();
	next = start + hz;
	while (seconds <= 0 || s < seconds) {
		x = round_of_work(x);
		rounds++;
		if (rdtsc() < next)
			continue;
		s++;
		next += hz;
		printf("burn: %ld s, %lu rounds (+%lu)\n", s, rounds,
		       rounds - last);
		last = rounds;
	}
	printf("burn: done, %lu rounds, checksum %lx\n", rounds, x);
}
