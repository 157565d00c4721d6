// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall pointers (include/lamina/guest_access.h): guest-virtual
 * addresses, translated through the calling vCPU's page tables as they
 * are at the time of the call (guest_walk), then through the p2m. Any
 * failure (not mapped, not RAM, non-canonical, a protection the walk
 * refuses, SMAP with RFLAGS.AC clear included) is -EFAULT: nothing is
 * injected, the hypercall fails, as on Xen.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	struct guest_paging p;

	hvm_guest_paging(v, &p);
	return copy_from_guest_virt(&p, dst, gva, len, 0, NULL) ? -EFAULT : 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src,
		  size_t len)
{
	struct guest_paging p;

	hvm_guest_paging(v, &p);
	return copy_to_guest_virt(&p, gva, src, len, 0, NULL) ? -EFAULT : 0;
}

int copy_to_guest_kernel(struct vcpu *v, uint64_t gva, const void *src,
			 size_t len)
{
	struct guest_paging p;

	hvm_guest_paging(v, &p);
	p.cpl = 0;
	return copy_to_guest_virt(&p, gva, src, len, 0, NULL) ? -EFAULT : 0;
}

int clear_guest(struct vcpu *v, uint64_t gva, size_t len)
{
	static const uint8_t zeros[256];
	struct guest_paging p;
	size_t n;

	hvm_guest_paging(v, &p);
	for (; len; len -= n, gva += n) {
		n = MIN(len, sizeof(zeros));
		if (copy_to_guest_virt(&p, gva, zeros, n, 0, NULL))
			return -EFAULT;
	}
	return 0;
}
