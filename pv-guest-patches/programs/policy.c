// SPDX-License-Identifier: GPL-2.0
/*
 * policy: what a guest sees of the CPU and of the hypervisor, checked
 * against what Lamina documents (docs/cpuid-msr.md, docs/hypercalls.md):
 * Xen's CPUID leaves as Xen 4.17 gives them to HVM guests, the features
 * Lamina hides, the MSRs it offers and the ones that raise #GP, and
 * every xen_version sub-op. Run as dom0 (the hardware domain).
 */
#include "guest.h"

#define XEN_BASE		0x40000000
#define XEN_SIG_EBX		0x566e6558
#define XEN_HVM_VCPU_ID		(1U << 3)
#define XEN_HVM_DOMID		(1U << 4)
#define XEN_HVM_UPCALL_VECTOR	(1U << 6)

#define MSR_TSC			0x10
#define MSR_APIC_BASE		0x1b
#define MSR_MTRR_CAP		0xfe
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_MTRR_PHYSBASE(n)	(0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n)	(0x201 + 2 * (n))
#define MSR_MTRR_FIX64K		0x250
#define MSR_MTRR_FIX4K_F8000	0x26f
#define MSR_PAT			0x277
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_AMD_HWCR		0xc0010015
#define MSR_AMD_DE_CFG		0xc0011029
#define PAT_RESET		0x0007040600070406ULL
#define CR4_OSXSAVE		(1UL << 18)

static bool amd(void)
{
	return !strcmp(hypercall_insn_name(), "vmmcall");
}

