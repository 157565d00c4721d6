/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_PROCESSOR_H
#define ASM_X86_PROCESSOR_H

#include <lamina/types.h>

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
			       uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)val),
			     "d"((uint32_t)(val >> 32)) : "memory");
}

#define DEFINE_CR_ACCESS(n)						\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(unsigned long v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory");	\
}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/* Enable interrupts and halt with no window between the two (STI shadow). */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

#define MSR_EFER		0xc0000080
#define  EFER_SCE		(1UL << 0)
#define  EFER_LME		(1UL << 8)
#define  EFER_NXE		(1UL << 11)
#define  EFER_SVME		(1UL << 12)
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_APIC_BASE		0x0000001b
#define MSR_PAT			0x00000277

#define X86_CR0_PE	(1UL << 0)
#define X86_CR0_MP	(1UL << 1)
#define X86_CR0_EM	(1UL << 2)
#define X86_CR0_TS	(1UL << 3)
#define X86_CR0_ET	(1UL << 4)
#define X86_CR0_NE	(1UL << 5)
#define X86_CR0_WP	(1UL << 16)
#define X86_CR0_NW	(1UL << 29)
#define X86_CR0_CD	(1UL << 30)
#define X86_CR0_PG	(1UL << 31)
#define X86_CR4_VME	(1UL << 0)
#define X86_CR4_PVI	(1UL << 1)
#define X86_CR4_TSD	(1UL << 2)
#define X86_CR4_DE	(1UL << 3)
#define X86_CR4_PSE	(1UL << 4)
#define X86_CR4_PAE	(1UL << 5)
#define X86_CR4_MCE	(1UL << 6)
#define X86_CR4_PGE	(1UL << 7)
#define X86_CR4_PCE	(1UL << 8)
#define X86_CR4_OSFXSR	(1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_UMIP	(1UL << 11)
#define X86_CR4_FSGSBASE (1UL << 16)
#define X86_CR4_PCIDE	(1UL << 17)
#define X86_CR4_OSXSAVE	(1UL << 18)
#define X86_CR4_SMEP	(1UL << 20)
#define X86_CR4_SMAP	(1UL << 21)

#endif /* ASM_X86_PROCESSOR_H */
