// SPDX-License-Identifier: GPL-2.0
/*
 * gnttab: grant tables v1 (grant_table_op, and memory_op's
 * add_to_physmap of grant frames), run three ways:
 *
 * - alone (the default): query_size, versions, the table's frames at a
 *   high guest-physical hole, pages granted to itself (domid=N gives its
 *   own id, default 0), mapped into holes, read and written through the
 *   mappings, copied both ways, and every bad input: status codes per
 *   operation, oversized counts, bad pointers, the sub-ops HVM guests
 *   may not use;
 * - role=granter and role=mapper, two domains (peer=N names the other):
 *   the granter grants pages, the mapper maps, copies and checks what
 *   it may not do, then dies with a mapping still held; the granter
 *   sees its entries released;
 * - role=doomed and role=survivor: the survivor maps a page of the
 *   doomed domain, which then dies; the page stays readable until the
 *   survivor unmaps it.
 *
 * The only channel between two domains is the grants themselves: the
 * mapper retries its first map until the granter has made the grant,
 * the granter polls a granted page for the mapper's marker, and either
 * sees the other gone when query_size on it turns from "permission
 * denied" to "bad domain".
 */
#include "guest.h"
#include <xen/grant_table.h>
#include <xen/memory.h>

#define HIGH		0x1000000000ULL		/* 64 GiB: a hole */
#define HIGH_GFN	(HIGH >> 12)
#define FRAME_GFN	HIGH_GFN		/* grant frames from here */
#define MAP_GFN(n)	(HIGH_GFN + 0x40 + (n))	/* grant mappings */
#define HOLE_GFN	(HIGH_GFN + 0x100)	/* never mapped */
#define GFN_PTR(g)	((void *)((uint64_t)(g) << 12))
#define NO_DOMAIN	0x7000			/* no such domain */
#define UNMAPPED	((void *)0x400000000000ULL)	/* no page table */
#define WAIT_YIELDS	200000

static uint8_t pages[8][4096] __attribute__((aligned(4096)));
static struct grant_entry_v1 *table;	/* frame 0, once mapped */
static domid_t self;

static unsigned long gfn_of(const void *p)
{
	return (uint64_t)p >> 12;
}

static long gnttab_op(unsigned int cmd, void *uop, unsigned long count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd,
			  (unsigned long)uop, count);
}

static long add_frame(unsigned long idx, unsigned long gfn)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = idx, .gpfn = gfn,
	};

	return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			  (unsigned long)&x);
}

/* Map frame 0 of the table at FRAME_GFN (and the high 2 MiB). */
static void table_setup(void)
{
	if (table)
		return;
	CHECK_EQ(map_2m(HIGH, HIGH), 0);
	CHECK_EQ(add_frame(0, FRAME_GFN), 0);
	table = GFN_PTR(FRAME_GFN);
}

/* What a guest does to grant: the frame and domain, then the flags. */
static void grant(grant_ref_t ref, domid_t to, const void *page,
		  uint16_t flags)
{
	table[ref].domid = to;
	table[ref].frame = gfn_of(page);
	__atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}

static uint16_t flags_of(grant_ref_t ref)
{
	return __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
}

static int16_t map(domid_t dom, grant_ref_t ref, unsigned long gfn,
		   uint32_t flags, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)gfn << 12, .flags = flags,
		.ref = ref, .dom = dom, .status = 99,
	};
	long rc = gnttab_op(GNTTABOP_map_grant_ref, &op, 1);

	if (rc)
		return 1000 + rc;	/* shows as neither a status nor 0 */
	if (handle)
		*handle = op.handle;
	return op.status;
}

static int16_t unmap(grant_handle_t handle, unsigned long gfn)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (uint64_t)gfn << 12, .handle = handle,
		.status = 99,
	};
	long rc = gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? 1000 + rc : op.status;
}

