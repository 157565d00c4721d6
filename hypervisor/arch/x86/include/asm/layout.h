/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_LAYOUT_H
#define ASM_X86_LAYOUT_H

/*
 * The hypervisor's virtual address space. Shared by C, assembly and the
 * linker script, so only plain constants here.
 *
 *   0x0000000000000000 - 4 GiB      identity map, only while booting and
 *                                   while bringing up secondary CPUs
 *   0xffff820000000000 - 512 GiB    ioremap() area (uncached MMIO)
 *   0xffff830000000000 - 4 TiB      direct map of machine memory
 *   0xffffffff80000000 - 1 GiB      the image, at IMAGE_VIRT + its machine
 *                                   address (text RX, rodata R, data RW)
 */
#define IMAGE_PHYS_BASE		0x200000
#define IMAGE_VIRT_OFFSET	0xffffffff80000000
#define IOREMAP_VIRT_START	0xffff820000000000
#define IOREMAP_VIRT_SIZE	0x0000008000000000
#define DIRECTMAP_VIRT_START	0xffff830000000000
#define DIRECTMAP_VIRT_SIZE	0x0000040000000000

#define BOOT_STACK_SIZE		0x4000
#define CPU_STACK_SIZE		0x4000	/* per CPU; IST stacks separate */

/* Boot GDT selectors, also used by every CPU's own GDT. */
#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18
#define SEL_TSS		0x20

/* Their descriptors: flat 4 GiB, present, DPL 0 (64-bit code has L=1). */
#define DESC_CODE64	0x00af9a000000ffff
#define DESC_DATA	0x00cf92000000ffff
#define DESC_CODE32	0x00cf9a000000ffff

#endif /* ASM_X86_LAYOUT_H */
