// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_op (hypercall 24): operations on a vCPU of the calling domain,
 * named by its id. The dispatcher only finds the vCPU; each sub-op has
 * its own function. As on Xen 4.17 (do_vcpu_op, common_vcpu_op) the
 * command is an int and the vCPU id an unsigned int: the upper halves
 * of 64-bit arguments are ignored, an id past the domain's vCPUs is
 * -ENOENT and an unknown command -ENOSYS.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/guest_time.h>
#include <lamina/hypercall.h>
#include <lamina/sched.h>
#include <lamina/time.h>
#include <asm/hvm/vcpu_power.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

/* Xen's STIME_DELTA_MAX: the longest period set_periodic_timer takes. */
#define PERIOD_MAX	((s_time_t)(~0ULL >> 2))

/*
 * VCPUOP_initialise: for HVM (and so PVH) domains the argument is a
 * struct vcpu_hvm_context; the vCPU gets that state, stays down until
 * VCPUOP_up, and -EEXIST if it already has a context. As on Xen, a
 * vCPU without a vcpu_info (an id past shared_info's slots that has not
 * registered one) is -EINVAL.
 */
static long vcpu_op_initialise(struct vcpu *v, struct vcpu *target,
			       unsigned long arg)
{
	struct vcpu_hvm_context ctx;

	if (target->vcpu_info == &target->dummy_vcpu_info)
		return -EINVAL;
	if (copy_from_guest(v, &ctx, arg, sizeof(ctx)))
		return -EFAULT;
	return hvm_vcpu_initialise(target, &ctx);
}

/* VCPUOP_up: -EINVAL if it has no context (never started, or INIT). */
static long vcpu_op_up(struct vcpu *target)
{
	return hvm_vcpu_up(target);
}

/* VCPUOP_down: the last vCPU up taking itself or another down powers
 * the domain off instead, as on Xen. */
static long vcpu_op_down(struct vcpu *target)
{
	struct domain *d = target->domain;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] != target &&
		    !(__atomic_load_n(&d->vcpu[i]->pause_flags,
				      __ATOMIC_SEQ_CST) & VPF_down))
			break;
	if (i == d->max_vcpus) {
		domain_shutdown(d, SHUTDOWN_poweroff);
		return 0;
	}
	hvm_vcpu_down(target);
	return 0;
}

/* VCPUOP_is_up: 1 if the vCPU is up, 0 if down. */
static long vcpu_op_is_up(struct vcpu *target)
{
	return !(__atomic_load_n(&target->pause_flags, __ATOMIC_SEQ_CST) &
		 VPF_down);
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *target,
			       unsigned long arg)
{
	struct vcpu_register_vcpu_info info;

	if (copy_from_guest(v, &info, arg, sizeof(info)))
		return -EFAULT;
	return vcpu_register_info(target, info.mfn, info.offset);
}

/* Any vCPU of the caller's domain. */
static long get_runstate_info(struct vcpu *v, struct vcpu *target,
			      unsigned long arg)
{
	struct vcpu_runstate_info r;

	vcpu_runstate_get(target, &r);
	return copy_to_guest(v, arg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* The guest-virtual address of a registered area (Xen's guest handle:
 * for HVM guests any value is accepted; 0 unregisters). */
static long area_addr(struct vcpu *v, unsigned long arg, uint64_t *gva)
{
	return copy_from_guest(v, gva, arg, sizeof(*gva)) ? -EFAULT : 0;
}

static long register_runstate_area(struct vcpu *v, struct vcpu *target,
				   unsigned long arg)
{
	uint64_t gva;
	long rc = area_addr(v, arg, &gva);

	return rc ? rc : vcpu_runstate_area_register(v, target, gva);
}

static long register_time_area(struct vcpu *v, struct vcpu *target,
			       unsigned long arg)
{
	uint64_t gva;
	long rc = area_addr(v, arg, &gva);

	return rc ? rc : vcpu_time_area_register(v, target, gva);
}

/* Xen takes 1 ms to STIME_DELTA_MAX, for any vCPU of the domain. */
static long set_periodic_timer(struct vcpu *v, struct vcpu *target,
			       unsigned long arg)
{
	struct vcpu_set_periodic_timer set;

	if (copy_from_guest(v, &set, arg, sizeof(set)))
		return -EFAULT;
	if (set.period_ns < (uint64_t)MILLISECS(1) ||
	    set.period_ns > (uint64_t)PERIOD_MAX)
		return -EINVAL;
	vcpu_periodic_set(target, (s_time_t)set.period_ns);
	return 0;
}

/*
 * Only for the calling vCPU (-EINVAL otherwise, checked first, as Xen).
 * A deadline already past sends VIRQ_TIMER at once whatever the flags:
 * Xen 4.17 ignores VCPU_SSHOTTMR_future (since 4.17.3; it returned
 * -ETIME before), because old Linux kernels retried forever on -ETIME.
 */
static long set_singleshot_timer(struct vcpu *v, struct vcpu *target,
				 unsigned long arg)
{
	struct vcpu_set_singleshot_timer set;

	if (target != v)
		return -EINVAL;
	if (copy_from_guest(v, &set, arg, sizeof(set)))
		return -EFAULT;
	vcpu_singleshot_set(v, (s_time_t)set.timeout_abs_ns);
	return 0;
}

static long stop_singleshot_timer(struct vcpu *v, struct vcpu *target)
{
	if (target != v)
		return -EINVAL;
	vcpu_singleshot_stop(v);
	return 0;
}

long do_vcpu_op(struct vcpu *v, unsigned long *args)
{
	int cmd = (int)args[0];
	unsigned int id = (unsigned int)args[1];
	unsigned long arg = args[2];
	struct domain *d = v->domain;
	struct vcpu *target;

	if (!hypercall_64bit(v))
		return -ENOSYS;
	if (id >= d->max_vcpus)
		return -ENOENT;
	target = d->vcpu[id];
	switch (cmd) {
	case VCPUOP_initialise:
		return vcpu_op_initialise(v, target, arg);
	case VCPUOP_up:
		return vcpu_op_up(target);
	case VCPUOP_down:
		return vcpu_op_down(target);
	case VCPUOP_is_up:
		return vcpu_op_is_up(target);
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, target, arg);
	case VCPUOP_get_runstate_info:
		return get_runstate_info(v, target, arg);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate_area(v, target, arg);
	case VCPUOP_register_vcpu_time_memory_area:
		return register_time_area(v, target, arg);
	case VCPUOP_set_periodic_timer:
		return set_periodic_timer(v, target, arg);
	case VCPUOP_stop_periodic_timer:
		vcpu_periodic_set(target, 0);
		return 0;
	case VCPUOP_set_singleshot_timer:
		return set_singleshot_timer(v, target, arg);
	case VCPUOP_stop_singleshot_timer:
		return stop_singleshot_timer(v, target);
	default:
		return -ENOSYS;
	}
}
