// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall register convention (Xen's, for HVM/PVH guests), taken
 * apart here so that common code sees only numbers:
 *
 *   mode     number  arguments 1-5              result
 *   64-bit   rax     rdi, rsi, rdx, r10, r8     rax
 *   32-bit   eax     ebx, ecx, edx, esi, edi    eax
 *
 * Hypercalls from CPL > 0 fail with -EPERM, as in Xen.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <asm/hvm/hvm.h>

bool hypercall_64bit(struct vcpu *v)
{
	return hvm_ops->vcpu_is_64bit(v);
}

void hvm_hypercall(struct vcpu *v)
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
	r->rax = is64 ? (uint64_t)ret : (uint32_t)ret;
}
