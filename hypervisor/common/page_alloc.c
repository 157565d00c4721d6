// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy page allocator (see lamina/page_alloc.h for the contract).
 *
 * Free blocks of each order sit on a doubly linked list threaded through
 * the page_info of their first frame. Every frame's state is exact at all
 * times (a free block's frames are all FREE, an allocated block's all
 * ALLOCATED) and only a block's first frame carries its order, which is
 * what lets free_pages() reject bad frees and lets a freed block find its
 * buddy in O(1): the buddy of the order-n block at mfn is at mfn ^ 2^n,
 * and it is free and whole exactly when that frame is FREE with order n.
 *
 * Two zones: frames below 4 GiB and above. A block never straddles the
 * boundary (blocks are aligned and at most 1 GiB), so MEMF_below_4G just
 * means "take from the low zone"; other requests prefer the high zone, to
 * keep low memory for the devices and structures that need it.
 */
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>

#define ZONE_LOW	0
#define ZONE_HIGH	1
#define NR_ZONES	2
#define MFN_4G		(1UL << (32 - PAGE_SHIFT))

struct page_info *frame_table;
unsigned long max_page;

/*
 * heap_lock protects free_head, nr_free and nr_total, and the next/prev,
 * state and order fields of every frame the allocator manages. It is
 * never taken from interrupt context, hence plain spin_lock(): an
 * interrupt handler must not allocate memory.
 */
static DEFINE_SPINLOCK(heap_lock, LOCK_LEVEL_PAGE_ALLOC);
static uint32_t free_head[NR_ZONES][MAX_ORDER + 1];
static unsigned long nr_free;
static unsigned long nr_total;

static unsigned int zone_of(unsigned long mfn)
{
	return mfn < MFN_4G ? ZONE_LOW : ZONE_HIGH;
}

static void list_push(unsigned long mfn, unsigned int order)
{
	uint32_t *head = &free_head[zone_of(mfn)][order];
	struct page_info *pg = &frame_table[mfn];

	pg->prev = PG_LINK_NONE;
	pg->next = *head;
	if (*head != PG_LINK_NONE)
		frame_table[*head].prev = (uint32_t)mfn;
	*head = (uint32_t)mfn;
}

static void list_remove(unsigned long mfn, unsigned int order)
{
	struct page_info *pg = &frame_table[mfn];

	if (pg->prev != PG_LINK_NONE)
		frame_table[pg->prev].next = pg->next;
	else
		free_head[zone_of(mfn)][order] = pg->next;
	if (pg->next != PG_LINK_NONE)
		frame_table[pg->next].prev = pg->prev;
	pg->next = pg->prev = PG_LINK_NONE;
}

/* Set every frame of a block to state; no frame is a block head after. */
static void mark_block(unsigned long mfn, unsigned int order,
		       enum page_state state)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		struct page_info *pg = &frame_table[mfn + i];

		pg->state = (uint8_t)state;
		pg->order = PG_ORDER_NONE;
		pg->count = 0;
		pg->owner = NULL;
	}
}

/* Put a block whose frames are all FREE on the lists, merging buddies. */
static void free_block_locked(unsigned long mfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		unsigned long buddy = mfn ^ (1UL << order);
		struct page_info *b;

		if (buddy >= max_page)
			break;
		b = &frame_table[buddy];
		if (b->state != PGS_FREE || b->order != order)
			break;
		list_remove(buddy, order);
		b->order = PG_ORDER_NONE;
		frame_table[mfn].order = PG_ORDER_NONE;
		mfn &= ~(1UL << order);
		order++;
	}
	frame_table[mfn].order = (uint8_t)order;
	list_push(mfn, order);
}

/* Release heap_lock, so the panic path finds it free, then panic. */
static void __noreturn __printf(1, 2) heap_bug(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	spin_unlock(&heap_lock);
	panic("page_alloc: %s", msg);
}

