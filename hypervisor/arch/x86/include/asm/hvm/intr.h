/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_INTR_H
#define ASM_X86_HVM_INTR_H

#include <lamina/types.h>

struct vcpu;

/*
 * Interrupts for a vCPU, by source, in the order they are taken: an NMI
 * first, then the global event-channel callback vector (injected
 * directly, never through the virtual LAPIC, never EOI'd: Xen's
 * "vector" callback), then the virtual LAPIC's highest deliverable
 * vector.
 */
enum hvm_intr_src {
	HVM_INTR_NONE,
	HVM_INTR_NMI,
	HVM_INTR_CALLBACK,
	HVM_INTR_LAPIC,
};

struct hvm_intr {
	enum hvm_intr_src src;
	uint8_t vector;		/* 2 for an NMI */
};

/* The interrupt v should take next, whether or not it can right now. */
struct hvm_intr hvm_pending_intr(struct vcpu *v);
/* intr (from hvm_pending_intr()) is being injected into v. */
void hvm_intr_ack(struct vcpu *v, struct hvm_intr intr);

/*
 * Would v take an interrupt if it were entered now (one is pending and
 * RFLAGS.IF allows it, or an NMI)? v->regs must be current (an exit
 * handler of v's).
 */
bool hvm_local_events_need_delivery(struct vcpu *v);

/*
 * Something was made pending for v (an event, an IPI, an NMI): wake it
 * if it is blocked, make it leave guest mode if it is in it, so that it
 * takes the interrupt at its next entry. Call after the state changed.
 */
void vcpu_kick(struct vcpu *v);
/*
 * v's evtchn_upcall_pending was just set: deliver the upcall, through
 * its per-vCPU upcall vector (HVMOP_set_evtchn_upcall_vector) if it has
 * one, else through the domain's callback vector.
 */
void hvm_assert_evtchn_irq(struct vcpu *v);
/* Raise an NMI in v (once: it does not queue); it brings an initialised
 * vCPU that is down back up, as on Xen (vcpu_power.h). */
void hvm_vcpu_nmi(struct vcpu *v);

/*
 * Block v until it has an interrupt or event to take (HLT with
 * interrupts on, SCHEDOP_block): returns at once if it has one now.
 */
void hvm_vcpu_block(struct vcpu *v);

#endif /* ASM_X86_HVM_INTR_H */
