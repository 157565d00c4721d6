// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU power states: INIT, SIPI, NMI wake-ups, going down, and the
 * contexts VCPUOP_initialise gives (asm/hvm/vcpu_power.h has the state
 * table).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>
#include <asm/processor.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/sched.h>

BUILD_BUG_ON(sizeof(struct vcpu_hvm_context) != 128);

void hvm_vcpu_power_init(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;

	memset(p, 0, sizeof(*p));
	spin_lock_init(&p->lock, LOCK_LEVEL_VCPU_POWER, "vcpu_power");
}

static bool set_down(struct vcpu *v)
{
	return __atomic_fetch_or(&v->pause_flags, VPF_down,
				 __ATOMIC_SEQ_CST) & VPF_down;
}

static bool clear_down(struct vcpu *v)
{
	return __atomic_fetch_and(&v->pause_flags, ~VPF_down,
				  __ATOMIC_SEQ_CST) & VPF_down;
}

void hvm_vcpu_boot_start(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;

	spin_lock(&p->lock);
	p->initialised = true;
	clear_down(v);
	spin_unlock(&p->lock);
}

/*
 * v is down (VPF_down set): it leaves its CPU soon. Once every vCPU of
 * the domain is down the domain is powered off: Xen's rule, and how a
 * PVH Linux ends (every CPU halts with interrupts off).
 */
static void gone_down(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int i;

	vcpu_sleep_nosync(v);
	for (i = 0; i < d->max_vcpus; i++)
		if (!(__atomic_load_n(&d->vcpu[i]->pause_flags,
				      __ATOMIC_SEQ_CST) & VPF_down))
			return;
	printk("(lamina) domain %u: every vCPU is down\n", d->domain_id);
	domain_shutdown(d, SHUTDOWN_poweroff);
}

void hvm_vcpu_down(struct vcpu *v)
{
	set_down(v);
	gone_down(v);
}

void hvm_vcpu_init_signal(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;

	spin_lock(&p->lock);
	if (!p->initialised) {		/* already waiting for a SIPI */
		spin_unlock(&p->lock);
		return;
	}
	p->initialised = false;
	p->load_pending = false;
	p->lapic_reset = true;
	set_down(v);
	/* INIT ends a HLT too: the next context starts unblocked. */
	__atomic_and_fetch(&v->pause_flags, ~VPF_blocked, __ATOMIC_SEQ_CST);
	spin_unlock(&p->lock);
	gone_down(v);
}

/*
 * The state after INIT, with CS:IP = V<<8:0 from the SIPI (SDM vol. 3,
 * table 10-1 and 10.4.4.1; the same values as Xen's reset): real mode,
 * 64 KiB segments, CR0 = ET, no paging, RFLAGS = 2, GPRs 0.
 */
void hvm_sipi_state(struct hvm_vcpu_state *s, uint8_t vector)
{
	static const struct hvm_seg data = { 0, 0x93, 0xffff, 0 };

	memset(s, 0, sizeof(*s));
	s->cs = (struct hvm_seg){ (uint16_t)vector << 8, 0x9b, 0xffff,
				  (uint64_t)vector << 12 };
	s->ss = s->ds = s->es = s->fs = s->gs = data;
	s->tr = (struct hvm_seg){ 0, 0x8b, 0xffff, 0 };
	s->ldtr = (struct hvm_seg){ 0, 0x82, 0xffff, 0 };
	s->gdtr.limit = s->idtr.limit = 0xffff;
	s->cr0 = X86_CR0_ET;
	s->regs.rflags = 0x2;
}

static int64_t domain_tsc_offset(struct vcpu *v)
{
	return v->domain->vcpu[0]->arch.msrs.tsc_offset;
}

