// SPDX-License-Identifier: GPL-2.0
/*
 * Guest time (common/guest_time.c, vcpu_timer.c, runstate.c) on the
 * simulated vCPU of hvm_env.c with a second vCPU beside it: pvclock
 * parameters read with Linux's formula (written out again here from
 * arch/x86/include/asm/pvclock.h), time across vCPUs with different TSC
 * offsets, the version protocol, the wallclock, the time and runstate
 * areas, the timers on the timer queues (time is harness_now, moved by
 * hand; the queues' CPUs are harness_cpu), vm_assist, and every error
 * return of vcpu_op's time sub-ops.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "event_env.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/guest_time.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/hvm/msr.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <xen/vcpu.h>

static struct vcpu *const v0 = &env.vcpu;
static struct vcpu *v1;

/* VIRQ_TIMER's port on each vCPU, and the events taken from them. */
static evtchn_port_t timer_port[2];
static unsigned int timer_events[2];

/*
 * The events of vCPU id so far: pending ports are taken (cleared) and
 * counted. Events raised again before they are taken merge, as they do
 * for a guest: one pending bit.
 */
static unsigned int events(unsigned int id)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (!ev_pending(d1, timer_port[i]))
			continue;
		ev_clear(d1, timer_port[i]);
		timer_events[i]++;
	}
	return timer_events[id];
}

/* event_env's domain 1 (hvm_env's, two vCPUs), VIRQ_TIMER on both. */
static void setup(void)
{
	unsigned int i;

	event_env_setup();
	harness_now = SECONDS(5);
	harness_cpu = 0;
	v1 = d1->vcpu[1];
	memset(timer_events, 0, sizeof(timer_events));
	for (i = 0; i < 2; i++) {
		struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = i };

		vcpu_time_init(d1->vcpu[i]);
		ck_assert_int_eq(evtchn_bind_virq(v0, &b), 0);
		timer_port[i] = b.port;
	}
}

static void teardown(void)
{
	vcpu_time_destroy(v0);
	vcpu_time_destroy(v1);
	event_env_teardown();
}

/* Linux's __pvclock_read_cycles() and pvclock_tsc_khz(), x86-64. */
static uint64_t linux_pvclock(const struct vcpu_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift < 0)
		delta >>= -t->tsc_shift;
	else
		delta <<= t->tsc_shift;
	return t->system_time +
	       (uint64_t)(((unsigned __int128)delta *
			   t->tsc_to_system_mul) >> 32);
}

static uint64_t linux_tsc_khz(const struct vcpu_time_info *t)
{
	uint64_t khz = (1000000ULL << 32) / t->tsc_to_system_mul;

	if (t->tsc_shift < 0)
		khz <<= -t->tsc_shift;
	else
		khz >>= t->tsc_shift;
	return khz;
}

static const uint64_t khzs[] = {
	1000, 32768, 600000, 999999, 1000000, 1000001, 1999999, 2000000,
	2000001, 2893421, 3400000, 4000000, 10000000,
};

/* The scale is normalised and a second of ticks is a second. */
START_TEST(scale_of_khz)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(khzs); i++) {
		struct time_scale s;
		struct vcpu_time_info t = { 0 };
		uint64_t ns, khz;

		time_scale_of_khz(khzs[i], &s);
		ck_assert_uint_ge(s.mul_frac, 1u << 31);
		ns = scale_delta(khzs[i] * 1000, &s);
		ck_assert_msg(ns >= 1000000000 - 5 && ns <= 1000000000 + 5,
			      "%lu kHz: a second is %lu ns", khzs[i], ns);
		t.tsc_to_system_mul = s.mul_frac;
		t.tsc_shift = s.shift;
		khz = linux_tsc_khz(&t);
		ck_assert_msg(khz + khzs[i] / 100000 + 1 >= khzs[i] &&
			      khz <= khzs[i] + khzs[i] / 100000 + 1,
			      "%lu kHz read back as %lu", khzs[i], khz);
	}
	time_scale_of_khz(0, &tsc_scale);
	ck_assert_uint_eq(tsc_scale.mul_frac, 0);
}
END_TEST

