// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUID policy (hvm/cpuid.c) against simulated hosts: an AMD and an
 * Intel CPU announcing every feature bit, and odd ones. What the guest
 * must not see is hidden, Xen's leaves are Xen 4.17's, and the per-vCPU
 * answers follow the vCPU's state.
 */
#include <string.h>

#include "harness.h"
#include <asm/hvm/cpuid.h>
#include <xen/arch-x86/cpuid.h>

#define BIT(n)		(1U << (n))

static enum { HOST_AMD, HOST_INTEL, HOST_VIA, HOST_OLD } host_kind;

/* Leaf 0xD: x87/SSE fixed, AVX at 576 (256 bytes), MPX 3/4, AVX-512
 * 5/6/7, PKRU 9 at increasing offsets; 5-7 64-byte aligned. */
static void host_xstate(uint32_t sub, struct cpuid_leaf *r)
{
	static const uint32_t size[] = { [2] = 256, [3] = 64, [4] = 64,
		[5] = 64, [6] = 512, [7] = 1024, [9] = 8 };
	static const uint32_t off[] = { [2] = 576, [3] = 960, [4] = 1024,
		[5] = 1088, [6] = 1152, [7] = 1664, [9] = 2688 };

	if (sub == 0) {
		*r = (struct cpuid_leaf){ 0x2ff, 2696, 2696, 0 };
	} else if (sub == 1) {
		*r = (struct cpuid_leaf){ 0x1f, 9999, 0x1900, 0 };
	} else if (sub < 10 && size[sub]) {
		*r = (struct cpuid_leaf){ size[sub], off[sub],
					  sub >= 5 && sub <= 7 ? 2 : 0, 0 };
	} else if (sub == 11) {		/* CET_U: an XSS component */
		*r = (struct cpuid_leaf){ 16, 0, 1, 0 };
	}
}

static void host(uint32_t leaf, uint32_t sub, struct cpuid_leaf *r)
{
	bool amd = host_kind == HOST_AMD || host_kind == HOST_OLD;

	*r = (struct cpuid_leaf){ 0 };
	switch (leaf) {
	case 0:
		r->a = host_kind == HOST_OLD ? 1 : 0x1f;
		if (amd)
			*r = (struct cpuid_leaf){ r->a, 0x68747541, 0x444d4163,
						  0x69746e65 };
		else if (host_kind == HOST_INTEL)
			*r = (struct cpuid_leaf){ r->a, 0x756e6547, 0x6c65746e,
						  0x49656e69 };
		else
			*r = (struct cpuid_leaf){ r->a, 0x746e6543, 0x736c7561,
						  0x48727561 };
		return;
	case 1:
		*r = (struct cpuid_leaf){ 0x00a00f11, 0x05080800, ~0U, ~0U };
		return;
	case 4:
		if (sub < 3)
			*r = (struct cpuid_leaf){ (7U << 26) | (1U << 14) |
						  (sub + 1), 1, 2, 3 };
		return;
	case 0xd:
		host_xstate(sub, r);
		return;
	case 0x80000000:
		r->a = host_kind == HOST_OLD ? 0 : 0x80000021;
		return;
	case 0x80000008:
		*r = (struct cpuid_leaf){ 0x3030, ~0U, 0x4003, ~0U };
		return;
	}
	if (leaf < 0x20 || (leaf >= 0x80000001 && leaf <= 0x80000021))
		*r = (struct cpuid_leaf){ ~0U, ~0U, ~0U, ~0U };
}

static struct cpuid_policy pol;
static const struct cpuid_ctx ctx0 = { .vcpu_id = 0, .apic_id = 0,
				       .nr_vcpus = 1, .domid = 7,
				       .apic_enabled = true };

static struct cpuid_leaf get(uint32_t leaf, uint32_t sub,
			     const struct cpuid_ctx *ctx)
{
	struct cpuid_leaf r;

	memset(&r, 0x5a, sizeof(r));
	cpuid_policy_get(&pol, leaf, sub, ctx ? ctx : &ctx0, &r);
	return r;
}

