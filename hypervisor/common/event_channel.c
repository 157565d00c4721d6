// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels: a domain's ports, their bindings, and raising events.
 *
 * A port is free, unbound (waiting for a given domain to connect to
 * it), interdomain (connected to a port of a domain, possibly its own),
 * bound to a VIRQ or an IPI of one of its vCPUs, or connected to the
 * hypervisor (ECS_XEN, the console ring's port). Port 0 is reserved.
 * Ports are allocated lowest first, in buckets of 64 that are never
 * given back while the domain lives; a port above the last bucket is
 * invalid (-EINVAL everywhere), as on Xen.
 *
 * The error codes, and the order in which a sub-op checks its input,
 * are Xen 4.17's (xen/common/event_channel.c), with its default XSM
 * policy: a domain may name itself, and the hardware domain any domain,
 * where Xen's policy says XSM_TARGET.
 */
#include "event_channel.h"

#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/xmalloc.h>

/* Per-vCPU VIRQs; the others are global (x86: every arch VIRQ too). */
static bool virq_is_global(unsigned int virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

/* Xen's rcu_lock_domain_by_any_id(): DOMID_SELF is the caller's. */
static struct domain *domain_by_any_id(struct vcpu *v, domid_t id)
{
	if (id == DOMID_SELF || id == v->domain->domain_id) {
		domain_get(v->domain);
		return v->domain;
	}
	return domain_get_by_id(id);
}

/* XSM_TARGET under Xen's default policy. */
static bool may_target(const struct vcpu *v, const struct domain *d)
{
	return d == v->domain || v->domain->is_hardware;
}

/* The order two domains' locks are taken in. */
static bool locks_before(const struct domain *a, const struct domain *b)
{
	return a->domain_id < b->domain_id ||
	       (a->domain_id == b->domain_id && a < b);
}

static void lock_two(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->evtchn->lock);
		return;
	}
	if (locks_before(b, a)) {
		struct domain *t = a;

		a = b;
		b = t;
	}
	spin_lock(&a->evtchn->lock);
	spin_lock_nested(&b->evtchn->lock, 1);
}

static void unlock_two(struct domain *a, struct domain *b)
{
	if (a != b)
		spin_unlock(&b->evtchn->lock);
	spin_unlock(&a->evtchn->lock);
}

/*
 * The lowest free port of d (allocating a bucket if every valid port is
 * in use); it stays free until the caller binds it. With d's lock.
 */
static int get_free_port(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int port, n = ed->nr_ports;
	struct evtchn *b;

	if (ed->dying)
		return -EINVAL;		/* Xen: the domain is dying */
	for (port = 1; port < n; port++)
		if (evtchn_of(ed, port)->state == ECS_FREE)
			return port;
	if (n == EVTCHN_NR_PORTS)
		return -ENOSPC;
	b = xzalloc_array(struct evtchn, EVTCHNS_PER_BUCKET);
	if (!b)
		return -ENOMEM;
	ed->bucket[n / EVTCHNS_PER_BUCKET] = b;
	/* Lock-free readers check the port against nr_ports first. */
	__atomic_store_n(&ed->nr_ports, n + EVTCHNS_PER_BUCKET,
			 __ATOMIC_RELEASE);
	return n;
}

static struct evtchn *port_bind(struct domain *d, evtchn_port_t port,
				enum evtchn_state state, unsigned int vcpu)
{
	struct evtchn *chn = evtchn_of(d->evtchn, port);

	chn->state = state;
	__atomic_store_n(&chn->notify_vcpu, vcpu, __ATOMIC_RELAXED);
	d->evtchn->active++;
	return chn;
}

/* Back to free: a pending event goes, vCPU 0 for the next binding. */
static void port_free(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = evtchn_of(d->evtchn, port);

	evtchn_2l_clear_pending(d, port);
	chn->state = ECS_FREE;
	__atomic_store_n(&chn->notify_vcpu, 0, __ATOMIC_RELAXED);
	d->evtchn->active--;
}

