// SPDX-License-Identifier: GPL-2.0
/*
 * The frames a domain owns, one by one.
 *
 * Every frame given to a domain is its own order-0 block, on the
 * domain's page list (a doubly linked list through page_info.next/prev)
 * with page_info.owner = the domain. Being on the list is one reference
 * (page_info.count); whoever else keeps the frame in use (a vcpu_info
 * mapping, a grant or foreign mapping in another domain) takes one more
 * with get_page() and drops it with put_page(). A frame leaves the list
 * first (decrease_reservation, replacement by add_to_physmap, domain
 * destruction), which drops the list's reference; the last put_page()
 * frees it. So a frame another domain still maps outlives its owner and
 * is never reused while mapped.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <asm/p2m.h>

static void list_add(struct domain *d, struct page_info *pg)
{
	unsigned long mfn = page_to_mfn(pg);

	pg->prev = PG_LINK_NONE;
	pg->next = d->page_list;
	if (d->page_list != PG_LINK_NONE)
		mfn_to_page(d->page_list)->prev = mfn;
	d->page_list = mfn;
	d->tot_pages++;
}

static void list_del(struct domain *d, struct page_info *pg)
{
	if (pg->prev != PG_LINK_NONE)
		mfn_to_page(pg->prev)->next = pg->next;
	else
		d->page_list = pg->next;
	if (pg->next != PG_LINK_NONE)
		mfn_to_page(pg->next)->prev = pg->prev;
	pg->next = pg->prev = PG_LINK_NONE;
	d->tot_pages--;
}

struct page_info *domain_alloc_frames(struct domain *d, unsigned int order)
{
	struct page_info *pg = alloc_pages(order, MEMF_zero);
	unsigned long i;

	if (!pg)
		return NULL;
	split_pages(pg, order);
	spin_lock(&d->page_lock);
	for (i = 0; i < (1UL << order); i++) {
		pg[i].owner = d;
		pg[i].count = 1;
		list_add(d, &pg[i]);
	}
	spin_unlock(&d->page_lock);
	return pg;
}

bool get_page(struct page_info *pg, struct domain *d)
{
	uint32_t c = __atomic_load_n(&pg->count, __ATOMIC_SEQ_CST);

	do {
		if (!c || c == UINT32_MAX ||
		    __atomic_load_n(&pg->owner, __ATOMIC_SEQ_CST) != d)
			return false;
	} while (!__atomic_compare_exchange_n(&pg->count, &c, c + 1, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return true;
}

void put_page(struct page_info *pg)
{
	uint32_t c = __atomic_sub_fetch(&pg->count, 1, __ATOMIC_SEQ_CST);

	BUG_ON(c == UINT32_MAX);
	if (!c)
		free_pages(pg, 0);
}

int domain_release_frame(struct domain *d, struct page_info *pg)
{
	spin_lock(&d->page_lock);
	if (pg->owner != d) {
		spin_unlock(&d->page_lock);
		return -EINVAL;
	}
	list_del(d, pg);
	__atomic_store_n(&pg->owner, NULL, __ATOMIC_SEQ_CST);
	spin_unlock(&d->page_lock);
	put_page(pg);
	return 0;
}

void domain_relinquish_frames(struct domain *d)
{
	spin_lock(&d->page_lock);
	while (d->page_list != PG_LINK_NONE) {
		struct page_info *pg = mfn_to_page(d->page_list);

		list_del(d, pg);
		__atomic_store_n(&pg->owner, NULL, __ATOMIC_SEQ_CST);
		put_page(pg);
	}
	BUG_ON(d->tot_pages);
	spin_unlock(&d->page_lock);
}

/*
 * RAM in 2 MiB blocks where the range is aligned and the allocator has
 * them (fewer p2m entries, larger TLB entries), else in 4 KiB frames.
 */
int domain_populate(struct domain *d, unsigned long gfn,
		    unsigned long nr_pages)
{
	unsigned long end = gfn + nr_pages;
	int rc = 0;

	if (end < gfn)
		return -EINVAL;
	while (gfn < end && !rc) {
		unsigned int order = (gfn % 512 == 0 && end - gfn >= 512) ?
				     P2M_ORDER_2M : P2M_ORDER_4K;
		struct page_info *pg = domain_alloc_frames(d, order);

		if (!pg && order) {
			order = P2M_ORDER_4K;
			pg = domain_alloc_frames(d, order);
		}
		if (!pg)
			return -ENOMEM;
		rc = p2m_map(d, gfn, page_to_mfn(pg), order, P2M_RAM);
		gfn += 1UL << order;
	}
	return rc;
}
