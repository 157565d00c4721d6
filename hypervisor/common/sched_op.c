// SPDX-License-Identifier: GPL-2.0
/*
 * sched_op: yield, block, shutdown (of the caller, or by dom0 of any
 * domain) and poll.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/event.h>
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

/* Xen's device-model permission: here, the hardware domain's. */
static long sched_remote_shutdown(struct vcpu *v, unsigned long arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;
	long rc;

	if (copy_from_guest(v, &rs, arg, sizeof(rs)))
		return -EFAULT;
	d = domain_get_by_id(rs.domain_id);	/* not DOMID_SELF (Xen) */
	if (!d)
		return -ESRCH;
	rc = v->domain->is_hardware ? sched_shutdown(d, rs.reason) : -EPERM;
	domain_put(d);
	return rc;
}

/* struct sched_poll of 32-bit callers: a 4-byte handle. */
struct sched_poll_32 {
	uint32_t ports;
	uint32_t nr_ports;
	uint64_t timeout;
};

/* The ports are read one by one, to give Xen's result when a later one
 * cannot be read but an earlier one is pending. */
static long sched_poll(struct vcpu *v, unsigned long arg)
{
	evtchn_port_t ports[SCHED_POLL_MAX_PORTS];
	unsigned int nr, i;
	uint64_t list, timeout;

	if (hypercall_64bit(v)) {
		struct sched_poll sp;

		if (copy_from_guest(v, &sp, arg, sizeof(sp)))
			return -EFAULT;
		list = (uintptr_t)sp.ports.p;
		nr = sp.nr_ports;
		timeout = sp.timeout;
	} else {
		struct sched_poll_32 sp;

		if (copy_from_guest(v, &sp, arg, sizeof(sp)))
			return -EFAULT;
		list = sp.ports;
		nr = sp.nr_ports;
		timeout = sp.timeout;
	}
	if (nr > SCHED_POLL_MAX_PORTS)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (copy_from_guest(v, &ports[i], list + i * sizeof(ports[0]),
				    sizeof(ports[0])))
			break;
	return evtchn_poll(v, ports, nr, i, timeout);
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
	case SCHEDOP_poll:
		return sched_poll(v, args[1]);
	case SCHEDOP_remote_shutdown:
		return sched_remote_shutdown(v, args[1]);
	default:
		return -ENOSYS;
	}
}