/* One copy; a reference or a frame (of our own) on each side. */
static int16_t copy(uint16_t flags, domid_t sdom, uint64_t src,
		    uint16_t soff, domid_t ddom, uint64_t dst, uint16_t doff,
		    uint16_t len)
{
	struct gnttab_copy op = {
		.source = { .domid = sdom, .offset = soff },
		.dest = { .domid = ddom, .offset = doff },
		.len = len, .flags = flags, .status = 99,
	};
	long rc;

	if (flags & GNTCOPY_source_gref)
		op.source.u.ref = src;
	else
		op.source.u.gmfn = src;
	if (flags & GNTCOPY_dest_gref)
		op.dest.u.ref = dst;
	else
		op.dest.u.gmfn = dst;
	rc = gnttab_op(GNTTABOP_copy, &op, 1);
	return rc ? 1000 + rc : op.status;
}

static int16_t query_size(domid_t dom, struct gnttab_query_size *q)
{
	q->dom = dom;
	q->status = 99;
	if (gnttab_op(GNTTABOP_query_size, q, 1))
		return 1000;
	return q->status;
}

/* ---- alone ---------------------------------------------------------- */

static void test_query_size(void)
{
	struct gnttab_query_size q;

	CHECK_EQ(query_size(DOMID_SELF, &q), GNTST_okay);
	CHECK_EQ(q.nr_frames, 1);
	CHECK_EQ(q.max_nr_frames, 64);
	CHECK_EQ(query_size(self, &q), GNTST_okay);
	CHECK_EQ(query_size(NO_DOMAIN, &q), GNTST_bad_domain);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, &q, 0), -XEN_EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, UNMAPPED, 1), -XEN_EFAULT);
}

static void test_version(void)
{
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };

	CHECK_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), 0);
	CHECK_EQ(gv.version, 1);
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), 0);
	CHECK_EQ(sv.version, 1);
	sv.version = 2;		/* v1 only (Xen: gnttab=max-ver:1) */
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS);
	CHECK_EQ(sv.version, 1);
	sv.version = 0;
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
	sv.version = 3;
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
	CHECK_EQ(sv.version, 1);
	gv.dom = NO_DOMAIN;
	CHECK_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH);
	CHECK_EQ(gnttab_op(GNTTABOP_set_version, UNMAPPED, 1), -XEN_EFAULT);
}

static void test_frames(void)
{
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3 };
	struct gnttab_query_size q;
	uint64_t list[3] = { 1, 2, 3 };
	struct grant_entry_v1 *moved;

	table_setup();
	CHECK_EQ(add_frame(1, FRAME_GFN + 1), 0);
	CHECK_EQ(query_size(DOMID_SELF, &q), GNTST_okay);
	CHECK_EQ(q.nr_frames, 2);
	/* Frame 1 holds refs 512-1023; it moves, its contents with it. */
	table[600].frame = 0x600;
	CHECK_EQ(add_frame(1, FRAME_GFN + 2), 0);
	moved = GFN_PTR(FRAME_GFN + 2);
	CHECK_EQ(moved[600 - 512].frame, 0x600);
	set_xen_guest_handle(st.frame_list, list);
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	CHECK_EQ(st.status, GNTST_okay);
	CHECK_EQ(list[0], FRAME_GFN);
	CHECK_EQ(list[1], FRAME_GFN + 2);
	CHECK_EQ(list[2], ~0UL);	/* grown, not mapped */
	CHECK_EQ(query_size(DOMID_SELF, &q), GNTST_okay);
	CHECK_EQ(q.nr_frames, 3);
	st.nr_frames = 65;
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	CHECK_EQ(st.status, GNTST_general_error);
	st.nr_frames = 1;
	set_xen_guest_handle(st.frame_list, (uint64_t *)UNMAPPED);
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	CHECK_EQ(st.status, GNTST_bad_virt_addr);
	st.dom = NO_DOMAIN;
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	CHECK_EQ(st.status, GNTST_bad_domain);
	CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
	CHECK_EQ(add_frame(64, FRAME_GFN + 3), -XEN_EINVAL);
	CHECK_EQ(add_frame(XENMAPIDX_grant_table_status, FRAME_GFN + 3),
		 -XEN_EINVAL);
}

