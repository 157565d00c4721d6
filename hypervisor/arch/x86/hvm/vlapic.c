// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC (asm/hvm/vlapic.h): registers, interrupt
 * acceptance and priority, EOI, and IPIs through the ICR.
 *
 * IPI delivery modes (ICR bits 8-10) and what each does to every vCPU the
 * destination names (shorthand, or physical or logical destination):
 *   fixed           IRR of each target whose APIC is enabled; a vector
 *                   below 16 is a send-illegal-vector error instead
 *   lowest priority as fixed, to the first enabled target only (the
 *                   arbitration is model-specific; Xen rotates by PPR)
 *   NMI             hvm_vcpu_nmi(): pending NMI, wakes a halted vCPU
 *   INIT            hvm_vcpu_init_signal() (not the level de-assert)
 *   STARTUP         hvm_vcpu_sipi() with the vector
 *   SMI, mode 3     ignored, as Xen does
 *   ExtINT          the domain is crashed, as Xen does (no PIC)
 * Delivery is immediate: the delivery-status bit always reads 0.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <asm/apic.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>

#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff

/* LVT bits (SDM vol. 3, 11.5.1) that each entry keeps. */
#define LVT_VECTOR		0x000000ffu
#define LVT_MODE		0x00000700u
#define LVT_STATUS		(1u << 12)
#define LVT_POLARITY		(1u << 13)
#define LVT_REMOTE_IRR		(1u << 14)
#define LVT_LEVEL		(1u << 15)
#define LVT_MASKED		(1u << 16)
#define LVT_TIMER_MODE		(3u << 17)
#define LVT_BASE		(LVT_MASKED | LVT_STATUS | LVT_VECTOR)
#define LVT_LINT		(LVT_BASE | LVT_MODE | LVT_POLARITY | \
				 LVT_REMOTE_IRR | LVT_LEVEL)

static const uint32_t lvt_valid[VLAPIC_NR_LVT] = {
	LVT_BASE | LVT_TIMER_MODE,	/* timer */
	LVT_BASE | LVT_MODE,		/* thermal */
	LVT_BASE | LVT_MODE,		/* performance counters */
	LVT_LINT, LVT_LINT,		/* LINT0, LINT1 */
	LVT_BASE,			/* error */
};

#define LVT_INDEX(reg)		(((reg) - APIC_LVT_TIMER) >> 4)
#define LVT_ERROR_INDEX		5

#define DFR_FLAT		0xffffffffu
#define DFR_CLUSTER		0x0fffffffu
#define TDCR_VALID		0xbu
#define SVR_VALID		0x3ffu	/* vector, enable, focus check */
#define TPR_VALID		0xffu

/* ICR delivery modes and shorthands */
enum { DM_FIXED, DM_LOWEST, DM_SMI, DM_RESERVED, DM_NMI, DM_INIT,
       DM_STARTUP, DM_EXTINT };
enum { SH_NONE, SH_SELF, SH_ALL, SH_ALL_BUT_SELF };

static struct vlapic *vlapic_of(struct vcpu *v)
{
	return &v->arch.vlapic;
}

static bool x2apic_mode(struct vcpu *v)
{
	return READ_ONCE(v->arch.msrs.apic_base) & APIC_BASE_EXTD;
}

static bool hw_enabled(struct vcpu *v)
{
	return READ_ONCE(v->arch.msrs.apic_base) & APIC_BASE_ENABLE;
}

bool vlapic_enabled(struct vcpu *v)
{
	return hw_enabled(v) &&
	       (READ_ONCE(vlapic_of(v)->svr) & APIC_SVR_ENABLE);
}

/* ---- 256-bit vector registers ----------------------------------------- */

static bool vec_test_and_set(uint32_t *r, unsigned int vec)
{
	uint32_t bit = 1u << (vec % 32);

	return __atomic_fetch_or(&r[vec / 32], bit, __ATOMIC_SEQ_CST) & bit;
}

