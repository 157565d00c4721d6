/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The assembly of programs/exits.c: instruction sequences whose exact
 * bytes, registers or privilege level the tests depend on.
 */

#define XENVER	17		/* __HYPERVISOR_xen_version */

	.text
	.code64

/* The hypercall instruction of this CPU's vendor (exits_vmcall). */
.macro hypercall
	cmpb	$0, exits_vmcall(%rip)
	jne	100f
	vmmcall
	jmp	101f
100:	vmcall
101:
.endm

/*
 * unsigned long hypercall_clobbers(void): xen_version(XENVER_version)
 * with every other register holding a pattern; returns a bit per
 * register (encoding order) that came back changed, bit 16 if the
 * result was wrong. rsp is checked too (bit 4).
 */
	.globl	hypercall_clobbers
hypercall_clobbers:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, saved_rsp(%rip)
	mov	$XENVER, %eax
	xor	%edi, %edi			/* XENVER_version */
	mov	$0x1111111111111111, %rbx
	mov	$0x2222222222222222, %rcx
	mov	$0x3333333333333333, %rdx
	mov	$0x4444444444444444, %rsi
	mov	$0x5555555555555555, %rbp
	mov	$0x8888888888888888, %r8
	mov	$0x9999999999999999, %r9
	mov	$0xaaaaaaaaaaaaaaaa, %r10
	mov	$0xbbbbbbbbbbbbbbbb, %r11
	mov	$0xcccccccccccccccc, %r12
	mov	$0xdddddddddddddddd, %r13
	mov	$0xeeeeeeeeeeeeeeee, %r14
	mov	$0xffffffffffffffff, %r15
	hypercall
	mov	%rax, hc_result(%rip)
	mov	%r11, r11_after(%rip)
	xor	%eax, %eax
.macro expect reg, val, bit
	mov	$\val, %r11
	cmp	%r11, \reg
	je	1f
	or	$(1 << \bit), %eax
1:
.endm
	expect	%rbx, 0x1111111111111111, 3
	expect	%rcx, 0x2222222222222222, 1
	expect	%rdx, 0x3333333333333333, 2
	expect	%rsi, 0x4444444444444444, 6
	expect	%rbp, 0x5555555555555555, 5
	expect	%rdi, 0, 7
	expect	%r8, 0x8888888888888888, 8
	expect	%r9, 0x9999999999999999, 9
	expect	%r10, 0xaaaaaaaaaaaaaaaa, 10
	expect	%r12, 0xcccccccccccccccc, 12
	expect	%r13, 0xdddddddddddddddd, 13
	expect	%r14, 0xeeeeeeeeeeeeeeee, 14
	expect	%r15, 0xffffffffffffffff, 15
	mov	r11_after(%rip), %rdi		/* rdi is checked: scratch */
	expect	%rdi, 0xbbbbbbbbbbbbbbbb, 11
	cmp	saved_rsp(%rip), %rsp
	je	2f
	or	$(1 << 4), %eax
2:	cmpq	$0x40011, hc_result(%rip)
	je	3f
	or	$(1 << 16), %eax
3:	mov	saved_rsp(%rip), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/*
 * void prefixed(struct prefixed_result *r): intercepted instructions
 * with prefixes in 64-bit code, REX included (layout in exits.c).
 */
	.globl	prefixed
prefixed:
	push	%rbx
	mov	%rdi, %r8
	mov	$0x40000000, %eax
	xor	%ecx, %ecx
	.byte	0x3e, 0x48, 0x0f, 0xa2		/* ds rex.w cpuid */
	mov	%ebx, 0(%r8)
	mov	$0xc0000080, %ecx
	.byte	0x2e, 0x48, 0x0f, 0x32		/* cs rex.w rdmsr */
	mov	%eax, 4(%r8)
	.byte	0x3e, 0x0f, 0x31		/* ds rdtsc */
	mov	%eax, 8(%r8)
	cmpb	$0, exits_rdtscp(%rip)		/* not on every CPU */
	je	3f
	.byte	0x2e, 0x41, 0x0f, 0x01, 0xf9	/* cs rex.b rdtscp */
	mov	%ecx, 12(%r8)
3:
	mov	$XENVER, %eax
	xor	%edi, %edi
	cmpb	$0, exits_vmcall(%rip)
	jne	1f
	.byte	0x3e, 0x0f, 0x01, 0xd9		/* ds vmmcall */
	jmp	2f
1:	.byte	0x3e, 0x0f, 0x01, 0xc1		/* ds vmcall */
2:	mov	%eax, 16(%r8)
	.byte	0x64, 0x0f, 0x09		/* fs wbinvd */
	cmpb	$0, exits_invd(%rip)
	je	4f
	.byte	0x65, 0x0f, 0x08		/* gs invd */
4:
	movl	$1, 20(%r8)
	pop	%rbx
	ret

/*
 * void tf_cpuid(void *unused): CPUID with RFLAGS.TF set: the hypervisor
 * emulates it, and must then deliver the single-step #DB at tf_after,
 * as the CPU would. The caught #DB ends the function (catch_fault).
 */
	.globl	tf_cpuid, tf_after
tf_cpuid:
	push	%rbx
	pushfq
	orq	$0x100, (%rsp)
	xor	%eax, %eax
	popfq
	cpuid
tf_after:
	nop
	ud2

/*
 * User-mode routines, run at CPL 3 through the user alias of the image
 * (run_user()): relative addressing only. Each ends with ud2, which
 * ends run_user() with #UD.
 */
	.globl	user_hypercall, user_rdpmc, user_rdpmc_insn, user_cpuid
	.globl	user_done
user_hypercall:
	mov	$XENVER, %eax
	xor	%edi, %edi
	hypercall
	mov	%rax, user_result(%rip)
user_done:
	ud2

user_rdpmc:
	xor	%ecx, %ecx
user_rdpmc_insn:
	rdpmc
	ud2

user_cpuid:
	mov	$0x40000000, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%rbx, user_result(%rip)
	ud2

	.data
	.balign	8
	.globl	exits_vmcall, exits_rdtscp, exits_invd, user_result
saved_rsp:	.quad	0
hc_result:	.quad	0
r11_after:	.quad	0
user_result:	.quad	0
exits_vmcall:	.byte	0
exits_rdtscp:	.byte	0
exits_invd:	.byte	1

	.section .note.GNU-stack, "", @progbits
