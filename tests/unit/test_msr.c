// SPDX-License-Identifier: GPL-2.0
/*
 * The MSR policy (hvm/msr.c) on a simulated vCPU: every MSR it handles,
 * the #GP cases (unknown MSRs, reserved bits, features the CPUID policy
 * hides, the other vendor's MSRs), the hypercall page and the checks
 * the back ends use for EFER and PAT.
 */
#include <string.h>

#include "harness.h"
#include <lamina/errno.h>
#include "hvm_env.h"
#include <asm/hvm/cpuid.h>
#include <asm/hvm/msr.h>
#include <asm/processor.h>
#include <xen/xen.h>

#define GP	(-EPERM)

static bool intel;
static uint32_t drop_leaf1_edx;		/* features the host lacks */
static uint32_t drop_e1_edx;
static uint32_t l7_ecx;			/* leaf 7's ECX (RDPID: bit 22) */

static void host(uint32_t leaf, uint32_t sub __unused, struct cpuid_leaf *r)
{
	*r = (struct cpuid_leaf){ 0 };
	if (leaf == 0)
		*r = intel ? (struct cpuid_leaf){ 0xd, 0x756e6547, 0x6c65746e,
						  0x49656e69 } :
			     (struct cpuid_leaf){ 0xd, 0x68747541, 0x444d4163,
						  0x69746e65 };
	else if (leaf == 1)
		r->d = ~drop_leaf1_edx;
	else if (leaf == 7)
		r->c = l7_ecx;
	else if (leaf == 0x80000000)
		r->a = 0x80000008;
	else if (leaf == 0x80000001)
		r->d = ~drop_e1_edx;
	else if (leaf == 0x80000008)
		r->a = 40;			/* MAXPHYADDR */
}

static struct vcpu *v = &env.vcpu;

static void policy(bool is_intel, uint32_t no_l1d, uint32_t no_e1d)
{
	intel = is_intel;
	drop_leaf1_edx = no_l1d;
	drop_e1_edx = no_e1d;
	cpuid_policy_init(&env.dom.arch.cpuid, host, 2000000);
	hvm_msrs_init(v);
}

static void setup(void)
{
	hvm_env_setup();
	l7_ecx = 0;
	policy(false, 0, 0);
}

static uint64_t rd(uint32_t msr)
{
	uint64_t val = 0xdeadbeef;

	ck_assert_msg(hvm_msr_read(v, msr, &val) == 0, "rdmsr %#x", msr);
	return val;
}

static int rd_rc(uint32_t msr)
{
	uint64_t val;

	return hvm_msr_read(v, msr, &val);
}

START_TEST(unknown_msrs)
{
	static const uint32_t msrs[] = {
		0x12345678, 0x48 /* SPEC_CTRL */, 0x49, 0x10a, 0xce,
		0x140, MSR_IA32_MCG_CAP, 0x3b /* TSC_ADJUST */, 0x6e0,
		0x802 /* x2APIC */, 0xda0 /* XSS */, 0xc0010117,
		0xc0000104, 0x40000300, 0xc0010000 /* PERF_CTL0 */,
		MSR_MTRR_PHYSBASE0 + 2 * MTRR_VCNT, 0x251, 0x25a, 0x270,
		0x2fe,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		ck_assert_msg(rd_rc(msrs[i]) == GP, "read %#x", msrs[i]);
		ck_assert_msg(hvm_msr_write(v, msrs[i], 0) == GP, "write %#x",
			      msrs[i]);
	}
}
END_TEST