static void test_xen_leaves(void)
{
	struct cpuid_regs r = cpuid(XEN_BASE);

	CHECK_EQ(r.eax, XEN_BASE + 5);
	CHECK_EQ(r.ebx, XEN_SIG_EBX);
	CHECK_EQ(cpuid(XEN_BASE + 1).eax, 4 << 16 | 17);
	r = cpuid(XEN_BASE + 2);
	CHECK_EQ(r.eax, 1);			/* hypercall pages */
	CHECK_EQ(r.ebx, 0x40000000);		/* the MSR */
	r = cpuid_count(XEN_BASE + 3, 0);	/* time */
	CHECK(r.ecx > 0);			/* TSC kHz */
	CHECK_EQ(cpuid_count(XEN_BASE + 3, 2).eax, r.ecx);
	CHECK(cpuid_count(XEN_BASE + 3, 1).ecx > 0);	/* tsc->ns mul */
	/* HVM: vCPU and domain IDs, the per-vCPU upcall vector. */
	r = cpuid_count(XEN_BASE + 4, 0);
	CHECK_EQ(r.eax, XEN_HVM_VCPU_ID | XEN_HVM_DOMID |
		 XEN_HVM_UPCALL_VECTOR);
	CHECK_EQ(r.ebx, 0);
	CHECK_EQ(r.ecx, 0);
	r = cpuid(XEN_BASE + 5);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid(XEN_BASE + 6);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid(XEN_BASE + 0x100);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* What Lamina does not virtualize is not announced. */
static void test_hidden(void)
{
	struct cpuid_regs r1 = cpuid(1), r7 = cpuid_count(7, 0), r;

	CHECK(r1.ecx & CPUID1_ECX_HYPERVISOR);
	CHECK_EQ(r1.ecx & (1U << 5), 0);		/* VMX */
	CHECK_EQ(r1.ecx & (1U << 3), 0);		/* MONITOR */
	CHECK_EQ(r1.ecx & (1U << 21), 0);		/* x2APIC */
	CHECK_EQ(r1.ecx & (1U << 24), 0);		/* TSC-deadline */
	CHECK_EQ(r1.ecx & (1U << 15), 0);		/* PDCM */
	CHECK_EQ(r1.edx & (1U << 7 | 1U << 14), 0);	/* MCE, MCA */
	CHECK_EQ(r1.ebx >> 24, 0);			/* APIC ID: vCPU 0 */
	CHECK(r1.edx & (1U << 28));			/* HTT */
	CHECK_EQ(r7.ecx & (1U << 22), 0);		/* RDPID */
	CHECK_EQ(r7.ecx & (1U << 3), 0);		/* PKU */
	CHECK_EQ(r7.ebx & (1U << 1), 0);		/* TSC_ADJUST */
	CHECK_EQ(r7.edx & (1U << 26 | 1U << 29), 0);	/* IBRS, ARCH_CAPS */
	CHECK_EQ(cpuid(0x80000001).ecx & CPUID81_ECX_SVM, 0);
	CHECK_EQ(cpuid(0x80000001).ecx & (1U << 23), 0);	/* PerfCtr */
	CHECK_EQ(cpuid(0).eax <= 0xd, 1);
	CHECK_EQ(cpuid(0x80000000).eax <= 0x80000008, 1);
	r = cpuid(0xa);					/* PMU */
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid_count(0xb, 0);	/* x2APIC topology: vCPU 0, no SMT */
	if (cpuid(0).eax >= 0xb) {
		CHECK_EQ(r.edx, r1.ebx >> 24);
		CHECK_EQ(r.ecx, 1U << 8);
		CHECK_EQ(r.ebx, 1);
	}
	r = cpuid(0x8000000a);				/* SVM */
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

static void set_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" :: "r"(v) : "memory");
}

/* CPUID.1:ECX.OSXSAVE follows the guest's own CR4. */
static void test_osxsave(void)
{
	unsigned long cr4 = read_cr4();

	if (!(cpuid(1).ecx & (1U << 26))) {
		skip("osxsave", "no XSAVE");
		return;
	}
	CHECK_EQ(cpuid(1).ecx & (1U << 27), 0);
	set_cr4(cr4 | CR4_OSXSAVE);
	CHECK(cpuid(1).ecx & (1U << 27));
	CHECK(cpuid_count(0xd, 0).ebx >= 576);
	set_cr4(cr4);
	CHECK_EQ(cpuid(1).ecx & (1U << 27), 0);
}

static uint64_t rd(uint32_t msr)
{
	uint64_t val = ~0ULL;

	check_eq("rdmsr", rdmsr_safe(msr, &val), NO_FAULT);
	return val;
}

static void test_msr_gp(void)
{
	static const uint32_t gp[] = {
		0x48, 0x49, 0x10a,	/* SPEC_CTRL, PRED_CMD, ARCH_CAPS */
		0xce, 0x140,		/* PLATFORM_INFO, MISC_FEATURES */
		0x179,			/* MCG_CAP */
		0x3b,			/* TSC_ADJUST */
		0x6e0,			/* TSC_DEADLINE */
		0x802,			/* x2APIC ID */
		0xda0,			/* XSS */
		0xc0010000,		/* AMD PERF_CTL0 */
		0x40000001,		/* past Xen's MSR */
		MSR_MTRR_PHYSBASE(8),	/* past MTRRcap.VCNT */
	};
	uint64_t val;
	unsigned int i;
	char name[40];

	for (i = 0; i < ARRAY_SIZE(gp); i++) {
		snprintf(name, sizeof(name), "rdmsr %#x == X86_EXC_GP", gp[i]);
		check_eq(name, rdmsr_safe(gp[i], &val), X86_EXC_GP);
		snprintf(name, sizeof(name), "wrmsr %#x == X86_EXC_GP", gp[i]);
		check_eq(name, wrmsr_safe(gp[i], 0), X86_EXC_GP);
	}
}

static void test_msr_apic_mtrr_pat(void)
{
	uint64_t base = rd(MSR_APIC_BASE);

	CHECK_EQ(base, 0xfee00000ULL | 1 << 11 | 1 << 8);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base), NO_FAULT);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base + 0x1000), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base | 1 << 10), X86_EXC_GP);
	CHECK_EQ(rd(MSR_MTRR_CAP), 0x508);
	CHECK_EQ(rd(MSR_MTRR_DEF_TYPE), 0x806);		/* enabled, WB */
	CHECK_EQ(wrmsr_safe(MSR_MTRR_CAP, 0), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_DEF_TYPE, 0x802), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_PHYSBASE(0), 0x80000006), NO_FAULT);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_PHYSMASK(0), 0xfc0000800ULL), NO_FAULT);
	CHECK_EQ(rd(MSR_MTRR_PHYSBASE(0)), 0x80000006);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_PHYSMASK(0), 0x801), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_PHYSBASE(7), 0x80000003), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_FIX64K, 0x0606060606060606ULL),
		 NO_FAULT);
	CHECK_EQ(rd(MSR_MTRR_FIX64K), 0x0606060606060606ULL);
	CHECK_EQ(wrmsr_safe(MSR_MTRR_FIX4K_F8000, 0x0206060606060606ULL),
		 X86_EXC_GP);
	CHECK_EQ(rd(MSR_PAT), PAT_RESET);
	CHECK_EQ(wrmsr_safe(MSR_PAT, 0x0007010600070406ULL), NO_FAULT);
	CHECK_EQ(rd(MSR_PAT), 0x0007010600070406ULL);
	CHECK_EQ(wrmsr_safe(MSR_PAT, 0x0007020600070406ULL), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_PAT, PAT_RESET), NO_FAULT);
}

