// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall register convention (Xen's, for HVM/PVH guests), taken
 * apart here so that common code sees only numbers:
 *
 *   mode     number  arguments 1-5              result
 *   64-bit   rax     rdi, rsi, rdx, r10, r8     rax
 *   32-bit   eax     ebx, ecx, edx, esi, edi    eax
 *
 * Hypercalls from CPL > 0 fail with -EPERM, as in Xen. A handler that
 * stops early to let the CPU do other work (hypercall_continue()) has
 * the guest execute the same instruction again: rax keeps the number.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <asm/hvm/hvm.h>

bool hypercall_64bit(struct vcpu *v)
{
	return hvm_ops->vcpu_is_64bit(v);
}

/* A continuation: the same call again, with the arguments as changed. */
static void restart(struct vcpu *v, bool is64, const unsigned long *args,
		    uint64_t rip)
{
	struct guest_regs *r = &v->regs;

	v->hcall_continue = false;
	v->regs.rip = rip;
	if (is64) {
		r->rdi = args[0];
		r->rsi = args[1];
		r->rdx = args[2];
		r->r10 = args[3];
		r->r8 = args[4];
	} else {
		r->rbx = (uint32_t)args[0];
		r->rcx = (uint32_t)args[1];
		r->rdx = (uint32_t)args[2];
		r->rsi = (uint32_t)args[3];
		r->rdi = (uint32_t)args[4];
	}
}

void hvm_hypercall(struct vcpu *v, uint64_t rip)
{
	struct guest_regs *r = &v->regs;
	unsigned long args[HYPERCALL_NR_ARGS];
	bool is64 = hvm_ops->vcpu_is_64bit(v);
	long ret;

	if (hvm_ops->vcpu_cpl(v)) {
		ret = -EPERM;
	} else if (is64) {
		args[0] = r->rdi;
		args[1] = r->rsi;
		args[2] = r->rdx;
		args[3] = r->r10;
		args[4] = r->r8;
		ret = hypercall_dispatch(v, r->rax, args);
	} else {
		args[0] = (uint32_t)r->rbx;
		args[1] = (uint32_t)r->rcx;
		args[2] = (uint32_t)r->rdx;
		args[3] = (uint32_t)r->rsi;
		args[4] = (uint32_t)r->rdi;
		ret = hypercall_dispatch(v, (uint32_t)r->rax, args);
	}
	if (v->hcall_continue) {
		restart(v, is64, args, rip);
		return;
	}
	r->rax = is64 ? (uint64_t)ret : (uint32_t)ret;
}
