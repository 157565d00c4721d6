// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables v1 (common/grant_*.c) over simulated machine memory: two
 * domains with real p2ms and owned RAM (env.dom, domid 1, the vCPU of
 * hvm_env.h, and dom2, domid 2). The entry state machine (pins, the
 * GTF_reading/GTF_writing bits), frames mapped with add_to_physmap,
 * maps, unmaps and copies with every status code, the death of either
 * side of a mapping, and the hypercall itself: sub-op filter, counts,
 * faults, continuations.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "domain_env.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/grant_table.h>
#include <lamina/hypercall.h>
#include <lamina/page_alloc.h>
#include <asm/p2m.h>
#include <xen/memory.h>

#define OWN_GFN		0x10	/* env.dom RAM it owns: 16 frames */
#define HOLE		0x5000	/* unpopulated gfns in either domain */
#define BUF		0x8000ULL	/* hypercall structures (env.dom) */
#define BUF2		0x9000ULL

static struct domain dom2, dom3;
static struct vcpu v2;
static struct vcpu *v1 = &env.vcpu;
static struct domain *const d1 = &env.dom;

/* ---- set-up --------------------------------------------------------- */

static void domain_setup(struct domain *d, domid_t id)
{
	d->domain_id = id;
	d->refcnt = 1;
	d->page_list = PG_LINK_NONE;
	d->max_pages = ~0UL;
	d->shared_info_gfn = ~0UL;
	spin_lock_init(&d->page_lock, LOCK_LEVEL_DOMAIN, "domain_pages");
	ck_assert_int_eq(gnttab_domain_init(d), 0);
}

static void setup(void)
{
	hvm_env_setup();
	env.mode = INSN_MODE_64;	/* paging off: pointers are gpas */
	domain_setup(d1, 1);
	/* RAM env.dom owns (hvm_env's is only mapped). */
	ck_assert_int_eq(domain_populate(d1, OWN_GFN, 16), 0);
	memset(&dom2, 0, sizeof(dom2));
	ck_assert_int_eq(p2m_init(&dom2, P2M_FORMAT_NPT), 0);
	domain_setup(&dom2, 2);
	ck_assert_int_eq(domain_populate(&dom2, 0, 16), 0);
	memset(&v2, 0, sizeof(v2));
	v2.domain = &dom2;
	sim_domains_clear();
	sim_domains[0] = d1;
	sim_domains[1] = &dom2;
}

static void teardown(void)
{
	gnttab_domain_destroy(d1);
	gnttab_domain_destroy(&dom2);
	hvm_env_teardown();
}

static void *frame(struct domain *d, unsigned long gfn)
{
	enum p2m_type t;
	unsigned long mfn = p2m_lookup(d, gfn, &t, NULL);

	ck_assert_int_ne(t, P2M_INVALID);
	return mfn_to_virt(mfn);
}

static struct page_info *page_at(struct domain *d, unsigned long gfn)
{
	return mfn_to_page(p2m_lookup(d, gfn, NULL, NULL));
}

static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
	return gnttab_shared_entry(d->grant_table, ref);
}

static void grant(struct domain *d, grant_ref_t ref, uint16_t flags,
		  domid_t to, uint32_t gfn)
{
	struct grant_entry_v1 *e = entry(d, ref);

	e->domid = to;
	e->frame = gfn;
	e->flags = flags;
}

static uint32_t pins(struct domain *d, grant_ref_t ref)
{
	return gnttab_active_entry(d->grant_table, ref)->pin;
}

static int16_t map(struct domain *ld, domid_t dom, grant_ref_t ref,
		   unsigned long gfn, uint32_t flags, grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)gfn << PAGE_SHIFT, .flags = flags,
		.ref = ref, .dom = dom, .handle = 0xdead,
	};

	gnttab_map(ld, &op);
	if (h)
		*h = op.handle;
	if (op.status)
		ck_assert_uint_eq(op.handle, 0xdead);	/* left alone */
	return op.status;
}

static int16_t unmap(struct domain *ld, grant_handle_t h,
		     unsigned long gfn)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (uint64_t)gfn << PAGE_SHIFT, .handle = h,
	};

	gnttab_unmap(ld, &op);
	return op.status;
}

/* The guest's view of an entry's flags is back to what it granted, no
 * pins, no references beyond the page list's. */
static void expect_idle(struct domain *d, grant_ref_t ref, uint16_t flags,
			unsigned long gfn)
{
	ck_assert_uint_eq(entry(d, ref)->flags, flags);
	ck_assert_uint_eq(pins(d, ref), 0);
	ck_assert_uint_eq(page_at(d, gfn)->count, 1);
}

/* ---- tests ---------------------------------------------------------- */

