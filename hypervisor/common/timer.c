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
	struct timer *running;	/* whose function runs now (kill_timer) */
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

void set_timer(struct timer *t, s_time_t expires)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	bool first;

	if (t->active)
		dequeue(q, t);
	t->expires = expires;
	enqueue(q, t);
	first = q->head == t;
	spin_unlock_irqrestore(&q->lock, flags);
	/* A new earliest deadline: that CPU reprograms from its softirq. */
	if (first)
		cpu_raise_softirq(t->cpu, TIMER_SOFTIRQ);
}

void stop_timer(struct timer *t)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	if (t->active)
		dequeue(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
}

void kill_timer(struct timer *t)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags;
	bool running;

	/* From t's own function it would wait for itself. */
	BUG_ON(t->cpu == smp_processor_id() && q->running == t);
	do {
		flags = spin_lock_irqsave(&q->lock);
		if (t->active)
			dequeue(q, t);
		running = q->running == t;
		spin_unlock_irqrestore(&q->lock, flags);
		if (running)
			cpu_relax();
	} while (running);
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
		spin_unlock_irqrestore(&q->lock, flags);
		t->fn(t->data);
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
