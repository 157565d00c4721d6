// SPDX-License-Identifier: GPL-2.0
/*
 * nullcall: what a hypercall round trip costs, in TSC cycles: the median
 * of 5 runs of 1000 calls, for a call the hypervisor answers at once
 * (xen_version) and one it refuses (an unknown number), by instruction
 * and, when the hypervisor offers it, through the hypercall page.
 */
#include "guest.h"

#define RUNS		5
#define CALLS		1000
#define UNKNOWN_HYPERCALL	63

static void call_version(void)
{
	xen_version(XENVER_version, NULL);
}

static void call_unknown(void)
{
	hypercall0(UNKNOWN_HYPERCALL);
}

static uint64_t cycles_per_call(void (*call)(void))
{
	uint64_t t0 = rdtsc();
	int i;

	for (i = 0; i < CALLS; i++)
		call();
	return (rdtsc() - t0) / CALLS;
}

static void sort(uint64_t *v, int n)
{
	uint64_t t;
	int i, j;

	for (i = 1; i < n; i++)			/* insertion sort */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void measure(const char *what, void (*call)(void))
{
	uint64_t runs[RUNS];
	char list[RUNS * 21 + 1];
	size_t len = 0;
	int i;

	for (i = 0; i < RUNS; i++) {
		runs[i] = cycles_per_call(call);
		len += snprintf(list + len, sizeof(list) - len, " %lu",
				runs[i]);
	}
	sort(runs, RUNS);
	printf("nullcall: %s by %s: median %lu cycles per call (runs:%s)\n",
	       what, hypercall_via() == HYPERCALL_VIA_PAGE ?
	       "hypercall page" : hypercall_insn_name(), runs[RUNS / 2], list);
}

void guest_main(void)
{
	hypercall_use(HYPERCALL_VIA_INSN);
	measure("xen_version", call_version);
	measure("unknown hypercall", call_unknown);
	if (hypercall_page_setup())
		return;
	measure("xen_version", call_version);
	measure("unknown hypercall", call_unknown);
}
