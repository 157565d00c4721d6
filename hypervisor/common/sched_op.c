// SPDX-License-Identifier: GPL-2.0
/*
 * sched_op: yield, block and shutdown.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/sched.h>
#include <xen/sched.h>
#include <asm/hvm/intr.h>

/* Worker: the reason is in hypervisor memory already. */
static long sched_shutdown(struct domain *d, unsigned int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
	case SHUTDOWN_reboot:
	case SHUTDOWN_crash:
	case SHUTDOWN_watchdog:
		domain_shutdown(d, reason);
		return 0;
	case SHUTDOWN_suspend:
		return -EOPNOTSUPP;	/* needs save/restore */
	default:
		return -EINVAL;
	}
}

/* SCHEDOP_shutdown's argument is a guest-virtual pointer. */
long do_sched_op(struct vcpu *v, unsigned long *args)
{
	struct sched_shutdown sd;

	switch (args[0]) {
	case SCHEDOP_yield:
		vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		/* Sleeps until an event is pending, whatever RFLAGS.IF. */
		hvm_vcpu_block(v);
		return 0;
	case SCHEDOP_shutdown:
		if (copy_from_guest(v, &sd, args[1], sizeof(sd)))
			return -EFAULT;
		return sched_shutdown(v->domain, sd.reason);
	default:
		return -ENOSYS;
	}
}
