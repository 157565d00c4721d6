// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels (common/event_channel.c, event_2l.c, event_poll.c):
 * every sub-op's worker with Xen 4.17's error codes, the 2-level
 * delivery words, the hypervisor's ports and VIRQs, domain destruction,
 * SCHEDOP_poll; then the hypercall handlers over guest memory.
 */
#include <string.h>

#include "harness.h"
#include "event_env.h"
#include "hvm_env.h"
#include "../../hypervisor/common/event_channel.h"
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <lamina/sched.h>
#include <xen/sched.h>
#include <asm/hvm/intr.h>

static struct vcpu *V(struct domain *d, unsigned int i)
{
	return d->vcpu[i];
}

static evtchn_port_t ipi(struct domain *d, unsigned int vcpu)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };

	ck_assert_int_eq(evtchn_bind_ipi(V(d, 0), &b), 0);
	return b.port;
}

static evtchn_port_t virq(struct domain *d, unsigned int virq,
			  unsigned int vcpu)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };

	ck_assert_int_eq(evtchn_bind_virq(V(d, 0), &b), 0);
	return b.port;
}

/* A port of d waiting for remote. */
static evtchn_port_t unbound(struct domain *d, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = remote };

	ck_assert_int_eq(evtchn_alloc_unbound(V(d, 0), &a), 0);
	return a.port;
}

/* ld's new port connected to rd's unbound rport. */
static evtchn_port_t connect(struct domain *ld, struct domain *rd,
			     evtchn_port_t rport)
{
	struct evtchn_bind_interdomain b = { .remote_dom = rd->domain_id,
					     .remote_port = rport };

	ck_assert_int_eq(evtchn_bind_interdomain(V(ld, 0), &b), 0);
	return b.local_port;
}

static struct evtchn_status status(struct domain *d, evtchn_port_t port)
{
	struct evtchn_status s = { .dom = DOMID_SELF, .port = port };

	ck_assert_int_eq(evtchn_status(V(d, 0), &s), 0);
	return s;
}

static void setup(void)
{
	event_env_setup();
}

static void teardown(void)
{
	event_env_teardown();
}

/* ---- alloc_unbound, bind_interdomain ----------------------------------- */

START_TEST(alloc_unbound_ports)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF };
	struct evtchn_status s;

	ck_assert_int_eq(evtchn_alloc_unbound(V(d1, 0), &a), 0);
	ck_assert_uint_eq(a.port, 1);			/* 0 is reserved */
	s = status(d1, 1);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(s.u.unbound.dom, 1);		/* SELF: the caller */
	ck_assert_uint_eq(s.vcpu, 0);
	/* Any remote domain id, even one that does not exist (Xen). */
	ck_assert_uint_eq(unbound(d1, 999), 2);
	ck_assert_uint_eq(status(d1, 2).u.unbound.dom, 999);
	/* Own id spelled out. */
	a.dom = 1;
	ck_assert_int_eq(evtchn_alloc_unbound(V(d1, 0), &a), 0);
	ck_assert_uint_eq(a.port, 3);
}
END_TEST

START_TEST(alloc_unbound_errors)
{
	struct evtchn_alloc_unbound a = { .dom = 2, .remote_dom = 0 };

	ck_assert_int_eq(evtchn_alloc_unbound(V(d1, 0), &a), -EPERM);
	a.dom = 77;
	ck_assert_int_eq(evtchn_alloc_unbound(V(d1, 0), &a), -ESRCH);
	ck_assert_uint_eq(d2->evtchn->active, 0);
	/* The hardware domain may make a port in another domain, for
	 * itself (SELF is dom0). */
	a.dom = 2;
	a.remote_dom = DOMID_SELF;
	ck_assert_int_eq(evtchn_alloc_unbound(V(d0, 0), &a), 0);
	ck_assert_uint_eq(status(d2, a.port).u.unbound.dom, 0);
}
END_TEST

START_TEST(bind_interdomain_connects)
{
	evtchn_port_t rport = unbound(d2, 1), lport;
	struct evtchn_status s;

	ipi(d1, 0);				/* d1's port 1 */
	lport = connect(d1, d2, rport);
	ck_assert_uint_eq(lport, 2);
	s = status(d1, lport);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_interdomain);
	ck_assert_uint_eq(s.u.interdomain.dom, 2);
	ck_assert_uint_eq(s.u.interdomain.port, rport);
	s = status(d2, rport);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_interdomain);
	ck_assert_uint_eq(s.u.interdomain.dom, 1);
	ck_assert_uint_eq(s.u.interdomain.port, lport);
	/* Xen raises the new local end once: sends to the unbound port
	 * may have been dropped. */
	ck_assert(ev_pending(d1, lport));
	ck_assert(!ev_pending(d2, rport));
	ck_assert_uint_eq(ev_sel(d1, 0), 1);
	ck_assert_uint_eq(ev_upcall(d1, 0), 1);
}
END_TEST

START_TEST(bind_interdomain_loopback)
{
	evtchn_port_t a = unbound(d1, DOMID_SELF), b;
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF,
					      .remote_port = a };

	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &bi), 0);
	b = bi.local_port;
	ck_assert_uint_eq(status(d1, a).u.interdomain.port, b);
	ck_assert_uint_eq(status(d1, b).u.interdomain.port, a);
	ev_clear(d1, b);
	ck_assert_int_eq(evtchn_send(d1, a), 0);
	ck_assert(ev_pending(d1, b));
	ck_assert(!ev_pending(d1, a));
	ck_assert_int_eq(evtchn_send(d1, b), 0);
	ck_assert(ev_pending(d1, a));
	ck_assert_int_eq(evtchn_close(d1, a), 0);
	ck_assert_uint_eq(status(d1, b).status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(status(d1, b).u.unbound.dom, 1);
}
END_TEST