START_TEST(query_and_setup)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 3 };
	unsigned long gfns[GNTTAB_MAX_FRAMES];

	gnttab_query_size(d1, &q);
	ck_assert_int_eq(q.status, GNTST_okay);
	ck_assert_uint_eq(q.nr_frames, 1);
	ck_assert_uint_eq(q.max_nr_frames, 64);
	q.dom = 2;			/* another domain: not for a domU */
	gnttab_query_size(d1, &q);
	ck_assert_int_eq(q.status, GNTST_permission_denied);
	q.dom = 99;
	gnttab_query_size(d1, &q);
	ck_assert_int_eq(q.status, GNTST_bad_domain);
	d1->is_hardware = true;		/* the hardware domain may */
	q.dom = 2;
	gnttab_query_size(d1, &q);
	ck_assert_int_eq(q.status, GNTST_okay);
	d1->is_hardware = false;

	/* setup_table grows the table and says where frames are mapped. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 1, HOLE), 0);
	gnttab_setup(d1, &s, gfns);
	ck_assert_int_eq(s.status, GNTST_okay);
	ck_assert_uint_eq(gfns[0], ~0UL);
	ck_assert_uint_eq(gfns[1], HOLE);
	ck_assert_uint_eq(gfns[2], ~0UL);
	ck_assert_uint_eq(d1->grant_table->nr_frames, 3);
	s.nr_frames = 65;
	gnttab_setup(d1, &s, gfns);
	ck_assert_int_eq(s.status, GNTST_general_error);
	s.nr_frames = 1;
	s.dom = 2;
	gnttab_setup(d1, &s, gfns);
	ck_assert_int_eq(s.status, GNTST_permission_denied);
	s.dom = 99;
	gnttab_setup(d1, &s, gfns);
	ck_assert_int_eq(s.status, GNTST_bad_domain);
	ck_assert_uint_eq(d1->refcnt, 1);
	ck_assert_uint_eq(dom2.refcnt, 1);
}
END_TEST

START_TEST(frames_in_the_physmap)
{
	struct grant_table *gt = d1->grant_table;
	unsigned long free0, mfn0 = virt_to_mfn(gt->shared[0]);
	enum p2m_type t;

	ck_assert_int_eq(gnttab_add_to_physmap(d1, 0, HOLE), 0);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE, &t, NULL), mfn0);
	ck_assert_int_eq(t, P2M_RAM);
	ck_assert(gnttab_frame_at(d1, HOLE));
	/* The guest writes entries through its mapping. */
	((struct grant_entry_v1 *)frame(d1, HOLE))[7].frame = 0x1234;
	ck_assert_uint_eq(entry(d1, 7)->frame, 0x1234);
	/* Again at the same place; then it moves. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 0, HOLE), 0);
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 0, HOLE + 1), 0);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE, &t, NULL), INVALID_MFN);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE + 1, NULL, NULL), mfn0);
	ck_assert(!gnttab_frame_at(d1, HOLE));
	/* Frame 5 grows the table to 6; 64 and the v2 status space: no. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 5, HOLE + 5), 0);
	ck_assert_uint_eq(gt->nr_frames, 6);
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 64, HOLE), -EINVAL);
	ck_assert_int_eq(gnttab_add_to_physmap(
		d1, XENMAPIDX_grant_table_status, HOLE), -EINVAL);
	ck_assert_uint_eq(gt->nr_frames, 6);
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 4, ~0UL), -EINVAL);
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 4, 1UL << 40), -EINVAL);
	/* Over RAM: the RAM is freed. */
	free0 = page_alloc_free_pages();
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 2, OWN_GFN + 15), 0);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 + 1);
	ck_assert_uint_eq(d1->tot_pages, 15);
	/* Over another grant frame: that one is unhooked. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 3, HOLE + 5), 0);
	ck_assert_uint_eq(gt->frame_gfn[5], ~0UL);
	ck_assert_uint_eq(gt->frame_gfn[3], HOLE + 5);
	/* Over MMIO: Xen's -EPERM. */
	ck_assert_int_eq(p2m_map(d1, HOLE + 9, 0xfee00, P2M_ORDER_4K,
				 P2M_MMIO), 0);
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 1, HOLE + 9), -EPERM);
	/* Made room for (decrease_reservation): forgotten, not freed. */
	free0 = page_alloc_free_pages();
	ck_assert_int_eq(physmap_make_room(d1, HOLE + 1), 0);
	ck_assert_uint_eq(gt->frame_gfn[0], ~0UL);
	ck_assert_uint_eq(page_alloc_free_pages(), free0);
	ck_assert_ptr_eq(gt->shared[0], mfn_to_virt(mfn0));
}
END_TEST

