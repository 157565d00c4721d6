// SPDX-License-Identifier: GPL-2.0
/*
 * The guest state the vendor-neutral layer reads and changes through
 * hvm_ops, taken from and put into the VMCB.
 */
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>
#include <asm/processor.h>

#define RFLAGS_VM	(1ULL << 17)

/* PDPTEs are not cached by AMD CPUs with NPT: the walker reads CR3. */
void svm_vcpu_paging(struct vcpu *v, struct guest_paging *p)
{
	struct vmcb *vmcb = svm_vmcb(v);

	p->cr0 = vmcb->cr0;
	p->cr3 = vmcb->cr3;
	p->cr4 = vmcb->cr4;
	p->efer = vmcb->efer & ~EFER_SVME;
	p->rflags = v->regs.rflags;
	p->cpl = svm_vcpu_cpl(v);
	p->pdptes = NULL;
}

static const struct vmcb_seg *seg_of(struct vmcb *vmcb, enum insn_seg seg)
{
	switch (seg) {
	case INSN_SEG_ES:
		return &vmcb->es;
	case INSN_SEG_CS:
		return &vmcb->cs;
	case INSN_SEG_SS:
		return &vmcb->ss;
	case INSN_SEG_FS:
		return &vmcb->fs;
	case INSN_SEG_GS:
		return &vmcb->gs;
	default:
		return &vmcb->ds;
	}
}

uint64_t svm_vcpu_seg_base(struct vcpu *v, enum insn_seg seg)
{
	return seg_of(svm_vmcb(v), seg)->base;
}

/* CS.D decides outside long mode, in real mode too (the CPU keeps the
 * cached attributes); virtual-8086 mode is always 16-bit. */
enum insn_mode svm_vcpu_insn_mode(struct vcpu *v)
{
	struct vmcb *vmcb = svm_vmcb(v);

	if (v->regs.rflags & RFLAGS_VM)
		return INSN_MODE_16;
	return insn_mode_of(vmcb->efer & EFER_LMA,
			    vmcb->cs.attrib & SVM_ATTR_L,
			    vmcb->cs.attrib & SVM_ATTR_DB);
}

void svm_vcpu_set_tsc_offset(struct vcpu *v, int64_t offset)
{
	svm_vmcb(v)->tsc_offset = (uint64_t)offset;
}

static bool exc_contributory(unsigned int vec)
{
	return vec == X86_EXC_DE || (vec >= X86_EXC_TS && vec <= X86_EXC_GP);
}

/*
 * EVENTINJ. An exception injected while another is pending (an exit
 * during its delivery) combines as on the CPU: contributory or #PF
 * after #PF, contributory after contributory make a #DF; anything
 * after #DF is a triple fault, which crashes the domain. Otherwise the
 * new one wins (Xen does the same). QEMU ignores the EV bit and pushes
 * an error code by vector; EV is set only in protected mode (real mode
 * pushes none; VMRUN refuses EV there on hardware).
 */
void svm_vcpu_inject_exception(struct vcpu *v, unsigned int vec,
			       bool has_ec, uint32_t ec, uint64_t cr2)
{
	struct vmcb *vmcb = svm_vmcb(v);
	uint64_t prev = vmcb->eventinj;
	unsigned int pvec = prev & 0xff;

	if ((prev & SVM_EVTINJ_VALID) &&
	    (prev & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_EXC) {
		if (pvec == X86_EXC_DF) {
			domain_crash(v->domain, "triple fault");
			return;
		}
		if ((exc_contributory(pvec) && exc_contributory(vec)) ||
		    (pvec == X86_EXC_PF &&
		     (exc_contributory(vec) || vec == X86_EXC_PF))) {
			vec = X86_EXC_DF;
			has_ec = true;
			ec = 0;
		}
	}
	if (vec == X86_EXC_PF)
		vmcb->cr2 = cr2;
	vmcb->eventinj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC | vec;
	if (has_ec && (vmcb->cr0 & X86_CR0_PE))
		vmcb->eventinj |= SVM_EVTINJ_EV |
				  ((uint64_t)ec << SVM_EVTINJ_EC_SHIFT);
}

bool svm_vmcb_holds_host(const struct vmcb *vmcb, uint64_t cr3,
			 uint64_t gdt_base, uint64_t idt_base, uint64_t rip)
{
	return vmcb->cr3 == cr3 && vmcb->rip == rip &&
	       vmcb->gdtr.base == gdt_base && vmcb->idtr.base == idt_base;
}
