// SPDX-License-Identifier: GPL-2.0
/*
 * SVM vCPUs: the VMCB and its bitmaps, the PVH start state, the run
 * loop and the register dump.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/xmalloc.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>
#include <asm/irq.h>
#include <asm/processor.h>

BUILD_BUG_ON(sizeof(struct vmcb) != PAGE_SIZE);
BUILD_BUG_ON(offsetof(struct vmcb, exitcode) != 0x70);
BUILD_BUG_ON(offsetof(struct vmcb, n_cr3) != 0xb0);
BUILD_BUG_ON(offsetof(struct vmcb, insn_len) != 0xd0);
BUILD_BUG_ON(offsetof(struct vmcb, es) != 0x400);
BUILD_BUG_ON(offsetof(struct vmcb, tr) != 0x490);
BUILD_BUG_ON(offsetof(struct vmcb, cpl) != 0x4cb);
BUILD_BUG_ON(offsetof(struct vmcb, efer) != 0x4d0);
BUILD_BUG_ON(offsetof(struct vmcb, cr4) != 0x548);
BUILD_BUG_ON(offsetof(struct vmcb, rip) != 0x578);
BUILD_BUG_ON(offsetof(struct vmcb, rsp) != 0x5d8);
BUILD_BUG_ON(offsetof(struct vmcb, rax) != 0x5f8);
BUILD_BUG_ON(offsetof(struct vmcb, cr2) != 0x640);
BUILD_BUG_ON(offsetof(struct vmcb, g_pat) != 0x668);

static void vmcb_init_control(struct svm_vcpu *s, paddr_t ncr3)
{
	struct vmcb *vmcb = s->vmcb;

	/* What each intercept does for the guest: svm/exits.c. */
	vmcb->intercepts1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			    SVM_INTERCEPT_SMI | SVM_INTERCEPT_RDPMC |
			    SVM_INTERCEPT_CPUID |
			    SVM_INTERCEPT_INVD | SVM_INTERCEPT_HLT |
			    SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO |
			    SVM_INTERCEPT_MSR | SVM_INTERCEPT_SHUTDOWN;
	vmcb->intercepts2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			    SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			    SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			    SVM_INTERCEPT_SKINIT |
			    SVM_INTERCEPT_WBINVD | SVM_INTERCEPT_MONITOR |
			    SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_COND |
			    SVM_INTERCEPT_RDPRU;
	/* Every port exits; MSRs but those the VMCB holds (svm/msr.c). */
	memset(s->iopm, 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	svm_msrpm_init(s->msrpm);
	vmcb->iopm_base_pa = virt_to_maddr(s->iopm);
	vmcb->msrpm_base_pa = virt_to_maddr(s->msrpm);
	vmcb->vintr = SVM_VINTR_MASKING;
	vmcb->np_enable = SVM_NP_ENABLE;
	vmcb->n_cr3 = ncr3;
	/* Power-on state INIT keeps (the PVH start sets it again). */
	vmcb->g_pat = 0x0007040600070406ULL;
}

int svm_vcpu_init(struct vcpu *v)
{
	struct svm_vcpu *s = xzalloc(struct svm_vcpu);

	if (!s)
		return -ENOMEM;
	s->vmcb = alloc_xenheap_pages(0, MEMF_zero);
	s->iopm = alloc_xenheap_pages(SVM_IOPM_ORDER, 0);
	s->msrpm = alloc_xenheap_pages(SVM_MSRPM_ORDER, 0);
	v->hvm = s;
	if (!s->vmcb || !s->iopm || !s->msrpm) {
		svm_vcpu_destroy(v);
		return -ENOMEM;
	}
	s->vmcb_pa = virt_to_maddr(s->vmcb);
	vmcb_init_control(s, v->domain->p2m.root);
	hvm_vcpu_init_common(v);
	return 0;
}

