// SPDX-License-Identifier: GPL-2.0
/*
 * lapic: the virtual local APIC through its xAPIC page (every access an
 * emulated MMIO instruction), interrupts taken in the IDT, and with a
 * second vCPU (dom0_max_vcpus=2) INIT-SIPI-SIPI into a real-mode
 * trampoline, IPIs both ways, and the vCPU power states of vcpu_op.
 *
 * What is checked is what Xen 4.17 does too, so the program gives the
 * same results there (the x2APIC part runs only where CPUID offers it).
 */
#include "guest.h"
#include <xen/hvm/hvm_vcpu.h>
#include <xen/vcpu.h>

#define APIC		0xfee00000UL
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370

#define MSR_APIC_BASE	0x1b
#define MSR_PAT		0x277
#define PAT_RESET	0x0007040600070406ULL
#define BASE_BSP	(1UL << 8)
#define BASE_EXTD	(1UL << 10)
#define BASE_ENABLE	(1UL << 11)
#define SVR_ENABLE	0x100

#define ICR_SELF	0x00040000
#define ICR_ALL		0x00080000
#define ICR_ALL_BUT_SELF 0x000c0000
#define ICR_LOGICAL	0x00000800
#define ICR_BUSY	0x00001000
#define ICR_ASSERT	0x00004000
#define ICR_LEVEL	0x00008000
#define DM_LOWEST	0x100
#define DM_NMI		0x400
#define DM_INIT		0x500
#define DM_STARTUP	0x600

#define ESR_SEND_ILLEGAL 0x20
#define ERROR_VECTOR	0xfe
#define BSP_VECTOR	0x90	/* the AP's IPIs to the BSP */
#define AP_VECTOR	0xa0	/* the BSP's IPIs to the AP */

/* The trampoline's page: the STARTUP vector is its page number. */
#define TRAMP_PA	0x8000UL
#define SIPI_VECTOR	(TRAMP_PA >> 12)
#define AP_ID		2	/* vCPU 1: APIC ID 2 (Xen's numbering) */

/* lapic.S */
extern const uint8_t ap_tramp[], ap_tramp_end[], ap_gdtr[], ap_tramp_runs[];
extern const uint8_t ap_entry64[];
extern uint8_t gdt_ptr[];
extern uint8_t pml4[];
void ap_main(void);
uint64_t ap_stack_top;

static uint32_t apic_rd(unsigned int reg)
{
	return *(volatile uint32_t *)(APIC + reg);
}

static void apic_wr(unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(APIC + reg) = val;
}

/* Destination (xAPIC: ID in bits 24-31), then the command word. */
static void send_ipi(uint32_t dest, uint32_t lo)
{
	apic_wr(APIC_ICR_HI, dest << 24);
	apic_wr(APIC_ICR_LO, lo);
}

static bool irr_has(unsigned int vec)
{
	return apic_rd(APIC_IRR + vec / 32 * 0x10) >> (vec % 32) & 1;
}

/* Let pending interrupts in for a moment. */
static void open_window(void)
{
	__asm__ __volatile__("sti; nop; nop; cli" ::: "memory");
}

/* ---- Interrupt handlers (both vCPUs) ---------------------------------- */

static volatile unsigned int hits[256];
static volatile unsigned int order[8], nr_order;
static volatile uint32_t isr_seen, ppr_seen;
static volatile unsigned int nmis[2];		/* by vCPU */

static void count_and_eoi(unsigned int vec)
{
	hits[vec]++;
	if (nr_order < ARRAY_SIZE(order))
		order[nr_order++] = vec;
	isr_seen = apic_rd(APIC_ISR + vec / 32 * 0x10);
	ppr_seen = apic_rd(APIC_PPR);
	apic_wr(APIC_EOI, 0);
}

static void count_nmi(unsigned int vec)
{
	nmis[apic_rd(APIC_ID) >> 25]++;
}

/* Software-enabled, errors to ERROR_VECTOR, LINT1 as NMI: Linux's set-up. */
static void apic_setup(void)
{
	apic_wr(APIC_SVR, SVR_ENABLE | 0xff);
	apic_wr(APIC_LVTERR, ERROR_VECTOR);
	apic_wr(APIC_LVT1, DM_NMI);
	set_irq_handler(ERROR_VECTOR, count_and_eoi);
	set_irq_handler(X86_EXC_NMI, count_nmi);
}

/* ---- One vCPU --------------------------------------------------------- */