START_TEST(bind_interdomain_errors)
{
	struct evtchn_bind_interdomain b = { .remote_dom = 77,
					     .remote_port = 1 };
	evtchn_port_t for_d0 = unbound(d2, 0), in_use = ipi(d2, 0);

	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -ESRCH);
	b.remote_dom = 2;
	b.remote_port = 64;		/* past d2's only bucket */
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
	b.remote_port = 40;		/* free */
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
	b.remote_port = 0;		/* reserved */
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
	b.remote_port = for_d0;		/* waiting for another domain */
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
	b.remote_port = in_use;
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
	/* Nothing was left bound in d1 on the way. */
	ck_assert_uint_eq(d1->evtchn->active, 0);
	/* Once connected, the port is no longer unbound. */
	b.remote_port = unbound(d2, 1);
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), 0);
	ck_assert_int_eq(evtchn_bind_interdomain(V(d1, 0), &b), -EINVAL);
}
END_TEST

/* ---- close ------------------------------------------------------------- */

START_TEST(close_errors)
{
	evtchn_port_t p = ipi(d1, 0);

	ck_assert_int_eq(evtchn_close(d1, 0), -EINVAL);	/* reserved */
	ck_assert_int_eq(evtchn_close(d1, 5), -EINVAL);	/* free */
	ck_assert_int_eq(evtchn_close(d1, 64), -EINVAL);	/* no bucket */
	ck_assert_int_eq(evtchn_close(d1, 4096), -EINVAL);
	ck_assert_int_eq(evtchn_close(d1, ~0U), -EINVAL);
	ck_assert_int_eq(evtchn_close(d1, p), 0);
	ck_assert_int_eq(evtchn_close(d1, p), -EINVAL);	/* twice */
	ck_assert_uint_eq(status(d1, p).status, EVTCHNSTAT_closed);
}
END_TEST

/* Closing drops a pending event; the port comes back first. */
START_TEST(close_clears_pending)
{
	evtchn_port_t p = ipi(d1, 1), q = ipi(d1, 0);

	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(ev_pending(d1, p));
	ck_assert_int_eq(evtchn_close(d1, p), 0);
	ck_assert(!ev_pending(d1, p));
	ck_assert_uint_eq(ipi(d1, 0), p);
	ck_assert_uint_eq(status(d1, p).vcpu, 0);
	(void)q;
}
END_TEST

/* Either end may close; the other becomes unbound, waiting for the
 * closer again, and can be connected anew. Closing from the higher
 * domain id takes the locks the other way round. */
START_TEST(close_interdomain_either_end)
{
	evtchn_port_t r = unbound(d2, 1), l = connect(d1, d2, r);
	struct evtchn_status s;

	ck_assert_int_eq(evtchn_close(d2, r), 0);	/* the higher id */
	s = status(d1, l);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(s.u.unbound.dom, 2);
	ck_assert_uint_eq(status(d2, r).status, EVTCHNSTAT_closed);
	/* d2 connects back to the now unbound port of d1. */
	r = connect(d2, d1, l);
	ck_assert_uint_eq(status(d1, l).u.interdomain.port, r);
	ck_assert_int_eq(evtchn_close(d1, l), 0);	/* the lower id */
	s = status(d2, r);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(s.u.unbound.dom, 1);
	ck_assert_int_eq(evtchn_send(d2, r), 0);	/* dropped */
	ck_assert(!ev_pending(d1, l));
}
END_TEST

/* ---- VIRQs ------------------------------------------------------------- */

START_TEST(bind_virq_errors)
{
	struct evtchn_bind_virq b = { .virq = NR_VIRQS, .vcpu = 0 };

	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -EINVAL);
	b.virq = ~0U;
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -EINVAL);
	b.virq = VIRQ_CONSOLE;		/* global: vCPU 0 only */
	b.vcpu = 1;
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -EINVAL);
	b.virq = VIRQ_TIMER;
	b.vcpu = 2;
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -ENOENT);
	b.vcpu = ~0U;
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -ENOENT);
	b.vcpu = 1;
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), 0);
	ck_assert_int_eq(evtchn_bind_virq(V(d1, 0), &b), -EEXIST);
	ck_assert_uint_eq(d1->evtchn->active, 1);
}
END_TEST

/* Per-vCPU VIRQs bind once per vCPU (VIRQ_DEBUG on every vCPU is what
 * Linux's 2-level SMP bring-up needs) and reach that vCPU. */
