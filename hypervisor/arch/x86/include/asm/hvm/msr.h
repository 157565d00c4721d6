/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest MSRs (hvm/msr.c): the vendor-neutral ones, kept per vCPU in
 * struct vcpu_msrs, and the checks the back ends use for the MSRs they
 * hold in their control block (EFER, PAT). Every MSR not listed in
 * docs/cpuid-msr.md raises #GP, as on Xen by default.
 */
#ifndef ASM_X86_HVM_MSR_H
#define ASM_X86_HVM_MSR_H

#include <lamina/types.h>

struct vcpu;
struct cpuid_policy;

#define MSR_IA32_TSC		0x00000010
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_MTRR_CAP		0x000000fe
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_IA32_MCG_CAP	0x00000179
#define MSR_IA32_MISC_ENABLE	0x000001a0
#define MSR_MTRR_PHYSBASE0	0x00000200
#define MSR_X2APIC_FIRST	0x00000800
#define MSR_X2APIC_LAST		0x000008ff
#define MSR_MTRR_FIX64K_00000	0x00000250
#define MSR_MTRR_FIX16K_80000	0x00000258
#define MSR_MTRR_FIX16K_A0000	0x00000259
#define MSR_MTRR_FIX4K_C0000	0x00000268
#define MSR_MTRR_FIX4K_F8000	0x0000026f
#define MSR_MTRR_DEF_TYPE	0x000002ff
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_TSC_AUX		0xc0000103
#define MSR_AMD_SYSCFG		0xc0010010
#define MSR_AMD_HWCR		0xc0010015
#define MSR_AMD_TOP_MEM		0xc001001a
#define MSR_AMD_TOP_MEM2	0xc001001d
#define MSR_AMD_NB_CFG		0xc001001f
#define MSR_AMD_VM_CR		0xc0010114
#define MSR_AMD_DE_CFG		0xc0011029
#define MSR_XEN_HYPERCALL	0x40000000	/* CPUID 0x40000002 EBX */

#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	(1ULL << 11)

#define EFER_LMA		(1ULL << 10)
#define EFER_FFXSR		(1ULL << 14)

#define MTRR_VCNT		8		/* variable ranges */
#define MTRR_NR_FIXED		11
#define MTRR_DEF_TYPE_FE	(1ULL << 10)
#define MTRR_DEF_TYPE_E		(1ULL << 11)
#define MTRR_TYPE_WB		6

/* The guest's view of the vendor-neutral MSRs, per vCPU. */
struct vcpu_msrs {
	int64_t tsc_offset;		/* guest TSC = host TSC + offset */
	uint64_t tsc_aux;		/* RDTSCP's ECX */
	uint64_t apic_base;
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[MTRR_NR_FIXED];
	uint64_t mtrr_var[2 * MTRR_VCNT];	/* PHYSBASEn, PHYSMASKn */
};

/* Reset values: APIC enabled at 0xFEE00000 (BSP bit on vCPU 0), MTRRs
 * enabled with default type WB (as Xen gives PVH guests), TSC offset 0. */
void hvm_msrs_init(struct vcpu *v);

/*
 * RDMSR/WRMSR of an MSR the back end does not hold: 0, or -EPERM for a
 * #GP (unknown MSR, reserved bits, a value Lamina does not support).
 */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);

/*
 * May the guest change EFER from old to val (CR0.PG is paging)? 0, or
 * -EPERM: unknown bits, a feature its CPUID does not have (SVME is never
 * allowed: no nested virtualization), LME changed while paging is on.
 * LMA in val is ignored (read-only).
 */
int hvm_efer_check(const struct cpuid_policy *p, uint64_t old, uint64_t val,
		   bool paging);

/* A PAT value whose eight entries are all valid memory types. */
bool hvm_pat_valid(uint64_t pat);

/* The guest TSC of v now. */
uint64_t hvm_guest_tsc(struct vcpu *v);

/* Make this CPU's TSC_AUX v's, for its native RDTSCP and RDPID; called
 * with interrupts off just before entering v. */
void hvm_load_tsc_aux(struct vcpu *v);

/*
 * The hypercall page (Xen's layout): 32 bytes per hypercall number i,
 * "mov $i, %eax; <insn>; ret", the rest int3; __HYPERVISOR_iret's slot
 * is ud2 (Xen does not support it from HVM guests either). insn is the
 * back end's 3-byte hypercall instruction. Fills one 32-byte slot.
 */
#define HYPERCALL_SLOT_SIZE	32
void hypercall_page_slot(uint8_t slot[HYPERCALL_SLOT_SIZE], unsigned int nr,
			 const uint8_t insn[3]);

#endif /* ASM_X86_HVM_MSR_H */