int evtchn_alloc_unbound(struct vcpu *v, struct evtchn_alloc_unbound *a)
{
	struct domain *d = domain_by_any_id(v, a->dom);
	struct evtchn *chn;
	int port;

	if (!d)
		return -ESRCH;
	spin_lock(&d->evtchn->lock);
	port = get_free_port(d);
	if (port < 0)
		goto out;
	if (!may_target(v, d)) {
		port = -EPERM;
		goto out;
	}
	chn = port_bind(d, port, ECS_UNBOUND, 0);
	chn->u.remote_domid = a->remote_dom == DOMID_SELF ?
			      v->domain->domain_id : a->remote_dom;
	a->port = port;
out:
	spin_unlock(&d->evtchn->lock);
	domain_put(d);
	return port < 0 ? port : 0;
}

int evtchn_bind_interdomain(struct vcpu *v,
			    struct evtchn_bind_interdomain *b)
{
	struct domain *ld = v->domain, *rd;
	struct evtchn *lchn, *rchn;
	int lport;

	rd = domain_by_any_id(v, b->remote_dom);
	if (!rd)
		return -ESRCH;
	lock_two(ld, rd);
	lport = get_free_port(ld);
	if (lport < 0)
		goto out;
	if (!port_is_valid(rd->evtchn, b->remote_port)) {
		lport = -EINVAL;
		goto out;
	}
	rchn = evtchn_of(rd->evtchn, b->remote_port);
	if (rchn->state != ECS_UNBOUND ||
	    rchn->u.remote_domid != ld->domain_id) {
		lport = -EINVAL;
		goto out;
	}
	lchn = port_bind(ld, lport, ECS_INTERDOMAIN, 0);
	lchn->u.interdomain.dom = rd;
	lchn->u.interdomain.port = b->remote_port;
	rchn->state = ECS_INTERDOMAIN;
	rchn->u.interdomain.dom = ld;
	rchn->u.interdomain.port = lport;
	/* Sends to the unbound port were dropped: raise ours once, as Xen
	 * does, so that nothing is missed. */
	evtchn_2l_set_pending(ld, 0, lport);
	b->local_port = lport;
out:
	unlock_two(ld, rd);
	domain_put(rd);
	return lport < 0 ? lport : 0;
}

int evtchn_bind_virq(struct vcpu *v, struct evtchn_bind_virq *b)
{
	struct domain *d = v->domain;
	struct evtchn_domain *ed = d->evtchn;
	uint16_t *slot;
	int port;

	if (b->virq >= NR_VIRQS)
		return -EINVAL;
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -EINVAL;
	if (b->vcpu >= d->max_vcpus)
		return -ENOENT;
	spin_lock(&ed->lock);
	slot = &ed->vcpu[b->vcpu].virq_port[b->virq];
	if (*slot) {
		port = -EEXIST;
		goto out;
	}
	port = get_free_port(d);
	if (port < 0)
		goto out;
	port_bind(d, port, ECS_VIRQ, b->vcpu)->u.virq = b->virq;
	*slot = port;
	b->port = port;
out:
	spin_unlock(&ed->lock);
	return port < 0 ? port : 0;
}

int evtchn_bind_ipi(struct vcpu *v, struct evtchn_bind_ipi *b)
{
	struct domain *d = v->domain;
	int port;

	if (b->vcpu >= d->max_vcpus)
		return -ENOENT;
	spin_lock(&d->evtchn->lock);
	port = get_free_port(d);
	if (port >= 0) {
		port_bind(d, port, ECS_IPI, b->vcpu);
		b->port = port;
	}
	spin_unlock(&d->evtchn->lock);
	return port < 0 ? port : 0;
}

