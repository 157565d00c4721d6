// SPDX-License-Identifier: GPL-2.0
/*
 * xen_version: which Xen ABI the guest talks to. Only XENVER_version so
 * far; the rest (extraversion, capabilities, features...) come with the
 * guests that need them.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <xen/version.h>

long do_xen_version(struct vcpu *v, const unsigned long *args)
{
	switch (args[0]) {
	case XENVER_version:
		return (LAMINA_XEN_MAJOR << 16) | LAMINA_XEN_MINOR;
	default:
		return -ENOSYS;
	}
}
