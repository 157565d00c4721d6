/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_IO_H
#define ASM_X86_IO_H

#include <lamina/types.h>

#define DEFINE_PIO(sfx, type, reg)					\
static inline type in##sfx(uint16_t port)				\
{									\
	type v;								\
	__asm__ __volatile__("in" #sfx " %1, %0" : "=a"(v) : "Nd"(port)); \
	return v;							\
}									\
static inline void out##sfx(type v, uint16_t port)			\
{									\
	__asm__ __volatile__("out" #sfx " %0, %1" :: "a"(v), "Nd"(port)); \
}
DEFINE_PIO(b, uint8_t, al)
DEFINE_PIO(w, uint16_t, ax)
DEFINE_PIO(l, uint32_t, eax)
#undef DEFINE_PIO

static inline uint32_t mmio_read32(const volatile void *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void mmio_write32(volatile void *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

#endif /* ASM_X86_IO_H */