START_TEST(apic_base)
{
	uint64_t base = rd(MSR_APIC_BASE);

	ck_assert_uint_eq(base, 0xfee00000ULL | APIC_BASE_ENABLE |
				APIC_BASE_BSP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE, base), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE,
				       base & ~APIC_BASE_ENABLE), 0);
	ck_assert_uint_eq(rd(MSR_APIC_BASE), base & ~APIC_BASE_ENABLE);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE, base), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE,
				       base + 0x1000), GP);	/* moved */
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE,
				       base | APIC_BASE_EXTD), GP);
	/* The BSP flag is the guest's (as Xen). */
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE,
				       base & ~APIC_BASE_BSP), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE, base), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_APIC_BASE, base | 1), GP);
	ck_assert_uint_eq(rd(MSR_APIC_BASE), base);
	v->vcpu_id = 1;
	hvm_msrs_init(v);
	ck_assert_uint_eq(rd(MSR_APIC_BASE), 0xfee00000ULL | APIC_BASE_ENABLE);
}
END_TEST

START_TEST(mtrr)
{
	uint32_t fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x26f };
	unsigned int i;

	ck_assert_uint_eq(rd(MSR_MTRR_CAP), 0x508);
	ck_assert_int_eq(hvm_msr_write(v, MSR_MTRR_CAP, 0x508), GP);
	ck_assert_uint_eq(rd(MSR_MTRR_DEF_TYPE), 0x806);	/* E, WB */
	ck_assert_int_eq(hvm_msr_write(v, MSR_MTRR_DEF_TYPE, 0x400), 0);
	ck_assert_uint_eq(rd(MSR_MTRR_DEF_TYPE), 0x400);
	ck_assert_int_eq(hvm_msr_write(v, MSR_MTRR_DEF_TYPE, 0xc02), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_MTRR_DEF_TYPE, 0x1c06), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_MTRR_DEF_TYPE, 0xc07), GP);
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		ck_assert_uint_eq(rd(fixed[i]), 0);
		ck_assert_int_eq(hvm_msr_write(v, fixed[i],
					       0x0605040100060504ULL), 0);
		ck_assert_uint_eq(rd(fixed[i]), 0x0605040100060504ULL);
		ck_assert_int_eq(hvm_msr_write(v, fixed[i],
					       0x0605040100060704ULL), GP);
		ck_assert_int_eq(hvm_msr_write(v, fixed[i], 2ULL << 56), GP);
	}
	/* Variable ranges: MAXPHYADDR 40 here. */
	ck_assert_int_eq(hvm_msr_write(v, 0x200, 0xff00000006ULL), 0);
	ck_assert_uint_eq(rd(0x200), 0xff00000006ULL);
	ck_assert_int_eq(hvm_msr_write(v, 0x201, 0xfff0000800ULL), 0);
	ck_assert_uint_eq(rd(0x201), 0xfff0000800ULL);
	ck_assert_int_eq(hvm_msr_write(v, 0x20e, 0x1000000000006ULL), GP);
	ck_assert_int_eq(hvm_msr_write(v, 0x20e, 0x106), GP);	/* rsvd */
	ck_assert_int_eq(hvm_msr_write(v, 0x20e, 0x3), GP);	/* type */
	ck_assert_int_eq(hvm_msr_write(v, 0x20f, 0x10000000800ULL), GP);
	ck_assert_int_eq(hvm_msr_write(v, 0x20f, 0x801), GP);
	ck_assert_int_eq(hvm_msr_write(v, 0x20f, 0x800), 0);
	ck_assert_uint_eq(rd(0x20f), 0x800);
	/* MTRRs hidden from CPUID: every one is #GP. */
	policy(false, 1U << 12, 0);
	ck_assert_int_eq(rd_rc(MSR_MTRR_CAP), GP);
	ck_assert_int_eq(rd_rc(MSR_MTRR_DEF_TYPE), GP);
	ck_assert_int_eq(rd_rc(0x200), GP);
	ck_assert_int_eq(hvm_msr_write(v, 0x250, 0), GP);
}
END_TEST