/* Pages granted to ourselves, mapped at holes and used. */
static void test_map_self(void)
{
	uint8_t *page = pages[0];
	volatile uint32_t *rw = GFN_PTR(MAP_GFN(0));
	volatile uint32_t *ro = GFN_PTR(MAP_GFN(1));
	grant_handle_t h_rw = 0, h_ro = 0;

	table_setup();
	grant(10, self, page, GTF_permit_access);
	CHECK_EQ(map(self, 10, MAP_GFN(0), GNTMAP_host_map, &h_rw),
		 GNTST_okay);
	CHECK_EQ(flags_of(10), GTF_permit_access | GTF_reading | GTF_writing);
	rw[5] = 0x600df00d;
	CHECK_EQ(((uint32_t *)page)[5], 0x600df00d);
	CHECK_EQ(map(self, 10, MAP_GFN(1), GNTMAP_host_map | GNTMAP_readonly,
		     &h_ro), GNTST_okay);
	CHECK(h_ro != h_rw);
	CHECK_EQ(ro[5], 0x600df00d);
	CHECK_EQ(unmap(h_rw, MAP_GFN(0)), GNTST_okay);
	CHECK_EQ(flags_of(10), GTF_permit_access | GTF_reading);
	CHECK_EQ(unmap(h_rw, MAP_GFN(0)), GNTST_bad_handle);
	CHECK_EQ(unmap(h_ro, MAP_GFN(0)), GNTST_general_error);
	CHECK_EQ(unmap(h_ro, MAP_GFN(1)), GNTST_okay);
	CHECK_EQ(flags_of(10), GTF_permit_access);
	/* The frame is ours again: end the grant as Linux does. */
	CHECK_EQ(__sync_val_compare_and_swap(&table[10].flags,
					     GTF_permit_access, 0),
		 GTF_permit_access);
}

