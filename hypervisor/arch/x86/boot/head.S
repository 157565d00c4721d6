/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from a multiboot1 or multiboot2 loader.
 *
 * Contract on entry (both specifications): 32-bit protected mode, paging
 * off, interrupts off, EAX = loader magic, EBX = machine address of the
 * boot information. We check for long mode and NX, switch to long mode on
 * the static boot page tables below (identity map of the low 4 GiB and the
 * image at IMAGE_VIRT_OFFSET), and call __start_lamina(magic, info) on the
 * boot stack. Nothing here touches memory outside the image.
 */
#include <asm/boot_gdt.h>

#define MB1_MAGIC		0x1badb002
#define MB1_FLAGS		((1 << 0) | (1 << 1) | (1 << 16))
#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define COM1			0x3f8

	.section .boot.header, "ax"
	.code32

	/* Multiboot 1: page-aligned modules, memory info, a.out kludge. */
	.balign 4
mb1_header:
	.long	MB1_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_MAGIC + MB1_FLAGS)
	.long	mb1_header		/* header_addr */
	.long	__image_start		/* load_addr */
	.long	__load_end_phys		/* load_end_addr */
	.long	__image_end_phys	/* bss_end_addr */
	.long	start32			/* entry_addr */

	/* Multiboot 2: address and entry tags, page-aligned modules. */
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	.short	2, 0			/* address tag */
	.long	24
	.long	mb2_header
	.long	__image_start
	.long	__load_end_phys
	.long	__image_end_phys
	.balign 8
	.short	3, 0			/* entry address tag */
	.long	12
	.long	start32
	.balign 8
	.short	6, 0			/* module alignment tag */
	.long	8
	.balign 8
	.short	0, 0			/* end tag */
	.long	8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl start32
start32:
	cli
	cld
	mov	%eax, boot_magic
	mov	%ebx, boot_info
	mov	$boot32_stack_top, %esp

	/* Long mode (CPUID 0x80000001 EDX bit 29) and NX (bit 20). */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode
	bt	$20, %edx
	jnc	no_nx

	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx		/* EFER: LME | NXE */
	rdmsr
	or	$((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG | WP | PE */
	mov	%eax, %cr0

	lgdt	boot_gdt_desc
	ljmp	$SEL_CODE64, $start64_low

/* Print the NUL-terminated string at ESI on COM1 (default set-up), halt. */
boot_fail:
	mov	$COM1 + 5, %dx
1:	in	%dx, %al
	test	$0x20, %al
	jz	1b
	mov	$COM1, %dx
	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	boot_fail
2:	hlt
	jmp	2b

no_long_mode:
	mov	$msg_no_lm, %esi
	jmp	boot_fail
no_nx:
	mov	$msg_no_nx, %esi
	jmp	boot_fail

	.code64
start64_low:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	boot_magic, %edi
	mov	boot_info, %esi
	movabs	$start64_high, %rax
	jmp	*%rax

	.section .boot.data, "aw"
msg_no_lm:
	.asciz	"(lamina) this CPU has no long mode: cannot boot\r\n"
msg_no_nx:
	.asciz	"(lamina) this CPU has no NX bit: cannot boot\r\n"
	.balign 4
boot_magic:
	.long	0
boot_info:
	.long	0
	.balign 8
	.globl boot_gdt
boot_gdt:
	BOOT_GDT_ENTRIES
boot_gdt_end:
	.globl boot_gdt_desc
boot_gdt_desc:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt
	.balign 16
	.space	512
boot32_stack_top:

	/*
	 * Boot page tables: 4 GiB identity-mapped with 2 MiB pages, and the
	 * first GiB again at IMAGE_VIRT_OFFSET (PML4 511, PDPT 510). Replaced
	 * by the real tables (arch/x86/paging.c) early in __start_lamina.
	 */
	.section .boot.pagetables, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt_low + 3
	.fill	510, 8, 0
	.quad	boot_pdpt_high + 3
boot_pdpt_low:
	.quad	boot_pd_low + 0x0000 + 3
	.quad	boot_pd_low + 0x1000 + 3
	.quad	boot_pd_low + 0x2000 + 3
	.quad	boot_pd_low + 0x3000 + 3
	.fill	508, 8, 0
boot_pdpt_high:
	.fill	510, 8, 0
	.quad	boot_pd_high + 3
	.quad	0
boot_pd_low:
	.set	n, 0
	.rept	2048
	.quad	(n << 21) | 0x83
	.set	n, n + 1
	.endr
boot_pd_high:
	.set	n, 0
	.rept	512
	.quad	(n << 21) | 0x83
	.set	n, n + 1
	.endr

	/* 64-bit, at the image's virtual address from here on. */
	.section .text.entry, "ax"
	.code64
start64_high:
	lgdt	boot_gdt_desc_high(%rip)
	lea	boot_stack_top(%rip), %rsp
	xor	%ebp, %ebp		/* a zero frame pointer ends traces */
	call	__start_lamina		/* entered with RSP = 8 mod 16 (SysV) */
	ud2

	.section .rodata
	.balign 8
boot_gdt_desc_high:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt + IMAGE_VIRT_OFFSET

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
