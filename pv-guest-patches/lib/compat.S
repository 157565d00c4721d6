/* SPDX-License-Identifier: GPL-2.0 */
/*
 * long hypercall_compat_asm(uint32_t nr, uint32_t a1, uint32_t a2,
 *			     uint32_t a3, int vmmcall)
 *
 * A hypercall made from 32-bit code: a far return into the GDT's 32-bit
 * code segment (compatibility mode: long mode, paging as it is, CS.L =
 * 0), the 32-bit register convention (eax = nr; ebx, ecx, edx, esi, edi),
 * a far jump back to 64-bit code. The hypervisor decides between the two
 * conventions from CS.L, so this tests its 32-bit path.
 *
 * Coming back from compatibility mode, the upper halves of the general
 * registers are undefined (Intel SDM 3.3.2.1): every callee-saved
 * register and rsp are restored from memory.
 */
#include "segments.h"

	.text
	.code64
	.globl	hypercall_compat_asm
hypercall_compat_asm:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, compat_rsp(%rip)
	mov	%r8d, %ebp			/* vmmcall or vmcall */
	mov	%edi, %eax			/* nr */
	mov	%esi, %ebx			/* a1 */
	mov	%edx, %r9d
	mov	%ecx, %edx			/* a3 */
	mov	%r9d, %ecx			/* a2 */
	xor	%esi, %esi			/* a4, a5: 0 */
	xor	%edi, %edi
	pushq	$SEL_CODE32
	lea	1f(%rip), %r9
	push	%r9
	lretq

	.code32
1:	test	%ebp, %ebp
	jz	2f
	vmmcall
	jmp	3f
2:	vmcall
3:	ljmp	$SEL_CODE64, $4f

	.code64
4:	mov	compat_rsp(%rip), %rsp
	movslq	%eax, %rax			/* the 32-bit result */
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.bss
	.balign	8
compat_rsp:
	.skip	8

	.section .note.GNU-stack, "", @progbits
