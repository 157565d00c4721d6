/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_HVM_H
#define ASM_X86_HVM_HVM_H

#include <lamina/types.h>
#include <asm/p2m.h>

struct vcpu;
struct guest_paging;

/*
 * The vendor interface: one back end (SVM now, VMX later) is chosen at
 * boot by hvm_init() and everything above it calls through hvm_ops.
 * Common code never asks which vendor it runs on.
 */
struct hvm_ops {
	const char *name;
	/* The entry format of the p2m, which is the nested page table. */
	enum p2m_format p2m_format;
	/* Enable virtualization on the calling CPU (every CPU, once). */
	int (*cpu_up)(void);
	/* Per-vCPU state (control block, bitmaps); 0 or -ENOMEM. */
	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Enter at entry in 32-bit protected mode, paging off (PVH). */
	void (*vcpu_set_pvh_entry)(struct vcpu *v, uint32_t entry,
				   uint32_t ebx);
	/*
	 * Enter v on the calling CPU (the scheduler made it current here)
	 * and handle its exits, for as long as sched_may_enter(v) allows:
	 * that is checked with interrupts off before every entry. Called
	 * and returns with interrupts on.
	 */
	void (*vcpu_run)(struct vcpu *v);
	/*
	 * Optional: v leaves this CPU (the scheduler switches to another
	 * vCPU or idles); it may next run on another CPU.
	 */
	void (*vcpu_ctxt_switch_from)(struct vcpu *v);
	/* Print the guest's registers (domain crash). */
	void (*vcpu_dump)(struct vcpu *v);
	/* Is v executing 64-bit code (long mode, CS.L)? */
	bool (*vcpu_is_64bit)(struct vcpu *v);
	/* The guest's current privilege level. */
	unsigned int (*vcpu_cpl)(struct vcpu *v);
	/*
	 * The guest's paging state (control registers, EFER, RFLAGS, CPL)
	 * for guest_walk(); the memory callbacks are filled in by the
	 * caller.
	 */
	void (*vcpu_paging)(struct vcpu *v, struct guest_paging *p);
	/*
	 * Raise exception vec in the guest at its next entry, with error
	 * code ec if has_ec; for #PF, cr2 is the faulting address.
	 */
	void (*vcpu_inject_exception)(struct vcpu *v, unsigned int vec,
				      bool has_ec, uint32_t ec, uint64_t cr2);
};

/* NULL when no back end is usable: then no guests can run. */
extern const struct hvm_ops *hvm_ops;

/* Boot CPU: probe the back ends and bring up the boot CPU. */
void hvm_init(void);
/* Each secondary CPU during bring-up. */
void hvm_cpu_init(void);

/*
 * Vendor-neutral exit handlers, called by the back end after it decoded
 * the exit and with v->regs current. The back end advances RIP.
 */
/* CPUID leaf/subleaf as the guest sees it: res = eax, ebx, ecx, edx. */
void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub,
	       uint32_t res[4]);
/* A port access of size 1, 2 or 4 bytes; *val in/out. */
void hvm_portio(struct vcpu *v, uint16_t port, unsigned int size, bool in,
		uint32_t *val);
/* RDMSR/WRMSR of an MSR the back end does not own: 0 or -EPERM (#GP). */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
/*
 * HLT (RIP already past it): with interrupts enabled the vCPU blocks
 * until an event; with them disabled it goes down for good, and the
 * domain powers off once all its vCPUs are down (Xen's rule).
 */
void hvm_halt(struct vcpu *v);
/* A hypercall instruction: arguments from v->regs, result to its rax. */
void hvm_hypercall(struct vcpu *v);

/* Back-end probes: the ops if this CPU can run guests, else NULL. */
#ifdef CONFIG_SVM
const struct hvm_ops *svm_probe(void);
#else
static inline const struct hvm_ops *svm_probe(void)
{
	return NULL;
}
#endif

/* The VMX back end is not written yet. */
static inline const struct hvm_ops *vmx_probe(void)
{
	return NULL;
}

#endif /* ASM_X86_HVM_HVM_H */
