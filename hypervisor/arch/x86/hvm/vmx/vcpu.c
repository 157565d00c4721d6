// SPDX-License-Identifier: GPL-2.0
/*
 * VMX vCPUs: allocation, the PVH start state, the run loop, event
 * injection, the guest state that common code asks for, and the
 * register dump.
 *
 * What VMX does not switch and the run loop does: the guest's CR2
 * (loaded before entry, saved after the exit) and RIP, RSP, RFLAGS
 * (copied between v->regs and the VMCS around each exit, so that exit
 * handlers see one vendor-neutral frame); the host's CR0, CR3 and CR4
 * in the VMCS are refreshed when they changed.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/xmalloc.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/irq.h>
#include <asm/processor.h>

#define RFLAGS_TF	(1ULL << 8)
#define RFLAGS_RF	(1ULL << 16)
#define RFLAGS_VM	(1ULL << 17)
/* Exceptions that push an error code (in protected mode). */
#define EXC_HAS_EC	((1U << 8) | (1U << 10) | (1U << 11) | (1U << 12) | \
			 (1U << 13) | (1U << 14) | (1U << 17) | (1U << 21))
#define EXC_CONTRIBUTORY ((1U << 0) | (1U << 10) | (1U << 11) | \
			  (1U << 12) | (1U << 13))

int vmx_vcpu_init(struct vcpu *v)
{
	struct vmx_vcpu *vx = xzalloc(struct vmx_vcpu);

	if (!vx)
		return -ENOMEM;
	vx->active_cpu = -1;
	vx->vmcs = alloc_xenheap_pages(0, MEMF_zero);
	vx->io_bitmap = alloc_xenheap_pages(1, 0);
	vx->msr_bitmap = alloc_xenheap_pages(0, 0);
	v->hvm = vx;
	if (!vx->vmcs || !vx->io_bitmap || !vx->msr_bitmap) {
		vmx_vcpu_destroy(v);
		return -ENOMEM;
	}
	*(uint32_t *)vx->vmcs = vmx_caps.revision;
	vx->vmcs_pa = virt_to_maddr(vx->vmcs);
	memset(vx->io_bitmap, 0xff, 2 * PAGE_SIZE);
	vmx_msr_bitmap_init(vx->msr_bitmap);
	vx->uid = vmx_new_uid();
	/* Out of VPIDs: this vCPU runs without (a flush on every entry). */
	vx->vpid = vmx_vpid_alloc();
	hvm_vcpu_init_common(v);
	return 0;
}

void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;

	if (!vx)
		return;
	if (vx->moves)
		printk("(lamina) d%uv%u: VMCS moves between CPUs: %u\n",
		       v->domain->domain_id, v->vcpu_id, vx->moves);
	if (vx->vmcs) {
		vmx_vmcs_release(vx);
		free_xenheap_pages(vx->vmcs, 0);
	}
	if (vx->io_bitmap)
		free_xenheap_pages(vx->io_bitmap, 1);
	if (vx->msr_bitmap)
		free_xenheap_pages(vx->msr_bitmap, 0);
	vmx_vpid_free(vx->vpid);
	xfree(vx);
	v->hvm = NULL;
}

/* Written into the VMCS when v next runs (vmx_write_pvh_state()). */
void vmx_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
	struct vmx_vcpu *vx = v->hvm;

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = entry;
	v->regs.rbx = ebx;
	v->regs.rflags = 0x2;
	vx->pvh_pending = true;
}

/*
 * The guest state below lives in the VMCS, which only the CPU running v
 * can read: these are for v's own exit handlers (SVM's work anywhere).
 */
static void assert_loaded(struct vcpu *v)
{
	ASSERT(vmx_cpus[smp_processor_id()].current == v->hvm);
}

bool vmx_vcpu_is_64bit(struct vcpu *v)
{
	assert_loaded(v);
	return (vmread(GUEST_IA32_EFER) & EFER_LMA) &&
	       (vmread(GUEST_CS_AR_BYTES) & VMX_AR_L);
}

/* The CPL is SS.DPL under VMX. */
unsigned int vmx_vcpu_cpl(struct vcpu *v)
{
	assert_loaded(v);
	return VMX_AR_DPL(vmread(GUEST_SS_AR_BYTES));
}

