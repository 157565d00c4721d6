// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM back end's guest-state operations (hvm/svm/guest.c) on a VMCB
 * in host memory: exception injection through EVENTINJ (error codes,
 * CR2, combining with an event already being delivered, the triple
 * fault), segment bases, the decoding mode and the paging state; and
 * the intercepted instruction's length (hvm/svm/insn.c): from the
 * VMCB's next RIP with NRIP save, decoded from guest memory without it
 * or when the next RIP is no length, and completing it.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/svm/svm.h>
#include <asm/processor.h>

/* svm.c's, which the suite does not build: set per test. */
bool svm_has_nrips;

static struct svm_vcpu svm;
static struct vmcb *vmcb;
static struct vcpu *v = &env.vcpu;

/* vcpu.c's, which the suite does not build: CPL is SS.DPL. */
unsigned int svm_vcpu_cpl(struct vcpu *vc)
{
	return (svm_vmcb(vc)->ss.attrib >> SVM_ATTR_DPL_SHIFT) & 3;
}

static void setup(void)
{
	hvm_env_setup();
	vmcb = aligned_alloc(4096, sizeof(*vmcb));
	ck_assert_ptr_nonnull(vmcb);
	memset(vmcb, 0, sizeof(*vmcb));
	memset(&svm, 0, sizeof(svm));
	svm.vmcb = vmcb;
	v->hvm = &svm;
	vmcb->cr0 = X86_CR0_PE;
}

static void teardown(void)
{
	free(vmcb);
	hvm_env_teardown();
}

#define EXC(vec)	(SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC | (vec))
#define EC(ec)		(SVM_EVTINJ_EV | ((uint64_t)(ec) << 32))

START_TEST(inject_basic)
{
	svm_vcpu_inject_exception(v, 13, true, 0x18, 0);
	ck_assert_uint_eq(vmcb->eventinj, EXC(13) | EC(0x18));
	svm_vcpu_inject_exception(v, 14, true, 0x11, 0xdead000);
	ck_assert_uint_eq(vmcb->eventinj, EXC(14) | EC(0x11));
	ck_assert_uint_eq(vmcb->cr2, 0xdead000);
	vmcb->eventinj = 0;
	svm_vcpu_inject_exception(v, 6, false, 0, 0);
	ck_assert_uint_eq(vmcb->eventinj, EXC(6));
	ck_assert_uint_eq(vmcb->cr2, 0xdead000);
	/* Real mode pushes no error code. */
	vmcb->eventinj = 0;
	vmcb->cr0 = 0;
	svm_vcpu_inject_exception(v, 13, true, 0, 0);
	ck_assert_uint_eq(vmcb->eventinj, EXC(13));
}
END_TEST

