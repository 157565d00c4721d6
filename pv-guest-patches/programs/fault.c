// SPDX-License-Identifier: GPL-2.0
/*
 * fault: an exception nobody expects, so the library's handler prints
 * the registers and crashes the domain with SCHEDOP_shutdown(crash).
 * First a caught one, to show the difference.
 */
#include "guest.h"

static void do_ud2(void *arg)
{
	__asm__ __volatile__("ud2");
}

void guest_main(void)
{
	CHECK_EQ(catch_fault(do_ud2, NULL), X86_EXC_UD);
	printf("fault: an unexpected #UD next\n");
	do_ud2(NULL);
	printf("fault: still running after #UD\n");
}