static bool zero(struct cpuid_leaf l)
{
	return !l.a && !l.b && !l.c && !l.d;
}

static void make(int kind)
{
	host_kind = kind;
	cpuid_policy_init(&pol, host, 2000000);
}

START_TEST(hidden_features)
{
	struct cpuid_leaf l1, l7, e1, e8;

	make(HOST_AMD);
	l1 = get(1, 0, NULL);
	ck_assert(l1.c & BIT(31));			/* hypervisor */
	ck_assert(!(l1.c & (BIT(3) | BIT(5) | BIT(6) | BIT(21) | BIT(24))));
	ck_assert(!(l1.c & (BIT(15) | BIT(2) | BIT(4) | BIT(27))));
	ck_assert(!(l1.d & (BIT(7) | BIT(14) | BIT(21) | BIT(22) |
			    BIT(29) | BIT(31))));	/* MCE MCA DS ACPI */
	ck_assert(l1.d & (BIT(0) | BIT(4) | BIT(5) | BIT(9) | BIT(12) |
			  BIT(16) | BIT(26) | BIT(28)));
	l7 = get(7, 0, NULL);
	ck_assert_uint_eq(l7.a, 0);
	ck_assert(!(l7.b & (BIT(1) | BIT(2) | BIT(14) | BIT(25))));
	ck_assert(!(l7.c & (BIT(3) | BIT(4) | BIT(5) | BIT(7) |
			    BIT(31))));			/* PKU ... PKS */
	/* RDPID stays: it reads the guest's own TSC_AUX. */
	ck_assert(l7.c & BIT(22));
	ck_assert(!(l7.d & (BIT(20) | BIT(26) | BIT(27) | BIT(28) |
			    BIT(29) | BIT(31))));
	ck_assert(zero(get(7, 1, NULL)));
	ck_assert(zero(get(5, 0, NULL)));		/* MONITOR */
	ck_assert(zero(get(0xa, 0, NULL)));		/* PMU */
	ck_assert_uint_eq(get(6, 0, NULL).a, BIT(2));	/* ARAT only */
	e1 = get(0x80000001, 0, NULL);
	ck_assert(!(e1.c & (BIT(1) | BIT(2) | BIT(3) | BIT(9) | BIT(10) |
			    BIT(22) | BIT(23) | BIT(24) | BIT(29))));
	ck_assert(e1.d & (BIT(11) | BIT(20) | BIT(27) | BIT(29)));
	ck_assert(!(e1.d & (BIT(7) | BIT(14))));
	ck_assert_uint_eq(get(0x80000007, 0, NULL).d, BIT(8));
	ck_assert_uint_eq(get(0x80000007, 0, NULL).a, 0);
	e8 = get(0x80000008, 0, NULL);
	ck_assert_uint_eq(e8.a, 0x3030);
	ck_assert_uint_eq(e8.b, BIT(0) | BIT(2) | BIT(9));
	ck_assert_uint_eq(e8.d, 0);
}
END_TEST

START_TEST(leaf_limits)
{
	make(HOST_AMD);
	ck_assert_uint_eq(get(0, 0, NULL).a, 0xd);
	ck_assert_uint_eq(get(0, 0, NULL).b, 0x68747541);
	ck_assert(zero(get(0xe, 0, NULL)));
	ck_assert(zero(get(0x1f, 0, NULL)));
	ck_assert(zero(get(0x3fffffff, 0, NULL)));
	ck_assert_uint_eq(get(0x80000000, 0, NULL).a, 0x80000008);
	ck_assert(zero(get(0x8000000a, 0, NULL)));	/* SVM */
	ck_assert(zero(get(0x8000001f, 0, NULL)));	/* SEV */
	ck_assert(zero(get(0x8000001e, 0, NULL)));
	ck_assert(zero(get(0xc0000000, 0, NULL)));
	ck_assert_uint_eq(get(0x80000002, 0, NULL).a, ~0U);	/* brand */
	make(HOST_OLD);				/* max leaf 1, no extended */
	ck_assert_uint_eq(get(0, 0, NULL).a, 1);
	ck_assert(zero(get(7, 0, NULL)));
	ck_assert(zero(get(0xd, 0, NULL)));
	ck_assert(zero(get(0x80000000, 0, NULL)));
	ck_assert(zero(get(0x80000001, 0, NULL)));
	ck_assert_uint_eq(cpuid_maxphyaddr(&pol), 36);
	ck_assert(!cpuid_has(&pol, X86_FEAT_LM));
	ck_assert(cpuid_has(&pol, X86_FEAT_MTRR));
	ck_assert(!cpuid_has(&pol, 0x40000000, CPUID_EAX, 0));
}
END_TEST

