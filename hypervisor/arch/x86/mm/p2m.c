// SPDX-License-Identifier: GPL-2.0
/*
 * The p2m as a nested page table, in AMD NPT or Intel EPT format. One
 * walker serves both: a format is a table of the bits that make a table
 * entry, a large leaf and a leaf of each type.
 *
 * Changes are all or nothing: the table pages an operation needs (one
 * per level below a hole it must fill or a superpage it must split) are
 * counted and allocated before anything is written, so -ENOMEM leaves
 * the p2m as it was. A new table is filled before it is linked in, and
 * a table that a superpage or an unmap replaces is freed only after the
 * TLB hook, when no CPU can walk it any more.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>
#include <asm/p2m.h>
#include <asm/paging.h>

#define P2M_LEVELS	4
#define P2M_ENTRIES	512
#define P2M_MFN_BITS	(52 - PAGE_SHIFT)	/* 52-bit maddr */

/*
 * The type is kept in leaf bits 52-55: software-available in NPT (AMD
 * APM vol. 2, long-mode PTE bits 58:52) and ignored by EPT (Intel SDM
 * vol. 3, EPT PTE bits 56:52; 57 and up have meanings under optional
 * controls).
 */
#define TYPE_SHIFT	52
#define TYPE_MASK	(0xfULL << TYPE_SHIFT)

/* Intel EPT entry bits. */
#define EPT_R		(1ULL << 0)
#define EPT_W		(1ULL << 1)
#define EPT_X		(1ULL << 2)
#define EPT_UC		(0ULL << 3)	/* memory type, bits 5:3 */
#define EPT_WB		(6ULL << 3)
#define EPT_IPAT	(1ULL << 6)	/* ignore the guest's PAT */
#define EPT_LARGE	(1ULL << 7)
/* EPTP: memory type of the tables, page-walk length - 1 in bits 5:3. */
#define EPTP_WB		6ULL
#define EPTP_WALK_4	(3ULL << 3)

/*
 * NPT leaves: nested walks are user accesses (U), A and D preset so the
 * CPU never writes them. MMIO is uncached through PAT entry 3 (PCD PWT;
 * the hypervisor keeps the power-on PAT).
 */
#define NPT_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define NPT_R		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define NPT_RW		(NPT_R | _PAGE_RW | _PAGE_DIRTY)

struct entry_fmt {
	unsigned int gfn_bits;		/* guest-frame number width */
	uint64_t present;		/* any of these: entry in use */
	uint64_t table;			/* entry pointing to a table */
	uint64_t large;			/* a leaf above level 1 */
	uint64_t leaf[P2M_NR_TYPES];	/* each type's leaf; 0: none */
};

static const struct entry_fmt formats[] = {
	[P2M_FORMAT_NPT] = {
		.gfn_bits = 9 * P2M_LEVELS,
		.present = _PAGE_PRESENT,
		.table = NPT_TABLE,
		.large = _PAGE_PSE,
		.leaf = {
			[P2M_RAM] = NPT_RW,
			[P2M_MMIO] = NPT_RW | _PAGE_PCD | _PAGE_PWT | _PAGE_NX,
			[P2M_GRANT_MAP_RW] = NPT_RW | _PAGE_NX,
			[P2M_GRANT_MAP_RO] = NPT_R | _PAGE_NX,
			[P2M_MAP_FOREIGN] = NPT_RW | _PAGE_NX,
		},
	},
	[P2M_FORMAT_EPT] = {
		.gfn_bits = 9 * P2M_LEVELS,
		.present = EPT_R | EPT_W | EPT_X,
		.table = EPT_R | EPT_W | EPT_X,
		.large = EPT_LARGE,
		.leaf = {
			[P2M_RAM] = EPT_R | EPT_W | EPT_X | EPT_WB | EPT_IPAT,
			[P2M_MMIO] = EPT_R | EPT_W | EPT_UC | EPT_IPAT,
			[P2M_GRANT_MAP_RW] = EPT_R | EPT_W | EPT_WB | EPT_IPAT,
			[P2M_GRANT_MAP_RO] = EPT_R | EPT_WB | EPT_IPAT,
			[P2M_MAP_FOREIGN] = EPT_R | EPT_W | EPT_WB | EPT_IPAT,
		},
	},
};

static const struct entry_fmt *fmt_of(const struct p2m *p2m)
{
	return &formats[p2m->format];
}

/* An entry at level l (1: 4 KiB leaves) covers 2^level_order(l) frames. */
static unsigned int level_order(unsigned int level)
{
	return 9 * (level - 1);
}

static uint64_t *entry_at(paddr_t table, unsigned long gfn,
			  unsigned int level)
{
	return (uint64_t *)maddr_to_virt(table) +
	       ((gfn >> level_order(level)) & (P2M_ENTRIES - 1));
}

