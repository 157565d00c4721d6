/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_TRAPS_H
#define ASM_X86_TRAPS_H

#include <asm/regs.h>

/* Vectors the hypervisor uses for its own interrupts. */
#define VECTOR_SERIAL		0xe0	/* the console UART's IRQ */
#define VECTOR_TIMER		0xf0	/* LAPIC timer */
#define VECTOR_KICK		0xf1	/* wake a CPU to run its softirqs */
#define VECTOR_VMCS_CLEAR	0xf2	/* VMX: VMCLEAR a VMCS active here */
#define VECTOR_IPI_HALT		0xf8	/* panic: stop this CPU */
#define VECTOR_APIC_ERROR	0xfe
#define VECTOR_SPURIOUS		0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

/* Route an interrupt vector (>= 32) to handler. The dispatcher sends the
 * LAPIC EOI after the handler returns (not for the spurious vector). */
void set_irq_handler(unsigned int vector, irq_handler_t handler);

void idt_init(void);
void show_registers(const struct cpu_regs *regs);

#endif /* ASM_X86_TRAPS_H */
