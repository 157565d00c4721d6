// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM back end's guest-state operations (hvm/svm/guest.c) on a VMCB
 * in host memory: exception injection through EVENTINJ (error codes,
 * CR2, combining with an event already being delivered, the triple
 * fault), segment bases, the decoding mode and the paging state.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/svm/svm.h>
#include <asm/processor.h>

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

SUITE(svm_guest)
{
	Suite *s = suite_create("svm_guest");
	TCase *tc = tcase_create("vmcb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inject_basic);
	tcase_add_test(tc, inject_combine);
	tcase_add_test(tc, state);
	suite_add_tcase(s, tc);
	return s;
}
