/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_GUEST_REGS_ASM_H
#define ASM_X86_HVM_GUEST_REGS_ASM_H

/*
 * For the world-switch trampolines (svm/entry.S, vmx/entry.S): move the
 * guest GPRs that every back end switches the same way between struct
 * guest_regs at \base and the CPU. rax, rbp, rdi (and rsp) differ per
 * vendor and are handled by each trampoline.
 */
#include <asm-offsets.h>

.macro GREGS_LOAD base
	mov	GREGS_RBX(\base), %rbx
	mov	GREGS_RCX(\base), %rcx
	mov	GREGS_RDX(\base), %rdx
	mov	GREGS_RSI(\base), %rsi
	mov	GREGS_R8(\base), %r8
	mov	GREGS_R9(\base), %r9
	mov	GREGS_R10(\base), %r10
	mov	GREGS_R11(\base), %r11
	mov	GREGS_R12(\base), %r12
	mov	GREGS_R13(\base), %r13
	mov	GREGS_R14(\base), %r14
	mov	GREGS_R15(\base), %r15
.endm

.macro GREGS_SAVE base
	mov	%rbx, GREGS_RBX(\base)
	mov	%rcx, GREGS_RCX(\base)
	mov	%rdx, GREGS_RDX(\base)
	mov	%rsi, GREGS_RSI(\base)
	mov	%r8, GREGS_R8(\base)
	mov	%r9, GREGS_R9(\base)
	mov	%r10, GREGS_R10(\base)
	mov	%r11, GREGS_R11(\base)
	mov	%r12, GREGS_R12(\base)
	mov	%r13, GREGS_R13(\base)
	mov	%r14, GREGS_R14(\base)
	mov	%r15, GREGS_R15(\base)
.endm

#endif /* ASM_X86_HVM_GUEST_REGS_ASM_H */
