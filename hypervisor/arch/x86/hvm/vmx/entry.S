/* SPDX-License-Identifier: GPL-2.0 */
/*
 * int vmx_vmenter(struct guest_regs *regs, bool launched)
 *
 * The world switch and nothing else; the run loop is C (vmx/vcpu.c).
 * Register contract:
 *   in:  %rdi = regs, %esi = launched (VMRESUME if nonzero, else
 *        VMLAUNCH); the vCPU's VMCS current, interrupts off.
 *   out: %eax = 0 after a VM exit: every guest GPR (rax included, which
 *        VMX does not keep in the VMCS; rsp and rip it does) is in
 *        *regs. %eax = 1 (VMfailValid) or 2 (VMfailInvalid) if the
 *        instruction failed: *regs untouched. Interrupts off either way
 *        (a VM exit clears RFLAGS). Callee-saved registers preserved as
 *        the C ABI requires.
 *   The VM exit arrives at vmx_vmexit (HOST_RIP, written once per CPU)
 *   with the stack pointer written to HOST_RSP just before entry, where
 *   the frame below holds regs and the callee-saved registers.
 */
#include <asm/hvm/guest_regs_asm.h>
#include <asm/hvm/vmx/vmcs.h>

	.text
	.globl	vmx_vmenter
	.type	vmx_vmenter, @function
vmx_vmenter:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* regs, at (%rsp) on exit */

	mov	$HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail
	/* From here only MOVs, which keep ZF for the launch choice. */
	test	%esi, %esi

	mov	GREGS_RAX(%rdi), %rax
	mov	GREGS_RBP(%rdi), %rbp
	GREGS_LOAD %rdi
	mov	GREGS_RDI(%rdi), %rdi

	jnz	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
	/* Still here: the entry failed; CF = VMfailInvalid, ZF = valid. */
.Lfail:
	mov	$1, %eax
	jnc	2f
	mov	$2, %eax
2:	add	$8, %rsp
	jmp	.Lout

	.globl	vmx_vmexit
vmx_vmexit:
	/* VM exit: host state loaded, %rsp as written above. */
	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rax, GREGS_RAX(%rdi)
	mov	%rbp, GREGS_RBP(%rdi)
	GREGS_SAVE %rdi
	pop	GREGS_RDI(%rdi)
	add	$8, %rsp		/* regs */
	xor	%eax, %eax
.Lout:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	vmx_vmenter, . - vmx_vmenter
