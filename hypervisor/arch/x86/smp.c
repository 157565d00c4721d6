// SPDX-License-Identifier: GPL-2.0
/*
 * Secondary CPU bring-up: INIT-SIPI-SIPI for every enabled MADT entry, one
 * CPU at a time, each into trampoline.S and then ap_start().
 */
#include <lamina/bootmem.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <asm/irq.h>
#include <asm/apic.h>
#include <asm/hvm/hvm.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/traps.h>

extern const char trampoline_start[], trampoline_end[];
extern const char tramp_gdt_desc[], tramp_far64[], tramp_cr3[];
extern const char tramp_stack[], tramp_percpu[], tramp_entry[];
extern const char tramp64_offset[], tramp_gdt_offset[];

#define AP_WAIT_MS	2000

static paddr_t tramp_maddr;
static volatile bool identity_gone;

void hwtimer_init_cpu(void);

/* Reserve the trampoline page below 1 MiB: before the boot allocator
 * hands its memory over. */
void smp_reserve_trampoline(void)
{
	tramp_maddr = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, MiB(1));
	if (!tramp_maddr)
		printk("(lamina) no page below 1 MiB: secondary CPUs stay off\n");
}

static void tramp_patch(const char *field, uint64_t value, size_t size)
{
	char *base = maddr_to_virt(tramp_maddr);

	memcpy(base + (field - trampoline_start), &value, size);
}

static void __noreturn ap_start(struct percpu *pc)
{
	cpu_tables_init(pc);
	write_cr4(read_cr4() | X86_CR4_PGE);
	lapic_init_cpu();
	hwtimer_init_cpu();
	hvm_cpu_init();
	__atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	pc->online = true;
	/* Forget the identity map once the boot CPU has removed it. */
	while (!identity_gone)
		cpu_relax();
	flush_tlb_all_local();
	sched_init_cpu(pc->cpu_id);
	local_irq_enable();
	sched_idle_loop();
}

static struct percpu *alloc_cpu(unsigned int cpu, uint32_t apic_id)
{
	unsigned int order = 0;
	struct percpu *pc;
	void *stack;

	while ((PAGE_SIZE << order) < sizeof(*pc))
		order++;
	pc = alloc_xenheap_pages(order, MEMF_zero);
	stack = alloc_xenheap_pages(2, 0);	/* CPU_STACK_SIZE */
	if (!pc || !stack)
		panic("out of memory for CPU %u", cpu);
	pc->cpu_id = cpu;
	pc->apic_id = apic_id;
	pc->stack_top = (uintptr_t)stack + CPU_STACK_SIZE;
	return pc;
}

static bool boot_one(unsigned int cpu, uint32_t apic_id)
{
	struct percpu *pc = alloc_cpu(cpu, apic_id);
	unsigned int ms;

	tramp_patch(tramp_stack, pc->stack_top, 8);
	tramp_patch(tramp_percpu, (uintptr_t)pc, 8);
	tramp_patch(tramp_entry, (uintptr_t)ap_start, 8);
	lapic_send_ipi(apic_id, APIC_ICR_INIT | APIC_ICR_ASSERT);
	mdelay(10);
	lapic_send_ipi(apic_id, APIC_ICR_STARTUP | (tramp_maddr >> 12));
	udelay(200);
	lapic_send_ipi(apic_id, APIC_ICR_STARTUP | (tramp_maddr >> 12));
	for (ms = 0; ms < AP_WAIT_MS && !pc->online; ms++)
		mdelay(1);
	if (!pc->online) {
		printk("(lamina) CPU %u (APIC ID %u) did not start\n", cpu,
		       apic_id);
		return false;
	}
	return true;
}

void smp_boot_cpus(void)
{
	uint32_t self = lapic_id();
	unsigned int i, cpu = 1;

	if (tramp_maddr) {
		memcpy(maddr_to_virt(tramp_maddr), trampoline_start,
		       trampoline_end - trampoline_start);
		tramp_patch(tramp_gdt_desc + 2, tramp_maddr +
			    (uintptr_t)tramp_gdt_offset, 4);
		tramp_patch(tramp_far64, tramp_maddr +
			    (uintptr_t)tramp64_offset, 4);
		tramp_patch(tramp_cr3, paging_idle_cr3(), 8);
	}
	for (i = 0; tramp_maddr && i < acpi.nr_cpus; i++) {
		if (!acpi.cpus[i].enabled || acpi.cpus[i].apic_id == self)
			continue;
		if (cpu == CONFIG_NR_CPUS) {
			printk("(lamina) more CPUs than CONFIG_NR_CPUS=%u: "
			       "the rest stay off\n", CONFIG_NR_CPUS);
			break;
		}
		if (boot_one(cpu, acpi.cpus[i].apic_id))
			cpu++;
	}
	paging_drop_identity();
	identity_gone = true;
}

static void halt_ipi(struct cpu_regs *regs)
{
	local_irq_disable();
	for (;;)
		halt();
}

static void kick_ipi(struct cpu_regs *regs)
{
	/* Nothing: the idle loop runs softirqs after the wake-up. */
}

void arch_kick_cpu(unsigned int cpu)
{
	struct percpu *pc = percpu_areas[cpu];

	if (pc)
		lapic_send_ipi(pc->apic_id, VECTOR_KICK);
}

void stop_other_cpus(void)
{
	if (nr_cpus_online > 1)
		lapic_send_ipi_allbutself(VECTOR_IPI_HALT);
}

void smp_init_vectors(void)
{
	set_irq_handler(VECTOR_IPI_HALT, halt_ipi);
	set_irq_handler(VECTOR_KICK, kick_ipi);
}
