// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_op (common/vcpu_op.c) on a simulated domain of three vCPUs: up,
 * down, is_up and initialise with Xen's error codes, and the contexts
 * VCPUOP_initialise accepts and refuses.
 */
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/sched.h>
#include <lamina/hypercall.h>
#include <asm/hvm/vcpu_power.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define CTX_GPA		0x5000	/* paging off: also its linear address */

static struct vcpu *vc(unsigned int i)
{
	return env.dom.vcpu[i];
}

static void setup(void)
{
	hvm_env_setup();
	hvm_env_vcpus(3);
	hvm_vcpu_boot_start(vc(0));
	env.mode = INSN_MODE_64;		/* a 64-bit caller */
	env.dom.arch.cpuid.basic[1].d = 0xffffffff;	/* VME, PSE, PAE... */
	env.dom.arch.cpuid.extd[1].d = 1u << 29;		/* LM */
	env.dom.arch.cpuid.extd[0].a = 0x80000008;
}

static void teardown(void)
{
	unsigned int i;

	for (i = 0; i < env.dom.max_vcpus; i++) {
		vc(i)->pause_flags |= VPF_down;
		vcpu_sleep_nosync(vc(i));
	}
	hvm_env_teardown();
}

static long op(unsigned long cmd, unsigned long id, unsigned long arg)
{
	unsigned long args[5] = { cmd, id, arg, 0, 0 };

	return do_vcpu_op(&env.vcpu, args);
}

static bool down(unsigned int i)
{
	return vc(i)->pause_flags & VPF_down;
}

START_TEST(bad_ids_and_commands)
{
	ck_assert_int_eq(op(VCPUOP_is_up, 3, 0), -ENOENT);
	ck_assert_int_eq(op(VCPUOP_up, 0xffffffff, 0), -ENOENT);
	ck_assert_int_eq(op(VCPUOP_down, 64, 0), -ENOENT);
	ck_assert_int_eq(op(99, 0, 0), -ENOSYS);
	/* The upper halves are not part of the arguments (int, unsigned). */
	ck_assert_int_eq(op(VCPUOP_is_up | 1ULL << 32, 1ULL << 32, 0), 1);
	ck_assert_int_eq(op(VCPUOP_is_up, 1ULL << 32 | 1, 0), 0);
	/* 32-bit callers: not yet (the lead's vcpu_info rule). */
	env.mode = INSN_MODE_32;
	ck_assert_int_eq(op(VCPUOP_is_up, 0, 0), -ENOSYS);
}
END_TEST

START_TEST(up_down_is_up)
{
	ck_assert_int_eq(op(VCPUOP_is_up, 0, 0), 1);
	ck_assert_int_eq(op(VCPUOP_is_up, 1, 0), 0);
	ck_assert_int_eq(op(VCPUOP_up, 1, 0), -EINVAL);	/* no context */
	hvm_vcpu_sipi(vc(1), 0x10);
	ck_assert_int_eq(op(VCPUOP_is_up, 1, 0), 1);
	ck_assert_int_eq(op(VCPUOP_down, 1, 0), 0);
	ck_assert_int_eq(op(VCPUOP_is_up, 1, 0), 0);
	ck_assert_int_eq(op(VCPUOP_down, 1, 0), 0);		/* again */
	ck_assert_int_eq(op(VCPUOP_up, 1, 0), 0);
	ck_assert_int_eq(op(VCPUOP_up, 1, 0), 0);		/* again */
	ck_assert(!down(1));
	/* vCPU 2 never started: down is allowed, up is not. */
	ck_assert_int_eq(op(VCPUOP_down, 2, 0), 0);
	ck_assert_int_eq(op(VCPUOP_up, 2, 0), -EINVAL);
	ck_assert_uint_eq(env.shutdowns, 0);
	/* The last one up going down powers the domain off. */
	ck_assert_int_eq(op(VCPUOP_down, 0, 0), 0);
	ck_assert_uint_eq(env.shutdowns, 0);
	ck_assert(down(0));
	ck_assert_int_eq(op(VCPUOP_down, 1, 0), 0);
	ck_assert_uint_eq(env.shutdowns, 1);
	ck_assert_uint_eq(env.shutdown_reason, SHUTDOWN_poweroff);
}
END_TEST

static struct vcpu_hvm_context *ctx(void)
{
	return hvm_env_gpa(CTX_GPA);
}

/* A flat 32-bit protected-mode context, paging off. */
static void ctx32(void)
{
	struct vcpu_hvm_x86_32 *r = &ctx()->cpu_regs.x86_32;

	memset(ctx(), 0, sizeof(*ctx()));
	ctx()->mode = VCPU_HVM_MODE_32B;
	r->eip = 0x1000;
	r->esp = 0x8000;
	r->ebx = 0x1234;
	r->eflags = 0x2;
	r->cr0 = 0x1;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
	r->cs_ar = 0xc9a;
	r->ds_ar = r->ss_ar = r->es_ar = 0xc92;
	r->tr_limit = 0x67;
	r->tr_ar = 0x8b;
}