/* XENMEM_add_to_physmap through memory_op, from the vCPU. */
START_TEST(add_to_physmap_hypercall)
{
	struct xen_add_to_physmap *x = hvm_env_gpa(BUF);
	unsigned long args[HYPERCALL_NR_ARGS] = { XENMEM_add_to_physmap, BUF };

	*x = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table, .idx = 2, .gpfn = HOLE };
	ck_assert_int_eq(do_memory_op(v1, args), 0);
	ck_assert_uint_eq(d1->grant_table->frame_gfn[2], HOLE);
	x->idx = 1000;
	ck_assert_int_eq(do_memory_op(v1, args), -EINVAL);
	/* A grant frame is not RAM to move with XENMAPSPACE_gmfn. */
	*x = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn, .idx = HOLE, .gpfn = HOLE + 1 };
	ck_assert_int_eq(do_memory_op(v1, args), -EINVAL);
}
END_TEST

START_TEST(map_state_machine)
{
	struct page_info *pg = page_at(d1, OWN_GFN);
	grant_handle_t rw, ro;
	enum p2m_type t;
	uint32_t *p;

	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map, &rw),
			 GNTST_okay);
	ck_assert_uint_eq(entry(d1, 5)->flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE, &t, NULL), page_to_mfn(pg));
	ck_assert_int_eq(t, P2M_GRANT_MAP_RW);
	ck_assert_uint_eq(pg->count, 2);
	p = frame(d1, HOLE);
	*p = 0xfeedf00d;
	ck_assert_uint_eq(*(uint32_t *)frame(d1, OWN_GFN), 0xfeedf00d);
	/* A change to the entry does not move a pinned grant. */
	entry(d1, 5)->frame = OWN_GFN + 1;
	ck_assert_int_eq(map(d1, 1, 5, HOLE + 1,
			     GNTMAP_host_map | GNTMAP_readonly, &ro),
			 GNTST_okay);
	ck_assert_int_ne(ro, rw);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE + 1, &t, NULL),
			  page_to_mfn(pg));
	ck_assert_int_eq(t, P2M_GRANT_MAP_RO);
	ck_assert_uint_eq(pins(d1, 5), 0x101);
	/* The writer goes: GTF_writing with it. */
	ck_assert_int_eq(unmap(d1, rw, HOLE), GNTST_okay);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE, &t, NULL), INVALID_MFN);
	ck_assert_uint_eq(entry(d1, 5)->flags,
			  GTF_permit_access | GTF_reading);
	/* Unmapping twice, at the wrong address, an unknown handle. */
	ck_assert_int_eq(unmap(d1, rw, HOLE), GNTST_bad_handle);
	ck_assert_int_eq(unmap(d1, ro, HOLE), GNTST_general_error);
	ck_assert_int_eq(unmap(d1, 100000, HOLE), GNTST_bad_handle);
	/* host_addr 0: Xen does nothing (and says okay). */
	ck_assert_int_eq(unmap(d1, ro, 0), GNTST_okay);
	ck_assert_uint_eq(pins(d1, 5), 0x100);
	ck_assert_int_eq(unmap(d1, ro, HOLE + 1), GNTST_okay);
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
	ck_assert_uint_eq(d1->refcnt, 1);
}
END_TEST