START_TEST(virq_per_vcpu)
{
	evtchn_port_t t0 = virq(d1, VIRQ_TIMER, 0);
	evtchn_port_t t1 = virq(d1, VIRQ_TIMER, 1);
	evtchn_port_t g0 = virq(d1, VIRQ_DEBUG, 0);
	evtchn_port_t g1 = virq(d1, VIRQ_DEBUG, 1);
	struct evtchn_status s = status(d1, t1);

	ck_assert_uint_eq(s.status, EVTCHNSTAT_virq);
	ck_assert_uint_eq(s.u.virq, VIRQ_TIMER);
	ck_assert_uint_eq(s.vcpu, 1);
	ck_assert(t0 != t1 && g0 != g1 && t0 != g0);
	evtchn_send_virq(V(d1, 1), VIRQ_TIMER);
	ck_assert(ev_pending(d1, t1));
	ck_assert(!ev_pending(d1, t0));
	ck_assert_uint_eq(ev_sel(d1, 1), 1);
	ck_assert_uint_eq(ev_sel(d1, 0), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
	ck_assert_uint_eq(ev_upcall(d1, 0), 0);
	/* Not bound: nothing. */
	evtchn_send_virq(V(d2, 0), VIRQ_TIMER);
	ck_assert_uint_eq(ev_upcall(d2, 0), 0);
	/* Closed, unbound, bindable again. */
	ck_assert_int_eq(evtchn_close(d1, t1), 0);
	evtchn_send_virq(V(d1, 1), VIRQ_TIMER);
	ck_assert(!ev_pending(d1, t1));
	ck_assert_uint_eq(virq(d1, VIRQ_TIMER, 1), t1);
	/* A per-vCPU VIRQ's port stays on its vCPU. */
	ck_assert_int_eq(evtchn_bind_vcpu(d1, g1, 0), -EINVAL);
}
END_TEST

/* A global VIRQ binds on vCPU 0 and may be moved. */
START_TEST(virq_global)
{
	evtchn_port_t p = virq(d0, VIRQ_CONSOLE, 0);
	struct domain *d3 = ev_domain(3, 2, false, true);
	evtchn_port_t q = virq(d3, VIRQ_CONSOLE, 0);

	evtchn_send_global_virq(d0, VIRQ_CONSOLE);
	ck_assert(ev_pending(d0, p));
	ck_assert_uint_eq(ev_upcall(d0, 0), 1);
	ck_assert_int_eq(evtchn_bind_vcpu(d3, q, 1), 0);
	ck_assert_uint_eq(status(d3, q).vcpu, 1);
	evtchn_send_global_virq(d3, VIRQ_CONSOLE);
	ck_assert_uint_eq(ev_upcall(d3, 1), 1);
	ck_assert_uint_eq(ev_upcall(d3, 0), 0);
	/* Bound once per domain, whichever vCPU it moved to. */
	ck_assert_int_eq(evtchn_bind_virq(V(d3, 0), &(struct evtchn_bind_virq){
				.virq = VIRQ_CONSOLE }), -EEXIST);
	/* Unbound: nothing. */
	evtchn_send_global_virq(d2, VIRQ_CONSOLE);
	ck_assert_uint_eq(ev_upcall(d2, 0), 0);
	ck_assert_int_eq(evtchn_close(d3, q), 0);
	ck_assert_uint_eq(virq(d3, VIRQ_CONSOLE, 0), q);
}
END_TEST

/* ---- IPIs, send, masking ----------------------------------------------- */

START_TEST(bind_ipi_errors)
{
	struct evtchn_bind_ipi b = { .vcpu = 2 };

	ck_assert_int_eq(evtchn_bind_ipi(V(d1, 0), &b), -ENOENT);
	b.vcpu = 0x80000000;
	ck_assert_int_eq(evtchn_bind_ipi(V(d1, 0), &b), -ENOENT);
	ck_assert_uint_eq(d1->evtchn->active, 0);
}
END_TEST

/* Xen's 2-level semantics: pending, then selector of the bound vCPU,
 * then upcall; one event while pending. */
START_TEST(send_ipi_delivery)
{
	evtchn_port_t p = ipi(d1, 1);
	struct evtchn_status s = status(d1, p);

	ck_assert_uint_eq(s.status, EVTCHNSTAT_ipi);
	ck_assert_uint_eq(s.vcpu, 1);
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(ev_pending(d1, p));
	ck_assert_uint_eq(ev_sel(d1, 1), 1UL << (p / 64));
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
	ck_assert_uint_eq(ev_upcall(d1, 0), 0);
	/* The guest acknowledges the upcall but not the port: a second
	 * send changes nothing (still pending). */
	ev_ack_all(d1);
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert_uint_eq(ev_sel(d1, 1), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);
	/* Acknowledged: raised again. */
	ev_clear(d1, p);
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
}
END_TEST

/* A selector bit still set means the guest has not scanned the word
 * yet: no second upcall. */
START_TEST(send_selector_already_set)
{
	evtchn_port_t p = ipi(d1, 0), q = ipi(d1, 0);

	ck_assert_int_eq(evtchn_send(d1, p), 0);
	d1->vcpu[0]->vcpu_info->evtchn_upcall_pending = 0;
	ck_assert_int_eq(evtchn_send(d1, q), 0);
	ck_assert(ev_pending(d1, q));
	ck_assert_uint_eq(ev_upcall(d1, 0), 0);
}
END_TEST

START_TEST(send_errors)
{
	evtchn_port_t v = virq(d1, VIRQ_TIMER, 0), u = unbound(d1, 2);

	ck_assert_int_eq(evtchn_send(d1, 0), -EINVAL);
	ck_assert_int_eq(evtchn_send(d1, 9), -EINVAL);		/* free */
	ck_assert_int_eq(evtchn_send(d1, 64), -EINVAL);
	ck_assert_int_eq(evtchn_send(d1, 1U << 31), -EINVAL);
	ck_assert_int_eq(evtchn_send(d1, v), -EINVAL);		/* VIRQ */
	ck_assert_int_eq(evtchn_send(d1, u), 0);		/* dropped */
	ck_assert(!ev_pending(d1, u));
	ck_assert(!ev_pending(d1, v));
}
END_TEST

/* Masked: pending, no selector, no upcall; unmask raises it then. */
START_TEST(mask_and_unmask)
{
	evtchn_port_t p = ipi(d1, 1);

	ev_mask(d1, p);
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(ev_pending(d1, p));
	ck_assert_uint_eq(ev_sel(d1, 1), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);
	ck_assert_int_eq(evtchn_unmask(d1, p), 0);
	ck_assert(!ev_masked(d1, p));
	ck_assert_uint_eq(ev_sel(d1, 1), 1);
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
	/* Unmasking a port that is not masked raises nothing. */
	ev_ack_all(d1);
	ck_assert_int_eq(evtchn_unmask(d1, p), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);
	/* Masked and not pending: unmask only clears the mask. */
	ev_clear(d1, p);
	ev_mask(d1, p);
	ck_assert_int_eq(evtchn_unmask(d1, p), 0);
	ck_assert(!ev_masked(d1, p));
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);
}
END_TEST

START_TEST(unmask_errors)
{
	ck_assert_int_eq(evtchn_unmask(d1, 64), -EINVAL);
	ck_assert_int_eq(evtchn_unmask(d1, ~0U), -EINVAL);
	/* A port not in use: 0, and its mask bit is left as it is. */
	ev_mask(d1, 7);
	ck_assert_int_eq(evtchn_unmask(d1, 7), 0);
	ck_assert(ev_masked(d1, 7));
}
END_TEST

