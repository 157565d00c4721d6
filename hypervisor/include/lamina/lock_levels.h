/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_LOCK_LEVELS_H
#define LAMINA_LOCK_LEVELS_H

/*
 * The lock order, in one place (docs/locking.md explains it). A CPU may
 * take a lock only if its level is strictly above the level of every lock
 * it already holds; debug builds check this on every acquisition. Leave
 * gaps so that later subsystems can slot in.
 */
enum lock_level {
	LOCK_LEVEL_TEST_LOW	= 10,	/* unit tests only */
	LOCK_LEVEL_TEST_HIGH	= 20,	/* unit tests only */
	LOCK_LEVEL_DOMLIST	= 40,	/* the domain list */
	LOCK_LEVEL_GNTTAB	= 50,	/* a grant table: maps, allocates */
	LOCK_LEVEL_CONSOLE_RX	= 55,	/* dom0's serial input: copies out */
	LOCK_LEVEL_DOMAIN	= 60,	/* a domain's pages: allocates */
	LOCK_LEVEL_P2M		= 70,	/* a domain's p2m: allocates, flushes */
	/* A domain's event channels: allocates, wakes vCPUs. Two domains'
	 * together: the higher id's is taken nested, as level 81. */
	LOCK_LEVEL_EVTCHN	= 80,
	LOCK_LEVEL_XMALLOC	= 100,	/* heap: may take the page allocator */
	LOCK_LEVEL_PAGE_ALLOC	= 110,
	LOCK_LEVEL_VCPU_POWER	= 130,	/* a vCPU's INIT/SIPI state: wakes */
	LOCK_LEVEL_SCHED	= 150,	/* a CPU's run queue: sets timers */
	LOCK_LEVEL_VCPU_TIME	= 170,	/* a vCPU's timers */
	LOCK_LEVEL_TIMER	= 200,	/* per-CPU timer queue */
	LOCK_LEVEL_IOAPIC	= 300,
	LOCK_LEVEL_CONSOLE	= 900,	/* printk: taken under anything */
};

#endif /* LAMINA_LOCK_LEVELS_H */
