// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables (v1): the table of each domain, its shared frames and
 * where the guest mapped them, the active entries and their pins, and
 * the small sub-ops (query_size, setup_table, swap_grant_ref). Maps are
 * in grant_map.c, copies in grant_copy.c, the hypercall in
 * grant_table_op.c; include/lamina/grant_table.h has the model.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/grant_table.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/xmalloc.h>
#include <asm/p2m.h>
#include <xen/memory.h>

#define ACTIVE_PER_PAGE		(PAGE_SIZE / sizeof(struct active_grant))
#define MAPTRACK_PER_PAGE	(PAGE_SIZE / sizeof(struct maptrack))
#define NO_GFN			(~0UL)

/* Retries of the compare-and-swap on a shared entry the guest keeps
 * changing before the pin fails (Xen's bound: the guest could make us
 * spin forever). */
#define SHARED_ENTRY_RETRIES	5

static uint32_t next_serial;

BUILD_BUG_ON(sizeof(struct grant_entry_v1) != 8);
BUILD_BUG_ON(offsetof(struct grant_entry_v1, flags) != 0);
BUILD_BUG_ON(offsetof(struct grant_entry_v1, domid) != 2);
BUILD_BUG_ON(GNTTAB_ENTRIES_PER_FRAME != 2 * ACTIVE_PER_PAGE);
BUILD_BUG_ON(GNTTAB_INITIAL_FRAMES * GNTTAB_ENTRIES_PER_FRAME <
	     GNTTAB_NR_RESERVED_ENTRIES);

struct grant_entry_v1 *gnttab_shared_entry(struct grant_table *gt,
					   grant_ref_t ref)
{
	return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME]
			  [ref % GNTTAB_ENTRIES_PER_FRAME];
}

struct active_grant *gnttab_active_entry(struct grant_table *gt,
					 grant_ref_t ref)
{
	return &gt->active[ref / ACTIVE_PER_PAGE][ref % ACTIVE_PER_PAGE];
}

