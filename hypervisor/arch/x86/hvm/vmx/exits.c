// SPDX-License-Identifier: GPL-2.0
/*
 * VMX exit dispatch: one const table indexed by basic exit reason. Each
 * handler decodes the exit qualification, calls the vendor-neutral
 * handler (hvm/) and skips the instruction by the length the CPU
 * reports (VM_EXIT_INSTRUCTION_LEN: VMX always gives it for instruction
 * exits, so no decoding is needed). An exit without a handler, or a
 * failed VM entry, crashes the domain, never the host.
 *
 * VMX instructions executed by the guest raise #UD, as on a CPU without
 * VMX (CPUID hides it), which is what Xen does without nested HVM.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/fpu.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/processor.h>

#define X86_TRAP_UD	6
#define X86_TRAP_GP	13
#define MSR_TSC_AUX	0xc0000103

typedef void (*vmx_exit_fn)(struct vcpu *v);

static struct vmx_vcpu *vmx_of(struct vcpu *v)
{
	return v->hvm;
}

/* External interrupts: taken by the host once the run loop sets IF. */
static void exit_nothing(struct vcpu *v)
{
}

/*
 * No exception is intercepted, so only NMIs come here: with NMI exiting
 * the CPU does not deliver them, so hand this one to the host's own
 * handler, as if it had arrived outside the guest.
 */
static void exit_exception_nmi(struct vcpu *v)
{
	uint32_t info = vmx_of(v)->exit_intr_info;

	if ((info & INTR_INFO_VALID) &&
	    ((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) ==
	    INTR_TYPE_NMI) {
		__asm__ __volatile__("int $2" ::: "memory");
		return;
	}
	vcpu_crash(v, "unexpected exception exit");
}

static void exit_triple_fault(struct vcpu *v)
{
	vcpu_crash(v, "triple fault");
}

static void exit_cpuid(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;
	uint32_t res[4];

	hvm_cpuid(v, r->rax, r->rcx, res);
	r->rax = res[0];
	r->rbx = res[1];
	r->rcx = res[2];
	r->rdx = res[3];
	vmx_skip_insn(v);
}

static void exit_hlt(struct vcpu *v)
{
	vmx_skip_insn(v);
	hvm_halt(v);
}

/*
 * INVD would drop dirty cache lines, the host's included: skip it, as
 * Xen does (no device is passed through, so caches are coherent).
 */
static void exit_invd(struct vcpu *v)
{
	vmx_skip_insn(v);
}

/* The guest sees the host's TSC (no offset, no scaling). */
static void exit_rdtsc(struct vcpu *v)
{
	uint64_t tsc = rdtsc();

	v->regs.rax = (uint32_t)tsc;
	v->regs.rdx = tsc >> 32;
	vmx_skip_insn(v);
}

/* RDTSCP: ECX is the guest's TSC_AUX as its MSR policy gives it. */
static void exit_rdtscp(struct vcpu *v)
{
	uint64_t aux;

	if (hvm_msr_read(v, MSR_TSC_AUX, &aux))
		aux = 0;
	v->regs.rcx = (uint32_t)aux;
	exit_rdtsc(v);
}

static void exit_vmcall(struct vcpu *v)
{
	vmx_skip_insn(v);
	hvm_hypercall(v);
}

static void exit_vmx_insn(struct vcpu *v)
{
	vmx_vcpu_inject_exception(v, X86_TRAP_UD, false, 0, 0);
}

/*
 * XSETBV always exits under VMX. The guest's XCR0 is live in the CPU
 * while the vCPU is loaded (asm/fpu.h), so a valid value goes straight
 * there; CPL > 0 and CR4.OSXSAVE clear fault before the exit.
 */
static void exit_xsetbv(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;

	if ((uint32_t)r->rcx ||
	    fpu_set_guest_xcr0((r->rdx << 32) | (uint32_t)r->rax))
		vmx_vcpu_inject_exception(v, X86_TRAP_GP, true, 0, 0);
	else
		vmx_skip_insn(v);
}

/* String and REP forms are not emulated yet (as with SVM). */
static void exit_io(struct vcpu *v)
{
	uint64_t q = vmx_of(v)->exit_qual;
	unsigned int size = (q & IO_QUAL_SIZE_MASK) + 1;
	bool in = q & IO_QUAL_IN;
	uint32_t val = v->regs.rax;

	if (q & (IO_QUAL_STRING | IO_QUAL_REP)) {
		vcpu_crash(v, "string I/O not emulated");
		return;
	}
	hvm_portio(v, q >> IO_QUAL_PORT_SHIFT, size, in, &val);
	if (in) {
		uint64_t mask = size == 4 ? 0xffffffffULL :
				(1ULL << (size * 8)) - 1;

		/* IN EAX zero-extends into RAX; AL and AX merge. */
		v->regs.rax = size == 4 ? val : (v->regs.rax & ~mask) |
			      (val & mask);
	}
	vmx_skip_insn(v);
}

/* EFER lives in the VMCS; every other MSR is the policy's (hvm/). */
static void exit_rdmsr(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;
	uint32_t msr = r->rcx;
	uint64_t val;
	int rc = 0;

	if (msr == MSR_EFER)
		val = vmread(GUEST_IA32_EFER);
	else
		rc = hvm_msr_read(v, msr, &val);
	if (rc) {
		vmx_vcpu_inject_exception(v, X86_TRAP_GP, true, 0, 0);
		return;
	}
	r->rax = (uint32_t)val;
	r->rdx = val >> 32;
	vmx_skip_insn(v);
}

static void exit_wrmsr(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;
	uint32_t msr = r->rcx;
	uint64_t val = (r->rdx << 32) | (uint32_t)r->rax;
	int rc;

	if (msr == MSR_EFER)
		rc = vmx_set_efer(v, val);
	else
		rc = hvm_msr_write(v, msr, val);
	if (rc)
		vmx_vcpu_inject_exception(v, X86_TRAP_GP, true, 0, 0);
	else
		vmx_skip_insn(v);
}

/* No MMIO emulation yet: an access outside guest RAM is fatal. */
static void exit_ept_violation(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);
	uint64_t q = vx->exit_qual;

	printk("(lamina) d%uv%u: EPT violation at GPA %#lx (%s%s%s)%s%lx\n",
	       v->domain->domain_id, v->vcpu_id,
	       vmread(GUEST_PHYSICAL_ADDRESS), q & EPT_QUAL_READ ? "r" : "",
	       q & EPT_QUAL_WRITE ? "w" : "", q & EPT_QUAL_FETCH ? "x" : "",
	       q & EPT_QUAL_GLA_VALID ? ", linear " : "",
	       q & EPT_QUAL_GLA_VALID ? vmread(GUEST_LINEAR_ADDRESS) : 0);
	vcpu_crash(v, "access outside guest RAM");
}