/* The per-vCPU upcall vector: the local APIC's IRR, only while it is
 * enabled; without one, the callback vector's level (upcall pending). */
START_TEST(upcall_vector_through_lapic)
{
	struct vcpu *v = V(d1, 1);
	evtchn_port_t p = ipi(d1, 1), q = ipi(d1, 1);
	uint32_t bit = 1u << (0xf4 % 32);

	v->arch.upcall_vector = 0xf4;
	v->arch.msrs.apic_base = 0xfee00000 | (1u << 11);	/* enabled */
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
	ck_assert_uint_eq(v->arch.vlapic.irr[0xf4 / 32] & bit, 0);
	v->arch.vlapic.svr |= 0x100;				/* APIC on */
	ev_ack_all(d1);
	ev_clear(d1, p);
	ck_assert_int_eq(evtchn_send(d1, q), 0);
	ck_assert_uint_eq(v->arch.vlapic.irr[0xf4 / 32] & bit, bit);
	ck_assert_uint_eq(V(d1, 0)->arch.vlapic.irr[0xf4 / 32] & bit, 0);
}
END_TEST

/* ---- interdomain delivery, bind_vcpu ----------------------------------- */

START_TEST(send_interdomain)
{
	evtchn_port_t r = unbound(d2, 1), l = connect(d1, d2, r);

	ev_clear(d1, l);
	ev_ack_all(d1);
	ck_assert_int_eq(evtchn_send(d1, l), 0);
	ck_assert(ev_pending(d2, r));
	ck_assert(!ev_pending(d1, l));
	ck_assert_uint_eq(ev_upcall(d2, 0), 1);
	/* The receiving end moves to vCPU 1 of d2. */
	ck_assert_int_eq(evtchn_bind_vcpu(d2, r, 1), 0);
	ev_clear(d2, r);
	ev_ack_all(d2);
	ck_assert_int_eq(evtchn_send(d1, l), 0);
	ck_assert_uint_eq(ev_upcall(d2, 1), 1);
	ck_assert_uint_eq(ev_upcall(d2, 0), 0);
	ck_assert_int_eq(evtchn_send(d2, r), 0);
	ck_assert(ev_pending(d1, l));
}
END_TEST

START_TEST(bind_vcpu_rules)
{
	evtchn_port_t i = ipi(d1, 0), u = unbound(d1, 2);

	ck_assert_int_eq(evtchn_bind_vcpu(d1, u, 2), -ENOENT);
	ck_assert_int_eq(evtchn_bind_vcpu(d1, 64, 2), -ENOENT);	/* vCPU 1st */
	ck_assert_int_eq(evtchn_bind_vcpu(d1, 64, 1), -EINVAL);
	ck_assert_int_eq(evtchn_bind_vcpu(d1, 0, 1), -EINVAL);
	ck_assert_int_eq(evtchn_bind_vcpu(d1, 20, 1), -EINVAL);	/* free */
	ck_assert_int_eq(evtchn_bind_vcpu(d1, i, 1), -EINVAL);	/* IPI */
	ck_assert_int_eq(evtchn_bind_vcpu(d1, u, 1), 0);
	ck_assert_uint_eq(status(d1, u).vcpu, 1);
	/* Connected later, it keeps its vCPU. */
	connect(d2, d1, u);
	ck_assert_uint_eq(status(d1, u).vcpu, 1);
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);
	ck_assert_int_eq(evtchn_send(d2, 1), 0);
	ck_assert_uint_eq(ev_upcall(d1, 1), 1);
}
END_TEST

/* ---- status, set_priority ---------------------------------------------- */

START_TEST(status_errors)
{
	struct evtchn_status s = { .dom = 77, .port = 1 };
	evtchn_port_t p = ipi(d2, 1);

	ck_assert_int_eq(evtchn_status(V(d1, 0), &s), -ESRCH);
	s.dom = 2;
	s.port = 64;				/* checked before permission */
	ck_assert_int_eq(evtchn_status(V(d1, 0), &s), -EINVAL);
	s.port = p;
	ck_assert_int_eq(evtchn_status(V(d1, 0), &s), -EPERM);
	ck_assert_int_eq(evtchn_status(V(d0, 0), &s), 0);	/* dom0 may */
	ck_assert_uint_eq(s.status, EVTCHNSTAT_ipi);
	ck_assert_uint_eq(s.vcpu, 1);
	/* A free port in a bucket is closed; port 0 too. */
	ck_assert_uint_eq(status(d1, 63).status, EVTCHNSTAT_closed);
	ck_assert_uint_eq(status(d1, 0).status, EVTCHNSTAT_closed);
}
END_TEST

START_TEST(set_priority_2l)
{
	ck_assert_int_eq(evtchn_set_priority(d1, 64), -EINVAL);
	ck_assert_int_eq(evtchn_set_priority(d1, 3), -ENOSYS);
	ck_assert_int_eq(evtchn_set_priority(d1, ipi(d1, 0)), -ENOSYS);
}
END_TEST

/* ---- the port table ---------------------------------------------------- */

/* Buckets of 64 up to 4096 ports; lowest free port first. */
START_TEST(port_table_grows_to_4096)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	unsigned int i;

	ck_assert_uint_eq(d1->evtchn->nr_ports, 64);
	for (i = 1; i < EVTCHN_2L_NR_CHANNELS; i++) {
		ck_assert_int_eq(evtchn_bind_ipi(V(d1, 0), &b), 0);
		ck_assert_uint_eq(b.port, i);
		ck_assert_uint_eq(d1->evtchn->nr_ports, (i / 64 + 1) * 64);
	}
	ck_assert_int_eq(evtchn_bind_ipi(V(d1, 0), &b), -ENOSPC);
	ck_assert_int_eq(evtchn_alloc_unbound(V(d1, 0),
		&(struct evtchn_alloc_unbound){ .dom = DOMID_SELF }), -ENOSPC);
	ck_assert_int_eq(evtchn_close(d1, 4000), 0);
	ck_assert_int_eq(evtchn_close(d1, 100), 0);
	ck_assert_uint_eq(ipi(d1, 0), 100);
	ck_assert_uint_eq(ipi(d1, 0), 4000);
	/* The last port delivers into the last selector bit. */
	ck_assert_int_eq(evtchn_send(d1, 4095), 0);
	ck_assert_uint_eq(ev_sel(d1, 0), 1UL << 63);
}
END_TEST