static void test_map_errors(void)
{
	table_setup();
	grant(10, self, pages[0], GTF_permit_access);
	grant(11, self, pages[1], GTF_permit_access | GTF_readonly);
	grant(12, NO_DOMAIN, pages[2], GTF_permit_access);
	grant(13, self, GFN_PTR(HOLE_GFN), GTF_permit_access);
	CHECK_EQ(map(self, 10, MAP_GFN(0), 0, NULL), GNTST_bad_gntref);
	CHECK_EQ(map(self, 10, MAP_GFN(0), GNTMAP_device_map, NULL),
		 GNTST_general_error);
	CHECK_EQ(map(self, 10, MAP_GFN(0), GNTMAP_host_map |
		     GNTMAP_contains_pte, NULL), GNTST_general_error);
	CHECK_EQ(map(NO_DOMAIN, 10, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_bad_domain);
	CHECK_EQ(map(DOMID_SELF, 10, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_bad_domain);
	CHECK_EQ(map(self, 100000, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_bad_gntref);
	CHECK_EQ(map(self, 9, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_general_error);		/* never granted */
	CHECK_EQ(map(self, 11, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_general_error);		/* read-only grant */
	CHECK_EQ(map(self, 12, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_general_error);		/* granted to no one */
	CHECK_EQ(map(self, 13, MAP_GFN(0), GNTMAP_host_map, NULL),
		 GNTST_bad_page);		/* no RAM there */
	CHECK_EQ(unmap(0x7fffffff, MAP_GFN(0)), GNTST_bad_handle);
	/* Nothing was left pinned. */
	CHECK_EQ(flags_of(10), GTF_permit_access);
	CHECK_EQ(flags_of(11), GTF_permit_access | GTF_readonly);
	CHECK_EQ(flags_of(13), GTF_permit_access);
	grant(11, self, pages[1], 0);
	grant(12, self, pages[2], 0);
	grant(13, self, pages[3], 0);
}

static void test_copy(void)
{
	char *a = (char *)pages[4], *b = (char *)pages[5];

	table_setup();
	grant(20, self, b, GTF_permit_access);
	grant(21, self, a, GTF_permit_access | GTF_readonly);
	grant(22, NO_DOMAIN, b, GTF_permit_access);
	memcpy(a, "copied by the hypervisor", 25);
	/* Frame to grant, grant to frame, grant to grant. */
	CHECK_EQ(copy(GNTCOPY_dest_gref, DOMID_SELF, gfn_of(a), 0,
		      self, 20, 100, 25), GNTST_okay);
	CHECK_EQ(memcmp(b + 100, a, 25), 0);
	CHECK_EQ(copy(GNTCOPY_source_gref, self, 20, 100,
		      DOMID_SELF, gfn_of(a), 2000, 25), GNTST_okay);
	CHECK_EQ(memcmp(a + 2000, a, 25), 0);
	CHECK_EQ(copy(GNTCOPY_source_gref | GNTCOPY_dest_gref, self, 21, 0,
		      DOMID_SELF, 20, 3000, 25), GNTST_okay);
	CHECK_EQ(memcmp(b + 3000, a, 25), 0);
	CHECK_EQ(copy(GNTCOPY_source_gref, self, 20, 0, DOMID_SELF,
		      gfn_of(a), 0, 4096), GNTST_okay);
	/* Into a read-only grant: never. */
	CHECK_EQ(copy(GNTCOPY_dest_gref, DOMID_SELF, gfn_of(b), 0,
		      self, 21, 0, 8), GNTST_general_error);
	CHECK_EQ(flags_of(20), GTF_permit_access);
	CHECK_EQ(flags_of(21), GTF_permit_access | GTF_readonly);
	/* Bad input, each with its own status. */
	CHECK_EQ(copy(0, self, gfn_of(a), 0, DOMID_SELF, gfn_of(b), 0, 8),
		 GNTST_permission_denied);	/* frames: DOMID_SELF only */
	CHECK_EQ(copy(GNTCOPY_source_gref, NO_DOMAIN, 20, 0, DOMID_SELF,
		      gfn_of(b), 0, 8), GNTST_bad_domain);
	CHECK_EQ(copy(GNTCOPY_source_gref, self, 100000, 0, DOMID_SELF,
		      gfn_of(b), 0, 8), GNTST_bad_gntref);
	CHECK_EQ(copy(GNTCOPY_source_gref, self, 22, 0, DOMID_SELF,
		      gfn_of(b), 0, 8), GNTST_general_error);
	CHECK_EQ(copy(0, DOMID_SELF, HOLE_GFN, 0, DOMID_SELF, gfn_of(b), 0,
		      8), GNTST_bad_page);
	CHECK_EQ(copy(GNTCOPY_source_gref, self, 20, 4000, DOMID_SELF,
		      gfn_of(b), 0, 200), GNTST_bad_copy_arg);
	CHECK_EQ(copy(GNTCOPY_dest_gref, DOMID_SELF, gfn_of(a), 0, self, 20,
		      4095, 2), GNTST_bad_copy_arg);
	grant(21, self, a, 0);
	grant(22, self, b, 0);
}

/* Several operations in one call, and calls that fail as a whole. */
static void test_batches(void)
{
	static const unsigned int not_hvm[] = {
		GNTTABOP_dump_table, GNTTABOP_transfer,
		GNTTABOP_unmap_and_replace, GNTTABOP_get_status_frames,
		GNTTABOP_cache_flush, 13, 1 << 12 | GNTTABOP_query_size,
	};
	static struct gnttab_copy ops[600];
	struct gnttab_map_grant_ref m[2] = {
		{ .host_addr = MAP_GFN(2) << 12, .flags = GNTMAP_host_map,
		  .ref = 20, .dom = self },
		{ .host_addr = MAP_GFN(3) << 12, .flags = GNTMAP_host_map,
		  .ref = 20, .dom = NO_DOMAIN },
	};
	struct gnttab_unmap_grant_ref u[2];
	uint64_t *b = (uint64_t *)pages[5];
	unsigned int i, bad = 0;

	table_setup();
	grant(20, self, b, GTF_permit_access);
	for (i = 0; i < ARRAY_SIZE(not_hvm); i++)
		CHECK_EQ(gnttab_op(not_hvm[i], ops, 1), -XEN_ENOSYS);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, ops, 0x80000000UL), -XEN_EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, m, 0xffffffffUL),
		 -XEN_EINVAL);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, UNMAPPED, 0), 0);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, UNMAPPED, 1), -XEN_EFAULT);
	/* One map of two fails; one unmap of two fails. */
	CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, m, 2), 0);
	CHECK_EQ(m[0].status, GNTST_okay);
	CHECK_EQ(m[1].status, GNTST_bad_domain);
	u[0] = (struct gnttab_unmap_grant_ref){
		.host_addr = MAP_GFN(2) << 12, .handle = m[0].handle };
	u[1] = u[0];
	CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, u, 2), 0);
	CHECK_EQ(u[0].status, GNTST_okay);
	CHECK_EQ(u[1].status, GNTST_bad_handle);
	/* 600 copies of 8 bytes (long enough to be preempted). */
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		ops[i] = (struct gnttab_copy){
			.source = { .u.gmfn = gfn_of(&ops[i]),
				    .domid = DOMID_SELF,
				    .offset = (uint64_t)&ops[i] & 4095 },
			.dest = { .u.ref = 20, .domid = self,
				  .offset = (i % 512) * 8 },
			.len = 8, .flags = GNTCOPY_dest_gref, .status = 99 };
	CHECK_EQ(gnttab_op(GNTTABOP_copy, ops, ARRAY_SIZE(ops)), 0);
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		bad += ops[i].status != GNTST_okay;
	CHECK_EQ(bad, 0);
	CHECK_EQ(b[599 % 512], *(uint64_t *)&ops[599]);
	/* swap_grant_ref */
	{
		struct gnttab_swap_grant_ref sw[2] = {
			{ .ref_a = 30, .ref_b = 31 },
			{ .ref_a = 30, .ref_b = 100000 },
		};

		grant(30, NO_DOMAIN, pages[6], GTF_permit_access);
		grant(31, self, pages[7], GTF_permit_access | GTF_readonly);
		CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, sw, 2), 0);
		CHECK_EQ(sw[0].status, GNTST_okay);
		CHECK_EQ(sw[1].status, GNTST_bad_gntref);
		CHECK_EQ(table[30].domid, self);
		CHECK_EQ(table[31].frame, gfn_of(pages[6]));
		grant(30, self, pages[6], 0);
		grant(31, self, pages[7], 0);
	}
}

