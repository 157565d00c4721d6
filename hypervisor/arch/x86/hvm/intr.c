// SPDX-License-Identifier: GPL-2.0
/*
 * Which interrupt a vCPU takes next, and waking it up for one. The back
 * ends inject (svm/intr.c, vmx/intr.c): before every entry, with host
 * interrupts off, they ask hvm_pending_intr() and either inject it or,
 * when the guest cannot take it yet (RFLAGS.IF clear, an STI or MOV SS
 * shadow, NMIs blocked, an event already being delivered), ask the CPU
 * for an exit as soon as it can: an interrupt window.
 *
 * The ordering contract with vcpu_kick(): a source sets its state, then
 * kicks; the run loop marks the vCPU in_guest, then reads the sources.
 * Either the loop sees the new state, or the kick sees in_guest and the
 * IPI (held while host interrupts are off) makes the guest exit at once.
 */
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>

#define X86_EFLAGS_IF	(1UL << 9)

struct hvm_intr hvm_pending_intr(struct vcpu *v)
{
	struct domain *d = v->domain;
	uint8_t cb = __atomic_load_n(&d->arch.callback_vector,
				     __ATOMIC_SEQ_CST);
	int vec;

	if (__atomic_load_n(&v->arch.nmi_pending, __ATOMIC_SEQ_CST))
		return (struct hvm_intr){ HVM_INTR_NMI, 2 };
	if (cb && __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
				  __ATOMIC_SEQ_CST))
		return (struct hvm_intr){ HVM_INTR_CALLBACK, cb };
	vec = vlapic_pending_vector(v);
	if (vec >= 0)
		return (struct hvm_intr){ HVM_INTR_LAPIC, vec };
	return (struct hvm_intr){ HVM_INTR_NONE, 0 };
}

void hvm_intr_ack(struct vcpu *v, struct hvm_intr intr)
{
	switch (intr.src) {
	case HVM_INTR_NMI:
		__atomic_store_n(&v->arch.nmi_pending, false,
				 __ATOMIC_SEQ_CST);
		break;
	case HVM_INTR_CALLBACK:
		/* Level-like: pending while evtchn_upcall_pending is set,
		 * which the guest's handler clears. */
		break;
	case HVM_INTR_LAPIC:
		vlapic_ack_vector(v, intr.vector);
		break;
	default:
		break;
	}
}

bool hvm_local_events_need_delivery(struct vcpu *v)
{
	switch (hvm_pending_intr(v).src) {
	case HVM_INTR_NONE:
		return false;
	case HVM_INTR_NMI:
		return true;
	default:
		return v->regs.rflags & X86_EFLAGS_IF;
	}
}

/*
 * Xen's rule: with a per-vCPU upcall vector, it is raised in the local
 * APIC if that is enabled (when the guest enables it later, the vector
 * is raised then if an upcall is pending: vlapic.c); without one, the
 * callback vector is level-like (hvm_pending_intr()): a kick will do.
 */
void hvm_assert_evtchn_irq(struct vcpu *v)
{
	uint8_t vec = __atomic_load_n(&v->arch.upcall_vector,
				      __ATOMIC_SEQ_CST);

	if (!vec)
		vcpu_kick(v);
	else if (vlapic_enabled(v))
		vlapic_set_irq(v, vec);
}

void vcpu_kick(struct vcpu *v)
{
	vcpu_send_event(v);
	if (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) &&
	    v->processor != smp_processor_id())
		arch_kick_cpu(v->processor);
}

void hvm_vcpu_nmi(struct vcpu *v)
{
	if (__atomic_exchange_n(&v->arch.nmi_pending, true, __ATOMIC_SEQ_CST))
		return;
	hvm_vcpu_nmi_wake(v);
	vcpu_kick(v);
}

void hvm_vcpu_block(struct vcpu *v)
{
	evtchn_poll_end(v);
	__atomic_store_n(&v->event_pending, false, __ATOMIC_SEQ_CST);
	if (hvm_pending_intr(v).src != HVM_INTR_NONE ||
	    __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
			    __ATOMIC_SEQ_CST))
		return;
	vcpu_block(v);
}
