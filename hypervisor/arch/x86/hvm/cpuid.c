// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID as guests see it: the host's values, without SVM and with the
 * hypervisor bit, plus Xen's leaves at 0x40000000 so that guests find
 * the Xen ABI the way they find it under Xen.
 */
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <asm/hvm/hvm.h>
#include <asm/processor.h>

#define XEN_CPUID_BASE		0x40000000
#define XEN_CPUID_MAX		(XEN_CPUID_BASE + 1)
/* "XenVMMXenVMM" in EBX, ECX, EDX */
#define XEN_SIG_EBX		0x566e6558
#define XEN_SIG_ECX		0x65584d4d
#define XEN_SIG_EDX		0x4d4d566e

#define CPUID1_ECX_HYPERVISOR	(1U << 31)
#define CPUID1_ECX_VMX		(1U << 5)
#define CPUID81_ECX_SVM		(1U << 2)

static bool xen_leaf(uint32_t leaf, uint32_t res[4])
{
	if (leaf < XEN_CPUID_BASE || leaf > XEN_CPUID_BASE + 0xff)
		return false;
	res[0] = res[1] = res[2] = res[3] = 0;
	switch (leaf) {
	case XEN_CPUID_BASE:
		res[0] = XEN_CPUID_MAX;
		res[1] = XEN_SIG_EBX;
		res[2] = XEN_SIG_ECX;
		res[3] = XEN_SIG_EDX;
		break;
	case XEN_CPUID_BASE + 1:
		res[0] = (LAMINA_XEN_MAJOR << 16) | LAMINA_XEN_MINOR;
		break;
	}
	return true;
}

void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t res[4])
{
	if (xen_leaf(leaf, res))
		return;
	cpuid_count(leaf, sub, &res[0], &res[1], &res[2], &res[3]);
	switch (leaf) {
	case 1:
		res[2] |= CPUID1_ECX_HYPERVISOR;
		res[2] &= ~CPUID1_ECX_VMX;
		break;
	case 0x80000001:
		res[2] &= ~CPUID81_ECX_SVM;
		break;
	case 0x8000000a:
		res[0] = res[1] = res[2] = res[3] = 0;
		break;
	}
}