/* ---- reset ------------------------------------------------------------- */

START_TEST(reset_closes_everything)
{
	evtchn_port_t r = unbound(d2, 1), l;

	ipi(d1, 1);
	virq(d1, VIRQ_TIMER, 0);
	l = connect(d1, d2, r);
	unbound(d1, 0);
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, false), 0);
	ck_assert_uint_eq(d1->evtchn->active, 0);
	ck_assert_uint_eq(status(d2, r).status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(status(d1, l).status, EVTCHNSTAT_closed);
	/* VIRQs can be bound again. */
	virq(d1, VIRQ_TIMER, 0);
	/* Nothing to do is fine too. */
	ck_assert_int_eq(evtchn_reset(V(d2, 0), 2, false), 0);
	ck_assert_uint_eq(d2->evtchn->active, 0);
}
END_TEST

START_TEST(reset_errors)
{
	ck_assert_int_eq(evtchn_reset(V(d1, 0), 77, false), -ESRCH);
	ck_assert_int_eq(evtchn_reset(V(d1, 0), 2, false), -EPERM);
	/* Another domain's: Xen wants it paused by its controller. */
	ck_assert_int_eq(evtchn_reset(V(d0, 0), 2, false), -EINVAL);
	/* Resuming what was not started. */
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, true), -EBUSY);
}
END_TEST

START_TEST(reset_preempted)
{
	unsigned int i;

	for (i = 0; i < 200; i++)
		ipi(d1, 0);
	sim_preempt_in = 1;		/* at the first check: port 64 */
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, false),
			 EVTCHN_PREEMPTED);
	ck_assert_uint_eq(d1->evtchn->active, 200 - 64);	/* 1..64 */
	/* A second reset while one is going on. */
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, false), -EBUSY);
	sim_preempt_in = 2;		/* port 128, not 64 again */
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, true),
			 EVTCHN_PREEMPTED);
	ck_assert_uint_eq(d1->evtchn->active, 200 - 128);
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, true), 0);
	ck_assert_uint_eq(d1->evtchn->active, 0);
	ck_assert_int_eq(evtchn_reset(V(d1, 0), DOMID_SELF, true), -EBUSY);
}
END_TEST

/* ---- ports the hypervisor serves --------------------------------------- */

static struct domain *notified_dom;
static evtchn_port_t notified_port;
static unsigned int notifications;

static void xen_notify(struct domain *d, evtchn_port_t port)
{
	notified_dom = d;
	notified_port = port;
	notifications++;
}

START_TEST(xen_port)
{
	evtchn_port_t p;
	struct evtchn_status s;

	ipi(d2, 0);
	ck_assert_int_eq(evtchn_alloc_xen_port(d2, xen_notify, &p), 0);
	ck_assert_uint_eq(p, 2);
	s = status(d2, p);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_interdomain);
	ck_assert_uint_eq(s.u.interdomain.dom, DOMID_XEN);
	ck_assert_uint_eq(s.u.interdomain.port, p);
	/* The guest's send calls the hypervisor, raises nothing. */
	ck_assert_int_eq(evtchn_send(d2, p), 0);
	ck_assert_uint_eq(notifications, 1);
	ck_assert_ptr_eq(notified_dom, d2);
	ck_assert_uint_eq(notified_port, p);
	ck_assert(!ev_pending(d2, p));
	/* The hypervisor raises it toward the guest, on its vCPU. */
	ck_assert_int_eq(evtchn_bind_vcpu(d2, p, 1), 0);
	evtchn_notify_xen_port(d2, p);
	ck_assert(ev_pending(d2, p));
	ck_assert_uint_eq(ev_upcall(d2, 1), 1);
	/* Closed by the guest: neither way works any more. */
	ck_assert_int_eq(evtchn_close(d2, p), 0);
	evtchn_notify_xen_port(d2, p);
	ck_assert(!ev_pending(d2, p));
	ck_assert_int_eq(evtchn_send(d2, p), -EINVAL);
	ck_assert_uint_eq(notifications, 1);
	/* Another kind of port of that number is not raised. */
	ck_assert_uint_eq(ipi(d2, 0), p);
	evtchn_notify_xen_port(d2, p);
	ck_assert(!ev_pending(d2, p));
	evtchn_notify_xen_port(d2, 4000);	/* invalid: nothing */
}
END_TEST

/* ---- destruction ------------------------------------------------------- */

START_TEST(destroy_unbinds_peers)
{
	struct domain *d3 = ev_domain(3, 1, false, true);
	evtchn_port_t r = unbound(d3, 1), l = connect(d1, d3, r);
	evtchn_port_t r2 = unbound(d2, 3), l2 = connect(d3, d2, r2);
	struct evtchn_status s;
	evtchn_port_t xp;

	ipi(d3, 0);
	virq(d3, VIRQ_TIMER, 0);
	ck_assert_int_eq(evtchn_alloc_xen_port(d3, xen_notify, &xp), 0);
	evtchn_domain_destroy(d3);
	ck_assert_uint_eq(d3->evtchn->active, 0);
	s = status(d1, l);
	ck_assert_uint_eq(s.status, EVTCHNSTAT_unbound);
	ck_assert_uint_eq(s.u.unbound.dom, 3);
	ck_assert_uint_eq(status(d2, r2).status, EVTCHNSTAT_unbound);
	/* A dying domain gets no new port. */
	ck_assert_int_eq(evtchn_alloc_xen_port(d3, xen_notify, &xp), -EINVAL);
	ck_assert_int_eq(evtchn_bind_ipi(V(d3, 0),
			 &(struct evtchn_bind_ipi){ 0 }), -EINVAL);
	ck_assert_int_eq(evtchn_send(d1, l), 0);	/* dropped */
	(void)l2;
}
END_TEST

