/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_DEBUGREG_H
#define ASM_X86_DEBUGREG_H

struct vcpu;

/*
 * DR0-DR3 and DR6, which neither VMRUN nor VM entry switch (DR7, and on
 * SVM DR6, are in the VMCB/VMCS): saved when a vCPU leaves its CPU,
 * loaded when one arrives, so no guest sees another's breakpoints.
 * The hypervisor itself uses no debug registers.
 */
void debugreg_save(struct vcpu *v);
void debugreg_restore(struct vcpu *v);

#endif /* ASM_X86_DEBUGREG_H */
