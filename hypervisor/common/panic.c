// SPDX-License-Identifier: GPL-2.0
/*
 * panic(): a hypervisor invariant broke. Report on the console, stop the
 * other CPUs, and halt. (Xen reboots after a delay; Lamina stops so the
 * report stays on screen. A reboot option can come when someone needs it.)
 */
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/symbols.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/setup.h>

static int panicking;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	local_irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		for (;;)
			halt();		/* another CPU is reporting */
	console_force_unlock();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("(lamina) PANIC on CPU %u: %s\n", smp_processor_id(), msg);
	/* From panic()'s own frame: its caller comes first. */
	show_stack_trace(0, (uintptr_t)__builtin_frame_address(0));
	stop_other_cpus();
	printk("(lamina) system halted\n");
	for (;;)
		halt();
}
