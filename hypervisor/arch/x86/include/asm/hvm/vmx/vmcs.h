/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_VMX_VMCS_H
#define ASM_X86_HVM_VMX_VMCS_H

/*
 * The VMX architecture as the back end uses it, from the Intel SDM
 * volume 3C: capability MSRs (appendix A), VMCS field encodings
 * (appendix B), control bits (chapter 25), exit reasons (appendix C)
 * and the VMX instructions. Plain constants first: entry.S includes
 * this file.
 */

/* Capability MSRs (IA32_FEATURE_CONTROL is in asm/hvm/msr.h) */
#define FEATURE_CONTROL_LOCKED		(1U << 0)
#define FEATURE_CONTROL_VMXON		(1U << 2)	/* outside SMX */
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_PINBASED_CTLS	0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x482
#define MSR_IA32_VMX_EXIT_CTLS		0x483
#define MSR_IA32_VMX_ENTRY_CTLS		0x484
#define MSR_IA32_VMX_MISC		0x485
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x490

/* IA32_VMX_BASIC */
#define VMX_BASIC_REVISION_MASK		0x7fffffffULL
#define VMX_BASIC_SIZE_SHIFT		32		/* bits 44:32 */
#define VMX_BASIC_32BIT_ADDRESSES	(1ULL << 48)
#define VMX_BASIC_MEMTYPE_SHIFT		50		/* bits 53:50 */
#define VMX_BASIC_TRUE_CTLS		(1ULL << 55)

/* IA32_VMX_MISC: exits store EFER.LMA in the "IA-32e mode guest" control */
#define VMX_MISC_STORE_LMA		(1ULL << 5)

/* IA32_VMX_EPT_VPID_CAP */
#define VMX_EPT_WALK_4			(1ULL << 6)
#define VMX_EPT_MEMTYPE_WB		(1ULL << 14)
#define VMX_EPT_INVEPT			(1ULL << 20)
#define VMX_EPT_INVEPT_SINGLE		(1ULL << 25)
#define VMX_EPT_INVEPT_ALL		(1ULL << 26)
#define VMX_VPID_INVVPID		(1ULL << 32)
#define VMX_VPID_INVVPID_SINGLE		(1ULL << 41)
#define VMX_VPID_INVVPID_ALL		(1ULL << 42)

/* EPTP: memory type of the paging structures, walk length - 1 */
#define EPTP_MEMTYPE_WB			6ULL
#define EPTP_WALK_4			(3ULL << 3)

/* Pin-based controls */
#define PIN_EXT_INTR_EXITING		(1U << 0)
#define PIN_NMI_EXITING			(1U << 3)
#define PIN_VIRTUAL_NMIS		(1U << 5)

/* Primary processor-based controls */
#define CPU_INTR_WINDOW_EXITING		(1U << 2)
#define CPU_USE_TSC_OFFSETTING		(1U << 3)
#define CPU_HLT_EXITING			(1U << 7)
#define CPU_INVLPG_EXITING		(1U << 9)
#define CPU_MWAIT_EXITING		(1U << 10)
#define CPU_RDPMC_EXITING		(1U << 11)
#define CPU_RDTSC_EXITING		(1U << 12)
#define CPU_CR3_LOAD_EXITING		(1U << 15)
#define CPU_CR3_STORE_EXITING		(1U << 16)
#define CPU_CR8_LOAD_EXITING		(1U << 19)
#define CPU_CR8_STORE_EXITING		(1U << 20)
#define CPU_NMI_WINDOW_EXITING		(1U << 22)
#define CPU_MOV_DR_EXITING		(1U << 23)
#define CPU_UNCOND_IO_EXITING		(1U << 24)
#define CPU_USE_IO_BITMAPS		(1U << 25)
#define CPU_USE_MSR_BITMAPS		(1U << 28)
#define CPU_MONITOR_EXITING		(1U << 29)
#define CPU_SECONDARY_CONTROLS		(1U << 31)

/* Secondary processor-based controls */
#define CPU2_ENABLE_EPT			(1U << 1)
#define CPU2_ENABLE_RDTSCP		(1U << 3)
#define CPU2_ENABLE_VPID		(1U << 5)
#define CPU2_WBINVD_EXITING		(1U << 6)
#define CPU2_UNRESTRICTED_GUEST		(1U << 7)
#define CPU2_ENABLE_INVPCID		(1U << 12)

