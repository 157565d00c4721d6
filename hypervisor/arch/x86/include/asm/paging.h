/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_PAGING_H
#define ASM_X86_PAGING_H

#include <lamina/types.h>
#include <lamina/bootinfo.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

#define PAGE_HV_RW	(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_HV_RO	(_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX | _PAGE_ACCESSED)
#define PAGE_HV_RX	(_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED)
#define PAGE_HV_UC	(PAGE_HV_RW | _PAGE_PCD | _PAGE_PWT)

/*
 * Build the hypervisor's own page tables from the memory map (direct map
 * of every region, the image with W^X permissions, a temporary identity
 * map of the low 4 GiB for AP start-up) and switch to them. Page-table
 * pages come from the boot allocator until paging_use_page_alloc().
 */
void paging_init(const struct boot_info *bi);
void paging_use_page_alloc(void);

/* Drop the low identity map once every AP is up (all CPUs flush). */
void paging_drop_identity(void);

/* Map [maddr, maddr+size) uncached; returns the virtual address of maddr. */
void *ioremap(paddr_t maddr, size_t size);

/* The machine address of the idle page tables (for AP start-up). */
paddr_t paging_idle_cr3(void);

static inline void flush_tlb_all_local(void)
{
	unsigned long cr4;

	/* Toggling PGE flushes global entries too. */
	__asm__ __volatile__("mov %%cr4, %0; xor $0x80, %0; mov %0, %%cr4;"
			     "xor $0x80, %0; mov %0, %%cr4"
			     : "=&r"(cr4) :: "memory");
}

#endif /* ASM_X86_PAGING_H */