static void test_id_version(void)
{
	struct cpuid_regs r = cpuid(1);

	CHECK_EQ(apic_rd(APIC_ID), 0);
	CHECK_EQ(apic_rd(APIC_VERSION) & 0xff00ff, 0x50014);
	/* Narrow reads (MOVZX) of a register's bytes. */
	CHECK_EQ(*(volatile uint8_t *)(APIC + APIC_VERSION), 0x14);
	CHECK_EQ(*(volatile uint16_t *)(APIC + APIC_VERSION + 2), 5);
	CHECK_EQ(rdmsr(MSR_APIC_BASE), APIC | BASE_ENABLE | BASE_BSP);
	CHECK(r.edx & (1U << 9));
	CHECK_EQ(r.ebx >> 24, 0);
}

static void test_enable(void)
{
	apic_wr(APIC_SVR, 0xff);			/* software-disabled */
	apic_wr(APIC_LVT1, DM_NMI);
	CHECK_EQ(apic_rd(APIC_LVT1), 0x10000 | DM_NMI);	/* kept masked */
	apic_wr(APIC_SVR, SVR_ENABLE | 0xff);
	CHECK_EQ(apic_rd(APIC_SVR), SVR_ENABLE | 0xff);
	apic_wr(APIC_LVT1, DM_NMI);
	CHECK_EQ(apic_rd(APIC_LVT1), DM_NMI);
	apic_wr(APIC_LVTERR, ERROR_VECTOR);
	CHECK_EQ(apic_rd(APIC_LVTERR), ERROR_VECTOR);
	CHECK_EQ(apic_rd(APIC_DFR), 0xffffffff);
	apic_wr(APIC_LDR, 1U << 24);
	CHECK_EQ(apic_rd(APIC_LDR), 1U << 24);
	apic_wr(APIC_ESR, 0);
	CHECK_EQ(apic_rd(APIC_ESR), 0);
}

/* A fixed IPI to itself: IRR while interrupts are off, then the handler
 * with the vector in service and PPR raised, then EOI. */
static void test_self_ipi(void)
{
	apic_setup();
	set_irq_handler(0x40, count_and_eoi);
	irq_disable();
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x40);
	CHECK(irr_has(0x40));
	CHECK_EQ(apic_rd(APIC_ICR_LO) & ICR_BUSY, 0);
	CHECK_EQ(hits[0x40], 0);
	open_window();
	CHECK_EQ(hits[0x40], 1);
	CHECK_EQ(isr_seen, 1);				/* bit 0x40 % 32 */
	CHECK_EQ(ppr_seen, 0x40);
	CHECK(!irr_has(0x40));
	CHECK_EQ(apic_rd(APIC_ISR + 0x20), 0);
	CHECK_EQ(apic_rd(APIC_PPR), 0);
	/* The same by physical destination: its own ID. */
	send_ipi(0, 0x40);
	open_window();
	CHECK_EQ(hits[0x40], 2);
}

/* Several at once are taken by priority. */
static void test_priorities(void)
{
	apic_setup();
	set_irq_handler(0x61, count_and_eoi);
	set_irq_handler(0x71, count_and_eoi);
	set_irq_handler(0x81, count_and_eoi);
	irq_disable();
	nr_order = 0;
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x61);
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x81);
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x71);
	open_window();
	CHECK_EQ(nr_order, 3);
	CHECK_EQ(order[0], 0x81);
	CHECK_EQ(order[1], 0x71);
	CHECK_EQ(order[2], 0x61);
}

/* TPR holds back vectors of its class and below. */
static void test_tpr(void)
{
	apic_setup();
	set_irq_handler(0x45, count_and_eoi);
	set_irq_handler(0x65, count_and_eoi);
	apic_wr(APIC_TPR, 0x50);
	CHECK_EQ(apic_rd(APIC_PPR), 0x50);
	irq_enable();
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x45);
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x65);
	CHECK_EQ(hits[0x65], 1);
	CHECK_EQ(hits[0x45], 0);
	CHECK(irr_has(0x45));
	apic_wr(APIC_TPR, 0);
	CHECK_EQ(hits[0x45], 1);
	irq_disable();
	/* EOI with nothing in service changes nothing. */
	apic_wr(APIC_EOI, 0);
	CHECK_EQ(apic_rd(APIC_ISR + 0x20), 0);
}

/* A vector below 16: a send error, and the error interrupt. */
static void test_errors(void)
{
	apic_setup();
	irq_disable();
	apic_wr(APIC_ESR, 0);
	hits[ERROR_VECTOR] = 0;
	apic_wr(APIC_ICR_LO, ICR_SELF | 0x05);
	apic_wr(APIC_ESR, 0);
	CHECK_EQ(apic_rd(APIC_ESR), ESR_SEND_ILLEGAL);
	open_window();
	CHECK_EQ(hits[ERROR_VECTOR], 1);
	CHECK_EQ(hits[0x05], 0);
}