/* ---- SCHEDOP_poll ------------------------------------------------------ */

static bool blocked(struct vcpu *v)
{
	return __atomic_load_n(&v->pause_flags, __ATOMIC_SEQ_CST) & VPF_blocked;
}

static bool polling(struct vcpu *v)
{
	return v->domain->evtchn->poll_mask & (1UL << v->vcpu_id);
}

/* A masked port (Linux's spinlock kick): the poller blocks until it is
 * sent, even masked. */
START_TEST(poll_blocks_until_sent)
{
	struct vcpu *v = V(d1, 1);
	evtchn_port_t p = ipi(d1, 1);

	ev_mask(d1, p);
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 0), 0);
	ck_assert(blocked(v));
	ck_assert(polling(v));
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
	ck_assert_uint_eq(ev_upcall(d1, 1), 0);		/* masked */
	/* Already pending: no block at all. */
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 0), 0);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
}
END_TEST

/* Another port's event does not end a poll for one port; any port ends
 * one for several. */
START_TEST(poll_which_port)
{
	struct vcpu *v = V(d1, 0);
	evtchn_port_t p[2] = { ipi(d1, 0), ipi(d1, 0) }, other = ipi(d1, 1);

	ev_mask(d1, p[0]);
	ev_mask(d1, p[1]);
	ev_mask(d1, other);
	ck_assert_int_eq(evtchn_poll(v, p, 1, 1, 0), 0);
	ck_assert_int_eq(evtchn_send(d1, other), 0);
	ck_assert(blocked(v));
	ck_assert_int_eq(evtchn_send(d1, p[1]), 0);
	ck_assert(blocked(v));
	ck_assert_int_eq(evtchn_send(d1, p[0]), 0);
	ck_assert(!blocked(v));
	ev_clear(d1, p[0]);
	ev_clear(d1, p[1]);
	ev_clear(d1, other);
	ck_assert_int_eq(evtchn_poll(v, p, 2, 2, 0), 0);
	ck_assert(blocked(v));
	ck_assert_int_eq(evtchn_send(d1, other), 0);	/* any port */
	ck_assert(!blocked(v));
}
END_TEST

START_TEST(poll_errors)
{
	struct vcpu *v = V(d1, 0);
	evtchn_port_t p[3] = { ipi(d1, 0), 40, 64 };
	evtchn_port_t many[SCHED_POLL_MAX_PORTS + 1] = { 0 };

	ck_assert_int_eq(evtchn_poll(v, many, SCHED_POLL_MAX_PORTS + 1,
				     SCHED_POLL_MAX_PORTS + 1, 0), -EINVAL);
	ck_assert_int_eq(evtchn_poll(v, p, 2, 2, 0), -EINVAL);	/* free */
	ck_assert_int_eq(evtchn_poll(v, &p[2], 1, 1, 0), -EINVAL);
	ck_assert_int_eq(evtchn_poll(v, many, 1, 1, 0), -EINVAL); /* port 0 */
	/* Unreadable second port: -EFAULT, unless the first is pending. */
	ck_assert_int_eq(evtchn_poll(v, p, 2, 1, 0), -EFAULT);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
	ev_mask(d1, p[0]);
	ck_assert_int_eq(evtchn_send(d1, p[0]), 0);
	ck_assert_int_eq(evtchn_poll(v, p, 2, 1, 0), 0);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
}
END_TEST

/* The timeout: a timer at the absolute time given, which ends the poll
 * (here fired by hand: the simulated clock does not move). */
START_TEST(poll_timeout)
{
	struct vcpu *v = V(d1, 0);
	struct timer *t = &d1->evtchn->vcpu[0].poll_timer;
	evtchn_port_t p = ipi(d1, 0);

	ev_mask(d1, p);
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 5000000), 0);
	ck_assert(t->active);
	ck_assert_int_eq(t->expires, 5000000);
	ck_assert(blocked(v));
	t->fn(t->data);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
	/* No timeout: no timer; the stale one of a poll woken otherwise
	 * is stopped by the next poll. */
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 7000000), 0);
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(!blocked(v));
	ev_clear(d1, p);
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 0), 0);
	ck_assert(!t->active);
	ck_assert(blocked(v));
	/* A timer that fires after the poll ended does nothing. */
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(!blocked(v));
	t->fn(t->data);
	ck_assert(!polling(v));
}
END_TEST

/* An event the guest can take now ends the poll at once; with
 * interrupts off it does not. */
START_TEST(poll_pending_upcall)
{
	struct vcpu *v = V(d1, 0);
	evtchn_port_t p = ipi(d1, 0), q = ipi(d1, 0);

	d1->arch.callback_vector = 0xf3;
	ck_assert_int_eq(evtchn_send(d1, q), 0);	/* unmasked: upcall */
	ev_mask(d1, p);
	v->regs.rflags = 0x202;				/* IF */
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 0), 0);
	ck_assert(!blocked(v));
	ck_assert(!polling(v));
	v->regs.rflags = 0x2;
	ck_assert_int_eq(evtchn_poll(v, &p, 1, 1, 0), 0);
	ck_assert(blocked(v));
	/* HLT or SCHEDOP_block later: the poll is over. */
	evtchn_send(d1, p);
	hvm_vcpu_block(v);
	ck_assert(!polling(v));
}
END_TEST