START_TEST(map_errors)
{
	grant_handle_t h;

	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	grant(d1, 6, GTF_permit_access | GTF_readonly, 1, OWN_GFN + 1);
	grant(d1, 7, GTF_permit_access, 77, OWN_GFN + 2);
	grant(d1, 8, GTF_permit_access | GTF_sub_page, 1, OWN_GFN + 3);
	grant(d1, 9, GTF_permit_access, 1, HOLE + 100);
	grant(d1, 10, GTF_permit_access | GTF_PCD, 1, OWN_GFN + 4);
	grant(d1, 11, GTF_accept_transfer, 1, OWN_GFN + 5);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, 0, NULL), GNTST_bad_gntref);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_device_map, NULL),
			 GNTST_general_error);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map |
			     GNTMAP_application_map, NULL),
			 GNTST_general_error);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map |
			     GNTMAP_contains_pte, NULL), GNTST_general_error);
	ck_assert_int_eq(map(d1, 99, 5, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	ck_assert_int_eq(map(d1, DOMID_SELF, 5, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	ck_assert_int_eq(map(d1, 1, 512, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_gntref);
	ck_assert_int_eq(map(d1, 1, 3, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* not granted */
	ck_assert_int_eq(map(d1, 1, 6, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* read-only grant */
	ck_assert_int_eq(map(d1, 1, 7, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* granted to d77 */
	ck_assert_int_eq(map(d1, 1, 8, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* sub-page */
	ck_assert_int_eq(map(d1, 1, 9, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_page);	/* not RAM */
	ck_assert_int_eq(map(d1, 1, 10, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* cache attributes */
	ck_assert_int_eq(map(d1, 1, 11, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* transfer */
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map | (1 << 5),
			     NULL), GNTST_general_error);
	ck_assert_int_eq(map(d1, 1, 5, 1UL << 50, GNTMAP_host_map, NULL),
			 GNTST_general_error);	/* beyond the p2m */
	/* Nothing was left behind. */
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
	expect_idle(d1, 6, GTF_permit_access | GTF_readonly, OWN_GFN + 1);
	expect_idle(d1, 10, GTF_permit_access | GTF_PCD, OWN_GFN + 4);
	ck_assert_uint_eq(pins(d1, 9), 0);
	ck_assert_uint_eq(entry(d1, 9)->flags, GTF_permit_access);
	ck_assert_uint_eq(p2m_lookup(d1, HOLE, NULL, NULL), INVALID_MFN);
	ck_assert_uint_eq(d1->refcnt, 1);
	/* A grant frame is no frame to grant: not the domain's RAM. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 0, HOLE + 200), 0);
	grant(d1, 12, GTF_permit_access, 1, HOLE + 200);
	ck_assert_int_eq(map(d1, 1, 12, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_page);
	/* Over an existing grant mapping: refused (Xen crashes the guest). */
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map, &h),
			 GNTST_okay);
	ck_assert_int_eq(map(d1, 1, 6, HOLE, GNTMAP_host_map |
			     GNTMAP_readonly, NULL), GNTST_general_error);
	ck_assert_int_eq(unmap(d1, h, HOLE), GNTST_okay);
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
}
END_TEST

START_TEST(map_over_ram_frees_it)
{
	unsigned long free0;
	grant_handle_t h;

	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	/* The maptrack's first page comes with the first map. */
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map, &h), 0);
	ck_assert_int_eq(unmap(d1, h, HOLE), GNTST_okay);
	free0 = page_alloc_free_pages();
	ck_assert_int_eq(map(d1, 1, 5, OWN_GFN + 9, GNTMAP_host_map, &h),
			 GNTST_okay);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 + 1);
	ck_assert_uint_eq(d1->tot_pages, 15);
	ck_assert_int_eq(unmap(d1, h, OWN_GFN + 9), GNTST_okay);
	ck_assert_uint_eq(p2m_lookup(d1, OWN_GFN + 9, NULL, NULL),
			  INVALID_MFN);
}
END_TEST

START_TEST(pin_count_limit)
{
	grant_handle_t h[129];
	unsigned int i;

	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	for (i = 0; i < 128; i++)
		ck_assert_int_eq(map(d1, 1, 5, HOLE + i, GNTMAP_host_map |
				     GNTMAP_readonly, &h[i]), GNTST_okay);
	ck_assert_int_eq(map(d1, 1, 5, HOLE + i, GNTMAP_host_map |
			     GNTMAP_readonly, NULL), GNTST_general_error);
	/* Writable pins count apart. */
	ck_assert_int_eq(map(d1, 1, 5, HOLE + i, GNTMAP_host_map, &h[i]),
			 GNTST_okay);
	for (i = 0; i <= 128; i++)
		ck_assert_int_eq(unmap(d1, h[i], HOLE + i), GNTST_okay);
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
}
END_TEST

START_TEST(maptrack_runs_out)
{
	grant_handle_t a, b;

	d1->grant_table->max_maptrack = 2;
	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map, &a), 0);
	ck_assert_int_eq(map(d1, 1, 5, HOLE + 1, GNTMAP_host_map, &b), 0);
	ck_assert_int_eq(map(d1, 1, 5, HOLE + 2, GNTMAP_host_map, NULL),
			 GNTST_no_space);
	ck_assert_int_eq(unmap(d1, a, HOLE), GNTST_okay);
	ck_assert_int_eq(map(d1, 1, 5, HOLE + 2, GNTMAP_host_map, &a), 0);
	ck_assert_int_eq(unmap(d1, a, HOLE + 2), GNTST_okay);
	ck_assert_int_eq(unmap(d1, b, HOLE + 1), GNTST_okay);
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
}
END_TEST

START_TEST(cross_domain_map)
{
	grant_handle_t h;

	grant(&dom2, 20, GTF_permit_access, 1, 3);
	memcpy(frame(&dom2, 3), "from d2", 8);
	ck_assert_int_eq(map(d1, 2, 20, HOLE, GNTMAP_host_map, &h),
			 GNTST_okay);
	ck_assert_str_eq(frame(d1, HOLE), "from d2");
	ck_assert_uint_eq(entry(&dom2, 20)->flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
	/* Pinned by d1: nobody else may pin it, whatever the entry says. */
	entry(&dom2, 20)->domid = 2;
	ck_assert_int_eq(map(&dom2, 2, 20, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error);
	ck_assert_int_eq(unmap(d1, h, HOLE), GNTST_okay);
	expect_idle(&dom2, 20, GTF_permit_access, 3);
	ck_assert_uint_eq(dom2.refcnt, 1);
}
END_TEST

static int16_t copy(struct domain *ld, uint16_t flags,
		    domid_t sdom, uint64_t sref, uint16_t soff,
		    domid_t ddom, uint64_t dref, uint16_t doff, uint16_t len)
{
	struct gnttab_copy op = {
		.source = { .domid = sdom, .offset = soff },
		.dest = { .domid = ddom, .offset = doff },
		.len = len, .flags = flags,
	};

	if (flags & GNTCOPY_source_gref)
		op.source.u.ref = sref;
	else
		op.source.u.gmfn = sref;
	if (flags & GNTCOPY_dest_gref)
		op.dest.u.ref = dref;
	else
		op.dest.u.gmfn = dref;
	return gnttab_copy(ld, &op);
}

START_TEST(copy_both_ways)
{
	char *mine = frame(d1, OWN_GFN), *theirs = frame(&dom2, 4);

	grant(&dom2, 30, GTF_permit_access, 1, 4);
	grant(&dom2, 31, GTF_permit_access | GTF_readonly, 1, 5);
	strcpy(mine + 100, "to d2");
	ck_assert_int_eq(copy(d1, GNTCOPY_dest_gref, DOMID_SELF, OWN_GFN, 100,
			      2, 30, 200, 6), GNTST_okay);
	ck_assert_str_eq(theirs + 200, "to d2");
	strcpy(theirs + 300, "back");
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 300,
			      DOMID_SELF, OWN_GFN + 1, 0, 5), GNTST_okay);
	ck_assert_str_eq(frame(d1, OWN_GFN + 1), "back");
	/* A read-only grant is a source, never a destination. */
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 31, 0,
			      DOMID_SELF, OWN_GFN, 0, 4096), GNTST_okay);
	ck_assert_int_eq(copy(d1, GNTCOPY_dest_gref, DOMID_SELF, OWN_GFN, 0,
			      2, 31, 0, 1), GNTST_general_error);
	/* Gref to gref, and the same frame with overlap. */
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref | GNTCOPY_dest_gref,
			      2, 30, 200, 2, 30, 202, 6), GNTST_okay);
	ck_assert_str_eq(theirs + 202, "to d2");
	ck_assert_int_eq(copy(d1, 0, DOMID_SELF, OWN_GFN, 0, DOMID_SELF,
			      OWN_GFN + 2, 0, 0), GNTST_okay);
	/* Nothing stays pinned. */
	expect_idle(&dom2, 30, GTF_permit_access, 4);
	expect_idle(&dom2, 31, GTF_permit_access | GTF_readonly, 5);
	ck_assert_uint_eq(page_at(d1, OWN_GFN)->count, 1);
	ck_assert_uint_eq(dom2.refcnt, 1);
	ck_assert_uint_eq(d1->refcnt, 1);
}
END_TEST

START_TEST(copy_errors_in_order)
{
	grant(&dom2, 30, GTF_permit_access, 1, 4);
	grant(&dom2, 32, GTF_permit_access, 77, 6);
	/* Frames by number: DOMID_SELF only, even for one's own id. */
	ck_assert_int_eq(copy(d1, 0, 1, OWN_GFN, 0, DOMID_SELF, OWN_GFN, 0, 8),
			 GNTST_permission_denied);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 0, 2, 4, 0, 8),
			 GNTST_permission_denied);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 99, 30, 0,
			      DOMID_SELF, OWN_GFN, 0, 8), GNTST_bad_domain);
	ck_assert_int_eq(copy(d1, GNTCOPY_dest_gref, DOMID_SELF, OWN_GFN, 0,
			      99, 30, 0, 8), GNTST_bad_domain);
	/* Source before destination, both before the lengths. */
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref | GNTCOPY_dest_gref,
			      2, 600, 0, 2, 32, 4000, 200), GNTST_bad_gntref);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref | GNTCOPY_dest_gref,
			      2, 30, 0, 2, 32, 4000, 200),
			 GNTST_general_error);	/* granted to d77 */
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 4000,
			      DOMID_SELF, HOLE, 0, 200), GNTST_bad_page);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 4000,
			      DOMID_SELF, OWN_GFN, 0, 200),
			 GNTST_bad_copy_arg);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 0,
			      DOMID_SELF, OWN_GFN, 3900, 200),
			 GNTST_bad_copy_arg);
	/* A grant frame or a grant mapping is not the caller's frame. */
	ck_assert_int_eq(gnttab_add_to_physmap(d1, 0, HOLE), 0);
	ck_assert_int_eq(copy(d1, 0, DOMID_SELF, HOLE, 0,
			      DOMID_SELF, OWN_GFN, 0, 8), GNTST_bad_page);
	expect_idle(&dom2, 30, GTF_permit_access, 4);
	ck_assert_uint_eq(entry(&dom2, 32)->flags, GTF_permit_access);
	ck_assert_uint_eq(dom2.refcnt, 1);
	ck_assert_uint_eq(d1->refcnt, 1);
}
END_TEST