static void vec_clear(uint32_t *r, unsigned int vec)
{
	__atomic_fetch_and(&r[vec / 32], ~(1u << (vec % 32)),
			   __ATOMIC_SEQ_CST);
}

static int vec_highest(const uint32_t *r)
{
	int i;

	for (i = 7; i >= 0; i--) {
		uint32_t w = __atomic_load_n(&r[i], __ATOMIC_SEQ_CST);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

/* ---- Priority, acceptance, EOI ----------------------------------------- */

/* PPR: the TPR, or the class of the highest in-service vector if higher. */
static uint32_t vlapic_ppr(struct vlapic *l)
{
	int isr = vec_highest(l->isr);
	uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr;

	if ((l->tpr & 0xf0) >= (isrv & 0xf0))
		return l->tpr & 0xff;
	return isrv & 0xf0;
}

int vlapic_pending_vector(struct vcpu *v)
{
	struct vlapic *l = vlapic_of(v);
	int irr;

	if (!vlapic_enabled(v))
		return -1;
	irr = vec_highest(l->irr);
	if (irr < 0 || (uint32_t)(irr & 0xf0) <= (vlapic_ppr(l) & 0xf0))
		return -1;
	return irr;
}

void vlapic_ack_vector(struct vcpu *v, int vec)
{
	struct vlapic *l = vlapic_of(v);

	vec_clear(l->irr, vec);
	vec_test_and_set(l->isr, vec);
}

static void vlapic_error(struct vcpu *v, uint32_t err)
{
	struct vlapic *l = vlapic_of(v);
	uint32_t lvt = READ_ONCE(l->lvt[LVT_ERROR_INDEX]);
	uint32_t old = __atomic_fetch_or(&l->esr_pending, err,
					 __ATOMIC_SEQ_CST);

	/* The error interrupt, once per new error, unless masked. */
	if ((old & err) != err && !(lvt & LVT_MASKED) &&
	    (lvt & LVT_VECTOR) >= 16)
		vlapic_set_irq(v, lvt & LVT_VECTOR);
}

void vlapic_set_irq(struct vcpu *v, uint8_t vec)
{
	if (vec < 16) {
		vlapic_error(v, APIC_ESR_RECV_ILLEGAL);
		return;
	}
	if (!vec_test_and_set(vlapic_of(v)->irr, vec))
		vcpu_kick(v);
}

/* EOI: the highest in-service vector is done (none: nothing to do). */
static void vlapic_eoi(struct vlapic *l)
{
	int vec = vec_highest(l->isr);

	if (vec >= 0)
		vec_clear(l->isr, vec);
}

/* ---- IPIs -------------------------------------------------------------- */

static bool match_logical(struct vcpu *t, uint32_t dest, bool x2apic)
{
	struct vlapic *l = vlapic_of(t);
	uint32_t ldr = READ_ONCE(l->ldr);

	if (x2apic) {
		if (dest == 0xffffffffu)
			return true;
		return (ldr >> 16) == (dest >> 16) && (ldr & dest & 0xffff);
	}
	ldr >>= 24;
	dest &= 0xff;
	if (dest == 0xff)
		return true;		/* broadcast in both models */
	if (READ_ONCE(l->dfr) == DFR_FLAT)
		return ldr & dest;
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf);
}

static bool match_dest(struct vcpu *t, struct vcpu *src, unsigned int sh,
		       uint32_t dest, bool logical)
{
	bool x2 = x2apic_mode(src);
	uint32_t id = READ_ONCE(vlapic_of(t)->id);

	switch (sh) {
	case SH_SELF:
		return t == src;
	case SH_ALL:
		return true;
	case SH_ALL_BUT_SELF:
		return t != src;
	}
	if (logical)
		return match_logical(t, dest, x2);
	if (x2)
		return dest == 0xffffffffu || dest == id;
	dest &= 0xff;
	return dest == 0xff ||
	       dest == (x2apic_mode(t) ? id : id >> 24);
}

static void deliver(struct vcpu *t, unsigned int mode, uint8_t vec)
{
	switch (mode) {
	case DM_FIXED:
	case DM_LOWEST:
		if (vlapic_enabled(t))
			vlapic_set_irq(t, vec);
		break;
	case DM_NMI:
		hvm_vcpu_nmi(t);
		break;
	case DM_INIT:
		hvm_vcpu_init_signal(t);
		break;
	case DM_STARTUP:
		hvm_vcpu_sipi(t, vec);
		break;
	}
}

/* Send the IPI the ICR describes, from v. */
static void vlapic_ipi(struct vcpu *v, uint32_t lo, uint32_t hi)
{
	struct domain *d = v->domain;
	unsigned int mode = (lo >> APIC_ICR_MODE_SHIFT) & 7;
	unsigned int sh = (lo >> APIC_ICR_SHORTHAND_SHIFT) & 3;
	bool logical = lo & APIC_ICR_LOGICAL;
	uint32_t dest = x2apic_mode(v) ? hi : hi >> 24;
	uint8_t vec = lo & APIC_ICR_VECTOR;
	unsigned int i;

	switch (mode) {
	case DM_SMI:
	case DM_RESERVED:
		return;
	case DM_EXTINT:
		printk("(lamina) d%uv%u: ExtINT IPI (ICR %#x): no PIC\n",
		       d->domain_id, v->vcpu_id, lo);
		vcpu_crash(v, "unsupported IPI delivery mode");
		return;
	case DM_INIT:
		/* The level-triggered de-assert does nothing since P4. */
		if ((lo & (APIC_ICR_LEVEL | APIC_ICR_ASSERT)) ==
		    APIC_ICR_LEVEL)
			return;
		break;
	case DM_FIXED:
	case DM_LOWEST:
		if (vec < 16) {
			vlapic_error(v, APIC_ESR_SEND_ILLEGAL);
			return;
		}
		break;
	}
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = d->vcpu[i];

		if (!match_dest(t, v, sh, dest, logical))
			continue;
		if (mode == DM_LOWEST && !vlapic_enabled(t))
			continue;
		deliver(t, mode, vec);
		if (mode == DM_LOWEST)
			return;
	}
}

