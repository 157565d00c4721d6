/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_GUEST_REGS_H
#define ASM_X86_HVM_GUEST_REGS_H

#include <lamina/types.h>

/*
 * A vCPU's general registers while the hypervisor handles an exit. The
 * vendor trampoline saves and restores the GPRs the hardware does not
 * switch (offsets from asm-offsets.c); rax, rsp, rip and rflags live in
 * the vendor control block and are copied here by C around each exit, so
 * exit handlers see one vendor-neutral frame.
 */
struct guest_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
};

#endif /* ASM_X86_HVM_GUEST_REGS_H */