START_TEST(xen_leaves)
{
	struct cpuid_ctx c = ctx0;
	struct cpuid_leaf l;
	uint32_t i;

	make(HOST_AMD);
	l = get(0x40000000, 0, NULL);
	ck_assert_uint_eq(l.a, 0x40000005);
	ck_assert_uint_eq(l.b, XEN_CPUID_SIGNATURE_EBX);
	ck_assert_uint_eq(l.c, XEN_CPUID_SIGNATURE_ECX);
	ck_assert_uint_eq(l.d, XEN_CPUID_SIGNATURE_EDX);
	ck_assert_uint_eq(get(0x40000001, 0, NULL).a, (4 << 16) | 17);
	l = get(0x40000002, 0, NULL);
	ck_assert_uint_eq(l.a, 1);
	ck_assert_uint_eq(l.b, 0x40000000);
	ck_assert_uint_eq(l.c | l.d, 0);
	l = get(0x40000003, 0, NULL);		/* ITSC, RDTSCP, 2 GHz */
	ck_assert_uint_eq(l.a, 6);
	ck_assert_uint_eq(l.b, 0);
	ck_assert_uint_eq(l.c, 2000000);
	l = get(0x40000003, 1, NULL);		/* 2 GHz: ns = tsc / 2 */
	ck_assert_uint_eq(l.c, 1U << 31);
	ck_assert_uint_eq(l.d, 0);
	ck_assert_uint_eq(get(0x40000003, 2, NULL).a, 2000000);
	c.vcpu_id = 5;
	l = get(0x40000004, 0, &c);
	ck_assert_uint_eq(l.a, XEN_HVM_CPUID_VCPU_ID_PRESENT |
			       XEN_HVM_CPUID_DOMID_PRESENT |
			       XEN_HVM_CPUID_UPCALL_VECTOR);
	ck_assert_uint_eq(l.b, 5);
	ck_assert_uint_eq(l.c, 7);
	ck_assert(zero(get(0x40000004, 1, NULL)));
	ck_assert(zero(get(0x40000005, 0, NULL)));	/* PV only */
	for (i = 0x40000006; i <= 0x400001ff; i++)
		ck_assert(zero(get(i, 0, NULL)));
	ck_assert(zero(get(0x40000100, 0, NULL)));
}
END_TEST

/* ns = ((tsc << shift) * mul) >> 32 gives 1e9 ns for a second's ticks. */
START_TEST(tsc_scale)
{
	static const uint32_t khz[] = { 1, 999999, 1000000, 1000001,
					2000000, 2000001, 3500000, 4294967 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(khz); i++) {
		struct cpuid_policy p;
		struct cpuid_leaf l;
		uint64_t ticks = (uint64_t)khz[i] * 1000, ns;
		int shift;

		host_kind = HOST_AMD;
		cpuid_policy_init(&p, host, khz[i]);
		cpuid_policy_get(&p, 0x40000003, 1, &ctx0, &l);
		shift = (int8_t)l.d;
		ticks = shift >= 0 ? ticks << shift : ticks >> -shift;
		ns = (uint64_t)(((unsigned __int128)ticks * l.c) >> 32);
		ck_assert_msg(ns > 999990000ULL && ns <= 1000000000ULL,
			      "%u kHz: %llu ns", khz[i],
			      (unsigned long long)ns);
	}
}
END_TEST

