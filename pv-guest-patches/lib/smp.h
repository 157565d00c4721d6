/* SPDX-License-Identifier: GPL-2.0 */
/*
 * More vCPUs: vcpu_start() brings vCPU n up with VCPUOP_initialise
 * (the 64-bit form, on this vCPU's page tables) and VCPUOP_up. It
 * starts in vcpu_entry64 (vcpu_entry.S), which loads the library's GDT,
 * segments and IDT, and calls fn() on the stack given; when fn returns
 * the vCPU takes itself down (VCPUOP_down).
 *
 * this_vcpu() is the id of the vCPU running it, found by its stack
 * pointer: vCPU n runs on the stack vcpu_start() gave it, vCPU 0 on any
 * other (head.S's). It is cheap (no exit), so the event upcall uses it
 * to find its vcpu_info.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stddef.h>

/* 0, or the failing vcpu_op's error. */
long vcpu_start(unsigned int vcpu, void (*fn)(void), void *stack,
		size_t size);
unsigned int this_vcpu(void);
/* VCPUOP_is_up: 1, 0, or -XEN_ENOENT (no such vCPU). */
long vcpu_is_up(unsigned int vcpu);

#endif
