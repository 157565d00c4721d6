// SPDX-License-Identifier: GPL-2.0
/*
 * memory: memory_op, hvm_op parameters and vcpu_op register_vcpu_info,
 * with their bad inputs; and platform_op, which refuses what it lacks. The program's own page-aligned buffers stand in
 * for the RAM pages it gives back, moves and gets again; HOLE_GFN, in the
 * hole below 4 GiB, is where new pages appear.
 */
#include "guest.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/platform.h>
#include <xen/vcpu.h>

#define HOLE_GFN	0xf0000UL	/* 3.75 GiB: no RAM there */
#define PFN(p)		((unsigned long)(uintptr_t)(p) >> 12)
/* Xen's: a continuation's progress, above the command (memory_op). */
#define MEMOP_EXTENT_SHIFT	6

static uint8_t pages[8][4096] __attribute__((aligned(4096)));

static long reservation_op(unsigned int cmd, xen_pfn_t *gfns,
			   unsigned long nr, unsigned int order)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, gfns);
	return memory_op(cmd, &r);
}

static long current_pages(void)
{
	domid_t self = DOMID_SELF;

	return memory_op(XENMEM_current_reservation, &self);
}

static long mem_type(unsigned long gfn)
{
	struct xen_hvm_get_mem_type t = { .domid = DOMID_SELF, .pfn = gfn };
	long rc = hvm_op(HVMOP_get_mem_type, &t);

	return rc ? rc : t.mem_type;
}

static void test_memory_map(void)
{
	struct __attribute__((packed)) {
		uint64_t addr, size;
		uint32_t type;
	} map[128];
	struct xen_memory_map m = { .nr_entries = 128 };
	const struct hvm_memmap_table_entry *want =
		(const void *)(uintptr_t)start_info->memmap_paddr;
	unsigned int i, same = 0;

	set_xen_guest_handle(m.buffer, map);
	CHECK_EQ(memory_op(XENMEM_memory_map, &m), 0);
	CHECK(m.nr_entries > 0);
	if (start_info->version < 1) {
		/* Xen's PVH dom0: a version 0 start info, no map in it. */
		skip("m.nr_entries == start_info->memmap_entries",
		     "start info version 0");
		skip("same == start_info->memmap_entries",
		     "start info version 0");
	} else {
		CHECK_EQ(m.nr_entries, start_info->memmap_entries);
		for (i = 0; i < m.nr_entries; i++)
			same += map[i].addr == want[i].addr &&
				map[i].size == want[i].size &&
				map[i].type == want[i].type;
		CHECK_EQ(same, start_info->memmap_entries);
	}
	m.nr_entries = 1;
	CHECK_EQ(memory_op(XENMEM_memory_map, &m), 0);
	CHECK_EQ(m.nr_entries, 1);
	m.nr_entries = 128;
	set_xen_guest_handle(m.buffer, (void *)0x7ff000000000UL);
	CHECK_EQ(memory_op(XENMEM_memory_map, &m), -XEN_EFAULT);
	CHECK_EQ(memory_op(XENMEM_memory_map, (void *)0x7ff000000000UL),
		 -XEN_EFAULT);
}

static void test_reservation_sizes(void)
{
	domid_t self = DOMID_SELF, nobody = 12345;
	long cur = current_pages();

	CHECK(cur > 0);
	CHECK_EQ(memory_op(XENMEM_maximum_reservation, &self), cur);
	CHECK_EQ(memory_op(XENMEM_current_reservation, &nobody), -XEN_ESRCH);
	CHECK_EQ(memory_op(XENMEM_current_reservation,
			   (void *)0x7ff000000000UL), -XEN_EFAULT);
	CHECK_EQ(memory_op(63, &self), -XEN_ENOSYS);
}

