/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls, the 64-bit HVM/PVH convention (Xen's):
 *
 *   rax = hypercall number; arguments in rdi, rsi, rdx, r10, r8;
 *   the result in rax: >= 0 success, a negative Xen errno on failure
 *   (<xen/errno.h>: -XEN_ENOSYS, -XEN_EFAULT, ...).
 *
 * Pointer arguments are guest-virtual addresses (this guest's page
 * tables map the first 4 GiB one to one, so they are also its physical
 * addresses).
 *
 * Two ways to make the call, both Xen's:
 * - the instruction itself: VMMCALL on AMD (and Hygon) CPUs, VMCALL on
 *   Intel's, chosen from the CPUID vendor at boot (what Linux does);
 * - through the hypercall page: the guest names a page with a write to
 *   the MSR that CPUID leaf base+2 gives, the hypervisor fills it with
 *   one 32-byte stub per hypercall ("mov $nr, %eax; vmmcall; ret"), and
 *   hypercall nr is "call page + nr * 32".
 * The instruction is the default; hypercall_page_setup() switches to the
 * page, hypercall_use() between the two (the command line's
 * hypercall=page does it at boot).
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/version.h>

enum hypercall_via {
	HYPERCALL_VIA_INSN,	/* VMMCALL or VMCALL */
	HYPERCALL_VIA_PAGE,	/* call into the hypercall page */
};

/* The page has this many 32-byte entries: hypercalls 0-127. */
#define HYPERCALL_PAGE_ENTRIES	(4096 / 32)

/* Boot: choose the instruction by CPU vendor. */
void hypercall_init(void);
/*
 * Find Xen's CPUID leaves (the first base, 0x40000000 + n * 0x100, with
 * "XenVMMXenVMM") and their largest leaf; 0 if there is none.
 */
uint32_t xen_cpuid_base(uint32_t *max_leaf);
/* Ask for the hypercall page and use it: 0, or -1 (and say why). */
int hypercall_page_setup(void);
/* Switch between the two ways (the page only once it is set up). */
void hypercall_use(enum hypercall_via via);
enum hypercall_via hypercall_via(void);
/* "vmmcall" or "vmcall": what this CPU's instruction is. */
const char *hypercall_insn_name(void);
extern uint8_t hypercall_page[4096];

/*
 * The call, the current way. A number past the page's 128 entries has
 * no stub to call: it goes through the instruction.
 */
long hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4, unsigned long a5);
/* Always the instruction. */
long hypercall_insn(unsigned long nr, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);
/*
 * From 32-bit code (a compatibility-mode code segment): the hypervisor
 * must then use the 32-bit convention, eax = number, arguments in ebx,
 * ecx, edx, esi, edi, the result in eax (sign-extended here).
 */
long hypercall_compat(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3);

#define hypercall0(nr)			hypercall5(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a)		hypercall5(nr, a, 0, 0, 0, 0)
#define hypercall2(nr, a, b)		hypercall5(nr, a, b, 0, 0, 0)
#define hypercall3(nr, a, b, c)		hypercall5(nr, a, b, c, 0, 0)

/* The wrappers: one per hypercall and sub-op this library uses. */
long xen_version(int cmd, void *arg);
long console_io_write(const char *buf, unsigned long len);
long sched_yield(void);
long sched_block(void);
/* SHUTDOWN_poweroff, _reboot, _crash...: returns only on failure. */
long sched_shutdown(unsigned int reason);
/* Block until one of ports is pending, or until system time timeout
 * (ns; 0: none). */
long sched_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout);
/* The multiplexed hypercalls: sub-op and its structure. */
long memory_op(unsigned int cmd, void *arg);
long hvm_op(unsigned int op, void *arg);
long event_channel_op(unsigned int cmd, void *arg);

/*
 * Lamina (XENVER_extraversion "-lamina"), or another hypervisor of this
 * ABI: Xen itself, when make xen-compare runs a program on both. Only
 * checks of the hypervisor's identity and of the documented differences
 * that would end the run on Xen ask (test.h: CHECK_BY_HV, CHECK_EQ_LAMINA;
 * docs/xen-differences.md).
 */
bool on_lamina(void);

#endif
