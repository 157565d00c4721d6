// SPDX-License-Identifier: GPL-2.0
/*
 * The credit scheduler on a simulated machine: simulated time, CPUs
 * that are the harness's CPU number, CPU-bound vCPUs that run whenever
 * the scheduler makes them current. Time advances from one timer
 * deadline to the next; each CPU runs its softirqs in between, as the
 * idle loop would. Figures are the scheduler's own run-time counters.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/hvm/hvm.h>
#include <asm/fpu.h>
#include <xen/vcpu.h>

#define SIM_CPUS	4
#define SIM_DOMS	4
#define FRAMES		2048

/* What the scheduler needs from the rest of the hypervisor. */
#define sim_now harness_now
static s_time_t deadline[SIM_CPUS];
static unsigned int fpu_saves, fpu_restores;

void arch_timer_program(s_time_t d)
{
	deadline[smp_processor_id()] = d;
}

void arch_kick_cpu(unsigned int cpu __unused)
{
	/* The simulation runs every CPU's softirqs after each step. */
}

void fpu_save(struct vcpu *v __unused)
{
	fpu_saves++;
}

void debugreg_save(struct vcpu *v __unused)
{
}

void debugreg_restore(struct vcpu *v __unused)
{
}

void fpu_restore(struct vcpu *v __unused)
{
	fpu_restores++;
}

static const struct hvm_ops sim_ops = { .name = "sim" };
const struct hvm_ops *hvm_ops = &sim_ops;

/* The domain list: the domains a test made. */
static struct domain doms[SIM_DOMS];
static struct vcpu vcpus[SIM_DOMS][2];
static struct vcpu *vcpu_ptrs[SIM_DOMS][2];
static unsigned int nr_doms;

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < nr_doms; i++)
		fn(&doms[i], arg);
}

static struct page_info *ft;

static void sim_start(unsigned int cpus)
{
	unsigned int i;

	harness_machine_memory(0, FRAMES * PAGE_SIZE);
	ft = calloc(FRAMES, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, FRAMES);
	page_alloc_add_free(1, FRAMES - 1);
	sim_now = MILLISECS(1);
	nr_cpus_online = cpus;
	harness_cpu = 0;
	timers_init();
	sched_init();
	for (i = 1; i < cpus; i++) {
		harness_cpu = i;
		sched_init_cpu(i);
	}
	harness_cpu = 0;
}

/* A domain of nr vCPUs, placed from CPU first, running. */
static struct domain *sim_domain(unsigned int nr, unsigned int weight,
				 unsigned int cap, unsigned int first)
{
	struct domain *d = &doms[nr_doms];
	unsigned int i;

	d->domain_id = nr_doms + 1;
	d->max_vcpus = nr;
	d->weight = weight;
	d->cap = cap;
	d->vcpu = vcpu_ptrs[nr_doms];
	for (i = 0; i < nr; i++) {
		struct vcpu *v = &vcpus[nr_doms][i];

		v->domain = d;
		v->vcpu_id = i;
		cpumask_fill(&v->affinity);
		d->vcpu[i] = v;
		ck_assert_int_eq(sched_init_vcpu(v, (first + i) %
						 nr_cpus_online), 0);
	}
	nr_doms++;
	for (i = 0; i < nr; i++)
		vcpu_wake(d->vcpu[i]);
	return d;
}

/* Each CPU runs its softirqs until it has none left. */
static void run_softirqs(void)
{
	bool again = true;
	unsigned int cpu;

	while (again) {
		again = false;
		for (cpu = 0; cpu < nr_cpus_online; cpu++) {
			harness_cpu = cpu;
			if (softirq_pending(cpu)) {
				do_softirq();
				again = true;
			}
		}
	}
	harness_cpu = 0;
}

/* Advance simulated time by span, firing timers as they expire. */
static void sim_run(s_time_t span)
{
	s_time_t end = sim_now + span;

	for (;;) {
		s_time_t next = end;
		unsigned int cpu;

		run_softirqs();
		for (cpu = 0; cpu < nr_cpus_online; cpu++)
			if (deadline[cpu] && deadline[cpu] < next)
				next = deadline[cpu];
		sim_now = MAX(next, sim_now);
		if (sim_now >= end)
			break;
		for (cpu = 0; cpu < nr_cpus_online; cpu++)
			if (deadline[cpu] && deadline[cpu] <= sim_now) {
				deadline[cpu] = 0;
				harness_cpu = cpu;
				raise_softirq(TIMER_SOFTIRQ);
			}
	}
	run_softirqs();
}

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

static void teardown(void)
{
	harness_cpu = 0;
	harness_machine_memory_free();
	free(ft);
	ft = NULL;
}

/* One CPU, weights 256 and 512: run times 1:2 within 10%. */
START_TEST(weights_share_one_cpu)
{
	struct domain *a, *b;
	double ra, rb;

	sim_start(1);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 512, 0, 0);
	sim_run(MILLISECS(10000));
	ra = ms(vcpu_runtime(a->vcpu[0]));
	rb = ms(vcpu_runtime(b->vcpu[0]));
	ck_assert_msg(rb / ra > 1.8 && rb / ra < 2.2,
		      "256: %.0f ms, 512: %.0f ms", ra, rb);
	/* Work-conserving: the CPU never idled. */
	ck_assert_msg(ra + rb > 9900, "busy %.0f ms of 10000", ra + rb);
	ck_assert_uint_gt(fpu_saves, 100);
}
END_TEST

