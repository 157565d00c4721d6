// SPDX-License-Identifier: GPL-2.0
/*
 * The credit scheduler, after Xen's credit1: proportional share by
 * weight, optional caps, per-CPU run queues, work-conserving.
 *
 * Credit is CPU time in nanoseconds. Every accounting period (30 ms) the
 * boot CPU hands out one period of credit per online CPU to the active
 * domains in proportion to their weights, split among their active
 * vCPUs (never more than one CPU's worth per vCPU, nor more than the
 * domain's cap). A running vCPU burns credit at the rate it runs. A vCPU
 * with credit is UNDER, one without is OVER; a vCPU woken from blocking
 * with credit left is BOOSTed until its next tick, for latency. Each CPU
 * runs the best vCPU of its queue (FIFO within a priority) for a time
 * slice of 30 ms, re-checked at each 10 ms tick; a CPU with nothing
 * UNDER to run steals a better vCPU from another CPU's queue, which is
 * how load is balanced; a waking vCPU that cannot preempt its own CPU
 * wakes an idle one to steal it. OVER vCPUs still run when nothing else
 * wants the CPU, so no CPU idles while a vCPU could run there; a capped
 * domain's vCPUs are parked while their credit is negative.
 *
 * Locking: each CPU's run queue lock covers its queue, its current vCPU,
 * and the (s) fields of every vCPU whose processor it is. A vCPU moves
 * to another CPU only with both locks held, the second taken with a
 * trylock (steal) or in CPU order (move). is_running stays set until the
 * vCPU's state is saved, so no CPU starts a vCPU another still holds.
 * cpu_refs counts the CPUs that have a vCPU as current or are still
 * switching away from it (which touches it after is_running is clear):
 * a dead domain is freed only once every vCPU's count is 0.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/spinlock.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <lamina/xmalloc.h>
#include <asm/debugreg.h>
#include <asm/fpu.h>
#include <asm/hvm/hvm.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <xen/vcpu.h>

#define TICK		MILLISECS(10)
#define TSLICE		MILLISECS(30)
#define ACCT_PERIOD	MILLISECS(30)

enum sched_pri { PRI_IDLE = -1, PRI_OVER, PRI_UNDER, PRI_BOOST };

struct sched_vcpu {
	struct vcpu *v;
	struct sched_vcpu *prev, *next;	/* (s) run queue links */
	bool on_runq;			/* (s) */
	bool boost;			/* (s) woke from blocking */
	bool yield;			/* (s) prefer others once */
	bool parked;			/* over its cap this period, atomic */
	bool active;			/* wanted the CPU this period, atomic */
	int64_t credit;			/* ns, atomic */
	s_time_t burn_from;		/* (s) credit burnt up to here */
};

struct sched_cpu {
	spinlock_t lock;
	struct sched_vcpu *head, *tail;	/* the run queue */
	struct vcpu *curr;
	s_time_t slice_end;
	struct timer tick;
	bool online;
};

static struct sched_cpu sched_cpus[CONFIG_NR_CPUS];
static struct timer acct_timer;

static struct sched_vcpu *SV(const struct vcpu *v)
{
	return v->sched_priv;
}

static struct sched_cpu *SC(unsigned int cpu)
{
	return &sched_cpus[cpu];
}

struct vcpu *current_vcpu(void)
{
	return SC(smp_processor_id())->curr;
}

static bool vcpu_runnable(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return !__atomic_load_n(&v->pause_flags, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&v->pause_count, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&d->is_shut_down, __ATOMIC_SEQ_CST);
}

static int64_t credit_of(const struct sched_vcpu *sv)
{
	return __atomic_load_n(&sv->credit, __ATOMIC_SEQ_CST);
}

static enum sched_pri pri_of(const struct sched_vcpu *sv)
{
	if (sv->boost)
		return PRI_BOOST;
	return credit_of(sv) > 0 ? PRI_UNDER : PRI_OVER;
}

/* Run queue of one CPU: a FIFO; the pick scans it (queues are short). */
static void runq_add(struct sched_cpu *sc, struct sched_vcpu *sv)
{
	sv->next = NULL;
	sv->prev = sc->tail;
	if (sc->tail)
		sc->tail->next = sv;
	else
		sc->head = sv;
	sc->tail = sv;
	sv->on_runq = true;
	__atomic_store_n(&sv->active, true, __ATOMIC_SEQ_CST);
}

