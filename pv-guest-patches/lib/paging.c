// SPDX-License-Identifier: GPL-2.0
/*
 * 4-level page tables: PML4 -> PDPT -> PD, whose entries map 2 MiB
 * pages (PS). The tables themselves are in the identity-mapped first
 * 4 GiB, so a table's physical address is also a pointer to it.
 */
#include <stdbool.h>
#include "paging.h"
#include "string.h"
#include "x86.h"

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_US		(1ULL << 2)
#define PTE_PS		(1ULL << 7)
#define PTE_ADDR	0x000ffffffffff000ULL
#define LOWER_HALF_END	(1ULL << 47)

/* New tables come from here (never freed: tests map a few regions). */
static uint64_t spare[4][512] __attribute__((aligned(4096)));
static unsigned int spare_used;

static unsigned int index_at(uint64_t va, unsigned int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* The table entry e points to; a new one if alloc and there is none. */
static uint64_t *next_table(uint64_t *e, bool alloc)
{
	uint64_t *t;

	if (*e & PTE_P)
		return *e & PTE_PS ? NULL : (uint64_t *)(*e & PTE_ADDR);
	if (!alloc || spare_used == ARRAY_SIZE(spare))
		return NULL;
	t = spare[spare_used++];
	memset(t, 0, 4096);
	*e = (uint64_t)t | PTE_P | PTE_RW;
	return t;
}

/*
 * va's entry in its page directory, or NULL; user: U set in the PML4 and
 * PDPT entries on the way (the leaves decide who may use a page).
 */
static uint64_t *pd_entry(uint64_t va, bool alloc, bool user)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & PTE_ADDR), *pdpt, *pd;
	uint64_t *e = &pml4[index_at(va, 3)];

	pdpt = next_table(e, alloc);
	if (!pdpt)
		return NULL;
	if (user)
		*e |= PTE_US;
	e = &pdpt[index_at(va, 2)];
	pd = next_table(e, alloc);
	if (pd && user)
		*e |= PTE_US;
	return pd ? &pd[index_at(va, 1)] : NULL;
}

static int set_2m(uint64_t va, uint64_t pa, uint64_t flags, bool flush)
{
	uint64_t *e;

	if ((va | pa) & (PAGE_SIZE_2M - 1) || va >= LOWER_HALF_END)
		return -1;
	e = pd_entry(va, true, flags & PTE_US);
	if (!e)
		return -1;
	*e = flags ? pa | flags : 0;
	if (flush)
		invlpg((void *)va);
	return 0;
}

int map_2m(uint64_t va, uint64_t pa)
{
	return set_2m(va, pa, PTE_P | PTE_RW | PTE_PS, true);
}

int map_2m_user(uint64_t va, uint64_t pa)
{
	return set_2m(va, pa, PTE_P | PTE_RW | PTE_US | PTE_PS, true);
}

int remap_2m_stale(uint64_t va, uint64_t pa)
{
	return set_2m(va, pa, pa ? PTE_P | PTE_RW | PTE_PS : 0, false);
}

void unmap_2m(uint64_t va)
{
	uint64_t *e = pd_entry(va & ~(PAGE_SIZE_2M - 1), false, false);

	if (e) {
		*e = 0;
		invlpg((void *)va);
	}
}
