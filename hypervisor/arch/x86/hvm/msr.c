// SPDX-License-Identifier: GPL-2.0
/*
 * The MSR policy for the MSRs the back ends do not hold in their control
 * block (asm/hvm/msr.h). One table: MSR range, read and write handlers.
 * An MSR outside the table raises #GP, as on Xen by default; handlers
 * raise #GP for a feature the domain's CPUID does not announce, for
 * reserved bits and for values Lamina does not support. The choices,
 * and where they differ from Xen 4.17, are in docs/cpuid-msr.md.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vlapic.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <xen/xen.h>

#define GP		(-EPERM)

#define MTRR_CAP_WC	(1ULL << 10)
#define MTRR_CAP_FIX	(1ULL << 8)
#define MTRR_PHYSMASK_V	(1ULL << 11)

#define MISC_ENABLE_FAST_STRING	(1ULL << 0)
#define MISC_ENABLE_BTS_UNAVAIL	(1ULL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL (1ULL << 12)
#define FEATURE_CONTROL_LOCK	(1ULL << 0)
#define DE_CFG_LFENCE_SERIALISE	(1ULL << 1)

#define EFER_KNOWN	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | \
			 EFER_SVME | EFER_FFXSR)

typedef int (*msr_read_fn)(struct vcpu *v, uint32_t msr, uint64_t *val);
typedef int (*msr_write_fn)(struct vcpu *v, uint32_t msr, uint64_t val);

struct msr_handler {
	uint32_t first, last;
	msr_read_fn read;
	msr_write_fn write;
};

static const struct cpuid_policy *policy_of(struct vcpu *v)
{
	return &v->domain->arch.cpuid;
}

static uint64_t rsvd_above_maxphyaddr(struct vcpu *v)
{
	unsigned int bits = cpuid_maxphyaddr(policy_of(v));

	return bits >= 64 ? 0 : ~0ULL << bits;
}

void hvm_msrs_init(struct vcpu *v)
{
	struct vcpu_msrs *m = &v->arch.msrs;

	memset(m, 0, sizeof(*m));
	m->apic_base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
		       (v->vcpu_id == 0 ? APIC_BASE_BSP : 0);
	m->mtrr_def_type = MTRR_DEF_TYPE_E | MTRR_TYPE_WB;
}

/* ---- TSC, TSC_AUX --------------------------------------------------- */

uint64_t hvm_guest_tsc(struct vcpu *v)
{
	return rdtsc() + (uint64_t)v->arch.msrs.tsc_offset;
}

static int tsc_read(struct vcpu *v, uint32_t msr __unused, uint64_t *val)
{
	*val = hvm_guest_tsc(v);
	return 0;
}

/* Writing the TSC moves the offset so that it reads val now (Xen). */
static int tsc_write(struct vcpu *v, uint32_t msr __unused, uint64_t val)
{
	__atomic_store_n(&v->arch.msrs.tsc_offset, (int64_t)(val - rdtsc()),
			 __ATOMIC_SEQ_CST);
	hvm_ops->vcpu_set_tsc_offset(v, v->arch.msrs.tsc_offset);
	guest_time_tsc_changed(v);	/* its pvclock, maybe all vCPUs' */
	return 0;
}

/*
 * TSC_AUX belongs to the guests: the host never reads it (no RDTSCP or
 * RDPID of its own), so each CPU keeps the value of the last vCPU it
 * ran and is written only when the next one's differs. UINT64_MAX is
 * no 32-bit value: the first entry on a CPU always writes.
 */
static uint64_t cpu_tsc_aux[CONFIG_NR_CPUS] = {
	[0 ... CONFIG_NR_CPUS - 1] = UINT64_MAX,
};

void hvm_load_tsc_aux(struct vcpu *v)
{
	uint64_t *loaded = &cpu_tsc_aux[smp_processor_id()];

	if (*loaded != v->arch.msrs.tsc_aux) {
		wrmsr(MSR_TSC_AUX, v->arch.msrs.tsc_aux);
		*loaded = v->arch.msrs.tsc_aux;
	}
}

/* TSC_AUX exists with RDTSCP or RDPID (Xen's rule too). */
static bool has_tsc_aux(struct vcpu *v)
{
	return cpuid_has(policy_of(v), X86_FEAT_RDTSCP) ||
	       cpuid_has(policy_of(v), X86_FEAT_RDPID);
}

