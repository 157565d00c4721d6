/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svm_vmrun(struct guest_regs *regs, paddr_t vmcb_pa, paddr_t host_vmcb_pa)
 *
 * The world switch and nothing else; the run loop is C (svm/vcpu.c).
 * Register contract:
 *   in:  %rdi = regs, %rsi = guest VMCB, %rdx = host VMCB (VMSAVEd at
 *        CPU bring-up); interrupts off, GIF 1.
 *   out: the guest's GPRs except rax and rsp (which the VMCB holds) are
 *        in *regs; the host's FS, GS, TR, LDTR and SYSCALL MSRs are back
 *        (VMLOAD of the host VMCB); interrupts off, GIF 1. Callee-saved
 *        registers preserved as the C ABI requires.
 *   GIF is 0 from CLGI to STGI, so no interrupt sees the guest's GS
 *   between VMLOAD and VMRUN or before the host's is back. IF is set
 *   around VMRUN only, so physical interrupts cause INTR exits (with
 *   V_INTR_MASKING they are gated by the host IF at VMRUN).
 */
#include <asm-offsets.h>

	.text
	.globl	svm_vmrun
	.type	svm_vmrun, @function
svm_vmrun:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* regs, at -48(%rbp) */
	push	%rdx			/* host VMCB, at -56(%rbp) */
	mov	%rsi, %rax		/* VMRUN, VMLOAD, VMSAVE take %rax */

	mov	GREGS_RBX(%rdi), %rbx
	mov	GREGS_RCX(%rdi), %rcx
	mov	GREGS_RDX(%rdi), %rdx
	mov	GREGS_RSI(%rdi), %rsi
	mov	GREGS_R8(%rdi), %r8
	mov	GREGS_R9(%rdi), %r9
	mov	GREGS_R10(%rdi), %r10
	mov	GREGS_R11(%rdi), %r11
	mov	GREGS_R12(%rdi), %r12
	mov	GREGS_R13(%rdi), %r13
	mov	GREGS_R14(%rdi), %r14
	mov	GREGS_R15(%rdi), %r15
	push	%rbp
	mov	GREGS_RBP(%rdi), %rbp
	mov	GREGS_RDI(%rdi), %rdi

	clgi
	vmload
	sti
	vmrun
	/* #VMEXIT: host rax (guest VMCB), rsp and rip are back; GIF 0. */
	vmsave

	pop	%rax			/* our %rbp: -64(%rbp) slot */
	xchg	%rax, %rbp		/* %rbp = frame, %rax = guest rbp */
	push	%rdi
	mov	-48(%rbp), %rdi
	mov	%rax, GREGS_RBP(%rdi)
	pop	GREGS_RDI(%rdi)
	mov	%rbx, GREGS_RBX(%rdi)
	mov	%rcx, GREGS_RCX(%rdi)
	mov	%rdx, GREGS_RDX(%rdi)
	mov	%rsi, GREGS_RSI(%rdi)
	mov	%r8, GREGS_R8(%rdi)
	mov	%r9, GREGS_R9(%rdi)
	mov	%r10, GREGS_R10(%rdi)
	mov	%r11, GREGS_R11(%rdi)
	mov	%r12, GREGS_R12(%rdi)
	mov	%r13, GREGS_R13(%rdi)
	mov	%r14, GREGS_R14(%rdi)
	mov	%r15, GREGS_R15(%rdi)

	mov	-56(%rbp), %rax
	vmload
	cli
	stgi

	add	$16, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	svm_vmrun, . - svm_vmrun