void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *s = v->hvm;

	if (!s)
		return;
	if (s->nrip_lens || s->decoded_lens)
		printk("(lamina) d%uv%u: instruction lengths: %lu from NRIP "
		       "save, %lu decoded\n", v->domain->domain_id,
		       v->vcpu_id, s->nrip_lens, s->decoded_lens);
	if (s->vmcb)
		free_xenheap_pages(s->vmcb, 0);
	if (s->iopm)
		free_xenheap_pages(s->iopm, SVM_IOPM_ORDER);
	if (s->msrpm)
		free_xenheap_pages(s->msrpm, SVM_MSRPM_ORDER);
	xfree(s);
	v->hvm = NULL;
}

static void set_seg(struct vmcb_seg *seg, uint16_t sel, uint16_t attrib,
		    uint32_t limit)
{
	seg->sel = sel;
	seg->attrib = attrib;
	seg->limit = limit;
	seg->base = 0;
}

/*
 * The PVH start state (Xen's docs/misc/pvh.pandoc): 32-bit protected
 * mode, paging off, flat 4 GiB CS and data segments, EBX the start info
 * address, everything else zero. EFER.SVME must be set in a guest VMCB.
 */
void svm_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)v->hvm)->vmcb;

	set_seg(&vmcb->cs, 0x08, SVM_ATTR_CODE32, 0xffffffff);
	set_seg(&vmcb->ds, 0x10, SVM_ATTR_DATA32, 0xffffffff);
	vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs = vmcb->ds;
	set_seg(&vmcb->tr, 0x18, SVM_ATTR_TSS32_BUSY, 0x67);
	set_seg(&vmcb->ldtr, 0, SVM_ATTR_LDT, 0);
	set_seg(&vmcb->gdtr, 0, 0, 0);
	set_seg(&vmcb->idtr, 0, 0, 0);
	vmcb->cpl = 0;
	vmcb->efer = EFER_SVME;
	vmcb->cr0 = X86_CR0_PE | (1UL << 4);	/* ET */
	vmcb->cr3 = vmcb->cr4 = 0;
	vmcb->dr6 = 0xffff0ff0;
	vmcb->dr7 = 0x400;
	vmcb->g_pat = 0x0007040600070406ULL;	/* the reset value */
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = entry;
	v->regs.rbx = ebx;
	v->regs.rflags = 0x2;
}

static void seg_load(struct vmcb_seg *seg, const struct hvm_seg *s)
{
	seg->sel = s->sel;
	seg->attrib = s->attr;
	seg->limit = s->limit;
	seg->base = s->base;
}

/*
 * A new state from v's run loop (hvm_vcpu_load_pending()). VMRUN takes
 * CPL from SS.DPL under QEMU; the CPL field is written for hardware
 * that reads it. A zero ASID makes svm_asid_assign() give a fresh one:
 * no TLB entry of the old context survives.
 */
void svm_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *s)
{
	struct svm_vcpu *svm = v->hvm;
	struct vmcb *vmcb = svm->vmcb;

	seg_load(&vmcb->cs, &s->cs);
	seg_load(&vmcb->ss, &s->ss);
	seg_load(&vmcb->ds, &s->ds);
	seg_load(&vmcb->es, &s->es);
	seg_load(&vmcb->fs, &s->fs);
	seg_load(&vmcb->gs, &s->gs);
	seg_load(&vmcb->tr, &s->tr);
	seg_load(&vmcb->ldtr, &s->ldtr);
	seg_load(&vmcb->gdtr, &s->gdtr);
	seg_load(&vmcb->idtr, &s->idtr);
	vmcb->cpl = (s->ss.attr >> SVM_ATTR_DPL_SHIFT) & 3;
	vmcb->efer = s->efer | EFER_SVME;
	vmcb->cr0 = s->cr0;
	vmcb->cr3 = s->cr3;
	vmcb->cr4 = s->cr4;
	vmcb->cr2 = 0;
	vmcb->dr6 = 0xffff0ff0;
	vmcb->dr7 = 0x400;
	vmcb->eventinj = 0;
	vmcb->interrupt_shadow = 0;
	/* No NMI in service, no interrupt window requested. */
	svm->nmi_blocked = false;
	vmcb->intercepts1 &= ~(SVM_INTERCEPT_IRET | SVM_INTERCEPT_VINTR);
	vmcb->vintr &= ~SVM_VINTR_IRQ;
	vmcb->asid = 0;
	v->regs = s->regs;
}

