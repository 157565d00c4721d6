/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_PERCPU_H
#define ASM_X86_PERCPU_H

#include <lamina/types.h>

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __packed;

#define IST_DF		1	/* double fault */
#define IST_NMI		2
#define IST_MC		3
#define IST_STACK_SIZE	4096

/*
 * Per-CPU state, reached through GS (self points at the structure itself,
 * so this_cpu() is one load). Written only by its own CPU after bring-up,
 * except online, which the boot CPU reads while waiting.
 */
struct percpu {
	struct percpu *self;
	unsigned int cpu_id;
	uint32_t apic_id;
	volatile bool online;
	uintptr_t stack_top;		/* the CPU's normal stack */
	/*
	 * FS base points here: Debian's static libraries (liblzma, libfdt)
	 * are built with the stack protector and read their canary at
	 * %fs:0x28, so that word must exist and stay constant.
	 */
	uint64_t fs_block[8] __aligned(64);
	uint64_t gdt[8] __aligned(16);
	struct tss64 tss __aligned(16);
	uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
};

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ ("mov %%gs:0, %0" : "=r"(p));
	return p;
}

extern struct percpu *percpu_areas[];	/* indexed by CPU number */

/* Load this CPU's GDT, TSS, IDT and GS base (the boot CPU and each AP). */
void cpu_tables_init(struct percpu *pc);

#endif /* ASM_X86_PERCPU_H */
