// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID policy (asm/hvm/cpuid.h). A domain's policy is the host's CPUID
 * filtered when the domain is created:
 *
 *   - feature bits are kept only from allow-lists (a new host feature is
 *     hidden until someone decides it is virtualized): no VMX, SVM,
 *     x2APIC, TSC-deadline, MONITOR/MWAIT, PMU (leaf 0xA, DS, PDCM, AMD
 *     PerfCtrExt), MCE/MCA, thermal and power management, speculation
 *     control MSRs, TSC_ADJUST, MPX, PT, SGX, CET, PKU and PKS, XSAVES,
 *     XFD, AMX (RDPID stays: it reads the guest's TSC_AUX, loaded on
 *     entry by hvm_load_tsc_aux());
 *   - the hypervisor bit is set; Xen's leaves are at 0x40000000;
 *   - the basic leaves stop at 0xD and the extended ones at 0x80000008
 *     (SVM's 0x8000000A, SEV's 0x8000001F, topology extensions go);
 *   - topology as Xen presents it to HVM guests: APIC ID = vCPU ID * 2
 *     (hvm_vcpu_apic_id(), the MADT's too), the logical-processor counts
 *     doubled, HTT set, CMP_LEGACY clear; leaf 0xB made up to match
 *     (topology_leaf()).
 *
 * Out-of-range leaves read as zeros (AMD's behaviour, and Xen's).
 */
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <xen/arch-x86/cpuid.h>

#define BIT(n)			(1U << (n))

#define XEN_LEAVES_LAST		0x400001ffU
#define EXTD_BASE		0x80000000U

#define CR4_OSXSAVE		(1ULL << 18)

/* Leaf 1 */
#define L1_EDX_KEEP	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | \
			 BIT(5) | BIT(6) | BIT(8) | BIT(9) | BIT(11) | \
			 BIT(12) | BIT(13) | BIT(15) | BIT(16) | BIT(17) | \
			 BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26) | \
			 BIT(27))
#define L1_EDX_APIC	BIT(9)
#define L1_EDX_HTT	BIT(28)
#define L1_ECX_KEEP	(BIT(0) | BIT(1) | BIT(9) | BIT(12) | BIT(13) | \
			 BIT(17) | BIT(19) | BIT(20) | BIT(22) | BIT(23) | \
			 BIT(25) | BIT(26) | BIT(28) | BIT(29) | BIT(30))
#define L1_ECX_OSXSAVE	BIT(27)
#define L1_ECX_AVX	BIT(28)
#define L1_ECX_HYPERVISOR BIT(31)
/* Leaf 6: ARAT only */
#define L6_EAX_KEEP	BIT(2)
/* Leaf 7 subleaf 0 */
#define L7_EBX_KEEP	(BIT(0) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | \
			 BIT(7) | BIT(8) | BIT(9) | BIT(10) | BIT(11) | \
			 BIT(13) | BIT(16) | BIT(17) | BIT(18) | BIT(19) | \
			 BIT(20) | BIT(21) | BIT(23) | BIT(24) | BIT(26) | \
			 BIT(27) | BIT(28) | BIT(29) | BIT(30) | BIT(31))
#define L7_EBX_AVX512F	BIT(16)
#define L7_ECX_KEEP	(BIT(0) | BIT(1) | BIT(2) | BIT(6) | \
			 BIT(8) | BIT(9) | BIT(10) | BIT(11) | BIT(12) | \
			 BIT(14) | BIT(16) | BIT(22) | BIT(25) | BIT(27) | \
			 BIT(28))
#define L7_EDX_KEEP	(BIT(2) | BIT(3) | BIT(4) | BIT(8) | BIT(10) | \
			 BIT(14))
/* Leaf 0xD subleaf 1: XSAVEOPT, XSAVEC, XGETBV1 (not XSAVES, XFD) */
#define LD1_EAX_KEEP	(BIT(0) | BIT(1) | BIT(2))
#define LD1_EAX_XSAVEC	BIT(1)
/*
 * XCR0 components a guest may enable: those the FPU switch saves
 * (asm/fpu.h): x87, SSE, AVX, and AVX-512's three together. Not PKRU,
 * which is why PKU is hidden.
 */
