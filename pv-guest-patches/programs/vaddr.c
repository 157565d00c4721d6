// SPDX-License-Identifier: GPL-2.0
/*
 * vaddr: hypercall pointers are guest-virtual addresses (Xen translates
 * them through the guest's page tables). Two ways to tell virtual from
 * physical with console_io:
 *
 * - alias: a buffer mapped a second time at ALIAS_VA, far above the
 *   guest's RAM: only a virtual reading of the pointer finds it;
 * - hole: a 2 MiB region of RAM unmapped from the page tables: as a
 *   virtual address it is invalid (-EFAULT), as a physical one it is
 *   the RAM (whose text says what went wrong, should it be printed).
 */
#include "guest.h"

#define ALIAS_VA	0x400000000000ULL	/* 64 TiB */

/* RAM of ours to unmap: nothing else can be in it. */
static char hole[PAGE_SIZE_2M] __attribute__((aligned(PAGE_SIZE_2M)));

static char message[] = "vaddr: written from the alias mapping\n";

static void test_alias(void)
{
	uint64_t pa = (uint64_t)message;
	uint64_t region = pa & ~(PAGE_SIZE_2M - 1);
	const char *alias = (const char *)(ALIAS_VA + (pa - region));

	CHECK_EQ(map_2m(ALIAS_VA, region), 0);
	CHECK_EQ(memcmp(alias, message, sizeof(message)), 0);
	CHECK_EQ(console_io_write(alias, sizeof(message) - 1), 0);
	unmap_2m(ALIAS_VA);
}

static void test_hole(void)
{
	static const char text[] = "vaddr: BUG: the hypervisor read an "
				   "unmapped virtual address as physical\n";

	memcpy(hole, text, sizeof(text));
	unmap_2m((uint64_t)hole);
	CHECK_EQ(console_io_write(hole, sizeof(text) - 1), -XEN_EFAULT);
	CHECK_EQ(map_2m((uint64_t)hole, (uint64_t)hole), 0);
}

static const struct test tests[] = {
	TEST(alias),
	TEST(hole),
};

void guest_main(void)
{
	RUN_TESTS(tests);
}