/* Two CPUs, two vCPUs of different weights: each has a whole CPU. */
START_TEST(work_conserving_two_cpus)
{
	struct domain *a, *b;

	sim_start(2);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 512, 0, 0);
	sim_run(MILLISECS(3000));
	ck_assert_msg(ms(vcpu_runtime(a->vcpu[0])) > 2950 &&
		      ms(vcpu_runtime(b->vcpu[0])) > 2950,
		      "%.0f and %.0f ms of 3000",
		      ms(vcpu_runtime(a->vcpu[0])),
		      ms(vcpu_runtime(b->vcpu[0])));
}
END_TEST

/* Three equal vCPUs queued on CPU 0 of two: stealing spreads them. */
START_TEST(balance_three_on_two)
{
	struct domain *d[3];
	double total = 0;
	unsigned int i;

	sim_start(2);
	for (i = 0; i < 3; i++)
		d[i] = sim_domain(1, 256, 0, 0);
	sim_run(MILLISECS(6000));
	for (i = 0; i < 3; i++) {
		double r = ms(vcpu_runtime(d[i]->vcpu[0]));

		ck_assert_msg(r > 3600 && r < 4400, "d%u ran %.0f ms", i, r);
		total += r;
	}
	ck_assert_msg(total > 11900, "busy %.0f ms of 12000", total);
}
END_TEST

/* A cap of 50% holds even on an otherwise idle CPU. */
START_TEST(cap_limits)
{
	struct domain *a;
	double r;

	sim_start(1);
	a = sim_domain(1, 256, 50, 0);
	sim_run(MILLISECS(6000));
	r = ms(vcpu_runtime(a->vcpu[0]));
	ck_assert_msg(r > 2700 && r < 3300, "capped at 50%%: %.0f ms", r);
}
END_TEST

/* A two-vCPU domain and a one-vCPU domain of equal weight on 2 CPUs. */
START_TEST(weight_is_per_domain)
{
	struct domain *a, *b;
	double ra, rb;

	sim_start(2);
	a = sim_domain(2, 256, 0, 0);
	b = sim_domain(1, 256, 0, 0);
	sim_run(MILLISECS(6000));
	ra = ms(vcpu_runtime(a->vcpu[0]) + vcpu_runtime(a->vcpu[1]));
	rb = ms(vcpu_runtime(b->vcpu[0]));
	/* Each domain is owed one CPU: 6000 ms each. */
	ck_assert_msg(ra > 5400 && ra < 6600 && rb > 5400 && rb < 6600,
		      "2-vCPU domain %.0f ms, 1-vCPU domain %.0f ms", ra, rb);
}
END_TEST

static struct vcpu *curr_on(unsigned int cpu)
{
	struct vcpu *v;

	harness_cpu = cpu;
	v = current_vcpu();
	harness_cpu = 0;
	return v;
}

/* Blocking gives the CPU away; an event wakes the vCPU up. */
START_TEST(block_and_wake)
{
	struct domain *a, *b;
	struct vcpu *va;
	uint64_t before;

	sim_start(1);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 256, 0, 0);
	va = a->vcpu[0];
	sim_run(MILLISECS(100));
	while (curr_on(0) != va)
		sim_run(MILLISECS(10));
	/* The CPU holds it: a dead domain would not be freed yet. */
	ck_assert_uint_eq(va->cpu_refs, 1);
	vcpu_block(va);		/* from its own exit handler */
	ck_assert(va->pause_flags & VPF_blocked);
	sim_run(MILLISECS(1));
	ck_assert_ptr_eq(curr_on(0), b->vcpu[0]);
	/* Switched away from, to the end: no CPU holds it any more. */
	ck_assert_uint_eq(va->cpu_refs, 0);
	ck_assert_uint_eq(b->vcpu[0]->cpu_refs, 1);
	before = vcpu_runtime(va);
	sim_run(MILLISECS(500));
	ck_assert_uint_eq(vcpu_runtime(va), before);
	ck_assert_int_eq(va->runstate, RUNSTATE_blocked);
	vcpu_send_event(va);
	ck_assert(!(va->pause_flags & VPF_blocked));
	ck_assert_uint_ge(va->runstate_time[RUNSTATE_blocked],
			  MILLISECS(500));
	/* Woken with credit left: boosted, so it preempts at once. */
	sim_run(MILLISECS(1));
	ck_assert_ptr_eq(curr_on(0), va);
	sim_run(MILLISECS(1000));
	ck_assert_uint_gt(vcpu_runtime(va), before + MILLISECS(300));
}
END_TEST