static int tsc_aux_read(struct vcpu *v, uint32_t msr __unused,
			uint64_t *val)
{
	if (!has_tsc_aux(v))
		return GP;
	*val = v->arch.msrs.tsc_aux;
	return 0;
}

static int tsc_aux_write(struct vcpu *v, uint32_t msr __unused,
			 uint64_t val)
{
	if (!has_tsc_aux(v) || val >> 32)
		return GP;
	v->arch.msrs.tsc_aux = val;
	return 0;
}

/* ---- APIC base and x2APIC (hvm/vlapic.c) ---------------------------- */

static int apic_base_read(struct vcpu *v, uint32_t msr __unused,
			  uint64_t *val)
{
	*val = vlapic_get_base(v);
	return 0;
}

static int apic_base_write(struct vcpu *v, uint32_t msr __unused,
			   uint64_t val)
{
	return vlapic_set_base(v, val) ? GP : 0;
}

static int x2apic_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	return vlapic_x2apic_read(v, msr, val) ? GP : 0;
}

static int x2apic_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	return vlapic_x2apic_write(v, msr, val) ? GP : 0;
}

/* ---- MTRRs ----------------------------------------------------------- */

static bool mtrr_type_valid(uint64_t type)
{
	return type == 0 || type == 1 || type == 4 || type == 5 || type == 6;
}

static int mtrr_check(struct vcpu *v)
{
	return cpuid_has(policy_of(v), X86_FEAT_MTRR) ? 0 : GP;
}

/* The index into mtrr_fixed of a fixed-range MTRR, or -1. */
static int mtrr_fixed_index(uint32_t msr)
{
	if (msr == MSR_MTRR_FIX64K_00000)
		return 0;
	if (msr == MSR_MTRR_FIX16K_80000 || msr == MSR_MTRR_FIX16K_A0000)
		return 1 + msr - MSR_MTRR_FIX16K_80000;
	if (msr >= MSR_MTRR_FIX4K_C0000 && msr <= MSR_MTRR_FIX4K_F8000)
		return 3 + msr - MSR_MTRR_FIX4K_C0000;
	return -1;
}

static int mtrr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct vcpu_msrs *m = &v->arch.msrs;
	int i = mtrr_fixed_index(msr);

	if (mtrr_check(v))
		return GP;
	if (msr == MSR_MTRR_CAP)
		*val = MTRR_CAP_WC | MTRR_CAP_FIX | MTRR_VCNT;
	else if (msr == MSR_MTRR_DEF_TYPE)
		*val = m->mtrr_def_type;
	else if (i >= 0)
		*val = m->mtrr_fixed[i];
	else
		*val = m->mtrr_var[msr - MSR_MTRR_PHYSBASE0];
	return 0;
}

static int mtrr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct vcpu_msrs *m = &v->arch.msrs;
	int i = mtrr_fixed_index(msr), b;

	if (mtrr_check(v) || msr == MSR_MTRR_CAP)
		return GP;
	if (msr == MSR_MTRR_DEF_TYPE) {
		if ((val & ~(0xffULL | MTRR_DEF_TYPE_FE | MTRR_DEF_TYPE_E)) ||
		    !mtrr_type_valid(val & 0xff))
			return GP;
		m->mtrr_def_type = val;
	} else if (i >= 0) {
		for (b = 0; b < 64; b += 8)
			if (!mtrr_type_valid((val >> b) & 0xff))
				return GP;
		m->mtrr_fixed[i] = val;
	} else if (!(msr & 1)) {	/* PHYSBASEn */
		if ((val & (0xf00ULL | rsvd_above_maxphyaddr(v))) ||
		    !mtrr_type_valid(val & 0xff))
			return GP;
		m->mtrr_var[msr - MSR_MTRR_PHYSBASE0] = val;
	} else {			/* PHYSMASKn */
		if (val & (0x7ffULL | rsvd_above_maxphyaddr(v)))
			return GP;
		m->mtrr_var[msr - MSR_MTRR_PHYSBASE0] = val;
	}
	return 0;
}

/* ---- Vendor-specific MSRs that Linux reads --------------------------- */

static bool vendor_is(struct vcpu *v, enum cpuid_vendor vendor)
{
	return policy_of(v)->vendor == vendor;
}

