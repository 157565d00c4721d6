// SPDX-License-Identifier: GPL-2.0
/*
 * GNTTABOP_map_grant_ref and GNTTABOP_unmap_grant_ref for HVM/PVH
 * callers: host mappings installed in the caller's p2m at the
 * guest-physical address it names (host_addr), as Xen does for
 * translated guests (create_grant_p2m_mapping). Device mappings,
 * GNTMAP_application_map and GNTMAP_contains_pte are PV-only: refused.
 *
 * A map takes, in order: a maptrack handle in the caller's table, a pin
 * on the granter's entry (with a frame reference), the p2m entry, and
 * records the mapping under the handle. Each step failing undoes the
 * ones before; the status codes and their order are Xen's.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/grant_table.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/xmalloc.h>
#include <asm/p2m.h>

#define MAPTRACK_PER_PAGE	(PAGE_SIZE / sizeof(struct maptrack))
#define NO_HANDLE		(~0U)

static struct maptrack *maptrack_entry(struct grant_table *gt,
				       uint32_t handle)
{
	return &gt->maptrack[handle / MAPTRACK_PER_PAGE]
			    [handle % MAPTRACK_PER_PAGE];
}

/* One more page of handles on the free list: 0 or -ENOMEM/-ENOSPC. */
static int maptrack_grow(struct grant_table *gt)
{
	unsigned int pages = DIV_ROUND_UP(gt->max_maptrack,
					  MAPTRACK_PER_PAGE);
	unsigned int page = gt->maptrack_limit / MAPTRACK_PER_PAGE, i;
	struct maptrack *mt;

	if (gt->maptrack_limit >= gt->max_maptrack)
		return -ENOSPC;
	if (!gt->maptrack) {
		gt->maptrack = xzalloc_array(struct maptrack *, pages);
		if (!gt->maptrack)
			return -ENOMEM;
	}
	mt = alloc_xenheap_pages(0, MEMF_zero);
	if (!mt)
		return -ENOMEM;
	gt->maptrack[page] = mt;
	for (i = 0; i < MAPTRACK_PER_PAGE; i++) {
		uint32_t h = gt->maptrack_limit + i;

		mt[i].next_free = i + 1 < MAPTRACK_PER_PAGE &&
				  h + 1 < gt->max_maptrack ? h + 1 : NO_HANDLE;
	}
	gt->maptrack_free = gt->maptrack_limit;
	gt->maptrack_limit = MIN(gt->maptrack_limit + MAPTRACK_PER_PAGE,
				 gt->max_maptrack);
	return 0;
}

/* A free handle, reserved (flags still 0): or NO_HANDLE. */
static uint32_t maptrack_get(struct grant_table *gt)
{
	uint32_t h;

	spin_lock(&gt->lock);
	if (gt->maptrack_free == NO_HANDLE && maptrack_grow(gt)) {
		spin_unlock(&gt->lock);
		return NO_HANDLE;
	}
	h = gt->maptrack_free;
	gt->maptrack_free = maptrack_entry(gt, h)->next_free;
	spin_unlock(&gt->lock);
	return h;
}

/* Under gt->lock. */
static void maptrack_put_locked(struct grant_table *gt, uint32_t h)
{
	struct maptrack *m = maptrack_entry(gt, h);

	m->flags = 0;
	m->next_free = gt->maptrack_free;
	gt->maptrack_free = h;
}

static void maptrack_put(struct grant_table *gt, uint32_t h)
{
	spin_lock(&gt->lock);
	maptrack_put_locked(gt, h);
	spin_unlock(&gt->lock);
}

static bool is_grant_map(enum p2m_type t)
{
	return t == P2M_GRANT_MAP_RW || t == P2M_GRANT_MAP_RO;
}

/*
 * The host mapping in ld's p2m at host_addr's frame. What was there:
 * a hole or RAM (freed), or a grant frame or shared_info (unhooked).
 * Xen crashes a guest mapping over a grant, foreign or MMIO entry;
 * Lamina fails the map. Xen also leaves RAM it maps over allocated.
 */
