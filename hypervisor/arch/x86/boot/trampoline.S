/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Start-up code for secondary CPUs. smp.c copies [trampoline_start,
 * trampoline_end) to a page below 1 MiB and patches the fields marked
 * "patched"; a STARTUP IPI for that page starts the AP here in real mode
 * with CS = page >> 4 and IP = 0. It goes straight to long mode on the
 * idle page tables (which still identity-map the low 4 GiB, so this page
 * stays reachable across the switch) and jumps to ap_start(percpu) on its
 * own stack.
 */
#include <asm/boot_gdt.h>

#define OFF(x)	((x) - trampoline_start)

	.section .rodata, "a"
	.balign 16
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	OFF(tramp_gdt_desc)
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	movl	OFF(tramp_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER: LME | NXE */
	rdmsr
	or	$((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG | WP | PE */
	mov	%eax, %cr0
	ljmpl	*OFF(tramp_far64)

	.code64
tramp64:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	tramp_stack(%rip), %rsp
	mov	tramp_percpu(%rip), %rdi
	mov	tramp_entry(%rip), %rax
	xor	%ebp, %ebp
	push	$0			/* ends stack traces */
	jmp	*%rax

	.balign 8
tramp_gdt:
	BOOT_GDT_ENTRIES
tramp_gdt_end:
	.globl tramp_gdt_desc
tramp_gdt_desc:
	.short	tramp_gdt_end - tramp_gdt - 1
	.long	0				/* patched: base */
	.globl tramp_far64
tramp_far64:
	.long	0				/* patched: tramp64 */
	.short	SEL_CODE64
	.balign 8
	.globl tramp_cr3
tramp_cr3:
	.quad	0				/* patched */
	.globl tramp_stack
tramp_stack:
	.quad	0				/* patched */
	.globl tramp_percpu
tramp_percpu:
	.quad	0				/* patched */
	.globl tramp_entry
tramp_entry:
	.quad	0				/* patched */
	.globl tramp64_offset
	.set	tramp64_offset, OFF(tramp64)
	.globl tramp_gdt_offset
	.set	tramp_gdt_offset, OFF(tramp_gdt)
	.globl trampoline_end
trampoline_end:
