/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_MM_H
#define LAMINA_MM_H

#include <lamina/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PFN_DOWN(a)	((unsigned long)((a) >> PAGE_SHIFT))
#define PFN_UP(a)	((unsigned long)(((a) + PAGE_SIZE - 1) >> PAGE_SHIFT))

/*
 * The direct map: every machine address the hypervisor may touch is also
 * mapped, read-write and non-executable, at directmap_base + maddr. In the
 * hypervisor that is a fixed region set up at boot; the unit tests point it
 * at a buffer that stands in for machine memory.
 */
extern uintptr_t directmap_base;

static inline void *maddr_to_virt(paddr_t ma)
{
	return (void *)(directmap_base + (uintptr_t)ma);
}

static inline paddr_t virt_to_maddr(const void *va)
{
	return (paddr_t)((uintptr_t)va - directmap_base);
}

static inline void *mfn_to_virt(unsigned long mfn)
{
	return maddr_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

static inline unsigned long virt_to_mfn(const void *va)
{
	return (unsigned long)(virt_to_maddr(va) >> PAGE_SHIFT);
}

#endif /* LAMINA_MM_H */
