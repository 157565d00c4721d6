// SPDX-License-Identifier: GPL-2.0
/*
 * The runstate area and vm_assist.
 *
 * VCPUOP_register_runstate_memory_area names a guest-virtual struct
 * vcpu_runstate_info that Lamina keeps up to date from the scheduler's
 * accounting (struct vcpu: runstate, runstate_entry, runstate_time):
 * written at once, then each time the vCPU is switched in or out, which
 * is when Xen writes it too. It can only be written through the vCPU's
 * own page tables, so the CPU switching it does it (guest_time.c); the
 * registration itself writes through the caller's, as on Xen. A write
 * that faults is dropped, as on Xen: the guest finds nothing there.
 *
 * With VMASST_TYPE_runstate_update_flag enabled (vm_assist, below),
 * XEN_RUNSTATE_UPDATE is set in state_entry_time while the area is
 * being written, so that a reader on another vCPU can retry.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/guest_time.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

/* The vm_assist types Xen 4.17 allows an HVM domain. */
#define HVM_VMASST_VALID	(1UL << VMASST_TYPE_runstate_update_flag)
#define VMASST_TYPES		(8 * sizeof(unsigned long))

#define ENTRY_TIME_OFFSET \
	offsetof(struct vcpu_runstate_info, state_entry_time)

/*
 * v's accounting as it stands, without the time since the last change:
 * what Xen copies. Read unlocked: the CPU running v (or about to stop
 * running it) is the only one that changes these fields meanwhile.
 */
static void runstate_raw(const struct vcpu *v, struct vcpu_runstate_info *r)
{
	r->state = v->runstate;
	r->state_entry_time = (uint64_t)v->runstate_entry;
	memcpy(r->time, v->runstate_time, sizeof(r->time));
}

static void area_write(struct vcpu *ctx, uint64_t gva,
		       struct vcpu_runstate_info *r, bool update_flag)
{
	if (update_flag) {
		r->state_entry_time |= XEN_RUNSTATE_UPDATE;
		if (copy_to_guest_kernel(ctx, gva + ENTRY_TIME_OFFSET,
					 &r->state_entry_time,
					 sizeof(r->state_entry_time)))
			return;
		barrier();
	}
	copy_to_guest_kernel(ctx, gva, r, sizeof(*r));
	if (update_flag) {
		barrier();
		r->state_entry_time &= ~XEN_RUNSTATE_UPDATE;
		copy_to_guest_kernel(ctx, gva + ENTRY_TIME_OFFSET,
				     &r->state_entry_time,
				     sizeof(r->state_entry_time));
	}
}

static bool update_flag(const struct domain *d)
{
	return __atomic_load_n(&d->vm_assist, __ATOMIC_SEQ_CST) &
	       (1UL << VMASST_TYPE_runstate_update_flag);
}

void vcpu_runstate_area_write(struct vcpu *v, struct vcpu *ctx)
{
	uint64_t gva = __atomic_load_n(&v->time.runstate_area,
				       __ATOMIC_SEQ_CST);
	struct vcpu_runstate_info r;

	if (!gva)
		return;
	if (ctx == v)
		runstate_raw(v, &r);
	else
		vcpu_runstate_get(v, &r);
	area_write(ctx, gva, &r, update_flag(v->domain));
}

int vcpu_runstate_area_register(struct vcpu *caller, struct vcpu *v,
				uint64_t gva)
{
	__atomic_store_n(&v->time.runstate_area, gva, __ATOMIC_SEQ_CST);
	vcpu_runstate_area_write(v, caller);
	return 0;
}

/* vm_assist(cmd, type): Xen's argument types are unsigned int. */
long do_vm_assist(struct vcpu *v, unsigned long *args)
{
	unsigned int cmd = (unsigned int)args[0];
	unsigned int type = (unsigned int)args[1];
	struct domain *d = v->domain;

	if (type >= VMASST_TYPES || !(HVM_VMASST_VALID & (1UL << type)))
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		__atomic_or_fetch(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
		return 0;
	case VMASST_CMD_disable:
		__atomic_and_fetch(&d->vm_assist, ~(1UL << type),
				   __ATOMIC_SEQ_CST);
		return 0;
	default:
		return -ENOSYS;
	}
}
