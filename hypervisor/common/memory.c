// SPDX-License-Identifier: GPL-2.0
/*
 * memory_op: a domain's guest-physical memory (Xen's XENMEM_* sub-ops,
 * 64-bit layouts; from 32-bit code -ENOSYS).
 *
 * Reservation ops (populate_physmap, decrease_reservation) return the
 * number of extents done, as Xen does, stopping at the first that fails;
 * a long list is done in batches, the hypercall continuing where it
 * stopped (the start extent goes in the upper bits of the command, as
 * on Xen).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/xmalloc.h>
#include <asm/p2m.h>
#include <xen/memory.h>

#define MEMOP_EXTENT_SHIFT	6	/* Xen's: the start extent above */
#define MEMOP_CMD_MASK		((1UL << MEMOP_EXTENT_SHIFT) - 1)
/*
 * Largest extent order, Xen's defaults: 9 for a domU, 18 for the control
 * domain (Xen: CTLDOM_MAX_ORDER; its hardware domain alone gets 12), and
 * Lamina's hardware domain is the control domain too.
 */
#define DOMU_MAX_ORDER		9
#define CTLDOM_MAX_ORDER	18
#define MEMOP_BATCH		64	/* extents between preemption checks */

/* The frame at gfn is no longer d's: unmap it and free what it held. */
static int remove_page(struct domain *d, unsigned long gfn)
{
	enum p2m_type t;
	unsigned long mfn = p2m_lookup(d, gfn, &t, NULL);
	int rc;

	if (t == P2M_INVALID || t == P2M_MMIO)
		return -ENOENT;
	if (t != P2M_RAM)
		return -EINVAL;	/* grant and foreign maps: their own ops */
	rc = p2m_unmap(d, gfn, P2M_ORDER_4K);
	if (rc)
		return rc;
	if (gfn == d->shared_info_gfn) {
		d->shared_info_gfn = ~0UL;
		return 0;
	}
	if (gnttab_frame_unmapped(d, gfn))
		return 0;
	return domain_release_frame(d, mfn_to_page(mfn));
}

/* Make room at gfn for a new page: RAM there is freed, a hole is fine. */
int physmap_make_room(struct domain *d, unsigned long gfn)
{
	int rc = remove_page(d, gfn);

	return rc == -ENOENT ? 0 : rc;
}

static int populate_one(struct domain *d, unsigned long gfn,
			unsigned int order)
{
	struct page_info *pg;
	unsigned long i;
	int rc;

	if (d->tot_pages + (1UL << order) > d->max_pages)
		return -ENOMEM;
	for (i = 0; i < (1UL << order); i++) {
		rc = physmap_make_room(d, gfn + i);
		if (rc)
			return rc;
	}
	pg = domain_alloc_frames(d, order);
	if (!pg)
		return -ENOMEM;
	/* A misaligned extent is mapped frame by frame (Xen accepts it). */
	if (!(gfn & ((1UL << order) - 1)))
		rc = p2m_map(d, gfn, page_to_mfn(pg), order, P2M_RAM);
	else
		for (i = 0, rc = 0; i < (1UL << order) && !rc; i++)
			rc = p2m_map(d, gfn + i, page_to_mfn(pg) + i,
				     P2M_ORDER_4K, P2M_RAM);
	if (rc) {
		for (i = 0; i < (1UL << order); i++)
			p2m_unmap(d, gfn + i, P2M_ORDER_4K);
		for (i = 0; i < (1UL << order); i++)
			domain_release_frame(d, &pg[i]);
	}
	return rc;
}

static int decrease_one(struct domain *d, unsigned long gfn,
			unsigned int order)
{
	unsigned long i;
	int rc;

	for (i = 0; i < (1UL << order); i++) {
		rc = remove_page(d, gfn + i);
		if (rc)
			return rc;
	}
	return 0;
}

struct domain *domain_get_target(struct vcpu *v, domid_t domid, int *err)
{
	struct domain *d;

	if (domid == DOMID_SELF || domid == v->domain->domain_id) {
		domain_get(v->domain);
		return v->domain;
	}
	d = domain_get_by_id(domid);
	if (!d) {
		*err = -ESRCH;		/* Xen looks the domain up first */
	} else if (!v->domain->is_hardware) {
		domain_put(d);
		d = NULL;
		*err = -EPERM;
	}
	return d;
}