static void runq_del(struct sched_cpu *sc, struct sched_vcpu *sv)
{
	if (sv->prev)
		sv->prev->next = sv->next;
	else
		sc->head = sv->next;
	if (sv->next)
		sv->next->prev = sv->prev;
	else
		sc->tail = sv->prev;
	sv->prev = sv->next = NULL;
	sv->on_runq = false;
}

/* May sv be picked to run on cpu now? */
static bool pickable(const struct sched_vcpu *sv, unsigned int cpu,
		     const struct vcpu *prev)
{
	const struct vcpu *v = sv->v;

	return (!v->is_running || v == prev) &&
	       !__atomic_load_n(&sv->parked, __ATOMIC_SEQ_CST) &&
	       cpumask_test(&v->affinity, cpu) && vcpu_runnable(v);
}

/* The first vCPU of the best priority; a yielding one goes last. */
static struct sched_vcpu *runq_best(struct sched_cpu *sc, unsigned int cpu,
				    const struct vcpu *prev)
{
	struct sched_vcpu *sv, *best = NULL;
	int best_pri = PRI_IDLE - 1;

	for (sv = sc->head; sv; sv = sv->next) {
		int pri = pickable(sv, cpu, prev) ? pri_of(sv) : PRI_IDLE - 1;

		if (pri == PRI_IDLE - 1)
			continue;
		if (pri > best_pri || (pri == best_pri && best->yield &&
				       !sv->yield)) {
			best = sv;
			best_pri = pri;
		}
	}
	return best;
}

static void runstate_set(struct vcpu *v, int state, s_time_t now)
{
	if (now > v->runstate_entry)
		v->runstate_time[v->runstate] += now - v->runstate_entry;
	v->runstate_entry = now;
	v->runstate = state;
}

/* The runstate of a vCPU that is not running. */
static int idle_state(const struct vcpu *v)
{
	if (vcpu_runnable(v))
		return RUNSTATE_runnable;
	if (__atomic_load_n(&v->pause_flags, __ATOMIC_SEQ_CST) == VPF_blocked)
		return RUNSTATE_blocked;
	return RUNSTATE_offline;
}

uint64_t vcpu_runtime(const struct vcpu *v)
{
	uint64_t t = v->runstate_time[RUNSTATE_running];
	s_time_t now = NOW();

	if (v->runstate == RUNSTATE_running && now > v->runstate_entry)
		t += now - v->runstate_entry;
	return t;
}

/* Charge the running vCPU for its time since burn_from. */
static void burn(struct sched_vcpu *sv, s_time_t now)
{
	if (now <= sv->burn_from)
		return;
	__atomic_sub_fetch(&sv->credit, now - sv->burn_from, __ATOMIC_SEQ_CST);
	sv->burn_from = now;
}

/* Lock v's CPU; v may move between reading processor and locking. */
static struct sched_cpu *lock_vcpu(const struct vcpu *v)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&v->processor,
						   __ATOMIC_SEQ_CST);

		spin_lock(&SC(cpu)->lock);
		if (cpu == v->processor)
			return SC(cpu);
		spin_unlock(&SC(cpu)->lock);
	}
}

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r)
{
	struct sched_cpu *sc = lock_vcpu(v);
	s_time_t delta;

	r->state = v->runstate;
	r->state_entry_time = (uint64_t)v->runstate_entry;
	memcpy(r->time, v->runstate_time, sizeof(r->time));
	spin_unlock(&sc->lock);
	delta = NOW() - (s_time_t)r->state_entry_time;
	if (delta > 0)
		r->time[r->state] += (uint64_t)delta;
}

static void kick(unsigned int cpu)
{
	cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

/* An idle CPU that v may use, woken so that it steals v; else none. */
static void tickle_idler(const struct vcpu *v)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (SC(cpu)->online && !SC(cpu)->curr &&
		    cpumask_test(&v->affinity, cpu) && cpu != v->processor) {
			kick(cpu);
			return;
		}
}

static unsigned int first_allowed_cpu(const struct vcpu *v)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (SC(cpu)->online && cpumask_test(&v->affinity, cpu))
			return cpu;
	return v->processor;
}