/* VM-exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS	(1U << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE	(1U << 9)
#define EXIT_ACK_INTR_ON_EXIT		(1U << 15)
#define EXIT_SAVE_PAT			(1U << 18)
#define EXIT_LOAD_PAT			(1U << 19)
#define EXIT_SAVE_EFER			(1U << 20)
#define EXIT_LOAD_EFER			(1U << 21)

/* VM-entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS	(1U << 2)
#define ENTRY_IA32E_MODE		(1U << 9)
#define ENTRY_LOAD_PAT			(1U << 14)
#define ENTRY_LOAD_EFER			(1U << 15)

/* 16-bit fields */
#define VIRTUAL_PROCESSOR_ID		0x0000
#define GUEST_ES_SELECTOR		0x0800	/* ES..GS, LDTR, TR: +2 each */
#define GUEST_CS_SELECTOR		0x0802
#define GUEST_SS_SELECTOR		0x0804
#define GUEST_DS_SELECTOR		0x0806
#define GUEST_FS_SELECTOR		0x0808
#define GUEST_GS_SELECTOR		0x080a
#define GUEST_LDTR_SELECTOR		0x080c
#define GUEST_TR_SELECTOR		0x080e
#define HOST_ES_SELECTOR		0x0c00
#define HOST_CS_SELECTOR		0x0c02
#define HOST_SS_SELECTOR		0x0c04
#define HOST_DS_SELECTOR		0x0c06
#define HOST_FS_SELECTOR		0x0c08
#define HOST_GS_SELECTOR		0x0c0a
#define HOST_TR_SELECTOR		0x0c0c

/* 64-bit fields */
#define IO_BITMAP_A			0x2000
#define IO_BITMAP_B			0x2002
#define MSR_BITMAP			0x2004
#define VM_EXIT_MSR_STORE_ADDR		0x2006
#define VM_EXIT_MSR_LOAD_ADDR		0x2008
#define VM_ENTRY_MSR_LOAD_ADDR		0x200a
#define TSC_OFFSET			0x2010
#define EPT_POINTER			0x201a
#define GUEST_PHYSICAL_ADDRESS		0x2400
#define VMCS_LINK_POINTER		0x2800
#define GUEST_IA32_DEBUGCTL		0x2802
#define GUEST_IA32_PAT			0x2804
#define GUEST_IA32_EFER			0x2806
#define GUEST_PDPTE0			0x280a	/* PDPTE1-3: +2 each */
#define HOST_IA32_PAT			0x2c00
#define HOST_IA32_EFER			0x2c02

/* 32-bit fields */
#define PIN_BASED_VM_EXEC_CONTROL	0x4000
#define CPU_BASED_VM_EXEC_CONTROL	0x4002
#define EXCEPTION_BITMAP		0x4004
#define PAGE_FAULT_ERROR_CODE_MASK	0x4006
#define PAGE_FAULT_ERROR_CODE_MATCH	0x4008
#define CR3_TARGET_COUNT		0x400a
#define VM_EXIT_CONTROLS		0x400c
#define VM_EXIT_MSR_STORE_COUNT		0x400e
#define VM_EXIT_MSR_LOAD_COUNT		0x4010
#define VM_ENTRY_CONTROLS		0x4012
#define VM_ENTRY_MSR_LOAD_COUNT		0x4014
#define VM_ENTRY_INTR_INFO		0x4016
#define VM_ENTRY_EXCEPTION_ERROR_CODE	0x4018
#define VM_ENTRY_INSTRUCTION_LEN	0x401a
#define SECONDARY_VM_EXEC_CONTROL	0x401e
#define VM_INSTRUCTION_ERROR		0x4400
#define VM_EXIT_REASON			0x4402
#define VM_EXIT_INTR_INFO		0x4404
#define VM_EXIT_INTR_ERROR_CODE		0x4406
#define IDT_VECTORING_INFO		0x4408
#define IDT_VECTORING_ERROR_CODE	0x440a
#define VM_EXIT_INSTRUCTION_LEN		0x440c
#define VMX_INSTRUCTION_INFO		0x440e
#define GUEST_ES_LIMIT			0x4800	/* ES..GS, LDTR, TR: +2 each */
#define GUEST_CS_LIMIT			0x4802
#define GUEST_TR_LIMIT			0x480e
#define GUEST_GDTR_LIMIT		0x4810
#define GUEST_IDTR_LIMIT		0x4812
#define GUEST_ES_AR_BYTES		0x4814	/* ES..GS, LDTR, TR: +2 each */
#define GUEST_CS_AR_BYTES		0x4816
#define GUEST_SS_AR_BYTES		0x4818
#define GUEST_TR_AR_BYTES		0x4822
#define GUEST_INTERRUPTIBILITY_INFO	0x4824
#define GUEST_ACTIVITY_STATE		0x4826
#define GUEST_SYSENTER_CS		0x482a
#define HOST_IA32_SYSENTER_CS		0x4c00