START_TEST(topology)
{
	struct cpuid_ctx c = ctx0;

	make(HOST_AMD);
	c.vcpu_id = 3;
	c.apic_id = 6;					/* vCPU * 2 */
	ck_assert_uint_eq(get(1, 0, &c).b >> 24, 6);
	ck_assert_uint_eq((get(1, 0, &c).b >> 16) & 0xff, 16);
	ck_assert_uint_eq(get(1, 0, &c).b & 0xffff, 0x0800);
	ck_assert_uint_eq(get(0x80000008, 0, NULL).c, 0x5007);
	ck_assert(zero(get(4, 0, NULL)));		/* Intel's */
	ck_assert(zero(get(2, 0, NULL)));
	make(HOST_INTEL);
	ck_assert_uint_eq(get(4, 0, NULL).a, (15U << 26) | 1);
	ck_assert_uint_eq(get(4, 2, NULL).a, (15U << 26) | 3);
	ck_assert(zero(get(4, 3, NULL)));
	ck_assert(zero(get(4, 100, NULL)));
	ck_assert_uint_eq(get(0x80000008, 0, NULL).c, 0);
	ck_assert(!zero(get(2, 0, NULL)));
	make(HOST_VIA);
	ck_assert_uint_eq(pol.vendor, CPUID_VENDOR_OTHER);
}
END_TEST

/*
 * Leaf 0xB on every vCPU of domains of 1 to 64 vCPUs: the x2APIC ID is
 * the vCPU's APIC ID on every subleaf, one thread per core, all cores in
 * package 0, each core its own ID.
 */
START_TEST(x2apic_topology)
{
	static const unsigned int nr[] = { 1, 2, 3, 4, 5, 17, 64 };
	static const unsigned int shift[] = { 1, 2, 3, 3, 4, 6, 7 };
	struct cpuid_ctx c = ctx0;
	struct cpuid_leaf l0, l1, l2;
	unsigned int i, v;

	make(HOST_INTEL);
	for (i = 0; i < ARRAY_SIZE(nr); i++) {
		c.nr_vcpus = nr[i];
		for (v = 0; v < nr[i]; v++) {
			c.vcpu_id = v;
			c.apic_id = 2 * v;
			l0 = get(0xb, 0, &c);
			l1 = get(0xb, 1, &c);
			l2 = get(0xb, 2, &c);
			ck_assert_uint_eq(l0.a, 1);
			ck_assert_uint_eq(l0.b, 1);
			ck_assert_uint_eq(l0.c, 0x100);		/* SMT */
			ck_assert_uint_eq(l0.d, 2 * v);
			ck_assert_uint_eq(l1.a, shift[i]);
			ck_assert_uint_eq(l1.b, nr[i]);
			ck_assert_uint_eq(l1.c, 0x201);		/* core */
			ck_assert_uint_eq(l1.d, 2 * v);
			ck_assert_uint_eq(l2.a | l2.b, 0);	/* invalid */
			ck_assert_uint_eq(l2.c, 2);
			ck_assert_uint_eq(l2.d, 2 * v);
			ck_assert_uint_eq(get(0xb, 0x1234, &c).c, 0x34);
			ck_assert_uint_eq(get(1, 0, &c).b >> 24, 2 * v);
			/* The package ID is 0; the core ID is the vCPU. */
			ck_assert_uint_eq(l0.d >> l1.a, 0);
			ck_assert_uint_eq(l0.d >> l0.a, v);
		}
		/* No wider than it must be (and 1 at least, the SMT's). */
		if (nr[i] > 1)
			ck_assert_uint_ge(2 * (nr[i] - 1),
					  1U << (shift[i] - 1));
	}
	make(HOST_AMD);			/* the same on AMD */
	c.vcpu_id = 5;
	c.apic_id = 10;
	c.nr_vcpus = 8;
	ck_assert_uint_eq(get(0xb, 1, &c).a, 4);
	ck_assert_uint_eq(get(0xb, 1, &c).d, 10);
	make(HOST_OLD);			/* maximum basic leaf 1: no leaf 0xB */
	ck_assert(zero(get(0xb, 0, &c)));
	ck_assert(zero(get(0xb, 1, &c)));
	ck_assert_uint_eq(get(1, 0, &c).b >> 24, 10);
}
END_TEST

