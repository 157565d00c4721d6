/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_EVENT_H
#define LAMINA_EVENT_H

#include <lamina/types.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/*
 * Event channels, Xen's 2-level ABI (common/event_channel.c): up to
 * EVTCHN_2L_NR_CHANNELS ports per domain, pending and mask bits in its
 * shared_info, a selector word per vCPU in vcpu_info. docs/hypercalls.md
 * lists the sub-ops and where Lamina differs from Xen.
 *
 * Calls from elsewhere in the hypervisor: from hypercall or softirq
 * context (timers), not from interrupt handlers, holding no lock at or
 * above LOCK_LEVEL_EVTCHN.
 */

struct domain;
struct vcpu;

/* Domain life: at creation (0 or -ENOMEM); when it is being destroyed
 * (every port is closed, the far ends of its interdomain channels
 * become unbound, as on Xen, and no new port can be made: -EINVAL);
 * when it is freed (the same first, if that was not done). */
int evtchn_domain_init(struct domain *d);
void evtchn_domain_destroy(struct domain *d);
void evtchn_domain_free(struct domain *d);

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG...) on v: nothing
 * happens if the guest has not bound it there. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
/* Raise a global VIRQ (VIRQ_CONSOLE...) in d, toward the vCPU its port
 * is bound to; nothing if it is not bound. */
void evtchn_send_global_virq(struct domain *d, unsigned int virq);

/*
 * Ports the hypervisor serves. evtchn_alloc_xen_port() gives d a port
 * whose other end is the hypervisor: the guest's EVTCHNOP_send on it
 * calls notify(d, port) from the sending vCPU, with no lock held (keep
 * it short; it must not sleep). evtchn_notify_xen_port() raises the
 * port toward the guest. 0, or -ENOSPC (no free port), -ENOMEM, -EINVAL
 * (d is dying). The guest sees the port as interdomain, remote domain
 * DOMID_XEN; if it closes it, notify is no longer called and
 * evtchn_notify_xen_port() does nothing.
 */
typedef void (*evtchn_xen_notify_t)(struct domain *d, evtchn_port_t port);
int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_t notify,
			  evtchn_port_t *port);
void evtchn_notify_xen_port(struct domain *d, evtchn_port_t port);

/*
 * The workers of event_channel_op (common/event_channel_op.c copies the
 * arguments in and out): v is the calling vCPU; results in the
 * structures; 0 or Xen's negative errno.
 */
int evtchn_alloc_unbound(struct vcpu *v, struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct vcpu *v,
			    struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct vcpu *v, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct vcpu *v, struct evtchn_bind_ipi *b);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct vcpu *v, struct evtchn_status *s);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port,
		     unsigned int vcpu_id);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
int evtchn_set_priority(struct domain *d, evtchn_port_t port);
/*
 * EVTCHNOP_reset of domain dom: every port closed. EVTCHN_PREEMPTED:
 * call again with resuming (EVTCHNOP_reset_cont) to go on.
 */
#define EVTCHN_PREEMPTED	1
int evtchn_reset(struct vcpu *v, domid_t dom, bool resuming);

/*
 * SCHEDOP_poll (common/sched_op.c copies the ports in): nr ports, of
 * which the first nr_read could be read (-EFAULT once the others are
 * reached); timeout: absolute system time in ns, 0 for none. 0 when v
 * should block (it does once the hypercall returns) or need not; or
 * -EINVAL for a port that is not in use. Xen's limit on nr:
 */
#define SCHED_POLL_MAX_PORTS	128
int evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr,
		unsigned int nr_read, uint64_t timeout);
/* v blocks for another reason (HLT, SCHEDOP_block): any poll it made
 * before is over. */
void evtchn_poll_end(struct vcpu *v);

#endif /* LAMINA_EVENT_H */