static long reservation(struct vcpu *v, unsigned long cmd,
			unsigned long arg, unsigned long args[])
{
	unsigned int op = cmd & MEMOP_CMD_MASK;
	unsigned long start = cmd >> MEMOP_EXTENT_SHIFT, i, gfn;
	struct xen_memory_reservation r;
	unsigned int max_order;
	struct domain *d;
	int err;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return start;
	if (r.nr_extents > (~0U >> MEMOP_EXTENT_SHIFT) ||
	    start >= r.nr_extents)
		return start;
	max_order = v->domain->is_hardware ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
	if (r.extent_order > max_order ||
	    (r.mem_flags & XENMEMF_populate_on_demand))
		return start;
	d = domain_get_target(v, r.domid, &err);
	if (!d)
		return start;
	for (i = start; i < r.nr_extents; i++) {
		if (i > start && (i - start) % MEMOP_BATCH == 0 &&
		    hypercall_preempt_check()) {
			args[0] = op | (i << MEMOP_EXTENT_SHIFT);
			domain_put(d);
			return hypercall_continue(v);
		}
		if (copy_from_guest(v, &gfn, (uint64_t)(uintptr_t)
				    r.extent_start.p + i * sizeof(gfn),
				    sizeof(gfn)))
			break;
		if (op == XENMEM_populate_physmap ?
		    populate_one(d, gfn, r.extent_order) :
		    decrease_one(d, gfn, r.extent_order))
			break;
	}
	domain_put(d);
	return i;
}

/* Move the RAM page at gfn to gpfn (which is freed first). */
static int move_page(struct domain *d, unsigned long gfn, unsigned long gpfn)
{
	enum p2m_type t;
	unsigned long mfn = p2m_lookup(d, gfn, &t, NULL);
	int rc;

	if (t != P2M_RAM || gfn == d->shared_info_gfn ||
	    gnttab_frame_at(d, gfn))
		return -EINVAL;
	if (gfn == gpfn)
		return 0;
	rc = physmap_make_room(d, gpfn);
	if (!rc)
		rc = p2m_map(d, gpfn, mfn, P2M_ORDER_4K, P2M_RAM);
	if (!rc)
		rc = p2m_unmap(d, gfn, P2M_ORDER_4K);
	return rc;
}

/*
 * XENMAPSPACE_gmfn_range from page `start` on (the command's extent
 * bits). Preempted, it keeps its progress there, as Xen does: the guest's
 * structure is never written, so a caller may reuse it.
 */
static long move_range(struct vcpu *v, struct domain *d,
		       const struct xen_add_to_physmap *x, unsigned long start,
		       unsigned long args[])
{
	unsigned long done = start;
	int rc;

	if (x->size < start)
		return -EILSEQ;
	while (done < x->size) {
		rc = move_page(d, x->idx + done, x->gpfn + done);
		if (rc)
			return rc;
		if (++done < x->size && hypercall_preempt_check()) {
			args[0] = XENMEM_add_to_physmap |
				  done << MEMOP_EXTENT_SHIFT;
			return hypercall_continue(v);
		}
	}
	return 0;
}