/* ---- Register reads and writes (both modes) ----------------------------- */

static uint32_t vlapic_read(struct vcpu *v, unsigned int reg)
{
	struct vlapic *l = vlapic_of(v);

	switch (reg) {
	case APIC_ID:
		return l->id;
	case APIC_VERSION:
		return VLAPIC_VERSION;
	case APIC_TPR:
		return l->tpr;
	case APIC_PPR:
		return vlapic_ppr(l);
	case APIC_LDR:
		return l->ldr;
	case APIC_DFR:
		return l->dfr;
	case APIC_SVR:
		return l->svr;
	case APIC_ISR ... APIC_ISR + 0x70:
		return l->isr[(reg - APIC_ISR) >> 4];
	case APIC_TMR ... APIC_TMR + 0x70:
		return l->tmr[(reg - APIC_TMR) >> 4];
	case APIC_IRR ... APIC_IRR + 0x70:
		return __atomic_load_n(&l->irr[(reg - APIC_IRR) >> 4],
				       __ATOMIC_SEQ_CST);
	case APIC_ESR:
		return l->esr;
	case APIC_ICR_LO:
		return l->icr_lo;
	case APIC_ICR_HI:
		return l->icr_hi;
	case APIC_LVT_TIMER ... APIC_LVT_ERROR:
		return l->lvt[LVT_INDEX(reg)];
	case APIC_TMICT:
		return l->timer_icr;
	case APIC_TDCR:
		return l->timer_dcr;
	default:
		return 0;	/* APR, RRD, CMCI, the timer count... */
	}
}

