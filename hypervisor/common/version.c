// SPDX-License-Identifier: GPL-2.0
/*
 * xen_version: which Xen ABI the guest talks to, and what the hypervisor
 * is. Every sub-op of Xen 4.17; what each returns and how it differs
 * from Xen is in docs/hypercalls.md. As with Xen's default XSM policy,
 * commandline and build_id are for the hardware domain only (others get
 * "<denied>" and -EPERM), everything else for every domain.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/param.h>
#include <asm/setup.h>
#include <xen/version.h>

#define XEN_PAGE_SIZE		4096
#define DENIED			"<denied>"
/* Xen's interface names: HVM guests of every width, no PV. */
#define CAPABILITIES		"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 "

/* Set by the Makefile (not in the host unit tests). */
#ifndef LAMINA_VERSION
#define LAMINA_VERSION		"unknown"
#endif
#ifndef LAMINA_COMPILER
#define LAMINA_COMPILER		"unknown"
#define LAMINA_COMPILE_BY	"unknown"
#define LAMINA_COMPILE_DOMAIN	"unknown"
#define LAMINA_COMPILE_DATE	"unknown"
#endif

/* The string, NUL-padded to size bytes, as Xen copies whole arrays. */
static long put_string(struct vcpu *v, uint64_t gva, const char *s,
		       size_t size)
{
	size_t len = MIN(strlen(s), size - 1);

	if (copy_to_guest(v, gva, s, len) ||
	    clear_guest(v, gva + len, size - len))
		return -EFAULT;
	return 0;
}

/* Into a zeroed field: truncated, always NUL-terminated. */
static void field(char *dst, const char *src, size_t size)
{
	memcpy(dst, src, MIN(strlen(src), size - 1));
}

static long compile_info(struct vcpu *v, uint64_t gva)
{
	xen_compile_info_t info;

	memset(&info, 0, sizeof(info));
	field(info.compiler, LAMINA_COMPILER, sizeof(info.compiler));
	field(info.compile_by, LAMINA_COMPILE_BY, sizeof(info.compile_by));
	field(info.compile_domain, LAMINA_COMPILE_DOMAIN,
	      sizeof(info.compile_domain));
	field(info.compile_date, LAMINA_COMPILE_DATE,
	      sizeof(info.compile_date));
	return copy_to_guest(v, gva, &info, sizeof(info));
}

/*
 * xen_platform_parameters_t: virt_start is an xen_ulong_t, 8 bytes from
 * a 64-bit caller (Xen's HYPERVISOR_VIRT_START) and 4 from a 32-bit one
 * (Xen's compat value for HVM domains: 0).
 */
static long platform_parameters(struct vcpu *v, uint64_t gva)
{
	uint64_t start = 0xffff800000000000ULL;
	uint32_t start32 = 0;

	if (hypercall_64bit(v))
		return copy_to_guest(v, gva, &start, sizeof(start));
	return copy_to_guest(v, gva, &start32, sizeof(start32));
}

/*
 * Submap 0: only what Lamina provides to its (HVM/PVH) guests. Not
 * memory_op_vnode_supported (no vNUMA), which Xen sets.
 */
uint32_t xen_features_submap0(const struct domain *d)
{
	uint32_t f = (1U << XENFEAT_writable_page_tables) |
		     (1U << XENFEAT_auto_translated_physmap) |
		     (1U << XENFEAT_not_direct_mapped) |
		     (1U << XENFEAT_hvm_callback_vector) |
		     (1U << XENFEAT_hvm_safe_pvclock);

	if (d->is_hardware)
		f |= 1U << XENFEAT_dom0;
	return f;
}

static long get_features(struct vcpu *v, uint64_t gva)
{
	xen_feature_info_t fi;

	if (copy_from_guest(v, &fi, gva, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx != 0)
		return -EINVAL;
	fi.submap = xen_features_submap0(v->domain);
	return copy_to_guest(v, gva, &fi, sizeof(fi));
}

/* The hypervisor's command line, without the image path (as Xen). */
static long commandline(struct vcpu *v, uint64_t gva)
{
	if (!v->domain->is_hardware)
		return put_string(v, gva, DENIED, sizeof(DENIED));
	return put_string(v, gva, cmdline_strip_path(boot_info.cmdline),
			  sizeof(xen_commandline_t));
}

/* Lamina is linked without a build ID: -ENODATA, as Xen without one. */
static long build_id(struct vcpu *v, uint64_t gva)
{
	xen_build_id_t id;

	if (!v->domain->is_hardware)
		return -EPERM;
	if (gva) {
		if (copy_from_guest(v, &id, gva, sizeof(id)))
			return -EFAULT;
		if (!id.len)
			return -EINVAL;
	}
	return -ENODATA;
}

long do_xen_version(struct vcpu *v, unsigned long *args)
{
	uint64_t gva = args[1];

	switch (args[0]) {
	case XENVER_version:
		return (LAMINA_XEN_MAJOR << 16) | LAMINA_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(v, gva, LAMINA_XEN_EXTRA,
				  sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		return compile_info(v, gva);
	case XENVER_capabilities:
		return put_string(v, gva, CAPABILITIES,
				  sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return put_string(v, gva, "git:" LAMINA_VERSION,
				  sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		return platform_parameters(v, gva);
	case XENVER_get_features:
		return get_features(v, gva);
	case XENVER_pagesize:
		return gva ? -EINVAL : XEN_PAGE_SIZE;
	case XENVER_guest_handle:	/* no toolstack: no UUID, zeros */
		return clear_guest(v, gva, sizeof(xen_domain_handle_t));
	case XENVER_commandline:
		return commandline(v, gva);
	case XENVER_build_id:
		return build_id(v, gva);
	default:
		return -ENOSYS;
	}
}
