/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_TIME_H
#define LAMINA_TIME_H

#include <lamina/types.h>

#define MILLISECS(ms)	((s_time_t)(ms) * 1000000LL)
#define SECONDS(s)	((s_time_t)(s) * 1000000000LL)

/* System time: ns since boot, from the TSC, monotonic on every CPU. */
s_time_t NOW(void);

#endif /* LAMINA_TIME_H */
