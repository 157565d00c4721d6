/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_HVM_H
#define ASM_X86_HVM_HVM_H

#include <lamina/types.h>
#include <asm/p2m.h>
#include <asm/hvm/insn.h>

struct vcpu;
struct domain;
struct guest_paging;
struct hvm_vcpu_state;

/*
 * The vendor interface: one back end (SVM or VMX) is chosen at
 * boot by hvm_init() and everything above it calls through hvm_ops.
 * Common code never asks which vendor it runs on.
 */
struct hvm_ops {
	const char *name;
	/* The entry format of the p2m, which is the nested page table. */
	enum p2m_format p2m_format;
	/* Enable virtualization on the calling CPU (every CPU, once). */
	int (*cpu_up)(void);
	/* Per-vCPU state (control block, bitmaps); 0 or -ENOMEM. Calls
	 * hvm_vcpu_init_common() for the vendor-neutral part. */
	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/*
	 * Load a whole new architectural state (a SIPI, VCPUOP_initialise:
	 * asm/hvm/vcpu_power.h) into v's control block, from v's run loop
	 * on its CPU, interrupts off; pending events and the interrupt
	 * shadow are dropped, v's TLB entries flushed.
	 */
	void (*vcpu_load_state)(struct vcpu *v,
				const struct hvm_vcpu_state *s);
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
	/* Base of segment register seg (flat in 64-bit mode except FS/GS:
	 * the caller applies that rule, see insn_string_addr()). */
	uint64_t (*vcpu_seg_base)(struct vcpu *v, enum insn_seg seg);
	/* The default operand/address size of the code being executed. */
	enum insn_mode (*vcpu_insn_mode)(struct vcpu *v);
	/*
	 * The instruction at RIP, len bytes long, was emulated: RIP past
	 * it (wrapped as the CPU wraps IP/EIP), RF and the interrupt
	 * shadow cleared, a single-step #DB if RFLAGS.TF.
	 */
	void (*vcpu_skip_insn)(struct vcpu *v, unsigned int len);
	/* Guest TSC = host TSC + offset from the next entry on. */
	void (*vcpu_set_tsc_offset)(struct vcpu *v, int64_t offset);
	/* The hypercall instruction, for the hypercall page (VMMCALL on
	 * SVM, VMCALL on VMX). */
	uint8_t hypercall_insn[3];
};

/* NULL when no back end is usable: then no guests can run. */
extern const struct hvm_ops *hvm_ops;

/* Boot CPU: probe the back ends and bring up the boot CPU. */
void hvm_init(void);
/* Each secondary CPU during bring-up. */
void hvm_cpu_init(void);

/*
 * The vendor-neutral state of a new vCPU (MSRs) and, for vCPU 0, of its
 * domain (CPUID policy). Called by hvm_ops->vcpu_init; vCPU 0 is the
 * first vCPU a domain creates.
 */
void hvm_vcpu_init_common(struct vcpu *v);
void hvm_cpuid_policy_init(struct domain *d);

/*
 * The APIC ID of v as the guest sees it everywhere (LAPIC ID register,
 * CPUID, MADT): Xen's numbering, twice the vCPU id.
 */
static inline uint32_t hvm_vcpu_apic_id(const struct vcpu *v);

/* Exceptions, through hvm_ops->vcpu_inject_exception. */
#define X86_EXC_DE	0
#define X86_EXC_DB	1
#define X86_EXC_UD	6
#define X86_EXC_DF	8
#define X86_EXC_TS	10
#define X86_EXC_NP	11
#define X86_EXC_SS	12
#define X86_EXC_GP	13
#define X86_EXC_PF	14

static inline void hvm_inject_ud(struct vcpu *v)
{
	hvm_ops->vcpu_inject_exception(v, X86_EXC_UD, false, 0, 0);
}

static inline void hvm_inject_gp0(struct vcpu *v)
{
	hvm_ops->vcpu_inject_exception(v, X86_EXC_GP, true, 0, 0);
}

/*
 * The paging state of v for guest_walk() and the copy helpers, with the
 * guest's memory reached through its p2m (hvm/emulate.c).
 */
void hvm_guest_paging(struct vcpu *v, struct guest_paging *p);

/*
 * Fetch the instruction at v's CS:RIP through its page tables and
 * decode it. 0: *in is valid. Otherwise the guest got the exception
 * the fetch raised (#PF, #GP for a non-canonical RIP) or #GP for bytes
 * that do not decode (another vCPU changed them), or the domain was
 * crashed (code or page tables not in RAM); the caller just returns.
 */
int hvm_fetch_insn(struct vcpu *v, struct insn *in);

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
/*
 * INS or OUTS (rep: with a REP prefix) decoded in *in, port and size as
 * the exit gave them; the back end checked that *in is that instruction.
 * Memory at ES:rDI / seg:rSI per the decoded address size and segment
 * override, DF, rCX. True: done, advance RIP. False: execute it again
 * (a fault was injected, the domain crashed, or REP iterations remain:
 * rCX, rSI, rDI say where it stands, as after an interrupt).
 */
bool hvm_string_io(struct vcpu *v, const struct insn *in, uint16_t port,
		   unsigned int size, bool is_in, bool rep);
/* RDMSR/WRMSR: see asm/hvm/msr.h (hvm_msr_read, hvm_msr_write). */
/*
 * HLT (RIP already past it): with interrupts enabled the vCPU blocks
 * until an event; with them disabled it goes down for good, and the
 * domain powers off once all its vCPUs are down (Xen's rule).
 */
void hvm_halt(struct vcpu *v);
/*
 * A hypercall instruction at rip, RIP already past it: arguments from
 * v->regs, result to its rax; or, for a continuation, RIP back to rip
 * and the updated arguments to their registers.
 */
void hvm_hypercall(struct vcpu *v, uint64_t rip);

/* Back-end probes: the ops if this CPU can run guests, else NULL. */
#ifdef CONFIG_SVM
const struct hvm_ops *svm_probe(void);
#else
static inline const struct hvm_ops *svm_probe(void)
{
	return NULL;
}
#endif

#ifdef CONFIG_VMX
const struct hvm_ops *vmx_probe(void);
#else
static inline const struct hvm_ops *vmx_probe(void)
{
	return NULL;
}
#endif

#include <lamina/domain.h>
static inline uint32_t hvm_vcpu_apic_id(const struct vcpu *v)
{
	return 2 * v->vcpu_id;
}

#endif /* ASM_X86_HVM_HVM_H */