void page_alloc_init(struct page_info *ft, unsigned long nr_frames)
{
	unsigned long i;
	unsigned int z, o;

	if (nr_frames >= PG_LINK_NONE)
		panic("page_alloc: %lu frames, at most %u supported",
		      nr_frames, PG_LINK_NONE - 1);
	BUILD_BUG_ON(sizeof(struct page_info) > 32);
	frame_table = ft;
	max_page = nr_frames;
	for (i = 0; i < nr_frames; i++)
		ft[i] = (struct page_info){
			.next = PG_LINK_NONE, .prev = PG_LINK_NONE,
			.state = PGS_RESERVED, .order = PG_ORDER_NONE,
		};
	for (z = 0; z < NR_ZONES; z++)
		for (o = 0; o <= MAX_ORDER; o++)
			free_head[z][o] = PG_LINK_NONE;
	nr_free = nr_total = 0;
}

/* The largest order of an aligned block at mfn no bigger than nr. */
static unsigned int chunk_order(unsigned long mfn, unsigned long nr)
{
	unsigned int order = mfn ? (unsigned int)__builtin_ctzl(mfn) :
				   MAX_ORDER;

	order = MIN(order, (unsigned int)MAX_ORDER);
	while ((1UL << order) > nr)
		order--;
	return order;
}

void page_alloc_add_free(unsigned long mfn, unsigned long nr)
{
	unsigned long i;
	unsigned int order;

	spin_lock(&heap_lock);
	if (mfn > max_page || nr > max_page - mfn)
		heap_bug("adding frames %#lx+%#lx beyond the frame table "
			 "(%#lx frames)", mfn, nr, max_page);
	for (i = mfn; i < mfn + nr; i++)
		if (frame_table[i].state != PGS_RESERVED)
			heap_bug("adding frame %#lx, which is not reserved", i);
	nr_free += nr;
	nr_total += nr;
	while (nr) {
		order = chunk_order(mfn, nr);
		mark_block(mfn, order, PGS_FREE);
		free_block_locked(mfn, order);
		mfn += 1UL << order;
		nr -= 1UL << order;
	}
	spin_unlock(&heap_lock);
}

void page_alloc_add_range(paddr_t start, paddr_t end, void *unused)
{
	unsigned long first = PFN_UP(start), last = PFN_DOWN(end);

	(void)unused;
	if (first < last)
		page_alloc_add_free(first, last - first);
}

/* The first frame of a free block of at least order, removed, or NONE. */
static unsigned long take_block(unsigned int order, unsigned int memflags,
				unsigned int *found)
{
	static const unsigned int prefer_high[] = { ZONE_HIGH, ZONE_LOW };
	unsigned int zi, o, zone;
	unsigned long mfn;

	for (zi = (memflags & MEMF_below_4G) ? 1 : 0; zi < NR_ZONES; zi++) {
		zone = prefer_high[zi];
		for (o = order; o <= MAX_ORDER; o++) {
			mfn = free_head[zone][o];
			if (mfn == PG_LINK_NONE)
				continue;
			list_remove(mfn, o);
			frame_table[mfn].order = PG_ORDER_NONE;
			*found = o;
			return mfn;
		}
	}
	return PG_LINK_NONE;
}

struct page_info *alloc_pages(unsigned int order, unsigned int memflags)
{
	unsigned long mfn, buddy;
	unsigned int o;

	if (order > MAX_ORDER)
		return NULL;
	spin_lock(&heap_lock);
	mfn = take_block(order, memflags, &o);
	if (mfn == PG_LINK_NONE) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	/* Split: return the upper halves until the block is the right size. */
	while (o > order) {
		o--;
		buddy = mfn + (1UL << o);
		frame_table[buddy].order = (uint8_t)o;
		list_push(buddy, o);
	}
	mark_block(mfn, order, PGS_ALLOCATED);
	frame_table[mfn].order = (uint8_t)order;
	nr_free -= 1UL << order;
	spin_unlock(&heap_lock);

	if (memflags & MEMF_zero)
		memset(mfn_to_virt(mfn), 0, PAGE_SIZE << order);
	return &frame_table[mfn];
}

