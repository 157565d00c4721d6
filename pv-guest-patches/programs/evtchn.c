// SPDX-License-Identifier: GPL-2.0
/*
 * evtchn: event channels in one domain, the 2-level ABI. Every
 * event_channel_op sub-op with good and bad input (out-of-range ports,
 * double close, a VIRQ bound twice, vCPUs and domains that do not
 * exist, unreadable arguments), events delivered through the callback
 * vector (an IPI to this vCPU, a channel between two ports of this
 * domain), masking, the 4096-port limit, reset, SCHEDOP_poll and
 * SCHEDOP_remote_shutdown's refusals. Each test starts from a reset
 * (every port closed, every mask bit cleared), so port numbers are
 * known: the lowest free port is allocated first, on Xen too.
 * programs/evtlink.c does two domains.
 */
#include "guest.h"

#include <xen/sched.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define BAD_POINTER	0xf0000000UL	/* mapped by us, not RAM */
#define NO_DOMAIN	1234		/* no such domain */
#define NO_VCPU		1000		/* no domain has that many */
#define PORTS		EVTCHN_2L_NR_CHANNELS
#define TRIES		1000000UL	/* for an upcall to come */

static domid_t self;			/* this domain's id */

static long op(unsigned int cmd, void *arg)
{
	return event_channel_op(cmd, arg);
}

/* Every port closed, nothing masked. */
static void fresh(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	unsigned int w;

	CHECK_EQ(op(EVTCHNOP_reset, &r), 0);
	for (w = 0; w < PORTS / 64; w++)
		__atomic_store_n(&shared_info->evtchn_mask[w], 0,
				 __ATOMIC_SEQ_CST);
}

static evtchn_port_t ipi(void)
{
	evtchn_port_t p = 0;

	CHECK_EQ(evtchn_bind_ipi(0, &p), 0);
	return p;
}

struct count_at_least {
	evtchn_port_t port;
	unsigned long n;
};

static bool counted(void *arg)
{
	struct count_at_least *c = arg;

	return evtchn_count(c->port) >= c->n;
}

/* With interrupts on, port's handler runs (again) within TRIES. */
static bool delivered(evtchn_port_t port, unsigned long before)
{
	struct count_at_least c = { port, before + 1 };

	return events_wait(counted, &c, TRIES) &&
	       evtchn_count(port) == before + 1;
}

static uint32_t status_of(evtchn_port_t port, struct evtchn_status *st)
{
	CHECK_EQ(evtchn_status(DOMID_SELF, port, st), 0);
	return st->status;
}

static void test_alloc_unbound(void)
{
	struct evtchn_status st;
	evtchn_port_t p = 0;

	fresh();
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	CHECK_EQ(p, 1);				/* 0 is reserved */
	CHECK_EQ(status_of(p, &st), EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, self);	/* SELF: the caller */
	CHECK_EQ(st.vcpu, 0);
	/* The own id spelled out; a remote domain that does not exist. */
	CHECK_EQ(evtchn_alloc_unbound(self, NO_DOMAIN, &p), 0);
	CHECK_EQ(p, 2);
	CHECK_EQ(status_of(p, &st), EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, NO_DOMAIN);
	CHECK_EQ(evtchn_alloc_unbound(NO_DOMAIN, DOMID_SELF, &p), -XEN_ESRCH);
	CHECK_EQ(op(EVTCHNOP_alloc_unbound, (void *)BAD_POINTER), -XEN_EFAULT);
}