START_TEST(initialise_32)
{
	ctx32();
	ck_assert_int_eq(op(VCPUOP_initialise, 1, CTX_GPA), 0);
	ck_assert(down(1));			/* until VCPUOP_up */
	ck_assert_int_eq(op(VCPUOP_initialise, 1, CTX_GPA), -EEXIST);
	ck_assert_int_eq(op(VCPUOP_initialise, 0, CTX_GPA), -EEXIST);
	ck_assert_int_eq(op(VCPUOP_up, 1, 0), 0);
	hvm_vcpu_load_pending(vc(1));
	ck_assert_uint_eq(env.loads, 1);
	ck_assert_uint_eq(env.load_state.cs.attr, 0xc9b);	/* accessed */
	ck_assert_uint_eq(env.load_state.tr.attr, 0x8b);
	ck_assert_uint_eq(env.load_state.cr0, 0x11);		/* ET */
	ck_assert_uint_eq(vc(1)->regs.rip, 0x1000);
	ck_assert_uint_eq(vc(1)->regs.rbx, 0x1234);
	ck_assert_uint_eq(vc(1)->regs.rsp, 0x8000);
	/* A SIPI to an initialised vCPU does nothing. */
	hvm_vcpu_sipi(vc(1), 0x20);
	hvm_vcpu_load_pending(vc(1));
	ck_assert_uint_eq(env.loads, 1);
}
END_TEST

START_TEST(initialise_64)
{
	struct vcpu_hvm_x86_64 *r = &ctx()->cpu_regs.x86_64;

	memset(ctx(), 0, sizeof(*ctx()));
	ctx()->mode = VCPU_HVM_MODE_64B;
	r->rip = 0xffffffff81000000ULL;
	r->cr0 = 0x80000011;
	r->cr3 = 0x100000;
	r->cr4 = 0x20;
	r->efer = 0x100;
	ck_assert_int_eq(op(VCPUOP_initialise, 2, CTX_GPA), 0);
	ck_assert_int_eq(op(VCPUOP_up, 2, 0), 0);
	hvm_vcpu_load_pending(vc(2));
	ck_assert_uint_eq(env.load_state.cs.attr, 0xa9b);
	ck_assert_uint_eq(env.load_state.efer, 0x500);		/* LMA */
	ck_assert_uint_eq(env.load_state.ds.attr, 0xc93);
	ck_assert_uint_eq(vc(2)->regs.rip, 0xffffffff81000000ULL);
}
END_TEST

/* What Xen refuses with -EINVAL, each from a good context. */
START_TEST(initialise_refused)
{
	struct vcpu_hvm_x86_32 *r = &ctx()->cpu_regs.x86_32;
	struct vcpu_hvm_x86_64 *q = &ctx()->cpu_regs.x86_64;

#define REFUSED(change) do {						\
	ctx32();							\
	change;								\
	ck_assert_msg(op(VCPUOP_initialise, 1, CTX_GPA) == -EINVAL,	\
		      "accepted: %s", #change);				\
} while (0)
	REFUSED(ctx()->mode = 2);
	REFUSED(ctx()->pad = 1);
	REFUSED(r->pad1 = 1);
	REFUSED(r->pad2[2] = 1);
	REFUSED(r->cs_ar = 0);				/* null CS */
	REFUSED(r->cs_ar = 0xc92);			/* data as CS */
	REFUSED(r->cs_ar = 0x1c9a);			/* bits 12-15 */
	REFUSED(r->ss_ar = 0xc9a);			/* code as SS */
	REFUSED(r->ss_ar = 0xc90);			/* read-only SS */
	REFUSED(r->ds_ar = 0xc98);			/* execute-only DS */
	REFUSED(r->ds_ar = 0x412);			/* not present */
	REFUSED(r->tr_ar = 0x83);			/* 16-bit TSS */
	REFUSED(r->tr_ar = 0x9b);			/* not a system seg. */
	REFUSED(r->ss_ar = 0xcf2);			/* SS.DPL 3, CS.DPL 0 */
	REFUSED(r->cs_ar = 0x49a; r->cs_limit = 0xfff);	/* EIP beyond */
	REFUSED(r->efer = 0x400);			/* LMA without LME */
	REFUSED(r->cr4 = 1u << 22);			/* PKE: not offered */
	REFUSED(r->cr0 = 0x80000000);			/* PG without PE */
	REFUSED(r->efer = 1u << 12);			/* SVME */
	REFUSED(ctx()->mode = VCPU_HVM_MODE_64B; q->cr0 = 0x80000011;
		q->cr4 = 0x20; q->efer = 0x100; q->rip = 1ULL << 47);
	REFUSED(ctx()->mode = VCPU_HVM_MODE_64B; q->cr0 = 0x11;
		q->cr4 = 0x20; q->efer = 0x100);
	REFUSED(ctx()->mode = VCPU_HVM_MODE_64B; q->cr0 = 0x80000011;
		q->cr4 = 0; q->efer = 0x100);
	REFUSED(ctx()->mode = VCPU_HVM_MODE_64B; q->cr0 = 0x80000011;
		q->cr4 = 0x20; q->efer = 0);
#undef REFUSED
	/* No vcpu_info (an id past shared_info's): refused first. */
	ctx32();
	vc(1)->vcpu_info = &vc(1)->dummy_vcpu_info;
	ck_assert_int_eq(op(VCPUOP_initialise, 1, 0x7ffff000), -EINVAL);
	vc(1)->vcpu_info = &env.vinfo[1];
	/* Null DS and ES are fine; a bad pointer is -EFAULT. */
	ctx32();
	r->ds_ar = r->es_ar = 0;
	ck_assert_int_eq(op(VCPUOP_initialise, 1, 0x7ffff000), -EFAULT);
	ck_assert_int_eq(op(VCPUOP_initialise, 1, CTX_GPA), 0);
	ck_assert_uint_eq(env.loads, 0);
}
END_TEST

SUITE(vcpu_op)
{
	Suite *s = suite_create("vcpu_op");
	TCase *tc = tcase_create("vcpu_op");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_ids_and_commands);
	tcase_add_test(tc, up_down_is_up);
	tcase_add_test(tc, initialise_32);
	tcase_add_test(tc, initialise_64);
	tcase_add_test(tc, initialise_refused);
	suite_add_tcase(s, tc);
	return s;
}
