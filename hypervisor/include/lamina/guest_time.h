/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest time: what a guest's clock and timers are made of.
 *
 *   common/guest_time.c  pvclock (vcpu_time_info in each vcpu_info and
 *                        in a registered second copy), the wallclock in
 *                        shared_info, and the work done when a vCPU is
 *                        switched in and out
 *   common/vcpu_timer.c  the one-shot and periodic timers (VIRQ_TIMER)
 *   common/runstate.c    the registered runstate area, vm_assist
 *
 * Guest system time is Lamina's system time (NOW(): ns since the
 * hypervisor started its clock), for every domain.
 */
#ifndef LAMINA_GUEST_TIME_H
#define LAMINA_GUEST_TIME_H

#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <lamina/types.h>

struct vcpu;
struct domain;
struct vcpu_time_info;

/* Work for a vCPU's next entry into the guest (vcpu_time.work). */
/* Just switched in: the runstate area and the periodic timer are due. */
#define VT_SCHED_IN	(1u << 0)
#define VT_TIME_AREA	(1u << 1)	/* the time area is out of date */

/*
 * A vCPU's time state (struct vcpu.time). The lock orders writes of the
 * vCPU's vcpu_time_info and covers the timers and period fields; the
 * rest is atomic. Guest-virtual areas can only be written through the
 * vCPU's own page tables, so the CPU running it writes them, with no
 * lock held (the copy takes the p2m lock): at its entries
 * (vcpu_time_enter()) and when it is switched out.
 */
struct vcpu_time {
	spinlock_t lock;
	struct timer singleshot;	/* VCPUOP_set_singleshot_timer */
	struct timer periodic;		/* VCPUOP_set_periodic_timer */
	s_time_t period;		/* 0: no periodic timer */
	s_time_t periodic_last;		/* the last periodic event */
	uint64_t time_area;		/* guest-virtual; 0: none */
	uint32_t time_area_version;	/* the last written there */
	uint64_t runstate_area;		/* guest-virtual; 0: none */
	unsigned int work;		/* VT_*, atomic */
	bool in_context;		/* entered here since its switch-in:
					 * its paging state is readable */
};

/*
 * The pvclock parameters of a vCPU whose TSC is the host's plus
 * tsc_offset (pure; common/guest_time.c): system time 0 at the TSC
 * value that meant system time 0, Lamina's own TSC scale, so that a
 * guest computes exactly NOW() from any TSC value it reads, whenever.
 * stable sets XEN_PVCLOCK_TSC_STABLE_BIT. The version is left alone.
 */
void pvclock_params(int64_t tsc_offset, bool stable,
		    struct vcpu_time_info *t);

/* shared_info's wc_* of a new domain: UTC at system time 0 (the RTC). */
void wallclock_init(struct domain *d);

/*
 * A new vCPU (after its arch state, so its TSC offset, exists): its
 * timers, and valid pvclock parameters in its vcpu_info at once.
 * vcpu_time_destroy() kills the timers: none of them runs after it.
 */
void vcpu_time_init(struct vcpu *v);
void vcpu_time_destroy(struct vcpu *v);

/* Rewrite v's vcpu_time_info (v->vcpu_info moved: VCPUOP_register_
 * vcpu_info), and its time area at its next entry. */
void vcpu_time_update(struct vcpu *v);
/* v's TSC offset changed: every vCPU of its domain is rewritten (the
 * TSC_STABLE flag depends on them all). */
void guest_time_tsc_changed(struct vcpu *v);

/* VCPUOP_register_vcpu_time_memory_area for v, by caller: 0 (Xen's
 * code for HVM even when gva is not mapped; gva 0 unregisters). */
int vcpu_time_area_register(struct vcpu *caller, struct vcpu *v,
			    uint64_t gva);

/*
 * The scheduler's hooks: v leaves its CPU (with its state still loaded
 * there), v was made the CPU's current vCPU. And the vendor run loop's:
 * v is about to enter the guest, its state loaded, interrupts on.
 */
void vcpu_time_sched_out(struct vcpu *v);
void vcpu_time_sched_in(struct vcpu *v);
void vcpu_time_enter(struct vcpu *v);

/* The timers (common/vcpu_timer.c). */
void vcpu_timers_init(struct vcpu *v);
void vcpu_timers_kill(struct vcpu *v);
/* v's one-shot timer at guest system time timeout; a time already past
 * fires VIRQ_TIMER now. v is the calling vCPU. */
void vcpu_singleshot_set(struct vcpu *v, s_time_t timeout);
void vcpu_singleshot_stop(struct vcpu *v);
/* set_timer_op: 0 stops; Xen's clamp of absurd deadlines to 100 ms. */
void vcpu_set_timer_op(struct vcpu *v, s_time_t timeout);
/* VIRQ_TIMER every period ns while v runs (Xen's rule); 0 stops. */
void vcpu_periodic_set(struct vcpu *v, s_time_t period);
/* From the switch hooks: stop v's periodic timer; restart it, with an
 * event if one is due. */
void vcpu_periodic_sched_out(struct vcpu *v);
void vcpu_periodic_sched_in(struct vcpu *v);

/* The runstate area (common/runstate.c): register (0, or as Xen), and
 * write it through the page tables of ctx (v itself, or the caller
 * registering it). */
int vcpu_runstate_area_register(struct vcpu *caller, struct vcpu *v,
				uint64_t gva);
void vcpu_runstate_area_write(struct vcpu *v, struct vcpu *ctx);

#endif /* LAMINA_GUEST_TIME_H */