/* Two ports of this domain connected to each other. */
static void test_loopback(void)
{
	evtchn_port_t a = 0, b = 0;
	struct evtchn_status st;
	unsigned long na, nb;

	fresh();
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
	nb = evtchn_count(a + 1);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	CHECK_EQ(b, a + 1);
	/* The new end is raised once at binding (Xen: sends to the
	 * unbound end may have been dropped). */
	CHECK(delivered(b, nb));
	CHECK_EQ(status_of(a, &st), EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, self);
	CHECK_EQ(st.u.interdomain.port, b);
	CHECK_EQ(status_of(b, &st), EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.port, a);
	na = evtchn_count(a);
	nb = evtchn_count(b);
	CHECK_EQ(evtchn_send(a), 0);
	CHECK(delivered(b, nb));
	CHECK_EQ(evtchn_count(a), na);
	CHECK_EQ(evtchn_send(b), 0);
	CHECK(delivered(a, na));
	/* Closing one end leaves the other waiting for this domain. */
	CHECK_EQ(evtchn_close(a), 0);
	CHECK_EQ(status_of(b, &st), EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, self);
	CHECK_EQ(status_of(a, &st), EVTCHNSTAT_closed);
	CHECK_EQ(evtchn_send(b), 0);			/* dropped */
	CHECK(!evtchn_pending(a));
}

static void test_bind_interdomain_errors(void)
{
	evtchn_port_t other = 0, in_use = 0, p = 0;
	struct evtchn_status st;

	fresh();
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, NO_DOMAIN, &other), 0);
	in_use = ipi();
	CHECK_EQ(evtchn_bind_interdomain(NO_DOMAIN, 1, &p), -XEN_ESRCH);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, 0, &p), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, 40, &p), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, PORTS, &p), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, 100000, &p), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, in_use, &p), -XEN_EINVAL);
	/* Unbound, but for another domain. */
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, other, &p), -XEN_EINVAL);
	CHECK_EQ(op(EVTCHNOP_bind_interdomain, (void *)BAD_POINTER),
		 -XEN_EFAULT);
	/* Nothing was bound on the way. */
	CHECK_EQ(status_of(3, &st), EVTCHNSTAT_closed);
}

static void test_virq(void)
{
	evtchn_port_t timer = 0, debug = 0, console = 0, again = 0;
	struct evtchn_status st;

	fresh();
	CHECK_EQ(evtchn_bind_virq(NR_VIRQS, 0, &timer), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_virq(~0U, 0, &timer), -XEN_EINVAL);
	/* Global VIRQs bind on vCPU 0 only. */
	CHECK_EQ(evtchn_bind_virq(VIRQ_CONSOLE, 1, &timer), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, NO_VCPU, &timer), -XEN_ENOENT);
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &timer), 0);
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &again), -XEN_EEXIST);
	CHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, 0, &debug), 0);
	CHECK_EQ(evtchn_bind_virq(VIRQ_CONSOLE, 0, &console), 0);
	CHECK_EQ(status_of(timer, &st), EVTCHNSTAT_virq);
	CHECK_EQ(st.u.virq, VIRQ_TIMER);
	CHECK_EQ(st.vcpu, 0);
	CHECK_EQ(status_of(console, &st), EVTCHNSTAT_virq);
	CHECK_EQ(st.u.virq, VIRQ_CONSOLE);
	/* A per-vCPU VIRQ's port stays on its vCPU, a global one's may
	 * move. */
	CHECK_EQ(evtchn_bind_vcpu(timer, 0), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_vcpu(console, 0), 0);
	/* Closed, it can be bound again, on the same port. */
	CHECK_EQ(evtchn_close(timer), 0);
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &again), 0);
	CHECK_EQ(again, timer);
	CHECK_EQ(op(EVTCHNOP_bind_virq, (void *)BAD_POINTER), -XEN_EFAULT);
}