START_TEST(dynamic_bits)
{
	struct cpuid_ctx c = ctx0;

	make(HOST_AMD);
	ck_assert(!(get(1, 0, &c).c & BIT(27)));
	c.cr4 = 1ULL << 18;			/* OSXSAVE */
	ck_assert(get(1, 0, &c).c & BIT(27));
	ck_assert(get(1, 0, &c).d & BIT(9));
	ck_assert(get(0x80000001, 0, &c).d & BIT(9));
	c.apic_enabled = false;
	ck_assert(!(get(1, 0, &c).d & BIT(9)));
	ck_assert(!(get(0x80000001, 0, &c).d & BIT(9)));
	make(HOST_INTEL);		/* Intel's 0x80000001 bit 9 is not APIC */
	ck_assert(get(0x80000001, 0, &c).d & BIT(9));
}
END_TEST

START_TEST(xsave)
{
	struct cpuid_ctx c = ctx0;
	struct cpuid_leaf l;

	make(HOST_AMD);
	/* x87 SSE AVX AVX-512; not MPX, PKRU or the XSS component. */
	ck_assert_uint_eq(pol.xcr0_max, 0xe7);
	l = get(0xd, 0, &c);
	ck_assert_uint_eq(l.a, 0xe7);
	ck_assert_uint_eq(l.d, 0);
	ck_assert_uint_eq(l.c, 2688);		/* end of Hi16_ZMM */
	ck_assert_uint_eq(l.b, 576);		/* XCR0 = x87 */
	c.xcr0 = 0x7;
	ck_assert_uint_eq(get(0xd, 0, &c).b, 832);
	c.xcr0 = 0xe7;
	ck_assert_uint_eq(get(0xd, 0, &c).b, 2688);
	c.xcr0 = 0x2ff;			/* bits beyond the policy ignored */
	ck_assert_uint_eq(get(0xd, 0, &c).b, 2688);
	l = get(0xd, 1, &c);		/* no XSAVES, XFD */
	ck_assert_uint_eq(l.a, 0x7);
	ck_assert_uint_eq(l.c | l.d, 0);
	/* compacted: 576 + 256, aligned 832 + 64, 896 + 512, 1408 + 1024 */
	ck_assert_uint_eq(l.b, 2432);
	ck_assert(zero(get(0xd, 3, NULL)));	/* MPX */
	ck_assert(zero(get(0xd, 9, NULL)));	/* PKRU */
	ck_assert(zero(get(0xd, 11, NULL)));	/* XSS */
	ck_assert(zero(get(0xd, 63, NULL)));
	l = get(0xd, 5, NULL);
	ck_assert_uint_eq(l.a, 64);
	ck_assert_uint_eq(l.b, 1088);
	ck_assert_uint_eq(l.c, 2);
}
END_TEST

START_TEST(feature_queries)
{
	make(HOST_AMD);
	ck_assert(cpuid_has(&pol, X86_FEAT_RDTSCP));
	ck_assert(cpuid_has(&pol, X86_FEAT_NX));
	ck_assert(cpuid_has(&pol, X86_FEAT_ITSC));
	ck_assert(cpuid_has(&pol, X86_FEAT_XSAVE));
	ck_assert(!cpuid_has(&pol, 1, CPUID_ECX, 5));	/* VMX */
	ck_assert_uint_eq(cpuid_maxphyaddr(&pol), 0x30);
}
END_TEST

SUITE(cpuid)
{
	Suite *s = suite_create("cpuid");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, hidden_features);
	tcase_add_test(tc, leaf_limits);
	tcase_add_test(tc, xen_leaves);
	tcase_add_test(tc, tsc_scale);
	tcase_add_test(tc, topology);
	tcase_add_test(tc, x2apic_topology);
	tcase_add_test(tc, dynamic_bits);
	tcase_add_test(tc, xsave);
	tcase_add_test(tc, feature_queries);
	suite_add_tcase(s, tc);
	return s;
}