/* A batch that runs off the end of readable memory: the ones before
 * are done, then -EFAULT. The last structure of a 2 MiB buffer, seen
 * through an alias with nothing mapped after it. */
static void test_batch_fault(void)
{
	static uint8_t buf[PAGE_SIZE_2M] __attribute__((aligned(PAGE_SIZE_2M)));
	struct gnttab_unmap_grant_ref *last = (void *)
		((uint64_t)UNMAPPED + PAGE_SIZE_2M - sizeof(*last));

	CHECK_EQ(map_2m((uint64_t)UNMAPPED, (uint64_t)buf), 0);
	last->handle = 0x7fffffff;
	last->status = 99;
	CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, last, 1000),
		 -XEN_EFAULT);
	CHECK_EQ(last->status, GNTST_bad_handle);
	unmap_2m((uint64_t)UNMAPPED);
}

static const struct test alone[] = {
	TEST(query_size), TEST(version), TEST(frames), TEST(map_self),
	TEST(map_errors), TEST(copy), TEST(batches), TEST(batch_fault),
};

/* ---- two domains ------------------------------------------------------ */

static domid_t peer;

/* Until the other domain is gone: query_size on another domain is
 * refused while it exists, then it is a bad domain. */
static bool wait_peer_gone(void)
{
	struct gnttab_query_size q;
	unsigned int i;

	for (i = 0; i < WAIT_YIELDS; i++) {
		if (query_size(peer, &q) == GNTST_bad_domain)
			return true;
		sched_yield();
	}
	return false;
}

/* Retry until the other side has granted ref (a map of it succeeds). */
static int16_t map_when_granted(grant_ref_t ref, unsigned long gfn,
				uint32_t flags, grant_handle_t *h)
{
	int16_t rc = GNTST_general_error;
	unsigned int i;

	for (i = 0; i < WAIT_YIELDS && rc == GNTST_general_error; i++) {
		rc = map(peer, ref, gfn, flags, h);
		if (rc == GNTST_general_error)
			sched_yield();
	}
	return rc;
}

static const char page_text[] = "granted by the granter";
static const char ro_text[] = "read-only page";
static const char marker[] = "mapper: done";