/* An IPI to this vCPU, through the callback vector. */
static void test_ipi(void)
{
	evtchn_port_t p = 0, q = 0;
	struct evtchn_status st;
	unsigned long n, n64, u;

	fresh();
	CHECK_EQ(evtchn_bind_ipi(NO_VCPU, &p), -XEN_ENOENT);
	p = ipi();
	CHECK_EQ(p, 1);
	CHECK_EQ(status_of(p, &st), EVTCHNSTAT_ipi);
	CHECK_EQ(st.vcpu, 0);
	n = evtchn_count(p);
	u = upcalls;
	CHECK_EQ(evtchn_send(p), 0);
	CHECK(evtchn_pending(p));			/* interrupts are off */
	CHECK(delivered(p, n));
	CHECK(upcalls > u);
	CHECK(!evtchn_pending(p));
	/* Sent twice before the guest looks: one event. */
	CHECK_EQ(evtchn_send(p), 0);
	CHECK_EQ(evtchn_send(p), 0);
	CHECK(delivered(p, n + 1));
	/* Two ports in two words, one upcall. */
	while (!evtchn_bind_ipi(0, &q) && q < 64)
		;
	CHECK_EQ(q, 64);
	n = evtchn_count(63);
	n64 = evtchn_count(64);
	u = upcalls;
	CHECK_EQ(evtchn_send(63), 0);
	CHECK_EQ(evtchn_send(64), 0);
	CHECK(delivered(63, n));
	CHECK_EQ(evtchn_count(64), n64 + 1);
	CHECK_EQ(upcalls, u + 1);
	CHECK_EQ(op(EVTCHNOP_bind_ipi, (void *)BAD_POINTER), -XEN_EFAULT);
}

static void test_mask(void)
{
	evtchn_port_t p;
	unsigned long n;

	fresh();
	p = ipi();
	n = evtchn_count(p);
	evtchn_mask(p);
	CHECK_EQ(evtchn_send(p), 0);
	CHECK(evtchn_pending(p));
	CHECK(!delivered(p, n));			/* masked: nothing */
	CHECK(evtchn_pending(p));
	/* Unmasking a pending port by hypercall raises it. */
	CHECK_EQ(evtchn_unmask(p), 0);
	CHECK(!evtchn_masked(p));
	CHECK(delivered(p, n));
	/* Not pending: unmask only clears the bit. */
	evtchn_mask(p);
	CHECK_EQ(evtchn_unmask(p), 0);
	CHECK(!evtchn_masked(p));
	CHECK(!delivered(p, n + 1));
	CHECK_EQ(evtchn_unmask(PORTS), -XEN_EINVAL);
	CHECK_EQ(evtchn_unmask(~0U), -XEN_EINVAL);
	/* A port not in use: 0, its mask bit left alone. */
	evtchn_mask(30);
	CHECK_EQ(evtchn_unmask(30), 0);
	CHECK(evtchn_masked(30));
	CHECK_EQ(op(EVTCHNOP_unmask, (void *)BAD_POINTER), -XEN_EFAULT);
}

static void test_close(void)
{
	evtchn_port_t p;

	fresh();
	p = ipi();
	CHECK_EQ(evtchn_close(0), -XEN_EINVAL);		/* reserved */
	CHECK_EQ(evtchn_close(20), -XEN_EINVAL);	/* not in use */
	CHECK_EQ(evtchn_close(PORTS), -XEN_EINVAL);
	CHECK_EQ(evtchn_close(~0U), -XEN_EINVAL);
	CHECK_EQ(evtchn_close(p), 0);
	CHECK_EQ(evtchn_close(p), -XEN_EINVAL);		/* twice */
	CHECK_EQ(op(EVTCHNOP_close, (void *)BAD_POINTER), -XEN_EFAULT);
	/* A closed port's pending event goes with it. */
	p = ipi();
	evtchn_mask(p);
	CHECK_EQ(evtchn_send(p), 0);
	CHECK_EQ(evtchn_close(p), 0);
	CHECK(!evtchn_pending(p));
}

static void test_send(void)
{
	evtchn_port_t v = 0, u = 0;

	fresh();
	CHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, 0, &v), 0);
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u), 0);
	CHECK_EQ(evtchn_send(0), -XEN_EINVAL);
	CHECK_EQ(evtchn_send(9), -XEN_EINVAL);		/* not in use */
	CHECK_EQ(evtchn_send(PORTS), -XEN_EINVAL);
	CHECK_EQ(evtchn_send(v), -XEN_EINVAL);		/* a VIRQ's */
	CHECK_EQ(evtchn_send(u), 0);			/* unbound: dropped */
	CHECK(!evtchn_pending(u));
	CHECK_EQ(op(EVTCHNOP_send, (void *)BAD_POINTER), -XEN_EFAULT);
}