/* Intel: fast strings on, no BTS or PEBS; writes must not change it. */
static int misc_enable_read(struct vcpu *v, uint32_t msr __unused,
			    uint64_t *val)
{
	if (!vendor_is(v, CPUID_VENDOR_INTEL))
		return GP;
	*val = MISC_ENABLE_FAST_STRING | MISC_ENABLE_BTS_UNAVAIL |
	       MISC_ENABLE_PEBS_UNAVAIL;
	return 0;
}

static int misc_enable_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	uint64_t cur;

	if (misc_enable_read(v, msr, &cur) || val != cur)
		return GP;
	return 0;
}

/* Intel: locked, VMX off. */
static int feature_control_read(struct vcpu *v, uint32_t msr __unused,
				uint64_t *val)
{
	if (!vendor_is(v, CPUID_VENDOR_INTEL))
		return GP;
	*val = FEATURE_CONTROL_LOCK;
	return 0;
}

static int write_gp(struct vcpu *v __unused, uint32_t msr __unused,
		    uint64_t val __unused)
{
	return GP;
}

/* AMD: HWCR reads as 0 (Xen); writes #GP. */
static int amd_zero_read(struct vcpu *v, uint32_t msr __unused,
			 uint64_t *val)
{
	if (!vendor_is(v, CPUID_VENDOR_AMD))
		return GP;
	*val = 0;
	return 0;
}

/* AMD: SYSCFG, TOP_MEM, TOP_MEM2, NB_CFG, VM_CR read as 0 and ignore
 * writes, like Xen (nested SVM is off, so VM_CR says nothing). */
static int amd_ignore_write(struct vcpu *v, uint32_t msr __unused,
			    uint64_t val __unused)
{
	return vendor_is(v, CPUID_VENDOR_AMD) ? 0 : GP;
}

/* AMD: LFENCE is dispatch serialising; writes ignored (Xen). */
static int de_cfg_read(struct vcpu *v, uint32_t msr __unused,
		       uint64_t *val)
{
	if (!vendor_is(v, CPUID_VENDOR_AMD))
		return GP;
	*val = DE_CFG_LFENCE_SERIALISE;
	return 0;
}

/* ---- Xen's hypercall page MSR ---------------------------------------- */

void hypercall_page_slot(uint8_t slot[HYPERCALL_SLOT_SIZE], unsigned int nr,
			 const uint8_t insn[3])
{
	memset(slot, 0xcc, HYPERCALL_SLOT_SIZE);	/* int3 */
	if (nr == __HYPERVISOR_iret) {
		slot[0] = 0x0f;				/* ud2 */
		slot[1] = 0x0b;
		return;
	}
	slot[0] = 0xb8;					/* mov $nr, %eax */
	slot[1] = nr & 0xff;
	slot[2] = (nr >> 8) & 0xff;
	slot[3] = (nr >> 16) & 0xff;
	slot[4] = (nr >> 24) & 0xff;
	memcpy(&slot[5], insn, 3);
	slot[8] = 0xc3;					/* ret */
}

/* Reads as 0, as on Xen: the MSR is write-only. */
static int hypercall_msr_read(struct vcpu *v __unused, uint32_t msr,
			      uint64_t *val)
{
	if (msr != MSR_XEN_HYPERCALL)
		return GP;
	*val = 0;
	return 0;
}

/*
 * val = guest-physical address of the page to fill | page index; only
 * index 0 exists (CPUID 0x40000002 EAX = 1). A page that is not RAM is a
 * #GP, as on Xen.
 */
static int hypercall_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct domain *d = v->domain;
	uint8_t slot[HYPERCALL_SLOT_SIZE];
	uint64_t gpa = val & ~0xfffULL;
	unsigned int i;

	if (msr != MSR_XEN_HYPERCALL || (val & 0xfff) ||
	    p2m_lookup_ram(d, gpa >> 12, true) == INVALID_MFN)
		return GP;
	for (i = 0; i < 4096 / HYPERCALL_SLOT_SIZE; i++) {
		hypercall_page_slot(slot, i, hvm_ops->hypercall_insn);
		if (copy_to_guest_phys(d, gpa + i * HYPERCALL_SLOT_SIZE, slot,
				       sizeof(slot)))
			return GP;
	}
	d->arch.hypercall_msr_gpa = gpa;
	return 0;
}

