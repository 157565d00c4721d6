// SPDX-License-Identifier: GPL-2.0
/*
 * shared_info and vcpu_info: the pages a guest and the hypervisor share.
 *
 * Each domain has one shared_info page (hypervisor memory, zeroed at
 * creation) that the guest maps into its physical address space with
 * XENMEM_add_to_physmap. A vCPU's vcpu_info is its slot in shared_info
 * (ids below XEN_LEGACY_MAX_VCPUS) until the guest moves it into a page
 * of its own RAM with VCPUOP_register_vcpu_info; ids without a slot use
 * a private dummy until then, as on Xen.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <asm/hvm/intr.h>
#include <asm/p2m.h>
#include <xen/vcpu.h>

int shared_info_init(struct domain *d)
{
	d->shared_info = alloc_xenheap_pages(0, MEMF_zero);
	d->shared_info_gfn = ~0UL;
	if (!d->shared_info)
		return -ENOMEM;
	wallclock_init(d);
	return 0;
}

void shared_info_free(struct domain *d)
{
	free_xenheap_pages(d->shared_info, 0);
	d->shared_info = NULL;
}

void vcpu_info_init(struct vcpu *v)
{
	struct domain *d = v->domain;

	v->vcpu_info = v->vcpu_id < XEN_LEGACY_MAX_VCPUS ?
		       &d->shared_info->vcpu_info[v->vcpu_id] :
		       &v->dummy_vcpu_info;
}

void vcpu_info_release(struct vcpu *v)
{
	if (v->vcpu_info_page)
		put_page(v->vcpu_info_page);
	v->vcpu_info_page = NULL;
}

/*
 * VCPUOP_register_vcpu_info: v's vcpu_info moves to gfn:offset, once.
 * The current contents move with it, and every selector bit is set so
 * that the guest rescans and no event raised during the move is lost
 * (what Xen does).
 */
int vcpu_register_info(struct vcpu *v, uint64_t gfn, uint32_t offset)
{
	struct domain *d = v->domain;
	struct vcpu_info *new;
	struct page_info *pg;
	enum p2m_type t;
	unsigned long mfn;

	/* Past the page's end, or not 8-byte aligned: Xen 4.17's -ENXIO. */
	if (offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
	    offset % __alignof__(struct vcpu_info))
		return -ENXIO;
	if (v->vcpu_info_page)
		return -EINVAL;			/* once only (Xen) */
	mfn = p2m_lookup(d, gfn, &t, NULL);
	if (t != P2M_RAM)
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (!get_page(pg, d))
		return -EINVAL;
	new = (struct vcpu_info *)((char *)mfn_to_virt(mfn) + offset);
	memcpy(new, v->vcpu_info, sizeof(*new));
	__atomic_store_n(&new->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	v->vcpu_info_page = pg;
	__atomic_store_n(&v->vcpu_info, new, __ATOMIC_SEQ_CST);
	vcpu_time_update(v);		/* the copy may be mid-update */
	vcpu_kick(v);
	return 0;
}

void vcpu_mark_events_pending(struct vcpu *v)
{
	if (!__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1,
				 __ATOMIC_SEQ_CST))
		hvm_assert_evtchn_irq(v);
}