static void test_nmi(void)
{
	apic_setup();
	nmis[0] = 0;
	send_ipi(0, DM_NMI);
	CHECK_EQ(nmis[0], 1);
}

/* The instructions a compiler may use on a register, all emulated. */
static void test_mmio_insns(void)
{
	volatile uint32_t *tpr = (volatile uint32_t *)(APIC + APIC_TPR);
	uint32_t old = 0x30;
	uint8_t zf;

	apic_wr(APIC_TPR, 0);
	__asm__ __volatile__("orl $0x20, %0" : "+m"(*tpr));
	CHECK_EQ(*tpr, 0x20);
	__asm__ __volatile__("addl $0x10, %0" : "+m"(*tpr));
	CHECK_EQ(*tpr, 0x30);
	__asm__ __volatile__("andl $0x10, %0; setz %1"
			     : "+m"(*tpr), "=q"(zf));
	CHECK_EQ(*tpr, 0x10);
	CHECK_EQ(zf, 0);
	__asm__ __volatile__("xchgl %0, %1" : "+r"(old), "+m"(*tpr));
	CHECK_EQ(old, 0x10);
	CHECK_EQ(*tpr, 0x30);
	__asm__ __volatile__("cmpl $0x30, %1; setz %0" : "=q"(zf)
			     : "m"(*tpr));
	CHECK_EQ(zf, 1);
	__asm__ __volatile__("testl $0x40, %1; setz %0" : "=q"(zf)
			     : "m"(*tpr));
	CHECK_EQ(zf, 1);
	*(volatile uint8_t *)tpr = 0x20;		/* a byte store */
	CHECK_EQ(*tpr, 0x20);
	apic_wr(APIC_TPR, 0);
}

/* Guest-physical memory that is neither RAM nor a device: all ones,
 * writes dropped (Xen without a device model). */
#define HOLE_VA		0x9000000000ULL
#define HOLE_PA		0x7f00000000ULL

static void test_mmio_hole(void)
{
	volatile uint32_t *p = (volatile uint32_t *)(HOLE_VA + 0x40);

	CHECK_EQ(map_2m(HOLE_VA, HOLE_PA), 0);
	CHECK_EQ(*p, 0xffffffff);
	*p = 0x12345678;
	CHECK_EQ(*p, 0xffffffff);
	CHECK_EQ(*(volatile uint8_t *)p, 0xff);
	unmap_2m(HOLE_VA);
}

static void test_base_msr(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE), val;

	/* Moving the window is refused, as Xen refuses it. */
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base + 0x1000), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base | 1), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base), NO_FAULT);
	if (!(cpuid(1).ecx & (1U << 21))) {
		/* No x2APIC: neither the mode nor its MSRs. */
		CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base | BASE_EXTD),
			 X86_EXC_GP);
		CHECK_EQ(rdmsr_safe(0x802, &val), X86_EXC_GP);
		skip("x2APIC", "not in this CPUID");
		return;
	}
	/* x2APIC in xAPIC mode: MSRs #GP until EXTD; then ID is whole. */
	CHECK_EQ(rdmsr_safe(0x802, &val), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base | BASE_EXTD), NO_FAULT);
	CHECK_EQ(rdmsr(0x802), 0);
	CHECK_EQ(rdmsr(0x80d), 1);				/* LDR */
	CHECK_EQ(wrmsr_safe(0x802, 0), X86_EXC_GP);		/* read-only */
	set_irq_handler(0x42, count_and_eoi);
	irq_disable();
	wrmsr(0x83f, 0x42);					/* SELF_IPI */
	open_window();
	CHECK_EQ(hits[0x42], 1);
	/* Back to xAPIC only through disabled (and reset). */
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base), X86_EXC_GP);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base & ~BASE_ENABLE), NO_FAULT);
	CHECK_EQ(wrmsr_safe(MSR_APIC_BASE, base), NO_FAULT);
	CHECK_EQ(apic_rd(APIC_SVR), 0xff);
}

/* ---- Two vCPUs --------------------------------------------------------- */

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg);
}

static bool have_ap(void)
{
	return vcpu_op(VCPUOP_is_up, 1, NULL) != -XEN_ENOENT;
}