static void svr_write(struct vcpu *v, uint32_t val)
{
	struct vlapic *l = vlapic_of(v);
	unsigned int i;

	WRITE_ONCE(l->svr, val & SVR_VALID);
	/*
	 * Enabling: what IRR holds is delivered from the next entry on,
	 * and a pending event-channel upcall raises the per-vCPU upcall
	 * vector again (Xen: a reset may have cleared it, or it came while
	 * the APIC was disabled).
	 */
	if (val & APIC_SVR_ENABLE) {
		uint8_t vec = READ_ONCE(v->arch.upcall_vector);

		if (vec && READ_ONCE(v->vcpu_info->evtchn_upcall_pending))
			vlapic_set_irq(v, vec);
		return;
	}
	/* Software disable masks every LVT entry. */
	for (i = 0; i < VLAPIC_NR_LVT; i++)
		WRITE_ONCE(l->lvt[i], l->lvt[i] | LVT_MASKED);
}

static void vlapic_write(struct vcpu *v, unsigned int reg, uint32_t val)
{
	struct vlapic *l = vlapic_of(v);

	switch (reg) {
	case APIC_ID:
		if (!x2apic_mode(v))
			WRITE_ONCE(l->id, val & 0xff000000u);
		break;
	case APIC_TPR:
		l->tpr = val & TPR_VALID;
		break;
	case APIC_EOI:
		vlapic_eoi(l);
		break;
	case APIC_LDR:
		if (!x2apic_mode(v))
			WRITE_ONCE(l->ldr, val & 0xff000000u);
		break;
	case APIC_DFR:
		if (!x2apic_mode(v))
			WRITE_ONCE(l->dfr, val | DFR_CLUSTER);
		break;
	case APIC_SVR:
		svr_write(v, val);
		break;
	case APIC_ESR:
		/* A write latches the errors seen since the last one. */
		l->esr = __atomic_exchange_n(&l->esr_pending, 0,
					     __ATOMIC_SEQ_CST);
		break;
	case APIC_ICR_LO:
		l->icr_lo = val & ~APIC_ICR_BUSY;
		vlapic_ipi(v, l->icr_lo, l->icr_hi);
		break;
	case APIC_ICR_HI:
		l->icr_hi = x2apic_mode(v) ? val : val & 0xff000000u;
		break;
	case APIC_LVT_TIMER ... APIC_LVT_ERROR:
		if (!(l->svr & APIC_SVR_ENABLE))
			val |= LVT_MASKED;
		WRITE_ONCE(l->lvt[LVT_INDEX(reg)],
			   val & lvt_valid[LVT_INDEX(reg)]);
		break;
	case APIC_TMICT:
		l->timer_icr = val;
		break;
	case APIC_TDCR:
		l->timer_dcr = val & TDCR_VALID;
		break;
	}
}

/* ---- The xAPIC page ---------------------------------------------------- */

static uint64_t base_addr(struct vcpu *v)
{
	return READ_ONCE(v->arch.msrs.apic_base) & APIC_BASE_ADDR_MASK;
}

static bool mmio_accepts(struct vcpu *v, uint64_t gpa)
{
	return hw_enabled(v) && !x2apic_mode(v) &&
	       gpa - base_addr(v) < 0x1000;
}

/*
 * Registers are 32 bits wide, 16 bytes apart. Like Xen, an access that
 * stays within the 32 bits of a register works at any size (a narrow
 * write merges with the register's value); other accesses read 0 and
 * write nothing.
 */
static int mmio_read(struct vcpu *v, uint64_t gpa, unsigned int len,
		     uint64_t *val)
{
	unsigned int off = gpa - base_addr(v), in = off & 0xf;
	uint32_t reg;

	*val = 0;
	if (in + len > 4)
		return 0;
	reg = vlapic_read(v, off & ~0xfu) >> (8 * in);
	*val = len == 4 ? reg : reg & ((1u << (8 * len)) - 1);
	return 0;
}

static int mmio_write(struct vcpu *v, uint64_t gpa, unsigned int len,
		      uint64_t val)
{
	unsigned int off = gpa - base_addr(v), in = off & 0xf;
	unsigned int reg = off & ~0xfu;
	uint32_t mask, cur;

	if (in + len > 4)
		return 0;
	if (len < 4) {
		mask = ((1u << (8 * len)) - 1) << (8 * in);
		cur = vlapic_read(v, reg);
		val = (cur & ~mask) | (((uint32_t)val << (8 * in)) & mask);
	}
	vlapic_write(v, reg, val);
	return 0;
}

