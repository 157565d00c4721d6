// SPDX-License-Identifier: GPL-2.0
/*
 * MSR exits and the MSR permission map. The VMCB holds EFER and PAT
 * (intercepted and checked here) and the SYSCALL, SYSENTER, FS/GS and
 * KERNEL_GS_BASE MSRs, which VMLOAD/VMSAVE switch: those pass through
 * the permission map (the CPU checks them), as on Xen. Every other MSR
 * exits and goes to the vendor-neutral policy (hvm/msr.c).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>
#include <asm/processor.h>

static const struct svm_insn_enc enc_rdmsr = { INSN_MAP_0F, 0x32, -1 };
static const struct svm_insn_enc enc_wrmsr = { INSN_MAP_0F, 0x30, -1 };

static const uint32_t msr_passthrough[] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
};

/*
 * The map has two bits per MSR (read, write) in three 2 KiB blocks:
 * MSRs 0-0x1fff, 0xc0000000-0xc0001fff, 0xc0010000-0xc0011fff.
 */
static void msrpm_allow(uint8_t *msrpm, uint32_t msr)
{
	uint32_t base = msr < 0x2000 ? 0 : msr >= 0xc0010000 ? 0x1000 : 0x800;
	uint32_t bit = (msr & 0x1fff) * 2;

	msrpm[base + bit / 8] &= ~(3U << (bit % 8));
}

void svm_msrpm_init(void *msrpm)
{
	unsigned int i;

	memset(msrpm, 0xff, PAGE_SIZE << SVM_MSRPM_ORDER);
	for (i = 0; i < ARRAY_SIZE(msr_passthrough); i++)
		msrpm_allow(msrpm, msr_passthrough[i]);
}

/* EFER: SVME is set in the VMCB (VMRUN requires it) and hidden. */
static int msr_read(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
		    uint64_t *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = vmcb->efer & ~EFER_SVME;
		return 0;
	case MSR_PAT:
		*val = vmcb->g_pat;
		return 0;
	default:
		return hvm_msr_read(v, msr, val);
	}
}

static int msr_write(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
		     uint64_t val)
{
	switch (msr) {
	case MSR_EFER:
		if (hvm_efer_check(&v->domain->arch.cpuid,
				   vmcb->efer & ~EFER_SVME, val,
				   vmcb->cr0 & X86_CR0_PG))
			return -EPERM;
		vmcb->efer = (vmcb->efer & EFER_LMA) | (val & ~EFER_LMA) |
			     EFER_SVME;
		return 0;
	case MSR_PAT:
		if (!hvm_pat_valid(val))
			return -EPERM;
		vmcb->g_pat = val;
		return 0;
	default:
		return hvm_msr_write(v, msr, val);
	}
}

void svm_exit_msr(struct vcpu *v, struct vmcb *vmcb)
{
	struct guest_regs *r = &v->regs;
	bool write = vmcb->exitinfo1;
	uint32_t msr = r->rcx;
	unsigned int len;
	uint64_t val;
	int rc;

	len = svm_insn_len(v, write ? &enc_wrmsr : &enc_rdmsr);
	if (!len)
		return;
	if (write) {
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
		hvm_inject_gp0(v);
	else
		svm_skip(v, len);
}
