// SPDX-License-Identifier: GPL-2.0
/*
 * SVM exit dispatch: one const table indexed by exit code. Each handler
 * decodes the vendor-specific exit information, calls the vendor-neutral
 * handler (hvm/) and advances RIP. An exit without a handler crashes the
 * domain, never the host.
 *
 * Instruction lengths: this QEMU has no NRIP save and no decode assists,
 * so lengths are the fixed encodings (CPUID 0F A2, RDMSR 0F 32, WRMSR
 * 0F 30, HLT F4, VMMCALL 0F 01 D9); a prefixed form would be resumed in
 * the middle. IOIO exits give the next RIP in EXITINFO2.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>
#include <asm/irq.h>
#include <asm/processor.h>

#define X86_TRAP_GP	13
#define EFER_LMA	(1UL << 10)

typedef void (*svm_exit_fn)(struct vcpu *v, struct vmcb *vmcb);

static struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->hvm)->vmcb;
}

static void inject_gp0(struct vmcb *vmcb)
{
	vmcb->eventinj = SVM_EVTINJ_VALID | SVM_EVTINJ_EV |
			 SVM_EVTINJ_TYPE_EXC | X86_TRAP_GP;
}

/* Handled once the host has interrupts on again: nothing to do here. */
static void exit_nothing(struct vcpu *v, struct vmcb *vmcb)
{
}

static void exit_cpuid(struct vcpu *v, struct vmcb *vmcb)
{
	struct guest_regs *r = &v->regs;
	uint32_t res[4];

	hvm_cpuid(v, r->rax, r->rcx, res);
	r->rax = res[0];
	r->rbx = res[1];
	r->rcx = res[2];
	r->rdx = res[3];
	r->rip += 2;
}

static void exit_hlt(struct vcpu *v, struct vmcb *vmcb)
{
	v->regs.rip += 1;
	hvm_halt(v);
}

static void exit_vmmcall(struct vcpu *v, struct vmcb *vmcb)
{
	v->regs.rip += 3;
	hvm_hypercall(v);
}

/* String and REP forms would need the guest's address size and
 * segment, which EXITINFO1 does not give: not supported yet. */
static void exit_ioio(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t info = vmcb->exitinfo1;
	unsigned int size = (info >> SVM_IOIO_SIZE_SHIFT) & 7;
	uint32_t val = v->regs.rax;
	bool in = info & SVM_IOIO_IN;

	if (info & (SVM_IOIO_STR | SVM_IOIO_REP)) {
		domain_crash(v->domain, "string I/O not emulated");
		return;
	}
	hvm_portio(v, info >> SVM_IOIO_PORT_SHIFT, size, in, &val);
	if (in) {
		uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;

		v->regs.rax = size == 4 ? val : (v->regs.rax & ~mask) |
			      (val & mask);
	}
	v->regs.rip = vmcb->exitinfo2;
}

/* EFER lives in the VMCB (with SVME, which the guest must not see). */
static int msr_read(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
		    uint64_t *val)
{
	if (msr == MSR_EFER) {
		*val = vmcb->efer & ~EFER_SVME;
		return 0;
	}
	return hvm_msr_read(v, msr, val);
}

static int msr_write(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
		     uint64_t val)
{
	if (msr == MSR_EFER) {
		if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
			return -EPERM;
		vmcb->efer = (vmcb->efer & EFER_LMA) |
			     (val & ~EFER_LMA) | EFER_SVME;
		return 0;
	}
	return hvm_msr_write(v, msr, val);
}

static void exit_msr(struct vcpu *v, struct vmcb *vmcb)
{
	struct guest_regs *r = &v->regs;
	uint32_t msr = r->rcx;
	uint64_t val;
	int rc;

	if (vmcb->exitinfo1) {
		val = (r->rdx << 32) | (uint32_t)r->rax;
		rc = msr_write(v, vmcb, msr, val);
	} else {
		rc = msr_read(v, vmcb, msr, &val);
		if (!rc) {
			r->rax = (uint32_t)val;
			r->rdx = val >> 32;
		}
	}
	if (rc)
		inject_gp0(vmcb);
	else
		r->rip += 2;
}

static void exit_shutdown(struct vcpu *v, struct vmcb *vmcb)
{
	domain_crash(v->domain, "triple fault");
}

static const svm_exit_fn svm_exit_table[] = {
	[SVM_EXIT_INTR] = exit_nothing,
	[SVM_EXIT_NMI] = exit_nothing,
	[SVM_EXIT_SMI] = exit_nothing,
	[SVM_EXIT_CPUID] = exit_cpuid,
	[SVM_EXIT_HLT] = exit_hlt,
	[SVM_EXIT_IOIO] = exit_ioio,
	[SVM_EXIT_MSR] = exit_msr,
	[SVM_EXIT_SHUTDOWN] = exit_shutdown,
	[SVM_EXIT_VMMCALL] = exit_vmmcall,
};

/*
 * An exit taken while an event was being delivered: deliver it again.
 * This QEMU reports an interrupted external interrupt or NMI as an
 * exception with vector >= 32 or 2, which VMRUN would refuse: fix the
 * type first.
 */
static void reinject_exitintinfo(struct vmcb *vmcb)
{
	uint64_t info = vmcb->exitintinfo;
	unsigned int vec = info & 0xff, type = (info >> 8) & 7;

	if (!(info & SVM_EVTINJ_VALID))
		return;
	if (type == 3 && vec >= 32)
		type = 0;
	else if (type == 3 && vec == 2)
		type = 2;
	vmcb->eventinj = (info & ~(7ULL << 8)) | ((uint64_t)type << 8);
}

void svm_handle_exit(struct vcpu *v)
{
	struct vmcb *vmcb = vmcb_of(v);
	uint64_t code = vmcb->exitcode;
	svm_exit_fn fn = code < ARRAY_SIZE(svm_exit_table) ?
			 svm_exit_table[code] : NULL;

	vmcb->eventinj = 0;
	reinject_exitintinfo(vmcb);
	if (!fn) {
		domain_crash(v->domain, code == SVM_EXIT_INVALID ?
			     "VMRUN refused the guest state" :
			     "unhandled exit");
		return;
	}
	fn(v, vmcb);
}