/* Move a vCPU that is neither running nor queued to an allowed CPU. */
static void vcpu_move_allowed(struct vcpu *v)
{
	unsigned int from = v->processor, to = first_allowed_cpu(v);
	struct sched_cpu *a = SC(MIN(from, to)), *b = SC(MAX(from, to));

	if (from == to)
		return;
	spin_lock(&a->lock);
	if (a != b && !spin_trylock(&b->lock)) {
		spin_unlock(&a->lock);
		return;		/* contended: the next wake-up tries again */
	}
	if (v->processor == from && !v->is_running && !SV(v)->on_runq)
		v->processor = to;
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

void vcpu_wake(struct vcpu *v)
{
	struct sched_vcpu *sv = SV(v);
	struct sched_cpu *sc;
	s_time_t now = NOW();

	if (!cpumask_test(&v->affinity, v->processor))
		vcpu_move_allowed(v);
	sc = lock_vcpu(v);
	if (v->is_running || sv->on_runq) {
		spin_unlock(&sc->lock);
		return;
	}
	if (!vcpu_runnable(v)) {
		runstate_set(v, idle_state(v), now);
		spin_unlock(&sc->lock);
		return;
	}
	if (v->runstate == RUNSTATE_blocked && credit_of(sv) > 0)
		sv->boost = true;
	runstate_set(v, RUNSTATE_runnable, now);
	runq_add(sc, sv);
	if (!sc->curr || pri_of(sv) > pri_of(SV(sc->curr)))
		kick(v->processor);
	else
		tickle_idler(v);
	spin_unlock(&sc->lock);
}

void vcpu_sleep_nosync(struct vcpu *v)
{
	struct sched_cpu *sc = lock_vcpu(v);

	if (!vcpu_runnable(v)) {
		if (SV(v)->on_runq)
			runq_del(sc, SV(v));
		if (v->is_running)
			kick(v->processor);
		else
			runstate_set(v, idle_state(v), NOW());
	}
	spin_unlock(&sc->lock);
}

void vcpu_sleep_sync(struct vcpu *v)
{
	BUG_ON(v == current_vcpu());
	vcpu_sleep_nosync(v);
	while (__atomic_load_n(&v->is_running, __ATOMIC_SEQ_CST) &&
	       !vcpu_runnable(v))
		cpu_relax();
}

void vcpu_pause_nosync(struct vcpu *v)
{
	__atomic_add_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST);
	vcpu_sleep_nosync(v);
}

void vcpu_pause(struct vcpu *v)
{
	__atomic_add_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST);
	vcpu_sleep_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
	if (!__atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST))
		vcpu_wake(v);
}

/*
 * Blocking for events. Until event channels exist, an event is the
 * event_pending flag: vcpu_send_event() sets it, and a block that it
 * ends (or that finds it set) consumes it.
 */
void vcpu_block(struct vcpu *v)
{
	__atomic_or_fetch(&v->pause_flags, VPF_blocked, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&v->event_pending, false, __ATOMIC_SEQ_CST)) {
		__atomic_and_fetch(&v->pause_flags, ~VPF_blocked,
				   __ATOMIC_SEQ_CST);
		return;
	}
	vcpu_sleep_nosync(v);
}

void vcpu_send_event(struct vcpu *v)
{
	__atomic_store_n(&v->event_pending, true, __ATOMIC_SEQ_CST);
	if (__atomic_fetch_and(&v->pause_flags, ~VPF_blocked,
			       __ATOMIC_SEQ_CST) & VPF_blocked) {
		__atomic_store_n(&v->event_pending, false, __ATOMIC_SEQ_CST);
		vcpu_wake(v);
	}
}

void vcpu_yield(struct vcpu *v)
{
	struct sched_cpu *sc = lock_vcpu(v);

	SV(v)->yield = true;
	spin_unlock(&sc->lock);
	raise_softirq(SCHEDULE_SOFTIRQ);
}

int vcpu_set_affinity(struct vcpu *v, const cpumask_t *mask)
{
	struct sched_cpu *sc;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (SC(cpu)->online && cpumask_test(mask, cpu))
			break;
	if (cpu == CONFIG_NR_CPUS)
		return -EINVAL;
	sc = lock_vcpu(v);
	v->affinity = *mask;
	if (!cpumask_test(mask, v->processor)) {
		if (SV(v)->on_runq)
			runq_del(sc, SV(v));
		kick(v->processor);	/* schedule() re-homes it */
	}
	spin_unlock(&sc->lock);
	if (!v->is_running)
		vcpu_wake(v);
	return 0;
}

/*
 * With this CPU's lock held and nothing better than min_pri to run:
 * take a better waiting vCPU from another CPU's queue, if one may run
 * here. Trylock only, so two CPUs stealing from each other cannot
 * deadlock.
 */
static struct sched_vcpu *steal(unsigned int cpu, int min_pri)
{
	unsigned int i;

