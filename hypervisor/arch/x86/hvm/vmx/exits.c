// SPDX-License-Identifier: GPL-2.0
/*
 * VMX exit dispatch: one const table indexed by basic exit reason. Each
 * handler decodes the exit qualification, calls the vendor-neutral
 * handler (hvm/) and skips the instruction by the length the CPU
 * reports (VM_EXIT_INSTRUCTION_LEN: VMX always gives it for instruction
 * exits, so only string I/O, emulated from memory, is fetched). An exit
 * without a handler, or a failed VM entry, crashes the domain, never
 * the host.
 *
 * Intercepted instructions and what the guest gets (docs/cpuid-msr.md).
 * RDTSC, RDTSCP and RDPID run natively: the VMCS's TSC offset and the
 * guest's TSC_AUX, loaded before entry (hvm_load_tsc_aux()).
 *   CPUID, RDMSR/WRMSR, IN/OUT, INS/OUTS, VMCALL   emulated
 *   MOV to CR0/CR4 changing a host-owned bit       emulated (cr.c)
 *   XSETBV               checked and loaded (the guest's XCR0 is live)
 *   HLT                  hvm_halt()
 *   INVD, WBINVD         no-ops, as SVM and Xen
 *   VMX instructions, INVEPT, INVVPID, VMFUNC, MONITOR, MWAIT
 *                        #UD: no nested virtualization, not in CPUID
 *   RDPMC                #UD above CPL 0, else the domain is crashed
 *   an access outside RAM  EPT violation: hvm_npf() (MMIO emulation)
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/fpu.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/processor.h>

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
 * INVD and WBINVD: nothing to write back or throw away for the guest (no
 * device reaches guest memory except through the hypervisor), as SVM;
 * INVD would drop the host's dirty lines too.
 */
static void exit_cache(struct vcpu *v)
{
	vmx_skip_insn(v);
}

static void exit_vmcall(struct vcpu *v)
{
	uint64_t rip = v->regs.rip;

	vmx_skip_insn(v);
	hvm_hypercall(v, rip);
}

/*
 * Instructions the guest's CPU does not have (VMX: no nested
 * virtualization; MONITOR/MWAIT: not in its CPUID): the exception is the
 * instruction's, so RIP stays.
 */
static void exit_ud(struct vcpu *v)
{
	hvm_inject_ud(v);
}

/*
 * RDPMC: no virtual PMU, and the host's counters must not leak. From
 * CPL 0 the domain is crashed, above it the guest gets #UD (as SVM).
 */
static void exit_rdpmc(struct vcpu *v)
{
	if (vmx_vcpu_cpl(v))
		hvm_inject_ud(v);
	else
		vcpu_crash(v, "unhandled intercept: RDPMC");
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
		hvm_inject_gp0(v);
	else
		vmx_skip_insn(v);
}

/* INS/OUTS: the decoded instruction must be what the exit describes. */
static bool string_io_matches(const struct insn *in, bool is_in,
			      unsigned int size)
{
	unsigned int op = is_in ? 0x6c : 0x6e;

	if (in->map != INSN_MAP_1BYTE || (in->opcode & ~1) != op)
		return false;
	return size == (in->opcode & 1 ? MIN(in->op_bytes, 4) : 1);
}

/*
 * INS/OUTS: the exit gives port, size and direction, the decoded
 * instruction its address size and segment (hvm_string_io()). The bytes
 * fetched must be the instruction that exited (another vCPU may have
 * changed them): else #GP and nothing done, as SVM and Xen.
 */
static void exit_string_io(struct vcpu *v, uint64_t q, unsigned int size,
			   bool in)
{
	struct insn insn;

	if (hvm_fetch_insn(v, &insn))
		return;
	if (!string_io_matches(&insn, in, size)) {
		hvm_inject_gp0(v);
		return;
	}
	if (hvm_string_io(v, &insn, q >> IO_QUAL_PORT_SHIFT, size, in,
			  q & IO_QUAL_REP))
		vmx_skip_insn(v);
}

static void exit_io(struct vcpu *v)
{
	uint64_t q = vmx_of(v)->exit_qual;
	unsigned int size = (q & IO_QUAL_SIZE_MASK) + 1;
	bool in = q & IO_QUAL_IN;
	uint32_t val = v->regs.rax;

	if (q & IO_QUAL_STRING) {
		exit_string_io(v, q, size, in);
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

/*
 * An access outside guest RAM: hvm_npf() emulates MMIO. Bit 8 of the
 * qualification (valid with bit 7) is clear for an access to a guest
 * paging entry; without bit 7 the access did not come from a linear
 * address at all (PDPTE loads): both count as page-table accesses.
 */
#define EPT_QUAL_TRANSLATED	(1U << 8)

static void exit_ept_violation(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);
	uint64_t q = vx->exit_qual;
	unsigned int flags = 0;

	if (q & EPT_QUAL_WRITE)
		flags |= HVM_NPF_WRITE;
	if (q & EPT_QUAL_FETCH)
		flags |= HVM_NPF_FETCH;
	if (!(q & EPT_QUAL_GLA_VALID) || !(q & EPT_QUAL_TRANSLATED))
		flags |= HVM_NPF_WALK;
	if (vx->idt_vectoring & INTR_INFO_VALID)
		flags |= HVM_NPF_DELIVERY;
	hvm_npf(v, vmread(GUEST_PHYSICAL_ADDRESS), flags);
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
	[EXIT_REASON_INTR_WINDOW] = exit_nothing,	/* vmx/intr.c */
	[EXIT_REASON_NMI_WINDOW] = exit_nothing,
	[EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_REASON_OTHER_SMI] = exit_nothing,
	[EXIT_REASON_CPUID] = exit_cpuid,
	[EXIT_REASON_HLT] = exit_hlt,
	[EXIT_REASON_INVD] = exit_cache,
	[EXIT_REASON_RDPMC] = exit_rdpmc,
	[EXIT_REASON_VMCALL] = exit_vmcall,
	[EXIT_REASON_VMCLEAR] = exit_ud,
	[EXIT_REASON_VMLAUNCH] = exit_ud,
	[EXIT_REASON_VMPTRLD] = exit_ud,
	[EXIT_REASON_VMPTRST] = exit_ud,
	[EXIT_REASON_VMREAD] = exit_ud,
	[EXIT_REASON_VMRESUME] = exit_ud,
	[EXIT_REASON_VMWRITE] = exit_ud,
	[EXIT_REASON_VMXOFF] = exit_ud,
	[EXIT_REASON_VMXON] = exit_ud,
	[EXIT_REASON_CR_ACCESS] = vmx_exit_cr_access,
	[EXIT_REASON_IO_INSTRUCTION] = exit_io,
	[EXIT_REASON_MSR_READ] = vmx_exit_rdmsr,
	[EXIT_REASON_MSR_WRITE] = vmx_exit_wrmsr,
	[EXIT_REASON_MWAIT] = exit_ud,
	[EXIT_REASON_MONITOR] = exit_ud,
	[EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG] = exit_ept_misconfig,
	[EXIT_REASON_INVEPT] = exit_ud,
	[EXIT_REASON_INVVPID] = exit_ud,
	[EXIT_REASON_WBINVD] = exit_cache,
	[EXIT_REASON_XSETBV] = exit_xsetbv,
	[EXIT_REASON_VMFUNC] = exit_ud,
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