/* An event that comes before the block: the block returns at once. */
START_TEST(event_before_block)
{
	struct domain *a;

	sim_start(1);
	a = sim_domain(1, 256, 0, 0);
	sim_run(MILLISECS(10));
	vcpu_send_event(a->vcpu[0]);
	vcpu_block(a->vcpu[0]);
	ck_assert(!(a->vcpu[0]->pause_flags & VPF_blocked));
	ck_assert(!a->vcpu[0]->event_pending);
	sim_run(MILLISECS(10));
	ck_assert_ptr_eq(curr_on(0), a->vcpu[0]);
}
END_TEST

/* A paused vCPU does not run; unpaused, it does again. */
START_TEST(pause_unpause)
{
	struct domain *a, *b;
	struct vcpu *va;
	uint64_t before;

	sim_start(1);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 256, 0, 0);
	va = a->vcpu[0];
	vcpu_pause_nosync(va);
	sim_run(MILLISECS(50));
	before = vcpu_runtime(va);
	sim_run(MILLISECS(500));
	ck_assert_uint_eq(vcpu_runtime(va), before);
	ck_assert_int_eq(va->runstate, RUNSTATE_offline);
	ck_assert_uint_gt(vcpu_runtime(b->vcpu[0]), MILLISECS(500));
	vcpu_unpause(va);
	sim_run(MILLISECS(1000));
	ck_assert_uint_gt(vcpu_runtime(va), before + MILLISECS(300));
}
END_TEST

/* Pinned to CPU 1: it moves there and never runs on CPU 0. */
START_TEST(affinity_pins)
{
	struct domain *a, *b;
	cpumask_t one;
	unsigned int i;

	sim_start(2);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 256, 0, 0);
	cpumask_clear(&one);
	cpumask_set(&one, 1);
	ck_assert_int_eq(vcpu_set_affinity(a->vcpu[0], &one), 0);
	ck_assert_int_eq(vcpu_set_affinity(b->vcpu[0], &one), 0);
	for (i = 0; i < 100; i++) {
		sim_run(MILLISECS(10));
		ck_assert(curr_on(0) == NULL);
	}
	ck_assert_uint_eq(a->vcpu[0]->processor, 1);
	ck_assert_uint_eq(b->vcpu[0]->processor, 1);
	/* Both share CPU 1 evenly, and ran nowhere else. */
	ck_assert_uint_gt(vcpu_runtime(a->vcpu[0]), MILLISECS(400));
	ck_assert_uint_gt(vcpu_runtime(b->vcpu[0]), MILLISECS(400));
	ck_assert(!memcmp(&a->vcpu[0]->ran_on, &one, sizeof(one)));
	ck_assert(!memcmp(&b->vcpu[0]->ran_on, &one, sizeof(one)));
}
END_TEST

START_TEST(affinity_without_online_cpu)
{
	struct domain *a;
	cpumask_t none;

	sim_start(2);
	a = sim_domain(1, 256, 0, 0);
	cpumask_clear(&none);
	ck_assert_int_eq(vcpu_set_affinity(a->vcpu[0], &none), -EINVAL);
	cpumask_set(&none, 3);		/* exists, but not online */
	ck_assert_int_eq(vcpu_set_affinity(a->vcpu[0], &none), -EINVAL);
	ck_assert(sched_cpu_online(0) && sched_cpu_online(1));
	ck_assert(!sched_cpu_online(3));
	ck_assert(!sched_cpu_online(CONFIG_NR_CPUS));
}
END_TEST

/* Yielding hands the CPU to the other vCPU of the same priority. */
START_TEST(yield_hands_over)
{
	struct domain *a, *b;
	struct vcpu *cur;

	sim_start(1);
	a = sim_domain(1, 256, 0, 0);
	b = sim_domain(1, 256, 0, 0);
	sim_run(MILLISECS(5));
	cur = curr_on(0);
	ck_assert_ptr_nonnull(cur);
	vcpu_yield(cur);
	sim_run(MILLISECS(1));
	ck_assert_ptr_eq(curr_on(0), cur == a->vcpu[0] ? b->vcpu[0] :
			 a->vcpu[0]);
}
END_TEST

/* A CPU with nothing to run has no vCPU and no tick armed. */
START_TEST(idle_cpu_idles)
{
	sim_start(2);
	sim_run(MILLISECS(100));
	ck_assert_ptr_null(curr_on(0));
	ck_assert_ptr_null(curr_on(1));
	ck_assert_int_eq(deadline[1], 0);
}
END_TEST

SUITE(sched)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("credit");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, weights_share_one_cpu);
	tcase_add_test(tc, work_conserving_two_cpus);
	tcase_add_test(tc, balance_three_on_two);
	tcase_add_test(tc, cap_limits);
	tcase_add_test(tc, weight_is_per_domain);
	tcase_add_test(tc, block_and_wake);
	tcase_add_test(tc, event_before_block);
	tcase_add_test(tc, pause_unpause);
	tcase_add_test(tc, affinity_pins);
	tcase_add_test(tc, affinity_without_online_cpu);
	tcase_add_test(tc, yield_hands_over);
	tcase_add_test(tc, idle_cpu_idles);
	suite_add_tcase(s, tc);
	return s;
}