/* TSC: a write moves the guest's TSC; RDTSC follows it. */
static void test_msr_tsc(void)
{
	uint64_t t;

	CHECK_EQ(wrmsr_safe(MSR_TSC, 1ULL << 48), NO_FAULT);
	t = rdtsc();
	CHECK(t >= 1ULL << 48 && t < (1ULL << 48) + (1ULL << 40));
	t = rd(MSR_TSC);
	CHECK(t >= 1ULL << 48 && t < (1ULL << 48) + (1ULL << 40));
	CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, 1ULL << 32), X86_EXC_GP);
}

/* The MSRs the VMCB holds pass through; what is written reads back. */
static void test_msr_passthrough(void)
{
	static const uint32_t msrs[] = {
		MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
		MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
		MSR_KERNEL_GS_BASE,
	};
	uint64_t old, val;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		/* SYSENTER_CS is a selector; SFMASK masks RFLAGS, only
		 * its low 32 bits are defined (Bochs drops the rest). */
		val = msrs[i] == MSR_SYSENTER_CS ? 0x10 :
		      msrs[i] == MSR_SFMASK ? 0x12345000 :
		      0xffff800012345000ULL;
		old = rd(msrs[i]);
		CHECK_EQ(wrmsr_safe(msrs[i], val), NO_FAULT);
		CHECK_EQ(rd(msrs[i]), val);
		CHECK_EQ(wrmsr_safe(msrs[i], old), NO_FAULT);
	}
	CHECK_EQ(wrmsr_safe(MSR_GS_BASE, 0x1000), NO_FAULT);
	CHECK_EQ(rd(MSR_GS_BASE), 0x1000);
	CHECK_EQ(wrmsr_safe(MSR_GS_BASE, 0), NO_FAULT);
}

/* AMD's MSRs that Linux reads; the other vendor's raise #GP. */
static void test_msr_vendor(void)
{
	uint64_t val;

	if (!amd()) {
		CHECK_EQ(rdmsr_safe(MSR_AMD_HWCR, &val), X86_EXC_GP);
		return;
	}
	CHECK_EQ(rd(MSR_AMD_HWCR), 0);
	CHECK_EQ(wrmsr_safe(MSR_AMD_HWCR, 0), X86_EXC_GP);
	CHECK_EQ(rd(MSR_AMD_DE_CFG), 2);
	CHECK_EQ(wrmsr_safe(MSR_AMD_DE_CFG, 0), NO_FAULT);
	CHECK_EQ(rdmsr_safe(0x1a0, &val), X86_EXC_GP);	/* MISC_ENABLE */
	CHECK_EQ(rd(0x40000000), 0);			/* hypercall MSR */
}