/* Exceptions during the delivery of another: the CPU's table. */
START_TEST(inject_combine)
{
	static const struct { unsigned int first, second, result; } t[] = {
		{ 14, 14, 8 }, { 14, 13, 8 }, { 14, 0, 8 }, { 13, 13, 8 },
		{ 10, 12, 8 }, { 0, 11, 8 },
		{ 13, 14, 14 }, { 6, 13, 13 }, { 13, 6, 6 }, { 1, 14, 14 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		vmcb->eventinj = EXC(t[i].first);
		svm_vcpu_inject_exception(v, t[i].second, true, 0x33, 0);
		ck_assert_msg((vmcb->eventinj & 0xff) == t[i].result,
			      "%u then %u", t[i].first, t[i].second);
		if (t[i].result == 8)
			ck_assert_uint_eq(vmcb->eventinj, EXC(8) | EC(0));
	}
	ck_assert_uint_eq(env.crashes, 0);
	/* An interrupt being delivered: the exception takes its place. */
	vmcb->eventinj = SVM_EVTINJ_VALID | 0x30;
	svm_vcpu_inject_exception(v, 13, true, 0, 0);
	ck_assert_uint_eq(vmcb->eventinj, EXC(13) | EC(0));
	/* Anything during #DF delivery: a triple fault. */
	vmcb->eventinj = EXC(8) | EC(0);
	svm_vcpu_inject_exception(v, 13, true, 0, 0);
	ck_assert_uint_eq(env.crashes, 1);
	ck_assert_str_eq(env.crash_why, "triple fault");
	ck_assert_uint_eq(vmcb->eventinj, EXC(8) | EC(0));
}
END_TEST

START_TEST(state)
{
	struct guest_paging p;

	vmcb->cs.base = 0x1000;
	vmcb->ds.base = 0x2000;
	vmcb->fs.base = 0x3000;
	vmcb->gs.base = 0x4000;
	vmcb->es.base = 0x5000;
	vmcb->ss.base = 0x6000;
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_CS), 0x1000);
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_DS), 0x2000);
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_FS), 0x3000);
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_GS), 0x4000);
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_ES), 0x5000);
	ck_assert_uint_eq(svm_vcpu_seg_base(v, INSN_SEG_SS), 0x6000);
	ck_assert_int_eq(svm_vcpu_insn_mode(v), INSN_MODE_16);
	vmcb->cs.attrib = SVM_ATTR_CODE32;
	ck_assert_int_eq(svm_vcpu_insn_mode(v), INSN_MODE_32);
	vmcb->cs.attrib |= SVM_ATTR_L;		/* L without LMA: ignored */
	ck_assert_int_eq(svm_vcpu_insn_mode(v), INSN_MODE_32);
	vmcb->efer = EFER_LMA | EFER_SVME;
	ck_assert_int_eq(svm_vcpu_insn_mode(v), INSN_MODE_64);
	vmcb->efer = EFER_SVME;
	v->regs.rflags = 1ULL << 17;		/* virtual-8086 */
	ck_assert_int_eq(svm_vcpu_insn_mode(v), INSN_MODE_16);
	vmcb->cr0 = 0x80000011;
	vmcb->cr3 = 0x123000;
	vmcb->cr4 = 0x20;
	vmcb->efer = EFER_SVME | EFER_LME | EFER_LMA;
	vmcb->ss.attrib = 3 << SVM_ATTR_DPL_SHIFT;
	svm_vcpu_paging(v, &p);
	ck_assert_uint_eq(p.cr0, 0x80000011);
	ck_assert_uint_eq(p.cr3, 0x123000);
	ck_assert_uint_eq(p.cr4, 0x20);
	ck_assert_uint_eq(p.efer, EFER_LME | EFER_LMA);
	ck_assert_uint_eq(p.rflags, 1ULL << 17);
	ck_assert_uint_eq(p.cpl, 3);
	ck_assert_ptr_null(p.pdptes);
	svm_vcpu_set_tsc_offset(v, -5);
	ck_assert_uint_eq(vmcb->tsc_offset, (uint64_t)-5);
}
END_TEST

static const struct svm_insn_enc enc_cpuid = { INSN_MAP_0F, 0xa2, -1 };
static const struct svm_insn_enc enc_tsc[] = {
	{ INSN_MAP_0F, 0x31, -1 },		/* RDTSC */
	{ INSN_MAP_0F, 0x01, 0xf9 },		/* RDTSCP */
};

#define RIP	0x2000ULL

/* 32-bit code at RIP in guest RAM (the env's mode and the VMCB's). */
static void put_insn(const char *bytes, size_t n)
{
	vmcb->cs.attrib = SVM_ATTR_CODE32;
	v->regs.rip = RIP;
	memcpy(hvm_env_gpa(RIP), bytes, n);
	svm.insn_valid = false;
}

/* NRIP save: the next RIP gives the length; the bytes are not read. */
START_TEST(len_from_nrip)
{
	unsigned int which = 7;

	svm_has_nrips = true;
	put_insn("\xf4", 1);			/* HLT: no CPUID there */
	vmcb->nrip = RIP + 2;
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 2);
	ck_assert(!svm.insn_valid);
	ck_assert_uint_eq(env.nr_exc, 0);
	/* Any of several encodings: which one is not known (0). */
	vmcb->nrip = RIP + 3;
	ck_assert_uint_eq(svm_insn_len_of(v, enc_tsc, 2, &which), 3);
	ck_assert_uint_eq(which, 0);
	/* 15 bytes, the longest instruction, is a length. */
	vmcb->nrip = RIP + INSN_MAX_LEN;
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), INSN_MAX_LEN);
	ck_assert_uint_eq(svm.nrip_lens, 3);
	ck_assert_uint_eq(svm.decoded_lens, 0);
	ck_assert_uint_eq(env.nr_exc, 0);
}
END_TEST

/* A next RIP that is no length (0, beyond 15 bytes, behind RIP: an IP
 * that wrapped): decoded instead, and checked against the exit. */
START_TEST(len_nrip_not_a_length)
{
	static const uint64_t bad[] = { RIP, RIP + INSN_MAX_LEN + 1, RIP - 1,
					0 };
	unsigned int i, which = 7;

	svm_has_nrips = true;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		put_insn("\x0f\xa2", 2);		/* CPUID */
		vmcb->nrip = bad[i];
		ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 2);
		ck_assert(svm.insn_valid);
	}
	put_insn("\x0f\x01\xf9", 3);		/* RDTSCP */
	vmcb->nrip = 0;
	ck_assert_uint_eq(svm_insn_len_of(v, enc_tsc, 2, &which), 3);
	ck_assert_uint_eq(which, 1);
	/* Other bytes than the exit says: #GP, no length. */
	put_insn("\xf4", 1);
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 0);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_GP);
	ck_assert_uint_eq(svm.nrip_lens, 0);
	ck_assert_uint_eq(svm.decoded_lens, ARRAY_SIZE(bad) + 2);
}
END_TEST

