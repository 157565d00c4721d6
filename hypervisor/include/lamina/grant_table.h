/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_GRANT_TABLE_H
#define LAMINA_GRANT_TABLE_H

#include <lamina/mm.h>
#include <lamina/spinlock.h>
#include <lamina/types.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

struct domain;
struct vcpu;

/*
 * Grant tables, version 1 only (docs/hypercalls.md, grant_table_op).
 *
 * Every domain has one from its creation: shared frames holding its
 * grant entries (hypervisor pages the guest maps with add_to_physmap,
 * written by both sides), an active entry per grant reference that
 * counts the pins other domains hold on it, and a maptrack: the grants
 * of other domains this domain has mapped, by handle.
 *
 * A pin is one mapping or one grant copy in progress; the first pin
 * fixes the frame (later changes to the shared entry do not move it)
 * and sets GTF_reading (and GTF_writing for a writable pin) in the
 * shared entry; the last one clears them. Each pin holds a reference
 * to the frame, so a frame still mapped outlives its owner.
 *
 * Locking: gt->lock (LOCK_LEVEL_GNTTAB) protects everything in the
 * table but the shared entries, which the guest writes too (the flags
 * and domid change by compare-and-swap). Under it the code may take
 * p2m locks and allocate, never the domain list or another table's
 * lock: a mapping pins the granter's entry and records the handle in
 * the mapper's table one after the other.
 */

/* Xen's defaults for a domain (gnttab_max_frames, maptrack frames). */
#define GNTTAB_MAX_FRAMES	64
#define GNTTAB_INITIAL_FRAMES	1
#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_MAX_MAPTRACK	(1024 * 256)	/* handles */

/* Pin counts of an active entry: host mappings and copies only. */
#define GNTPIN_WRITE_SHIFT	0	/* writable pins */
#define GNTPIN_READ_SHIFT	8	/* read-only pins */
#define GNTPIN_COUNT_MASK	0xffU

struct active_grant {
	uint32_t pin;		/* counts, GNTPIN_*; 0: not active */
	domid_t domid;		/* who holds the pins */
	uint16_t pad;
	unsigned long mfn;	/* the frame pinned */
};

/* One mapping of another domain's grant, at index = its handle. */
struct maptrack {
	uint16_t flags;		/* GNTMAP_host_map [| _readonly]; 0 free */
	domid_t domid;		/* the granting domain */
	grant_ref_t ref;
	uint32_t serial;	/* the granter's table (domids get reused) */
	uint32_t next_free;	/* free list link, while free */
	unsigned long mfn;	/* the frame mapped (one reference held) */
};

struct grant_table {
	spinlock_t lock;
	uint32_t serial;		/* unique per table ever made */
	unsigned int nr_frames;		/* shared frames, grown on use */
	unsigned int max_frames;
	struct grant_entry_v1 *shared[GNTTAB_MAX_FRAMES];
	unsigned long frame_gfn[GNTTAB_MAX_FRAMES];	/* ~0: unmapped */
	/* Active entries, a page each for two shared frames' worth. */
	struct active_grant *active[GNTTAB_MAX_FRAMES / 2];
	/* The maptrack, pages allocated as handles run out. */
	struct maptrack **maptrack;	/* [max_maptrack / per page] */
	unsigned int maptrack_limit;	/* handles in allocated pages */
	unsigned int max_maptrack;
	uint32_t maptrack_free;		/* first free handle, or ~0 */
};

/* Domain lifecycle (common/grant_table.c). */
int gnttab_domain_init(struct domain *d);
/* d is dead (its vCPUs will not run again): drop the mappings it holds,
 * the pins in their granters' tables and the frame references. */
void gnttab_release_mappings(struct domain *d);
/* The same if not done yet, then free d's table. */
void gnttab_domain_destroy(struct domain *d);

/*
 * XENMEM_add_to_physmap, XENMAPSPACE_grant_table: grow d's table to idx
 * + 1 frames if needed and map frame idx at gpfn (moving it if it was
 * mapped elsewhere; RAM at gpfn is freed). 0, -EINVAL (idx beyond the
 * maximum, XENMAPIDX_grant_table_status on v1, no memory to grow),
 * -EPERM (MMIO at gpfn), or what making room at gpfn returned.
 */
int gnttab_add_to_physmap(struct domain *d, unsigned long idx,
			  unsigned long gpfn);
/* Is one of d's grant frames mapped at gfn? */
bool gnttab_frame_at(struct domain *d, unsigned long gfn);
/* gfn was unmapped from d's p2m: if it held a grant frame, forget that
 * it was mapped there and return true. */
bool gnttab_frame_unmapped(struct domain *d, unsigned long gfn);

/*
 * The workers of grant_table_op, on hypervisor copies of the guest's
 * structures; each sets op->status (a GNTST_* code). ld is the calling
 * domain. common/grant_map.c, common/grant_copy.c.
 */
void gnttab_map(struct domain *ld, struct gnttab_map_grant_ref *op);
void gnttab_unmap(struct domain *ld, struct gnttab_unmap_grant_ref *op);
int16_t gnttab_copy(struct domain *ld, const struct gnttab_copy *op);
int16_t gnttab_swap(struct domain *d, grant_ref_t a, grant_ref_t b);
void gnttab_query_size(struct domain *ld, struct gnttab_query_size *op);
/* nr_frames' gfns into gfns[] (at most GNTTAB_MAX_FRAMES), growing the
 * table first; ~0 for a frame that is not mapped. */
void gnttab_setup(struct domain *ld, struct gnttab_setup_table *op,
		  unsigned long *gfns);

/*
 * Internal to common/grant_*.c. The entry accessors need the table lock
 * held; gnttab_pin() and gnttab_unpin() take it.
 */
/* Number of grant references. */
static inline unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}
struct grant_entry_v1 *gnttab_shared_entry(struct grant_table *gt,
					   grant_ref_t ref);
struct active_grant *gnttab_active_entry(struct grant_table *gt,
					 grant_ref_t ref);
/*
 * Pin rd's grant ref for domain ldom (a host mapping if map, else a
 * copy), writable unless readonly. On GNTST_okay *mfn is the frame, the
 * caller holds one more reference to it, and *cache has the entry's
 * cache attribute flags (GTF_PAT/PCD/PWT). pinned_err is the code for
 * a frame already pinned that its owner has let go of (Xen's:
 * GNTST_general_error for maps, GNTST_bad_domain for copies).
 */
int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
		   bool readonly, bool map, int16_t pinned_err,
		   unsigned long *mfn, uint16_t *cache);
/* A reference to the frame at gfn if it is d's RAM: true, or false. */
bool gnttab_get_frame(struct domain *d, unsigned long gfn,
		      unsigned long *mfn);
/* Undo one pin (the frame reference is the caller's to drop). */
void gnttab_unpin(struct grant_table *gt, grant_ref_t ref, bool readonly);
/* The domain a grant op names by id, DOMID_SELF only if any_id: a
 * reference, or NULL. */
struct domain *gnttab_get_domain(struct domain *ld, domid_t domid,
				 bool any_id);
/* Grow gt to nr frames (nr <= max_frames): 0 or -ENOMEM. */
int gnttab_grow(struct grant_table *gt, unsigned int nr);

#endif /* LAMINA_GRANT_TABLE_H */