void hvm_vcpu_sipi(struct vcpu *v, uint8_t vector)
{
	struct hvm_vcpu_power *p = &v->arch.power;
	bool wake;

	spin_lock(&p->lock);
	if (p->initialised) {		/* running: the SIPI is ignored */
		spin_unlock(&p->lock);
		return;
	}
	hvm_sipi_state(&p->state, vector);
	p->state.tsc_offset = domain_tsc_offset(v);
	p->initialised = true;
	p->load_pending = true;
	wake = clear_down(v);
	spin_unlock(&p->lock);
	if (wake)
		vcpu_wake(v);
}

void hvm_vcpu_nmi_wake(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;
	bool wake = false;

	spin_lock(&p->lock);
	if (p->initialised)
		wake = clear_down(v);
	spin_unlock(&p->lock);
	if (wake)
		vcpu_wake(v);
}

void hvm_vcpu_load_pending(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;

	if (!__atomic_load_n(&p->load_pending, __ATOMIC_SEQ_CST))
		return;
	spin_lock(&p->lock);
	if (p->load_pending) {
		if (p->lapic_reset)
			vlapic_init_signal_reset(v);
		p->lapic_reset = false;
		hvm_ops->vcpu_load_state(v, &p->state);
		v->arch.msrs.tsc_offset = p->state.tsc_offset;
		hvm_ops->vcpu_set_tsc_offset(v, p->state.tsc_offset);
		p->load_pending = false;
	}
	spin_unlock(&p->lock);
}

int hvm_vcpu_up(struct vcpu *v)
{
	struct hvm_vcpu_power *p = &v->arch.power;
	bool wake;

	spin_lock(&p->lock);
	if (!p->initialised) {
		spin_unlock(&p->lock);
		return -EINVAL;
	}
	wake = clear_down(v);
	spin_unlock(&p->lock);
	if (wake)
		vcpu_wake(v);
	return 0;
}

/* ---- VCPUOP_initialise ------------------------------------------------- */

#define ATTR_TYPE(a)	((a) & 0xf)
#define ATTR_S		(1u << 4)
#define ATTR_DPL(a)	(((a) >> 5) & 3)
#define ATTR_G		(1u << 11)
#define TYPE_CODE	0x8
#define TYPE_WRITABLE	0x2	/* data; readable for code */
#define TYPE_TSS_BUSY	0xb

#define RFLAGS_DEFINED	0x003f7fd5ULL

enum seg_kind { SEG_CS, SEG_SS, SEG_DATA, SEG_TR };

/*
 * A segment from a vcpu_hvm_x86_32 context, checked as Xen checks it:
 * attribute bits 12-15 clear; CS, SS and TR not null; TR a busy 32-bit
 * TSS; the others code or data, present, CS code, SS writable data,
 * DS/ES readable. The accessed (busy for TR) bit is set for the guest.
 */
static int seg_from_ctx(struct hvm_seg *s, enum seg_kind k, uint32_t base,
			uint32_t limit, uint16_t attr)
{
	*s = (struct hvm_seg){ 0, attr, limit, base };
	if (attr & 0xf000)
		return -EINVAL;
	if (!attr)
		return k == SEG_DATA ? 0 : -EINVAL;
	if (!(attr & HVM_SEG_P))
		return -EINVAL;
	if (k == SEG_TR) {
		s->attr |= 2;
		return (attr & ATTR_S) || ATTR_TYPE(s->attr) != TYPE_TSS_BUSY ?
		       -EINVAL : 0;
	}
	s->attr |= 1;
	if (!(attr & ATTR_S))
		return -EINVAL;
	switch (k) {
	case SEG_CS:
		return ATTR_TYPE(attr) & TYPE_CODE ? 0 : -EINVAL;
	case SEG_SS:
		return (ATTR_TYPE(attr) & TYPE_CODE) ||
		       !(ATTR_TYPE(attr) & TYPE_WRITABLE) ? -EINVAL : 0;
	default:
		return (ATTR_TYPE(attr) & TYPE_CODE) &&
		       !(ATTR_TYPE(attr) & TYPE_WRITABLE) ? -EINVAL : 0;
	}
}

