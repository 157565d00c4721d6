// SPDX-License-Identifier: GPL-2.0
/*
 * The 2-level event channel ABI: a port is pending while its bit in
 * shared_info->evtchn_pending is set, masked while its bit in
 * evtchn_mask is set; a vCPU's vcpu_info->evtchn_pending_sel has bit
 * port / 64 set when a pending, unmasked port of that word was raised
 * toward it, and evtchn_upcall_pending says "look at the selector".
 *
 * The guest changes all these words concurrently with LOCK-prefixed
 * instructions (it clears pending bits to acknowledge, sets and clears
 * mask bits, exchanges the selector with 0), so the hypervisor uses
 * atomic read-modify-writes too, in this order: pending, then mask,
 * then selector, then upcall_pending (each a full barrier on x86). A
 * guest that clears upcall_pending, exchanges the selector with 0, then
 * scans pending & ~mask of the words it got (Linux's events_2l.c) loses
 * no event: a port raised after the scan of its word finds the selector
 * bit clear, sets it and sets upcall_pending again; one raised before
 * the exchange is in a word the scan reads.
 */
#include "event_channel.h"

#include <xen/vcpu.h>

#define BITS_PER_WORD	(8 * sizeof(xen_ulong_t))

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << (bit % BITS_PER_WORD);

	return __atomic_fetch_or(&w[bit / BITS_PER_WORD], m,
				 __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << (bit % BITS_PER_WORD);

	return __atomic_fetch_and(&w[bit / BITS_PER_WORD], ~m,
				  __ATOMIC_SEQ_CST) & m;
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
	return __atomic_load_n(&w[bit / BITS_PER_WORD], __ATOMIC_SEQ_CST) >>
	       (bit % BITS_PER_WORD) & 1;
}

/* The port's word is pending for v: set its selector bit, and if it was
 * clear, the upcall. */
static void raise_selector(struct vcpu *v, evtchn_port_t port)
{
	struct vcpu_info *vi = __atomic_load_n(&v->vcpu_info,
					       __ATOMIC_SEQ_CST);

	if (!test_and_set(&vi->evtchn_pending_sel, port / BITS_PER_WORD))
		vcpu_mark_events_pending(v);
}

void evtchn_2l_set_pending(struct domain *d, unsigned int vcpu_id,
			   evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;

	if (test_and_set(s->evtchn_pending, port))
		return;		/* already pending: one event */
	if (!test(s->evtchn_mask, port))
		raise_selector(d->vcpu[vcpu_id], port);
	evtchn_check_pollers(d, port);
}

void evtchn_2l_unmask(struct domain *d, unsigned int vcpu_id,
		      evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;

	if (test_and_clear(s->evtchn_mask, port) &&
	    test(s->evtchn_pending, port))
		raise_selector(d->vcpu[vcpu_id], port);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	test_and_clear(d->shared_info->evtchn_pending, port);
}

bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
	return test(d->shared_info->evtchn_pending, port);
}
