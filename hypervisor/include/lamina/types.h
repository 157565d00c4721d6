/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_TYPES_H
#define LAMINA_TYPES_H

/* The compiler's freestanding headers: usable in the hypervisor and on the
 * host, where the unit tests compile the same sources. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#include <lamina/compiler.h>

typedef uint64_t paddr_t;	/* a machine (host-physical) address */
typedef int64_t s_time_t;	/* system time in ns since boot */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define KiB(x)		((uint64_t)(x) << 10)
#define MiB(x)		((uint64_t)(x) << 20)
#define GiB(x)		((uint64_t)(x) << 30)

#endif /* LAMINA_TYPES_H */
