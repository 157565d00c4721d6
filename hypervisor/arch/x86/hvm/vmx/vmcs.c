// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS residency and set-up.
 *
 * Residency: a VMCS may be active on one CPU at a time, and only that
 * CPU may VMCLEAR it (the CPU caches VMCS data and writes it back on
 * VMCLEAR). vCPUs may move between CPUs, so the VMCS follows lazily:
 * a vCPU stays loaded on its CPU after vcpu_run() returns, and when it
 * next runs on another CPU, vmx_vmcs_load() asks the old CPU through
 * an IPI (VECTOR_VMCS_CLEAR) to VMCLEAR it, waits, then VMPTRLDs it
 * here, rewrites the per-CPU host state and flushes the guest's TLB
 * entries on this CPU (INVEPT of its EPTP: stale translations from an
 * earlier stay here, or from a freed domain whose EPT root page or VPID
 * the vCPU reuses). The scheduler needs no hook; it must only never run
 * a vCPU on two CPUs at once, and call vcpu_run() with interrupts on
 * (the wait for the old CPU keeps them on, so two CPUs asking each
 * other cannot deadlock).
 *
 * Set-up: the control fields are written once, at the first load; the
 * guest state at the first load after vcpu_set_pvh_entry().
 */
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/smp.h>
#include <asm/apic.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/irq.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/traps.h>

/* The reset value of IA32_PAT: WB, WT, UC-, UC, twice. */
#define PAT_RESET	0x0007040600070406ULL

extern const char vmx_vmexit[];

uint64_t vmx_eptp(struct vcpu *v)
{
	return p2m_eptp(&v->domain->p2m);
}

/* Every guest-physical and combined translation of v's EPTP, here. */
void vmx_flush_guest_tlb(struct vcpu *v)
{
	unsigned long type = vmx_caps.ept_vpid & VMX_EPT_INVEPT_SINGLE ?
			     INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXT;

	BUG_ON(!invept(type, vmx_eptp(v)));
}

/* The guest's own linear translations (a CR write we emulated). */
void vmx_flush_vpid(struct vmx_vcpu *vx)
{
	unsigned long type = vmx_caps.ept_vpid & VMX_VPID_INVVPID_SINGLE ?
			     INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXT;

	/* Without a VPID every VM entry flushes them. */
	if (vx->vpid)
		BUG_ON(!invvpid(type, vx->vpid));
}

/* Interrupts off (or in the IPI handler): VMCLEAR on this CPU. */
static void vmcs_clear_local(struct vmx_vcpu *vx)
{
	struct vmx_cpu *vc = &vmx_cpus[smp_processor_id()];

	BUG_ON(!vmcs_clear(vx->vmcs_pa));
	if (vc->current == vx)
		vc->current = NULL;
	vx->launched = false;
	__atomic_store_n(&vx->active_cpu, -1, __ATOMIC_RELEASE);
}

/* VECTOR_VMCS_CLEAR: another CPU wants the VMCS in our mailbox. */
void vmx_vmcs_clear_ipi(void)
{
	struct vmx_cpu *vc = &vmx_cpus[smp_processor_id()];
	struct vmx_vcpu *vx = __atomic_load_n(&vc->clear_req,
					      __ATOMIC_ACQUIRE);

	if (!vx)
		return;
	vmcs_clear_local(vx);
	__atomic_store_n(&vc->clear_req, NULL, __ATOMIC_RELEASE);
}

/* Have cpu VMCLEAR vx, and wait until it has. Interrupts on. */
static void vmcs_clear_remote(struct vmx_vcpu *vx, unsigned int cpu)
{
	struct vmx_cpu *vc = &vmx_cpus[cpu];
	struct vmx_vcpu *none = NULL;

	ASSERT(local_irq_is_enabled());
	while (!__atomic_compare_exchange_n(&vc->clear_req, &none, vx, false,
					    __ATOMIC_ACQ_REL,
					    __ATOMIC_RELAXED)) {
		none = NULL;
		cpu_relax();
	}
	lapic_send_ipi(percpu_areas[cpu]->apic_id, VECTOR_VMCS_CLEAR);
	while (__atomic_load_n(&vx->active_cpu, __ATOMIC_ACQUIRE) >= 0)
		cpu_relax();
}