static bool is_present(const struct entry_fmt *f, uint64_t e)
{
	return e & f->present;
}

static bool is_table(const struct entry_fmt *f, uint64_t e,
		     unsigned int level)
{
	return level > 1 && is_present(f, e) && !(e & f->large);
}

static uint64_t make_leaf(const struct entry_fmt *f, unsigned long mfn,
			  enum p2m_type t, unsigned int level)
{
	return ((uint64_t)mfn << PAGE_SHIFT) | f->leaf[t] |
	       (level > 1 ? f->large : 0) | ((uint64_t)t << TYPE_SHIFT);
}

static unsigned long leaf_mfn(uint64_t e, unsigned int level)
{
	uint64_t low = (PAGE_SIZE << level_order(level)) - 1;

	return PFN_DOWN(e & PTE_ADDR_MASK & ~low);
}

static enum p2m_type leaf_type(uint64_t e)
{
	return (enum p2m_type)((e & TYPE_MASK) >> TYPE_SHIFT);
}

/*
 * Descend toward gfn, no deeper than level stop. Returns the entry where
 * the walk ended (a leaf, a hole, or the entry at level stop) and, in
 * *level, its level.
 */
static uint64_t *walk(const struct p2m *p2m, unsigned long gfn,
		      unsigned int stop, unsigned int *level)
{
	const struct entry_fmt *f = fmt_of(p2m);
	unsigned int l = P2M_LEVELS;
	uint64_t *e = entry_at(p2m->root, gfn, l);

	while (l > stop && is_table(f, *e, l)) {
		e = entry_at(*e & PTE_ADDR_MASK, gfn, l - 1);
		l--;
	}
	*level = l;
	return e;
}

static paddr_t alloc_table(struct p2m *p2m)
{
	struct page_info *pg = alloc_pages(0, MEMF_zero);

	if (!pg)
		return 0;
	p2m->nr_tables++;
	return page_to_maddr(pg);
}

static void free_table(struct p2m *p2m, paddr_t table)
{
	free_pages(mfn_to_page(PFN_DOWN(table)), 0);
	p2m->nr_tables--;
}

/* Free a table whose entries are at level, and every table below it. */
static void free_tree(struct p2m *p2m, paddr_t table, unsigned int level)
{
	const struct entry_fmt *f = fmt_of(p2m);
	uint64_t *pt = maddr_to_virt(table);
	unsigned int i;

	for (i = 0; level > 1 && i < P2M_ENTRIES; i++)
		if (is_table(f, pt[i], level))
			free_tree(p2m, pt[i] & PTE_ADDR_MASK, level - 1);
	free_table(p2m, table);
}

int p2m_init(struct domain *d, enum p2m_format fmt)
{
	BUILD_BUG_ON(P2M_NR_TYPES > (TYPE_MASK >> TYPE_SHIFT) + 1);
	if ((unsigned int)fmt >= ARRAY_SIZE(formats))
		return -EINVAL;
	spin_lock_init(&d->p2m.lock, LOCK_LEVEL_P2M, "p2m");
	d->p2m.format = fmt;
	d->p2m.nr_tables = 0;
	d->p2m.root = alloc_table(&d->p2m);
	return d->p2m.root ? 0 : -ENOMEM;
}

void p2m_teardown(struct domain *d)
{
	if (d->p2m.root)
		free_tree(&d->p2m, d->p2m.root, P2M_LEVELS);
	BUG_ON(d->p2m.nr_tables);
	d->p2m.root = 0;
}

/*
 * Fill a new table of level-l entries from e, the level l + 1 entry it
 * replaces: zeroes (as allocated) for a hole, the same translation in
 * 512 smaller leaves for a superpage.
 */
static void fill_table(const struct entry_fmt *f, paddr_t table,
		       uint64_t e, unsigned int level)
{
	uint64_t *pt = maddr_to_virt(table);
	unsigned long mfn;
	enum p2m_type t;
	unsigned int i;

	if (!is_present(f, e))
		return;
	mfn = leaf_mfn(e, level + 1);
	t = leaf_type(e);
	for (i = 0; i < P2M_ENTRIES; i++)
		pt[i] = make_leaf(f, mfn + ((unsigned long)i <<
					   level_order(level)), t, level);
}

/*
 * Make the entry for the 2^order frames at gfn new (a leaf, or 0 to
 * unmap), creating or splitting the tables above it. Lock held.
 */