const struct hvm_mmio_ops vlapic_mmio_ops = {
	.name = "vlapic",
	.accepts = mmio_accepts,
	.read = mmio_read,
	.write = mmio_write,
};

/* ---- x2APIC MSRs -------------------------------------------------------- */

/* Registers readable through MSRs (by offset / 16); ICR is 64-bit. */
static bool x2apic_readable(unsigned int reg)
{
	switch (reg) {
	case APIC_ID: case APIC_VERSION: case APIC_TPR: case APIC_PPR:
	case APIC_LDR: case APIC_SVR: case APIC_ESR: case APIC_ICR_LO:
	case APIC_LVT_CMCI: case APIC_TMICT: case APIC_TMCCT:
	case APIC_TDCR:
	case APIC_ISR ... APIC_ISR + 0x70:
	case APIC_TMR ... APIC_TMR + 0x70:
	case APIC_IRR ... APIC_IRR + 0x70:
	case APIC_LVT_TIMER ... APIC_LVT_ERROR:
		return true;
	default:
		return false;
	}
}

static int x2apic_reg(struct vcpu *v, uint32_t msr, unsigned int *reg)
{
	if (!x2apic_mode(v) || msr < X2APIC_MSR_FIRST ||
	    msr > X2APIC_MSR_LAST)
		return -EPERM;
	*reg = (msr - X2APIC_MSR_FIRST) << 4;
	return 0;
}

int vlapic_x2apic_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	unsigned int reg;

	if (x2apic_reg(v, msr, &reg) || !x2apic_readable(reg))
		return -EPERM;
	*val = vlapic_read(v, reg);
	if (reg == APIC_ICR_LO)
		*val |= (uint64_t)vlapic_read(v, APIC_ICR_HI) << 32;
	return 0;
}

/* Reserved bits of each writable x2APIC register (Xen's checks). */
static int x2apic_check(unsigned int reg, uint64_t val)
{
	uint64_t valid;

	switch (reg) {
	case APIC_TPR:
		valid = TPR_VALID;
		break;
	case APIC_SVR:
		valid = APIC_SVR_ENABLE | LVT_VECTOR | (1u << 9);
		break;
	case APIC_LVT_TIMER ... APIC_LVT_ERROR:
		valid = lvt_valid[LVT_INDEX(reg)];
		break;
	case APIC_LVT_CMCI:
		valid = LVT_BASE | LVT_MODE;
		break;
	case APIC_TMICT:
		valid = 0xffffffffu;
		break;
	case APIC_TDCR:
		valid = TDCR_VALID;
		break;
	case APIC_ICR_LO:
		valid = 0xffffffff00000000ULL | APIC_ICR_VECTOR |
			(7u << APIC_ICR_MODE_SHIFT) | APIC_ICR_LOGICAL |
			APIC_ICR_ASSERT | APIC_ICR_LEVEL |
			(3u << APIC_ICR_SHORTHAND_SHIFT);
		break;
	case APIC_SELF_IPI:
		valid = APIC_ICR_VECTOR;
		break;
	case APIC_EOI:
	case APIC_ESR:
		valid = 0;		/* must be written as zero */
		break;
	default:
		return -EPERM;		/* read-only or no such register */
	}
	return val & ~valid ? -EPERM : 0;
}

int vlapic_x2apic_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct vlapic *l = vlapic_of(v);
	unsigned int reg;

	if (x2apic_reg(v, msr, &reg) || x2apic_check(reg, val))
		return -EPERM;
	switch (reg) {
	case APIC_ICR_LO:
		l->icr_hi = val >> 32;
		break;
	case APIC_SELF_IPI:
		/* A fixed IPI to itself; the ICR does not change. */
		vlapic_ipi(v, (uint32_t)SH_SELF << APIC_ICR_SHORTHAND_SHIFT |
			   (val & APIC_ICR_VECTOR), 0);
		return 0;
	case APIC_LVT_CMCI:
		return 0;		/* no machine-check interrupts */
	}
	vlapic_write(v, reg, (uint32_t)val);
	return 0;
}

