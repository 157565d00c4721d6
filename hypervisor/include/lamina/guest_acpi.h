/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables Lamina builds for a PVH guest (common/guest_acpi.c;
 * docs/guest-acpi.md says what is in them and how they differ from Xen's
 * libacpi). One block of guest memory, 16-byte aligned:
 *
 *   RSDP (revision 2, first: a legacy scan finds it at the block's start)
 *    -> XSDT and RSDT -> FADT (revision 6, hardware-reduced) -> DSDT
 *                     -> MADT (one Local APIC entry per vCPU)
 *
 * Pure computation into a buffer: the caller copies the block to the
 * guest-physical address it was built for (lamina/pvh_start_info.h
 * places it), so the unit tests build it over simulated guest memory.
 */
#ifndef LAMINA_GUEST_ACPI_H
#define LAMINA_GUEST_ACPI_H

#include <lamina/types.h>

/* Bytes the block takes for nr vCPUs: fixed tables and 8 per vCPU. */
#define GUEST_ACPI_FIXED_SIZE		540
#define GUEST_ACPI_SIZE(nr)		(GUEST_ACPI_FIXED_SIZE + 8 * (nr))
/*
 * Local APIC entries hold one byte each of UID and APIC ID, and 0xFF
 * means "all processors" in the MADT: at most 255 vCPUs (UIDs 0-254),
 * APIC IDs up to 254. x2APIC entries (type 9) would lift this; the MADT
 * of a domain with up to DOMAIN_MAX_VCPUS (APIC IDs up to 126) needs none.
 */
#define GUEST_ACPI_MAX_CPUS		255
#define GUEST_ACPI_MAX_APIC_ID		254

#define GUEST_ACPI_LAPIC_ADDR		0xfee00000U
#define GUEST_ACPI_OEM_ID		"LAMINA"	/* 6 characters */
#define GUEST_ACPI_OEM_TABLE_ID		"PVHGUEST"	/* 8 characters */

/*
 * Build the tables of a guest with nr vCPUs, vCPU i having ACPI
 * processor UID i and APIC ID apic_ids[i], for guest-physical address
 * gpa, into buf (size bytes). The RSDP is at gpa itself. Returns 0, or
 * -EINVAL (nr is 0, gpa not 16-byte aligned, the block not below 4 GiB,
 * where the RSDT's 32-bit pointers reach, or two vCPUs with one APIC
 * ID), -E2BIG (more than GUEST_ACPI_MAX_CPUS), -ERANGE (an APIC ID above
 * GUEST_ACPI_MAX_APIC_ID), -ENOSPC (size below GUEST_ACPI_SIZE(nr)).
 */
int guest_acpi_build(uint64_t gpa, const uint32_t *apic_ids, unsigned int nr,
		     void *buf, size_t size);

#endif /* LAMINA_GUEST_ACPI_H */
