// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's page tables (one set, shared by every CPU).
 *
 * Before paging_init() switches to them, the CPU runs on the static boot
 * tables of head.S, which identity-map the low 4 GiB: page-table pages are
 * then taken below 4 GiB and reached through that identity map. Afterwards
 * they are reached through the direct map.
 */
#include <lamina/bootmem.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>

uintptr_t directmap_base = DIRECTMAP_VIRT_START;

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __image_end[];

static paddr_t idle_pml4;
static bool on_directmap;	/* page tables reached through the direct map */
static bool use_page_alloc;
static bool have_1g_pages;
static uintptr_t ioremap_next = IOREMAP_VIRT_START;

static uint64_t *pt_virt(paddr_t pa)
{
	return on_directmap ? maddr_to_virt(pa) : (uint64_t *)(uintptr_t)pa;
}

static paddr_t pt_alloc(void)
{
	paddr_t pa;

	if (use_page_alloc) {
		struct page_info *pg = alloc_pages(0, MEMF_below_4G);

		if (!pg)
			panic("out of memory for page tables");
		pa = (paddr_t)page_to_mfn(pg) << PAGE_SHIFT;
	} else {
		/* Below 4 GiB: the AP trampoline loads CR3 in 32-bit code. */
		pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, GiB(4));
		if (!pa)
			panic("out of boot memory for page tables");
	}
	memset(pt_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* The table one level down from entry *e, created if absent. */
static uint64_t *pt_next(uint64_t *e)
{
	if (!(*e & _PAGE_PRESENT))
		*e = pt_alloc() | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
	BUG_ON(*e & _PAGE_PSE);	/* would split a large page: not needed */
	return pt_virt(*e & PTE_ADDR_MASK);
}

/*
 * Map [va, va+size) to [pa, pa+size) with flags, using 1 GiB and 2 MiB
 * pages where alignment allows (large: allow them). Existing mappings are
 * replaced, which callers use only for identical or new ranges.
 */
static void map_range(uintptr_t va, paddr_t pa, uint64_t size,
		      uint64_t flags, bool large)
{
	uint64_t *pml4 = pt_virt(idle_pml4);

	while (size) {
		uint64_t *pdpt = pt_next(&pml4[(va >> 39) & 511]);
		uint64_t *pdpte = &pdpt[(va >> 30) & 511], *pd, *pde, *pt;

		if (large && have_1g_pages && IS_ALIGNED(va | pa, GiB(1)) &&
		    size >= GiB(1) && !(*pdpte & _PAGE_PRESENT)) {
			*pdpte = pa | flags | _PAGE_PSE;
			va += GiB(1), pa += GiB(1), size -= GiB(1);
			continue;
		}
		pd = pt_next(pdpte);
		pde = &pd[(va >> 21) & 511];
		if (large && IS_ALIGNED(va | pa, MiB(2)) && size >= MiB(2) &&
		    !(*pde & _PAGE_PRESENT)) {
			*pde = pa | flags | _PAGE_PSE;
			va += MiB(2), pa += MiB(2), size -= MiB(2);
			continue;
		}
		pt = pt_next(pde);
		pt[(va >> 12) & 511] = pa | flags;
		va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
	}
}

static void map_image_part(const char *start, const char *end,
			   uint64_t flags)
{
	uintptr_t va = (uintptr_t)start;

	map_range(va, va - IMAGE_VIRT_OFFSET, ALIGN_UP((uintptr_t)end, PAGE_SIZE) - va,
		  flags, false);
}

/* Every memory-map region, RAM cached and the rest uncached. */
static void map_directmap(const struct boot_info *bi)
{
	paddr_t done = MiB(1);
	unsigned int i;

	map_range(DIRECTMAP_VIRT_START, 0, MiB(1), PAGE_HV_RW, true);
	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_region *m = &bi->mem[i];
		paddr_t s = MAX(ALIGN_DOWN(m->base, PAGE_SIZE), done);
		paddr_t e = ALIGN_UP(m->base + m->len, PAGE_SIZE);
		bool cached = m->type == E820_RAM || m->type == E820_ACPI ||
			      m->type == E820_NVS;
		uint64_t flags = cached ? PAGE_HV_RW : PAGE_HV_UC;

		if (e <= s || e > DIRECTMAP_VIRT_SIZE)
			continue;
		map_range(DIRECTMAP_VIRT_START + s, s, e - s, flags, true);
		done = e;
	}
}

void paging_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;

	cpuid(0x80000001, &a, &b, &c, &d);
	have_1g_pages = d & (1u << 26);
	idle_pml4 = pt_alloc();
	map_directmap(bi);
	map_image_part(__text_start, __text_end, PAGE_HV_RX);
	map_image_part(__rodata_start, __rodata_end, PAGE_HV_RO);
	map_image_part(__data_start, __image_end, PAGE_HV_RW);
	/* Low 4 GiB identity, executable, for the AP trampoline. */
	map_range(0, 0, GiB(4), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
		  _PAGE_DIRTY, true);

	write_cr4(read_cr4() | X86_CR4_PGE);
	write_cr3(idle_pml4);
	on_directmap = true;
}

void paging_use_page_alloc(void)
{
	use_page_alloc = true;
}

paddr_t paging_idle_cr3(void)
{
	return idle_pml4;
}

void paging_drop_identity(void)
{
	uint64_t *pml4 = pt_virt(idle_pml4);

	/* The tables below stay allocated: 4 pages, not worth a walk. */
	pml4[0] = 0;
	flush_tlb_all_local();
}

void *ioremap(paddr_t maddr, size_t size)
{
	paddr_t base = ALIGN_DOWN(maddr, PAGE_SIZE);
	uint64_t len = ALIGN_UP(maddr + size, PAGE_SIZE) - base;
	uintptr_t va = ioremap_next;

	if (len > IOREMAP_VIRT_START + IOREMAP_VIRT_SIZE - va)
		panic("ioremap area exhausted");
	map_range(va, base, len, PAGE_HV_UC, false);
	ioremap_next += len + PAGE_SIZE;	/* a guard page between */
	return (void *)(va + (maddr - base));
}