static uint32_t seg_limit_bytes(const struct hvm_seg *s)
{
	return s->attr & ATTR_G ? (s->limit << 12) | 0xfff : s->limit;
}

static int ctx32_to_state(const struct vcpu_hvm_x86_32 *c,
			  struct hvm_vcpu_state *s)
{
	int rc;

	if (c->pad1 || c->pad2[0] || c->pad2[1] || c->pad2[2])
		return -EINVAL;
	rc = seg_from_ctx(&s->cs, SEG_CS, c->cs_base, c->cs_limit, c->cs_ar);
	rc = rc ?: seg_from_ctx(&s->ds, SEG_DATA, c->ds_base, c->ds_limit,
				c->ds_ar);
	rc = rc ?: seg_from_ctx(&s->ss, SEG_SS, c->ss_base, c->ss_limit,
				c->ss_ar);
	rc = rc ?: seg_from_ctx(&s->es, SEG_DATA, c->es_base, c->es_limit,
				c->es_ar);
	rc = rc ?: seg_from_ctx(&s->tr, SEG_TR, c->tr_base, c->tr_limit,
				c->tr_ar);
	if (rc)
		return rc;
	if (c->eip > seg_limit_bytes(&s->cs) ||
	    ATTR_DPL(s->ss.attr) != ATTR_DPL(s->cs.attr) ||
	    ((s->ds.attr & HVM_SEG_P) &&
	     ATTR_DPL(s->ds.attr) > ATTR_DPL(s->cs.attr)) ||
	    ((s->es.attr & HVM_SEG_P) &&
	     ATTR_DPL(s->es.attr) > ATTR_DPL(s->cs.attr)) ||
	    ((c->efer & EFER_LMA) && !(c->efer & EFER_LME)))
		return -EINVAL;
	s->regs.rax = c->eax;
	s->regs.rcx = c->ecx;
	s->regs.rdx = c->edx;
	s->regs.rbx = c->ebx;
	s->regs.rsp = c->esp;
	s->regs.rbp = c->ebp;
	s->regs.rsi = c->esi;
	s->regs.rdi = c->edi;
	s->regs.rip = c->eip;
	s->regs.rflags = c->eflags;
	s->cr0 = c->cr0;
	s->cr3 = c->cr3;
	s->cr4 = c->cr4;
	s->efer = c->efer;
	return 0;
}

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static int ctx64_to_state(const struct vcpu_hvm_x86_64 *c,
			  struct hvm_vcpu_state *s)
{
	static const struct hvm_seg data = { 0, 0xc93, 0xffffffff, 0 };

	if (!canonical(c->rip) || !(c->cr0 & X86_CR0_PG) ||
	    !(c->cr4 & X86_CR4_PAE) || !(c->efer & EFER_LME))
		return -EINVAL;
	s->cs = (struct hvm_seg){ 0, 0xa9b, 0xffffffff, 0 };
	s->ds = s->ss = s->es = data;
	s->tr = (struct hvm_seg){ 0, 0x8b, 0x67, 0 };
	s->regs.rax = c->rax;
	s->regs.rcx = c->rcx;
	s->regs.rdx = c->rdx;
	s->regs.rbx = c->rbx;
	s->regs.rsp = c->rsp;
	s->regs.rbp = c->rbp;
	s->regs.rsi = c->rsi;
	s->regs.rdi = c->rdi;
	s->regs.rip = c->rip;
	s->regs.rflags = c->rflags;
	s->cr0 = c->cr0;
	s->cr3 = c->cr3;
	s->cr4 = c->cr4;
	s->efer = c->efer;
	return 0;
}

