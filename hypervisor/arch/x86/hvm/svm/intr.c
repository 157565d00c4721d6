// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt and NMI injection on SVM, through EVENTINJ.
 *
 * When the guest cannot take the interrupt now, a virtual interrupt
 * request (V_IRQ, ignoring the virtual TPR) with the VINTR intercept
 * makes the CPU exit as soon as RFLAGS.IF is set and no interrupt shadow
 * is active: the next entry then injects. NMIs stay blocked from their
 * injection until the guest executes IRET, which is intercepted (SVM
 * keeps no virtual-NMI state of its own).
 */
#include <lamina/domain.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>

#define X86_EFLAGS_IF	(1UL << 9)

static void request_window(struct vmcb *vmcb)
{
	vmcb->vintr |= SVM_VINTR_IRQ | SVM_VINTR_PRIO_MASK | SVM_VINTR_IGN_TPR;
	vmcb->intercepts1 |= SVM_INTERCEPT_VINTR;
}

void svm_intr_assist(struct vcpu *v)
{
	struct svm_vcpu *s = v->hvm;
	struct vmcb *vmcb = s->vmcb;
	bool shadow = vmcb->interrupt_shadow & SVM_INTERRUPT_SHADOW;
	struct hvm_intr intr;

	vmcb->vintr &= ~(SVM_VINTR_IRQ | SVM_VINTR_PRIO_MASK |
			 SVM_VINTR_IGN_TPR);
	vmcb->intercepts1 &= ~SVM_INTERCEPT_VINTR;
	intr = hvm_pending_intr(v);
	if (intr.src == HVM_INTR_NONE)
		return;
	if (vmcb->eventinj & SVM_EVTINJ_VALID) {
		/* An exception or a re-delivery goes first. */
		request_window(vmcb);
		return;
	}
	if (intr.src == HVM_INTR_NMI) {
		if (s->nmi_blocked)
			return;		/* the IRET exit comes back here */
		if (shadow) {
			request_window(vmcb);
			return;
		}
		vmcb->eventinj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2;
		s->nmi_blocked = true;
		vmcb->intercepts1 |= SVM_INTERCEPT_IRET;
		hvm_intr_ack(v, intr);
		return;
	}
	if (!(v->regs.rflags & X86_EFLAGS_IF) || shadow) {
		request_window(vmcb);
		return;
	}
	vmcb->eventinj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | intr.vector;
	hvm_intr_ack(v, intr);
}

/* The window opened: the next entry injects. */
void svm_exit_vintr(struct vcpu *v, struct vmcb *vmcb)
{
	vmcb->vintr &= ~SVM_VINTR_IRQ;
	vmcb->intercepts1 &= ~SVM_INTERCEPT_VINTR;
}

/*
 * The guest is about to execute IRET (the exit comes before it): NMIs
 * are unblocked from here. One injected at once runs before the IRET
 * completes, nested in the handler's frame, which the handler returns
 * to: Linux's NMI entry is written for that case; Xen does the same.
 */
void svm_exit_iret(struct vcpu *v, struct vmcb *vmcb)
{
	((struct svm_vcpu *)v->hvm)->nmi_blocked = false;
	vmcb->intercepts1 &= ~SVM_INTERCEPT_IRET;
}
