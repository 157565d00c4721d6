/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_DOMAIN_H
#define ASM_X86_DOMAIN_H

#include <lamina/types.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <xen/hvm/params.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>

/*
 * x86 per-domain and per-vCPU state that is not the vendor back end's:
 * what the guest sees through CPUID and MSRs, its FPU, its local APIC
 * and power state. Written when the vCPU (vCPU 0 for the domain's
 * fields) is created, then only by the CPU running the vCPU, from its
 * exit handlers: no lock. The exceptions, which other vCPUs change too,
 * say how: the vLAPIC's IRR (asm/hvm/vlapic.h), nmi_pending (atomic)
 * and the power state (its own lock, asm/hvm/vcpu_power.h).
 */
struct arch_domain {
	struct cpuid_policy cpuid;	/* fixed once vCPU 0 exists */
	uint64_t hypercall_msr_gpa;	/* last page written via the MSR */
	/* HVMOP_set_param values (hvm/hvm_op.c); callback_vector is
	 * HVM_PARAM_CALLBACK_IRQ's vector when its type is "vector". */
	uint64_t hvm_params[HVM_NR_PARAMS];
	uint8_t callback_vector;
	/* The memory map the domain was built with (XENMEM_memory_map). */
	struct hvm_memmap_table_entry *memmap;	/* xmalloc'd */
	unsigned int nr_memmap;
	/* Emulated MMIO regions, fixed before the domain runs. */
	const struct hvm_mmio_ops *mmio[HVM_MMIO_MAX_HANDLERS];
	unsigned int nr_mmio;
};

struct xsave_area;

struct arch_vcpu {
	struct xsave_area *fpu;		/* guest FPU/SSE/AVX state */
	uint64_t xcr0;			/* the guest's XCR0 */
	struct vcpu_msrs msrs;
	bool nmi_pending;		/* an NMI to inject, atomic */
	/* HVMOP_set_evtchn_upcall_vector's vector, 0: none (atomic). */
	uint8_t upcall_vector;
	unsigned long dr[5];		/* DR0-3, DR6 while not loaded */
	struct vlapic vlapic;
	struct hvm_vcpu_power power;	/* INIT/SIPI state, own lock */
};

#endif /* ASM_X86_DOMAIN_H */
