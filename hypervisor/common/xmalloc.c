// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor heap (see lamina/xmalloc.h for the contract).
 *
 * Small blocks: each size class owns slabs, naturally aligned runs of
 * pages from the page allocator that start with a struct slab and hold
 * equal chunks after it. A chunk is a 16-byte struct xhdr then the
 * caller's block. Slabs with a free chunk sit on their class's partial
 * list; a full slab is on no list; an empty one is returned to the page
 * allocator at once, so that page counts come back when users free.
 *
 * Large blocks: 2^order pages, the xhdr at the start, the block after it.
 *
 * The xhdr magic tells live (XHDR_LIVE) from freed (XHDR_FREE) chunks,
 * which is how xfree() catches double frees and foreign pointers.
 */
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/spinlock.h>
#include <lamina/xmalloc.h>

#define XHDR_LIVE	0x4c69766eU	/* "Livn" */
#define XHDR_FREE	0x46726565U	/* "Free" */
#define SLAB_MAGIC	0x536c6162U	/* "Slab" */
#define KIND_LARGE	0xffff

#ifdef CONFIG_DEBUG
#define POISON_FREED	true	/* fill freed small blocks */
#else
#define POISON_FREED	false
#endif
#define POISON_BYTE	0xdf

struct xhdr {
	uint32_t magic;		/* XHDR_LIVE or XHDR_FREE */
	uint16_t kind;		/* size class, or KIND_LARGE */
	uint16_t order;		/* KIND_LARGE: page order of the block */
	uint32_t offset;	/* small: bytes from the slab start */
	uint32_t size;		/* the size asked for (debug aid) */
};

/* A free chunk links to the next through its (unused) block. */
struct free_chunk {
	struct xhdr hdr;
	struct free_chunk *next;
};

struct slab {
	uint32_t magic;		/* SLAB_MAGIC */
	uint16_t kind;
	uint16_t nr_live;	/* chunks handed out */
	struct free_chunk *free;
	struct slab *next, *prev;	/* the partial list of its class */
};

#define SLAB_HDR_SIZE	64	/* chunks stay 16-aligned */

/* Chunk sizes, header included, and the order of their slabs. */
static const struct {
	uint32_t chunk;
	uint8_t order;
} classes[] = {
	{ 32, 0 }, { 64, 0 }, { 128, 0 }, { 256, 0 }, { 512, 0 },
	{ 1024, 1 }, { 2048, 2 },
};
#define NR_CLASSES	ARRAY_SIZE(classes)

/*
 * xmalloc_lock protects the partial lists and, for every slab, its free
 * list and nr_live. The page allocator is called with it held (its lock
 * level is higher). Never taken from interrupt context.
 */
static DEFINE_SPINLOCK(xmalloc_lock, LOCK_LEVEL_XMALLOC);
static struct slab *partial[NR_CLASSES];

static void partial_add(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->kind];
	if (s->next)
		s->next->prev = s;
	partial[s->kind] = s;
}

static void partial_remove(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->kind] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A new slab of class kind, all chunks free, on the partial list. */
static struct slab *slab_create(unsigned int kind)
{
	size_t bytes = PAGE_SIZE << classes[kind].order;
	uint32_t chunk = classes[kind].chunk, off;
	struct slab *s = alloc_xenheap_pages(classes[kind].order, 0);
	struct free_chunk **link;

	BUILD_BUG_ON(sizeof(struct slab) > SLAB_HDR_SIZE);
	BUILD_BUG_ON(sizeof(struct xhdr) != XMALLOC_ALIGN);
	if (!s)
		return NULL;
	*s = (struct slab){ .magic = SLAB_MAGIC, .kind = (uint16_t)kind };
	link = &s->free;
	for (off = SLAB_HDR_SIZE; off + chunk <= bytes; off += chunk) {
		struct free_chunk *c = (void *)((char *)s + off);

		c->hdr = (struct xhdr){ .magic = XHDR_FREE,
					.kind = (uint16_t)kind,
					.offset = off };
		*link = c;
		link = &c->next;
	}
	*link = NULL;
	partial_add(s);
	return s;
}

static void *alloc_small(size_t size)
{
	unsigned int kind = 0;
	struct slab *s;
	struct free_chunk *c;

	while (classes[kind].chunk < size + sizeof(struct xhdr))
		kind++;
	spin_lock(&xmalloc_lock);
	s = partial[kind] ? partial[kind] : slab_create(kind);
	if (!s) {
		spin_unlock(&xmalloc_lock);
		return NULL;
	}
	c = s->free;
	s->free = c->next;
	s->nr_live++;
	if (!s->free)
		partial_remove(s);
	spin_unlock(&xmalloc_lock);

	c->hdr.magic = XHDR_LIVE;
	c->hdr.size = (uint32_t)size;
	return &c->hdr + 1;
}

static void *alloc_large(size_t size)
{
	unsigned int order = get_order_from_bytes(size + sizeof(struct xhdr));
	struct xhdr *h;

	if (order > MAX_ORDER)
		return NULL;
	h = alloc_xenheap_pages(order, 0);
	if (!h)
		return NULL;
	*h = (struct xhdr){ .magic = XHDR_LIVE, .kind = KIND_LARGE,
			    .order = (uint16_t)order, .size = (uint32_t)size };
	return h + 1;
}

void *xmalloc_bytes(size_t size)
{
	if (size <= XMALLOC_MAX_SMALL)
		return alloc_small(size);
	if (size > SIZE_MAX / 2)	/* no such memory; avoid overflow */
		return NULL;
	return alloc_large(size);
}

void *xzalloc_bytes(size_t size)
{
	void *p = xmalloc_bytes(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void free_small(struct xhdr *h)
{
	struct slab *s = (struct slab *)((char *)h - h->offset);
	struct free_chunk *c = (struct free_chunk *)h;

	if (h->kind >= NR_CLASSES || s->magic != SLAB_MAGIC ||
	    s->kind != h->kind)
		panic("xfree: %p has a corrupt heap header", (void *)(h + 1));
	if (POISON_FREED)
		memset(h + 1, POISON_BYTE, classes[h->kind].chunk - sizeof(*h));
	h->magic = XHDR_FREE;

	spin_lock(&xmalloc_lock);
	if (!s->free)			/* was full: partial again */
		partial_add(s);
	c->next = s->free;
	s->free = c;
	if (--s->nr_live == 0) {	/* empty: back to the page allocator */
		partial_remove(s);
		s->magic = 0;
		free_xenheap_pages(s, classes[s->kind].order);
	}
	spin_unlock(&xmalloc_lock);
}

void xfree(void *p)
{
	struct xhdr *h;

	if (!p)
		return;
	if (!IS_ALIGNED((uintptr_t)p, XMALLOC_ALIGN))
		panic("xfree: %p is not a heap block (misaligned)", p);
	h = (struct xhdr *)p - 1;
	if (h->magic == XHDR_FREE)
		panic("xfree: double free of %p", p);
	if (h->magic != XHDR_LIVE)
		panic("xfree: %p is not a heap block", p);
	if (h->kind != KIND_LARGE) {
		free_small(h);
		return;
	}
	h->magic = XHDR_FREE;
	free_xenheap_pages(h, h->order);
}
