/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry: 256 stubs of 16 bytes each (the IDT is
 * filled from entry_stubs + 16 * vector). A stub pushes a zero error code
 * where the CPU pushes none, then the vector, and jumps to entry_common,
 * which saves the registers as struct cpu_regs and calls do_trap(regs).
 * Register contract: do_trap may change the frame; what it leaves there is
 * what iretq resumes.
 */
#include <asm-offsets.h>

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			(v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl entry_stubs
entry_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if	!HAS_ERRCODE(vec)
	pushq	$0
	.endif
	pushq	$vec
	jmp	entry_common
	.set	vec, vec + 1
	.endr

entry_common:
	cld
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	push	%rax
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* A frame record so that traces walk from the interrupted RIP. */
	mov	%rsp, %rdi
	call	do_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rax
	pop	%rcx
	pop	%rdx
	pop	%rsi
	pop	%rdi
	add	$16, %rsp		/* vector and error code */
	iretq

.if REGS_GPR_SIZE != 15 * 8
	.error "struct cpu_regs does not match entry_common"
.endif
