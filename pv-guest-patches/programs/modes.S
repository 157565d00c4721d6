/* SPDX-License-Identifier: GPL-2.0 */
/*
 * long modes_run(void): the intercepted instructions in every mode the
 * CPU has below long mode, for programs/modes.c.
 *
 * From 64-bit code this drops to 32-bit protected mode (compatibility
 * mode, paging off, EFER.LME clear) and runs the same block of
 * instructions, each with prefixes the hypervisor must count in its
 * length, in turn:
 *
 *   slot 0  32-bit protected mode, paging off
 *   slot 1  16-bit protected mode (CS and DS based at 1 MiB)
 *   slot 2  real mode (CS = DS = 0xffff, based at 0xffff0)
 *   slot 3  32-bit paging, the code run through a 4 MiB alias page
 *   slot 4  32-bit paging, through a 4 KiB alias page
 *   slot 5  PAE paging, through a 2 MiB alias page
 *   slot 6  PAE paging, through a 4 KiB alias page
 *
 * then returns to long mode. In slots 3-6 the code runs at a virtual
 * address (0x40000000 up) that is no guest-physical RAM: a hypervisor
 * that fetched the intercepted instruction by its linear address
 * instead of walking the page tables would find nothing there. The
 * nonzero CS bases of slots 1 and 2 likewise check that the CS base is
 * added. Each slot's results land in mode_results[slot] (the layout of
 * struct mode_result in modes.c); each slot also prints one line with
 * REP OUTSB on port 0xE9, the 16-bit slots a second one with 32-bit
 * addressing (67 prefix).
 *
 * No exception may happen below long mode: the IDT is the library's
 * 64-bit one, so any fault is a triple fault (and a failed test).
 * Everything real mode touches is in .text.low, which the linker script
 * puts in the first 64 KiB of the image: reachable from segment 0xffff.
 */
#include "segments.h"

#define SEL_CODE16	0x30		/* 16-bit code, base 1 MiB */
#define SEL_DATA16	0x38		/* 16-bit data, base 1 MiB */
#define SEL_REAL	0x40		/* 16-bit data, base 0: for real mode */
#define PM16_BASE	0x100000	/* CS and DS base in 16-bit PM */
#define RM_SEG		0xffff
#define RM_BASE		0xffff0

#define CR0_PE		0x1
#define CR0_PG		0x80000000
#define CR4_PSE		0x10
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define ALIAS		0x40000000

/* struct mode_result (modes.c) */
#define R_DONE		0
#define R_CPUID		4
#define R_EFER		8
#define R_XENVER	12
#define R_TSC		16
#define R_AUX		20
#define R_IN		24
#define R_SI		28
#define R_CX		32
#define R_SI32		36
#define R_CX32		40
#define R_SIZE		44

/* CPUID leaf 0x40000000 with two prefixes: EBX "XenV". */
.macro cpuid_prefixed
	mov	$0x40000000, %eax
	xor	%ecx, %ecx
	.byte	0x3e, 0x2e, 0x0f, 0xa2		/* ds cs cpuid */
.endm

/* xen_version(XENVER_version), 32-bit convention, a CS prefix. */
.macro hypercall_prefixed base=0
	mov	$17, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	cmpb	$0, modes_vmcall - \base
	jne	100f
	.byte	0x2e, 0x0f, 0x01, 0xd9		/* cs vmmcall */
	jmp	101f
100:	.byte	0x2e, 0x0f, 0x01, 0xc1		/* cs vmcall */
101:
.endm

/*
 * The 16-bit block: \base is the CS and DS base, so a symbol's offset
 * is its address minus \base.
 */
.macro tests16 base, slot
	cpuid_prefixed
	movl	%ebx, mode_results + \slot * R_SIZE + R_CPUID - \base
	mov	$MSR_EFER, %ecx
	.byte	0x66, 0x3e, 0x0f, 0x32		/* rdmsr, two prefixes */
	movl	%eax, mode_results + \slot * R_SIZE + R_EFER - \base
	hypercall_prefixed \base
	movl	%eax, mode_results + \slot * R_SIZE + R_XENVER - \base
	.byte	0x3e, 0x0f, 0x31		/* ds rdtsc */
	movl	%eax, mode_results + \slot * R_SIZE + R_TSC - \base
	cmpb	$0, modes_rdtscp - \base
	je	102f
	.byte	0x67, 0x0f, 0x01, 0xf9		/* addr32 rdtscp */
	movl	%ecx, mode_results + \slot * R_SIZE + R_AUX - \base
102:
	mov	$0x2e0, %dx
	inb	%dx, %al
	movzbl	%al, %eax
	movl	%eax, mode_results + \slot * R_SIZE + R_IN - \base
	.byte	0x2e, 0x0f, 0x09		/* cs wbinvd */
	cmpb	$0, modes_invd - \base
	je	103f
	.byte	0x3e, 0x0f, 0x08		/* ds invd */
