/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in for asm/irq.h: user space cannot mask interrupts, and the
 * unit tests are single-threaded, so the "interrupt flag" is a variable. */
#ifndef TESTS_UNIT_ASM_IRQ_H
#define TESTS_UNIT_ASM_IRQ_H

#include <stdbool.h>

extern bool harness_irq_enabled;

static inline void local_irq_disable(void) { harness_irq_enabled = false; }
static inline void local_irq_enable(void) { harness_irq_enabled = true; }
static inline bool local_irq_is_enabled(void) { return harness_irq_enabled; }

static inline unsigned long local_irq_save(void)
{
	unsigned long f = harness_irq_enabled;

	harness_irq_enabled = false;
	return f;
}

static inline void local_irq_restore(unsigned long f)
{
	harness_irq_enabled = f;
}

#endif
