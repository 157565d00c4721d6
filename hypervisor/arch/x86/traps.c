// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions and interrupt dispatch. Any exception in the hypervisor is a
 * hypervisor bug: print the registers and a symbolized trace, then panic.
 * (Recoverable faults, such as guest-memory accesses, come with the
 * virtualization core, through fixup tables.)
 */
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/symbols.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/traps.h>

static const char *const exception_names[32] = {
	[0] = "divide error", [1] = "debug", [2] = "NMI",
	[3] = "breakpoint", [4] = "overflow", [5] = "bound range",
	[6] = "invalid opcode", [7] = "device not available",
	[8] = "double fault", [10] = "invalid TSS",
	[11] = "segment not present", [12] = "stack fault",
	[13] = "general protection", [14] = "page fault",
	[16] = "x87 error", [17] = "alignment check", [18] = "machine check",
	[19] = "SIMD error", [20] = "virtualization", [21] = "control protection",
};

static irq_handler_t irq_handlers[256];

void set_irq_handler(unsigned int vector, irq_handler_t handler)
{
	BUG_ON(vector < 32 || vector > 255);
	irq_handlers[vector] = handler;
}

void show_registers(const struct cpu_regs *r)
{
	printk("(lamina) CPU %u  RIP %04lx:%016lx  RFLAGS %016lx\n",
	       smp_processor_id(), r->cs, r->rip, r->rflags);
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("  rbp %016lx  rsp %016lx  r8  %016lx\n", r->rbp, r->rsp, r->r8);
	printk("  r9  %016lx  r10 %016lx  r11 %016lx\n", r->r9, r->r10, r->r11);
	printk("  r12 %016lx  r13 %016lx  r14 %016lx\n", r->r12, r->r13, r->r14);
	printk("  r15 %016lx  cr0 %016lx  cr2 %016lx\n", r->r15, read_cr0(),
	       read_cr2());
	printk("  cr3 %016lx  cr4 %016lx  ss %04lx\n", read_cr3(), read_cr4(),
	       r->ss);
}

static void __noreturn fatal_exception(struct cpu_regs *r)
{
	const char *name = exception_names[r->vector];

	console_force_unlock();
	printk("(lamina) FATAL: %s (vector %lu, error code %#lx) on CPU %u\n",
	       name ? name : "reserved exception", r->vector, r->error_code,
	       smp_processor_id());
	if (r->vector == 14)
		printk("(lamina) faulting address %016lx (%s, %s, %s)\n",
		       read_cr2(), r->error_code & 1 ? "protection" :
		       "not present", r->error_code & 2 ? "write" : "read",
		       r->error_code & 16 ? "instruction fetch" : "data");
	show_registers(r);
	show_trap_stack_trace(r->rip, r->rsp, r->rbp);
	panic("fatal %s in the hypervisor", name ? name : "exception");
}

void do_trap(struct cpu_regs *r);
void do_trap(struct cpu_regs *r)
{
	irq_handler_t h;

	if (r->vector < 32)
		fatal_exception(r);
	if (r->vector == VECTOR_SPURIOUS)
		return;
	h = irq_handlers[r->vector];
	if (h)
		h(r);
	else
		printk("(lamina) CPU %u: unexpected interrupt vector %lu\n",
		       smp_processor_id(), r->vector);
	lapic_eoi();
}
