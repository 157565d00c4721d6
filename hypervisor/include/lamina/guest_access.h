/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_GUEST_ACCESS_H
#define LAMINA_GUEST_ACCESS_H

#include <lamina/types.h>

struct vcpu;

/*
 * Hypercall arguments that point into the guest: guest-virtual addresses
 * translated through v's current page tables (or linear == physical when
 * its paging is off), then through the p2m. 0, or -EFAULT when any byte
 * is not mapped or not RAM (a prefix may have been copied). Never faults
 * inside the hypervisor.
 */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src,
		  size_t len);
int clear_guest(struct vcpu *v, uint64_t gva, size_t len);

/*
 * copy_to_guest() as the guest kernel would write (a CPL 0 access
 * whatever v runs at now), for areas a guest kernel registered (runstate,
 * time) that the hypervisor updates outside hypercalls, when v may be
 * running user code. v's paging state must be loaded on this CPU.
 */
int copy_to_guest_kernel(struct vcpu *v, uint64_t gva, const void *src,
			 size_t len);

#endif /* LAMINA_GUEST_ACCESS_H */
