/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_FPU_H
#define ASM_X86_FPU_H

#include <lamina/types.h>

struct vcpu;

/*
 * Guest FPU, SSE and AVX state. The hypervisor itself uses none of it
 * (-mgeneral-regs-only; liblzma's SSE runs at boot before any guest), so
 * a vCPU's state stays live in the CPU while it runs and through its
 * exits, and is saved and restored only when the scheduler switches
 * vCPUs. XCR0 is part of the state: SVM does not switch it and QEMU
 * cannot intercept XSETBV, so the guest's value is live too.
 */

/* Each CPU: enable XSAVE with every user state component we switch. */
void fpu_init_cpu(void);

/* Per vCPU: an area in the initial state (FCW 0x37f, MXCSR 0x1f80). */
int vcpu_fpu_init(struct vcpu *v);
void vcpu_fpu_destroy(struct vcpu *v);

/*
 * A guest's XSETBV of XCR0 where it exits (VMX): load val if a CPU with
 * the components switched here would accept it; else -EINVAL (#GP).
 */
int fpu_set_guest_xcr0(uint64_t val);

/* Context switch: save the CPU's state into v / load v's state. */
void fpu_save(struct vcpu *v);
void fpu_restore(struct vcpu *v);

#endif /* ASM_X86_FPU_H */
