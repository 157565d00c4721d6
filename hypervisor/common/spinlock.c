// SPDX-License-Identifier: GPL-2.0
/*
 * Ticket spinlocks, and the lock-order checker of debug builds.
 *
 * The checker keeps, per CPU, the stack of locks held. Taking a lock whose
 * level is not strictly above the top of that stack is a hypervisor bug and
 * panics naming both locks: a wrong order shows on the first run that takes
 * the two locks, not on the rare run that deadlocks.
 */
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/spinlock.h>
#include <asm/processor.h>

#define LOCK_STACK_DEPTH 16

struct lock_stack {
	unsigned int depth;
	const spinlock_t *held[LOCK_STACK_DEPTH];
	unsigned int level[LOCK_STACK_DEPTH];	/* as taken (nesting) */
};

static struct lock_stack lock_stacks[CONFIG_NR_CPUS];

/*
 * A trylock never waits, so it cannot deadlock: no order to check. level
 * is l's own, plus the subclass of spin_lock_nested().
 */
static void order_check_acquire(spinlock_t *l, unsigned int level,
				bool is_trylock)
{
#ifdef CONFIG_DEBUG_LOCK_ORDER
	struct lock_stack *s = &lock_stacks[smp_processor_id()];
	const spinlock_t *top;
	unsigned int top_level;

	if (s->depth == LOCK_STACK_DEPTH)
		panic("lock order: too many locks held taking %s", l->name);
	top = s->depth ? s->held[s->depth - 1] : NULL;
	top_level = s->depth ? s->level[s->depth - 1] : 0;
	if (top && !is_trylock && level <= top_level)
		panic("lock order: taking %s (level %u) while holding %s (level %u)",
		      l->name, level, top->name, top_level);
	s->level[s->depth] = level;
	s->held[s->depth++] = l;
#else
	(void)l;
	(void)level;
	(void)is_trylock;
#endif
}

static void order_check_release(spinlock_t *l)
{
#ifdef CONFIG_DEBUG_LOCK_ORDER
	struct lock_stack *s = &lock_stacks[smp_processor_id()];
	unsigned int i;

	/* Locks are usually released in reverse order, but need not be. */
	for (i = s->depth; i-- > 0;) {
		if (s->held[i] != l)
			continue;
		for (; i + 1 < s->depth; i++) {
			s->held[i] = s->held[i + 1];
			s->level[i] = s->level[i + 1];
		}
		s->depth--;
		return;
	}
	panic("spinlock: releasing %s, which this CPU does not hold", l->name);
#else
	(void)l;
#endif
}

unsigned int spin_locks_held(void)
{
	return lock_stacks[smp_processor_id()].depth;
}

void spin_lock_init(spinlock_t *l, enum lock_level level, const char *name)
{
	*l = (spinlock_t)SPINLOCK_INIT(level, name);
}

static void lock_ticket(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	l->holder = (int16_t)smp_processor_id();
}

void spin_lock(spinlock_t *l)
{
	order_check_acquire(l, l->level, false);
	lock_ticket(l);
}

void spin_lock_nested(spinlock_t *l, unsigned int subclass)
{
	order_check_acquire(l, l->level + subclass, false);
	lock_ticket(l);
}

bool spin_trylock(spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint16_t expect = owner;

	/* Free exactly when next == owner: claim the ticket only then. */
	if (!__atomic_compare_exchange_n(&l->next, &expect,
					 (uint16_t)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	order_check_acquire(l, l->level, true);
	l->holder = (int16_t)smp_processor_id();
	return true;
}

void spin_unlock(spinlock_t *l)
{
	order_check_release(l);
	l->holder = -1;
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}