static void test_decrease_populate(void)
{
	long before = current_pages();
	xen_pfn_t gfn = PFN(pages[1]), two[2] = { PFN(pages[2]),
						  PFN(pages[3]) };

	pages[1][0] = 0x5a;
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, &gfn, 1, 0), 1);
	CHECK_EQ(current_pages(), before - 1);
	CHECK_EQ(mem_type(gfn), HVMMEM_mmio_dm);
	/* Already gone: nothing done. */
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, &gfn, 1, 0), 0);
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, &gfn, 1, 0), 1);
	CHECK_EQ(current_pages(), before);
	CHECK_EQ(mem_type(gfn), HVMMEM_ram_rw);
	CHECK_EQ(pages[1][0], 0);		/* a fresh, zeroed page */
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, two, 2, 0), 2);
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, two, 2, 0), 2);
	CHECK_EQ(current_pages(), before);
	/* A misaligned extent is fine (Xen): room for it made first. */
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, two, 2, 0), 2);
	gfn = HOLE_GFN + 1;
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, &gfn, 1, 1), 1);
	CHECK_EQ(mem_type(HOLE_GFN + 2), HVMMEM_ram_rw);
	two[0] = HOLE_GFN + 1;
	two[1] = HOLE_GFN + 2;
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, two, 2, 0), 2);
	two[0] = PFN(pages[2]);
	two[1] = PFN(pages[3]);
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, two, 2, 0), 2);
	/* Bad lists, orders: nothing done. */
	CHECK_EQ(reservation_op(XENMEM_populate_physmap,
				(void *)0x7ff000000000UL, 1, 0), 0);
	/* Above any domain's largest order (Xen's control domain: 18). */
	gfn = HOLE_GFN;
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, &gfn, 1, 19), 0);
	CHECK_EQ(memory_op(XENMEM_populate_physmap,
			   (void *)0x7ff000000000UL), 0);
}

/* Up to the maximum reservation and no further. */
static void test_populate_limit(void)
{
	static xen_pfn_t gfns[64];
	long room = memory_op(XENMEM_maximum_reservation,
			      &(domid_t){ DOMID_SELF }) - current_pages();
	unsigned long i;

	CHECK(room >= 0 && room < 60);
	for (i = 0; i < ARRAY_SIZE(gfns); i++)
		gfns[i] = HOLE_GFN + i;
	CHECK_EQ(reservation_op(XENMEM_populate_physmap, gfns, room + 2, 0),
		 room);
	if (room) {
		volatile uint8_t *p = (void *)(HOLE_GFN << 12);

		p[5] = 7;
		CHECK_EQ(p[5], 7);
	}
	CHECK_EQ(reservation_op(XENMEM_decrease_reservation, gfns, room, 0),
		 room);
}

static long add_to_physmap(unsigned int space, unsigned long idx,
			   unsigned long gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gpfn,
	};

	return memory_op(XENMEM_add_to_physmap, &x);
}

static void test_shared_info(void)
{
	long before = current_pages();
	volatile uint64_t *a = (void *)pages[4], *b = (void *)pages[5];

	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 1, PFN(a)),
		 -XEN_EINVAL);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 0, PFN(a)), 0);
	CHECK_EQ(current_pages(), before - 1);	/* the RAM there is gone */
	a[500] = 0x1234abcd;
	/* Moved: the same page at b, a hole left at a. */
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 0, PFN(b)), 0);
	CHECK_EQ(b[500], 0x1234abcd);
	b[500] = 0;
	CHECK_EQ(mem_type(PFN(a)), HVMMEM_mmio_dm);
	CHECK_EQ(current_pages(), before - 2);
	CHECK_EQ(add_to_physmap(77, 0, PFN(b)), -XEN_EINVAL);
	CHECK_EQ(memory_op(XENMEM_add_to_physmap, (void *)0x7ff000000000UL),
		 -XEN_EFAULT);
}

static void test_move_page(void)
{
	volatile uint8_t *dst = (void *)((HOLE_GFN + 100) << 12);

	pages[6][9] = 0x77;
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn, PFN(pages[6]),
				HOLE_GFN + 100), 0);
	CHECK_EQ(dst[9], 0x77);
	CHECK_EQ(mem_type(PFN(pages[6])), HVMMEM_mmio_dm);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn, PFN(pages[6]), HOLE_GFN),
		 -XEN_EINVAL);
	/* And back. */
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn, HOLE_GFN + 100,
				PFN(pages[6])), 0);
	CHECK_EQ(pages[6][9], 0x77);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn_foreign, PFN(pages[6]),
				HOLE_GFN), -XEN_ENOSYS);
}