START_TEST(copy_while_mapped)
{
	grant_handle_t h;

	grant(&dom2, 30, GTF_permit_access, 1, 4);
	ck_assert_int_eq(map(d1, 2, 30, HOLE,
			     GNTMAP_host_map | GNTMAP_readonly, &h), 0);
	strcpy(frame(d1, OWN_GFN), "rw copy");
	ck_assert_int_eq(copy(d1, GNTCOPY_dest_gref, DOMID_SELF, OWN_GFN, 0,
			      2, 30, 0, 8), GNTST_okay);
	ck_assert_str_eq(frame(d1, HOLE), "rw copy");
	ck_assert_uint_eq(entry(&dom2, 30)->flags,
			  GTF_permit_access | GTF_reading);
	ck_assert_uint_eq(pins(&dom2, 30), 0x100);
	/* Released by its owner while pinned: copies find it gone. */
	ck_assert_int_eq(domain_release_frame(&dom2, page_at(&dom2, 4)), 0);
	ck_assert_int_eq(copy(d1, GNTCOPY_source_gref, 2, 30, 0,
			      DOMID_SELF, OWN_GFN, 0, 8), GNTST_bad_domain);
	ck_assert_int_eq(map(d1, 2, 30, HOLE + 1, GNTMAP_host_map |
			     GNTMAP_readonly, NULL), GNTST_general_error);
	ck_assert_str_eq(frame(d1, HOLE), "rw copy");
	ck_assert_int_eq(unmap(d1, h, HOLE), GNTST_okay);
}
END_TEST