static int16_t host_map(struct domain *ld, uint64_t host_addr,
			unsigned long mfn, uint32_t flags, uint16_t cache)
{
	unsigned long gfn = host_addr >> PAGE_SHIFT;
	enum p2m_type t;

	if (cache || (flags & ~GNTMAP_readonly) != GNTMAP_host_map)
		return GNTST_general_error;
	p2m_lookup(ld, gfn, &t, NULL);
	if (t != P2M_INVALID && t != P2M_RAM)
		return GNTST_general_error;
	if (physmap_make_room(ld, gfn) ||
	    p2m_map(ld, gfn, mfn, P2M_ORDER_4K,
		    flags & GNTMAP_readonly ? P2M_GRANT_MAP_RO :
					      P2M_GRANT_MAP_RW))
		return GNTST_general_error;
	return GNTST_okay;
}

void gnttab_map(struct domain *ld, struct gnttab_map_grant_ref *op)
{
	struct grant_table *lgt = ld->grant_table;
	bool ro = op->flags & GNTMAP_readonly;
	struct domain *rd;
	unsigned long mfn;
	struct maptrack *m;
	uint16_t cache;
	uint32_t h;
	int16_t rc;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
		op->status = GNTST_bad_gntref;
		return;
	}
	if (op->flags & (GNTMAP_device_map | GNTMAP_application_map |
			 GNTMAP_contains_pte)) {
		op->status = GNTST_general_error;	/* PV only */
		return;
	}
	rd = gnttab_get_domain(ld, op->dom, false);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	h = maptrack_get(lgt);
	if (h == NO_HANDLE) {
		op->status = GNTST_no_space;
		goto out;
	}
	rc = gnttab_pin(rd, op->ref, ld->domain_id, ro, true,
			GNTST_general_error, &mfn, &cache);
	if (!rc) {
		rc = host_map(ld, op->host_addr, mfn, op->flags, cache);
		if (rc) {
			gnttab_unpin(rd->grant_table, op->ref, ro);
			put_page(mfn_to_page(mfn));
		}
	}
	if (rc) {
		maptrack_put(lgt, h);
		op->status = rc;
		goto out;
	}
	spin_lock(&lgt->lock);
	m = maptrack_entry(lgt, h);
	m->domid = op->dom;
	m->ref = op->ref;
	m->serial = rd->grant_table->serial;
	m->mfn = mfn;
	m->flags = op->flags;
	spin_unlock(&lgt->lock);
	op->handle = h;
	op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;	/* as Xen */
	op->status = GNTST_okay;
out:
	domain_put(rd);
}

/*
 * The granter's side of an unmap: its pin goes, if its table is still
 * the one the mapping pinned (the granter may be gone: the frame then
 * outlived it, and only the reference is left to drop).
 */
static void unmap_done(const struct maptrack *m)
{
	struct domain *rd = domain_get_by_id(m->domid);

	if (rd) {
		if (rd->grant_table->serial == m->serial)
			gnttab_unpin(rd->grant_table, m->ref,
				     m->flags & GNTMAP_readonly);
		domain_put(rd);
	}
	put_page(mfn_to_page(m->mfn));
}

void gnttab_unmap(struct domain *ld, struct gnttab_unmap_grant_ref *op)
{
	struct grant_table *lgt = ld->grant_table;
	unsigned long gfn = op->host_addr >> PAGE_SHIFT;
	struct maptrack *m, done;
	enum p2m_type t;

	spin_lock(&lgt->lock);
	if (op->handle >= lgt->maptrack_limit ||
	    !maptrack_entry(lgt, op->handle)->flags) {
		op->status = GNTST_bad_handle;
		goto unlock;
	}
	m = maptrack_entry(lgt, op->handle);
	op->status = GNTST_okay;
	if (!op->host_addr)
		goto unlock;	/* Xen: nothing to do, the mapping stays */
	if (p2m_lookup(ld, gfn, &t, NULL) != m->mfn || !is_grant_map(t) ||
	    p2m_unmap(ld, gfn, P2M_ORDER_4K)) {
		op->status = GNTST_general_error;
		goto unlock;
	}
	done = *m;
	maptrack_put_locked(lgt, op->handle);
	spin_unlock(&lgt->lock);
	unmap_done(&done);
	return;
unlock:
	spin_unlock(&lgt->lock);
}
