// SPDX-License-Identifier: GPL-2.0
/* Symbolized stack traces for crash reports. */
#include <lamina/lib.h>
#include <lamina/symbols.h>

extern const uint64_t symbols_count;
extern const uint64_t symbols_addrs[];
extern const uint32_t symbols_name_offs[];
extern const char symbols_names[];
extern const char __text_start[], __text_end[];

const char *symbols_lookup(uintptr_t addr, uintptr_t *offset,
			   uintptr_t *size)
{
	uint64_t lo = 0, hi = symbols_count;

	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end ||
	    !symbols_count || addr < symbols_addrs[0])
		return NULL;
	/* The last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (symbols_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - symbols_addrs[lo];
	*size = (lo + 1 < symbols_count ? symbols_addrs[lo + 1] :
		 (uintptr_t)__text_end) - symbols_addrs[lo];
	return symbols_names + symbols_name_offs[lo];
}

/*
 * A return address may point just past its function (a call to a noreturn
 * function ends it), so those are looked up one byte earlier.
 */
static void print_frame(uintptr_t addr, bool is_return)
{
	uintptr_t off, size;
	const char *name = symbols_lookup(addr - is_return, &off, &size);

	if (name)
		printk("    [<%016lx>] %s+0x%lx/0x%lx\n", addr, name,
		       off + is_return, size);
	else
		printk("    [<%016lx>] ?\n", addr);
}

static bool is_text(uintptr_t a)
{
	extern const char __text_start[], __text_end[];

	return a > (uintptr_t)__text_start && a <= (uintptr_t)__text_end;
}

/*
 * Frames are (saved RBP, return address) pairs, every function being built
 * with frame pointers. A frame pointer must be aligned and move up the
 * stack, and stays within one stack; anything else ends the walk, so a
 * corrupt stack cannot make the trace itself fault in a loop.
 */
void show_stack_trace(uintptr_t rip, uintptr_t rbp)
{
	unsigned int depth;

	printk("(lamina) stack trace:\n");
	if (rip)
		print_frame(rip, false);
	for (depth = 0; depth < 32 && rbp; depth++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t next = frame[0], ret = frame[1];

		if (!ret)
			break;
		print_frame(ret, true);
		if ((next & 7) || next <= rbp || next - rbp > 0x10000)
			break;
		rbp = next;
	}
}

/*
 * After an exception the interrupted function may not have set up its
 * frame (a leaf, or a fault in a prologue): its caller's return address
 * then sits between RSP and the first frame. Text addresses found there
 * are printed marked '?', as they may also be stale.
 */
void show_trap_stack_trace(uintptr_t rip, uintptr_t rsp, uintptr_t rbp)
{
	const uintptr_t *p = (const uintptr_t *)rsp;

	printk("(lamina) stack trace:\n");
	print_frame(rip, false);
	if (rbp > rsp && rbp - rsp <= 0x200 && !(rsp & 7))
		for (; (uintptr_t)p < rbp; p++)
			if (is_text(*p)) {
				printk("  ?");
				print_frame(*p, true);
			}
	show_stack_trace(0, rbp);
}