#define XCR0_X87	BIT(0)
#define XCR0_SSE	BIT(1)
#define XCR0_AVX	BIT(2)
#define XCR0_AVX512	(BIT(5) | BIT(6) | BIT(7))
#define XSAVE_LEGACY_SIZE 576	/* legacy area + XSAVE header */
/* 0x80000001 */
#define E1_ECX_KEEP	(BIT(0) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | \
			 BIT(8) | BIT(11) | BIT(16) | BIT(21))
#define E1_EDX_KEEP	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | \
			 BIT(5) | BIT(6) | BIT(8) | BIT(9) | BIT(11) | \
			 BIT(12) | BIT(13) | BIT(15) | BIT(16) | BIT(17) | \
			 BIT(20) | BIT(22) | BIT(23) | BIT(24) | BIT(25) | \
			 BIT(26) | BIT(27) | BIT(29) | BIT(30) | BIT(31))
/* 0x80000007: invariant TSC only */
#define E7_EDX_KEEP	BIT(8)
/* 0x80000008: address sizes; CLZERO, RstrFpErrPtrs, WBNOINVD */
#define E8_EAX_KEEP	0x00ffffffU
#define E8_EBX_KEEP	(BIT(0) | BIT(2) | BIT(9))

static struct cpuid_leaf host_leaf(cpuid_host_fn host, uint32_t leaf,
				   uint32_t sub)
{
	struct cpuid_leaf l;

	host(leaf, sub, &l);
	return l;
}

static uint8_t vendor_of(const struct cpuid_leaf *l0)
{
	if (l0->b == 0x756e6547 && l0->d == 0x49656e69 && l0->c == 0x6c65746e)
		return CPUID_VENDOR_INTEL;		/* GenuineIntel */
	if ((l0->b == 0x68747541 && l0->d == 0x69746e65 &&
	     l0->c == 0x444d4163) ||			/* AuthenticAMD */
	    (l0->b == 0x6f677948 && l0->d == 0x6e65476e &&
	     l0->c == 0x656e6975))			/* HygonGenuine */
		return CPUID_VENDOR_AMD;
	return CPUID_VENDOR_OTHER;
}

/*
 * Leaf 1 EBX[23:16] (logical processors per package) and AMD's
 * 0x80000008 ECX (NC, ApicIdCoreSize) doubled for APIC ID = vCPU * 2,
 * the way Xen's toolstack does it; Intel's leaf 4 core counts likewise.
 */
static void policy_topology(struct cpuid_policy *p)
{
	struct cpuid_leaf *l1 = &p->basic[1], *e8 = &p->extd[8];
	unsigned int lppp = (l1->b >> 16) & 0xff, nc, size, i;

	if (!lppp)
		lppp = 2;
	else if (!(lppp & 0x80))
		lppp *= 2;
	l1->b = (l1->b & ~0x00ff0000U) | (lppp << 16);
	l1->d |= L1_EDX_HTT;
	if (p->vendor == CPUID_VENDOR_INTEL) {
		for (i = 0; i < CPUID_NR_CACHE && (p->cache[i].a & 0x1f); i++) {
			uint32_t cores = (p->cache[i].a >> 26) & 0x3f;

			p->cache[i].a &= ~(0xfc000000U | 0x03ffc000U);
			p->cache[i].a |= (((cores << 1) | 1) & 0x3f) << 26;
		}
		e8->c = 0;
		return;
	}
	nc = e8->c & 0xff;
	size = (e8->c >> 12) & 0xf;
	if (nc < 0x7f) {
		if (size && size < 7)
			size++;
		nc = (nc << 1) | 1;
	}
	e8->c = (size << 12) | nc;
}

