// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the first program to read. Prints through console_io and port
 * 0xE9, checks xen_version and the error returns of bad calls (from
 * 64-bit code, and one call from 32-bit code), times null hypercalls.
 */
#include "guest.h"

#define XEN_4_17	(4 << 16 | 17)
#define BAD_POINTER	0xf0000000UL	/* mapped by us, not RAM */
#define UNKNOWN_HYPERCALL	63	/* no hypercall has this number */
#define TIMED_CALLS	1000

static void say_hello(void)
{
	CHECK_EQ(console_puts("hello from the reference guest\n"), 0);
	e9_puts("hello through port 0xE9\n");
	printf("hypercalls by %s\n", hypercall_insn_name());
}

static void check_version(void)
{
	long ver = xen_version(XENVER_version, NULL);

	printf("xen_version: %ld.%ld\n", ver >> 16, ver & 0xffff);
	CHECK_EQ(ver, XEN_4_17);
	CHECK_EQ(xen_version(99, NULL), -XEN_ENOSYS);
}

static void check_bad_calls(void)
{
	struct sched_shutdown bad_reason = { .reason = 99 };

	CHECK_EQ(hypercall0(UNKNOWN_HYPERCALL), -XEN_ENOSYS);
	CHECK_EQ(hypercall_insn(0xffffffffUL, 0, 0, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(hypercall_insn(1UL << 32 | __HYPERVISOR_xen_version,
				XENVER_version, 0, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(console_io_write((const char *)BAD_POINTER, 4), -XEN_EFAULT);
	/* Refused for its size before the buffer is read (Xen writes any
	 * count, so there: -EFAULT, docs/xen-differences.md). */
	CHECK_EQ(console_io_write((const char *)BAD_POINTER, 1 << 20),
		 -XEN_EINVAL);
	CHECK_EQ(hypercall3(__HYPERVISOR_console_io, 99, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, 99, 0), -XEN_ENOSYS);
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			    BAD_POINTER), -XEN_EFAULT);
	/* Xen takes any reason: dom0 would shut down (and the machine). */
	CHECK_EQ_LAMINA(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
				   (unsigned long)&bad_reason), -XEN_EINVAL,
			"Xen shuts the domain down for any reason");
	CHECK_EQ(sched_yield(), 0);
}

/* The hypervisor picks the convention from the code segment (CS.L). */
static void check_compat_call(void)
{
	CHECK_EQ(hypercall_compat(__HYPERVISOR_xen_version, XENVER_version,
				  0, 0), XEN_4_17);
	CHECK_EQ(hypercall_compat(UNKNOWN_HYPERCALL, 0, 0, 0), -XEN_ENOSYS);
}

static void time_null_calls(void)
{
	uint64_t t0, t1;
	int i;

	t0 = rdtsc();
	for (i = 0; i < TIMED_CALLS; i++)
		xen_version(XENVER_version, NULL);
	t1 = rdtsc();
	printf("null hypercall round trip: %lu TSC cycles\n",
	       (t1 - t0) / TIMED_CALLS);
}

void guest_main(void)
{
	say_hello();
	check_version();
	check_bad_calls();
	check_compat_call();
	time_null_calls();
}
