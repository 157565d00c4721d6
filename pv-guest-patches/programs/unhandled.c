// SPDX-License-Identifier: GPL-2.0
/*
 * unhandled: runs an instruction the hypervisor intercepts but has no
 * handler for, which must crash the domain with a register dump.
 * VMLOAD: Lamina intercepts every SVM instruction (a guest must not
 * reach the real ones) and offers no nested virtualization.
 */
#include "guest.h"

void guest_main(void)
{
	printf("unhandled: VMLOAD next; the domain should be crashed\n");
	__asm__ __volatile__("vmload %%rax" :: "a"(0UL) : "memory");
	printf("unhandled: still running after VMLOAD\n");
}
