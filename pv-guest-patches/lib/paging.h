/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables after boot. head.S maps guest-virtual 0-4 GiB to the same
 * guest-physical addresses in 2 MiB pages; these add and remove 2 MiB
 * mappings anywhere in the 48-bit address space (lower half).
 */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include <stdint.h>

#define PAGE_SIZE_2M	(1UL << 21)

/* va -> pa, both 2 MiB aligned: 0, or -1 (misaligned, not canonical,
 * or out of spare page-table pages). */
int map_2m(uint64_t va, uint64_t pa);
/* Remove va's 2 MiB mapping, if any. */
void unmap_2m(uint64_t va);
/* The same mapping, accessible from CPL 3 (U set at every level). */
int map_2m_user(uint64_t va, uint64_t pa);
/*
 * Change va's mapping to pa (0: not present) without invalidating the
 * TLB: the CPU may go on using the old translation. For tests of what a
 * hypervisor does when the page tables no longer say what the CPU used.
 */
int remap_2m_stale(uint64_t va, uint64_t pa);

#endif