static long add_to_physmap(struct vcpu *v, unsigned long cmd,
			   unsigned long arg, unsigned long args[])
{
	unsigned long start = cmd >> MEMOP_EXTENT_SHIFT;
	struct xen_add_to_physmap x;
	unsigned long mfn, old;
	struct domain *d;
	int rc = 0;

	if (start != (uint16_t)start)
		return -EDOM;		/* Xen's answer, before the copy */
	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -EFAULT;
	d = domain_get_target(v, x.domid, &rc);
	if (!d)
		return rc;
	switch (x.space) {
	case XENMAPSPACE_shared_info:
		if (x.idx) {
			rc = -EINVAL;
			break;
		}
		mfn = virt_to_mfn(d->shared_info);
		old = d->shared_info_gfn;
		if (old == x.gpfn)
			break;
		rc = physmap_make_room(d, x.gpfn);
		if (!rc)
			rc = p2m_map(d, x.gpfn, mfn, P2M_ORDER_4K, P2M_RAM);
		if (rc)
			break;
		d->shared_info_gfn = x.gpfn;
		if (old != ~0UL)
			p2m_unmap(d, old, P2M_ORDER_4K);
		break;
	case XENMAPSPACE_gmfn:		/* move a RAM page */
		rc = move_page(d, x.idx, x.gpfn);
		break;
	case XENMAPSPACE_gmfn_range:
		rc = move_range(v, d, &x, start, args);
		break;
	case XENMAPSPACE_gmfn_foreign:	/* add_to_physmap_batch only */
		rc = -ENOSYS;
		break;
	case XENMAPSPACE_grant_table:
		rc = gnttab_add_to_physmap(d, x.idx, x.gpfn);
		break;
	default:			/* dev_mmio is Arm's */
		rc = -EINVAL;
		break;
	}
	domain_put(d);
	return rc;
}

static long remove_from_physmap(struct vcpu *v, unsigned long arg)
{
	struct xen_remove_from_physmap x;
	struct domain *d;
	int rc = 0;

	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -EFAULT;
	d = domain_get_target(v, x.domid, &rc);
	if (!d)
		return rc;
	rc = remove_page(d, x.gpfn);
	domain_put(d);
	return rc;
}

/* XENMEM_memory_map: the map the domain was built with, 20-byte e820
 * entries; as many as fit, the count written back. */
static long memory_map(struct vcpu *v, unsigned long arg)
{
	struct __attribute__((packed)) {
		uint64_t addr, size;
		uint32_t type;
	} e;
	struct domain *d = v->domain;
	struct xen_memory_map m;
	unsigned int i;

	if (copy_from_guest(v, &m, arg, sizeof(m)))
		return -EFAULT;
	if (!d->arch.nr_memmap)
		return -ENOSYS;
	m.nr_entries = MIN(m.nr_entries, d->arch.nr_memmap);
	for (i = 0; i < m.nr_entries; i++) {
		e.addr = d->arch.memmap[i].addr;
		e.size = d->arch.memmap[i].size;
		e.type = d->arch.memmap[i].type;
		if (copy_to_guest(v, (uint64_t)(uintptr_t)m.buffer.p +
				  i * sizeof(e), &e, sizeof(e)))
			return -EFAULT;
	}
	if (copy_to_guest(v, arg, &m, sizeof(m)))
		return -EFAULT;
	return 0;
}

/* current_reservation, maximum_reservation: pages, by domid. */
static long reservation_size(struct vcpu *v, unsigned int op,
			     unsigned long arg)
{
	struct domain *d;
	domid_t domid;
	long ret;
	int rc = 0;

	if (copy_from_guest(v, &domid, arg, sizeof(domid)))
		return -EFAULT;
	d = domain_get_target(v, domid, &rc);
	if (!d)
		return rc;
	ret = op == XENMEM_current_reservation ? d->tot_pages : d->max_pages;
	domain_put(d);
	return ret;
}

int domain_set_memmap(struct domain *d,
		      const struct hvm_memmap_table_entry *map,
		      unsigned int nr)
{
	struct hvm_memmap_table_entry *copy =
		xmalloc_array(struct hvm_memmap_table_entry, nr);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, map, nr * sizeof(*map));
	xfree(d->arch.memmap);
	d->arch.memmap = copy;
	d->arch.nr_memmap = nr;
	return 0;
}

long do_memory_op(struct vcpu *v, unsigned long *args)
{
	unsigned long cmd = args[0], arg = args[1];

	if (!hypercall_64bit(v))
		return -ENOSYS;
	switch (cmd & MEMOP_CMD_MASK) {
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
		return reservation(v, cmd, arg, args);
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, cmd, arg, args);
	}
	if (cmd >> MEMOP_EXTENT_SHIFT)
		return -ENOSYS;		/* no continuation but those */
	switch (cmd) {
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(v, arg);
	case XENMEM_memory_map:
		return memory_map(v, arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_size(v, cmd, arg);
	default:
		return -ENOSYS;
	}
}