START_TEST(swap_entries)
{
	grant(d1, 8, GTF_permit_access, 2, 0x111);
	grant(d1, 9, GTF_permit_access | GTF_readonly, 3, 0x222);
	ck_assert_int_eq(gnttab_swap(d1, 8, 9), GNTST_okay);
	ck_assert_uint_eq(entry(d1, 8)->frame, 0x222);
	ck_assert_uint_eq(entry(d1, 9)->domid, 2);
	ck_assert_int_eq(gnttab_swap(d1, 8, 8), GNTST_okay);
	ck_assert_int_eq(gnttab_swap(d1, 8, 512), GNTST_bad_gntref);
	ck_assert_int_eq(gnttab_swap(d1, 512, 8), GNTST_bad_gntref);
	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	ck_assert_int_eq(map(d1, 1, 5, HOLE, GNTMAP_host_map, NULL), 0);
	ck_assert_int_eq(gnttab_swap(d1, 5, 8), GNTST_eagain);
	ck_assert_int_eq(gnttab_swap(d1, 8, 5), GNTST_eagain);
}
END_TEST

/* The mapper dies holding mappings: the granter's entries are freed. */
START_TEST(mapper_dies)
{
	grant(&dom2, 20, GTF_permit_access, 1, 3);
	grant(&dom2, 21, GTF_permit_access, 1, 4);
	ck_assert_int_eq(map(d1, 2, 20, HOLE, GNTMAP_host_map, NULL), 0);
	ck_assert_int_eq(map(d1, 2, 21, HOLE + 1, GNTMAP_host_map |
			     GNTMAP_readonly, NULL), 0);
	grant(d1, 5, GTF_permit_access, 1, OWN_GFN);
	ck_assert_int_eq(map(d1, 1, 5, HOLE + 2, GNTMAP_host_map, NULL), 0);
	ck_assert_uint_eq(page_at(&dom2, 3)->count, 2);
	/* Released while it can still be found (the reaper), then freed. */
	gnttab_release_mappings(d1);
	expect_idle(&dom2, 20, GTF_permit_access, 3);
	expect_idle(&dom2, 21, GTF_permit_access, 4);
	expect_idle(d1, 5, GTF_permit_access, OWN_GFN);
	sim_domains[0] = NULL;
	gnttab_domain_destroy(d1);
	ck_assert_ptr_null(d1->grant_table);
	ck_assert_uint_eq(page_at(&dom2, 3)->count, 1);
	ck_assert_uint_eq(dom2.refcnt, 1);
	ck_assert_uint_eq(d1->refcnt, 1);
}
END_TEST

/* The granter dies first: the page outlives it until unmapped. */
START_TEST(granter_dies)
{
	struct page_info *pg = page_at(&dom2, 3);
	unsigned long free0;
	grant_handle_t h;

	grant(&dom2, 20, GTF_permit_access, 1, 3);
	strcpy(frame(&dom2, 3), "still here");
	ck_assert_int_eq(map(d1, 2, 20, HOLE, GNTMAP_host_map, &h), 0);
	sim_domains[1] = NULL;
	gnttab_domain_destroy(&dom2);
	p2m_teardown(&dom2);
	domain_relinquish_frames(&dom2);
	ck_assert_uint_eq(pg->count, 1);
	ck_assert_ptr_null(pg->owner);
	ck_assert_uint_eq(pg->state, PGS_ALLOCATED);
	ck_assert_str_eq(frame(d1, HOLE), "still here");
	/* Its domain id comes back: the new table is left alone. */
	memset(&dom3, 0, sizeof(dom3));
	domain_setup(&dom3, 2);
	sim_domains[1] = &dom3;
	ck_assert_int_eq(map(d1, 2, 20, HOLE + 1, GNTMAP_host_map, NULL),
			 GNTST_general_error);
	gnttab_active_entry(dom3.grant_table, 20)->pin = 0x100;
	free0 = page_alloc_free_pages();
	ck_assert_int_eq(unmap(d1, h, HOLE), GNTST_okay);
	ck_assert_uint_eq(pins(&dom3, 20), 0x100);
	ck_assert_uint_eq(page_alloc_free_pages(), free0 + 1);
	gnttab_active_entry(dom3.grant_table, 20)->pin = 0;
	gnttab_domain_destroy(&dom3);
}
END_TEST

