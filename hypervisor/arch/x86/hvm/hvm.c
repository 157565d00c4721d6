// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the virtualization back end and enabling it on every CPU;
 * vendor-neutral vCPU state (MSRs, CPUID policy) and power states.
 */
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>

#define X86_EFLAGS_IF	(1UL << 9)

const struct hvm_ops *hvm_ops;

void hvm_init(void)
{
	hvm_ops = svm_probe();
	if (!hvm_ops)
		hvm_ops = vmx_probe();
	if (!hvm_ops) {
		printk("(lamina) HVM: no usable SVM or VMX: no guests\n");
		return;
	}
	hvm_cpu_init();
}

void hvm_cpu_init(void)
{
	int rc;

	if (!hvm_ops)
		return;
	rc = hvm_ops->cpu_up();
	if (rc)
		panic("%s: cannot enable on CPU %u (%d)", hvm_ops->name,
		      smp_processor_id(), rc);
}

void hvm_vcpu_init_common(struct vcpu *v)
{
	if (v->vcpu_id == 0) {
		hvm_cpuid_policy_init(v->domain);
		BUG_ON(hvm_mmio_register(v->domain, &vlapic_mmio_ops));
	}
	hvm_msrs_init(v);
	vlapic_init(v);
	hvm_vcpu_power_init(v);
}

void hvm_halt(struct vcpu *v)
{
	if (v->regs.rflags & X86_EFLAGS_IF)
		hvm_vcpu_block(v);
	else
		hvm_vcpu_down(v);
}
