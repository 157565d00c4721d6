// SPDX-License-Identifier: GPL-2.0
/*
 * gntbench: what a 4 KiB grant copy costs, in TSC cycles: the median of
 * 5 runs of 1000 GNTTABOP_copy calls (calls=N), each copying a page of
 * our own into a page we granted to ourselves (the copy netback makes
 * for every packet, here without a second domain). domid=N is our own
 * id (default 0). Then the same, one call copying 16 pages, per page.
 */
#include "bench.h"
#include "guest.h"
#include <xen/grant_table.h>
#include <xen/memory.h>

#define BATCH		16
#define FRAME_GFN	(0x1000000000ULL >> 12)	/* 64 GiB: a hole */

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static struct gnttab_copy ops[BATCH];
static long calls = 1000;

static long copy_batch(unsigned int n)
{
	return hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy,
			  (unsigned long)ops, n);
}

static uint64_t cycles_per_page(const void *arg)
{
	unsigned int n = *(const unsigned int *)arg;
	uint64_t t0 = rdtsc();
	long i;

	for (i = 0; i < calls; i++)
		if (copy_batch(n) || ops[0].status) {
			printf("gntbench: copy failed: status %d\n",
			       ops[0].status);
			return 0;
		}
	return (rdtsc() - t0) / calls / n;
}

static void measure(const char *what, unsigned int n)
{
	char list[BENCH_LIST_LEN];
	uint64_t median = bench_median(cycles_per_page, &n, list);

	printf("gntbench: %s: median %lu cycles per 4 KiB copy (runs:%s)\n",
	       what, median, list);
}

void guest_main(void)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = 0, .gpfn = FRAME_GFN,
	};
	struct grant_entry_v1 *table = (void *)(FRAME_GFN << 12);
	domid_t self = cmdline_num("domid", 0);
	unsigned int i;

	calls = cmdline_num("calls", calls);
	if (calls < 1)
		calls = 1;
	if (map_2m(FRAME_GFN << 12, FRAME_GFN << 12) ||
	    hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
		       (unsigned long)&x)) {
		printf("gntbench: no grant table frame\n");
		return;
	}
	table[8].domid = self;
	table[8].frame = (uint64_t)dst >> 12;
	__atomic_store_n(&table[8].flags, GTF_permit_access, __ATOMIC_RELEASE);
	memset(src, 0x5a, sizeof(src));
	for (i = 0; i < BATCH; i++)
		ops[i] = (struct gnttab_copy){
			.source = { .u.gmfn = (uint64_t)src >> 12,
				    .domid = DOMID_SELF },
			.dest = { .u.ref = 8, .domid = self },
			.len = 4096, .flags = GNTCOPY_dest_gref };
	measure("1 page per call", 1);
	CHECK_EQ(memcmp(src, dst, sizeof(src)), 0);
	measure("16 pages per call", BATCH);
}