/* Leaf 0xD: only the components in xcr0_max, no XSS components. */
static void policy_xstate(struct cpuid_policy *p, cpuid_host_fn host)
{
	struct cpuid_leaf *l0 = &p->xstate[0];
	uint64_t allow = XCR0_X87 | XCR0_SSE;
	unsigned int i;

	if (!(p->basic[1].c & BIT(26)) || p->basic[0].a < 0xd)
		return;
	if (p->basic[1].c & L1_ECX_AVX)
		allow |= XCR0_AVX;
	if (p->basic[7].b & L7_EBX_AVX512F)
		allow |= XCR0_AVX512;
	for (i = 0; i < CPUID_NR_XSTATE; i++)
		p->xstate[i] = host_leaf(host, 0xd, i);
	p->xcr0_max = (l0->a | ((uint64_t)l0->d << 32)) & allow;
	if ((p->xcr0_max & XCR0_AVX512) != XCR0_AVX512)
		p->xcr0_max &= ~(uint64_t)XCR0_AVX512;
	l0->a = (uint32_t)p->xcr0_max;
	l0->d = (uint32_t)(p->xcr0_max >> 32);
	l0->b = 0;		/* per vCPU: from its XCR0 */
	l0->c = XSAVE_LEGACY_SIZE;
	p->xstate[1].a &= LD1_EAX_KEEP;
	p->xstate[1].b = p->xstate[1].c = p->xstate[1].d = 0;
	for (i = 2; i < CPUID_NR_XSTATE; i++) {
		struct cpuid_leaf *l = &p->xstate[i];

		if (!(p->xcr0_max & (1ULL << i))) {
			*l = (struct cpuid_leaf){ 0 };
			continue;
		}
		l->c &= BIT(1);		/* 64-byte alignment (compacted) */
		l->d = 0;
		l0->c = MAX(l0->c, l->a + l->b);
	}
}

void cpuid_policy_init(struct cpuid_policy *p, cpuid_host_fn host,
		       uint32_t tsc_khz)
{
	uint32_t max, i;

	memset(p, 0, sizeof(*p));
	p->tsc_khz = tsc_khz;
	p->basic[0] = host_leaf(host, 0, 0);
	p->vendor = vendor_of(&p->basic[0]);
	max = p->basic[0].a = MIN(p->basic[0].a, CPUID_NR_BASIC - 1);
	/* Leaves 3, 5, 8-0xC stay zero (PSN, MONITOR, PMU, topology...). */
	for (i = 1; i <= max; i++) {
		if (i == 1 || i == 2 || i == 6 || i == 7)
			p->basic[i] = host_leaf(host, i, 0);
	}
	p->basic[1].c = (p->basic[1].c & L1_ECX_KEEP) | L1_ECX_HYPERVISOR;
	p->basic[1].d &= L1_EDX_KEEP;
	if (p->vendor != CPUID_VENDOR_INTEL)
		p->basic[2] = (struct cpuid_leaf){ 0 };
	p->basic[6] = (struct cpuid_leaf){ .a = p->basic[6].a & L6_EAX_KEEP };
	p->basic[7].a = 0;	/* only subleaf 0 */
	p->basic[7].b &= L7_EBX_KEEP;
	p->basic[7].c &= L7_ECX_KEEP;
	p->basic[7].d &= L7_EDX_KEEP;
	if (max >= 4 && p->vendor == CPUID_VENDOR_INTEL) {
		for (i = 0; i < CPUID_NR_CACHE; i++)
			p->cache[i] = host_leaf(host, 4, i);
	}
	policy_xstate(p, host);

	p->extd[0] = host_leaf(host, EXTD_BASE, 0);
	max = p->extd[0].a;
	if (max < EXTD_BASE || max > EXTD_BASE + 0xffff)
		max = p->extd[0].a = 0;
	else
		max = p->extd[0].a = MIN(max, EXTD_BASE + CPUID_NR_EXTD - 1);
	for (i = 1; max && i <= max - EXTD_BASE; i++)
		p->extd[i] = host_leaf(host, EXTD_BASE + i, 0);
	p->extd[1].c &= E1_ECX_KEEP;
	p->extd[1].d &= E1_EDX_KEEP;
	p->extd[7] = (struct cpuid_leaf){ .d = p->extd[7].d & E7_EDX_KEEP };
	p->extd[8].a &= E8_EAX_KEEP;
	p->extd[8].b &= E8_EBX_KEEP;
	p->extd[8].d = 0;
	policy_topology(p);
}

bool cpuid_has(const struct cpuid_policy *p, uint32_t leaf,
	       enum cpuid_reg reg, unsigned int bit)
{
	const struct cpuid_leaf *l;
	uint32_t r;

