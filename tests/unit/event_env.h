/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains for the event-channel suites (test_event.c, test_event_smp.c):
 * hvm_env's domain (domid 1, guest RAM, the hypercall handlers' caller)
 * with a second vCPU, the hardware domain 0 and domain 2, each with a
 * real shared_info and event channels, vCPUs known to the real
 * scheduler, on domain_env.h's list (domain_shutdown() is hvm_env's).
 */
#ifndef TESTS_UNIT_EVENT_ENV_H
#define TESTS_UNIT_EVENT_ENV_H

#include <lamina/domain.h>
#include "domain_env.h"
#include <lamina/event.h>
#include <xen/vcpu.h>

#define EV_MAX_DOMS	4

/* d1 is &env.dom (its vCPU 0 is &env.vcpu). */
extern struct domain *d0, *d1, *d2;

void event_env_setup(void);
/* Checks that every domain reference taken was given back. */
void event_env_teardown(void);
/* Another domain of nr vCPUs (not on the list when listed is false:
 * domain_get_by_id() does not find it). */
struct domain *ev_domain(domid_t id, unsigned int nr, bool hw, bool listed);

/* The 2-level words of d, and of its vCPU id's vcpu_info. */
bool ev_pending(struct domain *d, evtchn_port_t port);
bool ev_masked(struct domain *d, evtchn_port_t port);
void ev_mask(struct domain *d, evtchn_port_t port);
void ev_clear(struct domain *d, evtchn_port_t port);
unsigned long ev_sel(struct domain *d, unsigned int vcpu);
uint8_t ev_upcall(struct domain *d, unsigned int vcpu);
/* Forget every selector bit and upcall of d's vCPUs. */
void ev_ack_all(struct domain *d);

#endif /* TESTS_UNIT_EVENT_ENV_H */
