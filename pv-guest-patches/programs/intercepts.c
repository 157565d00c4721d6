// SPDX-License-Identifier: GPL-2.0
/*
 * intercepts: the instructions a hypervisor must intercept, checked
 * against what Xen gives an HVM/PVH guest: CPUID, RDTSC/RDTSCP, MSRs
 * (unknown ones, EFER, TSC_AUX, the hypercall page), port I/O including
 * string I/O, the hypercall instruction. "test=NAME" runs one.
 *
 * The string I/O tests come last: a hypervisor that cannot emulate
 * them crashes the domain, and the others have been reported by then.
 * Their output is for a person (or a boot test) to read on the console:
 * "(d0) rep outsb", "(d0) rep outsb backwards", "(d0) rep outsw".
 */
#include "guest.h"

#define XEN_4_17	(4 << 16 | 17)
#define DEBUG_PORT	0xe9
#define UNUSED_PORT	0x2e0		/* no device on a PC, none emulated */
#define UNKNOWN_MSR	0x12345678
#define NOT_RAM		0xf0000000UL
#define UNKNOWN_HYPERCALL	63

static void test_cpuid_xen_leaves(void)
{
	uint32_t max = 0, base = xen_cpuid_base(&max);

	printf("# Xen leaves %#x-%#x\n", base, max);
	CHECK_EQ(base, 0x40000000);
	CHECK(max >= base + 2);		/* up to the hypercall page leaf */
	CHECK_EQ(cpuid(base + 1).eax, XEN_4_17);
}

/* A guest must know it is one, and must not see the hardware's
 * virtualization extensions. */
static void test_cpuid_features(void)
{
	uint32_t ecx1 = cpuid(1).ecx, ecx81 = cpuid(0x80000001).ecx;

	CHECK(ecx1 & CPUID1_ECX_HYPERVISOR);
	CHECK(!(ecx1 & CPUID1_ECX_VMX));
	CHECK(!(ecx81 & CPUID81_ECX_SVM));
}

/* Also across exits: the hypervisor's TSC offset must not go back. */
static void test_rdtsc(void)
{
	uint64_t prev = rdtsc(), now;
	bool monotonic = true;
	int i;

	for (i = 0; i < 1000; i++) {
		if (i % 100 == 0)
			cpuid(0);			/* an exit */
		if (i % 100 == 50)
			xen_version(XENVER_version, NULL);
		now = rdtsc();
		monotonic &= now >= prev;
		prev = now;
	}
	CHECK(monotonic);
}

static uint64_t rdtscp_value;
static uint32_t rdtscp_aux;

static void do_rdtscp(void *arg)
{
	rdtscp_value = rdtscp(&rdtscp_aux);
}

static void test_rdtscp(void)
{
	uint64_t before;

	if (!(cpuid(0x80000001).edx & CPUID81_EDX_RDTSCP)) {
		skip("rdtscp", "CPUID says there is no RDTSCP");
		return;
	}
	before = rdtsc();
	CHECK_EQ(catch_fault(do_rdtscp, NULL), NO_FAULT);
	CHECK(rdtscp_value >= before);
	CHECK(rdtsc() >= rdtscp_value);
	/* TSC_AUX is the guest's own, and RDTSCP returns it. */
	CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, 42), NO_FAULT);
	CHECK_EQ(catch_fault(do_rdtscp, NULL), NO_FAULT);
	CHECK_EQ(rdtscp_aux, 42);
	/* RDTSC and RDTSCP run natively: the value stays across exits and
	 * yields, whatever ran on this CPU in between. */
	xen_version(XENVER_version, NULL);
	sched_yield();
	rdtscp(&rdtscp_aux);
	CHECK_EQ(rdtscp_aux, 42);
}

static uint64_t rdpid_value;

static void do_rdpid(void *arg)
{
	__asm__ __volatile__("rdpid %0" : "=r"(rdpid_value));
}

/* RDPID reads the guest's TSC_AUX too. */
static void test_rdpid(void)
{
	if (!(cpuid_count(7, 0).ecx & CPUID7_ECX_RDPID)) {
		skip("rdpid", "CPUID says there is no RDPID");
		return;
	}
	CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, 0x5a5a), NO_FAULT);
	CHECK_EQ(catch_fault(do_rdpid, NULL), NO_FAULT);
	CHECK_EQ(rdpid_value, 0x5a5a);
	/* TSC_AUX is 32 bits wide. */
	CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, 1ULL << 32), X86_EXC_GP);
}

/* A CPU raises #GP(0) for an MSR it does not have. */
static void test_msr_unknown(void)
{
	uint64_t val;

	CHECK_EQ(rdmsr_safe(UNKNOWN_MSR, &val), X86_EXC_GP);
	CHECK_EQ(last_fault.error_code, 0);
	CHECK_EQ(wrmsr_safe(UNKNOWN_MSR, 0), X86_EXC_GP);
}

static void test_msr_efer(void)
{
	uint64_t efer = 0, again = 0;

	CHECK_EQ(rdmsr_safe(MSR_EFER, &efer), NO_FAULT);
	CHECK_EQ(efer & (EFER_LME | EFER_LMA), EFER_LME | EFER_LMA);
	CHECK(!(efer & EFER_SVME));
	CHECK_EQ(wrmsr_safe(MSR_EFER, efer), NO_FAULT);
	CHECK_EQ(rdmsr_safe(MSR_EFER, &again), NO_FAULT);
	CHECK_EQ(again, efer);
	/* No nested virtualization, and reserved bits are reserved. */
	CHECK_EQ(wrmsr_safe(MSR_EFER, efer | EFER_SVME), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_EFER, efer | 1ULL << 63), X86_EXC_GP);
	if (!(cpuid(0x80000001).edx & CPUID81_EDX_NX))
		return;
	CHECK_EQ(wrmsr_safe(MSR_EFER, efer ^ EFER_NXE), NO_FAULT);
	CHECK_EQ(rdmsr_safe(MSR_EFER, &again), NO_FAULT);
	CHECK_EQ(again, efer ^ EFER_NXE);
	CHECK_EQ(wrmsr_safe(MSR_EFER, efer), NO_FAULT);
}