/* Two pages moved by one call, then back. */
static void test_move_range(void)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_range,
		.size = 2, .idx = PFN(pages[2]), .gpfn = HOLE_GFN + 400,
	};
	volatile uint8_t *dst = (void *)((HOLE_GFN + 401) << 12);

	pages[3][1] = 0x42;
	CHECK_EQ(memory_op(XENMEM_add_to_physmap, &x), 0);
	CHECK_EQ(dst[1], 0x42);
	CHECK_EQ(mem_type(PFN(pages[2])), HVMMEM_mmio_dm);
	x.idx = HOLE_GFN + 400;
	x.gpfn = PFN(pages[2]);
	CHECK_EQ(memory_op(XENMEM_add_to_physmap, &x), 0);
	CHECK_EQ(pages[3][1], 0x42);
}

/*
 * A range long enough to be preempted part way (under QEMU the CPU has
 * timer work by then): the progress is the hypervisor's business (Xen
 * keeps it in the command), the guest's structure is left as it was, and
 * the same structure, its ends swapped, moves the pages back.
 */
#define LONG_RANGE	1024
static uint8_t range[LONG_RANGE][4096] __attribute__((aligned(4096)));

static void test_move_range_long(void)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_range,
		.size = LONG_RANGE, .idx = PFN(range), .gpfn = HOLE_GFN + 1024,
	};
	volatile uint8_t *dst = (void *)((HOLE_GFN + 1024) << 12);
	unsigned long i, moved = 0;

	for (i = 0; i < LONG_RANGE; i++)
		range[i][i] = (uint8_t)i | 1;
	CHECK_EQ(memory_op(XENMEM_add_to_physmap, &x), 0);
	CHECK(x.size == LONG_RANGE && x.idx == PFN(range) &&
	      x.gpfn == HOLE_GFN + 1024);
	for (i = 0; i < LONG_RANGE; i++)
		moved += dst[i * 4096 + i] == ((uint8_t)i | 1);
	CHECK_EQ(moved, LONG_RANGE);
	x.idx = HOLE_GFN + 1024;
	x.gpfn = PFN(range);
	CHECK_EQ(memory_op(XENMEM_add_to_physmap, &x), 0);
	CHECK_EQ(x.size, LONG_RANGE);
	for (i = 0, moved = 0; i < LONG_RANGE; i++)
		moved += range[i][i] == ((uint8_t)i | 1);
	CHECK_EQ(moved, LONG_RANGE);
	/* A start past the size (Xen: -EILSEQ), and one the size field
	 * cannot hold (-EDOM). */
	x.size = 1;
	CHECK_EQ(memory_op(XENMEM_add_to_physmap | 2 << MEMOP_EXTENT_SHIFT,
			   &x), -XEN_EILSEQ);
	CHECK_EQ(memory_op(XENMEM_add_to_physmap | 0x10000UL <<
			   MEMOP_EXTENT_SHIFT, &x), -XEN_EDOM);
}

static void test_remove_from_physmap(void)
{
	struct xen_remove_from_physmap x = { .domid = DOMID_SELF,
					     .gpfn = PFN(pages[7]) };
	long before = current_pages();

	CHECK_EQ(memory_op(XENMEM_remove_from_physmap, &x), 0);
	CHECK_EQ(current_pages(), before - 1);
	CHECK_EQ(memory_op(XENMEM_remove_from_physmap, &x), -XEN_ENOENT);
	x.domid = 12345;
	CHECK_EQ(memory_op(XENMEM_remove_from_physmap, &x), -XEN_ESRCH);
}

static long param(unsigned int op, unsigned int index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index,
				   .value = *value };
	long rc = hvm_op(op, &p);

	*value = p.value;
	return rc;
}