/* Natural-width fields */
#define CR0_GUEST_HOST_MASK		0x6000
#define CR4_GUEST_HOST_MASK		0x6002
#define CR0_READ_SHADOW			0x6004
#define CR4_READ_SHADOW			0x6006
#define EXIT_QUALIFICATION		0x6400
#define GUEST_LINEAR_ADDRESS		0x640a
#define GUEST_CR0			0x6800
#define GUEST_CR3			0x6802
#define GUEST_CR4			0x6804
#define GUEST_ES_BASE			0x6806	/* ES..GS, LDTR, TR: +2 each */
#define GUEST_CS_BASE			0x6808
#define GUEST_TR_BASE			0x6814
#define GUEST_GDTR_BASE			0x6816
#define GUEST_IDTR_BASE			0x6818
#define GUEST_DR7			0x681a
#define GUEST_RSP			0x681c
#define GUEST_RIP			0x681e
#define GUEST_RFLAGS			0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS	0x6822
#define GUEST_SYSENTER_ESP		0x6824
#define GUEST_SYSENTER_EIP		0x6826
#define HOST_CR0			0x6c00
#define HOST_CR3			0x6c02
#define HOST_CR4			0x6c04
#define HOST_FS_BASE			0x6c06
#define HOST_GS_BASE			0x6c08
#define HOST_TR_BASE			0x6c0a
#define HOST_GDTR_BASE			0x6c0c
#define HOST_IDTR_BASE			0x6c0e
#define HOST_IA32_SYSENTER_ESP		0x6c10
#define HOST_IA32_SYSENTER_EIP		0x6c12
#define HOST_RSP			0x6c14
#define HOST_RIP			0x6c16

/* Segment registers in VMCS order: field = base field + 2 * seg. */
#define VMX_SEG_ES	0
#define VMX_SEG_CS	1
#define VMX_SEG_SS	2
#define VMX_SEG_DS	3
#define VMX_SEG_FS	4
#define VMX_SEG_GS	5
#define VMX_SEG_LDTR	6
#define VMX_SEG_TR	7

/* Segment access rights (the descriptor's type..G bits, 16: unusable) */
#define VMX_AR_CODE32		0xc09b	/* G, D, P, S, execute/read, acc. */
#define VMX_AR_DATA32		0xc093	/* G, B, P, S, read/write, acc. */
#define VMX_AR_TSS32_BUSY	0x008b
#define VMX_AR_UNUSABLE		0x10000
#define VMX_AR_DPL(ar)		(((ar) >> 5) & 3)
#define VMX_AR_L		(1U << 13)
#define VMX_AR_DB		(1U << 14)

/* Interruption information (entry, exit, IDT vectoring) */
#define INTR_INFO_VECTOR_MASK	0xffU
#define INTR_INFO_TYPE_SHIFT	8
#define INTR_INFO_TYPE_MASK	(7U << 8)
#define INTR_TYPE_EXT_INTR	0
#define INTR_TYPE_NMI		2
#define INTR_TYPE_HW_EXCEPTION	3
#define INTR_TYPE_SW_INTR	4
#define INTR_TYPE_PRIV_SW_EXC	5
#define INTR_TYPE_SW_EXCEPTION	6
#define INTR_INFO_DELIVER_CODE	(1U << 11)
#define INTR_INFO_NMI_UNBLOCK	(1U << 12)	/* exit info only */
#define INTR_INFO_VALID		(1U << 31)

/* Pending debug exceptions: a single step (DR6.BS) */
#define PENDING_DBG_BS		(1U << 14)

/* Guest interruptibility state */
#define INTR_BLOCK_STI		(1U << 0)
#define INTR_BLOCK_MOV_SS	(1U << 1)
#define INTR_BLOCK_NMI		(1U << 3)

/* Exit reasons (basic reason: bits 15:0; bit 31: VM-entry failure) */
#define EXIT_REASON_FAILED_ENTRY	(1U << 31)
#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXTERNAL_INTERRUPT	1
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INIT		3
#define EXIT_REASON_SIPI		4
#define EXIT_REASON_IO_SMI		5
#define EXIT_REASON_OTHER_SMI		6
#define EXIT_REASON_INTR_WINDOW		7
#define EXIT_REASON_NMI_WINDOW		8
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_GETSEC		11
#define EXIT_REASON_HLT			12
#define EXIT_REASON_INVD		13
#define EXIT_REASON_RDPMC		15
#define EXIT_REASON_RDTSC		16
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19
#define EXIT_REASON_VMLAUNCH		20
#define EXIT_REASON_VMPTRLD		21
#define EXIT_REASON_VMPTRST		22
#define EXIT_REASON_VMREAD		23
#define EXIT_REASON_VMRESUME		24
#define EXIT_REASON_VMWRITE		25
#define EXIT_REASON_VMXOFF		26
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_IO_INSTRUCTION	30
#define EXIT_REASON_MSR_READ		31
#define EXIT_REASON_MSR_WRITE		32
#define EXIT_REASON_INVALID_STATE	33
#define EXIT_REASON_MSR_LOADING		34
#define EXIT_REASON_MWAIT		36
#define EXIT_REASON_MONITOR		39
#define EXIT_REASON_MCE_DURING_ENTRY	41
#define EXIT_REASON_EPT_VIOLATION	48
#define EXIT_REASON_EPT_MISCONFIG	49
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_RDTSCP		51
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_WBINVD		54
#define EXIT_REASON_XSETBV		55
#define EXIT_REASON_VMFUNC		59
#define VMX_NR_EXIT_REASONS		70

