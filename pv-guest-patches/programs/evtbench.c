// SPDX-License-Identifier: GPL-2.0
/*
 * evtbench: what an event-channel send costs, in TSC cycles, as
 * nullcall.c measures hypercalls (the median of 5 runs of 1000):
 * EVTCHNOP_send to a masked IPI port of this vCPU (the hypercall and
 * the 2-level bookkeeping, no interrupt), then with the port unmasked
 * and interrupts on, the round trip until the upcall handler has taken
 * the event (send, injection of the callback vector, the guest's scan
 * of the pending bits).
 */
#include "bench.h"
#include "guest.h"

#define CALLS		1000

static evtchn_port_t port;

static void send_masked(void)
{
	evtchn_send(port);
	evtchn_clear(port);
}

/* Interrupts are on: the upcall comes as the hypercall returns. */
static void send_upcall(void)
{
	unsigned long before = evtchn_count(port);

	evtchn_send(port);
	while (evtchn_count(port) == before)
		cpu_relax();
}

static void measure(const char *what, void (*call)(void))
{
	char list[BENCH_LIST_LEN];
	uint64_t median = bench_calls(call, CALLS, list);

	printf("evtbench: %s by %s: median %lu cycles per call (runs:%s)\n",
	       what, hypercall_insn_name(), median, list);
}

void guest_main(void)
{
	if (events_init() || evtchn_bind_ipi(0, &port)) {
		printf("evtbench: no event channel\n");
		return;
	}
	hypercall_use(HYPERCALL_VIA_INSN);
	evtchn_mask(port);
	measure("send to a masked port", send_masked);
	CHECK_EQ(evtchn_unmask(port), 0);
	irq_enable();
	measure("send and upcall", send_upcall);
	irq_disable();
}