	if (leaf < CPUID_NR_BASIC)
		l = &p->basic[leaf];
	else if (leaf >= EXTD_BASE && leaf - EXTD_BASE < CPUID_NR_EXTD)
		l = &p->extd[leaf - EXTD_BASE];
	else
		return false;
	r = reg == CPUID_EAX ? l->a : reg == CPUID_EBX ? l->b :
	    reg == CPUID_ECX ? l->c : l->d;
	return r & BIT(bit);
}

unsigned int cpuid_maxphyaddr(const struct cpuid_policy *p)
{
	if (p->extd[0].a < EXTD_BASE + 8)
		return 36;
	return p->extd[8].a & 0xff;
}

/* Bytes an XSAVE area needs for the components in xcr0. */
static uint32_t xsave_size(const struct cpuid_policy *p, uint64_t xcr0,
			   bool compacted)
{
	uint32_t size = XSAVE_LEGACY_SIZE;
	unsigned int i;

	for (i = 2; i < CPUID_NR_XSTATE; i++) {
		const struct cpuid_leaf *l = &p->xstate[i];

		if (!(xcr0 & (1ULL << i)))
			continue;
		if (!compacted) {
			size = MAX(size, l->a + l->b);
			continue;
		}
		if (l->c & BIT(1))
			size = ALIGN_UP(size, 64);
		size += l->a;
	}
	return size;
}

/* Xen's leaves for HVM guests (xen/arch-x86/cpuid.h), as Xen 4.17. */
static void xen_leaf(const struct cpuid_policy *p, uint32_t idx,
		     uint32_t sub, const struct cpuid_ctx *ctx,
		     struct cpuid_leaf *res)
{
	struct time_scale scale;

	switch (idx) {
	case 0:
		res->a = XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES;
		res->b = XEN_CPUID_SIGNATURE_EBX;
		res->c = XEN_CPUID_SIGNATURE_ECX;
		res->d = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1:
		res->a = (LAMINA_XEN_MAJOR << 16) | LAMINA_XEN_MINOR;
		break;
	case 2:
		res->a = 1;			/* hypercall pages */
		res->b = XEN_CPUID_FIRST_LEAF;	/* the hypercall MSR */
		break;
	case 3:		/* time: TSC not emulated, mode 0 (default) */
		if (sub == 0) {
			res->a = (cpuid_has(p, X86_FEAT_ITSC) << 1) |
				 (cpuid_has(p, X86_FEAT_RDTSCP) << 2);
			res->c = p->tsc_khz;
		} else if (sub == 1) {
			/* The guests' pvclock scale (common/guest_time.c) */
			time_scale_of_khz(p->tsc_khz, &scale);
			res->c = scale.mul_frac;
			res->d = (uint32_t)(int32_t)scale.shift;
		} else if (sub == 2) {
			res->a = p->tsc_khz;
		}
		break;
	case 4:		/* HVM: only what Lamina provides */
		if (sub)
			break;
		res->a = XEN_HVM_CPUID_VCPU_ID_PRESENT |
			 XEN_HVM_CPUID_DOMID_PRESENT |
			 XEN_HVM_CPUID_UPCALL_VECTOR;
		res->b = ctx->vcpu_id;
		res->c = ctx->domid;
		break;
	default:	/* 5 is PV-only; above the maximum: zeros */
		break;
	}
}

/*
 * Leaf 0xB, the x2APIC topology, for the domain's APIC IDs: each vCPU a
 * core of its own in one package, one thread per core (APIC ID bit 0 is
 * the thread, always 0: no SMT, as with Xen), the core field wide enough
 * for every APIC ID of the domain. EDX is the vCPU's x2APIC ID on every
 * subleaf, ECX[7:0] the subleaf; subleaf 2 and up are invalid (type 0).
 */
static void topology_leaf(uint32_t sub, const struct cpuid_ctx *ctx,
			  struct cpuid_leaf *res)
{
	unsigned int shift = 1;

	while ((1U << shift) < 2 * ctx->nr_vcpus && shift < 31)
		shift++;
	*res = (struct cpuid_leaf){ .c = sub & 0xff, .d = ctx->apic_id };
	if (sub == 0) {
		res->a = 1;
		res->b = 1;
		res->c |= 1U << 8;		/* SMT */
	} else if (sub == 1) {
		res->a = shift;
		res->b = ctx->nr_vcpus;
		res->c |= 2U << 8;		/* core */
	}
}

