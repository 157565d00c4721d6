/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain list and hypercall preemption of the hypervisor, simulated
 * for the suites whose code looks domains up (grant tables, event
 * channels): domain_get_by_id() finds the domains in sim_domains (NULL
 * slots are skipped), references are counted atomically (threads may
 * take them), and hypercall_preempt_check() says yes at its
 * sim_preempt_in-th call from when it was set (0: never).
 */
#ifndef TESTS_UNIT_DOMAIN_ENV_H
#define TESTS_UNIT_DOMAIN_ENV_H

#include <lamina/domain.h>

#define SIM_MAX_DOMAINS	8

extern struct domain *sim_domains[SIM_MAX_DOMAINS];
extern unsigned int sim_preempt_in;

/* Empty the list; no preemption. */
void sim_domains_clear(void);

#endif /* TESTS_UNIT_DOMAIN_ENV_H */
