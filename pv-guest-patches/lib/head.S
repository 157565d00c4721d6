/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH entry (Xen's docs/misc/pvh.pandoc). The hypervisor starts us
 * at the address in the XEN_ELFNOTE_PHYS32_ENTRY note with:
 *
 *   32-bit protected mode, paging off, CR4 = 0, interrupts off;
 *   CS, DS, ES, SS flat 4 GiB segments, but their selectors and the
 *   GDTR and IDTR are unspecified (so load our own before anything);
 *   EBX = guest-physical address of struct hvm_start_info, or 0 when
 *   the hypervisor gives none (Lamina gives one, docs/boot-domains.md);
 *   every other register unspecified.
 *
 * Here: our GDT and segments, identity page tables for the first 4 GiB
 * in 2 MiB pages, long mode, a stack, then guest_start(start_info) in
 * C (lib/start.c). Everything below 4 GiB, so the 32-bit code can use
 * the linked addresses as they are.
 */
#include <xen/elfnote.h>
#include "segments.h"

#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define PTE_P_RW	0x003		/* present, writable */
#define PTE_P_RW_PS	0x083		/* ... and a 2 MiB page (in a PD) */

	.section .note.Xen, "a", @note
	.balign	4
	.long	4				/* name size: "Xen\0" */
	.long	4				/* descriptor size */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign	4
	.long	_start

	.section .text.head, "ax"		/* first: at the load address */
	.code32
	.globl	_start
_start:
	cld
	/* Registers' values do not survive the switch to long mode. */
	mov	%ebx, boot_start_info
	/* CS stays the hypervisor's flat 32-bit segment until the ljmp. */
	lgdt	gdt_ptr
	load_data_segments
	mov	$stack_top, %esp

	/*
	 * pml4[0] -> pdpt; pdpt[0..3] -> pd[0..3]; the four page
	 * directories' 2048 entries map 2 MiB each: 0 to 4 GiB, identity.
	 * The tables are in .bss, which the loader zeroes.
	 */
	movl	$pdpt + PTE_P_RW, pml4
	mov	$pd + PTE_P_RW, %eax
	xor	%ecx, %ecx
1:	mov	%eax, pdpt(, %ecx, 8)
	add	$4096, %eax
	inc	%ecx
	cmp	$4, %ecx
	jne	1b
	/* Entries are 64 bits; the high halves stay 0 below 4 GiB. */
	mov	$PTE_P_RW_PS, %eax
	xor	%ecx, %ecx
2:	mov	%eax, pd(, %ecx, 8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$2048, %ecx
	jne	2b

	/* Long mode: PAE, CR3, EFER.LME, then paging on. */
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	/* Compatibility mode until CS is a 64-bit code segment. */
	ljmp	$SEL_CODE64, $start64

	.code64
start64:
	mov	$stack_top, %rsp
	mov	boot_start_info(%rip), %edi	/* zero-extends */
	call	guest_start
3:	hlt				/* guest_start does not return */
	jmp	3b

	.data
	.balign	8
	/*
	 * The GDT (selectors in segments.h). The TSS descriptor is filled in
	 * by traps.c: its base is a link-time address that the assembler
	 * cannot split into descriptor fields.
	 */
	.globl	gdt
gdt:
	.quad	0				/* null */
	.quad	0x00af9b000000ffff		/* SEL_CODE64: L, DPL 0 */
	.quad	0x00cf93000000ffff		/* SEL_DATA: 4 GiB read/write */
	.quad	0x00cf9b000000ffff		/* SEL_CODE32: D, 4 GiB */
	.quad	0, 0				/* SEL_TSS: 16 bytes */
	.quad	0x00cff3000000ffff		/* SEL_UDATA: DPL 3 */
	.quad	0x00affb000000ffff		/* SEL_UCODE64: L, DPL 3 */
gdt_end:
	.globl	gdt_ptr
gdt_ptr:
	.word	gdt_end - gdt - 1
	.quad	gdt				/* 32-bit lgdt reads 4 */

	.globl	boot_start_info
boot_start_info:
	.long	0

	.bss
	.balign	4096
	.globl	pml4, pdpt, pd
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
	.balign	16
stack:	.skip	16384
	.globl	stack_top
stack_top:

	.section .note.GNU-stack, "", @progbits
