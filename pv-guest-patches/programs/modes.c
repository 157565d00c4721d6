// SPDX-License-Identifier: GPL-2.0
/*
 * modes: the hypervisor finds the length of an intercepted instruction
 * (prefixes included) by fetching it through the guest's page tables,
 * in every CPU mode and paging mode: modes.S runs CPUID, RDMSR, the
 * hypercall instruction, RDTSC, RDTSCP, IN, WBINVD, INVD and REP OUTSB
 * in 32-bit protected mode without paging, 16-bit protected mode, real
 * mode, and under 32-bit and PAE paging from alias mappings; long mode
 * is every other program. A wrong length would resume the guest in the
 * middle of an instruction: the results below would be garbage, or the
 * guest would triple-fault. The REP OUTSB lines ("(d0) modes: ...") are
 * for the boot test to find.
 */
#include "guest.h"

#define NR_SLOTS	7
#define TSC_AUX_VALUE	0x5a5a
#define XEN_SIG_EBX	0x566e6558

/* One slot of modes.S (R_* offsets there). */
struct mode_result {
	uint32_t done;
	uint32_t cpuid_ebx;
	uint32_t efer;
	uint32_t xen_version;
	uint32_t tsc;
	uint32_t tsc_aux;
	uint32_t in;
	uint32_t si, cx;		/* after REP OUTSB */
	uint32_t si32, cx32;		/* after 67 REP OUTSB (16-bit) */
};
_Static_assert(sizeof(struct mode_result) == 44, "modes.S R_SIZE");

extern struct mode_result mode_results[NR_SLOTS];
extern uint8_t modes_vmcall, modes_rdtscp, modes_invd, modes_pae;
long modes_run(void);

static const char *const slot_names[NR_SLOTS] = {
	"32-bit, no paging", "16-bit protected", "real", "32-bit paging 4M",
	"32-bit paging 4K", "PAE 2M", "PAE 4K",
};

static void check_slot(unsigned int i)
{
	const struct mode_result *r = &mode_results[i];
	bool sixteen = i == 1 || i == 2;

	printf("# %s\n", slot_names[i]);
	CHECK_EQ(r->done, 1);
	CHECK_EQ(r->cpuid_ebx, XEN_SIG_EBX);
	CHECK_EQ(r->efer & (EFER_LME | EFER_LMA), 0);
	CHECK_EQ(r->xen_version, 4 << 16 | 17);
	if (modes_rdtscp)
		CHECK_EQ(r->tsc_aux, TSC_AUX_VALUE);
	CHECK_EQ(r->in, 0xff);
	if (sixteen) {
		/* 16-bit addressing: only SI and CX, upper halves kept. */
		CHECK_EQ(r->cx, 0xffff0000);
		CHECK_EQ(r->si >> 16, 0xffff);
		CHECK_EQ(r->cx32, 0);
		CHECK(r->si32 > 0 && r->si32 < 0x10000);
	} else {
		CHECK_EQ(r->cx, 0);
	}
}

/*
 * For make xen-compare, which runs both sides with them: invd=no leaves
 * INVD out (QEMU 7.2 reports its exit as WBINVD's, and Xen 4.17, which
 * without NRIP save checks the instruction against the exit, then fails
 * the guest); pae=no leaves out slots 5 and 6 (Xen 4.17 under QEMU loops
 * on their first CPUID). docs/xen-differences.md.
 */
static bool wanted(const char *key)
{
	char v[4];

	return !(cmdline_arg(key, v, sizeof(v)) && !strcmp(v, "no"));
}

void guest_main(void)
{
	unsigned int i;
	uint64_t t0 = rdtsc();

	modes_invd = wanted("invd");
	modes_pae = wanted("pae");

	modes_vmcall = strcmp(hypercall_insn_name(), "vmmcall") != 0;
	/* Xen's reference machine has none (-cpu max,-rdtscp). */
	modes_rdtscp = !!(cpuid(0x80000001).edx & CPUID81_EDX_RDTSCP);
	if (modes_rdtscp)
		CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, TSC_AUX_VALUE), NO_FAULT);
	else
		skip("rdtscp", "CPUID says there is no RDTSCP");
	CHECK_EQ(modes_run(), 0);
	printf("modes: back in long mode after %lu TSC cycles\n",
	       (unsigned long)(rdtsc() - t0));
	for (i = 0; i < NR_SLOTS; i++) {
		if (!modes_pae && i >= 5)
			skip(slot_names[i], "pae=no");
		else
			check_slot(i);
	}
}
