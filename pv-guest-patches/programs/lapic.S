/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The application processor's way in, for programs/lapic.c.
 *
 * ap_tramp ... ap_tramp_end is copied by the BSP to a page below 1 MiB,
 * whose number is the STARTUP IPI's vector: the AP starts there in real
 * mode, CS = vector << 8, IP = 0, the state after INIT. It says so on
 * port 0xE9, counts its start in ap_tramp_runs (in the copy), loads the
 * GDT the BSP wrote into ap_gdtr (the library's), enters protected mode
 * and jumps to ap_pm32 in the image, which enters long mode on the
 * BSP's page tables (head.S's pml4) like head.S does, and goes on to
 * ap_entry64: the library's GDT and segments, the stack the BSP put in
 * ap_stack_top, then ap_main() (lapic.c), which does not return.
 * VCPUOP_initialise starts an AP at ap_entry64 directly (in 64-bit mode
 * with null selectors: hence the reload there).
 *
 * Offsets into the copy are relative to ap_tramp: real mode addresses
 * it through CS = DS = the copy's segment.
 */
#include "segments.h"

#define CR0_PE		0x1
#define CR0_PG		0x80000000
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100

	.text
	.code16
	.p2align 4
	.globl	ap_tramp, ap_tramp_end, ap_gdtr, ap_tramp_runs
ap_tramp:
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	mov	$(ap_msg - ap_tramp), %si
	mov	$0xe9, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	lock incl (ap_tramp_runs - ap_tramp)
	lgdtl	(ap_gdtr - ap_tramp)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $ap_pm32
	.p2align 2
ap_gdtr:
	.word	0				/* limit, from the BSP */
	.long	0				/* base, from the BSP */
ap_tramp_runs:
	.long	0
ap_msg:
	.asciz	"lapic: AP in real mode\n"
ap_tramp_end:

	.code32
ap_pm32:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$CR4_PAE, %eax
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
	ljmp	$SEL_CODE64, $ap_entry64

	.code64
	.globl	ap_entry64
ap_entry64:
	mov	ap_stack_top(%rip), %rsp
	lgdt	gdt_ptr(%rip)
	load_data_segments
	pushq	$SEL_CODE64
	lea	3f(%rip), %rax
	pushq	%rax
	lretq
3:	call	ap_main
4:	cli
	hlt
	jmp	4b

	.section .note.GNU-stack, "", @progbits