/* Grants 10 (read-write), 11 (read-only), 12 (to no one), 13 (kept
 * mapped by the mapper when it dies). */
static void granter(void)
{
	char *p1 = (char *)pages[0], *p4 = (char *)pages[3];
	unsigned int i;

	table_setup();
	memcpy(p1, page_text, sizeof(page_text));
	memcpy(pages[1], ro_text, sizeof(ro_text));
	grant(10, peer, p1, GTF_permit_access);
	grant(11, peer, pages[1], GTF_permit_access | GTF_readonly);
	grant(12, NO_DOMAIN, pages[2], GTF_permit_access);
	grant(13, peer, p4, GTF_permit_access);
	printf("granter: refs 10-13 granted to d%u\n", peer);
	for (i = 0; i < WAIT_YIELDS; i++) {
		if (!memcmp((const char *)p4 + 2048, marker, sizeof(marker)))
			break;
		sched_yield();
	}
	CHECK_EQ(memcmp(p4 + 2048, marker, sizeof(marker)), 0);
	CHECK_EQ(memcmp(p1 + 2048, "copied in", 10), 0);
	CHECK_EQ(flags_of(10), GTF_permit_access);
	CHECK_EQ(flags_of(11), GTF_permit_access | GTF_readonly);
	CHECK_EQ(flags_of(12), GTF_permit_access);
	/* (Ref 13 is mapped until the mapper is gone, or already not.) */
	CHECK(wait_peer_gone());
	printf("granter: d%u is gone\n", peer);
	/* Its mapping went with it, before it could no longer be found. */
	CHECK_EQ(flags_of(13), GTF_permit_access);
	CHECK_EQ(memcmp(p4, "written by the mapper", 22), 0);
	CHECK_EQ(__sync_val_compare_and_swap(&table[13].flags,
					     GTF_permit_access, 0),
		 GTF_permit_access);
}

static void mapper(void)
{
	char *local = (char *)pages[0];
	char *m10 = GFN_PTR(MAP_GFN(0)), *m11 = GFN_PTR(MAP_GFN(1));
	char *m13 = GFN_PTR(MAP_GFN(3));
	grant_handle_t h10 = 0, h11 = 0, h13 = 0;

	CHECK_EQ(map_2m(HIGH, HIGH), 0);
	CHECK_EQ(map_when_granted(10, MAP_GFN(0), GNTMAP_host_map, &h10),
		 GNTST_okay);
	printf("mapper: d%u's ref 10 mapped\n", peer);
	CHECK_EQ(memcmp(m10, page_text, sizeof(page_text)), 0);
	/* Copies both ways. */
	CHECK_EQ(copy(GNTCOPY_source_gref, peer, 10, 0, DOMID_SELF,
		      gfn_of(local), 0, sizeof(page_text)), GNTST_okay);
	CHECK_EQ(memcmp(local, page_text, sizeof(page_text)), 0);
	memcpy(local + 100, "copied in", 10);
	CHECK_EQ(copy(GNTCOPY_dest_gref, DOMID_SELF, gfn_of(local), 100,
		      peer, 10, 2048, 10), GNTST_okay);
	CHECK_EQ(memcmp(m10 + 2048, "copied in", 10), 0);
	/* The read-only grant: read, never written. */
	CHECK_EQ(copy(GNTCOPY_dest_gref, DOMID_SELF, gfn_of(local), 0,
		      peer, 11, 0, 8), GNTST_general_error);
	CHECK_EQ(copy(GNTCOPY_source_gref, peer, 11, 0, DOMID_SELF,
		      gfn_of(local), 0, sizeof(ro_text)), GNTST_okay);
	CHECK_EQ(memcmp(local, ro_text, sizeof(ro_text)), 0);
	CHECK_EQ(map(peer, 11, MAP_GFN(1), GNTMAP_host_map, NULL),
		 GNTST_general_error);
	CHECK_EQ(map(peer, 11, MAP_GFN(1), GNTMAP_host_map |
		     GNTMAP_readonly, &h11), GNTST_okay);
	CHECK_EQ(memcmp(m11, ro_text, sizeof(ro_text)), 0);
	CHECK_EQ(unmap(h11, MAP_GFN(1)), GNTST_okay);
	/* Granted to no one, a wrong domain, a wrong reference. */
	CHECK_EQ(map(peer, 12, MAP_GFN(2), GNTMAP_host_map, NULL),
		 GNTST_general_error);
	CHECK_EQ(copy(GNTCOPY_source_gref, peer, 12, 0, DOMID_SELF,
		      gfn_of(local), 0, 8), GNTST_general_error);
	CHECK_EQ(map(NO_DOMAIN, 10, MAP_GFN(2), GNTMAP_host_map, NULL),
		 GNTST_bad_domain);
	CHECK_EQ(map(self, 10, MAP_GFN(2), GNTMAP_host_map, NULL),
		 GNTST_general_error);	/* our own table has no ref 10 */
	CHECK_EQ(map(peer, 100000, MAP_GFN(2), GNTMAP_host_map, NULL),
		 GNTST_bad_gntref);
	/* A copy needs no mapping. */
	CHECK_EQ(copy(GNTCOPY_source_gref, peer, 13, 0, DOMID_SELF,
		      gfn_of(local), 0, 8), GNTST_okay);
	/* Ref 13 stays mapped when we die. */
	CHECK_EQ(map(peer, 13, MAP_GFN(3), GNTMAP_host_map, &h13),
		 GNTST_okay);
	memcpy(m13, "written by the mapper", 22);
	CHECK_EQ(unmap(h10, MAP_GFN(0)), GNTST_okay);
	CHECK_EQ(unmap(h10, MAP_GFN(0)), GNTST_bad_handle);
	memcpy(m13 + 2048, marker, sizeof(marker));
	printf("mapper: leaving with d%u's ref 13 mapped\n", peer);
}

