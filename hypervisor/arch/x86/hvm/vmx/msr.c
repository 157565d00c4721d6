// SPDX-License-Identifier: GPL-2.0
/*
 * MSR exits, the MSR bitmap and the MSRs VMX leaves to the hypervisor.
 *
 * The VMCS holds EFER and PAT (intercepted and checked here) and the
 * SYSENTER MSRs and FS/GS bases, which every entry and exit switch:
 * those pass through the bitmap, as on SVM and Xen. STAR, LSTAR, CSTAR,
 * SFMASK and KERNEL_GS_BASE pass through too (the guest's SYSCALL and
 * SWAPGS use them directly), but VMX does not switch them: a vCPU's
 * values are loaded on the CPU it runs on (vmx_msrs_load()) and read
 * back when the scheduler takes it off that CPU (ctxt_switch_from). The
 * host uses neither SYSCALL nor SWAPGS, so its own values do not
 * matter. Every other MSR exits to the vendor-neutral policy (hvm/msr.c).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/processor.h>

static const uint32_t msr_passthrough[] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
};

/* Switched by hand, in the order of struct vmx_vcpu.syscall_msrs. */
static const uint32_t msr_switched[VMX_NR_SWITCHED_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

/*
 * The bitmap: read bits for MSRs 0-0x1fff at 0, for 0xc0000000-
 * 0xc0001fff at 0x400; the write bits 0x800 further. MSRs outside both
 * ranges always exit.
 */
static void bitmap_allow(uint8_t *bm, uint32_t msr)
{
	unsigned int byte = (msr < 0x2000 ? 0 : 0x400) + (msr & 0x1fff) / 8;
	uint8_t bit = 1U << (msr & 7);

	bm[byte] &= ~bit;
	bm[0x800 + byte] &= ~bit;
}

void vmx_msr_bitmap_init(void *bm)
{
	unsigned int i;

	memset(bm, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(msr_passthrough); i++)
		bitmap_allow(bm, msr_passthrough[i]);
}

/* Before v runs here: its SYSCALL MSRs, unless they are loaded already. */
void vmx_msrs_load(struct vmx_vcpu *vx)
{
	struct vmx_cpu *vc = &vmx_cpus[smp_processor_id()];
	unsigned int i;

	if (vc->msrs_of == vx->uid)
		return;
	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		wrmsr(msr_switched[i], vx->syscall_msrs[i]);
	vc->msrs_of = vx->uid;
}

/* hvm_ops->vcpu_ctxt_switch_from: v leaves this CPU; keep its values. */
void vmx_vcpu_ctxt_switch_from(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	struct vmx_cpu *vc = &vmx_cpus[smp_processor_id()];
	unsigned int i;

	if (vc->msrs_of != vx->uid)
		return;
	for (i = 0; i < VMX_NR_SWITCHED_MSRS; i++)
		vx->syscall_msrs[i] = rdmsr(msr_switched[i]);
	vc->msrs_of = 0;
}

static int msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = vmread(GUEST_IA32_EFER);
		return 0;
	case MSR_PAT:
		*val = vmread(GUEST_IA32_PAT);
		return 0;
	default:
		return hvm_msr_read(v, msr, val);
	}
}

static int msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_EFER:
		return vmx_set_efer(v, val);
	case MSR_PAT:
		if (!hvm_pat_valid(val))
			return -EPERM;
		vmwrite(GUEST_IA32_PAT, val);
		return 0;
	default:
		return hvm_msr_write(v, msr, val);
	}
}

void vmx_exit_rdmsr(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;
	uint64_t val;

	if (msr_read(v, r->rcx, &val)) {
		hvm_inject_gp0(v);
		return;
	}
	r->rax = (uint32_t)val;
	r->rdx = val >> 32;
	vmx_skip_insn(v);
}

void vmx_exit_wrmsr(struct vcpu *v)
{
	struct guest_regs *r = &v->regs;

	if (msr_write(v, r->rcx, (r->rdx << 32) | (uint32_t)r->rax))
		hvm_inject_gp0(v);
	else
		vmx_skip_insn(v);
}
