/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_APIC_H
#define ASM_X86_APIC_H

#include <lamina/types.h>

/* Register offsets in the xAPIC page (x2APIC MSR = 0x800 + offset / 16). */
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_APR	0x090
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_RRD	0x0c0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100	/* 8 registers, 0x10 apart */
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_LVT_CMCI	0x2f0
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PMC	0x340
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0	/* x2APIC only */

#define APIC_LVT_MASKED		(1u << 16)
#define APIC_ICR_BUSY		(1u << 12)
#define APIC_ICR_INIT		0x00000500u
#define APIC_ICR_STARTUP	0x00000600u
#define APIC_ICR_NMI		0x00000400u
#define APIC_ICR_ASSERT		0x00004000u
#define APIC_ICR_LEVEL		0x00008000u
#define APIC_ICR_SELF		0x00040000u
#define APIC_ICR_ALL		0x00080000u
#define APIC_ICR_ALL_BUT_SELF	0x000c0000u
#define APIC_ICR_VECTOR		0x000000ffu
#define APIC_ICR_MODE_SHIFT	8	/* delivery mode, bits 8-10 */
#define APIC_ICR_LOGICAL	0x00000800u
#define APIC_ICR_SHORTHAND_SHIFT 18	/* bits 18-19 */
#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_ESR_SEND_ILLEGAL	(1u << 5)
#define APIC_ESR_RECV_ILLEGAL	(1u << 6)

/* Map the local APIC (xAPIC mode) and the IO-APICs; boot CPU only. */
void apic_map(paddr_t lapic_maddr);
/* Enable and set up the calling CPU's local APIC. */
void lapic_init_cpu(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Send an IPI; icr_lo holds vector and delivery mode. Waits for delivery. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_lo);
void lapic_send_ipi_allbutself(uint32_t icr_lo);

/* One-shot timer in LAPIC ticks (0 stops it). */
void lapic_timer_oneshot(uint32_t ticks);
/* Measure the LAPIC timer against the TSC; returns ticks per ms. */
uint32_t lapic_timer_calibrate(void);

/* Mask every IO-APIC pin and the legacy PICs. */
void ioapic_mask_all(void);
/*
 * Unmask ISA IRQ irq (through the MADT's override, if any) as vector,
 * fixed delivery to the local APIC apic_id. Returns its GSI, or -ENODEV
 * when no IO-APIC has it. Boot CPU, after ioapic_mask_all().
 */
int ioapic_route_isa_irq(unsigned int irq, uint8_t vector, uint32_t apic_id);
void pic_disable(void);

#endif /* ASM_X86_APIC_H */
