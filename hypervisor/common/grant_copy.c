// SPDX-License-Identifier: GPL-2.0
/*
 * GNTTABOP_copy: one copy between two frames, each named by a grant
 * reference of some domain (GNTCOPY_source_gref / GNTCOPY_dest_gref) or
 * by a frame of the caller's own (DOMID_SELF only). A grant is pinned
 * for the copy alone (read-only for the source), so GTF_reading and
 * GTF_writing show in its entry while it runs, as on Xen.
 *
 * The checks come in Xen's order, which the status shows: both domains,
 * then the source frame, then the destination, then the offsets.
 */
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>

struct copy_buf {
	struct domain *d;	/* referenced */
	bool pinned;		/* a grant pin to undo */
	bool readonly;
	grant_ref_t ref;
	unsigned long mfn;	/* referenced, if page */
	struct page_info *page;
};

static int16_t buf_domain(struct domain *ld, domid_t domid, bool is_gref,
			  struct copy_buf *b)
{
	if (domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied;	/* frames: own only */
	b->d = gnttab_get_domain(ld, domid, true);
	return b->d ? GNTST_okay : GNTST_bad_domain;
}

static int16_t buf_claim(struct domain *ld, const struct gnttab_copy_ptr *p,
			 bool is_gref, bool readonly, struct copy_buf *b)
{
	uint16_t cache;
	int16_t rc;

	b->readonly = readonly;
	if (is_gref) {
		rc = gnttab_pin(b->d, p->u.ref, ld->domain_id, readonly,
				false, GNTST_bad_domain, &b->mfn, &cache);
		b->pinned = !rc;
		b->ref = p->u.ref;
	} else {
		rc = gnttab_get_frame(b->d, p->u.gmfn, &b->mfn) ?
		     GNTST_okay : GNTST_bad_page;
	}
	if (!rc)
		b->page = mfn_to_page(b->mfn);
	return rc;
}

static void buf_release(struct copy_buf *b)
{
	if (b->pinned)
		gnttab_unpin(b->d->grant_table, b->ref, b->readonly);
	if (b->page)
		put_page(b->page);
	if (b->d)
		domain_put(b->d);
}

int16_t gnttab_copy(struct domain *ld, const struct gnttab_copy *op)
{
	struct copy_buf src = { 0 }, dst = { 0 };
	bool src_gref = op->flags & GNTCOPY_source_gref;
	bool dst_gref = op->flags & GNTCOPY_dest_gref;
	int16_t rc;

	rc = buf_domain(ld, op->source.domid, src_gref, &src);
	if (!rc)
		rc = buf_domain(ld, op->dest.domid, dst_gref, &dst);
	if (!rc)
		rc = buf_claim(ld, &op->source, src_gref, true, &src);
	if (!rc)
		rc = buf_claim(ld, &op->dest, dst_gref, false, &dst);
	if (!rc && (op->source.offset + op->len > PAGE_SIZE ||
		    op->dest.offset + op->len > PAGE_SIZE))
		rc = GNTST_bad_copy_arg;
	if (!rc)	/* the same frame twice may overlap */
		memmove((char *)mfn_to_virt(dst.mfn) + op->dest.offset,
			(const char *)mfn_to_virt(src.mfn) + op->source.offset,
			op->len);
	buf_release(&src);
	buf_release(&dst);
	return rc;
}
