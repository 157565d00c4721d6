// SPDX-License-Identifier: GPL-2.0
/* The domains of event_env.h. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "domain_env.h"
#include "event_env.h"
#include "hvm_env.h"
#include <lamina/hypercall.h>
#include <lamina/sched.h>
#include <lamina/timer.h>

struct domain *d0, *d1, *d2;

static struct domain *doms[EV_MAX_DOMS];
static unsigned int nr_doms;
static struct vcpu *env_vcpus[2];

/* ---- domains ------------------------------------------------------- */

static struct vcpu *ev_vcpu(struct domain *d, unsigned int id,
			    struct vcpu *v)
{
	if (!v)
		v = calloc(1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	v->domain = d;
	v->vcpu_id = id;
	cpumask_fill(&v->affinity);
	vcpu_info_init(v);
	ck_assert_int_eq(sched_init_vcpu(v, 0), 0);
	return v;
}

static void ev_add(struct domain *d, bool on_list)
{
	ck_assert_uint_lt(nr_doms, EV_MAX_DOMS);
	ck_assert_int_eq(evtchn_domain_init(d), 0);
	if (on_list)
		sim_domains[nr_doms] = d;
	doms[nr_doms++] = d;
}

struct domain *ev_domain(domid_t id, unsigned int nr, bool hw, bool on_list)
{
	struct domain *d = calloc(1, sizeof(*d));
	unsigned int i;

	ck_assert_ptr_nonnull(d);
	d->domain_id = id;
	d->is_hardware = hw;
	d->refcnt = 1;
	d->max_vcpus = nr;
	d->vcpu = calloc(nr, sizeof(*d->vcpu));
	ck_assert_ptr_nonnull(d->vcpu);
	ck_assert_int_eq(shared_info_init(d), 0);
	for (i = 0; i < nr; i++)
		d->vcpu[i] = ev_vcpu(d, i, NULL);
	ev_add(d, on_list);
	return d;
}

void event_env_setup(void)
{
	hvm_env_setup();
	timers_init();
	sched_init();
	sim_domains_clear();
	nr_doms = 0;
	d1 = &env.dom;
	d1->refcnt = 1;
	d1->max_vcpus = 2;
	d1->vcpu = env_vcpus;
	ck_assert_int_eq(shared_info_init(d1), 0);
	env_vcpus[0] = ev_vcpu(d1, 0, &env.vcpu);
	env_vcpus[1] = ev_vcpu(d1, 1, NULL);
	ev_add(d1, true);
	d0 = ev_domain(0, 1, true, true);
	d2 = ev_domain(2, 2, false, true);
}

void event_env_teardown(void)
{
	unsigned int i, j;

	for (i = 0; i < nr_doms; i++)
		ck_assert_msg(doms[i]->refcnt == 1, "d%u: %u references",
			      doms[i]->domain_id, doms[i]->refcnt);
	for (i = 0; i < nr_doms; i++) {
		struct domain *d = doms[i];

		d->is_dying = true;
		evtchn_domain_free(d);
		shared_info_free(d);
		/* The scheduler's per-vCPU data goes with the machine
		 * memory (a woken vCPU is on a run queue). */
		for (j = 0; j < d->max_vcpus; j++) {
			if (d->vcpu[j] != &env.vcpu)
				free(d->vcpu[j]);
		}
		if (d != &env.dom) {
			free(d->vcpu);
			free(d);
		}
	}
	nr_doms = 0;
	hvm_env_teardown();
}

/* ---- the 2-level words ----------------------------------------------- */

#define WORD(port)	((port) / 64)
#define BIT(port)	(1UL << ((port) % 64))

bool ev_pending(struct domain *d, evtchn_port_t port)
{
	return __atomic_load_n(&d->shared_info->evtchn_pending[WORD(port)],
			       __ATOMIC_SEQ_CST) & BIT(port);
}

bool ev_masked(struct domain *d, evtchn_port_t port)
{
	return __atomic_load_n(&d->shared_info->evtchn_mask[WORD(port)],
			       __ATOMIC_SEQ_CST) & BIT(port);
}

void ev_mask(struct domain *d, evtchn_port_t port)
{
	__atomic_or_fetch(&d->shared_info->evtchn_mask[WORD(port)], BIT(port),
			  __ATOMIC_SEQ_CST);
}

void ev_clear(struct domain *d, evtchn_port_t port)
{
	__atomic_and_fetch(&d->shared_info->evtchn_pending[WORD(port)],
			   ~BIT(port), __ATOMIC_SEQ_CST);
}

unsigned long ev_sel(struct domain *d, unsigned int vcpu)
{
	return __atomic_load_n(&d->vcpu[vcpu]->vcpu_info->evtchn_pending_sel,
			       __ATOMIC_SEQ_CST);
}

uint8_t ev_upcall(struct domain *d, unsigned int vcpu)
{
	return __atomic_load_n(
		&d->vcpu[vcpu]->vcpu_info->evtchn_upcall_pending,
		__ATOMIC_SEQ_CST);
}

void ev_ack_all(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		d->vcpu[i]->vcpu_info->evtchn_pending_sel = 0;
		d->vcpu[i]->vcpu_info->evtchn_upcall_pending = 0;
	}
}