103:
	mov	$0xe9, %dx
	mov	$0xffff0000, %esi		/* SI wraps in 16 bits */
	mov	$0xffff0000, %ecx
	mov	$line\slot - \base, %si
	mov	$line\slot\()_len, %cx
	rep	outsb
	movl	%esi, mode_results + \slot * R_SIZE + R_SI - \base
	movl	%ecx, mode_results + \slot * R_SIZE + R_CX - \base
	mov	$line\slot\()a - \base, %esi
	mov	$line\slot\()a_len, %ecx
	addr32	rep outsb
	movl	%esi, mode_results + \slot * R_SIZE + R_SI32 - \base
	movl	%ecx, mode_results + \slot * R_SIZE + R_CX32 - \base
	movl	$1, mode_results + \slot * R_SIZE + R_DONE - \base
.endm

.macro line slot, text
line\slot:
	.ascii	"\text\n"
	.set	line\slot\()_len, . - line\slot
.endm

	.section .text.low, "awx"

	.code64
	.globl	modes_run
modes_run:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, saved_rsp
	mov	%cr0, %rax
	mov	%rax, saved_cr0
	mov	%cr3, %rax
	mov	%rax, saved_cr3
	mov	%cr4, %rax
	mov	%rax, saved_cr4
	/* Our GDT: the library's entries (the TSS copied) and 16-bit ones. */
	mov	gdt + SEL_TSS, %rax
	mov	%rax, modes_gdt + SEL_TSS
	mov	gdt + SEL_TSS + 8, %rax
	mov	%rax, modes_gdt + SEL_TSS + 8
	lgdt	modes_gdt_ptr
	pushq	$SEL_CODE32
	pushq	$compat
	lretq

	.code32
compat:
	/* Paging off leaves long mode (EFER.LMA = 0); then LME off. */
	mov	%cr0, %eax
	and	$~CR0_PG, %eax
	mov	%eax, %cr0
	mov	$MSR_EFER, %ecx
	rdmsr
	and	$~EFER_LME, %eax
	wrmsr
	mov	%cr4, %eax
	and	$~CR4_PAE, %eax
	mov	%eax, %cr4

	mov	$0, %edi
	call	tests32
	mov	%esp, saved_esp
	ljmp	$SEL_CODE16, $pm16 - PM16_BASE

	.code16
pm16:
	mov	$SEL_DATA16, %ax
	mov	%ax, %ds
	mov	%ax, %es
	tests16	PM16_BASE, 1
	/* Real mode: 64 KiB limits in every segment cache first. */
	mov	$SEL_REAL, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	%cr0, %eax
	and	$~CR0_PE, %eax
	mov	%eax, %cr0
	ljmp	$RM_SEG, $real - RM_BASE
real:
	mov	$RM_SEG, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$rm_stack_top - RM_BASE, %sp
	tests16	RM_BASE, 2
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $pm32

	.code32
pm32:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	saved_esp, %esp

	/* 32-bit paging: 4 MiB pages for the first 16 MiB, alias at
	 * ALIAS (4 MiB page over PA 0) and ALIAS + 4 MiB (4 KiB pages). */
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$22, %eax
	or	$0x83, %eax			/* P, RW, PS */
	mov	%eax, pd32(, %ecx, 4)
	inc	%ecx
	cmp	$4, %ecx
	jne	1b
	movl	$0x83, pd32 + (ALIAS >> 22) * 4
	movl	$pt32 + 3, pd32 + (ALIAS >> 22) * 4 + 4
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	or	$3, %eax
	mov	%eax, pt32(, %ecx, 4)
	inc	%ecx
	cmp	$1024, %ecx
	jne	2b
	mov	%cr4, %eax
	or	$CR4_PSE, %eax
	mov	%eax, %cr4
	mov	$pd32, %eax
	mov	%eax, %cr3
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	mov	$3, %edi
	mov	$tests32 + ALIAS, %eax
	call	*%eax
	mov	$4, %edi
	mov	$tests32 + ALIAS + 0x400000, %eax
	call	*%eax
	mov	%cr0, %eax
	and	$~CR0_PG, %eax
	mov	%eax, %cr0
	mov	%cr4, %eax
	and	$~CR4_PSE, %eax
	mov	%eax, %cr4

	/* PAE: 2 MiB pages for the first 16 MiB, alias at ALIAS (2 MiB
	 * page over PA 0) and ALIAS + 2 MiB (4 KiB pages). */
	cmpb	$0, modes_pae
	je	no_pae
	movl	$pd_pae0 + 1, pdpt_pae		/* PDPTEs: P only */
	movl	$pd_pae1 + 1, pdpt_pae + 8
	xor	%ecx, %ecx
3:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax
	mov	%eax, pd_pae0(, %ecx, 8)
	inc	%ecx
	cmp	$8, %ecx
	jne	3b
	movl	$0x83, pd_pae1
	movl	$pt_pae + 3, pd_pae1 + 8
	xor	%ecx, %ecx
