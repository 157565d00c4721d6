/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_DEBUG_H
#define LAMINA_DEBUG_H

#ifdef CONFIG_DEBUG
#define IS_DEBUG 1
/* crash_test=pf|ud|de|bug: fault on purpose once boot is complete. */
void debug_crash_test(void);
#else
#define IS_DEBUG 0
static inline void debug_crash_test(void) {}
#endif

#endif /* LAMINA_DEBUG_H */
