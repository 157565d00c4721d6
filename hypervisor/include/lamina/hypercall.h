/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_HYPERCALL_H
#define LAMINA_HYPERCALL_H

#include <lamina/types.h>
#include <xen/xen.h>

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
			unsigned long args[HYPERCALL_NR_ARGS]);

/*
 * Preemption: a handler working through a long list checks
 * hypercall_preempt_check() between items; when it is true it records
 * its progress in args (which go back to the guest's registers) and
 * returns hypercall_continue(v): the guest then executes the same
 * hypercall again, after the CPU did its other work.
 */
bool hypercall_preempt_check(void);
long hypercall_continue(struct vcpu *v);

/*
 * Did v make its hypercall from 64-bit code? Structures holding an
 * xen_ulong_t or a pointer have a 32-bit layout for 32-bit callers.
 */
bool hypercall_64bit(struct vcpu *v);

/*
 * The handlers. Pointer arguments are guest-virtual addresses, reached
 * with the copy helpers of lamina/guest_access.h.
 */
long do_console_io(struct vcpu *v, unsigned long *args);
long do_xen_version(struct vcpu *v, unsigned long *args);
long do_sched_op(struct vcpu *v, unsigned long *args);
long do_memory_op(struct vcpu *v, unsigned long *args);
long do_hvm_op(struct vcpu *v, unsigned long *args);
long do_vcpu_op(struct vcpu *v, unsigned long *args);
long do_platform_op(struct vcpu *v, unsigned long *args);
long do_grant_table_op(struct vcpu *v, unsigned long *args);
long do_event_channel_op(struct vcpu *v, unsigned long *args);
long do_set_timer_op(struct vcpu *v, unsigned long *args);
long do_vm_assist(struct vcpu *v, unsigned long *args);

/*
 * The domain a hypercall names: DOMID_SELF or the caller's own id, or
 * any domain for the hardware domain; a reference, or NULL with *err
 * -ESRCH (no such domain) or -EPERM (not allowed), in Xen's order.
 * common/memory.c.
 */
struct domain *domain_get_target(struct vcpu *v, domid_t domid, int *err);

/* XENVER_get_features submap 0 for d (common/version.c). */
uint32_t xen_features_submap0(const struct domain *d);

#endif /* LAMINA_HYPERCALL_H */
