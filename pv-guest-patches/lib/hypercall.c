// SPDX-License-Identifier: GPL-2.0
/*
 * Making hypercalls: the instruction or the hypercall page (see
 * hypercall.h), and the wrappers.
 */
#include <stdbool.h>
#include "console.h"
#include "hypercall.h"
#include "string.h"
#include "traps.h"
#include "x86.h"

#define XEN_CPUID_BASE_FIRST	0x40000000
#define XEN_CPUID_BASE_LAST	0x40010000
#define XEN_CPUID_SIG_EBX	0x566e6558	/* "XenV" */
#define XEN_CPUID_SIG_ECX	0x65584d4d	/* "MMXe" */
#define XEN_CPUID_SIG_EDX	0x4d4d566e	/* "nVMM" */

/* Filled by the hypervisor; executed by hypercall5(). */
uint8_t hypercall_page[4096] __attribute__((aligned(4096)));

static bool use_vmmcall;	/* AMD's instruction, else Intel's */
static bool page_ready;
static enum hypercall_via via = HYPERCALL_VIA_INSN;

/* CPUID leaf 0's vendor: "AuthenticAMD", "HygonGenuine" (AMD's design,
 * AMD's instruction) or anything else, Intel's. */
void hypercall_init(void)
{
	struct cpuid_regs r = cpuid(0);
	char vendor[13];

	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	use_vmmcall = !strcmp(vendor, "AuthenticAMD") ||
		      !strcmp(vendor, "HygonGenuine");
}

const char *hypercall_insn_name(void)
{
	return use_vmmcall ? "vmmcall" : "vmcall";
}

uint32_t xen_cpuid_base(uint32_t *max_leaf)
{
	struct cpuid_regs r;
	uint32_t base;

	for (base = XEN_CPUID_BASE_FIRST; base < XEN_CPUID_BASE_LAST;
	     base += 0x100) {
		r = cpuid(base);
		if (r.ebx == XEN_CPUID_SIG_EBX && r.ecx == XEN_CPUID_SIG_ECX &&
		    r.edx == XEN_CPUID_SIG_EDX) {
			if (max_leaf)
				*max_leaf = r.eax;
			return base;
		}
	}
	return 0;
}

/*
 * Leaf base+2: EAX = how many hypercall pages (one is enough here), EBX
 * = the MSR. The value written is the page's guest-physical address
 * with the page's index (0) in the low 12 bits.
 */
int hypercall_page_setup(void)
{
	uint32_t base, max_leaf = 0, msr;
	int vec;

	base = xen_cpuid_base(&max_leaf);
	if (!base || max_leaf < base + 2) {
		printf("hypercall page: no CPUID leaf %#x (largest Xen leaf "
		       "%#x)\n", base + 2, max_leaf);
		return -1;
	}
	msr = cpuid(base + 2).ebx;
	vec = wrmsr_safe(msr, (uint64_t)(unsigned long)hypercall_page);
	if (vec != NO_FAULT) {
		printf("hypercall page: writing MSR %#x raised %s\n", msr,
		       exception_name(vec));
		return -1;
	}
	page_ready = true;
	via = HYPERCALL_VIA_PAGE;
	return 0;
}

void hypercall_use(enum hypercall_via how)
{
	via = how == HYPERCALL_VIA_PAGE && page_ready ? how :
	      HYPERCALL_VIA_INSN;
}

enum hypercall_via hypercall_via(void)
{
	return via;
}

/*
 * The argument registers are in-out: Xen may rewrite them (it does to
 * restart a preempted call), so the compiler must not assume they
 * survive.
 */
long hypercall_insn(unsigned long nr, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;

	if (use_vmmcall)
		__asm__ __volatile__("vmmcall"
				     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
				       "+r"(r10), "+r"(r8)
				     : "a"(nr) : "memory");
	else
		__asm__ __volatile__("vmcall"
				     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
				       "+r"(r10), "+r"(r8)
				     : "a"(nr) : "memory");
	return ret;
}

/* The stub sets eax itself. The kernel runs without a red zone, so the
 * call's return address cannot land on live data below rsp. */
static long hypercall_page_call(unsigned long nr, unsigned long a1,
				unsigned long a2, unsigned long a3,
				unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	void *stub = hypercall_page + nr * 32;
	long ret;

	__asm__ __volatile__("call *%[stub]"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
			       "+r"(r10), "+r"(r8)
			     : [stub] "r"(stub) : "memory", "rcx", "r11");
	return ret;
}

long hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4, unsigned long a5)
{
	if (via == HYPERCALL_VIA_PAGE && nr < HYPERCALL_PAGE_ENTRIES)
		return hypercall_page_call(nr, a1, a2, a3, a4, a5);
	return hypercall_insn(nr, a1, a2, a3, a4, a5);
}

/* compat.S */
long hypercall_compat_asm(uint32_t nr, uint32_t a1, uint32_t a2,
			  uint32_t a3, int vmmcall);

long hypercall_compat(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return hypercall_compat_asm(nr, a1, a2, a3, use_vmmcall);
}

long xen_version(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_xen_version, cmd, (unsigned long)arg);
}

long console_io_write(const char *buf, unsigned long len)
{
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			  (unsigned long)buf);
}

long sched_yield(void)
{
	return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

/* Sleep until an event is pending for this vCPU. */
long sched_block(void)
{
	return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
}

long sched_shutdown(unsigned int reason)
{
	struct sched_shutdown sd = { .reason = reason };

	return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			  (unsigned long)&sd);
}

bool on_lamina(void)
{
	static int lamina = -1;
	xen_extraversion_t extra;

	if (lamina < 0)
		lamina = !xen_version(XENVER_extraversion, extra) &&
			 !strncmp(extra, "-lamina", sizeof(extra));
	return lamina;
}

long sched_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
	struct sched_poll sp = { .nr_ports = nr, .timeout = timeout };

	set_xen_guest_handle(sp.ports, ports);
	return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll,
			  (unsigned long)&sp);
}

long memory_op(unsigned int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_memory_op, cmd, (unsigned long)arg);
}

long hvm_op(unsigned int op, void *arg)
{
	return hypercall2(__HYPERVISOR_hvm_op, op, (unsigned long)arg);
}

long event_channel_op(unsigned int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd,
			  (unsigned long)arg);
}
