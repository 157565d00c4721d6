/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_BOOT_GDT_H
#define ASM_X86_BOOT_GDT_H

/*
 * Assembly only (head.S, trampoline.S): the boot GDT's entries in
 * selector order. Kept out of layout.h, which the linker script includes.
 */
#include <asm/layout.h>

.macro BOOT_GDT_ENTRIES
	.quad	0
	.quad	DESC_CODE64			/* SEL_CODE64 */
	.quad	DESC_DATA			/* SEL_DATA */
	.quad	DESC_CODE32			/* SEL_CODE32 */
.endm

#endif /* ASM_X86_BOOT_GDT_H */