/* Any vCPU, any TSC offset, any time: the guest computes NOW() exactly. */
START_TEST(pvclock_is_system_time)
{
	static const int64_t offsets[] = { 0, 12345, -1000000, -(1LL << 62),
					   1LL << 62 };
	static const uint64_t since[] = { 0, 1, 999, 1000000007,
					  86400ULL * 2000000000,
					  1ULL << 55 };
	unsigned int i, j, k;

	for (k = 0; k < ARRAY_SIZE(khzs); k++) {
		time_scale_of_khz(khzs[k], &tsc_scale);
		tsc_stime0 = 0x123456789aULL * (k + 1);
		for (i = 0; i < ARRAY_SIZE(offsets); i++) {
			struct vcpu_time_info t;

			pvclock_params(offsets[i], true, &t);
			ck_assert_uint_eq(t.flags, XEN_PVCLOCK_TSC_STABLE_BIT);
			for (j = 0; j < ARRAY_SIZE(since); j++) {
				uint64_t host = tsc_stime0 + since[j];
				uint64_t guest = host + (uint64_t)offsets[i];

				ck_assert_uint_eq(linux_pvclock(&t, guest),
						  scale_delta(since[j],
							      &tsc_scale));
			}
		}
	}
}
END_TEST

/*
 * Readings taken in turn from two vCPUs with different TSC offsets
 * (each with its own TSC, as the guest reads it on whatever CPU the
 * vCPU is on) never go backwards.
 */
START_TEST(monotonic_across_vcpus)
{
	static const int64_t pairs[][2] = {
		{ 0, 0 }, { 0, -7777777 }, { 1LL << 40, -(1LL << 40) },
		{ -5, 3 },
	};
	unsigned int p, k, i, backwards = 0;

	srand(1);
	for (k = 0; k < ARRAY_SIZE(khzs); k++) {
		time_scale_of_khz(khzs[k], &tsc_scale);
		for (p = 0; p < ARRAY_SIZE(pairs); p++) {
			struct vcpu_time_info t[2];
			uint64_t host = tsc_stime0 + 17, last = 0;

			pvclock_params(pairs[p][0], false, &t[0]);
			pvclock_params(pairs[p][1], false, &t[1]);
			for (i = 0; i < 5000; i++) {
				unsigned int which = rand() & 1;
				uint64_t now;

				host += (uint64_t)(rand() % 50);
				now = linux_pvclock(&t[which], host +
						    (uint64_t)pairs[p][which]);
				if (now < last)
					backwards++;
				last = now;
			}
		}
	}
	ck_assert_uint_eq(backwards, 0);
}
END_TEST

static struct vcpu_time_info *slot(unsigned int id)
{
	return &env.dom.shared_info->vcpu_info[id].time;
}

