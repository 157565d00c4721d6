// SPDX-License-Identifier: GPL-2.0
/*
 * From head.S to guest_main(): the CPU tables, the hypercall
 * instruction, the start info and its command line.
 */
#include "guest.h"

#define BELOW_4G(pa)	((pa) && (pa) < (1ULL << 32))

const struct hvm_start_info *start_info;

void __attribute__((noreturn)) guest_start(uint32_t start_info_pa);

/*
 * EBX at entry: 0 if the hypervisor gives no start info. Everything it
 * points to is below 4 GiB (Xen places it there), which head.S mapped.
 */
static void read_start_info(uint32_t pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)pa;

	if (!pa) {
		printf("start info: none (EBX = 0)\n");
		return;
	}
	if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
		printf("start info: %#x has magic %#x, not %#x: ignored\n", pa,
		       si->magic, XEN_HVM_START_MAGIC_VALUE);
		return;
	}
	start_info = si;
	if (BELOW_4G(si->cmdline_paddr))
		cmdline_set((const char *)(uintptr_t)si->cmdline_paddr);
	printf("start info: %#x, version %u, command line '%s'\n", pa,
	       si->version, cmdline());
}

void guest_start(uint32_t start_info_pa)
{
	char how[8];

	traps_init();
	hypercall_init();
	read_start_info(start_info_pa);
	if (cmdline_arg("hypercall", how, sizeof(how)) &&
	    !strcmp(how, "page"))
		hypercall_page_setup();
	guest_main();
	guest_poweroff();
}

void guest_poweroff(void)
{
	tests_summary();
	sched_shutdown(SHUTDOWN_poweroff);
	printf("still running after SCHEDOP_shutdown(poweroff)\n");
	for (;;)
		__asm__ __volatile__("cli; hlt");
}