static void test_status(void)
{
	struct evtchn_status st;

	fresh();
	CHECK_EQ(evtchn_status(NO_DOMAIN, 1, &st), -XEN_ESRCH);
	CHECK_EQ(evtchn_status(DOMID_SELF, PORTS, &st), -XEN_EINVAL);
	CHECK_EQ(evtchn_status(DOMID_SELF, PORTS - 1, &st), -XEN_EINVAL);
	CHECK_EQ(status_of(0, &st), EVTCHNSTAT_closed);	/* reserved */
	CHECK_EQ(status_of(63, &st), EVTCHNSTAT_closed);
	CHECK_EQ(evtchn_status(self, 1, &st), 0);
	CHECK_EQ(op(EVTCHNOP_status, (void *)BAD_POINTER), -XEN_EFAULT);
}

static void test_bind_vcpu(void)
{
	evtchn_port_t i, u = 0;

	fresh();
	i = ipi();
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u), 0);
	CHECK_EQ(evtchn_bind_vcpu(u, NO_VCPU), -XEN_ENOENT);
	CHECK_EQ(evtchn_bind_vcpu(PORTS, NO_VCPU), -XEN_ENOENT);
	CHECK_EQ(evtchn_bind_vcpu(PORTS, 0), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_vcpu(40, 0), -XEN_EINVAL);	/* not in use */
	CHECK_EQ(evtchn_bind_vcpu(i, 0), -XEN_EINVAL);	/* an IPI's */
	CHECK_EQ(evtchn_bind_vcpu(u, 0), 0);
	CHECK_EQ(op(EVTCHNOP_bind_vcpu, (void *)BAD_POINTER), -XEN_EFAULT);
}

/* The FIFO ABI's sub-ops, and what Lamina does not have. */
static void test_fifo_and_pirq(void)
{
	struct evtchn_set_priority sp = { .port = PORTS, .priority = 7 };
	struct evtchn_expand_array ea = { .array_gfn = 0 };
	struct evtchn_init_control ic = { .control_gfn = 0 };
	struct evtchn_bind_pirq bp = { .pirq = 0 };

	fresh();
	CHECK_EQ(op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
	sp.port = ipi();
	CHECK_EQ(op(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);	/* 2-level */
	CHECK_EQ(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
	CHECK_EQ(op(EVTCHNOP_set_priority, (void *)BAD_POINTER), -XEN_EFAULT);
	CHECK_EQ(op(EVTCHNOP_expand_array, (void *)BAD_POINTER), -XEN_EFAULT);
	CHECK_EQ(op(EVTCHNOP_init_control, (void *)BAD_POINTER), -XEN_EFAULT);
	CHECK_EQ(op(15, &ea), -XEN_ENOSYS);
	/* Xen 4.17 has FIFO (it would switch this domain to it for good)
	 * and binds PIRQs of PVH domains. */
	CHECK_EQ_LAMINA(op(EVTCHNOP_init_control, &ic), -XEN_ENOSYS,
			"Xen 4.17 has the FIFO ABI");
	CHECK_EQ_LAMINA(op(EVTCHNOP_bind_pirq, &bp), -XEN_ENOSYS,
			"Xen binds PIRQs of PVH domains");
}

static void test_reset(void)
{
	evtchn_port_t a = 0, b = 0, v = 0;
	struct evtchn_reset r = { .dom = NO_DOMAIN };
	struct evtchn_status st;

	fresh();
	ipi();
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
	CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0);
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &v), 0);
	CHECK_EQ(op(EVTCHNOP_reset, &r), -XEN_ESRCH);
	r.dom = self;
	CHECK_EQ(op(EVTCHNOP_reset, &r), 0);
	CHECK_EQ(status_of(1, &st), EVTCHNSTAT_closed);
	CHECK_EQ(status_of(a, &st), EVTCHNSTAT_closed);
	CHECK_EQ(status_of(b, &st), EVTCHNSTAT_closed);
	CHECK_EQ(status_of(v, &st), EVTCHNSTAT_closed);
	CHECK(!evtchn_pending(b));
	CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(op(EVTCHNOP_reset, (void *)BAD_POINTER), -XEN_EFAULT);
}