static char buf[1100];

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

static void test_xen_version(void)
{
	xen_feature_info_t fi = { .submap_idx = 0 };
	xen_compile_info_t ci;
	long n;

	/* Who answers: Lamina, or Xen's point release (".7+13-g..."). */
	CHECK_EQ(xen_version(XENVER_extraversion, buf), 0);
	CHECK_BY_HV(!strcmp(buf, "-lamina"), buf[0] == '.');
	CHECK_EQ(xen_version(XENVER_capabilities, buf), 0);
	CHECK_EQ(strcmp(buf, "hvm-3.0-x86_32 hvm-3.0-x86_32p "
			"hvm-3.0-x86_64 "), 0);
	CHECK_EQ(xen_version(XENVER_changeset, buf), 0);
	CHECK_BY_HV(!memcmp(buf, "git:", 4), strnlen(buf, 64) < 64);
	printf("changeset: %s\n", buf);
	CHECK_EQ(xen_version(XENVER_compile_info, &ci), 0);
	printf("compiled by %s with %s on %s\n", ci.compile_by, ci.compiler,
	       ci.compile_date);
	memset(buf, 0x55, 16);
	CHECK_EQ(xen_version(XENVER_platform_parameters, buf), 0);
	CHECK_EQ(*(uint64_t *)buf, 0xffff800000000000ULL);
	CHECK_EQ(xen_version(XENVER_get_features, &fi), 0);
	/* What a PVH dom0 needs; never hvm_pirqs (LINUX-PVH-CONTRACT 2.4). */
	CHECK_EQ(fi.submap & (1U << XENFEAT_auto_translated_physmap |
			      1U << XENFEAT_dom0 |
			      1U << XENFEAT_hvm_callback_vector |
			      1U << XENFEAT_hvm_safe_pvclock),
		 1U << XENFEAT_auto_translated_physmap | 1U << XENFEAT_dom0 |
		 1U << XENFEAT_hvm_callback_vector |
		 1U << XENFEAT_hvm_safe_pvclock);
	CHECK_EQ(fi.submap & (1U << XENFEAT_hvm_pirqs), 0);
	fi.submap_idx = 1;
	CHECK_EQ(xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
	CHECK_EQ(xen_version(XENVER_pagesize, NULL), 4096);
	CHECK_EQ(xen_version(XENVER_pagesize, buf), -XEN_EINVAL);
	memset(buf, 0x55, 16);
	CHECK_EQ(xen_version(XENVER_guest_handle, buf), 0);
	CHECK_EQ(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16), 0);
	CHECK_EQ(xen_version(XENVER_commandline, buf), 0);
	printf("hypervisor command line: '%s'\n", buf);
	CHECK(contains(buf, "console=com1"));
	/* Lamina is linked without a build ID; Xen's size is 20 bytes. */
	n = xen_version(XENVER_build_id, NULL);
	CHECK_BY_HV(n == -XEN_ENODATA, n > 0);
	*(uint32_t *)buf = 0;
	CHECK_EQ(xen_version(XENVER_build_id, buf), -XEN_EINVAL);
	CHECK_EQ(xen_version(11, buf), -XEN_ENOSYS);
	n = xen_version(XENVER_extraversion, (void *)0xf0000000UL);
	CHECK_EQ(n, -XEN_EFAULT);
}

static const struct test tests[] = {
	TEST(xen_leaves),
	TEST(hidden),
	TEST(osxsave),
	TEST(msr_gp),
	TEST(msr_apic_mtrr_pat),
	TEST(msr_tsc),
	TEST(msr_passthrough),
	TEST(msr_vendor),
	TEST(xen_version),
};

void guest_main(void)
{
	RUN_TESTS(tests);
}