/* Valid from creation; TSC_STABLE while the offsets agree. */
START_TEST(primary_copy)
{
	struct vcpu_time_info *t0 = slot(0), *t1 = slot(1);

	ck_assert_uint_eq(t0->version, 2);
	ck_assert_uint_eq(t1->version, 2);
	ck_assert_uint_eq(t0->tsc_to_system_mul, tsc_scale.mul_frac);
	ck_assert_int_eq(t0->tsc_shift, tsc_scale.shift);
	ck_assert_uint_eq(t0->tsc_timestamp, tsc_stime0);
	ck_assert_uint_eq(t0->system_time, 0);
	ck_assert_uint_eq(t0->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
	ck_assert_uint_eq(t1->flags, XEN_PVCLOCK_TSC_STABLE_BIT);

	v1->arch.msrs.tsc_offset = 1000;
	guest_time_tsc_changed(v1);
	ck_assert_uint_eq(t0->version, 4);
	ck_assert_uint_eq(t1->version, 4);
	ck_assert_uint_eq(t0->flags, 0);
	ck_assert_uint_eq(t1->flags, 0);
	ck_assert_uint_eq(t1->tsc_timestamp, tsc_stime0 + 1000);
	ck_assert_uint_eq(t0->tsc_timestamp, tsc_stime0);

	/* The TSC MSR: the offset changes, and the flag follows. */
	v1->arch.msrs.tsc_offset = 0;
	guest_time_tsc_changed(v1);
	ck_assert_uint_eq(t0->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
	ck_assert_int_eq(hvm_msr_write(v0, MSR_IA32_TSC, 1ULL << 50), 0);
	ck_assert_uint_eq(t0->version, 8);
	ck_assert_uint_eq(t0->flags, 0);
	ck_assert_uint_eq(t0->tsc_timestamp,
			  tsc_stime0 + (uint64_t)v0->arch.msrs.tsc_offset);
	ck_assert_uint_eq(t1->flags, 0);
}
END_TEST

/* VCPUOP_register_vcpu_info: the new copy is valid at once, even when
 * the old one was caught mid-update. */
START_TEST(vcpu_info_moves)
{
	struct vcpu_info *vi = hvm_env_gpa(0x7000 + 64);
	struct page_info *pg = mfn_to_page(virt_to_mfn(vi));

	pg->owner = &env.dom;		/* the domain's frame, in use */
	pg->count = 2;
	memset(vi, 0xa5, sizeof(*vi));
	slot(0)->version = 3;
	ck_assert_int_eq(vcpu_register_info(v0, 7, 64), 0);
	ck_assert_ptr_eq(v0->vcpu_info, vi);
	ck_assert_uint_eq(vi->time.version % 2, 0);
	ck_assert_uint_eq(vi->time.tsc_timestamp, tsc_stime0);
	ck_assert_uint_eq(vi->time.system_time, 0);
	ck_assert_uint_eq(vi->time.tsc_to_system_mul, tsc_scale.mul_frac);
	ck_assert_uint_eq(vi->time.flags, XEN_PVCLOCK_TSC_STABLE_BIT);
	ck_assert_uint_eq(vi->time.pad0, 0);
	vcpu_info_release(v0);
}
END_TEST

START_TEST(wallclock)
{
	struct shared_info *s = env.dom.shared_info;

	boot_wallclock = 1763690000;	/* 2025-11-21 01:53:20 UTC */
	boot_wallclock_stime = 1500000000;	/* read 1.5 s in */
	wallclock_init(&env.dom);
	ck_assert_uint_eq(s->wc_version, 4);
	ck_assert_uint_eq(s->wc_sec, 1763690000 - 2);
	ck_assert_uint_eq(s->wc_nsec, 500000000);
	ck_assert_uint_eq(s->xen_wc_sec_hi, 0);

	boot_wallclock = (1ULL << 32) + 5;	/* 2106 */
	boot_wallclock_stime = 0;
	wallclock_init(&env.dom);
	ck_assert_uint_eq(s->wc_version, 6);
	ck_assert_uint_eq(s->wc_sec, 5);
	ck_assert_uint_eq(s->xen_wc_sec_hi, 1);
	ck_assert_uint_eq(s->wc_nsec, 0);

	boot_wallclock = 0;			/* RTC unreadable: 1970 */
	boot_wallclock_stime = 1000;
	wallclock_init(&env.dom);
	ck_assert_uint_eq(s->wc_sec, 0);
	ck_assert_uint_eq(s->xen_wc_sec_hi, 0);
	ck_assert_uint_eq(s->wc_nsec, 0);
}
END_TEST

#define AREA_GVA	0xffff800000003000ULL
#define AREA_GPA	0x9000ULL

/* Long mode, the area's page mapped supervisor-only. */
static void map_area(void)
{
	hvm_env_long_mode();
	hvm_env_map(AREA_GVA, AREA_GPA, PTE_P | PTE_RW);
}

START_TEST(time_area)
{
	struct vcpu_time_info *a = hvm_env_gpa(AREA_GPA + 0x40);

	map_area();
	ck_assert_int_eq(vcpu_time_area_register(v0, v0, AREA_GVA + 0x40), 0);
	ck_assert_uint_eq(a->version, 2);
	ck_assert_mem_eq((char *)a + 8, (char *)slot(0) + 8, 24);

	/* Changes reach it at the vCPU's next entry, even at CPL 3. */
	v1->arch.msrs.tsc_offset = 99;
	guest_time_tsc_changed(v1);
	ck_assert_uint_eq(a->version, 2);
	ck_assert_uint_eq(v0->time.work, VT_TIME_AREA);
	env.cpl = 3;
	vcpu_time_enter(v0);
	ck_assert_uint_eq(v0->time.work, 0);
	ck_assert_uint_eq(a->version, 4);
	ck_assert_uint_eq(a->flags, 0);

	/* Unmapped: accepted (Xen's HVM answer), nothing written. 0: off. */
	ck_assert_int_eq(vcpu_time_area_register(v0, v0, 0x7000000000ULL), 0);
	ck_assert_int_eq(vcpu_time_area_register(v0, v0, 0), 0);
	guest_time_tsc_changed(v1);
	ck_assert_uint_eq(v0->time.work, 0);
	ck_assert_uint_eq(a->version, 4);
}
END_TEST

static void set_runstate(struct vcpu *v, int state, s_time_t entry)
{
	unsigned int i;

	v->runstate = state;
	v->runstate_entry = entry;
	for (i = 0; i < 4; i++)
		v->runstate_time[i] = 1000 * (i + 1);
}

START_TEST(runstate_area)
{
	struct vcpu_runstate_info *r = hvm_env_gpa(AREA_GPA);

	map_area();
	set_runstate(v0, RUNSTATE_running, harness_now - 500);
	ck_assert_int_eq(vcpu_runstate_area_register(v0, v0, AREA_GVA), 0);
	ck_assert_int_eq(r->state, RUNSTATE_running);
	ck_assert_uint_eq(r->state_entry_time, harness_now - 500);
	ck_assert_uint_eq(r->time[RUNSTATE_running], 1000);	/* as is */
	ck_assert_uint_eq(r->time[RUNSTATE_offline], 4000);

	/* Another vCPU's, by v0: with the time in its state up to now. */
	set_runstate(v1, RUNSTATE_blocked, harness_now - 700);
	ck_assert_int_eq(vcpu_runstate_area_register(v0, v1,
						     AREA_GVA + 0x100), 0);
	r = hvm_env_gpa(AREA_GPA + 0x100);
	ck_assert_int_eq(r->state, RUNSTATE_blocked);
	ck_assert_uint_eq(r->time[RUNSTATE_blocked], 3000 + 700);
}
END_TEST

/* Written when switched out (if it ran) and at the entry after a
 * switch-in; with the update flag, bit 63 is clear once done. */
START_TEST(runstate_switches)
{
	struct vcpu_runstate_info *r = hvm_env_gpa(AREA_GPA);
	unsigned long a[2] = { VMASST_CMD_enable,
			       VMASST_TYPE_runstate_update_flag };

	map_area();
	ck_assert_int_eq(do_vm_assist(v0, a), 0);
	set_runstate(v0, RUNSTATE_running, 100);
	ck_assert_int_eq(vcpu_runstate_area_register(v0, v0, AREA_GVA), 0);
	ck_assert_uint_eq(r->state_entry_time, 100);

	/* Switched out without having run here since: left alone. */
	set_runstate(v0, RUNSTATE_runnable, 200);
	vcpu_time_sched_out(v0);
	ck_assert_int_eq(r->state, RUNSTATE_running);

	vcpu_time_sched_in(v0);
	set_runstate(v0, RUNSTATE_running, 300);
	env.cpl = 3;
	vcpu_time_enter(v0);
	ck_assert(v0->time.in_context);
	ck_assert_int_eq(r->state, RUNSTATE_running);
	ck_assert_uint_eq(r->state_entry_time, 300);

	set_runstate(v0, RUNSTATE_blocked, 400);
	vcpu_time_sched_out(v0);
	ck_assert(!v0->time.in_context);
	ck_assert_int_eq(r->state, RUNSTATE_blocked);
	ck_assert_uint_eq(r->state_entry_time, 400);
	ck_assert_uint_eq(r->time[RUNSTATE_blocked], 3000);
}
END_TEST

START_TEST(vm_assist)
{
	unsigned long a[2];
	unsigned int type;

	for (type = 0; type < 70; type++) {
		a[0] = VMASST_CMD_enable;
		a[1] = type;
		ck_assert_int_eq(do_vm_assist(v0, a),
				 type == VMASST_TYPE_runstate_update_flag ?
				 0 : -EINVAL);
	}
	ck_assert_uint_eq(env.dom.vm_assist,
			  1UL << VMASST_TYPE_runstate_update_flag);
	a[0] = VMASST_CMD_disable;
	a[1] = (1ULL << 32) | VMASST_TYPE_runstate_update_flag;
	ck_assert_int_eq(do_vm_assist(v0, a), 0);	/* unsigned int */
	ck_assert_uint_eq(env.dom.vm_assist, 0);
	a[0] = 2;
	ck_assert_int_eq(do_vm_assist(v0, a), -ENOSYS);
	a[1] = 0;				/* the type goes first */
	ck_assert_int_eq(do_vm_assist(v0, a), -EINVAL);
}
END_TEST

#define ARG_GVA		0x10000ULL	/* identity-mapped here */
#define BAD_GVA		0x7000000000ULL

static long vcpu_op(unsigned int cmd, unsigned long id, uint64_t arg)
{
	unsigned long args[5] = { cmd, id, arg };

	return do_vcpu_op(v0, args);
}

static void *arg_mem(void)
{
	return hvm_env_gpa(ARG_GVA);
}

static void long_mode_args(void)
{
	map_area();
	hvm_env_map(ARG_GVA, ARG_GVA, PTE_P | PTE_RW);
}

START_TEST(vcpu_op_errors)
{
	struct vcpu_set_singleshot_timer *ss = arg_mem();
	struct vcpu_set_periodic_timer *per = arg_mem();
	uint64_t *addr = arg_mem();

	long_mode_args();
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_periodic_timer, 2, 0), -ENOENT);
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_periodic_timer,
				 (1ULL << 32) | 1, 0), 0);
	ck_assert_int_eq(vcpu_op(99, 0, 0), -ENOSYS);
	/* One-shot: another vCPU's first, then the pointer. */
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 1, BAD_GVA),
			 -EINVAL);
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, BAD_GVA),
			 -EFAULT);
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 1, 0),
			 -EINVAL);
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
	/* Periodic: 1 ms to 2^62 - 1 ns, any vCPU. */
	ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 0, BAD_GVA),
			 -EFAULT);
	per->period_ns = MILLISECS(1) - 1;
	ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 1, ARG_GVA),
			 -EINVAL);
	per->period_ns = 1ULL << 62;
	ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 1, ARG_GVA),
			 -EINVAL);
	per->period_ns = MILLISECS(1);
	ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 1, ARG_GVA), 0);
	ck_assert_uint_eq(events(1), 1);	/* due at once */
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_periodic_timer, 1, 0), 0);
	ck_assert(!v1->time.periodic.active);
	/* Runstate */
	ck_assert_int_eq(vcpu_op(VCPUOP_get_runstate_info, 1, BAD_GVA),
			 -EFAULT);
	ck_assert_int_eq(vcpu_op(VCPUOP_register_runstate_memory_area, 0,
				 BAD_GVA), -EFAULT);
	ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
				 BAD_GVA), -EFAULT);
	*addr = BAD_GVA;	/* the area itself unmapped: accepted */
	ck_assert_int_eq(vcpu_op(VCPUOP_register_runstate_memory_area, 0,
				 ARG_GVA), 0);
	ck_assert_uint_eq(v0->time.runstate_area, BAD_GVA);
	ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 1,
				 ARG_GVA), 0);
	ck_assert_uint_eq(v1->time.time_area, BAD_GVA);
	(void)ss;
}
END_TEST