/* Without NRIP save the next RIP is never used, even when it looks
 * right: the bytes decide (QEMU leaves the field alone). */
START_TEST(len_without_nrip)
{
	svm_has_nrips = false;
	put_insn("\x0f\xa2", 2);
	vmcb->nrip = RIP + 5;
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 2);
	put_insn("\xf4", 1);
	vmcb->nrip = RIP + 2;
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 0);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_GP);
	/* The fetch faults: the guest gets the #PF, no length. */
	env.cr0 |= X86_CR0_PG;
	env.cr3 = 0x100000;
	memset(hvm_env_gpa(0x100000), 0, PAGE_SIZE);
	put_insn("\x0f\xa2", 2);
	ck_assert_uint_eq(svm_insn_len(v, &enc_cpuid), 0);
	ck_assert_uint_eq(env.nr_exc, 2);
	ck_assert_uint_eq(env.exc[1].vec, X86_EXC_PF);
	ck_assert_uint_eq(svm.nrip_lens, 0);
	ck_assert_uint_eq(svm.decoded_lens, 3);
}
END_TEST

/* Completion: IP wraps as the CPU's does, RF and the interrupt shadow
 * go, TF gives the single-step #DB with DR6.BS. */
START_TEST(complete)
{
	put_insn("\x0f\xa2", 2);
	v->regs.rflags = (1ULL << 16) | 2;	/* RF */
	vmcb->interrupt_shadow = SVM_INTERRUPT_SHADOW;
	svm_skip(v, 2);
	ck_assert_uint_eq(v->regs.rip, RIP + 2);
	ck_assert_uint_eq(v->regs.rflags, 2);
	ck_assert_uint_eq(vmcb->interrupt_shadow, 0);
	ck_assert_uint_eq(env.nr_exc, 0);
	vmcb->cs.attrib = 0;			/* 16-bit */
	v->regs.rip = 0xffff;
	svm_skip(v, 2);
	ck_assert_uint_eq(v->regs.rip, 1);
	vmcb->cs.attrib = SVM_ATTR_CODE32;
	v->regs.rip = 0xffffffffULL;
	v->regs.rflags = (1ULL << 8) | 2;	/* TF */
	vmcb->dr6 = 0xffff0ff0;
	svm_skip(v, 1);
	ck_assert_uint_eq(v->regs.rip, 0);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_DB);
	ck_assert_uint_eq(vmcb->dr6, 0xffff4ff0);
}
END_TEST

/* The host image QEMU's VMRUN can leave in a VMCB: every field must
 * match, so no real guest state is taken for it. */
START_TEST(holds_host)
{
	struct vmcb *vmcb = svm_vmcb(v);
	const uint64_t cr3 = 0x3ffde000, gdt = 0xffffffff80286500,
		       idt = 0xffffffff8027f2e0, rip = 0xffffffff8022a904;

	vmcb->cr3 = cr3;
	vmcb->gdtr.base = gdt;
	vmcb->idtr.base = idt;
	vmcb->rip = rip;
	ck_assert(svm_vmcb_holds_host(vmcb, cr3, gdt, idt, rip));
	/* A guest whose page tables sit at the host CR3's address. */
	vmcb->rip = 0x100000;
	ck_assert(!svm_vmcb_holds_host(vmcb, cr3, gdt, idt, rip));
	vmcb->rip = rip;
	vmcb->gdtr.base = 0x1000;
	ck_assert(!svm_vmcb_holds_host(vmcb, cr3, gdt, idt, rip));
	vmcb->gdtr.base = gdt;
	vmcb->idtr.base = 0;
	ck_assert(!svm_vmcb_holds_host(vmcb, cr3, gdt, idt, rip));
	vmcb->idtr.base = idt;
	vmcb->cr3 = 0x5000;
	ck_assert(!svm_vmcb_holds_host(vmcb, cr3, gdt, idt, rip));
}
END_TEST

SUITE(svm_guest)
{
	Suite *s = suite_create("svm_guest");
	TCase *tc = tcase_create("vmcb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inject_basic);
	tcase_add_test(tc, inject_combine);
	tcase_add_test(tc, state);
	tcase_add_test(tc, len_from_nrip);
	tcase_add_test(tc, len_nrip_not_a_length);
	tcase_add_test(tc, len_without_nrip);
	tcase_add_test(tc, complete);
	tcase_add_test(tc, holds_host);
	suite_add_tcase(s, tc);
	return s;
}