/* Grants a page, waits until it is mapped, dies. */
static void doomed(void)
{
	unsigned int i;

	table_setup();
	memcpy(pages[0], "outlives its owner", 19);
	grant(10, peer, pages[0], GTF_permit_access);
	for (i = 0; i < WAIT_YIELDS && !(flags_of(10) & GTF_reading); i++)
		sched_yield();
	CHECK_EQ(flags_of(10), GTF_permit_access | GTF_reading |
		 GTF_writing);
	printf("doomed: mapped by d%u, leaving\n", peer);
}

static void survivor(void)
{
	char *m = GFN_PTR(MAP_GFN(0));
	grant_handle_t h = 0;

	CHECK_EQ(map_2m(HIGH, HIGH), 0);
	CHECK_EQ(map_when_granted(10, MAP_GFN(0), GNTMAP_host_map, &h),
		 GNTST_okay);
	CHECK(wait_peer_gone());
	printf("survivor: d%u is gone, its page still mapped\n", peer);
	CHECK_EQ(memcmp(m, "outlives its owner", 19), 0);
	memcpy(m, "still writable", 15);
	CHECK_EQ(memcmp(m, "still writable", 15), 0);
	CHECK_EQ(copy(GNTCOPY_source_gref, peer, 10, 0, DOMID_SELF,
		      gfn_of(pages[0]), 0, 8), GNTST_bad_domain);
	CHECK_EQ(map(peer, 10, MAP_GFN(1), GNTMAP_host_map, NULL),
		 GNTST_bad_domain);
	CHECK_EQ(unmap(h, MAP_GFN(0)), GNTST_okay);
	CHECK_EQ(unmap(h, MAP_GFN(0)), GNTST_bad_handle);
}

void guest_main(void)
{
	static const struct { const char *name; void (*fn)(void); } roles[] = {
		{ "granter", granter }, { "mapper", mapper },
		{ "doomed", doomed }, { "survivor", survivor },
	};
	char role[16];
	unsigned int i;

	self = cmdline_num("domid", 0);
	peer = cmdline_num("peer", 0);
	if (!cmdline_arg("role", role, sizeof(role))) {
		RUN_TESTS(alone);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		if (!strcmp(role, roles[i].name)) {
			roles[i].fn();
			return;
		}
	CHECK(!"role= is granter, mapper, doomed or survivor");
}
