/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU power states (hvm/vcpu_power.c): INIT, STARTUP (SIPI), NMI
 * wake-ups, HLT with interrupts off, and the vcpu_op calls that start and
 * stop vCPUs (common/vcpu_op.c).
 *
 * A vCPU is "initialised" (Xen's is_initialised) once it has a context
 * to run: vCPU 0 from the PVH start, the others from a SIPI or
 * VCPUOP_initialise. It runs when moreover VPF_down is clear.
 *
 *   event                 not initialised          initialised
 *   INIT                  nothing                  down, not initialised,
 *                                                  vLAPIC reset at restart
 *   SIPI vector V         real mode at V<<8:0,     ignored (the second SIPI
 *                         initialised, up          of INIT-SIPI-SIPI)
 *   VCPUOP_initialise     that context,            -EEXIST
 *                         initialised, still down
 *   VCPUOP_up             -EINVAL                  up
 *   NMI                   pending                  pending, and up
 *   HLT with IF=0, VCPUOP_down                     down
 * When every vCPU of a domain is down the domain is powered off.
 *
 * A new context is not written into the vCPU by whoever starts it (the
 * VMCS can only be written where it is loaded): it waits in
 * struct hvm_vcpu_power and the vCPU loads it itself, just before it
 * next enters (hvm_vcpu_load_pending(), from the back end's run loop).
 */
#ifndef ASM_X86_HVM_VCPU_POWER_H
#define ASM_X86_HVM_VCPU_POWER_H

#include <lamina/spinlock.h>
#include <lamina/types.h>
#include <asm/hvm/guest_regs.h>

struct vcpu;
struct vcpu_hvm_context;

/*
 * A segment register: selector, the descriptor attributes packed in 12
 * bits (type, S, DPL, P, AVL, L, D/B, G: SVM's and Xen's hvm_vcpu.h
 * layout; 0 for an unusable segment), the limit in bytes, the base.
 */
struct hvm_seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};

#define HVM_SEG_P	(1u << 7)

/* The architectural state a vCPU starts from (hvm_ops->vcpu_load_state). */
struct hvm_vcpu_state {
	struct hvm_seg cs, ss, ds, es, fs, gs, tr, ldtr;
	struct hvm_seg gdtr, idtr;	/* base and limit only */
	uint64_t cr0, cr3, cr4, efer;	/* EFER.LMA included */
	struct guest_regs regs;		/* GPRs, RIP, RFLAGS */
	int64_t tsc_offset;		/* vCPU 0's: one TSC per domain */
};

/* Per vCPU (struct arch_vcpu). */
struct hvm_vcpu_power {
	/* Orders the fields below against VPF_down changes made with
	 * them; taken before any scheduler lock (LOCK_LEVEL_VCPU_POWER). */
	spinlock_t lock;
	bool initialised;
	bool load_pending;		/* state to load before entering */
	bool lapic_reset;		/* an INIT since: reset the vLAPIC */
	struct hvm_vcpu_state state;
};

void hvm_vcpu_power_init(struct vcpu *v);

/* vCPU 0 of a domain about to start: initialised (the PVH start state
 * is in its control block already) and up. */
void hvm_vcpu_boot_start(struct vcpu *v);

/* The back end's run loop, interrupts off, v's control block current,
 * after sched_may_enter() and before the entry: load a new context. */
void hvm_vcpu_load_pending(struct vcpu *v);

/* Signals from the vLAPIC, on any CPU (NMIs: hvm_vcpu_nmi() in
 * asm/hvm/intr.h, which calls hvm_vcpu_nmi_wake() for a new one). */
void hvm_vcpu_init_signal(struct vcpu *v);
void hvm_vcpu_sipi(struct vcpu *v, uint8_t vector);
void hvm_vcpu_nmi_wake(struct vcpu *v);

/* v goes down (VPF_down); the domain powers off once all are down. */
void hvm_vcpu_down(struct vcpu *v);

/* VCPUOP_up and VCPUOP_initialise for v: 0 or Xen's error. */
int hvm_vcpu_up(struct vcpu *v);
int hvm_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx);

/* The state a SIPI with this vector starts a vCPU in (exposed for the
 * unit tests). */
void hvm_sipi_state(struct hvm_vcpu_state *s, uint8_t vector);

#endif /* ASM_X86_HVM_VCPU_POWER_H */
