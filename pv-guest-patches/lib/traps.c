// SPDX-License-Identifier: GPL-2.0
/*
 * The IDT, the TSS and what happens on an exception: a fault that
 * catch_fault() is waiting for is handed back to it; anything else is
 * a bug in this guest: print the registers and crash the domain.
 */
#include <stdbool.h>
#include "console.h"
#include "hypercall.h"
#include "segments.h"
#include "traps.h"
#include "x86.h"

/* Saved by entry.S, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

/* A 64-bit interrupt gate. */
struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));

/* The 64-bit TSS: only the IST stacks matter at CPL 0. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S frame");
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate");
_Static_assert(sizeof(struct tss64) == 104, "TSS");

#define GATE_INTR64	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define DESC_TSS64	0x89	/* present, DPL 0, available 64-bit TSS */
#define IST_DF		1	/* #DF runs on its own stack: a stack
				 * overflow still gets its dump */

extern uint64_t gdt[];
extern const uint64_t trap_stubs[X86_NR_EXC];	/* entry.S */
extern const uint8_t irq_stubs[];		/* 16 bytes per vector */
extern uint64_t catch_rsp;
void catch_resume(void);
void trap_handle(struct trap_frame *f);

#define NR_VECTORS	256
#define IRQ_STUB_SIZE	16

static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));
static volatile irq_handler_t irq_handlers[NR_VECTORS];
static struct tss64 tss;
static uint8_t df_stack[4096] __attribute__((aligned(16)));
/* Where an exception from CPL 3 starts (TSS.RSP0). */
static uint8_t ring0_stack[4096] __attribute__((aligned(16)));
struct fault last_fault = { .vector = NO_FAULT };

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			   (uint64_t)DESC_TSS64 << 40 |
			   (limit >> 16 & 0xf) << 48 |
			   (base >> 24 & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

static struct idt_gate gate(uint64_t addr, unsigned int ist)
{
	return (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = SEL_CODE64,
		.ist = ist,
		.type = GATE_INTR64,
		.offset_mid = addr >> 16 & 0xffff,
		.offset_hi = addr >> 32,
	};
}

void traps_init_ap(void)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" :: "m"(idtr));
}

void traps_init(void)
{
	unsigned int v;

	tss.ist[IST_DF - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.rsp[0] = (uint64_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss);		/* no I/O bitmap */
	set_tss_descriptor();
	__asm__ __volatile__("ltr %w0" :: "r"(SEL_TSS));
	for (v = 0; v < X86_NR_EXC; v++)
		idt[v] = gate(trap_stubs[v], v == X86_EXC_DF ? IST_DF : 0);
	for (v = X86_NR_EXC; v < NR_VECTORS; v++)
		idt[v] = gate((uint64_t)irq_stubs +
			      (v - X86_NR_EXC) * IRQ_STUB_SIZE, 0);
	traps_init_ap();
}

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
	if (vector < NR_VECTORS)
		irq_handlers[vector] = fn;
}

const char *exception_name(int vector)
{
	static const char *const names[X86_NR_EXC] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};

	if (vector >= X86_NR_EXC && vector < NR_VECTORS)
		return "interrupt";
	if (vector < 0 || vector >= X86_NR_EXC)
		return "no exception";
	return names[vector] ? names[vector] : "#reserved";
}

static void dump_frame(const struct trap_frame *f)
{
	printf("exception %s (vector %lu), error code %#lx\n",
	       exception_name(f->vector), f->vector, f->error_code);
	printf("  RIP %04lx:%016lx  RFLAGS %016lx\n", f->cs, f->rip,
	       f->rflags);
	printf("  RSP %04lx:%016lx  CR2 %016lx\n", f->ss, f->rsp, read_cr2());
	printf("  rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx,
	       f->rcx);
	printf("  rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi,
	       f->rdi);
	printf("  rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8, f->r9);
	printf("  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11,
	       f->r12);
	printf("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14,
	       f->r15);
	printf("  cr0 %016lx  cr3 %016lx  cr4 %016lx\n", read_cr0(),
	       read_cr3(), read_cr4());
}

/* The end of the guest: crash the domain; if even that fails, stop. */
static void __attribute__((noreturn)) crash(void)
{
	sched_shutdown(SHUTDOWN_crash);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void trap_handle(struct trap_frame *f)
{
	static bool dumping;
	irq_handler_t irq = irq_handlers[f->vector];

	if (irq && (f->vector >= X86_NR_EXC || f->vector == X86_EXC_NMI)) {
		irq(f->vector);
		return;
	}

	last_fault = (struct fault){ (int)f->vector, f->error_code, f->rip,
				     f->cs, read_cr2(), f->rcx, f->rsi,
				     f->rdi };
	if (catch_rsp) {
		/* Back to catch_fault()'s caller, at CPL 0 whatever the
		 * exception interrupted, and no longer single-stepping. */
		f->rip = (uint64_t)catch_resume;
		f->cs = SEL_CODE64;
		f->ss = SEL_DATA;
		f->rflags &= ~X86_EFLAGS_TF;
		f->rax = f->vector;
		return;
	}
	if (dumping)		/* a fault while printing the first one */
		crash();
	dumping = true;
	printf("unexpected exception: crashing the domain\n");
	dump_frame(f);
	crash();
}

struct msr_op {
	uint32_t msr;
	uint64_t val;
};

static void do_rdmsr(void *arg)
{
	struct msr_op *op = arg;

	op->val = rdmsr(op->msr);
}

static void do_wrmsr(void *arg)
{
	struct msr_op *op = arg;

	wrmsr(op->msr, op->val);
}

int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	struct msr_op op = { msr, 0 };
	int vec = catch_fault(do_rdmsr, &op);

	*val = op.val;
	return vec;
}

int wrmsr_safe(uint32_t msr, uint64_t val)
{
	struct msr_op op = { msr, val };

	return catch_fault(do_wrmsr, &op);
}

struct user_entry {
	uint64_t rip, rsp;
};

void enter_user(void *entry);		/* entry.S */

int run_user(void (*fn)(void), uint64_t stack)
{
	struct user_entry e = { (uint64_t)fn, stack };

	return catch_fault(enter_user, &e);
}
