// SPDX-License-Identifier: GPL-2.0
/* More vCPUs (smp.h). */
#include "guest.h"
#include <xen/vcpu.h>
#include <xen/hvm/hvm_vcpu.h>

#define CR0_PE_ET_PG	0x80000011UL
#define CR4_PAE		0x20UL
#define EFER_LME_LMA	0x500UL

/* vcpu_entry.S: rdi = fn, rsp = the stack's top, from the context. */
extern const uint8_t vcpu_entry64[];
void vcpu_started(void (*fn)(void));

/* Each started vCPU's stack, [lo, hi); nr_stacks bounds the search, so
 * a program with one vCPU searches nothing. */
static struct {
	uintptr_t lo, hi;
} stacks[XEN_LEGACY_MAX_VCPUS];
static volatile unsigned int nr_stacks;

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg);
}

long vcpu_is_up(unsigned int vcpu)
{
	return vcpu_op(VCPUOP_is_up, vcpu, NULL);
}

unsigned int this_vcpu(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	unsigned int i, n = nr_stacks;

	for (i = 1; i < n; i++)
		if (sp - stacks[i].lo < stacks[i].hi - stacks[i].lo)
			return i;
	return 0;
}

void vcpu_started(void (*fn)(void))
{
	traps_init_ap();
	fn();
	vcpu_op(VCPUOP_down, this_vcpu(), NULL);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

long vcpu_start(unsigned int vcpu, void (*fn)(void), void *stack,
		size_t size)
{
	struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
	struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;
	long rc;

	if (!vcpu || vcpu >= ARRAY_SIZE(stacks))
		return -XEN_EINVAL;
	stacks[vcpu].lo = (uintptr_t)stack;
	stacks[vcpu].hi = (uintptr_t)stack + size;
	if (nr_stacks <= vcpu)
		nr_stacks = vcpu + 1;
	r->rip = (uintptr_t)vcpu_entry64;
	r->rsp = stacks[vcpu].hi & ~15UL;
	r->rdi = (uintptr_t)fn;
	r->rflags = 0x2;
	r->cr0 = CR0_PE_ET_PG;
	r->cr3 = read_cr3();
	r->cr4 = CR4_PAE;
	r->efer = EFER_LME_LMA;
	rc = vcpu_op(VCPUOP_initialise, vcpu, &ctx);
	if (!rc)
		rc = vcpu_op(VCPUOP_up, vcpu, NULL);
	return rc;
}