/* CR4 bits a guest with this CPUID may set (Xen: hvm_cr4_guest_valid_bits). */
static uint64_t cr4_valid(const struct cpuid_policy *p)
{
	static const struct {
		uint64_t bit;
		uint32_t leaf;
		enum cpuid_reg reg;
		unsigned int feat;
	} map[] = {
		{ X86_CR4_VME | X86_CR4_PVI, 1, CPUID_EDX, 1 },
		{ X86_CR4_TSD, 1, CPUID_EDX, 4 },
		{ X86_CR4_DE, 1, CPUID_EDX, 2 },
		{ X86_CR4_PSE, 1, CPUID_EDX, 3 },
		{ X86_CR4_PAE, 1, CPUID_EDX, 6 },
		{ X86_CR4_MCE, 1, CPUID_EDX, 7 },
		{ X86_CR4_PGE, 1, CPUID_EDX, 13 },
		{ X86_CR4_OSFXSR, 1, CPUID_EDX, 24 },
		{ X86_CR4_OSXMMEXCPT, 1, CPUID_EDX, 25 },
		{ X86_CR4_UMIP, 7, CPUID_ECX, 2 },
		{ X86_CR4_FSGSBASE, 7, CPUID_EBX, 0 },
		{ X86_CR4_PCIDE, 1, CPUID_ECX, 17 },
		{ X86_CR4_OSXSAVE, 1, CPUID_ECX, 26 },
		{ X86_CR4_SMEP, 7, CPUID_EBX, 7 },
		{ X86_CR4_SMAP, 7, CPUID_EBX, 20 },
	};
	uint64_t valid = X86_CR4_PCE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (cpuid_has(p, map[i].leaf, map[i].reg, map[i].feat))
			valid |= map[i].bit;
	return valid;
}

/* Control registers: what the CPU would refuse to enter with. */
static int check_crs(struct vcpu *v, struct hvm_vcpu_state *s)
{
	const struct cpuid_policy *p = &v->domain->arch.cpuid;
	bool lm = (s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG);

	if ((s->cr0 >> 32) || ((s->cr0 & X86_CR0_PG) &&
			       !(s->cr0 & X86_CR0_PE)) ||
	    ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD)) ||
	    (s->cr4 & ~cr4_valid(p)) ||
	    (lm && !(s->cr4 & X86_CR4_PAE)) ||
	    hvm_efer_check(p, s->efer, s->efer, false))
		return -EINVAL;
	s->cr0 |= X86_CR0_ET;
	s->efer = lm ? s->efer | EFER_LMA : s->efer & ~EFER_LMA;
	return 0;
}

int hvm_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
	struct hvm_vcpu_power *p = &v->arch.power;
	struct hvm_vcpu_state s = { 0 };
	int rc;

	/* Xen's order: a vCPU with a context is -EEXIST whatever ctx is. */
	if (__atomic_load_n(&p->initialised, __ATOMIC_SEQ_CST))
		return -EEXIST;
	if (ctx->pad)
		return -EINVAL;
	if (ctx->mode == VCPU_HVM_MODE_32B)
		rc = ctx32_to_state(&ctx->cpu_regs.x86_32, &s);
	else if (ctx->mode == VCPU_HVM_MODE_64B)
		rc = ctx64_to_state(&ctx->cpu_regs.x86_64, &s);
	else
		rc = -EINVAL;
	rc = rc ?: check_crs(v, &s);
	if (rc)
		return rc;
	/* Reserved RFLAGS bits as the CPU keeps them: bit 1 set. */
	s.regs.rflags = (s.regs.rflags & RFLAGS_DEFINED) | 0x2;
	s.ldtr = (struct hvm_seg){ 0, 0x82, 0xffff, 0 };
	s.tsc_offset = domain_tsc_offset(v);
	spin_lock(&p->lock);
	if (p->initialised) {
		spin_unlock(&p->lock);
		return -EEXIST;
	}
	p->state = s;
	p->initialised = true;
	p->load_pending = true;
	set_down(v);			/* until VCPUOP_up */
	spin_unlock(&p->lock);
	return 0;
}