static void test_hvm_params(void)
{
	uint64_t v = 1;		/* GSI 1: stored, nothing delivered */

	CHECK_EQ(param(HVMOP_set_param, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	v = 0;
	CHECK_EQ(param(HVMOP_get_param, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	CHECK_EQ(v, 1);
	v = 0;
	CHECK_EQ(param(HVMOP_set_param, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	v = 99;
	CHECK_EQ(param(HVMOP_get_param, HVM_PARAM_STORE_PFN, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(param(HVMOP_set_param, HVM_PARAM_STORE_PFN, &v), -XEN_EPERM);
	CHECK_EQ(param(HVMOP_get_param, HVM_PARAM_IDENT_PT, &v), -XEN_EPERM);
	CHECK_EQ(param(HVMOP_get_param, HVM_NR_PARAMS, &v), -XEN_EINVAL);
	CHECK_EQ(param(HVMOP_get_param, 4 /* PAE_ENABLED */, &v),
		 -XEN_EINVAL);
	CHECK_EQ(param(HVMOP_set_param, 4, &v), -XEN_EINVAL);
	CHECK_EQ(param(HVMOP_set_param, HVM_PARAM_ACPI_IOPORTS_LOCATION, &v),
		 -XEN_ENODEV);
	CHECK_EQ(hvm_op(HVMOP_get_param, (void *)0x7ff000000000UL),
		 -XEN_EFAULT);
	{
		struct xen_hvm_param p = { .domid = 12345,
					   .index = HVM_PARAM_STORE_PFN };

		CHECK_EQ(hvm_op(HVMOP_get_param, &p), -XEN_ESRCH);
	}
}

static void test_hvm_misc(void)
{
	struct xen_hvm_pagetable_dying pd = { .domid = DOMID_SELF };

	CHECK_EQ(mem_type(PFN(pages[0])), HVMMEM_ram_rw);
	CHECK_EQ(mem_type(HOLE_GFN + 200), HVMMEM_mmio_dm);
	CHECK_EQ(hvm_op(HVMOP_pagetable_dying, &pd), -XEN_EINVAL);
	CHECK_EQ(hvm_op(99, &pd), -XEN_ENOSYS);
}

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu,
			  (unsigned long)arg);
}

static void test_register_vcpu_info(void)
{
	struct vcpu_register_vcpu_info r = { .mfn = PFN(pages[0]),
					     .offset = 4096 - 63 };
	volatile struct vcpu_info *vi = (void *)(pages[0] + 64);

	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
	r.offset = 60;				/* not 8-byte aligned */
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
	r.offset = 64;
	r.mfn = HOLE_GFN + 300;
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL);
	r.mfn = PFN(pages[0]);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 999, &r), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0,
			 (void *)0x7ff000000000UL), -XEN_EFAULT);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0);
	/* Everything marked pending, so that nothing is lost. */
	CHECK_EQ(vi->evtchn_upcall_pending, 1);
	CHECK_EQ(vi->evtchn_pending_sel, ~0UL);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_EINVAL);
	CHECK_EQ(vcpu_op(63, 0, &r), -XEN_ENOSYS);
}

/* As the hardware domain: no command yet, Xen's checks first. */
static void test_platform_op(void)
{
	struct xen_platform_op op = {
		.cmd = XENPF_settime64,
		.interface_version = XENPF_INTERFACE_VERSION,
	};
	bool dom0 = start_info->flags & SIF_INITDOMAIN;

	CHECK_EQ(hypercall1(__HYPERVISOR_platform_op, (unsigned long)&op),
		 dom0 ? -XEN_ENOSYS : -XEN_EPERM);
	op.interface_version--;
	CHECK_EQ(hypercall1(__HYPERVISOR_platform_op, (unsigned long)&op),
		 dom0 ? -XEN_EACCES : -XEN_EPERM);
	CHECK_EQ(hypercall1(__HYPERVISOR_platform_op, 0x7ff000000000UL),
		 dom0 ? -XEN_EFAULT : -XEN_EPERM);
}

static const struct test tests[] = {
	TEST(memory_map),
	TEST(reservation_sizes),
	TEST(decrease_populate),
	TEST(shared_info),
	TEST(move_page),
	TEST(move_range),
	TEST(move_range_long),
	TEST(remove_from_physmap),
	TEST(populate_limit),
	TEST(hvm_params),
	TEST(hvm_misc),
	TEST(register_vcpu_info),
	TEST(platform_op),
};

void guest_main(void)
{
	RUN_TESTS(tests);
}
