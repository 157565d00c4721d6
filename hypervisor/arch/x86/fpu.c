// SPDX-License-Identifier: GPL-2.0
/*
 * Switching guest FPU/SSE/AVX state with XSAVE (FXSAVE on CPUs without
 * it). Eager: saved when a vCPU leaves its CPU, restored when one
 * arrives; see asm/fpu.h for why nothing else needs it.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <asm/fpu.h>
#include <asm/processor.h>

#define X86_CR4_OSXSAVE		(1UL << 18)
#define CPUID1_ECX_XSAVE	(1U << 26)
/* x87, SSE, AVX, and AVX-512's opmask, ZMM_Hi256 and Hi16_ZMM. */
#define XSTATE_SWITCHED		0xe7ULL
#define XSTATE_X87		1ULL
#define XSTATE_SSE		2ULL
#define XSTATE_AVX		4ULL
#define XSTATE_AVX512		0xe0ULL

#define FCW_INIT		0x37f
#define MXCSR_INIT		0x1f80

/* The legacy region's first bytes (FXSAVE layout). */
struct xsave_area {
	uint16_t fcw, fsw;
	uint8_t ftw, rsvd0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
};

static uint64_t host_xcr0;	/* 0: no XSAVE, FXSAVE is used */

static inline uint64_t xgetbv(uint32_t idx)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv(uint32_t idx, uint64_t val)
{
	__asm__ __volatile__("xsetbv" :: "c"(idx), "a"((uint32_t)val),
			     "d"((uint32_t)(val >> 32)));
}

void fpu_init_cpu(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_XSAVE))
		return;
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	host_xcr0 = (((uint64_t)d << 32) | a) & XSTATE_SWITCHED;
	/* AVX-512 components go together or not at all. */
	if ((host_xcr0 & 0xe0) != 0xe0)
		host_xcr0 &= ~0xe0ULL;
	xsetbv(0, host_xcr0);
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	BUG_ON(b > PAGE_SIZE);
}

int vcpu_fpu_init(struct vcpu *v)
{
	struct xsave_area *x = alloc_xenheap_pages(0, MEMF_zero);

	if (!x)
		return -ENOMEM;
	/* XSTATE_BV 0: XRSTOR puts every component in its initial state,
	 * except MXCSR, which it always loads. */
	x->fcw = FCW_INIT;
	x->mxcsr = MXCSR_INIT;
	v->arch.fpu = x;
	v->arch.xcr0 = XSTATE_X87;
	return 0;
}

void vcpu_fpu_destroy(struct vcpu *v)
{
	if (v->arch.fpu)
		free_xenheap_pages(v->arch.fpu, 0);
	v->arch.fpu = NULL;
}

/*
 * XSETBV from a guest where it exits (VMX): the rules a CPU applies,
 * with the components switched here as what the CPU supports.
 */
int fpu_set_guest_xcr0(uint64_t val)
{
	if (!host_xcr0 || !(val & XSTATE_X87) || (val & ~host_xcr0) ||
	    ((val & XSTATE_AVX) && !(val & XSTATE_SSE)) ||
	    ((val & XSTATE_AVX512) && (val & (XSTATE_AVX512 | XSTATE_AVX)) !=
	     (XSTATE_AVX512 | XSTATE_AVX)))
		return -EINVAL;
	xsetbv(0, val);
	return 0;
}

void fpu_save(struct vcpu *v)
{
	if (!host_xcr0) {
		__asm__ __volatile__("fxsaveq %0" : "=m"(*v->arch.fpu));
		return;
	}
	v->arch.xcr0 = xgetbv(0);
	if (v->arch.xcr0 != host_xcr0)
		xsetbv(0, host_xcr0);
	__asm__ __volatile__("xsaveq %0" : "=m"(*v->arch.fpu)
			     : "a"(~0U), "d"(~0U) : "memory");
}

void fpu_restore(struct vcpu *v)
{
	if (!host_xcr0) {
		__asm__ __volatile__("fxrstorq %0" :: "m"(*v->arch.fpu));
		return;
	}
	__asm__ __volatile__("xrstorq %0" :: "m"(*v->arch.fpu),
			     "a"(~0U), "d"(~0U) : "memory");
	if (v->arch.xcr0 != host_xcr0)
		xsetbv(0, v->arch.xcr0);
}
