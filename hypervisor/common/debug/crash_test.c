// SPDX-License-Identifier: GPL-2.0
/*
 * crash_test= (debug builds): fault on purpose so that tests can check the
 * crash report (registers, faulting address, a trace naming the function).
 *   pf   write to an unmapped address      ud   execute UD2
 *   de   divide by zero                    bug  BUG_ON(true)
 *   reboot  restart the machine (FADT reset register or keyboard controller)
 */
#include <lamina/debug.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/param.h>
#include <asm/setup.h>

static char crash_test[8];
string_param("crash_test", crash_test);

static void __attribute__((noinline)) crash_test_page_fault(void)
{
	*(volatile uint64_t *)0xdead000 = 1;
}

static void __attribute__((noinline)) crash_test_invalid_opcode(void)
{
	__asm__ __volatile__("ud2");
}

static void __attribute__((noinline)) crash_test_divide_error(void)
{
	volatile unsigned int zero = 0;

	printk("%u\n", 1 / zero);
}

static void __attribute__((noinline)) crash_test_bug(void)
{
	BUG_ON(crash_test[0]);
}

static void __attribute__((noinline)) crash_test_reboot(void)
{
	machine_restart();
}

void debug_crash_test(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "pf", crash_test_page_fault },
		{ "ud", crash_test_invalid_opcode },
		{ "de", crash_test_divide_error },
		{ "bug", crash_test_bug },
		{ "reboot", crash_test_reboot },
	};
	unsigned int i;

	if (!crash_test[0])
		return;
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!strcmp(crash_test, tests[i].name)) {
			printk("(lamina) crash_test=%s: faulting on purpose\n",
			       crash_test);
			tests[i].fn();
		}
	}
	printk("(lamina) crash_test=%s: unknown test (pf, ud, de, bug, reboot)\n",
	       crash_test);
}
