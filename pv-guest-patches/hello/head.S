/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH entry of the reference guest: entered in 32-bit protected mode,
 * paging off, flat segments, EBX = the hvm_start_info address (0 from
 * Lamina for now). Set up a stack and call guest_main(); if it returns,
 * halt forever.
 */
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	.balign	4
	.long	4				/* name size: "Xen\0" */
	.long	4				/* descriptor size */
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
	push	%ebx
	call	guest_main
1:	hlt
	jmp	1b

	.bss
	.balign	16
stack:
	.skip	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
