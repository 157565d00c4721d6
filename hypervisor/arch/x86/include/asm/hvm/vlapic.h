/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC of every vCPU (hvm/vlapic.c): the xAPIC page at
 * the address of the APIC base MSR (0xFEE00000; moving it is refused as
 * Xen refuses it) through MMIO emulation, and the x2APIC MSRs 0x800-0x8FF
 * once the guest has switched to x2APIC mode, which needs x2APIC in its
 * CPUID. What is emulated and how it differs from Xen: docs/vlapic.md.
 *
 * Who touches what (struct vlapic below): IRR and the pending error bits
 * are set by any CPU (an IPI from another vCPU) with atomic operations;
 * every other register is written only by the vCPU itself, from its exit
 * handlers or just before it enters, and read by other vCPUs (IPI
 * destination matching) with single aligned loads.
 */
#ifndef ASM_X86_HVM_VLAPIC_H
#define ASM_X86_HVM_VLAPIC_H

#include <lamina/types.h>

struct vcpu;
struct hvm_mmio_ops;

#define VLAPIC_NR_LVT	6	/* timer, thermal, PMC, LINT0, LINT1, error */
/* Version 0x14 (integrated APIC), highest LVT entry 5: Xen's value. */
#define VLAPIC_VERSION	0x00050014u

struct vlapic {
	uint32_t irr[8];		/* atomic: any CPU sets bits */
	uint32_t esr_pending;		/* atomic: errors since ESR write */
	uint32_t isr[8];
	uint32_t tmr[8];		/* always 0: only edge sources */
	uint32_t id;			/* the ID register as read */
	uint32_t tpr;
	uint32_t ldr, dfr;
	uint32_t svr;
	uint32_t esr;			/* latched by the last ESR write */
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[VLAPIC_NR_LVT];
	uint32_t timer_icr, timer_dcr;	/* kept, the timer is not run */
};

/* Power-on state (vCPU creation, after hvm_msrs_init() set the base
 * MSR: enabled at 0xFEE00000): ID from hvm_vcpu_apic_id(), software
 * disabled, every LVT masked. */
void vlapic_init(struct vcpu *v);
/* INIT: every register but the ID, the base MSR and x2APIC's LDR back
 * to its reset value. Called by v itself (or before it ever ran). */
void vlapic_init_signal_reset(struct vcpu *v);

/* Hardware-enabled (base MSR) and software-enabled (SVR). */
bool vlapic_enabled(struct vcpu *v);

/*
 * For the interrupt-injection framework (hvm/intr.c), on v's own CPU:
 * the highest vector in IRR whose priority class is above the processor
 * priority (TPR and ISR), or -1 (nothing, or the APIC is disabled);
 * and, once the framework has injected vec, its move from IRR to ISR.
 */
int vlapic_pending_vector(struct vcpu *v);
void vlapic_ack_vector(struct vcpu *v, int vec);

/*
 * A fixed, edge-triggered interrupt for v from anywhere (the per-vCPU
 * upcall vector, IPIs): IRR set and v kicked. A vector below 16 is
 * refused with a receive-illegal-vector error, as the hardware does.
 */
void vlapic_set_irq(struct vcpu *v, uint8_t vec);

/* The APIC base MSR (0x1B): read, and a WRMSR (0, or -EPERM: #GP). */
uint64_t vlapic_get_base(struct vcpu *v);
int vlapic_set_base(struct vcpu *v, uint64_t val);

/* x2APIC MSRs 0x800-0x8FF: 0, or -EPERM for a #GP (not in x2APIC mode,
 * no such register, reserved bits, a read-only register). */
int vlapic_x2apic_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int vlapic_x2apic_write(struct vcpu *v, uint32_t msr, uint64_t val);

/* The xAPIC page, registered for every domain (vCPU 0's creation). */
extern const struct hvm_mmio_ops vlapic_mmio_ops;

#endif /* ASM_X86_HVM_VLAPIC_H */
