// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O from guests. Only the 0xE9 debug port does something (guest
 * output as "(dN) line", as Xen prints it); other ports read as all
 * ones and ignore writes, like an empty ISA bus.
 */
#include <lamina/domain.h>
#include <asm/hvm/hvm.h>

#define DEBUG_PORT	0xe9

void hvm_portio(struct vcpu *v, uint16_t port, unsigned int size, bool in,
		uint32_t *val)
{
	if (in) {
		*val = ~0U;
		return;
	}
	if (port == DEBUG_PORT)
		guest_line_put(v->domain, &v->domain->line_e9, (char)*val);
}