/* Close a port that is not interdomain; with d's lock. */
static int close_local(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn = evtchn_of(ed, port);
	unsigned int owner;

	switch (chn->state) {
	case ECS_VIRQ:
		owner = virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu;
		BUG_ON(ed->vcpu[owner].virq_port[chn->u.virq] != port);
		ed->vcpu[owner].virq_port[chn->u.virq] = 0;
		break;
	case ECS_UNBOUND:
	case ECS_IPI:
	case ECS_XEN:
		break;
	default:		/* free, reserved */
		return -EINVAL;
	}
	port_free(d, port);
	return 0;
}

/* Close an interdomain port: its peer becomes unbound, waiting for d
 * again. With both domains' locks. */
static void close_interdomain(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = evtchn_of(d->evtchn, port), *peer;
	struct domain *rd = chn->u.interdomain.dom;

	peer = evtchn_of(rd->evtchn, chn->u.interdomain.port);
	BUG_ON(peer->state != ECS_INTERDOMAIN || peer->u.interdomain.dom != d);
	port_free(d, port);
	peer->state = ECS_UNBOUND;
	peer->u.remote_domid = d->domain_id;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	struct domain *rd;
	int rc = 0;

	if (!port_is_valid(ed, port))
		return -EINVAL;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	if (chn->state != ECS_INTERDOMAIN) {
		rc = close_local(d, port);
		spin_unlock(&ed->lock);
		return rc;
	}
	rd = chn->u.interdomain.dom;
	if (rd == d || locks_before(d, rd)) {
		if (rd != d)
			spin_lock_nested(&rd->evtchn->lock, 1);
		close_interdomain(d, port);
		unlock_two(d, rd);
		return 0;
	}
	/*
	 * rd's lock goes first: let go of ours and take both. The channel
	 * kept rd alive while we held our lock; a reference does now. If
	 * the port changed meanwhile, close what it is now, or fail as Xen
	 * does if it was connected elsewhere.
	 */
	domain_get(rd);
	spin_unlock(&ed->lock);
	lock_two(d, rd);
	if (chn->state != ECS_INTERDOMAIN)
		rc = close_local(d, port);
	else if (chn->u.interdomain.dom != rd)
		rc = -EINVAL;
	else
		close_interdomain(d, port);
	unlock_two(d, rd);
	domain_put(rd);
	return rc;
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	evtchn_xen_notify_t notify = NULL;
	struct evtchn *chn, *peer;
	struct domain *rd;
	int rc = 0;

	if (!port_is_valid(ed, port))
		return -EINVAL;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		/* Our lock keeps the channel; the peer's vCPU may change
		 * under its own lock (bind_vcpu): read it once. */
		rd = chn->u.interdomain.dom;
		peer = evtchn_of(rd->evtchn, chn->u.interdomain.port);
		evtchn_2l_set_pending(rd, __atomic_load_n(&peer->notify_vcpu,
							  __ATOMIC_RELAXED),
				      chn->u.interdomain.port);
		break;
	case ECS_IPI:
		evtchn_2l_set_pending(d, chn->notify_vcpu, port);
		break;
	case ECS_XEN:
		notify = chn->u.notify;
		break;
	case ECS_UNBOUND:
		break;		/* nobody to tell: dropped, as on Xen */
	default:
		rc = -EINVAL;
	}
	spin_unlock(&ed->lock);
	if (notify)
		notify(d, port);
	return rc;
}

static void fill_status(struct evtchn_domain *ed, evtchn_port_t port,
			struct evtchn_status *s)
{
	const struct evtchn *chn = evtchn_of(ed, port);

	switch (chn->state) {
	case ECS_UNBOUND:
		s->status = EVTCHNSTAT_unbound;
		s->u.unbound.dom = chn->u.remote_domid;
		break;
	case ECS_INTERDOMAIN:
		s->status = EVTCHNSTAT_interdomain;
		s->u.interdomain.dom = chn->u.interdomain.dom->domain_id;
		s->u.interdomain.port = chn->u.interdomain.port;
		break;
	case ECS_XEN:
		s->status = EVTCHNSTAT_interdomain;
		s->u.interdomain.dom = DOMID_XEN;
		s->u.interdomain.port = port;
		break;
	case ECS_VIRQ:
		s->status = EVTCHNSTAT_virq;
		s->u.virq = chn->u.virq;
		break;
	case ECS_IPI:
		s->status = EVTCHNSTAT_ipi;
		break;
	default:
		s->status = EVTCHNSTAT_closed;
		break;
	}
	s->vcpu = chn->notify_vcpu;
}

