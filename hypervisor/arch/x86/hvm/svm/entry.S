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
#include <asm/hvm/guest_regs_asm.h>

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

	GREGS_LOAD %rdi
	push	%rbp
	mov	GREGS_RBP(%rdi), %rbp
	mov	GREGS_RDI(%rdi), %rdi

	clgi
	vmload
	sti
	vmrun
	.globl	svm_vmrun_return
svm_vmrun_return:
	/* #VMEXIT: host rax (guest VMCB), rsp and rip are back; GIF 0. */
	vmsave

	pop	%rax			/* our %rbp: -64(%rbp) slot */
	xchg	%rax, %rbp		/* %rbp = frame, %rax = guest rbp */
	push	%rdi
	mov	-48(%rbp), %rdi
	mov	%rax, GREGS_RBP(%rdi)
	pop	GREGS_RDI(%rdi)
	GREGS_SAVE %rdi

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