START_TEST(get_runstate_info)
{
	struct vcpu_runstate_info *r = arg_mem();

	long_mode_args();
	set_runstate(v1, RUNSTATE_runnable, harness_now - 42);
	ck_assert_int_eq(vcpu_op(VCPUOP_get_runstate_info, 1, ARG_GVA), 0);
	ck_assert_int_eq(r->state, RUNSTATE_runnable);
	ck_assert_uint_eq(r->state_entry_time, harness_now - 42);
	ck_assert_uint_eq(r->time[RUNSTATE_runnable], 2000 + 42);
	ck_assert_uint_eq(r->time[RUNSTATE_running], 1000);
}
END_TEST

/* What expired on this CPU's queue runs. */
static void run_timers(void)
{
	raise_softirq(TIMER_SOFTIRQ);
	do_softirq();
}

START_TEST(singleshot)
{
	struct vcpu_set_singleshot_timer *ss = arg_mem();

	long_mode_args();
	harness_cpu = 1;			/* it follows the caller */
	ss->timeout_abs_ns = harness_now + MILLISECS(1);
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, ARG_GVA), 0);
	ck_assert(v0->time.singleshot.active);
	ck_assert_uint_eq(v0->time.singleshot.cpu, 1);
	run_timers();
	ck_assert_uint_eq(events(0), 0);
	harness_now += MILLISECS(1);
	run_timers();
	ck_assert_uint_eq(events(0), 1);

	/* Past deadlines fire at once, with or without the future flag. */
	ss->timeout_abs_ns = harness_now - 1;
	ss->flags = VCPU_SSHOTTMR_future;
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, ARG_GVA), 0);
	ck_assert_uint_eq(events(0), 2);
	ss->flags = 0;
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, ARG_GVA), 0);
	ck_assert_uint_eq(events(0), 3);
	ck_assert(!v0->time.singleshot.active);

	/* Stopped: it never fires. */
	ss->timeout_abs_ns = harness_now + 10;
	ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, ARG_GVA), 0);
	ck_assert_int_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
	harness_now += 10;
	run_timers();
	ck_assert_uint_eq(events(0), 3);
}
END_TEST

