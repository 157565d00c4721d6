// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_op: per-vCPU operations. The dispatcher checks the vCPU id
 * (-ENOENT for one the domain does not have, as Xen), then each sub-op
 * has its own function.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <xen/vcpu.h>

static long register_vcpu_info(struct vcpu *v, struct vcpu *target,
			       unsigned long arg)
{
	struct vcpu_register_vcpu_info info;

	if (copy_from_guest(v, &info, arg, sizeof(info)))
		return -EFAULT;
	return vcpu_register_info(target, info.mfn, info.offset);
}

long do_vcpu_op(struct vcpu *v, unsigned long *args)
{
	struct domain *d = v->domain;
	unsigned long cmd = args[0], id = args[1], arg = args[2];
	struct vcpu *target;

	if (!hypercall_64bit(v))
		return -ENOSYS;
	if (id >= d->max_vcpus)
		return -ENOENT;
	target = d->vcpu[id];
	switch (cmd) {
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, target, arg);
	default:
		return -ENOSYS;
	}
}
