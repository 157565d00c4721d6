// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt and NMI injection on VMX, through the VM-entry
 * interruption-information field.
 *
 * When the guest cannot take the interrupt now (RFLAGS.IF clear, an STI
 * or MOV SS shadow, an event already being injected), interrupt-window
 * exiting makes the CPU exit as soon as it can, and the next entry
 * injects. NMIs use virtual-NMI blocking (set by the injection, cleared
 * by the guest's IRET) and NMI-window exits; a CPU without virtual NMIs
 * gets its NMIs at interrupt windows, unblocked.
 */
#include <lamina/domain.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/vmx/vmcs.h>
#include <asm/hvm/vmx/vmx.h>

#define X86_EFLAGS_IF	(1UL << 9)

static void inject(struct vcpu *v, struct hvm_intr intr, unsigned int type)
{
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID |
		(type << INTR_INFO_TYPE_SHIFT) | intr.vector);
	hvm_intr_ack(v, intr);
}

/* The window controls wanted, for intr (not NONE) now. */
static uint32_t assist(struct vcpu *v, struct hvm_intr intr)
{
	uint32_t block = vmread(GUEST_INTERRUPTIBILITY_INFO);
	bool shadow = block & (INTR_BLOCK_STI | INTR_BLOCK_MOV_SS);

	if (vmread(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID)
		return CPU_INTR_WINDOW_EXITING;
	if (intr.src == HVM_INTR_NMI) {
		if (shadow || (block & INTR_BLOCK_NMI))
			return vmx_caps.vnmi ? CPU_NMI_WINDOW_EXITING :
					       CPU_INTR_WINDOW_EXITING;
		inject(v, intr, INTR_TYPE_NMI);
		return 0;
	}
	if (!(v->regs.rflags & X86_EFLAGS_IF) || shadow)
		return CPU_INTR_WINDOW_EXITING;
	inject(v, intr, INTR_TYPE_EXT_INTR);
	return 0;
}

void vmx_intr_assist(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	struct hvm_intr intr = hvm_pending_intr(v);
	uint32_t ctls = vx->cpu_ctls & ~(CPU_INTR_WINDOW_EXITING |
					 CPU_NMI_WINDOW_EXITING);

	if (intr.src != HVM_INTR_NONE)
		ctls |= assist(v, intr);
	if (ctls != vx->cpu_ctls) {
		vmwrite(CPU_BASED_VM_EXEC_CONTROL, ctls);
		vx->cpu_ctls = ctls;
	}
}