static long timer_op(uint64_t timeout)
{
	unsigned long args[5] = { timeout };

	return do_set_timer_op(v0, args);
}

START_TEST(set_timer_op)
{
	s_time_t now = harness_now;

	long_mode_args();
	ck_assert_int_eq(timer_op(now + 1000), 0);
	ck_assert_int_eq(v0->time.singleshot.expires, now + 1000);
	ck_assert_int_eq(timer_op(0), 0);
	ck_assert(!v0->time.singleshot.active);
	/* Wrapped negative, or beyond 2^50 ns: in 100 ms (Xen). */
	ck_assert_int_eq(timer_op((uint64_t)-5), 0);
	ck_assert_int_eq(v0->time.singleshot.expires, now + MILLISECS(100));
	ck_assert_int_eq(timer_op(now + (1LL << 51)), 0);
	ck_assert_int_eq(v0->time.singleshot.expires, now + MILLISECS(100));
	ck_assert_int_eq(timer_op(now + (1LL << 49)), 0);
	ck_assert_int_eq(v0->time.singleshot.expires, now + (1LL << 49));
	/* Past: fires at the next timer softirq. */
	ck_assert_int_eq(timer_op(now - 1), 0);
	run_timers();
	ck_assert_uint_eq(events(0), 1);
	/* From 32-bit code: the deadline in two halves. */
	env.mode = INSN_MODE_32;
	{
		unsigned long args[5] = { 0x89abcdef, 0x1 };

		ck_assert_int_eq(do_set_timer_op(v0, args), 0);
		ck_assert_int_eq(v0->time.singleshot.expires,
				 0x189abcdefLL);
	}
}
END_TEST