/* Ports 1 to 4095 in use: then -ENOSPC; the last port works. */
static void test_all_ports(void)
{
	evtchn_port_t p = 0, last = 0;
	unsigned long n;
	long rc;

	fresh();
	while (!(rc = evtchn_bind_ipi(0, &p)))
		last = p;
	CHECK_EQ(rc, -XEN_ENOSPC);
	CHECK_EQ(last, PORTS - 1);
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p),
		 -XEN_ENOSPC);
	n = evtchn_count(last);
	CHECK_EQ(evtchn_send(last), 0);
	CHECK(delivered(last, n));
	CHECK_EQ(evtchn_close(2000), 0);
	CHECK_EQ(evtchn_bind_ipi(0, &p), 0);
	CHECK_EQ(p, 2000);
}

static void test_poll(void)
{
	evtchn_port_t p, ports[2];

	fresh();
	p = ipi();
	evtchn_mask(p);
	/* Pending (masked): at once. */
	CHECK_EQ(evtchn_send(p), 0);
	CHECK_EQ(sched_poll(&p, 1, 0), 0);
	CHECK(evtchn_pending(p));
	/* Not pending, a timeout already past: back soon. */
	evtchn_clear(p);
	CHECK_EQ(sched_poll(&p, 1, 1), 0);
	CHECK_EQ(sched_poll(NULL, 0, 1), 0);
	ports[0] = p;
	ports[1] = 40;				/* not in use */
	CHECK_EQ(sched_poll(ports, 2, 1), -XEN_EINVAL);
	ports[1] = PORTS;
	CHECK_EQ(sched_poll(ports, 2, 1), -XEN_EINVAL);
	ports[1] = 0;
	CHECK_EQ(sched_poll(ports, 2, 1), -XEN_EINVAL);
	CHECK_EQ(sched_poll(ports, 129, 1), -XEN_EINVAL);
	CHECK_EQ(sched_poll((evtchn_port_t *)BAD_POINTER, 1, 1), -XEN_EFAULT);
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, BAD_POINTER),
		 -XEN_EFAULT);
}

static void test_remote_shutdown(void)
{
	struct sched_remote_shutdown rs = { .domain_id = NO_DOMAIN,
					    .reason = SHUTDOWN_poweroff };

	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			    (unsigned long)&rs), -XEN_ESRCH);
	rs.domain_id = DOMID_SELF;		/* an id, not SELF */
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			    (unsigned long)&rs), -XEN_ESRCH);
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			    BAD_POINTER), -XEN_EFAULT);
}

#define APIC		0xfee00000UL
#define APIC_EOI	0xb0
#define APIC_SVR	0xf0
#define SVR_ENABLE	0x100
#define UPCALL_VECTOR	0xf4	/* not the callback vector's 0xF3 */

static void apic_wr(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(APIC + reg) = val;
}

static uint32_t apic_rd(unsigned int reg)
{
	return *(volatile uint32_t *)(APIC + reg);
}

static volatile unsigned long lapic_upcalls;

static void lapic_upcall(unsigned int vector)
{
	lapic_upcalls++;
	evtchn_do_upcall();
	apic_wr(APIC_EOI, 0);
	(void)vector;
}

static bool lapic_upcalled(void *arg)
{
	return lapic_upcalls >= *(unsigned long *)arg;
}

