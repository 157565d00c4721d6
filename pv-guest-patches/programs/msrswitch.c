// SPDX-License-Identifier: GPL-2.0
/*
 * msrswitch: STAR, LSTAR, CSTAR, SFMASK and KERNEL_GS_BASE belong to
 * each vCPU (the guest's SYSCALL and SWAPGS use them without exiting).
 * Each domain writes values of its own, gives its CPU to the others many
 * times, and reads them back. Boot several on one CPU: a hypervisor that
 * does not switch them (VMX leaves that to software; SVM switches them
 * with VMLOAD/VMSAVE) shows another domain's values. The debug address
 * registers DR0-DR3 likewise (neither VMRUN nor VM entry switch them).
 */
#include "guest.h"

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define ROUNDS			200

static const uint32_t msrs[] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

/* Per domain and MSR: canonical addresses; SFMASK has 32 bits. */
static uint64_t value(uint32_t domid, unsigned int i)
{
	if (msrs[i] == MSR_SFMASK)
		return domid << 8 | i;
	return 0xffff800000000000ULL | (uint64_t)domid << 24 | i << 12;
}

#define READ_DR(n) ({ uint64_t _v; \
	__asm__ __volatile__("mov %%db" #n ", %0" : "=r"(_v)); _v; })
#define WRITE_DR(n, val) \
	__asm__ __volatile__("mov %0, %%db" #n :: "r"((uint64_t)(val)))

/* DR0-3 of this domain: unused linear addresses (DR7 keeps them off). */
static uint64_t dr_value(uint32_t domid, unsigned int n)
{
	return 0x7f0000000000ULL | (uint64_t)domid << 20 | n << 4;
}

static void test_debug_registers(void)
{
	uint32_t max_leaf = 0, base = xen_cpuid_base(&max_leaf), domid = 0;
	unsigned int round, wrong = 0;

	if (base && max_leaf >= base + 4)
		domid = cpuid_count(base + 4, 0).ecx;
	WRITE_DR(0, dr_value(domid, 0));
	WRITE_DR(1, dr_value(domid, 1));
	WRITE_DR(2, dr_value(domid, 2));
	WRITE_DR(3, dr_value(domid, 3));
	for (round = 0; round < ROUNDS; round++) {
		sched_yield();
		wrong += READ_DR(0) != dr_value(domid, 0);
		wrong += READ_DR(1) != dr_value(domid, 1);
		wrong += READ_DR(2) != dr_value(domid, 2);
		wrong += READ_DR(3) != dr_value(domid, 3);
	}
	printf("msrswitch: d%u, DR0-3 over %u yields, %u values changed\n",
	       domid, ROUNDS, wrong);
	CHECK_EQ(wrong, 0);
}

static void test_switch(void)
{
	uint32_t max_leaf = 0, base = xen_cpuid_base(&max_leaf), domid = 0;
	unsigned int i, round, wrong = 0;

	/* Xen's leaf base+4: ECX is the domain ID. */
	if (base && max_leaf >= base + 4)
		domid = cpuid_count(base + 4, 0).ecx;
	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		wrmsr(msrs[i], value(domid, i));
	for (round = 0; round < ROUNDS; round++) {
		sched_yield();
		for (i = 0; i < ARRAY_SIZE(msrs); i++)
			wrong += rdmsr(msrs[i]) != value(domid, i);
	}
	printf("msrswitch: d%u, %u yields, %u values changed\n", domid,
	       ROUNDS, wrong);
	CHECK_EQ(wrong, 0);
}

static const struct test tests[] = { TEST(switch), TEST(debug_registers) };

void guest_main(void)
{
	RUN_TESTS(tests);
}
