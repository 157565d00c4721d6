// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's two timers, both raising VIRQ_TIMER on it (Xen's semantics):
 *
 * - the one-shot timer (VCPUOP_set_singleshot_timer, set_timer_op),
 *   which Linux reprograms for every tick. Only the vCPU itself sets or
 *   stops it, so those calls need no lock. It follows the vCPU to the CPU
 *   it is set from, as on Xen, so that it fires where the vCPU runs;
 * - the periodic timer (VCPUOP_set_periodic_timer). HVM vCPUs start
 *   without one (Xen 4.17 gives only PV vCPUs a default 100 Hz tick).
 *   It runs only while its vCPU is on a CPU: stopped when the vCPU is
 *   switched out; when it is switched in, an event is sent at once if a
 *   period has passed since the last one, and the timer restarts.
 *
 * Deadlines are guest system time, which is Lamina's system time: they
 * go to the timer queues as they are.
 */
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_time.h>
#include <lamina/hypercall.h>
#include <lamina/smp.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <xen/xen.h>

static void send_timer_event(struct vcpu *v)
{
	evtchn_send_virq(v, VIRQ_TIMER);
}

static void singleshot_fn(void *data)
{
	send_timer_event(data);
}

/*
 * With v->time.lock held: is a periodic event due now? The timer is
 * re-armed for the next one, on v's CPU (Xen's vcpu_periodic_timer_work).
 */
static bool periodic_work(struct vcpu *v)
{
	s_time_t now = NOW(), next = v->time.periodic_last + v->time.period;
	bool due = now >= next;

	if (due) {
		v->time.periodic_last = now;
		next = now + v->time.period;
	}
	migrate_timer(&v->time.periodic, v->processor);
	set_timer(&v->time.periodic, next);
	return due;
}

/* The periodic timer's work under its lock; the event after it. */
static void periodic_check(struct vcpu *v)
{
	bool due = false;

	spin_lock(&v->time.lock);
	if (v->time.period)
		due = periodic_work(v);
	spin_unlock(&v->time.lock);
	if (due)
		send_timer_event(v);
}

static void periodic_fn(void *data)
{
	periodic_check(data);
}

void vcpu_timers_init(struct vcpu *v)
{
	timer_init(&v->time.singleshot, singleshot_fn, v, v->processor);
	timer_init(&v->time.periodic, periodic_fn, v, v->processor);
}

void vcpu_timers_kill(struct vcpu *v)
{
	kill_timer(&v->time.singleshot);
	kill_timer(&v->time.periodic);
}

/*
 * timeout is compared as Xen's unsigned field: a value of 2^63 or more is
 * not past here, and then fires at once as a negative time (Xen's too).
 */
void vcpu_singleshot_set(struct vcpu *v, s_time_t timeout)
{
	if ((uint64_t)timeout < (uint64_t)NOW()) {
		stop_timer(&v->time.singleshot);
		send_timer_event(v);
		return;
	}
	migrate_timer(&v->time.singleshot, smp_processor_id());
	set_timer(&v->time.singleshot, timeout);
}

void vcpu_singleshot_stop(struct vcpu *v)
{
	stop_timer(&v->time.singleshot);
}

/*
 * Xen's workaround for old Linux jiffies arithmetic: a deadline that
 * wrapped negative or lies more than 2^50 ns (13 days) ahead becomes
 * "in 100 ms". A deadline already past fires at once.
 */
void vcpu_set_timer_op(struct vcpu *v, s_time_t timeout)
{
	s_time_t now = NOW(), offset = timeout - now;

	if (!timeout) {
		stop_timer(&v->time.singleshot);
	} else if (timeout < 0 || (offset > 0 && (offset >> 50))) {
		set_timer(&v->time.singleshot, now + MILLISECS(100));
	} else {
		migrate_timer(&v->time.singleshot, smp_processor_id());
		set_timer(&v->time.singleshot, timeout);
	}
}

void vcpu_periodic_set(struct vcpu *v, s_time_t period)
{
	bool due = false;

	spin_lock(&v->time.lock);
	stop_timer(&v->time.periodic);
	v->time.period = period;
	if (period)
		due = periodic_work(v);
	spin_unlock(&v->time.lock);
	if (due)
		send_timer_event(v);
}

void vcpu_periodic_sched_out(struct vcpu *v)
{
	spin_lock(&v->time.lock);
	stop_timer(&v->time.periodic);
	spin_unlock(&v->time.lock);
}

void vcpu_periodic_sched_in(struct vcpu *v)
{
	if (__atomic_load_n(&v->time.period, __ATOMIC_RELAXED))
		periodic_check(v);
}

/* A 64-bit deadline; from 32-bit code, in two halves (Xen's compat). */
long do_set_timer_op(struct vcpu *v, unsigned long *args)
{
	uint64_t timeout = hypercall_64bit(v) ? args[0] :
			   (uint32_t)args[0] | (uint64_t)args[1] << 32;

	vcpu_set_timer_op(v, (s_time_t)timeout);
	return 0;
}