	for (i = 1; i < CONFIG_NR_CPUS; i++) {
		unsigned int peer = (cpu + i) % CONFIG_NR_CPUS;
		struct sched_cpu *pc = SC(peer);
		struct sched_vcpu *sv;

		if (!pc->online || !pc->head || !spin_trylock(&pc->lock))
			continue;
		sv = runq_best(pc, cpu, NULL);
		if (sv && pri_of(sv) > min_pri) {
			runq_del(pc, sv);
			sv->v->processor = cpu;
			spin_unlock(&pc->lock);
			return sv;
		}
		spin_unlock(&pc->lock);
	}
	return NULL;
}

static void ctxt_switch_from(struct vcpu *prev)
{
	vcpu_time_sched_out(prev);
	fpu_save(prev);
	debugreg_save(prev);
	if (hvm_ops->vcpu_ctxt_switch_from)
		hvm_ops->vcpu_ctxt_switch_from(prev);
}

static void ctxt_switch_to(struct vcpu *next)
{
	fpu_restore(next);
	debugreg_restore(next);
	vcpu_time_sched_in(next);
}

/* SCHEDULE_SOFTIRQ: choose what this CPU runs next and switch to it. */
static void schedule(void)
{
	unsigned int cpu = smp_processor_id();
	struct sched_cpu *sc = SC(cpu);
	struct sched_vcpu *best;
	struct vcpu *prev, *next;
	s_time_t now = NOW();

	spin_lock(&sc->lock);
	prev = sc->curr;
	if (prev) {
		burn(SV(prev), now);
		if (vcpu_runnable(prev) && cpumask_test(&prev->affinity, cpu) &&
		    !SV(prev)->on_runq)
			runq_add(sc, SV(prev));
	}
	best = runq_best(sc, cpu, prev);
	if (!best || pri_of(best) < PRI_UNDER) {
		struct sched_vcpu *stolen =
			steal(cpu, best ? pri_of(best) : PRI_IDLE);

		if (stolen)
			best = stolen;
		else if (best)
			runq_del(sc, best);
	} else {
		runq_del(sc, best);
	}
	next = best ? best->v : NULL;
	if (prev && prev != next)
		runstate_set(prev, idle_state(prev), now);
	if (next) {
		SV(next)->yield = false;
		SV(next)->burn_from = now;
		if (next != prev) {
			__atomic_add_fetch(&next->cpu_refs, 1, __ATOMIC_SEQ_CST);
			next->is_running = true;
			cpumask_set(&next->ran_on, cpu);
			runstate_set(next, RUNSTATE_running, now);
			sc->slice_end = now + TSLICE;
		} else if (now >= sc->slice_end) {
			sc->slice_end = now + TSLICE;
		}
		set_timer(&sc->tick, MIN(now + TICK, sc->slice_end));
	} else {
		stop_timer(&sc->tick);
	}
	sc->curr = next;
	spin_unlock(&sc->lock);

	if (prev == next)
		return;
	if (prev) {
		ctxt_switch_from(prev);
		__atomic_store_n(&prev->is_running, false, __ATOMIC_SEQ_CST);
		/* Queued (or woken) while its state was still here. */
		if (SV(prev)->on_runq)
			tickle_idler(prev);
		else
			vcpu_wake(prev);
		/* The last touch: from here its domain may be freed. */
		__atomic_sub_fetch(&prev->cpu_refs, 1, __ATOMIC_SEQ_CST);
	}
	if (next)
		ctxt_switch_to(next);
}

/* Every 10 ms while a vCPU runs: burn credit, end the boost, preempt. */
static void tick(void *data)
{
	struct sched_cpu *sc = data;
	struct sched_vcpu *best;
	s_time_t now = NOW();
	bool resched = false;

	spin_lock(&sc->lock);
	if (sc->curr) {
		struct sched_vcpu *cur = SV(sc->curr);

		burn(cur, now);
		cur->boost = false;
		best = runq_best(sc, smp_processor_id(), NULL);
		resched = now >= sc->slice_end ||
			  (best && pri_of(best) > pri_of(cur)) ||
			  __atomic_load_n(&cur->parked, __ATOMIC_SEQ_CST);
		set_timer(&sc->tick, now + TICK);
	}
	spin_unlock(&sc->lock);
	if (resched)
		raise_softirq(SCHEDULE_SOFTIRQ);
}

