/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_SVM_VMCB_H
#define ASM_X86_HVM_SVM_VMCB_H

#include <lamina/types.h>

/*
 * The virtual machine control block, from the AMD APM volume 2, appendix
 * B (layout) and chapter 15 (meaning). One 4 KiB page: the control area
 * below 0x400, the guest state save area from 0x400. The field offsets
 * are checked with BUILD_BUG_ON in svm/vcpu.c (natural alignment, no
 * packing needed).
 */

#define MSR_VM_CR		0xc0010114
#define  VM_CR_SVMDIS		(1UL << 4)
#define MSR_VM_HSAVE_PA		0xc0010117

/* CPUID 0x8000000A EDX */
#define SVM_FEAT_NPT		(1U << 0)
#define SVM_FEAT_NRIPS		(1U << 3)

/* intercepts1 (offset 0x0c) */
#define SVM_INTERCEPT_INTR	(1U << 0)
#define SVM_INTERCEPT_NMI	(1U << 1)
#define SVM_INTERCEPT_SMI	(1U << 2)
#define SVM_INTERCEPT_VINTR	(1U << 4)
#define SVM_INTERCEPT_RDTSC	(1U << 14)
#define SVM_INTERCEPT_RDPMC	(1U << 15)
#define SVM_INTERCEPT_CPUID	(1U << 18)
#define SVM_INTERCEPT_IRET	(1U << 20)
#define SVM_INTERCEPT_INVD	(1U << 22)
#define SVM_INTERCEPT_HLT	(1U << 24)
#define SVM_INTERCEPT_INVLPGA	(1U << 26)
#define SVM_INTERCEPT_IOIO	(1U << 27)
#define SVM_INTERCEPT_MSR	(1U << 28)
#define SVM_INTERCEPT_SHUTDOWN	(1U << 31)
/* intercepts2 (offset 0x10) */
#define SVM_INTERCEPT_VMRUN	(1U << 0)
#define SVM_INTERCEPT_VMMCALL	(1U << 1)
#define SVM_INTERCEPT_VMLOAD	(1U << 2)
#define SVM_INTERCEPT_VMSAVE	(1U << 3)
#define SVM_INTERCEPT_STGI	(1U << 4)
#define SVM_INTERCEPT_CLGI	(1U << 5)
#define SVM_INTERCEPT_SKINIT	(1U << 6)
#define SVM_INTERCEPT_RDTSCP	(1U << 7)
#define SVM_INTERCEPT_WBINVD	(1U << 9)
#define SVM_INTERCEPT_MONITOR	(1U << 10)
#define SVM_INTERCEPT_MWAIT	(1U << 11)
#define SVM_INTERCEPT_MWAIT_COND (1U << 12)
#define SVM_INTERCEPT_RDPRU	(1U << 14)

/* vintr (offset 0x60) */
#define SVM_VINTR_IRQ		(1ULL << 8)	/* V_IRQ: a window request */
#define SVM_VINTR_PRIO_MASK	(0xfULL << 16)
#define SVM_VINTR_IGN_TPR	(1ULL << 20)
#define SVM_VINTR_MASKING	(1ULL << 24)
#define SVM_NP_ENABLE		(1ULL << 0)
#define SVM_TLB_FLUSH_ALL	1

/* EVENTINJ / EXITINTINFO */
#define SVM_EVTINJ_VALID	(1U << 31)
#define SVM_EVTINJ_EV		(1U << 11)
#define SVM_EVTINJ_TYPE_INTR	(0U << 8)
#define SVM_EVTINJ_TYPE_NMI	(2U << 8)
#define SVM_EVTINJ_TYPE_EXC	(3U << 8)
#define SVM_EVTINJ_TYPE_MASK	(7U << 8)
#define SVM_EVTINJ_EC_SHIFT	32

/* Exit codes (APM vol. 2, table C-1). */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_RDTSC		0x06e
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_IRET		0x074
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_MWAIT_COND	0x08c
#define SVM_EXIT_RDPRU		0x08e
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((uint64_t)-1)

/* IOIO EXITINFO1 */
#define SVM_IOIO_IN		(1U << 0)
#define SVM_IOIO_STR		(1U << 2)
#define SVM_IOIO_REP		(1U << 3)
#define SVM_IOIO_SIZE_SHIFT	4	/* bits 4-6: 1, 2 or 4 bytes */
#define SVM_IOIO_PORT_SHIFT	16

/* Segment attributes in the VMCB's packed form. */
#define SVM_ATTR_CODE32		0xc9b	/* G, D, P, S, execute/read, acc. */
#define SVM_ATTR_DATA32		0xc93	/* G, B, P, S, read/write, acc. */
#define SVM_ATTR_TSS32_BUSY	0x08b
#define SVM_ATTR_LDT		0x082
#define SVM_ATTR_L		(1U << 9)
#define SVM_ATTR_DB		(1U << 10)
#define SVM_ATTR_DPL_SHIFT	5

#define SVM_IOPM_ORDER		2	/* 12 KiB used */
#define SVM_MSRPM_ORDER		1	/* 8 KiB */

/* interrupt_shadow (offset 0x68) */
#define SVM_INTERRUPT_SHADOW	(1ULL << 0)

struct vmcb_seg {
	uint16_t sel;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb {
	/* Control area */
	uint32_t intercept_cr;		/* 0x000: reads 0-15, writes 16-31 */
	uint32_t intercept_dr;		/* 0x004 */
	uint32_t intercept_exc;		/* 0x008 */
	uint32_t intercepts1;		/* 0x00c */
	uint32_t intercepts2;		/* 0x010 */
	uint32_t intercepts3;		/* 0x014 */
	uint8_t rsvd0[0x3c - 0x18];
	uint16_t pause_filter_thresh;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t rsvd1[3];
	uint64_t vintr;			/* 0x060 */
	uint64_t interrupt_shadow;	/* 0x068 */
	uint64_t exitcode;		/* 0x070 */
	uint64_t exitinfo1;		/* 0x078 */
	uint64_t exitinfo2;		/* 0x080 */
	uint64_t exitintinfo;		/* 0x088 */
	uint64_t np_enable;		/* 0x090 */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_pa;		/* 0x0a0 */
	uint64_t eventinj;		/* 0x0a8 */
	uint64_t n_cr3;			/* 0x0b0 */
	uint64_t virt_ext;		/* 0x0b8 */
	uint32_t clean_bits;		/* 0x0c0 */
	uint32_t rsvd2;
	uint64_t nrip;			/* 0x0c8 */
	uint8_t insn_len;		/* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t rsvd3[0x400 - 0xe0];

	/* State save area */
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	uint8_t rsvd4[0x4cb - 0x4a0];
	uint8_t cpl;			/* 0x4cb */
	uint32_t rsvd5;
	uint64_t efer;			/* 0x4d0 */
	uint8_t rsvd6[0x548 - 0x4d8];
	uint64_t cr4;			/* 0x548 */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip;			/* 0x578 */
	uint8_t rsvd7[0x5d8 - 0x580];
	uint64_t rsp;			/* 0x5d8 */
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax;			/* 0x5f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2;			/* 0x640 */
	uint8_t rsvd8[0x668 - 0x648];
	uint64_t g_pat;			/* 0x668 */
	uint64_t dbgctl;
	uint64_t br_from, br_to, last_excp_from, last_excp_to;
	uint8_t rsvd9[0x1000 - 0x698];
};

#endif /* ASM_X86_HVM_SVM_VMCB_H */