bool svm_vcpu_is_64bit(struct vcpu *v)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)v->hvm)->vmcb;

	return (vmcb->efer & (1UL << 10)) && (vmcb->cs.attrib & SVM_ATTR_L);
}

/* Guest CPL: SS.DPL (this QEMU ignores the VMCB CPL field). */
unsigned int svm_vcpu_cpl(struct vcpu *v)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)v->hvm)->vmcb;

	return (vmcb->ss.attrib >> 5) & 3;
}

/*
 * VMRUN loads the guest's CR2 from the VMCB, except in Bochs's SVM (2.7,
 * and its source since), which leaves the CPU's: the guest would see
 * another vCPU's fault address, or not the one of a #PF injected here.
 * The CPU's CR2 is made the VMCB's first (after an exit they are equal,
 * the CPU keeping the guest's, so this rarely writes).
 */
static void regs_to_vmcb(struct vcpu *v, struct vmcb *vmcb)
{
	vmcb->rax = v->regs.rax;
	vmcb->rsp = v->regs.rsp;
	vmcb->rip = v->regs.rip;
	vmcb->rflags = v->regs.rflags;
	if (read_cr2() != vmcb->cr2)
		write_cr2(vmcb->cr2);
}

static void vmcb_to_regs(struct vcpu *v, struct vmcb *vmcb)
{
	v->regs.rax = vmcb->rax;
	v->regs.rsp = vmcb->rsp;
	v->regs.rip = vmcb->rip;
	v->regs.rflags = vmcb->rflags;
}

/*
 * ASIDs, per CPU and by generation: a vCPU keeps its ASID while it stays
 * on one CPU and the generation holds. It takes a fresh one when it
 * moves, when its domain's p2m changed (tlb_gen), or when the CPU ran
 * out of ASIDs, which starts a new generation with a full TLB flush.
 * A fresh ASID has no TLB entries since that flush.
 */
static void svm_asid_assign(struct vcpu *v, struct svm_vcpu *s,
			    unsigned int cpu)
{
	struct svm_cpu *sc = &svm_cpus[cpu];
	uint32_t gen = __atomic_load_n(&v->domain->tlb_gen, __ATOMIC_SEQ_CST);

	s->vmcb->tlb_control = 0;
	if (s->asid_cpu == cpu && s->asid_gen == sc->asid_gen &&
	    s->vmcb->asid && v->tlb_gen == gen)
		return;
	if (!sc->next_asid || sc->next_asid >= svm_nr_asids) {
		sc->asid_gen++;
		sc->next_asid = 1;
		s->vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	}
	s->vmcb->asid = sc->next_asid++;
	s->asid_gen = sc->asid_gen;
	s->asid_cpu = cpu;
	__atomic_store_n(&v->tlb_gen, gen, __ATOMIC_SEQ_CST);
}

extern const char svm_vmrun_return[];

/*
 * Under QEMU 7.2's TCG, about one VMRUN in a few hundred thousand (seen
 * in the two-domain event flood of evtchn-interdomain-smp2, ~1 run in
 * 250) comes back with the VMCB's state save area holding this CPU's
 * host state, exactly as VMRUN saves it in the host save area: RIP just
 * after our VMRUN, the host's CR3, GDT and IDT, RAX the VMCB's address.
 * The guest "ran" that: its first fetch walked the host's CR3 as guest
 * memory and took a nested page fault, before any guest instruction.
 * MSR_VM_HSAVE_PA was checked to be this CPU's own page right before
 * such a VMRUN; Lamina writes no such image anywhere. So the entry is
 * retried from the copy of the save area taken before VMRUN (no guest
 * instruction ran, the GPRs are unchanged), and the exit is logged.
 */
