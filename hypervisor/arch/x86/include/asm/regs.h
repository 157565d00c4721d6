/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_REGS_H
#define ASM_X86_REGS_H

#include <lamina/types.h>

/*
 * The frame arch/x86/entry.S builds on an interrupt or exception: general
 * registers pushed by the stub, then vector and error code, then what the
 * CPU pushed. Offsets for the assembly come from asm-offsets.c.
 */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

#endif /* ASM_X86_REGS_H */