/* What the AP does and reports; written by one side, read by the other. */
static volatile unsigned int ap_starts, ap_ipis, ap_resumes;
static volatile uint32_t ap_id, ap_ldr;
static volatile uint64_t ap_pat;
static volatile bool ap_stop;
static uint8_t ap_stack[8192] __attribute__((aligned(16)));

static void ap_count(unsigned int vec)
{
	ap_ipis++;
	apic_wr(APIC_EOI, 0);
	/* Told to stop: down with interrupts off, counting each wake-up. */
	while (ap_stop) {
		__asm__ __volatile__("cli; hlt" ::: "memory");
		ap_resumes++;
	}
}

void ap_main(void)
{
	traps_init_ap();
	ap_id = apic_rd(APIC_ID);
	ap_pat = rdmsr(MSR_PAT);
	apic_wr(APIC_SVR, SVR_ENABLE | 0xff);
	apic_wr(APIC_DFR, 0xffffffff);
	apic_wr(APIC_LDR, 2U << 24);			/* logical bit 1 */
	ap_ldr = apic_rd(APIC_LDR);
	set_irq_handler(AP_VECTOR, ap_count);
	ap_starts++;
	send_ipi(0, BSP_VECTOR);			/* "I am here" */
	for (;;)
		safe_halt();
}

/* Patience, in TSC cycles: for what must happen, and what must not. */
#define LONG_WAIT	3000000000ULL
#define SHORT_WAIT	50000000ULL

/* Wait for *p to reach want (yielding: the AP may share our CPU). */
static bool wait_until(volatile unsigned int *p, unsigned int want,
		       uint64_t cycles)
{
	uint64_t end = rdtsc() + cycles;

	while (*p < want && rdtsc() < end)
		sched_yield();
	return *p >= want;
}

static bool wait_for(volatile unsigned int *p, unsigned int want)
{
	return wait_until(p, want, LONG_WAIT);
}

static bool wait_down(unsigned int vcpu)
{
	uint64_t end = rdtsc() + LONG_WAIT;

	while (vcpu_op(VCPUOP_is_up, vcpu, NULL) && rdtsc() < end)
		sched_yield();
	return !vcpu_op(VCPUOP_is_up, vcpu, NULL);
}

static void install_trampoline(void)
{
	memcpy((void *)TRAMP_PA, ap_tramp, ap_tramp_end - ap_tramp);
	memcpy((void *)(TRAMP_PA + (ap_gdtr - ap_tramp)), gdt_ptr, 6);
	ap_stack_top = (uint64_t)(ap_stack + sizeof(ap_stack));
}

static unsigned int tramp_runs(void)
{
	return *(volatile uint32_t *)(TRAMP_PA + (ap_tramp_runs - ap_tramp));
}

/* Linux's sequence: INIT assert, INIT de-assert, two STARTUPs. */
static void init_sipi_sipi(void)
{
	send_ipi(AP_ID, DM_INIT | ICR_LEVEL | ICR_ASSERT);
	send_ipi(AP_ID, DM_INIT | ICR_LEVEL);
	send_ipi(AP_ID, DM_STARTUP | SIPI_VECTOR);
	send_ipi(AP_ID, DM_STARTUP | SIPI_VECTOR);
}

#define UNMAPPED	0x7fff00000000ULL	/* no page tables there */

static void test_vcpu_op_errors(void)
{
	if (!have_ap()) {
		skip("vcpu_op", "one vCPU");
		return;
	}
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 2, NULL), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_up, 99, NULL), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_down, -1, NULL), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);	/* no context */
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, (void *)UNMAPPED),
		 -XEN_EFAULT);
	CHECK_EQ(vcpu_op(1000, 1, NULL), -XEN_ENOSYS);
}

static void test_ap_start(void)
{
	if (!have_ap()) {
		skip("AP start", "one vCPU");
		return;
	}
	apic_setup();
	set_irq_handler(BSP_VECTOR, count_and_eoi);
	install_trampoline();
	hits[BSP_VECTOR] = 0;
	irq_enable();
	init_sipi_sipi();
	CHECK(wait_for(&ap_starts, 1));
	CHECK(wait_for(&hits[BSP_VECTOR], 1));
	CHECK_EQ(tramp_runs(), 1);		/* one SIPI started it */
	CHECK_EQ(ap_id, AP_ID << 24);
	CHECK_EQ(ap_ldr, 2U << 24);
	CHECK_EQ(ap_pat, PAT_RESET);		/* power-on value */
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	/* IPIs to it: physical, logical (flat), all-but-self, lowest. */
	send_ipi(AP_ID, AP_VECTOR);
	CHECK(wait_for(&ap_ipis, 1));
	send_ipi(0x02, ICR_LOGICAL | AP_VECTOR);
	CHECK(wait_for(&ap_ipis, 2));
	apic_wr(APIC_ICR_LO, ICR_ALL_BUT_SELF | AP_VECTOR);
	CHECK(wait_for(&ap_ipis, 3));
	send_ipi(AP_ID, DM_LOWEST | AP_VECTOR);
	CHECK(wait_for(&ap_ipis, 4));
	irq_disable();
}

