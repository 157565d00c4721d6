/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_PAGE_ALLOC_H
#define LAMINA_PAGE_ALLOC_H

#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/mm.h>

/*
 * The page allocator: a binary buddy allocator over the frame table, one
 * struct page_info per machine frame from mfn 0 to nr_frames - 1. Blocks
 * of 2^order frames are naturally aligned (the first mfn is a multiple of
 * 2^order). Frames start RESERVED; boot code frees the usable ones with
 * page_alloc_add_free() (normally from bootmem_handover()).
 */

/* 2^MAX_ORDER frames (1 GiB) is the largest block. */
#define MAX_ORDER	18

enum page_state {
	PGS_RESERVED = 0,	/* not managed: firmware, image, holes */
	PGS_FREE,		/* in a free block of the buddy allocator */
	PGS_ALLOCATED,		/* in a block from alloc_pages() */
};

/* page_info.order of a frame that does not start a block. */
#define PG_ORDER_NONE	0xff

/*
 * 32 bytes, as the frame table costs this per 4 KiB of RAM. The free-list
 * links are frame numbers, not pointers, to fit: the page allocator
 * handles at most 2^32 - 1 frames (16 TiB).
 */
struct page_info {
	/* Free block heads: the free list of their order. Later: the owning
	 * domain's page list while allocated. PG_LINK_NONE ends a list. */
	uint32_t next, prev;
	uint8_t state;		/* enum page_state */
	uint8_t order;		/* first frame of a block: its order */
	uint16_t flags;		/* reserved for later use; 0 */
	uint32_t count;		/* reference count, for grants/domains */
	void *owner;		/* owning struct domain, NULL: hypervisor */
	uint64_t type_info;	/* reserved for page typing */
};

#define PG_LINK_NONE	UINT32_MAX

/* Set by page_alloc_init(); the frame table covers mfns below max_page. */
extern struct page_info *frame_table;
extern unsigned long max_page;

static inline struct page_info *mfn_to_page(unsigned long mfn)
{
	ASSERT(mfn < max_page);
	return frame_table + mfn;
}

static inline unsigned long page_to_mfn(const struct page_info *pg)
{
	return (unsigned long)(pg - frame_table);
}

static inline void *page_to_virt(const struct page_info *pg)
{
	return mfn_to_virt(page_to_mfn(pg));
}

static inline paddr_t page_to_maddr(const struct page_info *pg)
{
	return (paddr_t)page_to_mfn(pg) << PAGE_SHIFT;
}

static inline struct page_info *virt_to_page(const void *va)
{
	return mfn_to_page(virt_to_mfn(va));
}

/* memflags for alloc_pages() */
#define MEMF_below_4G	(1U << 0)	/* the whole block below 4 GiB */
#define MEMF_zero	(1U << 1)	/* zeroed (through the direct map) */

/* All frames start reserved; nr_frames < 2^32. Not thread safe: boot. */
void page_alloc_init(struct page_info *ft, unsigned long nr_frames);

/* Give reserved frames [mfn, mfn + nr) to the allocator. */
void page_alloc_add_free(unsigned long mfn, unsigned long nr);

/* The same for the whole pages of [start, end): the callback for
 * bootmem_handover(page_alloc_add_range, NULL). */
void page_alloc_add_range(paddr_t start, paddr_t end, void *unused);

/* A block of 2^order frames, or NULL. Frames are ALLOCATED, count 0,
 * owner NULL. */
struct page_info *alloc_pages(unsigned int order, unsigned int memflags);

/* Free a block from alloc_pages() with the same order. Anything else
 * (not allocated, not the block's first frame, other order) panics. */
void free_pages(struct page_info *pg, unsigned int order);

/*
 * nr contiguous frames (1 <= nr <= 2^MAX_ORDER), not rounded up to a
 * power of two: a block of the next order is taken and what lies past
 * nr frames goes back at once. Inside, the frames form the aligned
 * blocks of nr's binary decomposition (largest first), each allocated
 * on its own; free them with free_pages_exact() and the same nr.
 */
/*
 * Make an allocated block of 2^order frames 2^order blocks of one frame
 * each, which are then freed one by one (the buddy allocator merges them
 * again as they come back).
 */
void split_pages(struct page_info *pg, unsigned int order);
struct page_info *alloc_pages_exact(unsigned long nr, unsigned int memflags);
void free_pages_exact(struct page_info *pg, unsigned long nr);

/* Same, by direct-map address. */
/*
 * Boot memory no longer needed (modules once the domains are built):
 * the frames of [mfn, mfn + nr) that are still reserved become free.
 * Returns how many.
 */
unsigned long page_alloc_reclaim(unsigned long mfn, unsigned long nr);

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags);
void free_xenheap_pages(void *va, unsigned int order);

/* Frames free now / ever given to the allocator. */
unsigned long page_alloc_free_pages(void);
unsigned long page_alloc_total_pages(void);

/* The smallest order whose block holds size bytes (0 for size 0). */
static inline unsigned int get_order_from_bytes(size_t size)
{
	unsigned int order = 0;

	while (order < 64 - PAGE_SHIFT && (PAGE_SIZE << order) < size)
		order++;
	return order;
}

#endif /* LAMINA_PAGE_ALLOC_H */
