/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels, the 2-level ABI, as a guest kernel uses them (Linux's
 * drivers/xen/events/events_2l.c is the model):
 *
 * - events_init() maps shared_info into a page of this guest's memory
 *   (XENMEM_add_to_physmap) and asks for upcalls on a vector of its IDT
 *   (HVM_PARAM_CALLBACK_IRQ of type 2: the "global callback vector",
 *   injected straight into the vCPU, never through a LAPIC, never
 *   EOI'd);
 * - the upcall clears evtchn_upcall_pending, takes the selector word
 *   (evtchn_pending_sel) with an exchange, and for each word it names,
 *   acknowledges (clears the pending bit of) every pending port that is
 *   not masked, then calls that port's handler.
 *
 * Handlers run with interrupts off, on the vCPU that took the upcall:
 * each vCPU reads its own vcpu_info (this_vcpu(), smp.h). A vCPU takes
 * every pending, unmasked port of the words its selector names, as
 * Xen's ABI allows, whichever vCPU the port is bound to: a program that
 * cares where an event lands keeps its words apart (programs/evtsmp.c).
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#define EVENTS_VECTOR	0xf3		/* Linux's HYPERVISOR_CALLBACK_VECTOR */

/* shared_info, once events_init() mapped it. */
extern struct shared_info *shared_info;

/* 0, or the failing hypercall's error (printed). */
long events_init(void);

/* The upcall's work, for a handler of another vector (the per-vCPU
 * upcall vector, through the local APIC, which that handler EOIs). */
void evtchn_do_upcall(void);

/* Called for port from the upcall (NULL: just counted). */
void evtchn_set_handler(evtchn_port_t port,
			void (*fn)(evtchn_port_t port, void *arg), void *arg);
/* Upcalls taken, and events handled per port, since boot. */
extern volatile unsigned long upcalls;
unsigned long evtchn_count(evtchn_port_t port);

/* The shared_info bits, changed atomically (the hypervisor changes
 * them too). */
bool evtchn_pending(evtchn_port_t port);
bool evtchn_masked(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);

/* Interrupts on until cond() holds or tries run out: cond()'s result. */
bool events_wait(bool (*cond)(void *arg), void *arg, unsigned long tries);

/* The event_channel_op sub-ops this library's programs use. */
long evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
			     evtchn_port_t *port);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long evtchn_close(evtchn_port_t port);
long evtchn_send(evtchn_port_t port);
long evtchn_unmask(evtchn_port_t port);
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long evtchn_status(domid_t dom, evtchn_port_t port,
		   struct evtchn_status *st);

#endif
