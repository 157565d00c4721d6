/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_XMALLOC_H
#define LAMINA_XMALLOC_H

#include <lamina/types.h>

/*
 * The hypervisor heap. Every block is XMALLOC_ALIGN aligned. Small
 * blocks come from power-of-two size classes carved from pages; a page
 * goes back to the page allocator as soon as its last block is freed.
 * Blocks above XMALLOC_MAX_SMALL bytes are whole pages from
 * alloc_xenheap_pages() plus a 16-byte header, so a caller wanting
 * exactly a page (or a page-aligned block) should use the page allocator.
 *
 * Returns NULL when out of memory. xmalloc_bytes(0) returns a unique
 * minimal block, to be freed like any other. May be called with spinlocks
 * of a level below LOCK_LEVEL_XMALLOC held; not from interrupt context.
 * xfree() of a pointer that is not a live heap block panics (the blocks
 * carry a magic number), catching most double frees and stray pointers.
 */
#define XMALLOC_ALIGN		16
#define XMALLOC_MAX_SMALL	2032	/* 2 KiB chunks less the header */

void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void xfree(void *p);

/* n elements of size bytes, or NULL if size * n overflows. */
static inline void *xmalloc_array_bytes(size_t size, size_t n, bool zero)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return zero ? xzalloc_bytes(size * n) : xmalloc_bytes(size * n);
}

#define XMALLOC_CHECK_ALIGN(type) \
	BUILD_BUG_ON(_Alignof(type) > XMALLOC_ALIGN)

#define xmalloc(type) ({ XMALLOC_CHECK_ALIGN(type); \
	(type *)xmalloc_bytes(sizeof(type)); })
#define xzalloc(type) ({ XMALLOC_CHECK_ALIGN(type); \
	(type *)xzalloc_bytes(sizeof(type)); })
#define xmalloc_array(type, n) ({ XMALLOC_CHECK_ALIGN(type); \
	(type *)xmalloc_array_bytes(sizeof(type), (n), false); })
#define xzalloc_array(type, n) ({ XMALLOC_CHECK_ALIGN(type); \
	(type *)xmalloc_array_bytes(sizeof(type), (n), true); })

#endif /* LAMINA_XMALLOC_H */