/* ---- The table ------------------------------------------------------- */

static const struct msr_handler msr_table[] = {
	{ MSR_IA32_TSC, MSR_IA32_TSC, tsc_read, tsc_write },
	{ MSR_APIC_BASE, MSR_APIC_BASE, apic_base_read, apic_base_write },
	{ MSR_IA32_FEATURE_CONTROL, MSR_IA32_FEATURE_CONTROL,
	  feature_control_read, write_gp },
	{ MSR_MTRR_CAP, MSR_MTRR_CAP, mtrr_read, mtrr_write },
	{ MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE, misc_enable_read,
	  misc_enable_write },
	{ MSR_MTRR_PHYSBASE0, MSR_MTRR_PHYSBASE0 + 2 * MTRR_VCNT - 1,
	  mtrr_read, mtrr_write },
	{ MSR_MTRR_FIX64K_00000, MSR_MTRR_FIX64K_00000, mtrr_read,
	  mtrr_write },
	{ MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000, mtrr_read,
	  mtrr_write },
	{ MSR_MTRR_FIX4K_C0000, MSR_MTRR_FIX4K_F8000, mtrr_read, mtrr_write },
	{ MSR_MTRR_DEF_TYPE, MSR_MTRR_DEF_TYPE, mtrr_read, mtrr_write },
	{ MSR_X2APIC_FIRST, MSR_X2APIC_LAST, x2apic_read, x2apic_write },
	{ MSR_XEN_HYPERCALL, MSR_XEN_HYPERCALL + 0x2ff, hypercall_msr_read,
	  hypercall_msr_write },
	{ MSR_TSC_AUX, MSR_TSC_AUX, tsc_aux_read, tsc_aux_write },
	{ MSR_AMD_SYSCFG, MSR_AMD_SYSCFG, amd_zero_read, amd_ignore_write },
	{ MSR_AMD_HWCR, MSR_AMD_HWCR, amd_zero_read, write_gp },
	{ MSR_AMD_TOP_MEM, MSR_AMD_TOP_MEM, amd_zero_read, amd_ignore_write },
	{ MSR_AMD_TOP_MEM2, MSR_AMD_TOP_MEM2, amd_zero_read,
	  amd_ignore_write },
	{ MSR_AMD_NB_CFG, MSR_AMD_NB_CFG, amd_zero_read, amd_ignore_write },
	{ MSR_AMD_VM_CR, MSR_AMD_VM_CR, amd_zero_read, amd_ignore_write },
	{ MSR_AMD_DE_CFG, MSR_AMD_DE_CFG, de_cfg_read, amd_ignore_write },
};

static const struct msr_handler *msr_lookup(uint32_t msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_table); i++)
		if (msr >= msr_table[i].first && msr <= msr_table[i].last)
			return &msr_table[i];
	return NULL;
}

int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	const struct msr_handler *h = msr_lookup(msr);

	return h ? h->read(v, msr, val) : GP;
}

int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	const struct msr_handler *h = msr_lookup(msr);

	return h ? h->write(v, msr, val) : GP;
}

/* ---- Checks for the MSRs in the vendor's control block --------------- */

int hvm_efer_check(const struct cpuid_policy *p, uint64_t old, uint64_t val,
		   bool paging)
{
	val &= ~EFER_LMA;
	if (val & ~EFER_KNOWN)
		return GP;
	if (((val & EFER_SCE) && !cpuid_has(p, X86_FEAT_SYSCALL)) ||
	    ((val & EFER_LME) && !cpuid_has(p, X86_FEAT_LM)) ||
	    ((val & EFER_NXE) && !cpuid_has(p, X86_FEAT_NX)) ||
	    ((val & EFER_FFXSR) && !cpuid_has(p, X86_FEAT_FFXSR)) ||
	    (val & EFER_SVME))
		return GP;
	if (((val ^ old) & EFER_LME) && paging)
		return GP;
	return 0;
}

bool hvm_pat_valid(uint64_t pat)
{
	unsigned int b;

	for (b = 0; b < 64; b += 8) {
		uint64_t t = (pat >> b) & 0xff;

		if (t != 7 && !mtrr_type_valid(t))	/* 7: UC- */
			return false;
	}
	return true;
}