/* Share one period of every CPU among the active vCPUs, by weight. */
static void account_domain(struct domain *d, int64_t share)
{
	unsigned int i, nr_active = 0;
	int64_t each;

	for (i = 0; i < d->max_vcpus; i++)
		nr_active += __atomic_load_n(&SV(d->vcpu[i])->active,
					     __ATOMIC_SEQ_CST);
	if (!nr_active)
		return;
	if (d->cap)
		share = MIN(share, ACCT_PERIOD * (int64_t)d->cap / 100);
	each = MIN(share / nr_active, ACCT_PERIOD);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];
		struct sched_vcpu *sv = SV(v);
		int64_t c;
		bool was_parked;

		if (!__atomic_load_n(&sv->active, __ATOMIC_SEQ_CST))
			continue;
		c = __atomic_add_fetch(&sv->credit, each, __ATOMIC_SEQ_CST);
		if (c > ACCT_PERIOD || c < -ACCT_PERIOD) {
			c = c > 0 ? ACCT_PERIOD : -ACCT_PERIOD;
			__atomic_store_n(&sv->credit, c, __ATOMIC_SEQ_CST);
		}
		was_parked = __atomic_exchange_n(&sv->parked, d->cap && c < 0,
						 __ATOMIC_SEQ_CST);
		if (was_parked && c >= 0)
			kick(v->processor);
		/* Active next period only if it still wants the CPU. */
		if (!v->is_running && !sv->on_runq)
			__atomic_store_n(&sv->active, false, __ATOMIC_SEQ_CST);
	}
}

static bool domain_active(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (__atomic_load_n(&SV(d->vcpu[i])->active, __ATOMIC_SEQ_CST))
			return true;
	return false;
}

struct acct {
	uint64_t weights;	/* of the active domains */
	int64_t total;		/* credit to share this period */
};

static void sum_weights(struct domain *d, void *arg)
{
	struct acct *a = arg;

	if (domain_active(d))
		a->weights += d->weight;
}

static void give_credit(struct domain *d, void *arg)
{
	struct acct *a = arg;

	if (a->weights && domain_active(d))
		account_domain(d, a->total * (int64_t)d->weight /
				  (int64_t)a->weights);
}

static void account(void *unused __unused)
{
	struct acct a = { 0, ACCT_PERIOD * (int64_t)nr_cpus_online };

	domain_for_each(sum_weights, &a);
	domain_for_each(give_credit, &a);
	set_timer(&acct_timer, NOW() + ACCT_PERIOD);
}

int sched_init_vcpu(struct vcpu *v, unsigned int cpu)
{
	struct sched_vcpu *sv = xzalloc(struct sched_vcpu);

	if (!sv)
		return -ENOMEM;
	sv->v = v;
	v->sched_priv = sv;
	v->processor = cpu;
	v->runstate = RUNSTATE_offline;
	v->runstate_entry = NOW();
	return 0;
}

void sched_destroy_vcpu(struct vcpu *v)
{
	struct sched_vcpu *sv = v->sched_priv;

	if (!sv)
		return;
	BUG_ON(sv->on_runq || v->is_running || v->cpu_refs);
	xfree(sv);
	v->sched_priv = NULL;
}

bool sched_may_enter(struct vcpu *v)
{
	unsigned int cpu = smp_processor_id();

	return !softirq_pending(cpu) && SC(cpu)->curr == v &&
	       vcpu_runnable(v);
}

void sched_init(void)
{
	open_softirq(SCHEDULE_SOFTIRQ, schedule);
	timer_init(&acct_timer, account, NULL, 0);
	sched_init_cpu(0);
	set_timer(&acct_timer, NOW() + ACCT_PERIOD);
}

bool sched_cpu_online(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS &&
	       __atomic_load_n(&SC(cpu)->online, __ATOMIC_SEQ_CST);
}

void sched_init_cpu(unsigned int cpu)
{
	struct sched_cpu *sc = SC(cpu);

	spin_lock_init(&sc->lock, LOCK_LEVEL_SCHED, "runq");
	timer_init(&sc->tick, tick, sc, cpu);
	__atomic_store_n(&sc->online, true, __ATOMIC_SEQ_CST);
}

void __noreturn sched_idle_loop(void)
{
	unsigned int cpu = smp_processor_id();
	struct sched_cpu *sc = SC(cpu);

	for (;;) {
		struct vcpu *v;

		local_irq_disable();
		if (softirq_pending(cpu)) {
			local_irq_enable();
			do_softirq();
			continue;
		}
		v = sc->curr;
		if (!v) {
			safe_halt();	/* sti; hlt: no wake-up lost */
			continue;
		}
		local_irq_enable();
		if (!vcpu_runnable(v))
			raise_softirq(SCHEDULE_SOFTIRQ);
		else
			hvm_ops->vcpu_run(v);
	}
}