int gnttab_grow(struct grant_table *gt, unsigned int nr)
{
	unsigned int i;

	ASSERT(nr <= gt->max_frames);
	for (i = gt->nr_frames; i < nr; i++) {
		if (!gt->active[i / 2]) {
			gt->active[i / 2] = alloc_xenheap_pages(0, MEMF_zero);
			if (!gt->active[i / 2])
				return -ENOMEM;
		}
		gt->shared[i] = alloc_xenheap_pages(0, MEMF_zero);
		if (!gt->shared[i])
			return -ENOMEM;
		gt->frame_gfn[i] = NO_GFN;
		/* Entries exist once the frame is zeroed and recorded. */
		__atomic_store_n(&gt->nr_frames, i + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

int gnttab_domain_init(struct domain *d)
{
	struct grant_table *gt = xzalloc(struct grant_table);

	if (!gt)
		return -ENOMEM;
	spin_lock_init(&gt->lock, LOCK_LEVEL_GNTTAB, "grant_table");
	gt->serial = __atomic_add_fetch(&next_serial, 1, __ATOMIC_RELAXED);
	gt->max_frames = GNTTAB_MAX_FRAMES;
	gt->max_maptrack = GNTTAB_MAX_MAPTRACK;
	gt->maptrack_free = ~0U;
	d->grant_table = gt;
	spin_lock(&gt->lock);
	if (gnttab_grow(gt, GNTTAB_INITIAL_FRAMES)) {
		spin_unlock(&gt->lock);
		gnttab_domain_destroy(d);
		return -ENOMEM;
	}
	spin_unlock(&gt->lock);
	return 0;
}

/* A domain id to a domain: the caller's own, DOMID_SELF (if any_id), or
 * one on the domain list. */
struct domain *gnttab_get_domain(struct domain *ld, domid_t domid,
				 bool any_id)
{
	if ((any_id && domid == DOMID_SELF) || domid == ld->domain_id) {
		domain_get(ld);
		return ld;
	}
	return domain_get_by_id(domid);
}

/*
 * The mappings d holds go: each pin in its granter's table (if that
 * table still exists) and each frame reference. d's p2m keeps the
 * entries until it is torn down, but no vCPU of d runs any more.
 */
void gnttab_release_mappings(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int h;

	if (!gt || !gt->maptrack)
		return;
	for (h = 0; h < gt->maptrack_limit; h++) {
		struct maptrack *m = &gt->maptrack[h / MAPTRACK_PER_PAGE]
						  [h % MAPTRACK_PER_PAGE];
		struct domain *rd;

		if (!m->flags)
			continue;
		rd = domain_get_by_id(m->domid);
		if (rd && rd->grant_table->serial == m->serial)
			gnttab_unpin(rd->grant_table, m->ref,
				     m->flags & GNTMAP_readonly);
		if (rd)
			domain_put(rd);
		put_page(mfn_to_page(m->mfn));
		m->flags = 0;
	}
}

void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int i;

	if (!gt)
		return;
	if (gt->maptrack) {
		gnttab_release_mappings(d);
		for (i = 0; i * MAPTRACK_PER_PAGE < gt->maptrack_limit; i++)
			free_xenheap_pages(gt->maptrack[i], 0);
		xfree(gt->maptrack);
	}
	for (i = 0; i < GNTTAB_MAX_FRAMES; i++)
		if (gt->shared[i])
			free_xenheap_pages(gt->shared[i], 0);
	for (i = 0; i < ARRAY_SIZE(gt->active); i++)
		if (gt->active[i])
			free_xenheap_pages(gt->active[i], 0);
	xfree(gt);
	d->grant_table = NULL;
}

/* ---- shared frames in the guest's physical address space ---------- */

static int frame_of_gfn(struct grant_table *gt, unsigned long gfn)
{
	unsigned int i;

	for (i = 0; i < gt->nr_frames; i++)
		if (gt->frame_gfn[i] == gfn)
			return i;
	return -1;
}

bool gnttab_frame_at(struct domain *d, unsigned long gfn)
{
	struct grant_table *gt = d->grant_table;
	bool found;

	spin_lock(&gt->lock);
	found = frame_of_gfn(gt, gfn) >= 0;
	spin_unlock(&gt->lock);
	return found;
}

bool gnttab_frame_unmapped(struct domain *d, unsigned long gfn)
{
	struct grant_table *gt = d->grant_table;
	int i;

	spin_lock(&gt->lock);
	i = frame_of_gfn(gt, gfn);
	if (i >= 0)
		gt->frame_gfn[i] = NO_GFN;
	spin_unlock(&gt->lock);
	return i >= 0;
}

/* Frame idx exists (grown if need be): 0, or -EINVAL as Xen. */
static int frame_exists(struct grant_table *gt, unsigned long idx)
{
	if (idx < gt->nr_frames)
		return 0;
	if (idx < gt->max_frames)
		gnttab_grow(gt, idx + 1);	/* may stop short: checked */
	return idx < gt->nr_frames ? 0 : -EINVAL;
}

int gnttab_add_to_physmap(struct domain *d, unsigned long idx,
			  unsigned long gpfn)
{
	struct grant_table *gt = d->grant_table;
	unsigned long mfn, old;
	enum p2m_type t;
	int rc, other;

	if (gpfn == NO_GFN)
		return -EINVAL;		/* Xen's INVALID_GFN */
	spin_lock(&gt->lock);
	rc = frame_exists(gt, idx);	/* _status on v1 is idx >= 2^31 */
	old = rc ? NO_GFN : gt->frame_gfn[idx];
	spin_unlock(&gt->lock);
	if (rc || old == gpfn)
		return rc;
	p2m_lookup(d, gpfn, &t, NULL);
	if (t == P2M_MMIO)
		return -EPERM;
	rc = physmap_make_room(d, gpfn);
	if (rc)
		return rc;

	spin_lock(&gt->lock);
	mfn = virt_to_mfn(gt->shared[idx]);
	other = frame_of_gfn(gt, gpfn);	/* mapped there meanwhile */
	rc = p2m_map(d, gpfn, mfn, P2M_ORDER_4K, P2M_RAM);
	if (!rc) {
		if (other >= 0)
			gt->frame_gfn[other] = NO_GFN;
		old = gt->frame_gfn[idx];
		gt->frame_gfn[idx] = gpfn;
		if (old != NO_GFN && p2m_lookup(d, old, &t, NULL) == mfn)
			p2m_unmap(d, old, P2M_ORDER_4K);
	}
	spin_unlock(&gt->lock);
	return rc;
}

/* ---- active entries and pins -------------------------------------- */

static uint32_t pin_inc(bool readonly)
{
	return 1U << (readonly ? GNTPIN_READ_SHIFT : GNTPIN_WRITE_SHIFT);
}

/* Would one more pin of this kind overflow its 8-bit count? Xen refuses
 * from 128 on. */
static bool pin_overflows(uint32_t pin, bool readonly)
{
	return pin & (pin_inc(readonly) << 7);
}

static bool has_writers(uint32_t pin)
{
	return (pin >> GNTPIN_WRITE_SHIFT) & GNTPIN_COUNT_MASK;
}

/*
 * Set GTF_reading (and GTF_writing) in the guest's entry if it grants
 * access to ldom (checked only for the first pin; a map also refuses
 * GTF_sub_page), atomically with respect to the guest's own updates.
 */
static int16_t set_status(struct grant_entry_v1 *e, uint32_t pin,
			  domid_t ldom, bool readonly, bool map)
{
	uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);
	uint32_t *word = (uint32_t *)e;	/* flags | domid << 16 */
	uint32_t cur = __atomic_load_n(word, __ATOMIC_SEQ_CST), want;
	unsigned int tries;

	for (tries = 0; tries < SHARED_ENTRY_RETRIES; tries++) {
		uint16_t flags = cur & 0xffff;

		if (!pin && ((flags & mask) != GTF_permit_access ||
			     (domid_t)(cur >> 16) != ldom))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		want = cur | GTF_reading | (readonly ? 0 : GTF_writing);
		if (__atomic_compare_exchange_n(word, &cur, want, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return GNTST_okay;
	}
	return GNTST_general_error;	/* the entry is unstable */
}

/* Clear the status bits the remaining pins no longer need. */
static void reduce_status(struct grant_entry_v1 *e, uint32_t pin,
			  bool readonly)
{
	uint16_t clear = pin ? 0 : GTF_reading;

	if (!readonly && !has_writers(pin))
		clear |= GTF_writing;
	if (clear)
		__atomic_and_fetch(&e->flags, (uint16_t)~clear,
				   __ATOMIC_SEQ_CST);
}

bool gnttab_get_frame(struct domain *d, unsigned long gfn,
		      unsigned long *mfn)
{
	struct page_info *pg;
	enum p2m_type t;

	*mfn = p2m_lookup(d, gfn, &t, NULL);
	if (t != P2M_RAM)
		return false;
	pg = mfn_to_page(*mfn);
	if (!get_page(pg, d))
		return false;
	/* The frame may have been freed and given back to d between the
	 * lookup and the reference: is it still the one at gfn? */
	if (p2m_lookup(d, gfn, &t, NULL) != *mfn || t != P2M_RAM) {
		put_page(pg);
		return false;
	}
	return true;
}

int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
		   bool readonly, bool map, int16_t pinned_err,
		   unsigned long *mfn, uint16_t *cache)
{
	struct grant_table *gt = rd->grant_table;
	struct grant_entry_v1 *e;
	struct active_grant *act;
	int16_t rc = GNTST_okay;

	spin_lock(&gt->lock);
	if (ref >= gnttab_nr_entries(gt)) {
		rc = GNTST_bad_gntref;
		goto out;
	}
	e = gnttab_shared_entry(gt, ref);
	act = gnttab_active_entry(gt, ref);
	if (act->pin && (act->domid != ldom ||
			 pin_overflows(act->pin, readonly))) {
		rc = GNTST_general_error;
		goto out;
	}
	if (!act->pin || (!readonly && !has_writers(act->pin))) {
		rc = set_status(e, act->pin, ldom, readonly, map);
		if (rc)
			goto out;
	}
	if (!act->pin) {
		if (!gnttab_get_frame(rd, READ_ONCE(e->frame), mfn)) {
			rc = GNTST_bad_page;
			reduce_status(e, act->pin, readonly);
			goto out;
		}
		act->domid = ldom;
		act->mfn = *mfn;
	} else if (!get_page(mfn_to_page(act->mfn), rd)) {
		rc = pinned_err;	/* rd has let the frame go */
		reduce_status(e, act->pin, readonly);
		goto out;
	}
	act->pin += pin_inc(readonly);
	*mfn = act->mfn;
	*cache = READ_ONCE(e->flags) & (GTF_PAT | GTF_PWT | GTF_PCD);
out:
	spin_unlock(&gt->lock);
	return rc;
}

void gnttab_unpin(struct grant_table *gt, grant_ref_t ref, bool readonly)
{
	struct active_grant *act;

	spin_lock(&gt->lock);
	act = gnttab_active_entry(gt, ref);
	BUG_ON(!(act->pin & (GNTPIN_COUNT_MASK <<
			     (readonly ? GNTPIN_READ_SHIFT :
					 GNTPIN_WRITE_SHIFT))));
	act->pin -= pin_inc(readonly);
	reduce_status(gnttab_shared_entry(gt, ref), act->pin, readonly);
	spin_unlock(&gt->lock);
}

/* ---- query_size, setup_table, swap_grant_ref ---------------------- */

/* XSM_TARGET of Xen's default policy: itself, or the hardware domain. */
static bool may_target(struct domain *ld, struct domain *d)
{
	return ld == d || ld->is_hardware;
}

void gnttab_query_size(struct domain *ld, struct gnttab_query_size *op)
{
	struct domain *d = gnttab_get_domain(ld, op->dom, true);

	if (!d) {
		op->status = GNTST_bad_domain;
		return;
	}
	if (may_target(ld, d)) {
		op->nr_frames = READ_ONCE(d->grant_table->nr_frames);
		op->max_nr_frames = d->grant_table->max_frames;
		op->status = GNTST_okay;
	} else {
		op->status = GNTST_permission_denied;
	}
	domain_put(d);
}

void gnttab_setup(struct domain *ld, struct gnttab_setup_table *op,
		  unsigned long *gfns)
{
	struct domain *d = gnttab_get_domain(ld, op->dom, true);
	struct grant_table *gt;
	unsigned int i;

	if (!d) {
		op->status = GNTST_bad_domain;
		return;
	}
	if (!may_target(ld, d)) {
		op->status = GNTST_permission_denied;
		goto out;
	}
	gt = d->grant_table;
	spin_lock(&gt->lock);
	if (op->nr_frames > gt->max_frames ||
	    (op->nr_frames > gt->nr_frames &&
	     gnttab_grow(gt, op->nr_frames))) {
		op->status = GNTST_general_error;
	} else {
		op->status = GNTST_okay;
		for (i = 0; i < op->nr_frames; i++)
			gfns[i] = gt->frame_gfn[i];
	}
	spin_unlock(&gt->lock);
out:
	domain_put(d);
}

int16_t gnttab_swap(struct domain *d, grant_ref_t a, grant_ref_t b)
{
	struct grant_table *gt = d->grant_table;
	struct grant_entry_v1 *ea, *eb, tmp;
	int16_t rc = GNTST_okay;

	spin_lock(&gt->lock);
	if (a >= gnttab_nr_entries(gt) || b >= gnttab_nr_entries(gt)) {
		rc = GNTST_bad_gntref;
	} else if (a != b) {
		if (gnttab_active_entry(gt, a)->pin ||
		    gnttab_active_entry(gt, b)->pin) {
			rc = GNTST_eagain;
		} else {
			ea = gnttab_shared_entry(gt, a);
			eb = gnttab_shared_entry(gt, b);
			tmp = *ea;
			*ea = *eb;
			*eb = tmp;
		}
	}
	spin_unlock(&gt->lock);
	return rc;
}