/* Make vx inactive everywhere (before its VMCS page is freed). */
void vmx_vmcs_release(struct vmx_vcpu *vx)
{
	int cpu = __atomic_load_n(&vx->active_cpu, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (cpu < 0)
		return;
	if (cpu != (int)smp_processor_id()) {
		vmcs_clear_remote(vx, cpu);
		return;
	}
	flags = local_irq_save();
	vmcs_clear_local(vx);
	local_irq_restore(flags);
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/*
 * What a VM exit loads on this CPU. The GDT and TSS are per CPU (the
 * exit sets the GDTR and IDTR limits to 0xffff and TR's to 0x67, which
 * covers ours); FS and GS bases are per CPU too.
 */
static void write_host_state(struct vmx_vcpu *vx)
{
	struct percpu *pc = this_cpu();
	struct desc_ptr idtr;

	__asm__ __volatile__("sidt %0" : "=m"(idtr));
	vmwrite(HOST_CS_SELECTOR, SEL_CODE64);
	vmwrite(HOST_SS_SELECTOR, SEL_DATA);
	vmwrite(HOST_DS_SELECTOR, SEL_DATA);
	vmwrite(HOST_ES_SELECTOR, SEL_DATA);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, SEL_TSS);
	vmwrite(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(HOST_TR_BASE, (uintptr_t)&pc->tss);
	vmwrite(HOST_GDTR_BASE, (uintptr_t)pc->gdt);
	vmwrite(HOST_IDTR_BASE, idtr.base);
	vmwrite(HOST_IA32_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	vmwrite(HOST_IA32_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	vmwrite(HOST_IA32_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_PAT));
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_RIP, (uintptr_t)vmx_vmexit);
	/* CR0, CR3 and CR4 are compared before every entry. */
	vx->host_cr0 = vx->host_cr3 = vx->host_cr4 = ~0UL;
}

/*
 * Make v's VMCS current on this CPU, moving it here if it is active on
 * another one. Interrupts on; v runs nowhere.
 */
void vmx_vmcs_load(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	int cpu = smp_processor_id();
	struct vmx_cpu *vc = &vmx_cpus[cpu];
	int active = __atomic_load_n(&vx->active_cpu, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (active >= 0 && active != cpu) {
		vmcs_clear_remote(vx, active);
		vx->moves++;
	}
	flags = local_irq_save();
	if (vx->active_cpu != cpu) {
		/* VMCLEAR first: it sets the launch state of a new VMCS. */
		BUG_ON(!vmcs_clear(vx->vmcs_pa));
		BUG_ON(!vmcs_ptrld(vx->vmcs_pa));
		vc->current = vx;
		vx->active_cpu = cpu;
		vx->launched = false;
		write_host_state(vx);
		vmx_flush_guest_tlb(v);
	} else if (vc->current != vx) {
		BUG_ON(!vmcs_ptrld(vx->vmcs_pa));
		vc->current = vx;
	}
	local_irq_restore(flags);
}

/* The control fields: once per vCPU, with its VMCS current. */
void vmx_vmcs_setup(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	uint32_t cpu2 = vmx_caps.cpu2;

	if (!vx->vpid)
		cpu2 &= ~CPU2_ENABLE_VPID;
	vmwrite(PIN_BASED_VM_EXEC_CONTROL, vmx_caps.pin);
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, vmx_caps.cpu);
	vx->cpu_ctls = vmx_caps.cpu;
	vmwrite(SECONDARY_VM_EXEC_CONTROL, cpu2);
	vmwrite(VM_EXIT_CONTROLS, vmx_caps.exit);
	vmwrite(VM_ENTRY_CONTROLS, vmx_caps.entry);
	vmwrite(EXCEPTION_BITMAP, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	/* Every port and every MSR exits (all bits set). */
	vmwrite(IO_BITMAP_A, virt_to_maddr(vx->io_bitmap));
	vmwrite(IO_BITMAP_B, virt_to_maddr(vx->io_bitmap) + PAGE_SIZE);
	vmwrite(MSR_BITMAP, virt_to_maddr(vx->msr_bitmap));
	vmwrite(EPT_POINTER, vmx_eptp(v));
	if (vx->vpid)
		vmwrite(VIRTUAL_PROCESSOR_ID, vx->vpid);
	vmwrite(TSC_OFFSET, v->arch.msrs.tsc_offset);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	/* Power-on values of the guest MSRs in the VMCS, which INIT keeps:
	 * a vCPU started by SIPI never had the PVH start state. */
	vmwrite(GUEST_IA32_PAT, PAT_RESET);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmx_cr_setup();
	vx->controls_done = true;
}

static void set_seg(unsigned int seg, uint16_t sel, uint32_t ar,
		    uint32_t limit)
{
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, sel);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, limit);
	vmwrite(GUEST_ES_AR_BYTES + 2 * seg, ar);
	vmwrite(GUEST_ES_BASE + 2 * seg, 0);
}

/* A segment in the VMCS's format: attributes bits 8-11 move to 12-15,
 * and a segment that is not present is unusable. */
static void seg_load(unsigned int seg, const struct hvm_seg *s)
{
	uint32_t ar = (s->attr & 0xff) | ((s->attr & 0xf00) << 4);

	if (!(s->attr & HVM_SEG_P))
		ar = VMX_AR_UNUSABLE;
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, s->sel);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, s->limit);
	vmwrite(GUEST_ES_AR_BYTES + 2 * seg, ar);
	vmwrite(GUEST_ES_BASE + 2 * seg, s->base);
}

