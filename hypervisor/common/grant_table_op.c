// SPDX-License-Identifier: GPL-2.0
/*
 * grant_table_op (hypercall 20): copy each structure in, run its worker
 * (common/grant_*.c), copy the results out.
 *
 *   sub-op                 count      result          out
 *   map_grant_ref (0)      batch      0 / -EFAULT     whole structure
 *   unmap_grant_ref (1)    batch      0 / -EFAULT     status
 *   setup_table (2)        1          0 / -EFAULT     status, frame_list
 *   copy (5)               batch      0 / -EFAULT     status
 *   query_size (6)         1          0 / -EFAULT     whole structure
 *   set_version (8)        -          0 / -errno      whole structure
 *   get_version (10)       -          0 / -errno      version
 *   swap_grant_ref (11)    batch      0 / -EFAULT     status
 *
 * These are the sub-ops Xen 4.17 lets HVM guests use
 * (hvm_grant_table_op); every other command, and any with bits set
 * above the sub-op number, is -ENOSYS there and here. A count that is
 * negative as an int is -EINVAL; setup_table and query_size want 1.
 * Batches stop at the first structure that cannot be read or written
 * (-EFAULT; the ones before are done) and otherwise run to the end,
 * each with its own status. A long batch continues itself: the
 * pointer and count in the guest's registers move past what is done
 * and the guest makes the call again, as on Xen.
 *
 * 64-bit callers only: the 32-bit layouts differ (xen_pfn_t, handles),
 * so 32-bit code gets -ENOSYS (Xen translates them).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>

typedef int (*batch_fn)(struct vcpu *v, uint64_t uop);

static int map_one(struct vcpu *v, uint64_t uop)
{
	struct gnttab_map_grant_ref op;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	gnttab_map(v->domain, &op);
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static int unmap_one(struct vcpu *v, uint64_t uop)
{
	struct gnttab_unmap_grant_ref op;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	gnttab_unmap(v->domain, &op);
	return copy_to_guest(v, uop + offsetof(typeof(op), status),
			     &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

static int copy_one(struct vcpu *v, uint64_t uop)
{
	struct gnttab_copy op;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	op.status = gnttab_copy(v->domain, &op);
	return copy_to_guest(v, uop + offsetof(typeof(op), status),
			     &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

static int swap_one(struct vcpu *v, uint64_t uop)
{
	struct gnttab_swap_grant_ref op;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	op.status = gnttab_swap(v->domain, op.ref_a, op.ref_b);
	return copy_to_guest(v, uop + offsetof(typeof(op), status),
			     &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

/* args: cmd, uop, count. */
static long batch(struct vcpu *v, unsigned long *args, size_t size,
		  batch_fn fn)
{
	unsigned int count = args[2], i;
	uint64_t uop = args[1];
	int rc;

	for (i = 0; i < count; i++) {
		if (i && hypercall_preempt_check()) {
			args[1] = uop + i * size;
			args[2] = count - i;
			return hypercall_continue(v);
		}
		rc = fn(v, uop + i * size);
		if (rc)
			return rc;
	}
	return 0;
}

static long setup_table(struct vcpu *v, uint64_t uop, unsigned int count)
{
	unsigned long gfns[GNTTAB_MAX_FRAMES];
	struct gnttab_setup_table op;
	unsigned int i;
	bool ok;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	gnttab_setup(v->domain, &op, gfns);
	ok = op.status == GNTST_okay;
	for (i = 0; ok && i < op.nr_frames; i++) {
		uint64_t gfn = gfns[i];

		if (copy_to_guest(v, (uint64_t)(uintptr_t)op.frame_list.p +
				  i * sizeof(gfn), &gfn, sizeof(gfn)))
			op.status = GNTST_bad_virt_addr;
	}
	return copy_to_guest(v, uop + offsetof(typeof(op), status),
			     &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

static long query_size(struct vcpu *v, uint64_t uop, unsigned int count)
{
	struct gnttab_query_size op;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	gnttab_query_size(v->domain, &op);
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Version 1 only: as Xen booted with gnttab=max-ver:1. */
static long set_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -EINVAL;
	else if (op.version == 2)
		rc = -ENOSYS;
	op.version = 1;
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static long get_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -EFAULT;
	d = gnttab_get_domain(v->domain, op.dom, true);
	if (!d)
		return -ESRCH;
	if (d != v->domain && !v->domain->is_hardware) {
		domain_put(d);
		return -EPERM;
	}
	domain_put(d);
	op.version = 1;
	return copy_to_guest(v, uop + offsetof(typeof(op), version),
			     &op.version, sizeof(op.version)) ? -EFAULT : 0;
}

long do_grant_table_op(struct vcpu *v, unsigned long *args)
{
	unsigned int cmd = args[0], count = args[2];
	uint64_t uop = args[1];

	if (!hypercall_64bit(v))
		return -ENOSYS;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_setup_table:
	case GNTTABOP_copy:
	case GNTTABOP_query_size:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
	case GNTTABOP_swap_grant_ref:
		break;
	default:	/* dump_table, transfer, unmap_and_replace,
			 * get_status_frames, cache_flush: not for HVM */
		return -ENOSYS;
	}
	if ((int)count < 0)
		return -EINVAL;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return batch(v, args, sizeof(struct gnttab_map_grant_ref),
			     map_one);
	case GNTTABOP_unmap_grant_ref:
		return batch(v, args, sizeof(struct gnttab_unmap_grant_ref),
			     unmap_one);
	case GNTTABOP_copy:
		return batch(v, args, sizeof(struct gnttab_copy), copy_one);
	case GNTTABOP_swap_grant_ref:
		return batch(v, args, sizeof(struct gnttab_swap_grant_ref),
			     swap_one);
	case GNTTABOP_setup_table:
		return setup_table(v, uop, count);
	case GNTTABOP_query_size:
		return query_size(v, uop, count);
	case GNTTABOP_set_version:
		return set_version(v, uop);
	default:
		return get_version(v, uop);
	}
}
