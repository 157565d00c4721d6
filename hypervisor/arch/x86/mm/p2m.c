// SPDX-License-Identifier: GPL-2.0
/*
 * The p2m as a nested page table: 4 levels in the host's long-mode
 * format, 4 KiB leaves. NPT treats every guest access as a user access,
 * so every entry carries U (and RW; no NX: guests execute from RAM).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <asm/p2m.h>
#include <asm/paging.h>

#define P2M_LEVELS	4
#define P2M_GFN_BITS	(9 * P2M_LEVELS)	/* 48-bit guest-physical */
#define P2M_TABLE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define P2M_LEAF_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)

static unsigned int pt_index(unsigned long gfn, unsigned int level)
{
	return (gfn >> (9 * (level - 1))) & 511;
}

static paddr_t alloc_table(struct domain *d)
{
	struct page_info *pg = alloc_pages(0, MEMF_zero);

	if (!pg)
		return 0;
	d->p2m.nr_tables++;
	return page_to_maddr(pg);
}

int p2m_init(struct domain *d)
{
	d->p2m.nr_tables = 0;
	d->p2m.root = alloc_table(d);
	return d->p2m.root ? 0 : -ENOMEM;
}

static void free_table(struct domain *d, paddr_t table, unsigned int level)
{
	uint64_t *pt = maddr_to_virt(table);
	unsigned int i;

	for (i = 0; level > 1 && i < 512; i++)
		if (pt[i] & _PAGE_PRESENT)
			free_table(d, pt[i] & PTE_ADDR_MASK, level - 1);
	free_pages(mfn_to_page(PFN_DOWN(table)), 0);
	d->p2m.nr_tables--;
}

void p2m_teardown(struct domain *d)
{
	if (d->p2m.root)
		free_table(d, d->p2m.root, P2M_LEVELS);
	BUG_ON(d->p2m.nr_tables);
	d->p2m.root = 0;
}

/* The leaf entry for gfn, allocating tables on the way if alloc. */
static uint64_t *p2m_entry(struct domain *d, unsigned long gfn, bool alloc)
{
	paddr_t table = d->p2m.root;
	unsigned int level;
	uint64_t *e;

	for (level = P2M_LEVELS; level > 1; level--) {
		e = (uint64_t *)maddr_to_virt(table) + pt_index(gfn, level);
		if (!(*e & _PAGE_PRESENT)) {
			paddr_t t = alloc ? alloc_table(d) : 0;

			if (!t)
				return NULL;
			*e = t | P2M_TABLE_FLAGS;
		}
		table = *e & PTE_ADDR_MASK;
	}
	return (uint64_t *)maddr_to_virt(table) + pt_index(gfn, 1);
}

int p2m_set_entry(struct domain *d, unsigned long gfn, unsigned long mfn)
{
	uint64_t *e;

	if (gfn >> P2M_GFN_BITS)
		return -EINVAL;
	e = p2m_entry(d, gfn, true);
	if (!e)
		return -ENOMEM;
	*e = ((uint64_t)mfn << PAGE_SHIFT) | P2M_LEAF_FLAGS;
	return 0;
}

unsigned long p2m_lookup(const struct domain *d, unsigned long gfn)
{
	uint64_t *e;

	if (gfn >> P2M_GFN_BITS || !d->p2m.root)
		return INVALID_MFN;
	e = p2m_entry((struct domain *)d, gfn, false);
	if (!e || !(*e & _PAGE_PRESENT))
		return INVALID_MFN;
	return PFN_DOWN(*e & PTE_ADDR_MASK);
}

enum copy_dir { TO_GUEST, FROM_GUEST, CLEAR_GUEST };

/* Page by page through the p2m; never touches an unmapped page. */
static int guest_phys_copy(struct domain *d, uint64_t gpa, void *buf,
			   size_t len, enum copy_dir dir)
{
	while (len) {
		size_t off = gpa & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);
		unsigned long mfn = p2m_lookup(d, PFN_DOWN(gpa));
		char *va;

		if (gpa + n < gpa || mfn == INVALID_MFN)
			return -EFAULT;
		va = (char *)mfn_to_virt(mfn) + off;
		if (dir == TO_GUEST)
			memcpy(va, buf, n);
		else if (dir == FROM_GUEST)
			memcpy(buf, va, n);
		else
			memset(va, 0, n);
		gpa += n;
		len -= n;
		buf = dir == CLEAR_GUEST ? buf : (char *)buf + n;
	}
	return 0;
}

int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *buf,
		       size_t len)
{
	return guest_phys_copy(d, gpa, (void *)buf, len, TO_GUEST);
}

int copy_from_guest_phys(struct domain *d, void *buf, uint64_t gpa,
			 size_t len)
{
	return guest_phys_copy(d, gpa, buf, len, FROM_GUEST);
}

int clear_guest_phys(struct domain *d, uint64_t gpa, size_t len)
{
	return guest_phys_copy(d, gpa, NULL, len, CLEAR_GUEST);
}