int evtchn_status(struct vcpu *v, struct evtchn_status *s)
{
	struct domain *d = domain_by_any_id(v, s->dom);
	int rc = 0;

	if (!d)
		return -ESRCH;
	if (!port_is_valid(d->evtchn, s->port))
		rc = -EINVAL;
	else if (!may_target(v, d))
		rc = -EPERM;
	if (!rc) {
		spin_lock(&d->evtchn->lock);
		fill_status(d->evtchn, s->port, s);
		spin_unlock(&d->evtchn->lock);
	}
	domain_put(d);
	return rc;
}

/*
 * Xen's rules: an unbound or interdomain port (and the hypervisor's)
 * and a global VIRQ's may move to another vCPU; a per-vCPU VIRQ's and
 * an IPI's may not.
 */
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port,
		     unsigned int vcpu_id)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	int rc = 0;

	if (vcpu_id >= d->max_vcpus)
		return -ENOENT;
	if (!port_is_valid(ed, port))
		return -EINVAL;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	switch (chn->state) {
	case ECS_VIRQ:
		if (!virq_is_global(chn->u.virq)) {
			rc = -EINVAL;
			break;
		}
		/* fall through */
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
	case ECS_XEN:
		__atomic_store_n(&chn->notify_vcpu, vcpu_id, __ATOMIC_RELAXED);
		break;
	default:
		rc = -EINVAL;
	}
	spin_unlock(&ed->lock);
	return rc;
}

/* A port not in use is left alone, masked or not (Xen). */
int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;

	if (!port_is_valid(ed, port))
		return -EINVAL;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	if (evtchn_usable(chn))
		evtchn_2l_unmask(d, chn->notify_vcpu, port);
	spin_unlock(&ed->lock);
	return 0;
}

/* Priorities are the FIFO ABI's: Xen has no set_priority for 2-level. */
int evtchn_set_priority(struct domain *d, evtchn_port_t port)
{
	return port_is_valid(d->evtchn, port) ? -ENOSYS : -EINVAL;
}

/*
 * Close every port of d from start on, until none is in use. With
 * preempt, EVTCHN_PREEMPTED when the CPU has other work, reset_next
 * saying where to go on.
 */
static int close_all(struct domain *d, unsigned int start, bool preempt)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int port;

	for (port = start; port_is_valid(ed, port) &&
	     __atomic_load_n(&ed->active, __ATOMIC_RELAXED); port++) {
		evtchn_close(d, port);
		if (preempt && !(port % 64) && hypercall_preempt_check()) {
			spin_lock(&ed->lock);
			ed->reset_next = port;
			spin_unlock(&ed->lock);
			return EVTCHN_PREEMPTED;
		}
	}
	return 0;
}

/*
 * Xen lets a domain reset its own ports, and a controller those of a
 * domain it paused; Lamina has no such pause: another domain's, -EINVAL.
 * One reset at a time (-EBUSY); -EAGAIN if ports were bound meanwhile.
 */
static int reset_domain(struct vcpu *v, struct domain *d, bool resuming)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int start;
	int rc;

	if (d != v->domain)
		return -EINVAL;
	spin_lock(&ed->lock);
	start = resuming ? ed->reset_next : !ed->reset_next;
	if (start > ed->reset_next)
		ed->reset_next = start;
	spin_unlock(&ed->lock);
	if (!start)
		return -EBUSY;
	rc = close_all(d, start, true);
	if (rc)
		return rc;
	spin_lock(&ed->lock);
	ed->reset_next = 0;
	rc = ed->active ? -EAGAIN : 0;
	spin_unlock(&ed->lock);
	return rc;
}

