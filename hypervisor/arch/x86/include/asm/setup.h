/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_SETUP_H
#define ASM_X86_SETUP_H

#include <lamina/acpi.h>
#include <lamina/bootinfo.h>

/* What the boot loader and the firmware told us; set once on the BSP. */
extern struct boot_info boot_info;
extern struct acpi_info acpi;

/* Bring up every CPU in the MADT; returns when all are online or given up. */
void smp_boot_cpus(void);
/* The idle loop of every CPU: softirqs, then halt. */

/* ACPI S5 / reset. Print "(lamina) powering off" / "(lamina) rebooting". */
void __noreturn machine_power_off(void);
void __noreturn machine_restart(void);
/* Stop every other CPU (panic, shutdown). */
void stop_other_cpus(void);

#endif /* ASM_X86_SETUP_H */