4:	mov	%ecx, %eax
	shl	$12, %eax
	or	$3, %eax
	mov	%eax, pt_pae(, %ecx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jne	4b
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pdpt_pae, %eax
	mov	%eax, %cr3
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	mov	$5, %edi
	mov	$tests32 + ALIAS, %eax
	call	*%eax
	mov	$6, %edi
	mov	$tests32 + ALIAS + 0x200000, %eax
	call	*%eax
	mov	%cr0, %eax
	and	$~CR0_PG, %eax
	mov	%eax, %cr0
no_pae:

	/* Back to long mode with the library's tables. */
	mov	saved_cr4, %eax
	mov	%eax, %cr4
	mov	saved_cr3, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	saved_cr0, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long64

	.code64
long64:
	lgdt	gdt_ptr(%rip)
	mov	saved_rsp(%rip), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	xor	%eax, %eax
	ret

/*
 * The 32-bit block, %edi = slot. Relative jumps only: it also runs at
 * the alias addresses; its data is reached at the identity addresses.
 */
	.code32
tests32:
	push	%ebx
	push	%ebp
	push	%esi
	push	%edi
	imul	$R_SIZE, %edi, %ebp
	add	$mode_results, %ebp
	cpuid_prefixed
	mov	%ebx, R_CPUID(%ebp)
	mov	$MSR_EFER, %ecx
	.byte	0x3e, 0x0f, 0x32		/* ds rdmsr */
	mov	%eax, R_EFER(%ebp)
	hypercall_prefixed
	mov	%eax, R_XENVER(%ebp)
	.byte	0x2e, 0x0f, 0x31		/* cs rdtsc */
	mov	%eax, R_TSC(%ebp)
	cmpb	$0, modes_rdtscp
	je	1f
	.byte	0x3e, 0x0f, 0x01, 0xf9		/* ds rdtscp */
	mov	%ecx, R_AUX(%ebp)
1:
	mov	$0x2e0, %dx
	inb	%dx, %al
	movzbl	%al, %eax
	mov	%eax, R_IN(%ebp)
	.byte	0x3e, 0x0f, 0x09		/* ds wbinvd */
	cmpb	$0, modes_invd
	je	2f
	.byte	0x26, 0x0f, 0x08		/* es invd */
2:
	mov	(%esp), %edi
	mov	lines32(, %edi, 4), %esi
	mov	lines32_len(, %edi, 4), %ecx
	mov	$0xe9, %dx
	.byte	0x3e				/* ds: the default, again */
	rep	outsb
	mov	%esi, R_SI(%ebp)
	mov	%ecx, R_CX(%ebp)
	movl	$1, R_DONE(%ebp)
	pop	%edi
	pop	%esi
	pop	%ebp
	pop	%ebx
	ret

	.balign	4
lines32:
	.long	line0, 0, 0, line3, line4, line5, line6
lines32_len:
	.long	line0_len, 0, 0, line3_len, line4_len, line5_len, line6_len

	line	0, "modes: 32-bit protected mode, paging off"
	line	1, "modes: 16-bit protected mode"
	line	1a, "modes: 16-bit protected mode, 32-bit addressing"
	line	2, "modes: real mode"
	line	2a, "modes: real mode, 32-bit addressing"
	line	3, "modes: 32-bit paging, 4 MiB alias page"
	line	4, "modes: 32-bit paging, 4 KiB alias page"
	line	5, "modes: PAE paging, 2 MiB alias page"
	line	6, "modes: PAE paging, 4 KiB alias page"

	.balign	8
modes_gdt:
	.quad	0
	.quad	0x00af9b000000ffff		/* SEL_CODE64 */
	.quad	0x00cf93000000ffff		/* SEL_DATA */
	.quad	0x00cf9b000000ffff		/* SEL_CODE32 */
	.quad	0, 0				/* SEL_TSS: copied */
	.quad	0x00009b100000ffff		/* SEL_CODE16: base 1 MiB */
	.quad	0x000093100000ffff		/* SEL_DATA16: base 1 MiB */
	.quad	0x000093000000ffff		/* SEL_REAL: base 0 */
modes_gdt_end:
modes_gdt_ptr:
	.word	modes_gdt_end - modes_gdt - 1
	.quad	modes_gdt

	.balign	8
	.globl	mode_results, modes_vmcall, modes_rdtscp, modes_invd, modes_pae
mode_results:
	.skip	7 * R_SIZE
modes_vmcall:
	.byte	0
modes_rdtscp:				/* the CPU has RDTSCP */
	.byte	0
modes_invd:				/* run INVD (not invd=no) */
	.byte	1
modes_pae:				/* run slots 5 and 6 (not pae=no) */
	.byte	1
	.balign	8
saved_rsp:	.quad	0
saved_cr0:	.quad	0
saved_cr3:	.quad	0
saved_cr4:	.quad	0
saved_esp:	.long	0
	.balign	16
rm_stack:
	.skip	256
rm_stack_top:

	.bss
	.balign	4096
pd32:	.skip	4096
pt32:	.skip	4096
pd_pae0: .skip	4096
pd_pae1: .skip	4096
pt_pae:	.skip	4096
pdpt_pae: .skip	32

	.section .note.GNU-stack, "", @progbits
