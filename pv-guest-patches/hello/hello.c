// SPDX-License-Identifier: GPL-2.0
/*
 * The reference guest: the smallest kernel that uses Lamina's (Xen's)
 * hypercall ABI. It runs in 32-bit protected mode with paging off, so
 * its pointers are guest-physical, which is what Lamina takes hypercall
 * pointers to be for now.
 *
 * Prints through console_io and the 0xE9 debug port, checks xen_version
 * and the error returns of a few bad calls, times 1000 null hypercalls,
 * and powers off with SCHEDOP_shutdown. Built with -DTRIPLE_FAULT=1 it
 * triple-faults instead, for the domain-crash test.
 *
 * 32-bit hypercall convention (Xen's): VMMCALL with the number in EAX,
 * arguments in EBX, ECX, EDX, ESI, EDI, the result in EAX.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>

#ifndef TRIPLE_FAULT
#define TRIPLE_FAULT	0
#endif

#define XEN_ENOSYS	38
#define XEN_EFAULT	14
#define XEN_EINVAL	22

static long hypercall3(unsigned int nr, unsigned long a1, unsigned long a2,
		       unsigned long a3)
{
	long ret = nr;

	__asm__ __volatile__("vmmcall"
			     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
			     : : "memory");
	return ret;
}

static unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static long console_write(const char *s)
{
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, strlen(s),
			  (unsigned long)s);
}

static void e9_write(const char *s)
{
	while (*s)
		__asm__ __volatile__("outb %0, $0xe9" :: "a"(*s++));
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* "<prefix><n><suffix>" through console_io. */
static void print_num(const char *prefix, unsigned long n, const char *suffix)
{
	char buf[16], *p = buf + sizeof(buf);

	*--p = '\0';
	do {
		*--p = '0' + n % 10;
		n /= 10;
	} while (n);
	console_write(prefix);
	console_write(p);
	console_write(suffix);
}

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		console_write("FAIL: ");
		console_write(what);
		console_write("\n");
		failures++;
	}
}

static void shutdown(unsigned int reason)
{
	struct sched_shutdown sd = { .reason = reason };

	hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
		   (unsigned long)&sd, 0);
}

static long bad_shutdown_reason(void)
{
	struct sched_shutdown sd = { .reason = 99 };

	return hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			  (unsigned long)&sd, 0);
}

static void triple_fault(void)
{
	static const struct { uint16_t limit; uint32_t base; }
		__attribute__((packed)) no_idt = { 0, 0 };

	console_write("triple-faulting on purpose\n");
	__asm__ __volatile__("lidt %0; int3" :: "m"(no_idt));
}

static void time_hypercalls(void)
{
	uint64_t t0, t1;
	int i;

	t0 = rdtsc();
	for (i = 0; i < 1000; i++)
		hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	t1 = rdtsc();
	/* 32-bit division: there is no libgcc here, and 1000 round trips
	 * take far fewer than 2^32 cycles. */
	print_num("null hypercall round trip: ", (uint32_t)(t1 - t0) / 1000,
		  " TSC cycles\n");
}

void guest_main(uint32_t start_info);
void guest_main(uint32_t start_info)
{
	long ver;

	check(console_write("hello from the reference guest\n") == 0,
	      "console_io write");
	e9_write("hello through port 0xE9\n");
	ver = hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	print_num("xen_version: ", ver >> 16, ".");
	print_num("", ver & 0xffff, "\n");
	check(ver >> 16 >= 4, "xen_version major");
	check(hypercall3(63, 0, 0, 0) == -XEN_ENOSYS, "unknown hypercall");
	check(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 4,
			 0xf0000000) == -XEN_EFAULT, "bad pointer");
	check(hypercall3(__HYPERVISOR_xen_version, 99, 0, 0) == -XEN_ENOSYS,
	      "unknown xen_version");
	check(hypercall3(0xffffffff, 0, 0, 0) == -XEN_ENOSYS,
	      "huge hypercall number");
	check(hypercall3(__HYPERVISOR_console_io, 99, 0, 0) == -XEN_ENOSYS,
	      "unknown console_io op");
	check(hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 1 << 20,
			 (unsigned long)"x") == -XEN_EINVAL,
	      "oversized console_io write");
	check(hypercall3(__HYPERVISOR_sched_op, 99, 0, 0) == -XEN_ENOSYS,
	      "unknown sched_op");
	check(hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0xf0000000,
			 0) == -XEN_EFAULT, "shutdown: bad pointer");
	check(bad_shutdown_reason() == -XEN_EINVAL, "shutdown: bad reason");
	print_num("start info at ", start_info, "\n");
	time_hypercalls();
	if (TRIPLE_FAULT)
		triple_fault();
	console_write(failures ? "reference guest: FAIL\n" :
		      "reference guest: PASS\n");
	shutdown(SHUTDOWN_poweroff);
	console_write("still running after SCHEDOP_shutdown\n");
}
