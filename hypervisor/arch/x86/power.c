// SPDX-License-Identifier: GPL-2.0
/*
 * Power-off is always ACPI S5: SLP_TYPa from the DSDT's \_S5 package with
 * SLP_EN, written to the FADT's PM1a (and PM1b) control block. Reboot uses
 * the FADT reset register, then the keyboard controller. A reset is never
 * used to power off.
 */
#include <lamina/lib.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>

#define SLP_EN		(1u << 13)
#define SLP_TYP_SHIFT	10
#define GAS_SPACE_MEM	0
#define GAS_SPACE_IO	1

static void __noreturn halt_forever(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void __noreturn machine_power_off(void)
{
	printk("(lamina) powering off\n");
	local_irq_disable();
	stop_other_cpus();
	if (acpi.have_fadt && acpi.have_s5 && acpi.pm1a_cnt) {
		uint16_t v = inw(acpi.pm1a_cnt) & ~(7u << SLP_TYP_SHIFT);

		outw(v | (acpi.s5_slp_typa << SLP_TYP_SHIFT) | SLP_EN,
		     acpi.pm1a_cnt);
		if (acpi.pm1b_cnt) {
			v = inw(acpi.pm1b_cnt) & ~(7u << SLP_TYP_SHIFT);
			outw(v | (acpi.s5_slp_typb << SLP_TYP_SHIFT) | SLP_EN,
			     acpi.pm1b_cnt);
		}
		mdelay(100);
		printk("(lamina) ACPI S5 did not power off; halting\n");
	} else {
		printk("(lamina) no ACPI S5 (FADT or \\_S5 missing); halting\n");
	}
	halt_forever();
}

void __noreturn machine_restart(void)
{
	printk("(lamina) rebooting\n");
	local_irq_disable();
	stop_other_cpus();
	if (acpi.reset_supported) {
		if (acpi.reset_reg.space == GAS_SPACE_IO)
			outb(acpi.reset_value, acpi.reset_reg.address);
		else if (acpi.reset_reg.space == GAS_SPACE_MEM)
			*(volatile uint8_t *)ioremap(acpi.reset_reg.address, 1) =
				acpi.reset_value;
		mdelay(100);
	}
	outb(0xfe, 0x64);		/* keyboard controller: pulse reset */
	mdelay(100);
	printk("(lamina) reset failed; halting\n");
	halt_forever();
}