/*
 * A new context from v's run loop (hvm_vcpu_load_pending()), VMCS
 * current: every guest-state field the PVH start writes, from s.
 * Unrestricted guest runs the real-mode start of a SIPI as it is. Bad
 * PAE PDPTEs leave them zero: the entry then fails and the domain is
 * crashed, as it would be with the CPU's own checks.
 */
void vmx_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *s)
{
	struct vmx_vcpu *vx = v->hvm;
	unsigned int i;

	seg_load(VMX_SEG_ES, &s->es);
	seg_load(VMX_SEG_CS, &s->cs);
	seg_load(VMX_SEG_SS, &s->ss);
	seg_load(VMX_SEG_DS, &s->ds);
	seg_load(VMX_SEG_FS, &s->fs);
	seg_load(VMX_SEG_GS, &s->gs);
	seg_load(VMX_SEG_LDTR, &s->ldtr);
	seg_load(VMX_SEG_TR, &s->tr);
	vmwrite(GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(GUEST_IDTR_BASE, s->idtr.base);
	vmwrite(GUEST_IDTR_LIMIT, s->idtr.limit);
	for (i = 0; i < 4; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, 0);
	vmx_cr_load(v, s->cr0, s->cr3, s->cr4, s->efer);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vx->cr2 = 0;
	v->regs = s->regs;
}

/*
 * The PVH start state (Xen's docs/misc/pvh.pandoc): 32-bit protected
 * mode, paging off (allowed by unrestricted guest), flat 4 GiB CS
 * (0x08) and data segments (0x10), a busy 32-bit TSS, everything else
 * zero. RIP, RSP, RFLAGS and the GPRs come from v->regs.
 */
void vmx_write_pvh_state(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	unsigned int seg, i;

	for (seg = VMX_SEG_ES; seg <= VMX_SEG_GS; seg++)
		set_seg(seg, 0x10, VMX_AR_DATA32, 0xffffffff);
	set_seg(VMX_SEG_CS, 0x08, VMX_AR_CODE32, 0xffffffff);
	set_seg(VMX_SEG_LDTR, 0, VMX_AR_UNUSABLE, 0);
	set_seg(VMX_SEG_TR, 0x18, VMX_AR_TSS32_BUSY, 0x67);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0);
	vmx_cr_reset();
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(VM_ENTRY_CONTROLS, vmx_caps.entry);
	vmwrite(GUEST_IA32_PAT, PAT_RESET);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	for (i = 0; i < 4; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, 0);
	vx->cr2 = 0;
	vx->pvh_pending = false;
	vmx_debug_entry_test();
}
