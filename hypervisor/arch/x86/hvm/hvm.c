// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the virtualization back end and enabling it on every CPU.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>

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