/* Xen's rule: it ticks while the vCPU runs; a switch-in catches up. */
START_TEST(periodic)
{
	vcpu_periodic_set(v0, MILLISECS(10));
	ck_assert_uint_eq(events(0), 1);
	ck_assert_int_eq(v0->time.periodic.expires,
			 harness_now + MILLISECS(10));
	harness_now += MILLISECS(10);
	run_timers();
	ck_assert_uint_eq(events(0), 2);
	ck_assert_int_eq(v0->time.periodic.expires,
			 harness_now + MILLISECS(10));

	vcpu_time_sched_out(v0);
	ck_assert(!v0->time.periodic.active);
	harness_now += MILLISECS(35);
	run_timers();
	ck_assert_uint_eq(events(0), 2);
	vcpu_time_sched_in(v0);
	vcpu_time_enter(v0);
	ck_assert_uint_eq(events(0), 3);	/* one, not three */
	ck_assert_int_eq(v0->time.periodic.expires,
			 harness_now + MILLISECS(10));

	/* Switched in again before a period is over: nothing sent. */
	vcpu_time_sched_out(v0);
	harness_now += MILLISECS(4);
	vcpu_time_sched_in(v0);
	vcpu_time_enter(v0);
	ck_assert_uint_eq(events(0), 3);
	ck_assert_int_eq(v0->time.periodic.expires,
			 harness_now + MILLISECS(6));

	vcpu_periodic_set(v0, 0);
	ck_assert(!v0->time.periodic.active);
	vcpu_time_sched_in(v0);
	vcpu_time_enter(v0);
	ck_assert_uint_eq(events(0), 3);
}
END_TEST

