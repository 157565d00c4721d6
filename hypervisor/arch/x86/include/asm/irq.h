/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_IRQ_H
#define ASM_X86_IRQ_H

#define X86_EFLAGS_IF	(1UL << 9)

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long local_save_flags(void)
{
	unsigned long f;

	__asm__ __volatile__("pushf; pop %0" : "=r"(f) :: "memory");
	return f;
}

/* Disable interrupts; return the old RFLAGS for local_irq_restore(). */
static inline unsigned long local_irq_save(void)
{
	unsigned long f = local_save_flags();

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline bool local_irq_is_enabled(void)
{
	return local_save_flags() & X86_EFLAGS_IF;
}

#endif /* ASM_X86_IRQ_H */