/* The static answer, before the per-vCPU adjustments. */
static void policy_leaf(const struct cpuid_policy *p, uint32_t leaf,
			uint32_t sub, const struct cpuid_ctx *ctx,
			struct cpuid_leaf *res)
{
	if (leaf < XEN_CPUID_FIRST_LEAF) {
		if (leaf > p->basic[0].a)
			return;
		if (leaf == 4)
			*res = sub < CPUID_NR_CACHE ? p->cache[sub] :
			       (struct cpuid_leaf){ 0 };
		else if (leaf == 7)
			*res = sub ? (struct cpuid_leaf){ 0 } : p->basic[7];
		else if (leaf == 0xd)
			*res = sub < CPUID_NR_XSTATE ? p->xstate[sub] :
			       (struct cpuid_leaf){ 0 };
		else
			*res = p->basic[leaf];
	} else if (leaf <= XEN_LEAVES_LAST) {
		xen_leaf(p, leaf - XEN_CPUID_FIRST_LEAF, sub, ctx, res);
	} else if (leaf >= EXTD_BASE && p->extd[0].a &&
		   leaf <= p->extd[0].a) {
		*res = p->extd[leaf - EXTD_BASE];
	}
}

void cpuid_policy_get(const struct cpuid_policy *p, uint32_t leaf,
		      uint32_t sub, const struct cpuid_ctx *ctx,
		      struct cpuid_leaf *res)
{
	uint64_t xcr0 = (ctx->xcr0 | XCR0_X87) & (p->xcr0_max | XCR0_X87);

	*res = (struct cpuid_leaf){ 0 };
	policy_leaf(p, leaf, sub, ctx, res);
	switch (leaf) {
	case 1:
		res->b = (res->b & 0x00ffffffU) | (ctx->apic_id << 24);
		if ((res->c & BIT(26)) && (ctx->cr4 & CR4_OSXSAVE))
			res->c |= L1_ECX_OSXSAVE;
		if (!ctx->apic_enabled)
			res->d &= ~L1_EDX_APIC;
		break;
	case 0xb:
		if (leaf <= p->basic[0].a)
			topology_leaf(sub, ctx, res);
		break;
	case 0xd:
		if (sub == 0 && res->a)
			res->b = xsave_size(p, xcr0, false);
		else if (sub == 1 && (res->a & LD1_EAX_XSAVEC))
			res->b = xsave_size(p, xcr0, true);
		break;
	case EXTD_BASE + 1:
		if (p->vendor == CPUID_VENDOR_AMD && !ctx->apic_enabled)
			res->d &= ~L1_EDX_APIC;
		break;
	}
}

static void host_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_leaf *res)
{
	cpuid_count(leaf, sub, &res->a, &res->b, &res->c, &res->d);
}

void hvm_cpuid_policy_init(struct domain *d)
{
	cpuid_policy_init(&d->arch.cpuid, host_cpuid, tsc_khz);
}

/*
 * The guest's XCR0 is live in the CPU while its exits are handled
 * (asm/fpu.h): nothing switches it on an exit.
 */
static uint64_t live_xcr0(void)
{
	uint32_t lo, hi;

	if (!(read_cr4() & CR4_OSXSAVE))
		return 0;
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t res[4])
{
	struct guest_paging pg;
	struct cpuid_ctx ctx = {
		.vcpu_id = v->vcpu_id,
		.apic_id = hvm_vcpu_apic_id(v),
		.nr_vcpus = v->domain->max_vcpus,
		.domid = v->domain->domain_id,
		.xcr0 = live_xcr0(),
		.apic_enabled = v->arch.msrs.apic_base & APIC_BASE_ENABLE,
	};
	struct cpuid_leaf l;

	hvm_ops->vcpu_paging(v, &pg);
	ctx.cr4 = pg.cr4;
	cpuid_policy_get(&v->domain->arch.cpuid, leaf, sub, &ctx, &l);
	res[0] = l.a;
	res[1] = l.b;
	res[2] = l.c;
	res[3] = l.d;
}