void vmx_vcpu_paging(struct vcpu *v, struct guest_paging *p)
{
	struct vmx_vcpu *vx = v->hvm;
	unsigned int i;

	assert_loaded(v);
	p->cr0 = vmread(GUEST_CR0);
	p->cr3 = vmread(GUEST_CR3);
	p->cr4 = vmread(GUEST_CR4);
	p->efer = vmread(GUEST_IA32_EFER);
	p->rflags = v->regs.rflags;
	p->cpl = vmx_vcpu_cpl(v);
	/* With EPT the CPU uses the PDPTEs it loaded, kept in the VMCS. */
	for (i = 0; i < 4; i++)
		vx->pdptes[i] = vmread(GUEST_PDPTE0 + 2 * i);
	p->pdptes = guest_paging_mode(p) == GPM_PAE ? vx->pdptes : NULL;
}

/*
 * Two exceptions at once (an event was being delivered when the exit
 * came, and the handler raises another): the SDM's double-fault table.
 * Returns the vector to deliver, X86_EXC_DF, or -1 for a triple fault.
 */
static int combine_exceptions(unsigned int first, unsigned int second)
{
	bool c1 = EXC_CONTRIBUTORY >> first & 1;
	bool c2 = EXC_CONTRIBUTORY >> second & 1;

	if (first == X86_EXC_DF)
		return -1;
	if ((c1 && c2) || (first == X86_EXC_PF && (c2 || second ==
						    X86_EXC_PF)))
		return X86_EXC_DF;
	return second;
}

void vmx_vcpu_inject_exception(struct vcpu *v, unsigned int vec,
			       bool has_ec, uint32_t ec, uint64_t cr2)
{
	struct vmx_vcpu *vx = v->hvm;
	uint32_t pending = vmread(VM_ENTRY_INTR_INFO);
	uint32_t info;
	int combined;

	assert_loaded(v);
	BUG_ON(vec >= 32 || vec == 2);
	if ((pending & INTR_INFO_VALID) &&
	    ((pending & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) ==
	    INTR_TYPE_HW_EXCEPTION) {
		combined = combine_exceptions(pending & INTR_INFO_VECTOR_MASK,
					      vec);
		if (combined < 0) {
			vcpu_crash(v, "triple fault (injection)");
			return;
		}
		if ((unsigned int)combined != vec)
			ec = 0;
		vec = combined;
	}
	if (vec == X86_EXC_PF)
		vx->cr2 = cr2;
	/* VM entry insists: an error code exactly when the CPU pushes one. */
	info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION <<
				  INTR_INFO_TYPE_SHIFT) | vec;
	if ((EXC_HAS_EC >> vec & 1) && (vmread(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE;
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, has_ec ? ec : 0);
	}
	vmwrite(VM_ENTRY_INTR_INFO, info);
}

uint64_t vmx_vcpu_seg_base(struct vcpu *v, enum insn_seg seg)
{
	assert_loaded(v);
	if (seg >= INSN_SEG_NR)
		seg = INSN_SEG_DS;
	/* enum insn_seg has the VMCS's order: ES, CS, SS, DS, FS, GS. */
	return vmread(GUEST_ES_BASE + 2 * seg);
}

/* CS.D decides outside long mode, in real mode too (the CPU keeps the
 * cached attributes); virtual-8086 mode is always 16-bit. */
enum insn_mode vmx_vcpu_insn_mode(struct vcpu *v)
{
	uint32_t ar;

	assert_loaded(v);
	if (v->regs.rflags & RFLAGS_VM)
		return INSN_MODE_16;
	ar = vmread(GUEST_CS_AR_BYTES);
	return insn_mode_of(vmread(GUEST_IA32_EFER) & EFER_LMA, ar & VMX_AR_L,
			    ar & VMX_AR_DB);
}

/* RDTSC and RDTSCP run natively, offset by the CPU (Xen's too). */
void vmx_vcpu_set_tsc_offset(struct vcpu *v, int64_t offset)
{
	assert_loaded(v);
	vmwrite(TSC_OFFSET, (uint64_t)offset);
}

void vmx_skip_len(struct vcpu *v, unsigned int len)
{
	uint32_t intr = vmread(GUEST_INTERRUPTIBILITY_INFO);

	v->regs.rip += len;
	switch (vmx_vcpu_insn_mode(v)) {
	case INSN_MODE_16:
		v->regs.rip &= 0xffff;
		break;
	case INSN_MODE_32:
		v->regs.rip = (uint32_t)v->regs.rip;
		break;
	case INSN_MODE_64:
		break;
	}
	/* The instruction completed: no STI or MOV SS shadow remains. */
	if (intr & (INTR_BLOCK_STI | INTR_BLOCK_MOV_SS))
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			intr & ~(INTR_BLOCK_STI | INTR_BLOCK_MOV_SS));
	/*
	 * RF is spent, and a single step ends after it: a pending #DB with
	 * BS, which the CPU delivers after the entry (an instruction's exit
	 * leaves the field clear on hardware).
	 */
	v->regs.rflags &= ~RFLAGS_RF;
	if (v->regs.rflags & RFLAGS_TF)
		vmwrite(GUEST_PENDING_DBG_EXCEPTIONS,
			vmread(GUEST_PENDING_DBG_EXCEPTIONS) | PENDING_DBG_BS);
}

