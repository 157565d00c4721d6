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
#include <asm/hvm/msr.h>
#include <xen/sched.h>

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
	if (v->vcpu_id == 0)
		hvm_cpuid_policy_init(v->domain);
	hvm_msrs_init(v);
}

/*
 * A vCPU goes down (VPF_down) when it halts with interrupts off: nothing
 * can wake it. Once every vCPU of the domain is down the domain is
 * powered off; Xen has the same rule, and it is how a PVH Linux ends.
 */
static void hvm_vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int i;

	__atomic_or_fetch(&v->pause_flags, VPF_down, __ATOMIC_SEQ_CST);
	vcpu_sleep_nosync(v);
	for (i = 0; i < d->max_vcpus; i++)
		if (!(__atomic_load_n(&d->vcpu[i]->pause_flags,
				      __ATOMIC_SEQ_CST) & VPF_down))
			return;
	printk("(lamina) domain %u: every vCPU is down\n", d->domain_id);
	domain_shutdown(d, SHUTDOWN_poweroff);
}

void hvm_halt(struct vcpu *v)
{
	if (v->regs.rflags & X86_EFLAGS_IF)
		hvm_vcpu_block(v);
	else
		hvm_vcpu_down(v);
}