static long set_upcall_vector(uint32_t vcpu, uint8_t vector)
{
	struct xen_hvm_evtchn_upcall_vector uv = { vcpu, vector };

	return hvm_op(HVMOP_set_evtchn_upcall_vector, &uv);
}

/*
 * The per-vCPU upcall vector: events through the local APIC too (EOI'd).
 * The callback vector stays: turning it off is ignored for a PVH
 * domain (Xen's rule), so each event comes through both, the callback
 * first (it takes the event), then the APIC's vector. Once set, the
 * vector cannot be unset: the last test.
 */
static void test_upcall_vector(void)
{
	struct xen_hvm_param off = { .domid = DOMID_SELF,
				     .index = HVM_PARAM_CALLBACK_IRQ };
	uint32_t max_leaf = 0, base = xen_cpuid_base(&max_leaf);
	unsigned long want, n, l;
	evtchn_port_t p;

	CHECK(base && max_leaf >= base + 4 &&
	      (cpuid(base + 4).eax & XEN_HVM_CPUID_UPCALL_VECTOR));
	CHECK_EQ(set_upcall_vector(NO_VCPU, 0x0f), -XEN_EINVAL);
	CHECK_EQ(set_upcall_vector(NO_VCPU, UPCALL_VECTOR), -XEN_ENOENT);
	CHECK_EQ(hvm_op(HVMOP_set_evtchn_upcall_vector, (void *)BAD_POINTER),
		 -XEN_EFAULT);
	fresh();
	p = ipi();
	CHECK_EQ(hvm_op(HVMOP_set_param, &off), 0);
	set_irq_handler(UPCALL_VECTOR, lapic_upcall);
	apic_wr(APIC_SVR, SVR_ENABLE | 0xff);
	/* Setting it raises it once, as on Xen (nothing need be pending). */
	want = lapic_upcalls + 1;
	CHECK_EQ(set_upcall_vector(0, UPCALL_VECTOR), 0);
	CHECK(events_wait(lapic_upcalled, &want, TRIES));
	n = evtchn_count(p);
	l = lapic_upcalls;
	want = l + 1;
	CHECK_EQ(evtchn_send(p), 0);
	CHECK(events_wait(lapic_upcalled, &want, TRIES));
	CHECK_EQ(evtchn_count(p), n + 1);
	CHECK_EQ(lapic_upcalls, l + 1);
	/* The APIC disabled: the callback vector alone (still on). */
	apic_wr(APIC_SVR, 0xff);
	CHECK_EQ(evtchn_send(p), 0);
	CHECK(delivered(p, n + 1));
	CHECK_EQ(lapic_upcalls, l + 1);
	/* Raised while it is disabled, taken when it is enabled. */
	CHECK_EQ(evtchn_send(p), 0);
	apic_wr(APIC_SVR, SVR_ENABLE | 0xff);
	want = l + 2;
	CHECK(events_wait(lapic_upcalled, &want, TRIES));
	CHECK_EQ(evtchn_count(p), n + 3);
	CHECK_EQ(apic_rd(APIC_SVR) & SVR_ENABLE, SVR_ENABLE);
}

static const struct test tests[] = {
	TEST(alloc_unbound), TEST(loopback), TEST(bind_interdomain_errors),
	TEST(virq), TEST(ipi), TEST(mask), TEST(close), TEST(send),
	TEST(status), TEST(bind_vcpu), TEST(fifo_and_pirq), TEST(reset),
	TEST(all_ports), TEST(poll), TEST(remote_shutdown),
	TEST(upcall_vector),
};

void guest_main(void)
{
	uint32_t max_leaf = 0, base = xen_cpuid_base(&max_leaf);

	/* Xen's leaf base+4: ECX is the domain ID. */
	if (base && max_leaf >= base + 4)
		self = cpuid_count(base + 4, 0).ecx;
	printf("evtchn: domain %u\n", self);
	CHECK_EQ(events_init(), 0);
	RUN_TESTS(tests);
}