/* ---- the hypercall -------------------------------------------------- */

static long gnttab_op(struct vcpu *v, unsigned long cmd, uint64_t uop,
		      unsigned long count)
{
	unsigned long args[HYPERCALL_NR_ARGS] = { cmd, uop, count };

	return do_grant_table_op(v, args);
}

START_TEST(hypercall_filter_and_counts)
{
	static const unsigned long not_hvm[] = {
		GNTTABOP_dump_table, GNTTABOP_transfer,
		GNTTABOP_unmap_and_replace, GNTTABOP_get_status_frames,
		GNTTABOP_cache_flush, 13, 1 << 12 | GNTTABOP_copy,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(not_hvm); i++)
		ck_assert_int_eq(gnttab_op(v1, not_hvm[i], BUF, 1), -ENOSYS);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_copy, BUF, 0x80000000),
			 -EINVAL);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_map_grant_ref, BUF, ~0UL),
			 -EINVAL);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_copy, HVM_ENV_NOT_RAM, 0), 0);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_query_size, BUF, 2), -EINVAL);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_query_size, BUF, 0), -EINVAL);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_setup_table, BUF, 2), -EINVAL);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_query_size,
				   HVM_ENV_NOT_RAM, 1), -EFAULT);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_copy, HVM_ENV_NOT_RAM, 1),
			 -EFAULT);
	/* The upper half of the 64-bit registers is not looked at. */
	ck_assert_int_eq(gnttab_op(v1, 1UL << 32 | GNTTABOP_query_size,
				   BUF, 1UL << 32 | 1), 0);
	env.mode = INSN_MODE_32;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_query_size, BUF, 1), -ENOSYS);
}
END_TEST

START_TEST(hypercall_versions)
{
	struct gnttab_set_version *sv = hvm_env_gpa(BUF);
	struct gnttab_get_version *gv = hvm_env_gpa(BUF2);

	sv->version = 1;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_set_version, BUF, 0), 0);
	sv->version = 2;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_set_version, BUF, 1), -ENOSYS);
	ck_assert_uint_eq(sv->version, 1);
	sv->version = 0;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_set_version, BUF, 1), -EINVAL);
	ck_assert_uint_eq(sv->version, 1);
	sv->version = 3;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_set_version, BUF, 1), -EINVAL);
	*gv = (struct gnttab_get_version){ .dom = DOMID_SELF, .pad = 7,
					   .version = 9 };
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_get_version, BUF2, 1), 0);
	ck_assert_uint_eq(gv->version, 1);
	ck_assert_uint_eq(gv->pad, 7);
	gv->dom = 2;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_get_version, BUF2, 1), -EPERM);
	gv->dom = 99;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_get_version, BUF2, 1), -ESRCH);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_get_version,
				   HVM_ENV_NOT_RAM, 1), -EFAULT);
	ck_assert_uint_eq(dom2.refcnt, 1);
}
END_TEST

START_TEST(hypercall_setup_table)
{
	struct gnttab_setup_table *s = hvm_env_gpa(BUF);
	uint64_t *list = hvm_env_gpa(BUF2);

	ck_assert_int_eq(gnttab_add_to_physmap(d1, 1, HOLE), 0);
	*s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 2,
					  .status = 99 };
	set_xen_guest_handle(s->frame_list, (xen_pfn_t *)BUF2);
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_setup_table, BUF, 1), 0);
	ck_assert_int_eq(s->status, GNTST_okay);
	ck_assert_uint_eq(list[0], ~0ULL);
	ck_assert_uint_eq(list[1], HOLE);
	set_xen_guest_handle(s->frame_list,
			     (xen_pfn_t *)(HVM_ENV_NOT_RAM - 8));
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_setup_table, BUF, 1), 0);
	ck_assert_int_eq(s->status, GNTST_bad_virt_addr);
	s->nr_frames = 65;
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_setup_table, BUF, 1), 0);
	ck_assert_int_eq(s->status, GNTST_general_error);
}
END_TEST