/* No ports: any event of the domain, or the timeout, ends it. */
START_TEST(poll_no_ports)
{
	struct vcpu *v = V(d1, 1);
	evtchn_port_t p = ipi(d1, 0);

	ev_mask(d1, p);
	ck_assert_int_eq(evtchn_poll(v, NULL, 0, 0, 0), 0);
	ck_assert(blocked(v));
	ck_assert_int_eq(evtchn_send(d1, p), 0);
	ck_assert(!blocked(v));
}
END_TEST

/* ---- the hypercall handlers, over guest memory (32-bit, paging off) ---- */

#define ARG	0x2000ULL		/* guest-physical = virtual */
#define BAD	HVM_ENV_NOT_RAM

static long evtchn_op(unsigned long cmd, uint64_t arg)
{
	unsigned long args[5] = { cmd, arg };

	return do_event_channel_op(&env.vcpu, args);
}

START_TEST(handler_copies_in_and_out)
{
	struct evtchn_alloc_unbound *a = hvm_env_gpa(ARG);
	struct evtchn_bind_ipi *b = hvm_env_gpa(ARG);
	struct evtchn_status *s = hvm_env_gpa(ARG);
	struct evtchn_send *send = hvm_env_gpa(ARG);

	*a = (struct evtchn_alloc_unbound){ .dom = DOMID_SELF,
					    .remote_dom = 0 };
	ck_assert_int_eq(evtchn_op(EVTCHNOP_alloc_unbound, ARG), 0);
	ck_assert_uint_eq(a->port, 1);
	*b = (struct evtchn_bind_ipi){ .vcpu = 1 };
	ck_assert_int_eq(evtchn_op(EVTCHNOP_bind_ipi, ARG), 0);
	ck_assert_uint_eq(b->port, 2);
	*s = (struct evtchn_status){ .dom = DOMID_SELF, .port = 2 };
	ck_assert_int_eq(evtchn_op(EVTCHNOP_status, ARG), 0);
	ck_assert_uint_eq(s->status, EVTCHNSTAT_ipi);
	ck_assert_uint_eq(s->vcpu, 1);
	send->port = 2;
	ck_assert_int_eq(evtchn_op(EVTCHNOP_send, ARG), 0);
	ck_assert(ev_pending(d1, 2));
	/* The upper half of cmd is not looked at (Xen's int). */
	ck_assert_int_eq(evtchn_op(EVTCHNOP_send | 0x100000000UL, ARG), 0);
}
END_TEST

/* -EFAULT for every sub-op with an unreadable argument. */
START_TEST(handler_bad_pointers)
{
	static const unsigned int cmds[] = {
		EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq,
		EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status,
		EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi,
		EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_reset,
		EVTCHNOP_init_control, EVTCHNOP_expand_array,
		EVTCHNOP_set_priority,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		ck_assert_msg(evtchn_op(cmds[i], BAD) == -EFAULT, "cmd %u",
			      cmds[i]);
	/* A structure whose end is past RAM. */
	ck_assert_int_eq(evtchn_op(EVTCHNOP_bind_ipi, BAD - 4), -EFAULT);
	ck_assert_uint_eq(d1->evtchn->active, 0);
}
END_TEST

/* What Lamina does not have: PIRQs, unknown sub-ops, the FIFO ABI. */
START_TEST(handler_unknown_and_fifo)
{
	struct evtchn_init_control *ic = hvm_env_gpa(ARG);

	ck_assert_int_eq(evtchn_op(EVTCHNOP_bind_pirq, ARG), -ENOSYS);
	ck_assert_int_eq(evtchn_op(15, ARG), -ENOSYS);
	ck_assert_int_eq(evtchn_op(~0U, ARG), -ENOSYS);
	*ic = (struct evtchn_init_control){ .control_gfn = 5, .vcpu = 0 };
	ck_assert_int_eq(evtchn_op(EVTCHNOP_init_control, ARG), -ENOSYS);
	ck_assert_int_eq(evtchn_op(EVTCHNOP_expand_array, ARG), -EOPNOTSUPP);
	*(struct evtchn_set_priority *)hvm_env_gpa(ARG) =
		(struct evtchn_set_priority){ .port = 64, .priority = 7 };
	ck_assert_int_eq(evtchn_op(EVTCHNOP_set_priority, ARG), -EINVAL);
	((struct evtchn_set_priority *)hvm_env_gpa(ARG))->port = 3;
	ck_assert_int_eq(evtchn_op(EVTCHNOP_set_priority, ARG), -ENOSYS);
}
END_TEST

START_TEST(handler_reset_continues)
{
	unsigned long args[5] = { EVTCHNOP_reset, ARG };
	struct evtchn_reset *r = hvm_env_gpa(ARG);
	unsigned int i;

	for (i = 0; i < 100; i++)
		ipi(d1, 0);
	r->dom = DOMID_SELF;
	sim_preempt_in = 1;
	ck_assert_int_eq(do_event_channel_op(&env.vcpu, args), 0);
	ck_assert(env.vcpu.hcall_continue);
	ck_assert_uint_eq(args[0], 14);		/* EVTCHNOP_reset_cont */
	env.vcpu.hcall_continue = false;
	ck_assert_int_eq(do_event_channel_op(&env.vcpu, args), 0);
	ck_assert(!env.vcpu.hcall_continue);
	ck_assert_uint_eq(d1->evtchn->active, 0);
}
END_TEST

static long sched_op(unsigned int cmd, uint64_t arg)
{
	unsigned long args[5] = { cmd, arg };

	return do_sched_op(&env.vcpu, args);
}

/* 32-bit callers' struct sched_poll: a 4-byte handle. */
START_TEST(handler_poll_32bit)
{
	uint32_t *sp = hvm_env_gpa(ARG);
	uint32_t *ports = hvm_env_gpa(ARG + 0x100);
	evtchn_port_t p = ipi(d1, 0);

	ev_mask(d1, p);
	sp[0] = ARG + 0x100;
	sp[1] = 1;
	sp[2] = 0;
	sp[3] = 0;
	ports[0] = p;
	ck_assert_int_eq(sched_op(SCHEDOP_poll, ARG), 0);
	ck_assert(blocked(&env.vcpu));
	evtchn_send(d1, p);
	ck_assert(!blocked(&env.vcpu));
	sp[1] = SCHED_POLL_MAX_PORTS + 1;
	ck_assert_int_eq(sched_op(SCHEDOP_poll, ARG), -EINVAL);
	sp[0] = BAD;
	sp[1] = 1;
	ck_assert_int_eq(sched_op(SCHEDOP_poll, ARG), -EFAULT);
	ck_assert_int_eq(sched_op(SCHEDOP_poll, BAD), -EFAULT);
	ports[0] = 33;
	sp[0] = ARG + 0x100;
	ck_assert_int_eq(sched_op(SCHEDOP_poll, ARG), -EINVAL);
}
END_TEST

/* 64-bit callers: an 8-byte handle, then nr_ports, then the timeout. */
START_TEST(handler_poll_64bit)
{
	struct sched_poll *sp = hvm_env_gpa(ARG);
	evtchn_port_t *ports = hvm_env_gpa(ARG + 0x100);
	struct timer *t = &d1->evtchn->vcpu[0].poll_timer;
	evtchn_port_t p = ipi(d1, 0);
	uint64_t a;

	hvm_env_long_mode();
	for (a = 0; a < 0x4000; a += PAGE_SIZE)
		hvm_env_map(a, a, PTE_P | PTE_RW);
	ev_mask(d1, p);
	set_xen_guest_handle(sp->ports, (evtchn_port_t *)(ARG + 0x100));
	sp->nr_ports = 1;
	sp->timeout = 123456789;
	ports[0] = p;
	ck_assert_int_eq(sched_op(SCHEDOP_poll, ARG), 0);
	ck_assert(blocked(&env.vcpu));
	ck_assert_int_eq(t->expires, 123456789);
	evtchn_send(d1, p);
	ck_assert(!blocked(&env.vcpu));
}
END_TEST

START_TEST(handler_remote_shutdown)
{
	struct sched_remote_shutdown *rs = hvm_env_gpa(ARG);

	*rs = (struct sched_remote_shutdown){ .domain_id = 2,
					      .reason = SHUTDOWN_poweroff };
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, ARG), -EPERM);
	rs->domain_id = 77;
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, ARG), -ESRCH);
	rs->domain_id = DOMID_SELF;			/* not for this one */
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, ARG), -ESRCH);
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, BAD), -EFAULT);
	ck_assert_uint_eq(env.shutdowns, 0);
	/* The hardware domain names a domain by its id (here itself: what
	 * hvm_env's domain_shutdown() records). */
	d1->is_hardware = true;
	rs->domain_id = 1;
	rs->reason = SHUTDOWN_reboot;
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, ARG), 0);
	ck_assert_uint_eq(env.shutdowns, 1);
	ck_assert_uint_eq(env.shutdown_reason, SHUTDOWN_reboot);
	rs->reason = 99;
	ck_assert_int_eq(sched_op(SCHEDOP_remote_shutdown, ARG), -EINVAL);
	ck_assert_uint_eq(env.shutdowns, 1);
	d1->is_hardware = false;
}
END_TEST

