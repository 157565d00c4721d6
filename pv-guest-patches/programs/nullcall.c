// SPDX-License-Identifier: GPL-2.0
/*
 * nullcall: what a hypercall round trip costs, in TSC cycles: the median
 * of 5 runs of 1000 calls, for a call the hypervisor answers at once
 * (xen_version) and one it refuses (an unknown number), by instruction
 * and, when the hypervisor offers it, through the hypercall page.
 */
#include "bench.h"
#include "guest.h"

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

static void measure(const char *what, void (*call)(void))
{
	char list[BENCH_LIST_LEN];
	uint64_t median = bench_calls(call, CALLS, list);

	printf("nullcall: %s by %s: median %lu cycles per call (runs:%s)\n",
	       what, hypercall_via() == HYPERCALL_VIA_PAGE ?
	       "hypercall page" : hypercall_insn_name(), median, list);
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
