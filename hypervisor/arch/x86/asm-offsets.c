// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets used by assembly, generated from C: compiled to assembly only,
 * and the @@OFFSET lines become include/asm-offsets.h (see the Makefile).
 */
#include <lamina/types.h>
#include <asm/regs.h>
#include <asm/percpu.h>
#include <asm/hvm/guest_regs.h>

#define OFFSET(sym, str, mem) \
	__asm__ __volatile__("\n@@OFFSET " #sym " %c0" :: "i"(offsetof(str, mem)))
#define DEFINE(sym, val) \
	__asm__ __volatile__("\n@@OFFSET " #sym " %c0" :: "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(REGS_R15, struct cpu_regs, r15);
	OFFSET(REGS_VECTOR, struct cpu_regs, vector);
	OFFSET(REGS_ERROR_CODE, struct cpu_regs, error_code);
	OFFSET(REGS_RIP, struct cpu_regs, rip);
	DEFINE(REGS_SIZE, sizeof(struct cpu_regs));
	DEFINE(REGS_GPR_SIZE, offsetof(struct cpu_regs, vector));
	OFFSET(PERCPU_SELF, struct percpu, self);
	OFFSET(PERCPU_CPU_ID, struct percpu, cpu_id);
	OFFSET(GREGS_RAX, struct guest_regs, rax);
	OFFSET(GREGS_RBX, struct guest_regs, rbx);
	OFFSET(GREGS_RCX, struct guest_regs, rcx);
	OFFSET(GREGS_RDX, struct guest_regs, rdx);
	OFFSET(GREGS_RSI, struct guest_regs, rsi);
	OFFSET(GREGS_RDI, struct guest_regs, rdi);
	OFFSET(GREGS_RBP, struct guest_regs, rbp);
	OFFSET(GREGS_R8, struct guest_regs, r8);
	OFFSET(GREGS_R9, struct guest_regs, r9);
	OFFSET(GREGS_R10, struct guest_regs, r10);
	OFFSET(GREGS_R11, struct guest_regs, r11);
	OFFSET(GREGS_R12, struct guest_regs, r12);
	OFFSET(GREGS_R13, struct guest_regs, r13);
	OFFSET(GREGS_R14, struct guest_regs, r14);
	OFFSET(GREGS_R15, struct guest_regs, r15);
}
