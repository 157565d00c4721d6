/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment <libfdt.h> (Debian's libfdt-dev) expects its includer
 * to provide, for the hypervisor: it comes first on the include path, so
 * libfdt.h picks it instead of the libc-based one in /usr/include. It
 * supplies the big-endian cell types and their conversions, and the
 * string functions from lamina/lib.h. The unit tests use it too, so the
 * host exercises the same definitions.
 */
#ifndef LAMINA_LIBFDT_ENV_H
#define LAMINA_LIBFDT_ENV_H

#include <lamina/types.h>
#include <lamina/lib.h>

/* Cells are big-endian in the blob; the types only document that. */
typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x)
{
	return __builtin_bswap16(x);
}

static inline fdt16_t cpu_to_fdt16(uint16_t x)
{
	return __builtin_bswap16(x);
}

static inline uint32_t fdt32_to_cpu(fdt32_t x)
{
	return __builtin_bswap32(x);
}

static inline fdt32_t cpu_to_fdt32(uint32_t x)
{
	return __builtin_bswap32(x);
}

static inline uint64_t fdt64_to_cpu(fdt64_t x)
{
	return __builtin_bswap64(x);
}

static inline fdt64_t cpu_to_fdt64(uint64_t x)
{
	return __builtin_bswap64(x);
}

#endif /* LAMINA_LIBFDT_ENV_H */