void free_pages(struct page_info *pg, unsigned int order)
{
	unsigned long mfn = page_to_mfn(pg);

	spin_lock(&heap_lock);
	if (mfn >= max_page)
		heap_bug("freeing mfn %#lx outside the frame table", mfn);
	if (pg->state != PGS_ALLOCATED)
		heap_bug("freeing mfn %#lx, which is not allocated (state %u)",
			 mfn, pg->state);
	if (pg->order == PG_ORDER_NONE)
		heap_bug("freeing mfn %#lx, which does not start a block", mfn);
	if (pg->order != order)
		heap_bug("freeing mfn %#lx with order %u, allocated with %u",
			 mfn, order, pg->order);
	mark_block(mfn, order, PGS_FREE);
	free_block_locked(mfn, order);
	nr_free += 1UL << order;
	spin_unlock(&heap_lock);
}

void split_pages(struct page_info *pg, unsigned int order)
{
	unsigned long i;

	spin_lock(&heap_lock);
	if (pg->state != PGS_ALLOCATED || pg->order != order)
		heap_bug("splitting mfn %#lx, not an allocated order-%u block",
			 page_to_mfn(pg), order);
	for (i = 0; i < (1UL << order); i++)
		pg[i].order = 0;
	spin_unlock(&heap_lock);
}

/* The order of the first block of nr's decomposition at mfn. */
static unsigned int exact_chunk(unsigned long nr)
{
	return 63 - (unsigned int)__builtin_clzl(nr);
}

struct page_info *alloc_pages_exact(unsigned long nr, unsigned int memflags)
{
	unsigned long mfn, left, first;
	unsigned int order, o;
	struct page_info *pg;

	if (nr == 0 || nr > (1UL << MAX_ORDER))
		return NULL;
	order = get_order_from_bytes(nr << PAGE_SHIFT);
	pg = alloc_pages(order, memflags & ~MEMF_zero);
	if (!pg)
		return NULL;
	first = page_to_mfn(pg);
	spin_lock(&heap_lock);
	/* Re-cut the block: aligned pieces covering nr frames, kept. */
	frame_table[first].order = PG_ORDER_NONE;
	for (mfn = first, left = nr; left; mfn += 1UL << o, left -= 1UL << o) {
		o = exact_chunk(left);
		frame_table[mfn].order = (uint8_t)o;
	}
	/* The rest of the block, in aligned pieces, goes back. */
	for (left = (1UL << order) - nr; left; mfn += 1UL << o,
	     left -= 1UL << o) {
		o = chunk_order(mfn, left);
		mark_block(mfn, o, PGS_FREE);
		free_block_locked(mfn, o);
	}
	nr_free += (1UL << order) - nr;
	spin_unlock(&heap_lock);

	if (memflags & MEMF_zero)
		memset(page_to_virt(pg), 0, nr << PAGE_SHIFT);
	return pg;
}

void free_pages_exact(struct page_info *pg, unsigned long nr)
{
	unsigned int o;

	while (nr) {
		o = exact_chunk(nr);
		free_pages(pg, o);
		pg += 1UL << o;
		nr -= 1UL << o;
	}
}

unsigned long page_alloc_reclaim(unsigned long mfn, unsigned long nr)
{
	unsigned long end = MIN(mfn + nr, max_page), run, done = 0;

	while (mfn < end) {
		for (run = 0; mfn + run < end &&
		     frame_table[mfn + run].state == PGS_RESERVED; run++)
			;
		if (run)
			page_alloc_add_free(mfn, run);
		done += run;
		mfn += run + 1;
	}
	return done;
}

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags)
{
	struct page_info *pg = alloc_pages(order, memflags);

	return pg ? page_to_virt(pg) : NULL;
}

void free_xenheap_pages(void *va, unsigned int order)
{
	if (!va)
		return;
	if (!IS_ALIGNED((uintptr_t)virt_to_maddr(va), PAGE_SIZE))
		panic("page_alloc: freeing unaligned xenheap address %p", va);
	free_pages(virt_to_page(va), order);
}

unsigned long page_alloc_free_pages(void)
{
	return READ_ONCE(nr_free);
}

unsigned long page_alloc_total_pages(void)
{
	return READ_ONCE(nr_total);
}