static long page_result;

static void call_version(void *arg)
{
	page_result = xen_version(XENVER_version, NULL);
}

/* Leaf base+2 names the MSR; its value is the page's address | index. */
static void test_hypercall_page(void)
{
	uint32_t max = 0, base = xen_cpuid_base(&max), msr;
	uint64_t page = (uint64_t)hypercall_page;

	if (max < base + 2) {
		check(false, "CPUID has the hypercall page leaf");
		return;
	}
	msr = cpuid(base + 2).ebx;
	CHECK(cpuid(base + 2).eax >= 1);		/* pages offered */
	CHECK_EQ(wrmsr_safe(msr, page | 1), X86_EXC_GP);	/* index 1 */
	CHECK_EQ(wrmsr_safe(msr, NOT_RAM), X86_EXC_GP);
	CHECK_EQ(hypercall_page_setup(), 0);
	if (hypercall_via() != HYPERCALL_VIA_PAGE)
		return;
	CHECK_EQ(catch_fault(call_version, NULL), NO_FAULT);
	CHECK_EQ(page_result, XEN_4_17);
	CHECK_EQ(hypercall0(UNKNOWN_HYPERCALL), -XEN_ENOSYS);
	hypercall_use(HYPERCALL_VIA_INSN);
}

/* The other vendor's instruction: #UD, as on the real CPU. */
static void other_vendors_insn(void *arg)
{
	unsigned long nr = __HYPERVISOR_xen_version;

	if (!strcmp(hypercall_insn_name(), "vmmcall"))
		__asm__ __volatile__("vmcall" : "+a"(nr) :: "memory");
	else
		__asm__ __volatile__("vmmcall" : "+a"(nr) :: "memory");
}

static void test_hypercall_insn(void)
{
	printf("# by %s\n", hypercall_insn_name());
	CHECK_EQ(hypercall_insn(__HYPERVISOR_xen_version, XENVER_version,
				0, 0, 0, 0), XEN_4_17);
	CHECK_EQ(catch_fault(other_vendors_insn, NULL), X86_EXC_UD);
}

/* Ports without a device read as all ones. */
static void test_port_in(void)
{
	CHECK_EQ(inb(UNUSED_PORT), 0xff);
	CHECK_EQ(inw(UNUSED_PORT), 0xffff);
	CHECK_EQ(inl(UNUSED_PORT), 0xffffffffL);
}

/* rsi and rcx must end where the CPU would leave them. */
static void test_rep_outsb(void)
{
	static const char line[] = "rep outsb\n";
	const char *src = line;
	unsigned long n = sizeof(line) - 1;

	__asm__ __volatile__("rep outsb"
			     : "+S"(src), "+c"(n) : "d"(DEBUG_PORT) : "memory");
	CHECK_EQ(n, 0);
	CHECK(src == line + sizeof(line) - 1);
}

/* DF = 1: from the last byte down, so the text is stored reversed. */
static void test_rep_outsb_backwards(void)
{
	static const char enil[] = "\nsdrawkcab bstuo per";
	const char *src = enil + sizeof(enil) - 2;
	unsigned long n = sizeof(enil) - 1;

	__asm__ __volatile__("std; rep outsb; cld"
			     : "+S"(src), "+c"(n) : "d"(DEBUG_PORT) : "memory");
	CHECK_EQ(n, 0);
	CHECK((uintptr_t)src == (uintptr_t)enil - 1);
}

/* 16-bit writes to the 8-bit port: its byte is the low one. */
static void test_rep_outsw(void)
{
	static const uint16_t line[] = { 'r', 'e', 'p', ' ', 'o', 'u', 't',
					 's', 'w', '\n' };
	const uint16_t *src = line;
	unsigned long n = ARRAY_SIZE(line);

	__asm__ __volatile__("rep outsw"
			     : "+S"(src), "+c"(n) : "d"(DEBUG_PORT) : "memory");
	CHECK_EQ(n, 0);
	CHECK(src == line + ARRAY_SIZE(line));
}

static void test_rep_insb(void)
{
	uint8_t buf[17] = { 0 };
	uint8_t *dst = buf;
	unsigned long n = 16, i, ones = 0;

	__asm__ __volatile__("rep insb"
			     : "+D"(dst), "+c"(n) : "d"(UNUSED_PORT)
			     : "memory");
	for (i = 0; i < 16; i++)
		ones += buf[i] == 0xff;
	CHECK_EQ(n, 0);
	CHECK(dst == buf + 16);
	CHECK_EQ(ones, 16);
	CHECK_EQ(buf[16], 0);			/* no byte too many */
}

static const struct test tests[] = {
	TEST(cpuid_xen_leaves),
	TEST(cpuid_features),
	TEST(rdtsc),
	TEST(rdtscp),
	TEST(rdpid),
	TEST(msr_unknown),
	TEST(msr_efer),
	TEST(hypercall_page),
	TEST(hypercall_insn),
	TEST(port_in),
	TEST(rep_outsb),
	TEST(rep_outsb_backwards),
	TEST(rep_outsw),
	TEST(rep_insb),
};

void guest_main(void)
{
	RUN_TESTS(tests);
}
