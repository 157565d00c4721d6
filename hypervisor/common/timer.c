// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU one-shot timer queues: a list sorted by expiry (the queues are
 * short; a heap can replace the list when a scheduler fills them). The
 * hardware timer of each CPU is programmed for the head of its queue.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/spinlock.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/processor.h>

struct timer_queue {
	spinlock_t lock;	/* protects head and every queued timer */
	struct timer *head;
	struct timer *running;	/* whose function runs here now */
};

static struct timer_queue queues[CONFIG_NR_CPUS];

static void dequeue(struct timer_queue *q, struct timer *t)
{
	struct timer **pp;

	for (pp = &q->head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->active = false;
	t->next = NULL;
}

static void enqueue(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	while (*pp && (*pp)->expires <= t->expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->active = true;
}

void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	BUG_ON(cpu >= CONFIG_NR_CPUS);
	*t = (struct timer){ .fn = fn, .data = data, .cpu = cpu };
}

/* Lock the queue of t's CPU; t may move between the read and the lock. */
static struct timer_queue *lock_queue(struct timer *t, unsigned long *flags)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		struct timer_queue *q = &queues[cpu];

		*flags = spin_lock_irqsave(&q->lock);
		if (cpu == t->cpu)
			return q;
		spin_unlock_irqrestore(&q->lock, *flags);
	}
}

void set_timer(struct timer *t, s_time_t expires)
{
	unsigned long flags;
	struct timer_queue *q = lock_queue(t, &flags);
	unsigned int cpu = t->cpu;
	bool first;

	if (t->killed) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	if (t->active)
		dequeue(q, t);
	t->expires = expires;
	enqueue(q, t);
	first = q->head == t;
	spin_unlock_irqrestore(&q->lock, flags);
	/* A new earliest deadline: that CPU reprograms from its softirq. */
	if (first)
		cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
}

void stop_timer(struct timer *t)
{
	unsigned long flags;
	struct timer_queue *q = lock_queue(t, &flags);

	if (t->active)
		dequeue(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Two queue locks are never held together: t leaves the old queue, its
 * CPU changes under the old lock (so lock_queue() callers retry), then
 * it is queued again on the new CPU.
 */
void migrate_timer(struct timer *t, unsigned int cpu)
{
	unsigned long flags;
	struct timer_queue *q;
	bool was_active;

	BUG_ON(cpu >= CONFIG_NR_CPUS);
	q = lock_queue(t, &flags);
	if (t->cpu == cpu) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	was_active = t->active;
	if (was_active)
		dequeue(q, t);
	__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&q->lock, flags);
	if (was_active)
		set_timer(t, t->expires);
}

void kill_timer(struct timer *t)
{
	unsigned long flags;
	struct timer_queue *q;

	/* From t's own function it would wait for itself. */
	BUG_ON(queues[smp_processor_id()].running == t);
	q = lock_queue(t, &flags);
	t->killed = true;
	if (t->active)
		dequeue(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
	while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/* Run what has expired, then program the hardware for what is left. */
static void timer_softirq(void)
{
	struct timer_queue *q = &queues[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	struct timer *t;

	while ((t = q->head) && t->expires <= NOW()) {
		dequeue(q, t);
		q->running = t;
		__atomic_add_fetch(&t->running, 1, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&q->lock, flags);
		t->fn(t->data);
		/* The last access to t: kill_timer() may free it after. */
		__atomic_sub_fetch(&t->running, 1, __ATOMIC_RELEASE);
		flags = spin_lock_irqsave(&q->lock);
		q->running = NULL;
	}
	arch_timer_program(q->head ? q->head->expires : 0);
	spin_unlock_irqrestore(&q->lock, flags);
}

void timers_init(void)
{
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++)
		spin_lock_init(&queues[i].lock, LOCK_LEVEL_TIMER, "timer_queue");
	open_softirq(TIMER_SOFTIRQ, timer_softirq);
}