/* ---- Reset and the APIC base MSR --------------------------------------- */

static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void vlapic_init_signal_reset(struct vcpu *v)
{
	struct vlapic *l = vlapic_of(v);
	unsigned int i;

	for (i = 0; i < 8; i++) {
		__atomic_store_n(&l->irr[i], 0, __ATOMIC_SEQ_CST);
		l->isr[i] = l->tmr[i] = 0;
	}
	__atomic_store_n(&l->esr_pending, 0, __ATOMIC_SEQ_CST);
	l->esr = l->tpr = 0;
	l->icr_lo = l->icr_hi = 0;
	if (!x2apic_mode(v))
		WRITE_ONCE(l->ldr, 0);
	WRITE_ONCE(l->dfr, DFR_FLAT);
	for (i = 0; i < VLAPIC_NR_LVT; i++)
		WRITE_ONCE(l->lvt[i], LVT_MASKED);
	WRITE_ONCE(l->svr, 0xff);
	l->timer_icr = l->timer_dcr = 0;
}

/* The IDs of a mode: x2APIC's is the whole register, LDR derived. */
static void set_ids(struct vcpu *v)
{
	struct vlapic *l = vlapic_of(v);
	uint32_t id = hvm_vcpu_apic_id(v);

	if (x2apic_mode(v)) {
		WRITE_ONCE(l->id, id);
		WRITE_ONCE(l->ldr, x2apic_ldr(id));
	} else {
		WRITE_ONCE(l->id, id << 24);
	}
}

void vlapic_init(struct vcpu *v)
{
	set_ids(v);
	vlapic_init_signal_reset(v);
}

uint64_t vlapic_get_base(struct vcpu *v)
{
	return v->arch.msrs.apic_base;
}

/*
 * The transitions the SDM allows (11.12.5): disabled <-> xAPIC, xAPIC
 * -> x2APIC, x2APIC -> disabled; x2APIC only if the guest's CPUID has
 * it. As on Xen, the xAPIC window may not move from 0xFEE00000 (the
 * attempt is logged and refused), enabling resets the APIC, and the
 * BSP flag is the guest's to change.
 */
int vlapic_set_base(struct vcpu *v, uint64_t val)
{
	uint64_t old = v->arch.msrs.apic_base, valid;
	bool x2 = cpuid_has(&v->domain->arch.cpuid, X86_FEAT_X2APIC);

	valid = (APIC_BASE_ADDR_MASK &
		 ((1ULL << cpuid_maxphyaddr(&v->domain->arch.cpuid)) - 1)) |
		APIC_BASE_ENABLE | APIC_BASE_BSP | (x2 ? APIC_BASE_EXTD : 0);
	if (val & ~valid)
		return -EPERM;
	if ((val & (APIC_BASE_EXTD | APIC_BASE_ENABLE)) == APIC_BASE_ENABLE &&
	    (val & APIC_BASE_ADDR_MASK) != APIC_DEFAULT_BASE) {
		printk("(lamina) d%uv%u tried to move the APIC MMIO window: "
		       "%#lx\n", v->domain->domain_id, v->vcpu_id, val);
		return -EPERM;
	}
	if ((old ^ val) & APIC_BASE_ENABLE) {
		if (val & APIC_BASE_EXTD)
			return -EPERM;	/* disabled -> x2APIC directly */
	} else if (((old ^ val) & APIC_BASE_EXTD) &&
		   (old & (APIC_BASE_EXTD | APIC_BASE_ENABLE)) !=
		   APIC_BASE_ENABLE) {
		return -EPERM;		/* only xAPIC -> x2APIC */
	}
	WRITE_ONCE(v->arch.msrs.apic_base, val);
	if (val & ~old & APIC_BASE_ENABLE) {
		set_ids(v);		/* enabling: the reset state */
		vlapic_init_signal_reset(v);
	} else if (val & ~old & APIC_BASE_EXTD) {
		set_ids(v);
	}
	return 0;
}
