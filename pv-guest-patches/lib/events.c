// SPDX-License-Identifier: GPL-2.0
/* Event channels, the guest side (events.h). */
#include "guest.h"

#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define BITS_PER_WORD	64
#define CALLBACK_VECTOR_TYPE	(2ULL << 56)	/* HVM_PARAM_CALLBACK_IRQ */

/* The page whose frame shared_info replaces (Linux takes one of its
 * own pages too). */
static uint8_t shared_info_page[4096] __attribute__((aligned(4096)));
struct shared_info *shared_info;

struct port_handler {
	void (*fn)(evtchn_port_t port, void *arg);
	void *arg;
	unsigned long count;
};

static struct port_handler handlers[EVTCHN_2L_NR_CHANNELS];
volatile unsigned long upcalls;

static bool test_bit(const volatile xen_ulong_t *w, unsigned int bit)
{
	return __atomic_load_n(&w[bit / BITS_PER_WORD], __ATOMIC_SEQ_CST) >>
	       (bit % BITS_PER_WORD) & 1;
}

/* LOCK-prefixed, as the hypervisor changes the same words. */
static bool test_and_clear_bit(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = 1ULL << (bit % BITS_PER_WORD);

	return __atomic_fetch_and(&w[bit / BITS_PER_WORD], ~m,
				  __ATOMIC_SEQ_CST) & m;
}

bool evtchn_pending(evtchn_port_t port)
{
	return test_bit(shared_info->evtchn_pending, port);
}

bool evtchn_masked(evtchn_port_t port)
{
	return test_bit(shared_info->evtchn_mask, port);
}

void evtchn_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&shared_info->evtchn_mask[port / BITS_PER_WORD],
			  1ULL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
}

void evtchn_clear(evtchn_port_t port)
{
	test_and_clear_bit(shared_info->evtchn_pending, port);
}

void evtchn_set_handler(evtchn_port_t port,
			void (*fn)(evtchn_port_t port, void *arg), void *arg)
{
	if (port < EVTCHN_2L_NR_CHANNELS) {
		handlers[port].fn = fn;
		handlers[port].arg = arg;
	}
}

unsigned long evtchn_count(evtchn_port_t port)
{
	return port < EVTCHN_2L_NR_CHANNELS ?
	       __atomic_load_n(&handlers[port].count, __ATOMIC_SEQ_CST) : 0;
}

/* Each pending, unmasked port of word w: acknowledge, then handle. */
static void handle_word(unsigned int w)
{
	xen_ulong_t bits = __atomic_load_n(&shared_info->evtchn_pending[w],
					   __ATOMIC_SEQ_CST) &
			   ~__atomic_load_n(&shared_info->evtchn_mask[w],
					    __ATOMIC_SEQ_CST);

	while (bits) {
		evtchn_port_t port = w * BITS_PER_WORD + __builtin_ctzll(bits);
		struct port_handler *h = &handlers[port];

		bits &= bits - 1;
		if (!test_and_clear_bit(shared_info->evtchn_pending, port))
			continue;
		__atomic_add_fetch(&h->count, 1, __ATOMIC_SEQ_CST);
		if (h->fn)
			h->fn(port, h->arg);
	}
}

void evtchn_do_upcall(void)
{
	struct vcpu_info *vi = &shared_info->vcpu_info[this_vcpu()];
	xen_ulong_t sel;

	__atomic_add_fetch(&upcalls, 1, __ATOMIC_RELAXED);
	do {
		__atomic_store_n(&vi->evtchn_upcall_pending, 0,
				 __ATOMIC_SEQ_CST);
		sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			handle_word(__builtin_ctzll(sel));
			sel &= sel - 1;
		}
	} while (__atomic_load_n(&vi->evtchn_upcall_pending,
				 __ATOMIC_SEQ_CST));
}

static void upcall(unsigned int vector)
{
	evtchn_do_upcall();
	(void)vector;
}

long events_init(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shared_info_page >> 12,
	};
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = CALLBACK_VECTOR_TYPE | EVENTS_VECTOR,
	};
	long rc;

	rc = memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc) {
		printf("events: add_to_physmap(shared_info): %ld\n", rc);
		return rc;
	}
	/* The frame under the page is shared_info now: no stale TLB. */
	invlpg(shared_info_page);
	shared_info = (struct shared_info *)shared_info_page;
	set_irq_handler(EVENTS_VECTOR, upcall);
	rc = hvm_op(HVMOP_set_param, &p);
	if (rc)
		printf("events: set_param(CALLBACK_IRQ): %ld\n", rc);
	return rc;
}

bool events_wait(bool (*cond)(void *arg), void *arg, unsigned long tries)
{
	bool done = false;

	irq_enable();
	while (tries-- && !(done = cond(arg)))
		cpu_relax();
	irq_disable();
	return done || cond(arg);
}

long evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
	long rc = event_channel_op(EVTCHNOP_alloc_unbound, &a);

	if (!rc && port)
		*port = a.port;
	return rc;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
			     evtchn_port_t *port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote,
					     .remote_port = rport };
	long rc = event_channel_op(EVTCHNOP_bind_interdomain, &b);

	if (!rc && port)
		*port = b.local_port;
	return rc;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = event_channel_op(EVTCHNOP_bind_virq, &b);

	if (!rc && port)
		*port = b.port;
	return rc;
}

long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };
	long rc = event_channel_op(EVTCHNOP_bind_ipi, &b);

	if (!rc && port)
		*port = b.port;
	return rc;
}

long evtchn_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return event_channel_op(EVTCHNOP_close, &c);
}

long evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return event_channel_op(EVTCHNOP_send, &s);
}

long evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	return event_channel_op(EVTCHNOP_unmask, &u);
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return event_channel_op(EVTCHNOP_bind_vcpu, &b);
}

long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
	*st = (struct evtchn_status){ .dom = dom, .port = port };
	return event_channel_op(EVTCHNOP_status, st);
}
