/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_HYPERCALL_H
#define LAMINA_HYPERCALL_H

#include <lamina/types.h>

struct vcpu;

/* The Xen release whose ABI Lamina speaks (XENVER_version). */
#define LAMINA_XEN_MAJOR	4
#define LAMINA_XEN_MINOR	17

#define HYPERCALL_NR_ARGS	5

/*
 * Dispatch hypercall nr with its arguments (already taken from the
 * guest's registers by the arch code) through the hypercall table:
 * -ENOSYS for a number without a handler, -EPERM if the domain lacks the
 * privilege the table requires; else the handler's result.
 */
long hypercall_dispatch(struct vcpu *v, unsigned long nr,
			const unsigned long args[HYPERCALL_NR_ARGS]);

/* The handlers. Pointer arguments are guest-physical for now. */
long do_console_io(struct vcpu *v, const unsigned long *args);
long do_xen_version(struct vcpu *v, const unsigned long *args);
long do_sched_op(struct vcpu *v, const unsigned long *args);

#endif /* LAMINA_HYPERCALL_H */
