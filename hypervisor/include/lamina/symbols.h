/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_SYMBOLS_H
#define LAMINA_SYMBOLS_H

#include <lamina/types.h>

/*
 * The text symbol containing addr, from the table generated at link time
 * (tools/gen-symbols.sh), or NULL. *offset is addr minus the symbol's
 * start, *size the distance to the next symbol.
 */
const char *symbols_lookup(uintptr_t addr, uintptr_t *offset,
			   uintptr_t *size);

/*
 * Print "[<addr>] name+off/size" for rip (unless 0) and for each frame of
 * the RBP chain starting at rbp.
 */
void show_stack_trace(uintptr_t rip, uintptr_t rbp);
/* The same for an interrupted context, which may not have a frame yet. */
void show_trap_stack_trace(uintptr_t rip, uintptr_t rsp, uintptr_t rbp);

#endif /* LAMINA_SYMBOLS_H */