START_TEST(tsc)
{
	uint64_t t0, t1;

	t0 = rdtsc();
	t1 = rd(MSR_IA32_TSC);
	ck_assert_uint_ge(t1, t0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_IA32_TSC, 1ULL << 50), 0);
	ck_assert_int_eq(env.tsc_offset, v->arch.msrs.tsc_offset);
	t1 = rd(MSR_IA32_TSC);
	ck_assert_uint_ge(t1, 1ULL << 50);
	ck_assert_uint_lt(t1, (1ULL << 50) + (1ULL << 40));
	ck_assert_uint_ge(hvm_guest_tsc(v), t1);
	/* Backwards too: the offset goes negative. */
	ck_assert_int_eq(hvm_msr_write(v, MSR_IA32_TSC, 5), 0);
	ck_assert_int_lt(env.tsc_offset, 0);
	ck_assert_uint_lt(rd(MSR_IA32_TSC), 1ULL << 40);
}
END_TEST

START_TEST(tsc_aux)
{
	ck_assert_uint_eq(rd(MSR_TSC_AUX), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_TSC_AUX, 0xfedcba98), 0);
	ck_assert_uint_eq(rd(MSR_TSC_AUX), 0xfedcba98);
	ck_assert_int_eq(hvm_msr_write(v, MSR_TSC_AUX, 1ULL << 32), GP);
	ck_assert_uint_eq(rd(MSR_TSC_AUX), 0xfedcba98);
	policy(false, 0, 1U << 27);		/* no RDTSCP */
	ck_assert_int_eq(rd_rc(MSR_TSC_AUX), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_TSC_AUX, 1), GP);
	l7_ecx = 1U << 22;			/* RDPID alone has it too */
	policy(false, 0, 1U << 27);
	ck_assert_int_eq(hvm_msr_write(v, MSR_TSC_AUX, 7), 0);
	ck_assert_uint_eq(rd(MSR_TSC_AUX), 7);
	ck_assert_int_eq(hvm_msr_write(v, MSR_TSC_AUX, 1ULL << 32), GP);
}
END_TEST

START_TEST(vendor_msrs)
{
	/* AMD */
	ck_assert_uint_eq(rd(MSR_AMD_HWCR), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_HWCR, 0), GP);
	ck_assert_uint_eq(rd(MSR_AMD_DE_CFG), 2);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_DE_CFG, 0x12), 0);
	ck_assert_uint_eq(rd(MSR_AMD_DE_CFG), 2);
	ck_assert_uint_eq(rd(MSR_AMD_SYSCFG), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_SYSCFG, 1 << 18), 0);
	ck_assert_uint_eq(rd(MSR_AMD_SYSCFG), 0);
	ck_assert_uint_eq(rd(MSR_AMD_TOP_MEM), 0);
	ck_assert_uint_eq(rd(MSR_AMD_TOP_MEM2), 0);
	ck_assert_uint_eq(rd(MSR_AMD_NB_CFG), 0);
	ck_assert_uint_eq(rd(MSR_AMD_VM_CR), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_VM_CR, 0x18), 0);
	ck_assert_int_eq(rd_rc(MSR_IA32_MISC_ENABLE), GP);
	ck_assert_int_eq(rd_rc(MSR_IA32_FEATURE_CONTROL), GP);
	/* Intel */
	policy(true, 0, 0);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), 0x1801);
	ck_assert_int_eq(hvm_msr_write(v, MSR_IA32_MISC_ENABLE, 0x1801), 0);
	ck_assert_int_eq(hvm_msr_write(v, MSR_IA32_MISC_ENABLE,
				       0x1801 | (1 << 18)), GP);
	ck_assert_uint_eq(rd(MSR_IA32_FEATURE_CONTROL), 1);
	ck_assert_int_eq(hvm_msr_write(v, MSR_IA32_FEATURE_CONTROL, 1), GP);
	ck_assert_int_eq(rd_rc(MSR_AMD_HWCR), GP);
	ck_assert_int_eq(rd_rc(MSR_AMD_DE_CFG), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_DE_CFG, 0), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_AMD_SYSCFG, 0), GP);
}
END_TEST