/* A malformed EPT entry: a hypervisor p2m bug, contained to the domain. */
static void exit_ept_misconfig(struct vcpu *v)
{
	printk("(lamina) d%uv%u: EPT misconfiguration at GPA %#lx\n",
	       v->domain->domain_id, v->vcpu_id,
	       vmread(GUEST_PHYSICAL_ADDRESS));
	vcpu_crash(v, "EPT misconfiguration");
}

static const vmx_exit_fn vmx_exit_table[VMX_NR_EXIT_REASONS] = {
	[EXIT_REASON_EXCEPTION_NMI] = exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = exit_nothing,
	[EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_REASON_OTHER_SMI] = exit_nothing,
	[EXIT_REASON_CPUID] = exit_cpuid,
	[EXIT_REASON_HLT] = exit_hlt,
	[EXIT_REASON_INVD] = exit_invd,
	[EXIT_REASON_RDTSC] = exit_rdtsc,
	[EXIT_REASON_VMCALL] = exit_vmcall,
	[EXIT_REASON_VMCLEAR] = exit_vmx_insn,
	[EXIT_REASON_VMLAUNCH] = exit_vmx_insn,
	[EXIT_REASON_VMPTRLD] = exit_vmx_insn,
	[EXIT_REASON_VMPTRST] = exit_vmx_insn,
	[EXIT_REASON_VMREAD] = exit_vmx_insn,
	[EXIT_REASON_VMRESUME] = exit_vmx_insn,
	[EXIT_REASON_VMWRITE] = exit_vmx_insn,
	[EXIT_REASON_VMXOFF] = exit_vmx_insn,
	[EXIT_REASON_VMXON] = exit_vmx_insn,
	[EXIT_REASON_CR_ACCESS] = vmx_exit_cr_access,
	[EXIT_REASON_IO_INSTRUCTION] = exit_io,
	[EXIT_REASON_MSR_READ] = exit_rdmsr,
	[EXIT_REASON_MSR_WRITE] = exit_wrmsr,
	[EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG] = exit_ept_misconfig,
	[EXIT_REASON_INVEPT] = exit_vmx_insn,
	[EXIT_REASON_RDTSCP] = exit_rdtscp,
	[EXIT_REASON_INVVPID] = exit_vmx_insn,
	[EXIT_REASON_XSETBV] = exit_xsetbv,
	[EXIT_REASON_VMFUNC] = exit_vmx_insn,
};

/*
 * An exit taken while an event was being delivered (IDT-vectoring info
 * valid): deliver it again at the next entry. Every exit clears the
 * entry's interruption field, so only this and the handlers set it.
 */
static void reinject_vectoring(struct vmx_vcpu *vx)
{
	uint32_t info = vx->idt_vectoring;
	unsigned int type = (info & INTR_INFO_TYPE_MASK) >>
			    INTR_INFO_TYPE_SHIFT;

	if (!(info & INTR_INFO_VALID))
		return;
	vmwrite(VM_ENTRY_INTR_INFO, info & (INTR_INFO_VALID | 0xfffU));
	if (info & INTR_INFO_DELIVER_CODE)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE,
			vmread(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXC ||
	    type == INTR_TYPE_SW_EXCEPTION)
		vmwrite(VM_ENTRY_INSTRUCTION_LEN,
			vmread(VM_EXIT_INSTRUCTION_LEN));
}

static const char *entry_failure(unsigned int reason)
{
	switch (reason) {
	case EXIT_REASON_INVALID_STATE:
		return "invalid guest state";
	case EXIT_REASON_MSR_LOADING:
		return "MSR loading";
	case EXIT_REASON_MCE_DURING_ENTRY:
		return "machine check";
	}
	return "unknown reason";
}

void vmx_handle_exit(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);
	unsigned int reason = vx->exit_reason & 0xffff;
	vmx_exit_fn fn = reason < ARRAY_SIZE(vmx_exit_table) ?
			 vmx_exit_table[reason] : NULL;
	char why[80];

	if (vx->exit_reason & EXIT_REASON_FAILED_ENTRY) {
		snprintf(why, sizeof(why), "VM entry failed: %s (exit %u, "
			 "qualification %#lx)", entry_failure(reason), reason,
			 vx->exit_qual);
		vcpu_crash(v, why);
		return;
	}
	reinject_vectoring(vx);
	if (!fn) {
		snprintf(why, sizeof(why), "unhandled exit %u", reason);
		vcpu_crash(v, why);
		return;
	}
	fn(v);
}
