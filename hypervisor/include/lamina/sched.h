/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_SCHED_H
#define LAMINA_SCHED_H

#include <lamina/cpumask.h>
#include <lamina/types.h>

struct vcpu;
struct domain;

/*
 * The scheduler: a proportional-share credit scheduler (the model is
 * Xen's credit1) over per-CPU run queues. See common/sched_credit.c.
 *
 * A vCPU runs when its pause_flags and pause_count (and its domain's)
 * are all clear. Whoever clears one calls vcpu_wake(); whoever sets one
 * calls vcpu_sleep_nosync() or vcpu_sleep_sync().
 */

/* Boot CPU, before any domain exists; then each CPU as it comes up. */
void sched_init(void);
void sched_init_cpu(unsigned int cpu);
/* Every CPU ends here: run vCPUs, or halt when there is nothing to run. */
void __noreturn sched_idle_loop(void);

/* Per-vCPU scheduler state, at vCPU creation and destruction. */
int sched_init_vcpu(struct vcpu *v, unsigned int cpu);
void sched_destroy_vcpu(struct vcpu *v);

/* The vCPU this CPU runs (NULL: the idle loop). */
struct vcpu *current_vcpu(void);

/* v may have become runnable: queue it. */
void vcpu_wake(struct vcpu *v);
/* v may no longer run: take it off its CPU soon / before returning. */
void vcpu_sleep_nosync(struct vcpu *v);
void vcpu_sleep_sync(struct vcpu *v);

/* Pause counts (nest). vcpu_pause() returns once v is off its CPU. */
void vcpu_pause(struct vcpu *v);
void vcpu_pause_nosync(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);

/*
 * From v's own exit handlers: block until an event is pending for v
 * (returns at once, clearing it, if one is), and give up the CPU.
 */
void vcpu_block(struct vcpu *v);
void vcpu_yield(struct vcpu *v);
/* An event for v: it is noted and a blocked v wakes. */
void vcpu_send_event(struct vcpu *v);

/* Restrict v to the CPUs in mask: 0, or -EINVAL if none is online. */
int vcpu_set_affinity(struct vcpu *v, const cpumask_t *mask);
/* Does cpu run the scheduler (brought up, in its idle loop)? */
bool sched_cpu_online(unsigned int cpu);

/*
 * For the vendor run loop, with interrupts off just before entering v:
 * may v be entered now? False once a softirq is pending on this CPU
 * (which includes a rescheduling request) or v cannot run.
 */
bool sched_may_enter(struct vcpu *v);

/* The vCPU's total run time in ns (RUNSTATE_running), up to now. */
uint64_t vcpu_runtime(const struct vcpu *v);
/* v's runstate accounting, the current state's time counted up to now
 * (VCPUOP_get_runstate_info). */
struct vcpu_runstate_info;
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r);

#endif /* LAMINA_SCHED_H */
