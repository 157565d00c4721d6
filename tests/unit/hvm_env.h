/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated vCPU for the unit suites of the vendor-neutral HVM code
 * (cpuid, msr, hvm_emulate, xen_version): a domain with guest RAM in
 * the real p2m over simulated machine memory, and a back end (hvm_ops)
 * whose guest state is env.* below. What the code under test does to
 * the guest (exceptions, crashes, port 0xE9 output) is recorded.
 */
#ifndef TESTS_UNIT_HVM_ENV_H
#define TESTS_UNIT_HVM_ENV_H

#include <lamina/domain.h>
#include <lamina/mm.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vcpu_power.h>

/* Guest RAM: gfns [0, HVM_ENV_RAM_PAGES) on machine frames. */
#define HVM_ENV_RAM_PAGES	1024
#define HVM_ENV_MAX_VCPUS	4

struct hvm_env {
	struct domain dom;
	struct vcpu vcpu;
	/* vCPUs 1... once hvm_env_vcpus() made them; dom.vcpu[] */
	struct vcpu more[HVM_ENV_MAX_VCPUS - 1];
	struct vcpu *vcpus[HVM_ENV_MAX_VCPUS];
	struct vcpu_info vinfo[HVM_ENV_MAX_VCPUS];	/* their vcpu_info */
	/* The back end's guest state. */
	uint64_t cr0, cr3, cr4, efer;
	unsigned int cpl;
	uint64_t seg_base[INSN_SEG_NR];
	enum insn_mode mode;
	int64_t tsc_offset;		/* last vcpu_set_tsc_offset() */
	/* Exceptions injected, in order. */
	unsigned int nr_exc;
	struct { unsigned int vec; bool has_ec; uint32_t ec; uint64_t cr2; }
		exc[8];
	/* vcpu_skip_insn() calls and the last length (RIP is advanced). */
	unsigned int skips;
	unsigned int skip_len;
	/* domain_crash() and vcpu_crash() calls and the last reason. */
	unsigned int crashes;
	const char *crash_why;
	/* domain_shutdown() calls and the last reason. */
	unsigned int shutdowns, shutdown_reason;
	/* vcpu_load_state() calls: the vCPU and the state it got. */
	unsigned int loads;
	struct vcpu *load_vcpu;
	struct hvm_vcpu_state load_state;
	/* Port 0xE9 output (guest_line_put on line_e9). */
	char e9[4096];
	size_t e9_len;
};
extern struct hvm_env env;

/* Fresh domain and vCPU 0 (domid 1, not the hardware domain), 32-bit
 * protected mode with paging off, CPL 0, and RAM zeroed. */
void hvm_env_setup(void);
void hvm_env_teardown(void);

/*
 * The domain gets n vCPUs (vCPU 0 is env.vcpu), each with the state of a
 * new vCPU (MSRs, vLAPIC, power: all down, none initialised), a
 * vcpu_info (env.vinfo[]) and a place on the real scheduler, on CPU 0.
 */
void hvm_env_vcpus(unsigned int n);

/* Host pointer to guest-physical gpa (in RAM). */
void *hvm_env_gpa(uint64_t gpa);

/* Guest-physical addresses from here on are not RAM (p2m holes). */
#define HVM_ENV_NOT_RAM	((uint64_t)HVM_ENV_RAM_PAGES * PAGE_SIZE)

/* 4-level page tables built in guest RAM from gpa 0x100000 on; CR3,
 * CR4.PAE, EFER.LME/LMA and CR0.PG set, mode 64-bit. */
void hvm_env_long_mode(void);
/* Map the 4 KiB page at gva to gpa with PTE flags (P|RW|US...). */
void hvm_env_map(uint64_t gva, uint64_t gpa, uint64_t flags);

#define PTE_P	0x1ULL
#define PTE_RW	0x2ULL
#define PTE_US	0x4ULL

#endif /* TESTS_UNIT_HVM_ENV_H */