/* Down and up again: HLT with interrupts off, VCPUOP_up, an NMI. */
static void test_ap_power(void)
{
	if (!have_ap() || !ap_starts) {
		skip("AP power states", "no AP running");
		return;
	}
	ap_stop = true;
	send_ipi(AP_ID, AP_VECTOR);			/* it halts, IF=0 */
	CHECK(wait_down(1));
	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);	/* it has a context */
	CHECK(wait_for(&ap_resumes, 1));
	CHECK(wait_down(1));
	nmis[1] = 0;
	send_ipi(AP_ID, DM_NMI);			/* wakes it, as Xen */
	CHECK(wait_for(&nmis[1], 1));
	CHECK(wait_for(&ap_resumes, 2));
	CHECK(wait_down(1));
	/* A STARTUP without INIT does nothing to a vCPU that ran. */
	send_ipi(AP_ID, DM_STARTUP | SIPI_VECTOR);
	CHECK(!wait_until(&ap_resumes, 3, SHORT_WAIT));
	CHECK_EQ(tramp_runs(), 1);
	/* VCPUOP_down of a vCPU that is down already: fine. */
	CHECK_EQ(vcpu_op(VCPUOP_down, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
}

/* INIT resets a vCPU that is down; INIT-SIPI-SIPI starts it again. */
static void test_ap_restart(void)
{
	if (!have_ap() || !ap_starts) {
		skip("AP restart", "no AP running");
		return;
	}
	ap_stop = false;
	hits[BSP_VECTOR] = 0;
	irq_enable();
	init_sipi_sipi();
	CHECK(wait_for(&ap_starts, 2));
	CHECK(wait_for(&hits[BSP_VECTOR], 1));
	CHECK_EQ(tramp_runs(), 2);
	/* Running (halted with interrupts on): VCPUOP_down stops it. */
	CHECK_EQ(vcpu_op(VCPUOP_down, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	send_ipi(AP_ID, AP_VECTOR);
	CHECK(wait_for(&ap_ipis, 5));
	irq_disable();
}

/* VCPUOP_initialise: straight into 64-bit code, down until VCPUOP_up. */
static void test_ap_initialise(void)
{
	struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
	struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;

	if (!have_ap() || !ap_starts) {
		skip("VCPUOP_initialise", "no AP running");
		return;
	}
	r->rip = (uint64_t)ap_entry64;
	r->rsp = ap_stack_top;
	r->rflags = 0x2;
	r->cr0 = 0x80000011;				/* PG, ET, PE */
	r->cr3 = (uint64_t)pml4;
	r->cr4 = 0x20;					/* PAE */
	r->efer = 0x500;				/* LMA, LME */
	/* It ran: -EEXIST until INIT takes its context away. */
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
	send_ipi(AP_ID, DM_INIT | ICR_ASSERT);
	CHECK(wait_down(1));
	ctx.mode = 7;
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
	ctx.mode = VCPU_HVM_MODE_64B;
	r->rip = 1ULL << 63;				/* not canonical */
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EINVAL);
	r->rip = (uint64_t)ap_entry64;
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	hits[BSP_VECTOR] = 0;
	irq_enable();
	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	CHECK(wait_for(&ap_starts, 3));
	CHECK(wait_for(&hits[BSP_VECTOR], 1));
	CHECK_EQ(tramp_runs(), 2);			/* not through it */
	CHECK_EQ(ap_id, AP_ID << 24);
	irq_disable();
}

static const struct test tests[] = {
	TEST(id_version), TEST(enable), TEST(self_ipi), TEST(priorities),
	TEST(tpr), TEST(errors), TEST(nmi), TEST(mmio_insns),
	TEST(mmio_hole), TEST(base_msr), TEST(vcpu_op_errors),
	TEST(ap_start), TEST(ap_power), TEST(ap_restart),
	TEST(ap_initialise),
};

void guest_main(void)
{
	printf("lapic: %s, %s\n", hypercall_insn_name(),
	       have_ap() ? "2 or more vCPUs" : "1 vCPU");
	RUN_TESTS(tests);
}
