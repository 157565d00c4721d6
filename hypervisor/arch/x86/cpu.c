// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables: every CPU gets its own GDT (for its own TSS, whose
 * IST stacks catch double faults, NMIs and machine checks on a known-good
 * stack), and all CPUs share one IDT pointing at the stubs in entry.S.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/fpu.h>
#include <asm/processor.h>

struct percpu *percpu_areas[CONFIG_NR_CPUS];
unsigned int nr_cpus_online;

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, rsvd;
} __packed;

static struct idt_entry idt[256] __aligned(16);
extern const char entry_stubs[];

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

unsigned int smp_processor_id(void)
{
	unsigned int id;

	__asm__ ("movl %%gs:%c1, %0" : "=r"(id)
		 : "i"(offsetof(struct percpu, cpu_id)));
	return id;
}

static void idt_set(unsigned int vec, unsigned int ist)
{
	uintptr_t a = (uintptr_t)entry_stubs + 16 * vec;

	idt[vec] = (struct idt_entry) {
		.off_lo = a & 0xffff, .sel = SEL_CODE64, .ist = ist,
		.type = 0x8e,		/* present, DPL 0, interrupt gate */
		.off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
	};
}

/* Fill the shared IDT once, on the boot CPU. */
void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		idt_set(v, 0);
	idt_set(2, IST_NMI);
	idt_set(8, IST_DF);
	idt_set(18, IST_MC);
}

static void gdt_fill(struct percpu *pc)
{
	uint64_t tss = (uintptr_t)&pc->tss;
	uint64_t limit = sizeof(pc->tss) - 1;

	pc->gdt[0] = 0;
	pc->gdt[SEL_CODE64 / 8] = DESC_CODE64;
	pc->gdt[SEL_DATA / 8] = DESC_DATA;
	pc->gdt[SEL_CODE32 / 8] = DESC_CODE32;
	/* 64-bit available TSS: a 16-byte descriptor. */
	pc->gdt[SEL_TSS / 8] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
			       (0x89ULL << 40) | ((tss >> 24 & 0xff) << 56);
	pc->gdt[SEL_TSS / 8 + 1] = tss >> 32;
}

/*
 * The hypervisor itself uses no FPU or SSE (-mgeneral-regs-only), but the
 * XZ decoder from liblzma does, at boot before any guest runs. Enable SSE
 * with exceptions reported natively; guest FPU state is switched by the
 * vCPU code.
 */
static void cpu_fpu_init(void)
{
	write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP |
		  X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit");
	fpu_init_cpu();
}

void cpu_tables_init(struct percpu *pc)
{
	struct desc_ptr gdtr = { sizeof(pc->gdt) - 1, (uintptr_t)pc->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	unsigned int i;

	pc->self = pc;
	for (i = 0; i < 3; i++)
		pc->tss.ist[i] = (uintptr_t)pc->ist_stacks[i] + IST_STACK_SIZE;
	pc->tss.iomap_base = sizeof(pc->tss);	/* no I/O bitmap */
	gdt_fill(pc);
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %2, %%ds\n\t"
		"mov %2, %%es\n\t"
		"mov %2, %%ss\n\t"
		"ltr %w3\n\t"
		"lidt %4"
		:: "m"(gdtr), "i"(SEL_CODE64), "r"(SEL_DATA), "r"(SEL_TSS),
		   "m"(idtr)
		: "rax", "memory");
	wrmsr(MSR_GS_BASE, (uintptr_t)pc);
	pc->fs_block[0x28 / 8] = 0x4c616d696e614321ULL;
	wrmsr(MSR_FS_BASE, (uintptr_t)pc->fs_block);
	cpu_fpu_init();
	percpu_areas[pc->cpu_id] = pc;
}
