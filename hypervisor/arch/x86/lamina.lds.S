/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One contiguous image: the file bytes from __image_start to __load_end are
 * loaded at machine address IMAGE_PHYS_BASE (multiboot1 a.out-kludge and the
 * multiboot2 address tag both say so), then BSS follows. .boot runs before
 * paging, at its machine address; everything else runs at IMAGE_VIRT_OFFSET
 * plus its machine address. Every section starts on a page so that the
 * page tables can give text, rodata and data their own permissions.
 */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS {
	boot PT_LOAD FLAGS(7);
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = IMAGE_PHYS_BASE;
	__image_start = .;
	.boot : {
		KEEP(*(.boot.header))
		*(.boot.text)
		*(.boot.data)
		. = ALIGN(4096);
		*(.boot.pagetables)
	} :boot
	. = ALIGN(4096);

	. += IMAGE_VIRT_OFFSET;
	__text_start = .;
	.text : AT(ADDR(.text) - IMAGE_VIRT_OFFSET) {
		*(.text.entry)
		*(.text .text.*)
	} :text
	__text_end = .;

	. = ALIGN(4096);
	__rodata_start = .;
	.rodata : AT(ADDR(.rodata) - IMAGE_VIRT_OFFSET) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__param_start = .;
		KEEP(*(.init.param))
		__param_end = .;
		. = ALIGN(8);
		__init_array_start = .;
		KEEP(*(SORT(.init_array.*)))
		KEEP(*(.init_array))
		__init_array_end = .;
		. = ALIGN(8);
		*(.rodata.symbols)
	} :rodata
	__rodata_end = .;

	. = ALIGN(4096);
	__data_start = .;
	.data : AT(ADDR(.data) - IMAGE_VIRT_OFFSET) {
		*(.data.page_aligned)
		*(.data .data.*)
	} :data
	. = ALIGN(4096);
	__load_end = .;
	.bss : AT(ADDR(.bss) - IMAGE_VIRT_OFFSET) {
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
	} :data
	. = ALIGN(4096);
	__image_end = .;

	__load_end_phys = __load_end - IMAGE_VIRT_OFFSET;
	__image_end_phys = __image_end - IMAGE_VIRT_OFFSET;

	/DISCARD/ : { *(.note.*) *(.comment) *(.eh_frame) }
}
