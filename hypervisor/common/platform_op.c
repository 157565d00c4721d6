// SPDX-License-Identifier: GPL-2.0
/*
 * platform_op: the hardware domain's control of the machine (time,
 * firmware, CPU power, microcode). Other domains get -EPERM, as from
 * Xen's default XSM policy; a wrong interface version -EACCES. No
 * command is implemented yet (the dom0 issue's): each returns -ENOSYS,
 * which Linux tolerates (its settime falls back, firmware queries and
 * the dom0 console query are optional).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <xen/platform.h>

long do_platform_op(struct vcpu *v, unsigned long *args)
{
	struct xen_platform_op op;

	if (!v->domain->is_hardware)
		return -EPERM;
	if (copy_from_guest(v, &op, args[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -EACCES;
	return -ENOSYS;
}