/* A dying vCPU's timers never fire again. */
START_TEST(destroy_kills_timers)
{
	vcpu_singleshot_set(v0, harness_now + 5);
	vcpu_periodic_set(v1, MILLISECS(1));
	vcpu_time_destroy(v0);
	vcpu_time_destroy(v1);
	ck_assert(!v0->time.singleshot.active);
	ck_assert(!v1->time.periodic.active);
	vcpu_singleshot_set(v0, harness_now + 5);
	harness_now += MILLISECS(5);
	run_timers();
	ck_assert_uint_eq(events(0), 0);
	ck_assert_uint_eq(events(1), 1);	/* the one at set time */
}
END_TEST

static unsigned int fired, running_seen;

static void count_fn(void *data)
{
	struct timer *t = data;

	fired++;
	running_seen = t->running;
}

/* The timer queues: migrate_timer() and kill_timer(). */
START_TEST(timer_migrate_kill)
{
	struct timer t, zeroed;

	memset(&zeroed, 0, sizeof(zeroed));
	nr_cpus_online = 2;
	fired = 0;
	timer_init(&t, count_fn, &t, 0);
	set_timer(&t, harness_now + 10);
	migrate_timer(&t, 1);
	ck_assert_uint_eq(t.cpu, 1);
	ck_assert(t.active);
	harness_now += 10;
	run_timers();				/* CPU 0: nothing there */
	ck_assert_uint_eq(fired, 0);
	harness_cpu = 1;
	run_timers();
	ck_assert_uint_eq(fired, 1);
	ck_assert_uint_eq(running_seen, 1);
	ck_assert_uint_eq(t.running, 0);

	migrate_timer(&t, 0);		/* not queued: just moves */
	ck_assert_uint_eq(t.cpu, 0);
	ck_assert(!t.active);
	set_timer(&t, harness_now + 10);
	kill_timer(&t);
	ck_assert(!t.active);
	set_timer(&t, harness_now + 10);	/* ignored once killed */
	ck_assert(!t.active);
	kill_timer(&zeroed);
}
END_TEST

SUITE(guest_time)
{
	Suite *s = suite_create("guest_time");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scale_of_khz);
	tcase_add_test(tc, pvclock_is_system_time);
	tcase_add_test(tc, monotonic_across_vcpus);
	tcase_add_test(tc, primary_copy);
	tcase_add_test(tc, vcpu_info_moves);
	tcase_add_test(tc, wallclock);
	tcase_add_test(tc, time_area);
	tcase_add_test(tc, runstate_area);
	tcase_add_test(tc, runstate_switches);
	tcase_add_test(tc, vm_assist);
	tcase_add_test(tc, vcpu_op_errors);
	tcase_add_test(tc, get_runstate_info);
	tcase_add_test(tc, singleshot);
	tcase_add_test(tc, set_timer_op);
	tcase_add_test(tc, periodic);
	tcase_add_test(tc, destroy_kills_timers);
	tcase_add_test(tc, timer_migrate_kill);
	suite_add_tcase(s, tc);
	return s;
}
