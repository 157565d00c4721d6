/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions. Every vector 0-31 has a handler (entry.S, traps.c). An
 * exception a test asked for ends catch_fault(); any other one prints a
 * register dump and crashes the domain (SCHEDOP_shutdown(crash)).
 *
 * A test that expects an exception:
 *
 *	static void do_ud2(void *arg) { __asm__ __volatile__("ud2"); }
 *	...
 *	CHECK_EQ(catch_fault(do_ud2, NULL), X86_EXC_UD);
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdint.h>

#define NO_FAULT	(-1)

/* The last exception taken (caught or not). */
struct fault {
	int vector;
	uint64_t error_code;	/* 0 for vectors without one */
	uint64_t rip;		/* of the faulting instruction */
	uint64_t cs;		/* its CS: the privilege level it ran at */
	uint64_t cr2;		/* CR2 then (#PF: the address) */
	uint64_t rcx, rsi, rdi;	/* for string instructions cut short */
};
extern struct fault last_fault;

/* The GDT's TSS, the IDT: at boot, before anything can fault. */
void traps_init(void);
/* Another vCPU: the same IDT (no TSS of its own: no #DF stack). */
void traps_init_ap(void);

/*
 * Interrupts: fn(vector) runs for each interrupt on vector (32-255, or
 * X86_EXC_NMI for NMIs), with interrupts off, and returns to what was
 * interrupted (an interrupt handler EOIs its local APIC itself). Any
 * other interrupt crashes the domain as an unexpected exception does.
 * NULL removes the handler.
 */
typedef void (*irq_handler_t)(unsigned int vector);
void set_irq_handler(unsigned int vector, irq_handler_t fn);

/*
 * Call fn(arg). If an exception happens before fn returns, fn is
 * abandoned at that point and the vector is returned (details in
 * last_fault); otherwise NO_FAULT. Calls do not nest.
 */
int catch_fault(void (*fn)(void *), void *arg);

/*
 * Run fn at CPL 3 on stack (both must be mapped user-accessible, see
 * map_2m_user()), with interrupts off, until an exception ends it: its
 * vector is returned (last_fault says where; a user program signals
 * "done" with ud2). fn must not return.
 */
int run_user(void (*fn)(void), uint64_t stack);

/* RDMSR/WRMSR that return the vector taken (#GP: no such MSR), or
 * NO_FAULT. */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);

/* "#GP" for 13... */
const char *exception_name(int vector);

#endif
