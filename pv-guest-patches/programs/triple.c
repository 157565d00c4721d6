// SPDX-License-Identifier: GPL-2.0
/*
 * triple: triple-faults on purpose, for the domain-crash test. With an
 * empty IDT, INT3 cannot be delivered (#GP), nor can that #GP (#DF), nor
 * the #DF: the CPU shuts down, which the hypervisor intercepts.
 */
#include "guest.h"

void guest_main(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	printf("triple-faulting on purpose\n");
	__asm__ __volatile__("lidt %0; int3" :: "m"(no_idt));
	printf("still running after a triple fault\n");
}