static bool svm_vmrun_lost_state(struct vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	struct { uint16_t limit; uint64_t base; } __packed gdt, idt;

	if (vmcb->exitcode != SVM_EXIT_NPF)
		return false;
	__asm__ ("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	if (!svm_vmcb_holds_host(vmcb, read_cr3(), gdt.base, idt.base,
				 (uintptr_t)svm_vmrun_return))
		return false;
	memcpy((uint8_t *)vmcb + SVM_SAVE_OFFSET, s->save_copy,
	       SVM_SAVE_COPY_LEN);
	/* An event VMRUN was delivering goes again. */
	if (vmcb->exitintinfo & SVM_EVTINJ_VALID)
		vmcb->eventinj = vmcb->exitintinfo;
	s->lost_state_retries++;
	printk("(lamina) d%uv%u: VMRUN came back with the host's state in "
	       "the VMCB (a QEMU TCG fault): entry retried (%lu so far)\n",
	       v->domain->domain_id, v->vcpu_id, s->lost_state_retries);
	return true;
}

void svm_vcpu_run(struct vcpu *v)
{
	struct svm_vcpu *s = v->hvm;
	unsigned int cpu = smp_processor_id();
	paddr_t host_vmcb = svm_cpus[cpu].host_vmcb_pa;

	for (;;) {
		vcpu_time_enter(v);
		local_irq_disable();
		if (!sched_may_enter(v)) {
			local_irq_enable();
			return;
		}
		hvm_vcpu_load_pending(v);
		/* in_guest before reading tlb_gen: see domain_tlb_flush(). */
		__atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
		svm_asid_assign(v, s, cpu);
		svm_intr_assist(v);
		hvm_load_tsc_aux(v);
		regs_to_vmcb(v, s->vmcb);
		memcpy(s->save_copy, (uint8_t *)s->vmcb + SVM_SAVE_OFFSET,
		       SVM_SAVE_COPY_LEN);
		svm_vmrun(&v->regs, s->vmcb_pa, host_vmcb);
		__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
		if (svm_vmrun_lost_state(v, s)) {
			local_irq_enable();
			continue;
		}
		vmcb_to_regs(v, s->vmcb);
		local_irq_enable();
		svm_handle_exit(v);
	}
}

static void dump_seg(const char *name, const struct vmcb_seg *s)
{
	printk("  %-4s sel %04x attr %03x limit %08x base %016lx\n", name,
	       s->sel, s->attrib, s->limit, s->base);
}

void svm_vcpu_dump(struct vcpu *v)
{
	struct svm_vcpu *s = v->hvm;
	struct vmcb *vmcb = s->vmcb;
	const struct guest_regs *r = &v->regs;

	printk("(lamina) d%uv%u exit %#lx info1 %#lx info2 %#lx intinfo "
	       "%#lx\n", v->domain->domain_id, v->vcpu_id, vmcb->exitcode,
	       vmcb->exitinfo1, vmcb->exitinfo2, vmcb->exitintinfo);
	printk("  RIP %04x:%016lx  RFLAGS %016lx  CPL %u\n", vmcb->cs.sel,
	       r->rip, r->rflags, svm_vcpu_cpl(v));
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("  rbp %016lx  rsp %016lx  r8  %016lx\n", r->rbp, r->rsp, r->r8);
	printk("  r9  %016lx  r10 %016lx  r11 %016lx\n", r->r9, r->r10, r->r11);
	printk("  r12 %016lx  r13 %016lx  r14 %016lx\n", r->r12, r->r13, r->r14);
	printk("  r15 %016lx  cr0 %016lx  cr2 %016lx\n", r->r15, vmcb->cr0,
	       vmcb->cr2);
	printk("  cr3 %016lx  cr4 %016lx  efer %016lx\n", vmcb->cr3, vmcb->cr4,
	       vmcb->efer);
	dump_seg("cs", &vmcb->cs);
	dump_seg("ss", &vmcb->ss);
	dump_seg("ds", &vmcb->ds);
	dump_seg("gdtr", &vmcb->gdtr);
	dump_seg("idtr", &vmcb->idtr);
}