void vmx_skip_insn(struct vcpu *v)
{
	vmx_skip_len(v, vmread(VM_EXIT_INSTRUCTION_LEN));
}

/* Interrupts off, v's VMCS current: what VMX does not load for us. */
static void prepare_entry(struct vcpu *v, struct vmx_vcpu *vx)
{
	unsigned long cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();

	if (cr0 != vx->host_cr0)
		vmwrite(HOST_CR0, vx->host_cr0 = cr0);
	if (cr3 != vx->host_cr3)
		vmwrite(HOST_CR3, vx->host_cr3 = cr3);
	if (cr4 != vx->host_cr4)
		vmwrite(HOST_CR4, vx->host_cr4 = cr4);
	vmwrite(GUEST_RIP, v->regs.rip);
	vmwrite(GUEST_RSP, v->regs.rsp);
	vmwrite(GUEST_RFLAGS, v->regs.rflags);
	if (read_cr2() != vx->cr2)
		write_cr2(vx->cr2);
}

static void collect_exit(struct vcpu *v, struct vmx_vcpu *vx)
{
	vx->cr2 = read_cr2();
	v->regs.rip = vmread(GUEST_RIP);
	v->regs.rsp = vmread(GUEST_RSP);
	v->regs.rflags = vmread(GUEST_RFLAGS);
	vx->exit_reason = vmread(VM_EXIT_REASON);
	vx->exit_qual = vmread(EXIT_QUALIFICATION);
	vx->exit_intr_info = vmread(VM_EXIT_INTR_INFO);
	vx->idt_vectoring = vmread(IDT_VECTORING_INFO);
}

/* VMLAUNCH/VMRESUME itself failed: no exit, the guest never ran. */
static void entry_failed(struct vcpu *v, int rc)
{
	printk("(lamina) d%uv%u: %s failed: %s\n", v->domain->domain_id,
	       v->vcpu_id, ((struct vmx_vcpu *)v->hvm)->launched ?
	       "VMRESUME" : "VMLAUNCH", rc == 1 ? "VMfailValid" :
	       "VMfailInvalid");
	if (rc == 1)
		printk("(lamina) VM-instruction error %lu\n",
		       vmread(VM_INSTRUCTION_ERROR));
	vcpu_crash(v, "VM entry failed");
}

/*
 * The p2m changed since v last entered (domain_tlb_flush() bumped
 * tlb_gen): flush this CPU's translations of the domain's EPTP. Called
 * with v->in_guest already set, so that domain_tlb_flush() either sees
 * v in the guest and waits for this, or v sees the new generation.
 */
static void sync_tlb_gen(struct vcpu *v)
{
	uint32_t gen = __atomic_load_n(&v->domain->tlb_gen, __ATOMIC_SEQ_CST);

	if (v->tlb_gen == gen)
		return;
	vmx_flush_guest_tlb(v);
	__atomic_store_n(&v->tlb_gen, gen, __ATOMIC_SEQ_CST);
}

