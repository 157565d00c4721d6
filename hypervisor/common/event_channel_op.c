// SPDX-License-Identifier: GPL-2.0
/*
 * event_channel_op (hypercall 32): copy the sub-op's structure in, call
 * its worker (common/event_channel.c), copy the results out. The
 * structures have the same layout for 32-bit callers. As on Xen, a
 * result that cannot be copied out gives -EFAULT and the port stays
 * bound.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>

/* Xen's internal sub-op that continues a preempted EVTCHNOP_reset. */
#define EVTCHNOP_reset_cont	14

/* Copy in, run, copy the whole structure back on success. */
#define IN_OUT(v, arg, type, call) ({					\
	type op__;							\
	int rc__ = -EFAULT;						\
	if (!copy_from_guest(v, &op__, arg, sizeof(op__))) {		\
		rc__ = call(v, &op__);					\
		if (!rc__ &&						\
		    copy_to_guest(v, arg, &op__, sizeof(op__)))		\
			rc__ = -EFAULT;					\
	}								\
	rc__;								\
})

/* Sub-ops whose structure holds only a port. */
static int port_op(struct vcpu *v, unsigned long arg,
		   int (*fn)(struct domain *d, evtchn_port_t port))
{
	evtchn_port_t port;

	BUILD_BUG_ON(sizeof(struct evtchn_close) != sizeof(port) ||
		     sizeof(struct evtchn_send) != sizeof(port) ||
		     sizeof(struct evtchn_unmask) != sizeof(port));
	if (copy_from_guest(v, &port, arg, sizeof(port)))
		return -EFAULT;
	return fn(v->domain, port);
}

static long reset(struct vcpu *v, unsigned long *args)
{
	struct evtchn_reset r;
	int rc;

	if (copy_from_guest(v, &r, args[1], sizeof(r)))
		return -EFAULT;
	rc = evtchn_reset(v, r.dom, (unsigned int)args[0] ==
			  EVTCHNOP_reset_cont);
	if (rc != EVTCHN_PREEMPTED)
		return rc;
	args[0] = EVTCHNOP_reset_cont;
	return hypercall_continue(v);
}

static long bind_vcpu(struct vcpu *v, unsigned long arg)
{
	struct evtchn_bind_vcpu b;

	if (copy_from_guest(v, &b, arg, sizeof(b)))
		return -EFAULT;
	return evtchn_bind_vcpu(v->domain, b.port, b.vcpu);
}

static long set_priority(struct vcpu *v, unsigned long arg)
{
	struct evtchn_set_priority p;

	if (copy_from_guest(v, &p, arg, sizeof(p)))
		return -EFAULT;
	return evtchn_set_priority(v->domain, p.port);
}

/*
 * The FIFO ABI is not implemented: init_control fails as on a Xen
 * without it, and Linux uses the 2-level ABI; expand_array gives what
 * Xen gives a domain that did not switch to FIFO.
 */
static long fifo_op(struct vcpu *v, unsigned int cmd, unsigned long arg)
{
	union {
		struct evtchn_init_control init;
		struct evtchn_expand_array expand;
	} op;
	size_t len = cmd == EVTCHNOP_init_control ? sizeof(op.init) :
						    sizeof(op.expand);

	if (copy_from_guest(v, &op, arg, len))
		return -EFAULT;
	return cmd == EVTCHNOP_init_control ? -ENOSYS : -EOPNOTSUPP;
}

/* cmd is an int, as Xen's handler takes it: the upper half is not
 * looked at. */
long do_event_channel_op(struct vcpu *v, unsigned long *args)
{
	unsigned int cmd = args[0];
	unsigned long arg = args[1];

	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return IN_OUT(v, arg, struct evtchn_alloc_unbound,
			      evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return IN_OUT(v, arg, struct evtchn_bind_interdomain,
			      evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return IN_OUT(v, arg, struct evtchn_bind_virq,
			      evtchn_bind_virq);
	case EVTCHNOP_bind_ipi:
		return IN_OUT(v, arg, struct evtchn_bind_ipi, evtchn_bind_ipi);
	case EVTCHNOP_status:
		return IN_OUT(v, arg, struct evtchn_status, evtchn_status);
	case EVTCHNOP_close:
		return port_op(v, arg, evtchn_close);
	case EVTCHNOP_send:
		return port_op(v, arg, evtchn_send);
	case EVTCHNOP_unmask:
		return port_op(v, arg, evtchn_unmask);
	case EVTCHNOP_bind_vcpu:
		return bind_vcpu(v, arg);
	case EVTCHNOP_reset:
	case EVTCHNOP_reset_cont:
		return reset(v, args);
	case EVTCHNOP_set_priority:
		return set_priority(v, arg);
	case EVTCHNOP_init_control:
	case EVTCHNOP_expand_array:
		return fifo_op(v, cmd, arg);
	case EVTCHNOP_bind_pirq:	/* no physical IRQs for guests */
	default:
		return -ENOSYS;
	}
}
