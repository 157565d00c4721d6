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

static void print_frame(uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = symbols_lookup(addr, &off, &size);

	if (name)
		printk("    [<%016lx>] %s+0x%lx/0x%lx\n", addr, name, off, size);
	else
		printk("    [<%016lx>] ?\n", addr);
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
	print_frame(rip);
	for (depth = 0; depth < 32 && rbp; depth++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t next = frame[0], ret = frame[1];

		if (!ret)
			break;
		print_frame(ret);
		if ((next & 7) || next <= rbp || next - rbp > 0x10000)
			break;
		rbp = next;
	}
}
