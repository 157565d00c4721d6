// SPDX-License-Identifier: GPL-2.0
/*
 * unhandled: runs an instruction the hypervisor intercepts but does not
 * handle, which must crash the domain with a register dump. RDPMC from
 * the guest kernel: Lamina intercepts it so that guests cannot read the
 * host's performance counters, and has no virtual PMU to answer with
 * (from CPL 3 the guest would get #UD instead, as on Xen).
 */
#include "guest.h"

void guest_main(void)
{
	printf("unhandled: RDPMC next; the domain should be crashed\n");
	__asm__ __volatile__("rdpmc" :: "c"(0) : "rax", "rdx");
	printf("unhandled: still running after RDPMC\n");
}
