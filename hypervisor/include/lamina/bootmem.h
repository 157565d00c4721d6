/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_BOOTMEM_H
#define LAMINA_BOOTMEM_H

#include <lamina/types.h>

/*
 * The boot allocator: a sorted list of free machine-address ranges, used
 * before the page allocator exists (for the frame table, early page
 * tables...). Boot code feeds it the firmware memory map with
 * bootmem_add(), carves out what is in use with bootmem_reserve(), then
 * bootmem_handover() passes what is left to the page allocator; after
 * that every call but bootmem_free_bytes() panics.
 *
 * Everything is page granular: added ranges shrink inwards to whole
 * pages, reserved ranges grow outwards. Machine page 0 is never free, so
 * 0 can mean failure. Ranges are [start, end). No lock: only the boot
 * CPU uses it, before the other CPUs start.
 */

/* The most disjoint free ranges; more is a boot configuration error. */
#define BOOTMEM_MAX_RANGES	128

/* bootmem_alloc() limit meaning "anywhere". */
#define BOOTMEM_NO_LIMIT	(~(paddr_t)0)

/* Forget every range and allow use again (boot code need not call it). */
void bootmem_init(void);

void bootmem_add(paddr_t start, paddr_t end);
void bootmem_reserve(paddr_t start, paddr_t end);

/*
 * The highest suitable block of size bytes (rounded up to pages), aligned
 * to align (a power of two; at least a page), that ends at or below limit.
 * Returns its machine address, or 0 if no free range can hold it. The
 * memory is not zeroed.
 */
paddr_t bootmem_alloc(size_t size, size_t align, paddr_t limit);

/* Call fn for every free range, lowest first, then disable bootmem. */
void bootmem_handover(void (*fn)(paddr_t start, paddr_t end, void *ctx),
		      void *ctx);

uint64_t bootmem_free_bytes(void);
unsigned int bootmem_nr_ranges(void);

/* printk() the free ranges (boot diagnostics). */
void bootmem_dump(void);

#endif /* LAMINA_BOOTMEM_H */
