/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception and interrupt entry: one stub per vector 0-255 makes every
 * frame look the same (an error code, 0 where the CPU pushes none, then
 * the vector),
 * trap_common saves the general registers as a struct trap_frame
 * (traps.c), calls trap_handle(frame), restores them and returns with
 * IRETQ, to wherever trap_handle left frame->rip.
 *
 * And catch_fault(fn, arg) (traps.h): it records its stack pointer in
 * catch_rsp; trap_handle sends a caught exception to catch_resume with
 * the vector in rax, which unwinds to catch_fault's caller.
 */

#include "segments.h"

	.text
	.code64

/* The vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

.macro trap_stub vec
	.p2align 4
trap_stub_\vec:
	.if HAS_ERROR_CODE(\vec) == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
.endm

.irp vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
	  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	trap_stub \vec
.endr

/*
 * Vectors 32-255 (interrupts): one 16-byte stub each, in vector order
 * from irq_stubs, making the same frame (error code 0, then the vector).
 */
	.p2align 4
	.globl	irq_stubs
irq_stubs:
vec = 32
.rept	224
	.p2align 4
	pushq	$0
	pushq	$vec
	jmp	trap_common
vec = vec + 1
.endr

/* In struct trap_frame order: r15 is pushed last, at the lowest address.
 * The CPU aligned rsp to 16 before its 5-word frame; with the 2 words
 * above and these 15 it is still aligned at the call. */
trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld				/* the C ABI's direction flag */
	mov	%rsp, %rdi
	call	trap_handle
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

	.section .rodata
	.balign	8
	.globl	trap_stubs
trap_stubs:
.irp vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
	  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.quad	trap_stub_\vec
.endr

	.text
/* int catch_fault(void (*fn)(void *), void *arg) */
	.globl	catch_fault
catch_fault:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp		/* align rsp to 16 for the call */
	mov	%rsp, catch_rsp(%rip)
	mov	%rdi, %rax
	mov	%rsi, %rdi
	call	*%rax
	mov	$-1, %eax		/* NO_FAULT */
	.globl	catch_resume
catch_resume:				/* from trap_handle: eax = vector */
	mov	catch_rsp(%rip), %rsp
	movq	$0, catch_rsp(%rip)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/*
 * void enter_user(struct user_entry *e): IRETQ to e->rip at CPL 3 on
 * stack e->rsp, interrupts off (run_user() in traps.c; only an
 * exception comes back, through catch_fault()).
 */
	.globl	enter_user
enter_user:
	pushq	$SEL_UDATA | 3
	pushq	8(%rdi)
	pushq	$0x2			/* RFLAGS: IF 0 */
	pushq	$SEL_UCODE64 | 3
	pushq	(%rdi)
	iretq

	.bss
	.balign	8
	.globl	catch_rsp
catch_rsp:
	.skip	8

	.section .note.GNU-stack, "", @progbits
