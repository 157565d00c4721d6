/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_SPINLOCK_H
#define LAMINA_SPINLOCK_H

#include <lamina/types.h>
#include <lamina/lock_levels.h>
#include <asm/irq.h>

/*
 * Ticket locks: fair, FIFO. Every lock has a level from lock_levels.h and a
 * name for the messages of the lock-order checker (CONFIG_DEBUG_LOCK_ORDER).
 * The _irqsave forms are for locks also taken from interrupt handlers.
 */
typedef struct spinlock {
	uint16_t owner;		/* ticket now being served */
	uint16_t next;		/* next ticket to hand out */
	uint16_t level;		/* enum lock_level */
	int16_t holder;		/* CPU holding it, -1 if none (debug aid) */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(lvl, nm) \
	{ .owner = 0, .next = 0, .level = (lvl), .holder = -1, .name = (nm) }
#define DEFINE_SPINLOCK(var, lvl) spinlock_t var = SPINLOCK_INIT(lvl, #var)

void spin_lock_init(spinlock_t *l, enum lock_level level, const char *name);
void spin_lock(spinlock_t *l);
/*
 * Two locks of one level held together, in an order the caller keeps
 * (two domains' locks: lower domain id first): the second is taken with
 * spin_lock_nested(l, 1), which the order checker treats as l's level
 * plus subclass. Leave that gap free in lock_levels.h.
 */
void spin_lock_nested(spinlock_t *l, unsigned int subclass);
bool spin_trylock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_is_locked(const spinlock_t *l);

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

/* How many locks the calling CPU holds (debug builds; 0 otherwise). */
unsigned int spin_locks_held(void);

#endif /* LAMINA_SPINLOCK_H */