SUITE(event)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("ports");
	TCase *poll = tcase_create("poll");
	TCase *hc = tcase_create("hypercall");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, alloc_unbound_ports);
	tcase_add_test(tc, alloc_unbound_errors);
	tcase_add_test(tc, bind_interdomain_connects);
	tcase_add_test(tc, bind_interdomain_loopback);
	tcase_add_test(tc, bind_interdomain_errors);
	tcase_add_test(tc, close_errors);
	tcase_add_test(tc, close_clears_pending);
	tcase_add_test(tc, close_interdomain_either_end);
	tcase_add_test(tc, bind_virq_errors);
	tcase_add_test(tc, virq_per_vcpu);
	tcase_add_test(tc, virq_global);
	tcase_add_test(tc, bind_ipi_errors);
	tcase_add_test(tc, send_ipi_delivery);
	tcase_add_test(tc, send_selector_already_set);
	tcase_add_test(tc, send_errors);
	tcase_add_test(tc, mask_and_unmask);
	tcase_add_test(tc, unmask_errors);
	tcase_add_test(tc, upcall_vector_through_lapic);
	tcase_add_test(tc, send_interdomain);
	tcase_add_test(tc, bind_vcpu_rules);
	tcase_add_test(tc, status_errors);
	tcase_add_test(tc, set_priority_2l);
	tcase_add_test(tc, port_table_grows_to_4096);
	tcase_add_test(tc, reset_closes_everything);
	tcase_add_test(tc, reset_errors);
	tcase_add_test(tc, reset_preempted);
	tcase_add_test(tc, xen_port);
	tcase_add_test(tc, destroy_unbinds_peers);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(poll, setup, teardown);
	tcase_add_test(poll, poll_blocks_until_sent);
	tcase_add_test(poll, poll_which_port);
	tcase_add_test(poll, poll_errors);
	tcase_add_test(poll, poll_timeout);
	tcase_add_test(poll, poll_pending_upcall);
	tcase_add_test(poll, poll_no_ports);
	suite_add_tcase(s, poll);

	tcase_add_checked_fixture(hc, setup, teardown);
	tcase_add_test(hc, handler_copies_in_and_out);
	tcase_add_test(hc, handler_bad_pointers);
	tcase_add_test(hc, handler_unknown_and_fifo);
	tcase_add_test(hc, handler_reset_continues);
	tcase_add_test(hc, handler_poll_32bit);
	tcase_add_test(hc, handler_poll_64bit);
	tcase_add_test(hc, handler_remote_shutdown);
	suite_add_tcase(s, hc);
	return s;
}
