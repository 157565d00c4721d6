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

/* A general register by its number in instruction encodings (0 = rAX,
 * 1 = rCX, ... 15 = R15; only the low 4 bits count). */
static inline uint64_t *guest_gpr(struct guest_regs *r, unsigned int n)
{
	static const uint8_t off[16] = {
		offsetof(struct guest_regs, rax),
		offsetof(struct guest_regs, rcx),
		offsetof(struct guest_regs, rdx),
		offsetof(struct guest_regs, rbx),
		offsetof(struct guest_regs, rsp),
		offsetof(struct guest_regs, rbp),
		offsetof(struct guest_regs, rsi),
		offsetof(struct guest_regs, rdi),
		offsetof(struct guest_regs, r8),
		offsetof(struct guest_regs, r9),
		offsetof(struct guest_regs, r10),
		offsetof(struct guest_regs, r11),
		offsetof(struct guest_regs, r12),
		offsetof(struct guest_regs, r13),
		offsetof(struct guest_regs, r14),
		offsetof(struct guest_regs, r15),
	};

	return (uint64_t *)((char *)r + off[n & 15]);
}

#endif /* ASM_X86_HVM_GUEST_REGS_H */
