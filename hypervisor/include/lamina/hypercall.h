/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_HYPERCALL_H
#define LAMINA_HYPERCALL_H

#include <lamina/types.h>

struct vcpu;
struct domain;

/* The Xen release whose ABI Lamina speaks (XENVER_version). */
#define LAMINA_XEN_MAJOR	4
#define LAMINA_XEN_MINOR	17
/* XENVER_extraversion: what follows "4.17" in a version string. */
#define LAMINA_XEN_EXTRA	"-lamina"

#define HYPERCALL_NR_ARGS	5

/*
 * Dispatch hypercall nr with its arguments (already taken from the
 * guest's registers by the arch code) through the hypercall table:
 * -ENOSYS for a number without a handler, -EPERM if the domain lacks the
 * privilege the table requires; else the handler's result.
 */
long hypercall_dispatch(struct vcpu *v, unsigned long nr,
			const unsigned long args[HYPERCALL_NR_ARGS]);

/*
 * Did v make its hypercall from 64-bit code? Structures holding an
 * xen_ulong_t or a pointer have a 32-bit layout for 32-bit callers.
 */
bool hypercall_64bit(struct vcpu *v);

/*
 * The handlers. Pointer arguments are guest-virtual addresses, reached
 * with the copy helpers of lamina/guest_access.h.
 */
long do_console_io(struct vcpu *v, const unsigned long *args);
long do_xen_version(struct vcpu *v, const unsigned long *args);
long do_sched_op(struct vcpu *v, const unsigned long *args);

/* XENVER_get_features submap 0 for d (common/version.c). */
uint32_t xen_features_submap0(const struct domain *d);

#endif /* LAMINA_HYPERCALL_H */
