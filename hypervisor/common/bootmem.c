// SPDX-License-Identifier: GPL-2.0
/*
 * The boot allocator (see lamina/bootmem.h for the contract).
 *
 * A fixed array of free ranges, kept sorted by address, disjoint and with
 * no two touching (touching ranges are merged), so its length is the
 * number of holes plus one at most. Allocation takes the highest fitting
 * block: low memory (below 1 MiB, below 4 GiB) is scarce and wanted later
 * for things that must live there, so callers that need it say so with
 * their limit, and everyone else gets memory from the top.
 */
#include <lamina/bootmem.h>
#include <lamina/lib.h>
#include <lamina/mm.h>

struct range {
	paddr_t start;
	paddr_t end;	/* exclusive; start < end */
};

/* Boot CPU only, before SMP bring-up: no lock (see bootmem.h). */
static struct range ranges[BOOTMEM_MAX_RANGES];
static unsigned int nr_ranges;
static bool handed_over;

#define PADDR_MAX	(~(paddr_t)0)

static void check_usable(const char *what)
{
	if (handed_over)
		panic("bootmem: %s after the handover to the page allocator",
		      what);
}

void bootmem_init(void)
{
	nr_ranges = 0;
	handed_over = false;
}

static void remove_at(unsigned int i)
{
	memmove(&ranges[i], &ranges[i + 1],
		(nr_ranges - i - 1) * sizeof(ranges[0]));
	nr_ranges--;
}

static void insert_at(unsigned int i, paddr_t start, paddr_t end)
{
	if (nr_ranges == BOOTMEM_MAX_RANGES)
		panic("bootmem: more than %u disjoint memory ranges; raise "
		      "BOOTMEM_MAX_RANGES", BOOTMEM_MAX_RANGES);
	memmove(&ranges[i + 1], &ranges[i],
		(nr_ranges - i) * sizeof(ranges[0]));
	ranges[i] = (struct range){ .start = start, .end = end };
	nr_ranges++;
}

void bootmem_add(paddr_t start, paddr_t end)
{
	unsigned int i, j;

	check_usable("bootmem_add");
	/* Whole pages only, and never page 0 (0 means failure). */
	if (start > PADDR_MAX - (PAGE_SIZE - 1))
		return;		/* not even one whole page */
	start = ALIGN_UP(start, PAGE_SIZE);
	start = MAX(start, (paddr_t)PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return;

	/* i: the first range that touches or lies after [start, end). */
	for (i = 0; i < nr_ranges && ranges[i].end < start; i++)
		;
	/* j: one past the last range that touches [start, end). */
	for (j = i; j < nr_ranges && ranges[j].start <= end; j++)
		;
	if (i == j) {
		insert_at(i, start, end);
		return;
	}
	/* Merge ranges i..j-1 and the new one into ranges[i]. */
	ranges[i].start = MIN(ranges[i].start, start);
	ranges[i].end = MAX(ranges[j - 1].end, end);
	while (j-- > i + 1)
		remove_at(i + 1);
}

void bootmem_reserve(paddr_t start, paddr_t end)
{
	unsigned int i;
	struct range *r;

	check_usable("bootmem_reserve");
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = end > PADDR_MAX - (PAGE_SIZE - 1) ? PADDR_MAX :
						  ALIGN_UP(end, PAGE_SIZE);
	for (i = 0; i < nr_ranges && start < end;) {
		r = &ranges[i];
		if (r->end <= start) {
			i++;
			continue;
		}
		if (r->start >= end)
			break;
		if (r->start >= start && r->end <= end) {	/* all */
			remove_at(i);
		} else if (r->start >= start) {		/* head */
			r->start = end;
			i++;
		} else if (r->end <= end) {			/* tail */
			r->end = start;
			i++;
		} else {					/* middle */
			insert_at(i + 1, end, r->end);
			ranges[i].end = start;
			break;
		}
	}
}

paddr_t bootmem_alloc(size_t size, size_t align, paddr_t limit)
{
	unsigned int i;
	paddr_t top, addr;

	check_usable("bootmem_alloc");
	if (align & (align - 1))
		panic("bootmem_alloc: alignment %#zx is not a power of two",
		      align);
	align = MAX(align, PAGE_SIZE);
	if (!size || size > PADDR_MAX - PAGE_SIZE)
		return 0;
	size = ALIGN_UP(size, PAGE_SIZE);

	for (i = nr_ranges; i-- > 0;) {
		top = MIN(ranges[i].end, limit);
		if (top < ranges[i].start || top - ranges[i].start < size)
			continue;
		addr = ALIGN_DOWN(top - size, (paddr_t)align);
		if (addr < ranges[i].start)
			continue;
		bootmem_reserve(addr, addr + size);
		return addr;
	}
	return 0;
}

void bootmem_handover(void (*fn)(paddr_t start, paddr_t end, void *ctx),
		      void *ctx)
{
	unsigned int i;

	check_usable("bootmem_handover");
	/* Disable first: fn must not allocate from what it is given. */
	handed_over = true;
	for (i = 0; i < nr_ranges; i++)
		fn(ranges[i].start, ranges[i].end, ctx);
	nr_ranges = 0;
}

uint64_t bootmem_free_bytes(void)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		total += ranges[i].end - ranges[i].start;
	return total;
}

unsigned int bootmem_nr_ranges(void)
{
	return nr_ranges;
}

void bootmem_dump(void)
{
	unsigned int i;

	for (i = 0; i < nr_ranges; i++)
		printk("(lamina) bootmem: [%#018llx, %#018llx) free\n",
		       (unsigned long long)ranges[i].start,
		       (unsigned long long)ranges[i].end);
}
