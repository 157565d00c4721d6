/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where vcpu_start() (smp.c) starts a vCPU: VCPUOP_initialise's 64-bit
 * mode gives flat segments with null selectors, so load the library's
 * GDT and selectors (a far return for CS), then vcpu_started(fn), which
 * does not return. In: rsp = the stack's top, rdi = fn.
 */
#include "segments.h"

	.text
	.code64
	.globl	vcpu_entry64
vcpu_entry64:
	lgdt	gdt_ptr(%rip)
	load_data_segments
	pushq	$SEL_CODE64
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	call	vcpu_started
2:	cli
	hlt
	jmp	2b

	.section .note.GNU-stack, "", @progbits