/* I/O instruction exit qualification */
#define IO_QUAL_SIZE_MASK	7U		/* size - 1 */
#define IO_QUAL_IN		(1U << 3)
#define IO_QUAL_STRING		(1U << 4)
#define IO_QUAL_REP		(1U << 5)
#define IO_QUAL_PORT_SHIFT	16

/* Control-register access exit qualification */
#define CR_QUAL_NUM(q)		((q) & 0xf)
#define CR_QUAL_TYPE(q)		(((q) >> 4) & 3)
#define CR_QUAL_GPR(q)		(((q) >> 8) & 0xf)
#define CR_TYPE_MOV_TO		0
#define CR_TYPE_MOV_FROM	1
#define CR_TYPE_CLTS		2
#define CR_TYPE_LMSW		3

/* EPT violation exit qualification */
#define EPT_QUAL_READ		(1U << 0)
#define EPT_QUAL_WRITE		(1U << 1)
#define EPT_QUAL_FETCH		(1U << 2)
#define EPT_QUAL_GLA_VALID	(1U << 7)

/* INVEPT / INVVPID types */
#define INVEPT_SINGLE_CONTEXT	1
#define INVEPT_ALL_CONTEXT	2
#define INVVPID_SINGLE_CONTEXT	1
#define INVVPID_ALL_CONTEXT	2

#ifndef __ASSEMBLY__

#include <lamina/types.h>

/* A VMREAD or VMWRITE failed: a hypervisor bug (bad field, no VMCS). */
void __noreturn __cold vmx_field_fail(const char *insn, unsigned long field);

/*
 * The VMX instructions. Each reports failure in RFLAGS: CF (VMfailInvalid:
 * no current VMCS, or a bad operand) or ZF (VMfailValid: the reason is in
 * VM_INSTRUCTION_ERROR). These return true on success; callers that
 * cannot fail by construction BUG_ON the result.
 */
static inline bool vmx_on(paddr_t region)
{
	bool ok;

	__asm__ __volatile__("vmxon %1; seta %0"
			     : "=qm"(ok) : "m"(region) : "cc", "memory");
	return ok;
}

static inline bool vmcs_clear(paddr_t vmcs)
{
	bool ok;

	__asm__ __volatile__("vmclear %1; seta %0"
			     : "=qm"(ok) : "m"(vmcs) : "cc", "memory");
	return ok;
}

static inline bool vmcs_ptrld(paddr_t vmcs)
{
	bool ok;

	__asm__ __volatile__("vmptrld %1; seta %0"
			     : "=qm"(ok) : "m"(vmcs) : "cc", "memory");
	return ok;
}

/* Fields of the current VMCS; a bad encoding is a hypervisor bug. */
static inline uint64_t vmread(unsigned long field)
{
	uint64_t val;
	bool ok;

	__asm__ __volatile__("vmread %2, %1; seta %0"
			     : "=qm"(ok), "=rm"(val) : "r"(field) : "cc");
	if (unlikely(!ok))
		vmx_field_fail("VMREAD", field);
	return val;
}

static inline void vmwrite(unsigned long field, uint64_t val)
{
	bool ok;

	__asm__ __volatile__("vmwrite %2, %1; seta %0"
			     : "=qm"(ok) : "r"(field), "rm"(val)
			     : "cc", "memory");
	if (unlikely(!ok))
		vmx_field_fail("VMWRITE", field);
}

struct invept_desc {
	uint64_t eptp, rsvd;
};

struct invvpid_desc {
	uint64_t vpid, gva;
};

static inline bool invept(unsigned long type, uint64_t eptp)
{
	struct invept_desc desc = { eptp, 0 };
	bool ok;

	__asm__ __volatile__("invept %1, %2; seta %0"
			     : "=qm"(ok) : "m"(desc), "r"(type)
			     : "cc", "memory");
	return ok;
}

static inline bool invvpid(unsigned long type, uint16_t vpid)
{
	struct invvpid_desc desc = { vpid, 0 };
	bool ok;

	__asm__ __volatile__("invvpid %1, %2; seta %0"
			     : "=qm"(ok) : "m"(desc), "r"(type)
			     : "cc", "memory");
	return ok;
}

#endif /* __ASSEMBLY__ */
#endif /* ASM_X86_HVM_VMX_VMCS_H */