void vmx_vcpu_run(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	int rc;

	vmx_vmcs_load(v);
	if (!vx->controls_done)
		vmx_vmcs_setup(v);
	if (vx->pvh_pending)
		vmx_write_pvh_state(v);
	vmx_msrs_load(vx);
	for (;;) {
		vcpu_time_enter(v);
		local_irq_disable();
		if (!sched_may_enter(v)) {
			local_irq_enable();
			return;
		}
		hvm_vcpu_load_pending(v);
		__atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
		sync_tlb_gen(v);
		vmx_intr_assist(v);
		hvm_load_tsc_aux(v);
		prepare_entry(v, vx);
		rc = vmx_vmenter(&v->regs, vx->launched);
		__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
		if (rc) {
			local_irq_enable();
			entry_failed(v, rc);
			continue;
		}
		collect_exit(v, vx);
		if (!(vx->exit_reason & EXIT_REASON_FAILED_ENTRY))
			vx->launched = true;
		local_irq_enable();
		vmx_handle_exit(v);
	}
}

static void dump_seg(const char *name, unsigned int seg)
{
	printk("  %-4s sel %04lx attr %05lx limit %08lx base %016lx\n", name,
	       vmread(GUEST_ES_SELECTOR + 2 * seg),
	       vmread(GUEST_ES_AR_BYTES + 2 * seg),
	       vmread(GUEST_ES_LIMIT + 2 * seg),
	       vmread(GUEST_ES_BASE + 2 * seg));
}

static void dump_vmcs(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	const struct guest_regs *r = &v->regs;

	printk("  RIP %04lx:%016lx  RFLAGS %016lx  CPL %u\n",
	       vmread(GUEST_CS_SELECTOR), r->rip, r->rflags,
	       vmx_vcpu_cpl(v));
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("  rbp %016lx  rsp %016lx  r8  %016lx\n", r->rbp, r->rsp, r->r8);
	printk("  r9  %016lx  r10 %016lx  r11 %016lx\n", r->r9, r->r10, r->r11);
	printk("  r12 %016lx  r13 %016lx  r14 %016lx\n", r->r12, r->r13, r->r14);
	printk("  r15 %016lx  cr0 %016lx  cr2 %016lx\n", r->r15,
	       vmx_guest_cr0(), vx->cr2);
	printk("  cr3 %016lx  cr4 %016lx  efer %016lx\n", vmread(GUEST_CR3),
	       vmx_guest_cr4(), vmread(GUEST_IA32_EFER));
	printk("  interruptibility %lx  activity %lx  entry controls %lx\n",
	       vmread(GUEST_INTERRUPTIBILITY_INFO),
	       vmread(GUEST_ACTIVITY_STATE), vmread(VM_ENTRY_CONTROLS));
	dump_seg("cs", VMX_SEG_CS);
	dump_seg("ss", VMX_SEG_SS);
	dump_seg("ds", VMX_SEG_DS);
	dump_seg("tr", VMX_SEG_TR);
	printk("  gdtr limit %04lx base %016lx  idtr limit %04lx base "
	       "%016lx\n", vmread(GUEST_GDTR_LIMIT), vmread(GUEST_GDTR_BASE),
	       vmread(GUEST_IDTR_LIMIT), vmread(GUEST_IDTR_BASE));
}

/*
 * The VMCS can only be read where it is current: from v's own exit
 * handlers. Elsewhere (another vCPU crashing the domain) only the
 * registers saved at v's last exit are known.
 */
void vmx_vcpu_dump(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	const struct guest_regs *r = &v->regs;

	printk("(lamina) d%uv%u exit %u qualification %#lx intr info %#x "
	       "vectoring %#x\n", v->domain->domain_id, v->vcpu_id,
	       vx->exit_reason, vx->exit_qual, vx->exit_intr_info,
	       vx->idt_vectoring);
	if (vmx_cpus[smp_processor_id()].current == vx) {
		dump_vmcs(v);
		return;
	}
	printk("  (VMCS not loaded on this CPU)  RIP %016lx  RSP %016lx\n",
	       r->rip, r->rsp);
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
}