static int p2m_set_locked(struct domain *d, unsigned long gfn,
			  unsigned int order, uint64_t new)
{
	struct p2m *p2m = &d->p2m;
	const struct entry_fmt *f = fmt_of(p2m);
	unsigned int target = order / 9 + 1, level, need, i;
	paddr_t spare[P2M_LEVELS - 1];
	uint64_t *e, old;

	e = walk(p2m, gfn, target, &level);
	if (level > target && !is_present(f, *e) && !new)
		return 0;		/* unmapping inside a hole */
	need = level - target;
	for (i = 0; i < need; i++) {
		spare[i] = alloc_table(p2m);
		if (!spare[i])
			goto out_free_spare;
	}
	for (i = 0; level > target; level--, i++) {
		fill_table(f, spare[i], *e, level - 1);
		WRITE_ONCE(*e, spare[i] | f->table);
		e = entry_at(spare[i], gfn, level - 1);
	}
	old = *e;
	WRITE_ONCE(*e, new);
	if (is_present(f, old) && old != new) {
		p2m_tlb_flush(d);
		if (is_table(f, old, target))
			free_tree(p2m, old & PTE_ADDR_MASK, target - 1);
	}
	return 0;

out_free_spare:
	while (i--)
		free_table(p2m, spare[i]);
	return -ENOMEM;
}

static int p2m_set(struct domain *d, unsigned long gfn, unsigned int order,
		   uint64_t new)
{
	int rc;

	BUG_ON(!d->p2m.root);
	spin_lock(&d->p2m.lock);
	rc = p2m_set_locked(d, gfn, order, new);
	spin_unlock(&d->p2m.lock);
	return rc;
}

static int check_range(const struct p2m *p2m, unsigned long gfn,
		       unsigned int order)
{
	if (order != P2M_ORDER_4K && order != P2M_ORDER_2M &&
	    order != P2M_ORDER_1G)
		return -EINVAL;
	if (!IS_ALIGNED(gfn, 1UL << order) || gfn >> fmt_of(p2m)->gfn_bits)
		return -EINVAL;
	return 0;
}

int p2m_map(struct domain *d, unsigned long gfn, unsigned long mfn,
	    unsigned int order, enum p2m_type t)
{
	const struct entry_fmt *f = fmt_of(&d->p2m);
	int rc = check_range(&d->p2m, gfn, order);

	if (rc)
		return rc;
	if ((unsigned int)t >= P2M_NR_TYPES || !f->leaf[t])
		return -EINVAL;
	if (!IS_ALIGNED(mfn, 1UL << order) || mfn >> P2M_MFN_BITS)
		return -EINVAL;
	return p2m_set(d, gfn, order, make_leaf(f, mfn, t, order / 9 + 1));
}

int p2m_unmap(struct domain *d, unsigned long gfn, unsigned int order)
{
	int rc = check_range(&d->p2m, gfn, order);

	return rc ? rc : p2m_set(d, gfn, order, 0);
}

unsigned long p2m_lookup(struct domain *d, unsigned long gfn,
			 enum p2m_type *t, unsigned int *order)
{
	struct p2m *p2m = &d->p2m;
	const struct entry_fmt *f = fmt_of(p2m);
	unsigned int level = 1;
	unsigned long mfn = INVALID_MFN;
	enum p2m_type type = P2M_INVALID;
	uint64_t e;

	if (p2m->root && !(gfn >> f->gfn_bits)) {
		spin_lock(&p2m->lock);
		e = *walk(p2m, gfn, 1, &level);
		spin_unlock(&p2m->lock);
		if (is_present(f, e)) {
			mfn = leaf_mfn(e, level) +
			      (gfn & ((1UL << level_order(level)) - 1));
			type = leaf_type(e);
		}
	}
	if (t)
		*t = type;
	if (order)
		*order = level_order(level);
	return mfn;
}

unsigned long p2m_lookup_ram(struct domain *d, unsigned long gfn,
			     bool write)
{
	enum p2m_type t;
	unsigned long mfn = p2m_lookup(d, gfn, &t, NULL);

	switch (t) {
	case P2M_RAM:
	case P2M_GRANT_MAP_RW:
	case P2M_MAP_FOREIGN:
		return mfn;
	case P2M_GRANT_MAP_RO:
		return write ? INVALID_MFN : mfn;
	default:
		return INVALID_MFN;
	}
}

uint64_t p2m_eptp(const struct p2m *p2m)
{
	BUG_ON(p2m->format != P2M_FORMAT_EPT || !p2m->root);
	return p2m->root | EPTP_WB | EPTP_WALK_4;
}

enum copy_dir { TO_GUEST, FROM_GUEST, CLEAR_GUEST };

/* Page by page through the p2m; never touches a page that is not RAM. */
static int guest_phys_copy(struct domain *d, uint64_t gpa, void *buf,
			   size_t len, enum copy_dir dir)
{
	while (len) {
		size_t off = gpa & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);
		unsigned long mfn = p2m_lookup_ram(d, PFN_DOWN(gpa),
						   dir != FROM_GUEST);
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
