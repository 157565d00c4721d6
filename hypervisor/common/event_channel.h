/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels, private to common/event_*.c: the port table of a
 * domain and the 2-level delivery (event_2l.c).
 */
#ifndef COMMON_EVENT_CHANNEL_H
#define COMMON_EVENT_CHANNEL_H

#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>

/* What a port is (Xen's ECS_* plus ECS_XEN). */
enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED,		/* port 0, never used */
	ECS_UNBOUND,		/* waits for remote_domid to bind it */
	ECS_INTERDOMAIN,	/* connected to a port of a domain */
	ECS_VIRQ,
	ECS_IPI,
	ECS_XEN,		/* connected to the hypervisor */
};

struct evtchn {
	uint8_t state;			/* enum evtchn_state */
	uint8_t notify_vcpu;		/* vCPU id its events go to */
	union {
		domid_t remote_domid;	/* ECS_UNBOUND */
		struct {
			struct domain *dom;
			evtchn_port_t port;
		} interdomain;		/* ECS_INTERDOMAIN */
		unsigned int virq;	/* ECS_VIRQ */
		evtchn_xen_notify_t notify;	/* ECS_XEN */
	} u;
};

/* Ports come in buckets of 64 (Xen's size: port validity agrees). */
#define EVTCHNS_PER_BUCKET	64
#define EVTCHN_NR_PORTS		EVTCHN_2L_NR_CHANNELS
#define EVTCHN_NR_BUCKETS	(EVTCHN_NR_PORTS / EVTCHNS_PER_BUCKET)

/* Per vCPU: its VIRQ bindings and its SCHEDOP_poll. */
struct evtchn_vcpu {
	/* Port bound to each VIRQ, 0 if none (global VIRQs: vCPU 0's). */
	uint16_t virq_port[NR_VIRQS];
	/* While v's bit is in poll_mask: the port it waits for, or -1 for
	 * any (several ports, or none). Written by v only. */
	int poll_port;
	struct timer poll_timer;	/* SCHEDOP_poll's timeout */
	struct vcpu *v;
};

/*
 * A domain's event channels. lock (LOCK_LEVEL_EVTCHN) protects every
 * port's fields, the buckets array, virq_port, active, reset_next and
 * dying.
 * nr_ports only grows and is read without the lock (acquire: the
 * buckets below it are in place). poll_mask and poll_port are atomic.
 * An interdomain channel is changed (bound, closed) with both domains'
 * locks held, the lower domain id's first: either lock keeps it still.
 */
struct evtchn_domain {
	spinlock_t lock;
	unsigned int nr_ports;		/* valid ports: buckets * 64 */
	unsigned int active;		/* ports in use, port 0 aside */
	unsigned int reset_next;	/* EVTCHNOP_reset going on: next */
	bool dying;			/* closed for good: no new ports */
	unsigned long poll_mask;	/* vCPUs in SCHEDOP_poll, by id */
	struct evtchn *bucket[EVTCHN_NR_BUCKETS];
	struct evtchn_vcpu vcpu[];	/* [max_vcpus] */
};

static inline bool port_is_valid(const struct evtchn_domain *ed,
				 evtchn_port_t port)
{
	return port < __atomic_load_n(&ed->nr_ports, __ATOMIC_ACQUIRE);
}

/* A valid port's channel. */
static inline struct evtchn *evtchn_of(const struct evtchn_domain *ed,
				       evtchn_port_t port)
{
	return &ed->bucket[port / EVTCHNS_PER_BUCKET]
			  [port % EVTCHNS_PER_BUCKET];
}

/* In use: neither free nor reserved. */
static inline bool evtchn_usable(const struct evtchn *chn)
{
	return chn->state > ECS_RESERVED;
}

/*
 * 2-level delivery (event_2l.c), with the domain's lock held. set:
 * mark port pending toward vCPU vcpu_id of d (which must exist) and wake
 * a vCPU polling it; unmask: clear its mask bit and raise it if pending;
 * clear: forget a pending event (port closed).
 */
void evtchn_2l_set_pending(struct domain *d, unsigned int vcpu_id,
			   evtchn_port_t port);
void evtchn_2l_unmask(struct domain *d, unsigned int vcpu_id,
		      evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);

/* SCHEDOP_poll (event_poll.c): wake vCPUs of d waiting for port. */
void evtchn_check_pollers(struct domain *d, evtchn_port_t port);
void evtchn_poll_init(struct evtchn_domain *ed, struct vcpu *v);
void evtchn_poll_destroy(struct evtchn_vcpu *ev);

#endif /* COMMON_EVENT_CHANNEL_H */