int evtchn_reset(struct vcpu *v, domid_t dom, bool resuming)
{
	struct domain *d = domain_by_any_id(v, dom);
	int rc;

	if (!d)
		return -ESRCH;
	rc = may_target(v, d) ? reset_domain(v, d, resuming) : -EPERM;
	domain_put(d);
	return rc;
}

/* ---- raising events from the hypervisor ------------------------------ */

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	struct evtchn_domain *ed = d->evtchn;
	unsigned int port;

	ASSERT(virq < NR_VIRQS && !virq_is_global(virq));
	spin_lock(&ed->lock);
	port = ed->vcpu[v->vcpu_id].virq_port[virq];
	if (port)
		evtchn_2l_set_pending(d, v->vcpu_id, port);
	spin_unlock(&ed->lock);
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int port;

	ASSERT(virq < NR_VIRQS && virq_is_global(virq));
	spin_lock(&ed->lock);
	port = ed->vcpu[0].virq_port[virq];
	if (port)
		evtchn_2l_set_pending(d, evtchn_of(ed, port)->notify_vcpu,
				      port);
	spin_unlock(&ed->lock);
}

int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_t notify,
			  evtchn_port_t *port)
{
	int rc;

	spin_lock(&d->evtchn->lock);
	rc = get_free_port(d);
	if (rc >= 0) {
		port_bind(d, rc, ECS_XEN, 0)->u.notify = notify;
		*port = rc;
	}
	spin_unlock(&d->evtchn->lock);
	return rc < 0 ? rc : 0;
}

void evtchn_notify_xen_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;

	if (!port_is_valid(ed, port))
		return;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	if (chn->state == ECS_XEN)
		evtchn_2l_set_pending(d, chn->notify_vcpu, port);
	spin_unlock(&ed->lock);
}

/* ---- domain life ------------------------------------------------------ */

int evtchn_domain_init(struct domain *d)
{
	struct evtchn_domain *ed;
	unsigned int i;

	BUILD_BUG_ON(DOMAIN_MAX_VCPUS > 8 * sizeof(ed->poll_mask));
	BUILD_BUG_ON(DOMAIN_MAX_VCPUS > 256);	/* notify_vcpu is 8 bits */
	BUILD_BUG_ON(EVTCHN_NR_PORTS > 65536);	/* virq_port is 16 bits */
	ed = xzalloc_bytes(sizeof(*ed) + d->max_vcpus * sizeof(ed->vcpu[0]));
	if (!ed)
		return -ENOMEM;
	ed->bucket[0] = xzalloc_array(struct evtchn, EVTCHNS_PER_BUCKET);
	if (!ed->bucket[0]) {
		xfree(ed);
		return -ENOMEM;
	}
	spin_lock_init(&ed->lock, LOCK_LEVEL_EVTCHN, "evtchn");
	ed->bucket[0][0].state = ECS_RESERVED;
	ed->nr_ports = EVTCHNS_PER_BUCKET;
	for (i = 0; i < d->max_vcpus; i++)
		evtchn_poll_init(ed, d->vcpu[i]);
	d->evtchn = ed;
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int i;

	if (!ed)
		return;
	spin_lock(&ed->lock);
	ed->dying = true;
	spin_unlock(&ed->lock);
	close_all(d, 1, false);
	BUG_ON(ed->active);
	for (i = 0; i < d->max_vcpus; i++)
		evtchn_poll_destroy(&ed->vcpu[i]);
}

void evtchn_domain_free(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned int i;

	if (!ed)
		return;
	evtchn_domain_destroy(d);
	for (i = 0; i < EVTCHN_NR_BUCKETS; i++)
		xfree(ed->bucket[i]);
	xfree(ed);
	d->evtchn = NULL;
}