static void check_slot(const uint8_t *page, unsigned int nr)
{
	const uint8_t *s = page + nr * HYPERCALL_SLOT_SIZE;
	uint8_t want[HYPERCALL_SLOT_SIZE];
	unsigned int i;

	memset(want, 0xcc, sizeof(want));
	if (nr == __HYPERVISOR_iret) {
		want[0] = 0x0f;
		want[1] = 0x0b;
	} else {
		want[0] = 0xb8;
		want[1] = nr;
		want[2] = want[3] = want[4] = 0;
		want[5] = 0x0f;
		want[6] = 0x01;
		want[7] = 0xd9;
		want[8] = 0xc3;
	}
	for (i = 0; i < HYPERCALL_SLOT_SIZE; i++)
		ck_assert_msg(s[i] == want[i], "slot %u byte %u: %#x", nr, i,
			      s[i]);
}

START_TEST(hypercall_page)
{
	uint8_t *page = hvm_env_gpa(0x5000);
	unsigned int i;

	memset(page, 0x11, 4096);
	ck_assert_uint_eq(rd(MSR_XEN_HYPERCALL), 0);
	ck_assert_int_eq(rd_rc(MSR_XEN_HYPERCALL + 1), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_XEN_HYPERCALL + 1, 0x5000), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_XEN_HYPERCALL, 0x5001), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_XEN_HYPERCALL,
				       HVM_ENV_NOT_RAM), GP);
	ck_assert_int_eq(hvm_msr_write(v, MSR_XEN_HYPERCALL, 1ULL << 52), GP);
	ck_assert_uint_eq(page[0], 0x11);
	ck_assert_int_eq(hvm_msr_write(v, MSR_XEN_HYPERCALL, 0x5000), 0);
	ck_assert_uint_eq(env.dom.arch.hypercall_msr_gpa, 0x5000);
	for (i = 0; i < 4096 / HYPERCALL_SLOT_SIZE; i++)
		check_slot(page, i);
	ck_assert_uint_eq(rd(MSR_XEN_HYPERCALL), 0);
}
END_TEST

START_TEST(efer)
{
	const struct cpuid_policy *p = &env.dom.arch.cpuid;

	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_SCE | EFER_NXE, false), 0);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_LME, false), 0);
	ck_assert_int_eq(hvm_efer_check(p, EFER_LME, EFER_LME | EFER_LMA |
					EFER_NXE, true), 0);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_FFXSR, false), 0);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_SVME, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, 1ULL << 1, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, 1ULL << 15, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, 1ULL << 63, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_LME, true), GP);
	ck_assert_int_eq(hvm_efer_check(p, EFER_LME, 0, true), GP);
	ck_assert_int_eq(hvm_efer_check(p, EFER_LME, 0, false), 0);
	policy(false, 0, (1U << 11) | (1U << 20) | (1U << 25) | (1U << 29));
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_SCE, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_NXE, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_FFXSR, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, EFER_LME, false), GP);
	ck_assert_int_eq(hvm_efer_check(p, 0, 0, false), 0);
}
END_TEST

START_TEST(pat)
{
	ck_assert(hvm_pat_valid(0x0007040600070406ULL));
	ck_assert(hvm_pat_valid(0x0105040100060704ULL));
	ck_assert(!hvm_pat_valid(0x0007040600070402ULL));
	ck_assert(!hvm_pat_valid(0x0307040600070406ULL));
	ck_assert(!hvm_pat_valid(0x0007040600070408ULL));
	ck_assert(!hvm_pat_valid(0x0007040600f70406ULL));
}
END_TEST

SUITE(msr)
{
	Suite *s = suite_create("msr");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, setup, hvm_env_teardown);
	tcase_add_test(tc, unknown_msrs);
	tcase_add_test(tc, apic_base);
	tcase_add_test(tc, mtrr);
	tcase_add_test(tc, tsc);
	tcase_add_test(tc, tsc_aux);
	tcase_add_test(tc, vendor_msrs);
	tcase_add_test(tc, hypercall_page);
	tcase_add_test(tc, efer);
	tcase_add_test(tc, pat);
	suite_add_tcase(s, tc);
	return s;
}