/* A batch of copies, preempted after two: the guest sees all done. */
START_TEST(hypercall_batch_continues)
{
	struct gnttab_copy *ops = hvm_env_gpa(BUF);
	unsigned long args[HYPERCALL_NR_ARGS];
	unsigned int i, calls = 0;
	char *src = frame(d1, OWN_GFN), *dst = frame(&dom2, 4);

	grant(&dom2, 30, GTF_permit_access, 1, 4);
	for (i = 0; i < 5; i++) {
		ops[i] = (struct gnttab_copy){
			.source = { .u.gmfn = OWN_GFN, .domid = DOMID_SELF,
				    .offset = i * 8 },
			.dest = { .u.ref = 30, .domid = 2, .offset = i * 8 },
			.len = 8, .flags = GNTCOPY_dest_gref, .status = 99 };
		memcpy(src + i * 8, "abcdefg", 8);
		src[i * 8] = '0' + i;
	}
	ops[3].dest.u.ref = 600;		/* one fails on its own */
	args[0] = GNTTABOP_copy;
	args[1] = BUF;
	args[2] = 5;
	do {
		sim_preempt_in = 2;	/* after the second one each time */
		v1->hcall_continue = false;
		ck_assert_int_eq(do_grant_table_op(v1, args), 0);
		calls++;
	} while (v1->hcall_continue);
	ck_assert_uint_eq(calls, 3);
	ck_assert_uint_eq(args[1], BUF + 4 * sizeof(*ops));
	ck_assert_uint_eq(args[2], 1);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(ops[i].status, i == 3 ? GNTST_bad_gntref : 0);
	ck_assert_str_eq(dst + 16, "2bcdefg");
	ck_assert_uint_eq(dst[24], 0);
	ck_assert_str_eq(dst + 32, "4bcdefg");
	/* A batch stops where the array stops being readable. */
	sim_preempt_in = 0;
	ops[0].status = 99;
	memcpy(hvm_env_gpa(HVM_ENV_NOT_RAM - sizeof(*ops)), &ops[0],
	       sizeof(*ops));
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_copy,
				   HVM_ENV_NOT_RAM - sizeof(*ops), 1000),
			 -EFAULT);
	ck_assert_int_eq(((struct gnttab_copy *)hvm_env_gpa(
		HVM_ENV_NOT_RAM - sizeof(*ops)))->status, 0);
}
END_TEST

START_TEST(hypercall_map_unmap)
{
	struct gnttab_map_grant_ref *m = hvm_env_gpa(BUF);
	struct gnttab_unmap_grant_ref *u = hvm_env_gpa(BUF2);

	grant(&dom2, 20, GTF_permit_access, 1, 3);
	strcpy(frame(&dom2, 3), "mapped");
	m[0] = (struct gnttab_map_grant_ref){ .host_addr = HOLE << 12,
		.flags = GNTMAP_host_map, .ref = 20, .dom = 2 };
	m[1] = (struct gnttab_map_grant_ref){ .host_addr = (HOLE + 1) << 12,
		.flags = GNTMAP_host_map, .ref = 20, .dom = 99,
		.handle = 0x1234 };
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_map_grant_ref, BUF, 2), 0);
	ck_assert_int_eq(m[0].status, GNTST_okay);
	ck_assert_uint_eq(m[0].dev_bus_addr,
			  (uint64_t)p2m_lookup(&dom2, 3, NULL, NULL) << 12);
	ck_assert_int_eq(m[1].status, GNTST_bad_domain);
	ck_assert_uint_eq(m[1].handle, 0x1234);
	ck_assert_str_eq(frame(d1, HOLE), "mapped");
	u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = HOLE << 12,
		.handle = m[0].handle, .status = 99 };
	u[1] = u[0];
	ck_assert_int_eq(gnttab_op(v1, GNTTABOP_unmap_grant_ref, BUF2, 2), 0);
	ck_assert_int_eq(u[0].status, GNTST_okay);
	ck_assert_int_eq(u[1].status, GNTST_bad_handle);
	expect_idle(&dom2, 20, GTF_permit_access, 3);
}
END_TEST

SUITE(grant_table)
{
	Suite *s = suite_create("grant_table");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, query_and_setup);
	tcase_add_test(tc, frames_in_the_physmap);
	tcase_add_test(tc, add_to_physmap_hypercall);
	tcase_add_test(tc, map_state_machine);
	tcase_add_test(tc, map_errors);
	tcase_add_test(tc, map_over_ram_frees_it);
	tcase_add_test(tc, pin_count_limit);
	tcase_add_test(tc, maptrack_runs_out);
	tcase_add_test(tc, cross_domain_map);
	tcase_add_test(tc, copy_both_ways);
	tcase_add_test(tc, copy_errors_in_order);
	tcase_add_test(tc, copy_while_mapped);
	tcase_add_test(tc, swap_entries);
	tcase_add_test(tc, mapper_dies);
	tcase_add_test(tc, granter_dies);
	tcase_add_test(tc, hypercall_filter_and_counts);
	tcase_add_test(tc, hypercall_versions);
	tcase_add_test(tc, hypercall_setup_table);
	tcase_add_test(tc, hypercall_batch_continues);
	tcase_add_test(tc, hypercall_map_unmap);
	suite_add_tcase(s, tc);
	return s;
}
