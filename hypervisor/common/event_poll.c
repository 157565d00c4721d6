// SPDX-License-Identifier: GPL-2.0
/*
 * SCHEDOP_poll: a vCPU blocks until one of a few ports is pending, even
 * masked ones, or until a timeout. Linux's PV spinlocks wait so: the
 * lock holder kicks the waiter with EVTCHNOP_send to a masked IPI port.
 *
 * A poller sets its bit in the domain's poll_mask and its poll_port,
 * then checks the ports, then blocks. Raising a port (event_2l.c) wakes
 * each vCPU of the mask that waits for that port or any port, clearing
 * its bit; so does the timeout. Both orders are covered: a port raised
 * before the check is seen by it, one raised after it finds the bit.
 * Any other event wakes the poller too (the scheduler's event_pending),
 * a spurious return Xen allows; its stale bit is dropped when it polls
 * or blocks next.
 */
#include "event_channel.h"

#include <lamina/errno.h>
#include <lamina/sched.h>
#include <asm/hvm/intr.h>

static bool poll_bit_clear(struct evtchn_domain *ed, unsigned int id)
{
	unsigned long m = 1UL << id;

	return __atomic_fetch_and(&ed->poll_mask, ~m, __ATOMIC_SEQ_CST) & m;
}

static void poll_timeout(void *data)
{
	struct evtchn_vcpu *ev = data;
	struct vcpu *v = ev->v;

	if (poll_bit_clear(v->domain->evtchn, v->vcpu_id))
		vcpu_kick(v);
}

void evtchn_check_pollers(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned long mask = __atomic_load_n(&ed->poll_mask, __ATOMIC_SEQ_CST);

	while (mask) {
		unsigned int id = __builtin_ctzl(mask);
		int want = __atomic_load_n(&ed->vcpu[id].poll_port,
					   __ATOMIC_SEQ_CST);

		mask &= mask - 1;
		if ((want < 0 || want == (int)port) && poll_bit_clear(ed, id))
			vcpu_kick(d->vcpu[id]);
	}
}

void evtchn_poll_init(struct evtchn_domain *ed, struct vcpu *v)
{
	struct evtchn_vcpu *ev = &ed->vcpu[v->vcpu_id];

	ev->v = v;
	timer_init(&ev->poll_timer, poll_timeout, ev, v->processor);
}

void evtchn_poll_destroy(struct evtchn_vcpu *ev)
{
	kill_timer(&ev->poll_timer);
}

void evtchn_poll_end(struct vcpu *v)
{
	struct evtchn_domain *ed = v->domain->evtchn;

	poll_bit_clear(ed, v->vcpu_id);
	stop_timer(&ed->vcpu[v->vcpu_id].poll_timer);
}

/* 1 pending, 0 not, -EINVAL for a port not in use (Xen). */
static int port_poll(struct domain *d, evtchn_port_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	int rc;

	if (!port_is_valid(ed, port))
		return -EINVAL;
	chn = evtchn_of(ed, port);
	spin_lock(&ed->lock);
	rc = evtchn_usable(chn) ? evtchn_2l_is_pending(d, port) : -EINVAL;
	spin_unlock(&ed->lock);
	return rc;
}

/*
 * Xen's checks in its order: an event the guest can take now ends the
 * poll at once (0), then each port in turn: not in use -EINVAL, pending
 * 0, unreadable -EFAULT.
 */
int evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr,
		unsigned int nr_read, uint64_t timeout)
{
	struct domain *d = v->domain;
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn_vcpu *ev = &ed->vcpu[v->vcpu_id];
	unsigned int i;
	int rc = 0;

	if (nr > SCHED_POLL_MAX_PORTS)
		return -EINVAL;
	stop_timer(&ev->poll_timer);		/* an earlier poll's */
	/* From here on, any event for v keeps it from sleeping. */
	__atomic_store_n(&v->event_pending, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ev->poll_port, -1, __ATOMIC_SEQ_CST);
	__atomic_or_fetch(&ed->poll_mask, 1UL << v->vcpu_id, __ATOMIC_SEQ_CST);
	if (hvm_local_events_need_delivery(v))
		goto out;
	for (i = 0; i < nr; i++) {
		rc = i < nr_read ? port_poll(d, ports[i]) : -EFAULT;
		if (rc) {
			rc = rc > 0 ? 0 : rc;
			goto out;
		}
	}
	if (nr == 1)
		__atomic_store_n(&ev->poll_port, (int)ports[0],
				 __ATOMIC_SEQ_CST);
	if (timeout)
		set_timer(&ev->poll_timer, timeout);
	vcpu_block(v);
	return 0;
out:
	poll_bit_clear(ed, v->vcpu_id);
	return rc;
}
