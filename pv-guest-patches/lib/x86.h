/* SPDX-License-Identifier: GPL-2.0 */
/* The x86 instructions a guest kernel needs, as C functions. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

/* Exception vectors. */
#define X86_EXC_DE	0	/* divide error */
#define X86_EXC_DB	1
#define X86_EXC_NMI	2
#define X86_EXC_BP	3	/* int3 */
#define X86_EXC_UD	6	/* invalid opcode */
#define X86_EXC_DF	8	/* double fault */
#define X86_EXC_GP	13	/* general protection */
#define X86_EXC_PF	14	/* page fault */
#define X86_NR_EXC	32

#define X86_EFLAGS_TF	(1ULL << 8)
#define X86_EFLAGS_DF	(1ULL << 10)
#define X86_EFLAGS_AC	(1ULL << 18)

#define MSR_EFER	0xc0000080
#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NXE	(1ULL << 11)
#define EFER_SVME	(1ULL << 12)
#define MSR_FS_BASE	0xc0000100
#define MSR_TSC_AUX	0xc0000103

/* CPUID feature bits. */
#define CPUID1_ECX_VMX		(1U << 5)
#define CPUID1_ECX_HYPERVISOR	(1U << 31)
#define CPUID81_ECX_SVM		(1U << 2)
#define CPUID81_EDX_NX		(1U << 20)
#define CPUID81_EDX_RDTSCP	(1U << 27)
#define CPUID7_ECX_RDPID	(1U << 22)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx),
			       "=d"(r.edx)
			     : "a"(leaf), "c"(sub));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSCP also returns IA32_TSC_AUX (in ECX). */
static inline uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi, c;

	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(c));
	if (aux)
		*aux = c;
	return ((uint64_t)hi << 32) | lo;
}

/* An MSR the CPU lacks raises #GP: use rdmsr_safe() (traps.h) there. */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ __volatile__("wrmsr"
			     :: "c"(msr), "a"((uint32_t)val),
				"d"((uint32_t)(val >> 32)) : "memory");
}

static inline void outb(uint16_t port, uint8_t val)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(val), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t val;

	__asm__ __volatile__("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t val;

	__asm__ __volatile__("inw %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t val;

	__asm__ __volatile__("inl %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline unsigned long read_cr0(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void invlpg(const void *va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* Interrupts on and off; "sti; hlt" waits for one with no wake-up lost
 * (the STI shadow covers the HLT). */
static inline void irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

/* Keeps the compiler from caching memory across this point. */
static inline void barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

#endif
