/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU-mode test guest's assembly: PVH entry, its own GDT and IDT,
 * fault handlers that resume at a chosen address, and the mode
 * switches (long mode, compatibility mode, back) that C cannot write.
 *
 * Register contracts: the try_* helpers are cdecl functions returning
 * the vector of the fault the instruction raised (0: none); the fault
 * handlers resume at resume_eip. enter_long() does not return: its 64-bit
 * code reports, leaves long mode through compatibility mode, calls
 * back_in_32() to check that, enters long mode again with CR0.PG alone,
 * reports and powers off.
 */
#include <xen/elfnote.h>

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18
#define CR0_PG		0x80000000
#define MSR_EFER	0xc0000080
#define EFER_LMA	0x400
#define HYPERVISOR_console_io	18
#define HYPERVISOR_sched_op	29
#define SCHEDOP_shutdown	2

	.section .note.Xen, "a", @note
	.balign	4
	.long	4
	.long	4
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign	4
	.long	_start

	.text
	.code32
	.globl	_start
_start:
	cld
	mov	$stack_top, %esp
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	call	idt_init
	lidt	idt_desc
	call	guest_main
2:	hlt
	jmp	2b

/* 32-bit interrupt gates for #UD and #GP; every other vector absent. */
idt_init:
	mov	$ud_handler, %eax
	mov	$idt + 6 * 8, %edx
	call	set_gate
	mov	$gp_handler, %eax
	mov	$idt + 13 * 8, %edx
set_gate:
	mov	%ax, (%edx)
	movw	$SEL_CODE32, 2(%edx)
	movw	$0x8e00, 4(%edx)
	shr	$16, %eax
	mov	%ax, 6(%edx)
	ret

ud_handler:
	movl	$6, fault_vec
	jmp	resume
gp_handler:
	movl	$13, fault_vec
	add	$4, %esp		/* the error code */
resume:
	push	%eax
	mov	resume_eip, %eax
	mov	%eax, 4(%esp)		/* the saved EIP */
	pop	%eax
	iret

	.globl	try_mov_cr0, try_mov_cr4, try_vmxoff, try_wrmsr, try_xsetbv
/* int try_mov_cr0(uint32_t val) */
try_mov_cr0:
	movl	$0, fault_vec
	movl	$1f, resume_eip
	mov	4(%esp), %eax
	mov	%eax, %cr0
1:	mov	fault_vec, %eax
	ret

/* int try_mov_cr4(uint32_t val) */
try_mov_cr4:
	movl	$0, fault_vec
	movl	$1f, resume_eip
	mov	4(%esp), %eax
	mov	%eax, %cr4
1:	mov	fault_vec, %eax
	ret

/* int try_vmxoff(void) */
try_vmxoff:
	movl	$0, fault_vec
	movl	$1f, resume_eip
	vmxoff
1:	mov	fault_vec, %eax
	ret

/* int try_wrmsr(uint32_t msr, uint32_t lo, uint32_t hi) */
try_wrmsr:
	movl	$0, fault_vec
	movl	$1f, resume_eip
	mov	4(%esp), %ecx
	mov	8(%esp), %eax
	mov	12(%esp), %edx
	wrmsr
1:	mov	fault_vec, %eax
	ret

/* int try_xsetbv(uint32_t xcr, uint32_t lo, uint32_t hi) */
try_xsetbv:
	movl	$0, fault_vec
	movl	$1f, resume_eip
	mov	4(%esp), %ecx
	mov	8(%esp), %eax
	mov	12(%esp), %edx
	xsetbv
1:	mov	fault_vec, %eax
	ret

/*
 * void enter_long(uint32_t cr0): EFER.LME, CR4.PAE and CR3 are set;
 * writing cr0 (with PG) activates long mode.
 */
	.globl	enter_long
enter_long:
	mov	4(%esp), %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long64_first

/* 64-bit hypercall: number in eax, arguments rdi, rsi, rdx. */
	.code64
hypercall64:
	cmpl	$0, on_intel(%rip)
	je	1f
	vmcall
	ret
1:	vmmcall
	ret

/* Print the NUL-terminated string at rsi through console_io. */
print64:
	mov	%rsi, %rdx
	xor	%ecx, %ecx
1:	cmpb	$0, (%rsi, %rcx)
	je	2f
	inc	%ecx
	jmp	1b
2:	mov	%ecx, %esi		/* count */
	xor	%edi, %edi		/* CONSOLEIO_write */
	mov	$HYPERVISOR_console_io, %eax
	jmp	hypercall64

/* Print msg_ok if EFER.LMA is set, else msg_bad. */
check_lma64:
	push	%rsi
	mov	$MSR_EFER, %ecx
	rdmsr
	pop	%rsi
	test	$EFER_LMA, %eax
	jnz	print64
	mov	$msg_no_lma, %esi
	movl	$1, failures(%rip)
	jmp	print64

long64_first:
	mov	%esp, %esp		/* RSP's upper half: zero */
	mov	$msg_long_emulated, %esi
	call	check_lma64
	/* To compatibility mode, then paging off: long mode ends. */
	pushq	$SEL_CODE32
	mov	$compat32, %eax
	push	%rax
	lretq

long64_again:
	mov	%esp, %esp
	mov	$msg_long_hardware, %esi
	call	check_lma64
	mov	$msg_pass, %esi
	cmpl	$0, failures(%rip)
	je	1f
	mov	$msg_fail, %esi
1:	call	print64
	mov	$HYPERVISOR_sched_op, %eax
	mov	$SCHEDOP_shutdown, %edi
	mov	$shutdown_poweroff, %esi
	call	hypercall64
	mov	$msg_still, %esi
	call	print64
2:	hlt
	jmp	2b

	.code32
compat32:
	mov	%cr0, %eax
	and	$~CR0_PG, %eax
	mov	%eax, %cr0
	call	back_in_32
	/* CR0.PG again, NE unchanged: no exit under VMX. */
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long64_again

	.section .rodata
msg_long_emulated:
	.asciz	"cpumodes: long mode through an emulated CR0 write: ok\n"
msg_long_hardware:
	.asciz	"cpumodes: long mode again, CR0.PG alone: ok\n"
msg_no_lma:
	.asciz	"FAIL: EFER.LMA clear in 64-bit mode\n"
msg_pass:
	.asciz	"cpumodes: PASS\n"
msg_fail:
	.asciz	"cpumodes: FAIL\n"
msg_still:
	.asciz	"still running after SCHEDOP_shutdown\n"
	.balign	4
shutdown_poweroff:
	.long	0			/* SHUTDOWN_poweroff */

	.data
	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
idt_desc:
	.word	32 * 8 - 1
	.long	idt
	.globl	fault_vec
fault_vec:
	.long	0
resume_eip:
	.long	0

	.bss
	.balign	8
idt:
	.skip	32 * 8
	.balign	16
stack:
	.skip	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
