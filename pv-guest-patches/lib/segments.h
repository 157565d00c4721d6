/* SPDX-License-Identifier: GPL-2.0 */
/* The reference guest's GDT selectors (the table is in head.S). */
#ifndef GUEST_SEGMENTS_H
#define GUEST_SEGMENTS_H

#define SEL_CODE64	0x08	/* 64-bit kernel code */
#define SEL_DATA	0x10	/* flat data and stack, any mode */
#define SEL_CODE32	0x18	/* 32-bit code: compatibility mode */
#define SEL_TSS		0x20	/* the 64-bit TSS (two slots) */
#define SEL_UDATA	0x30	/* flat data and stack, DPL 3 */
#define SEL_UCODE64	0x38	/* 64-bit user code, DPL 3 */

#ifdef __ASSEMBLER__
/* DS, ES, SS, FS and GS: the flat data segment, in any mode (clobbers
 * %eax). */
.macro load_data_segments
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
.endm
#endif

#endif
