/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_SVM_SVM_H
#define ASM_X86_HVM_SVM_SVM_H

#include <lamina/types.h>
#include <asm/hvm/svm/vmcb.h>

struct vcpu;

/* Per physical CPU; written by that CPU only. */
struct svm_cpu {
	paddr_t hsave_pa;		/* MSR_VM_HSAVE_PA */
	paddr_t host_vmcb_pa;		/* host FS/GS/TR...: VMLOAD on exit */
	uint32_t next_asid;		/* next ASID to hand out, from 1 */
	uint32_t asid_gen;		/* bumped when the ASIDs run out */
};
extern struct svm_cpu svm_cpus[];
extern unsigned int svm_nr_asids;

/* Per vCPU: the control block and the intercept bitmaps. */
struct svm_vcpu {
	struct vmcb *vmcb;
	paddr_t vmcb_pa;
	void *iopm, *msrpm;
	/* The ASID is valid on asid_cpu while its generation is current. */
	uint32_t asid_gen;
	unsigned int asid_cpu;
};

int svm_vcpu_init(struct vcpu *v);
void svm_vcpu_destroy(struct vcpu *v);
void svm_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx);
void svm_vcpu_run(struct vcpu *v);
void svm_vcpu_dump(struct vcpu *v);
bool svm_vcpu_is_64bit(struct vcpu *v);
unsigned int svm_vcpu_cpl(struct vcpu *v);

/* One exit: dispatch by exit code (svm/exits.c). */
void svm_handle_exit(struct vcpu *v);

/*
 * The trampoline (svm/entry.S): load the guest GPRs from *regs, switch
 * to the guest with VMLOAD + VMRUN, and on #VMEXIT save them back, VMSAVE
 * the guest's segment state and VMLOAD the host's. Entered and left with
 * interrupts off; opens them only around VMRUN (GIF=0 outside).
 */
struct guest_regs;
void svm_vmrun(struct guest_regs *regs, paddr_t vmcb_pa,
	       paddr_t host_vmcb_pa);

#endif /* ASM_X86_HVM_SVM_SVM_H */
