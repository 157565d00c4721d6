/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID a guest sees: a per-domain policy, taken from the host once
 * when the domain is created and filtered down to what Lamina really
 * virtualizes (hvm/cpuid.c; the leaf-by-leaf choices are listed there and
 * in docs/cpuid-msr.md). A few answers depend on the vCPU asking (its
 * APIC ID, CR4.OSXSAVE, XCR0...): struct cpuid_ctx carries that state.
 */
#ifndef ASM_X86_HVM_CPUID_H
#define ASM_X86_HVM_CPUID_H

#include <lamina/types.h>

struct cpuid_leaf {
	uint32_t a, b, c, d;
};

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

#define CPUID_NR_BASIC		0xe	/* leaves 0 ... 0xd */
#define CPUID_NR_CACHE		8	/* leaf 4 subleaves */
#define CPUID_NR_XSTATE		63	/* leaf 0xd subleaves */
#define CPUID_NR_EXTD		9	/* 0x80000000 ... 0x80000008 */

enum cpuid_vendor {
	CPUID_VENDOR_OTHER,
	CPUID_VENDOR_INTEL,
	CPUID_VENDOR_AMD,		/* AuthenticAMD and HygonGenuine */
};

struct cpuid_policy {
	struct cpuid_leaf basic[CPUID_NR_BASIC];	/* subleaf 0 */
	struct cpuid_leaf cache[CPUID_NR_CACHE];	/* leaf 4 */
	struct cpuid_leaf xstate[CPUID_NR_XSTATE];	/* leaf 0xd */
	struct cpuid_leaf extd[CPUID_NR_EXTD];
	uint64_t xcr0_max;		/* XCR0 bits the guest may set */
	uint32_t tsc_khz;		/* for Xen's time leaf */
	uint8_t vendor;			/* enum cpuid_vendor */
};

/* Reads the host's CPUID: a callback, so unit tests can be any CPU. */
typedef void (*cpuid_host_fn)(uint32_t leaf, uint32_t sub,
			      struct cpuid_leaf *res);

/* The policy of a new domain on this host. */
void cpuid_policy_init(struct cpuid_policy *p, cpuid_host_fn host,
		       uint32_t tsc_khz);

/* What some answers depend on: the vCPU asking and its state. */
struct cpuid_ctx {
	unsigned int vcpu_id;
	uint32_t apic_id;		/* hvm_vcpu_apic_id() */
	unsigned int nr_vcpus;		/* the domain's, for leaf 0xB */
	unsigned int domid;
	uint64_t cr4;			/* OSXSAVE */
	uint64_t xcr0;			/* for the XSAVE area sizes */
	bool apic_enabled;		/* APIC_BASE.EN (the APIC bits) */
};

/*
 * CPUID leaf/subleaf as the guest sees it. Leaves above the maximum
 * (basic, extended, Xen's) read as zeros, as on AMD and as Xen does.
 */
void cpuid_policy_get(const struct cpuid_policy *p, uint32_t leaf,
		      uint32_t sub, const struct cpuid_ctx *ctx,
		      struct cpuid_leaf *res);

/*
 * Feature tests on a policy, for the MSR policy and the exit handlers:
 * cpuid_has(p, X86_FEAT_MTRR). Each X86_FEAT_ names leaf, register, bit.
 */
bool cpuid_has(const struct cpuid_policy *p, uint32_t leaf,
	       enum cpuid_reg reg, unsigned int bit);

#define X86_FEAT_SEP		1, CPUID_EDX, 11
#define X86_FEAT_MTRR		1, CPUID_EDX, 12
#define X86_FEAT_PAT		1, CPUID_EDX, 16
#define X86_FEAT_X2APIC		1, CPUID_ECX, 21
#define X86_FEAT_XSAVE		1, CPUID_ECX, 26
#define X86_FEAT_SYSCALL	0x80000001, CPUID_EDX, 11
#define X86_FEAT_NX		0x80000001, CPUID_EDX, 20
#define X86_FEAT_FFXSR		0x80000001, CPUID_EDX, 25
#define X86_FEAT_RDPID		7, CPUID_ECX, 22	/* subleaf 0 */
#define X86_FEAT_RDTSCP		0x80000001, CPUID_EDX, 27
#define X86_FEAT_LM		0x80000001, CPUID_EDX, 29
#define X86_FEAT_ITSC		0x80000007, CPUID_EDX, 8

/* The guest's physical address width (CPUID 0x80000008 EAX[7:0]). */
unsigned int cpuid_maxphyaddr(const struct cpuid_policy *p);

/* Guest-physical address of the APIC (fixed until the vLAPIC exists). */
#define APIC_DEFAULT_BASE	0xfee00000ULL

#endif /* ASM_X86_HVM_CPUID_H */
