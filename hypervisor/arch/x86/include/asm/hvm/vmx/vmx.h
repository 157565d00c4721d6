/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_VMX_VMX_H
#define ASM_X86_HVM_VMX_VMX_H

#include <lamina/types.h>
#include <asm/hvm/insn.h>
#include <asm/hvm/vmx/vmcs.h>

struct vcpu;
struct guest_regs;
struct guest_paging;

/*
 * What the CPU supports, as vmx_probe() chose it (boot CPU, before any
 * other CPU starts; read-only afterwards). Every CPU is assumed to
 * offer the same (cpu_up() checks the VMCS revision only).
 */
struct vmx_caps {
	uint32_t revision;		/* VMCS revision identifier */
	uint32_t pin, cpu, cpu2;	/* execution controls */
	uint32_t exit, entry;		/* exit and entry controls */
	uint64_t cr0_fixed0, cr0_fixed1;
	uint64_t cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;		/* IA32_VMX_EPT_VPID_CAP */
	bool vpid;			/* VPIDs in use (with INVVPID) */
	/* Virtual NMIs with NMI-window exits (else NMIs are injected
	 * without blocking, at interrupt windows). */
	bool vnmi;
};
extern struct vmx_caps vmx_caps;

struct vmx_vcpu;

#define VMX_NR_SWITCHED_MSRS	5

/*
 * Per physical CPU. vmxon_pa is written once by the CPU itself in
 * cpu_up(); current only by that CPU (with interrupts off, since the
 * clear IPI handler also updates it); clear_req is the mailbox through
 * which another CPU asks this one to VMCLEAR a VMCS (vmcs.c).
 */
struct vmx_cpu {
	paddr_t vmxon_pa;
	struct vmx_vcpu *current;	/* VMCS last VMPTRLDed, NULL: none */
	struct vmx_vcpu *clear_req;	/* set by a requester, cleared here */
	uint64_t msrs_of;		/* uid whose SYSCALL MSRs are loaded */
};
extern struct vmx_cpu vmx_cpus[];

/*
 * Per vCPU. A VMCS is "active" on at most one CPU (VMPTRLDed there since
 * its last VMCLEAR); active_cpu names it. Only the CPU running the vCPU
 * loads it, and a VMCS still active on another CPU is first cleared
 * there through an IPI (vmx_vmcs_load()); the exit fields are those of
 * the last exit, read once by the run loop.
 */
struct vmx_vcpu {
	void *vmcs;
	paddr_t vmcs_pa;
	void *io_bitmap;		/* A and B: two pages, all ones */
	void *msr_bitmap;		/* one page, all ones */
	int active_cpu;			/* -1: not active anywhere */
	uint16_t vpid;			/* 0: none (no VPID support) */
	bool launched;			/* VMLAUNCH done since the VMCLEAR */
	bool controls_done;		/* control fields written once */
	bool pvh_pending;		/* write the PVH start state */
	unsigned int moves;		/* loads on a new CPU after the first */
	uint64_t uid;			/* never reused, unlike the address */
	/* STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE while not loaded */
	uint64_t syscall_msrs[VMX_NR_SWITCHED_MSRS];
	uint64_t cr2;			/* the guest's, while not running */
	uint64_t host_cr0, host_cr3, host_cr4;	/* as last written */
	uint64_t pdptes[4];		/* for vcpu_paging() */

	/* The last exit */
	uint32_t exit_reason;
	uint64_t exit_qual;
	uint32_t exit_intr_info, idt_vectoring;
	/* Processor-based controls as last written (window exits). */
	uint32_t cpu_ctls;
};

/* vmx/intr.c: inject or ask for a window, just before VM entry. */
void vmx_intr_assist(struct vcpu *v);

/* vmx.c */
uint64_t vmx_new_uid(void);
uint16_t vmx_vpid_alloc(void);
void vmx_vpid_free(uint16_t vpid);

/* vmcs.c: residency and set-up of a vCPU's VMCS */
void vmx_vmcs_load(struct vcpu *v);
void vmx_vmcs_release(struct vmx_vcpu *vx);
void vmx_vmcs_clear_ipi(void);
void vmx_vmcs_setup(struct vcpu *v);
void vmx_write_pvh_state(struct vcpu *v);
struct hvm_vcpu_state;
void vmx_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *s);
uint64_t vmx_eptp(struct vcpu *v);
void vmx_flush_guest_tlb(struct vcpu *v);
void vmx_flush_vpid(struct vmx_vcpu *vx);

/* vcpu.c */
int vmx_vcpu_init(struct vcpu *v);
void vmx_vcpu_destroy(struct vcpu *v);
void vmx_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx);
void vmx_vcpu_run(struct vcpu *v);
void vmx_vcpu_dump(struct vcpu *v);
bool vmx_vcpu_is_64bit(struct vcpu *v);
unsigned int vmx_vcpu_cpl(struct vcpu *v);
void vmx_vcpu_paging(struct vcpu *v, struct guest_paging *p);
void vmx_vcpu_inject_exception(struct vcpu *v, unsigned int vec,
			       bool has_ec, uint32_t ec, uint64_t cr2);
uint64_t vmx_vcpu_seg_base(struct vcpu *v, enum insn_seg seg);
enum insn_mode vmx_vcpu_insn_mode(struct vcpu *v);
void vmx_vcpu_set_tsc_offset(struct vcpu *v, int64_t offset);
/* Skip the instruction that caused the exit (length from the VMCS), or
 * one of len bytes that was emulated (hvm_ops->vcpu_skip_insn). */
void vmx_skip_insn(struct vcpu *v);
void vmx_skip_len(struct vcpu *v, unsigned int len);

/* msr.c: the MSR bitmap, MSR exits, the MSRs switched by hand */
void vmx_msr_bitmap_init(void *bitmap);
void vmx_msrs_load(struct vmx_vcpu *vx);
void vmx_vcpu_ctxt_switch_from(struct vcpu *v);
void vmx_exit_rdmsr(struct vcpu *v);
void vmx_exit_wrmsr(struct vcpu *v);

/* exits.c: one exit, dispatched by basic exit reason */
void vmx_handle_exit(struct vcpu *v);

/* cr.c: control registers and EFER (the VMCS of the vCPU current) */
void vmx_cr_setup(void);
void vmx_cr_reset(void);
void vmx_exit_cr_access(struct vcpu *v);
int vmx_set_efer(struct vcpu *v, uint64_t val);
int vmx_cr_load(struct vcpu *v, uint64_t cr0, uint64_t cr3, uint64_t cr4,
		uint64_t efer);
uint64_t vmx_guest_cr0(void);
uint64_t vmx_guest_cr4(void);

/* debug/entry_test.c: vmx_test= breaks each PVH start state on purpose. */
#ifdef CONFIG_DEBUG
void vmx_debug_entry_test(void);
#else
static inline void vmx_debug_entry_test(void)
{
}
#endif

/*
 * The world switch (vmx/entry.S): load the guest GPRs from *regs and
 * VMLAUNCH (launched false) or VMRESUME; on the VM exit save them back.
 * Entered and left with interrupts off. Returns 0 after a VM exit, 1 if
 * the instruction failed with VMfailValid (VM_INSTRUCTION_ERROR says
 * why), 2 with VMfailInvalid; then *regs is unchanged.
 */
int vmx_vmenter(struct guest_regs *regs, bool launched);

#endif /* ASM_X86_HVM_VMX_VMX_H */
