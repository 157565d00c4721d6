// SPDX-License-Identifier: GPL-2.0
/* The simulated domain list of domain_env.h. */
#include <string.h>

#include "harness.h"
#include "domain_env.h"
#include <lamina/hypercall.h>

struct domain *sim_domains[SIM_MAX_DOMAINS];
unsigned int sim_preempt_in;

void sim_domains_clear(void)
{
	memset(sim_domains, 0, sizeof(sim_domains));
	sim_preempt_in = 0;
}

struct domain *domain_get_by_id(domid_t id)
{
	unsigned int i;

	for (i = 0; i < SIM_MAX_DOMAINS; i++)
		if (sim_domains[i] && sim_domains[i]->domain_id == id) {
			domain_get(sim_domains[i]);
			return sim_domains[i];
		}
	return NULL;
}

void domain_get(struct domain *d)
{
	__atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
	ck_assert_uint_gt(__atomic_load_n(&d->refcnt, __ATOMIC_SEQ_CST), 0);
	__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

bool hypercall_preempt_check(void)
{
	return sim_preempt_in && --sim_preempt_in == 0;
}

long hypercall_continue(struct vcpu *v)
{
	v->hcall_continue = true;
	return 0;
}
