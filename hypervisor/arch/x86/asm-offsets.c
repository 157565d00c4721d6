// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets used by assembly, generated from C: compiled to assembly only,
 * and the @@OFFSET lines become include/asm-offsets.h (see the Makefile).
 */
#include <lamina/types.h>
#include <asm/regs.h>
#include <asm/percpu.h>

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
}
