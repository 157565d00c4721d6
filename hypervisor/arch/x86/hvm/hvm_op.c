// SPDX-License-Identifier: GPL-2.0
/*
 * hvm_op: parameters (HVM_PARAM_*), the memory type of a gfn, the
 * page-table-dying hint, the per-vCPU event-channel upcall vector and
 * the system time. Which parameters a guest may set or read for itself
 * follows Xen 4.17's lists; the hardware domain may set or read any
 * parameter of any domain.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/time.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/intr.h>
#include <asm/p2m.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define CALLBACK_TYPE_SHIFT	56
#define CALLBACK_TYPE_VECTOR	2

/*
 * What a guest may do with its own parameters (Xen 4.17's lists): set
 * and read, or only read. Others are the toolstack's (-EPERM).
 */
#define GUEST_GET	1
#define GUEST_SET	2
static const uint8_t guest_access[HVM_NR_PARAMS] = {
	[HVM_PARAM_CALLBACK_IRQ] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_VM86_TSS] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_VM86_TSS_SIZED] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_ACPI_IOPORTS_LOCATION] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_VM_GENERATION_ID_ADDR] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_STORE_EVTCHN] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_CONSOLE_EVTCHN] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_X87_FIP_WIDTH] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_STORE_PFN] = GUEST_GET,
	[HVM_PARAM_CONSOLE_PFN] = GUEST_GET,
	[HVM_PARAM_ALTP2M] = GUEST_GET,
};

/*
 * Deprecated parameters, which Xen 4.17 refuses to everyone with -EINVAL
 * (measured: make xen-compare): PAE_ENABLED (4), DM_DOMAIN (13), the
 * MEMORY_EVENT ones (20-23, 25, 30), BUFIOREQ_EVTCHN (26), and
 * NESTEDHVM (24). The public headers name most only for Xen's tools.
 */
static bool deprecated(unsigned int index)
{
	switch (index) {
	case 4: case 13: case 20: case 21: case 22: case 23: case 24:
	case 25: case 26: case 30:
		return true;
	default:
		return false;
	}
}

/* Parameters that, once non-zero, keep their value. */
static bool set_once(unsigned int index)
{
	switch (index) {
	case HVM_PARAM_VIRIDIAN:
	case HVM_PARAM_IOREQ_SERVER_PFN:
	case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
	case HVM_PARAM_ALTP2M:
	case HVM_PARAM_MCA_CAP:
		return true;
	default:
		return false;
	}
}

/*
 * HVM_PARAM_CALLBACK_IRQ: type in bits 63:56. Type 2 is the global
 * callback vector, which the interrupt code injects while a vCPU's
 * upcall is pending. Any other value (none, a GSI, a PCI INTx) is
 * stored but changes nothing: Xen 4.17 ignores them for a domain without
 * a virtual IO-APIC and PIC (PVH, as every Lamina domain), so the
 * callback stays as it was (Linux writes GSI 1 after setting up
 * per-vCPU vectors). Vectors below 16 are not deliverable: none.
 */
static void set_callback(struct domain *d, uint64_t value)
{
	unsigned int i;
	uint8_t vec = 0;

	if (value >> CALLBACK_TYPE_SHIFT != CALLBACK_TYPE_VECTOR)
		return;
	if ((uint8_t)value >= 16)
		vec = (uint8_t)value;
	__atomic_store_n(&d->arch.callback_vector, vec, __ATOMIC_SEQ_CST);
	for (i = 0; vec && i < d->max_vcpus; i++)
		vcpu_kick(d->vcpu[i]);
}

static long param_op(struct vcpu *v, unsigned int op, unsigned long arg)
{
	struct xen_hvm_param a;
	struct domain *d;
	bool self;
	int rc = 0;

	if (copy_from_guest(v, &a, arg, sizeof(a)))
		return -EFAULT;
	if (a.index >= HVM_NR_PARAMS)
		return -EINVAL;
	d = domain_get_target(v, a.domid, &rc);
	if (!d)
		return rc;
	self = d == v->domain;
	if (deprecated(a.index)) {
		rc = -EINVAL;
	} else if (op == HVMOP_set_param) {
		uint64_t old = d->arch.hvm_params[a.index];

		if (self && !(guest_access[a.index] & GUEST_SET))
			rc = -EPERM;
		else if (set_once(a.index) && old && a.value != old)
			rc = -EEXIST;
		else if (a.index == HVM_PARAM_ACPI_IOPORTS_LOCATION)
			rc = -ENODEV;	/* no ACPI PM timer ports to move */
		if (!rc) {
			d->arch.hvm_params[a.index] = a.value;
			if (a.index == HVM_PARAM_CALLBACK_IRQ)
				set_callback(d, a.value);
		}
	} else {
		if (self && !(guest_access[a.index] & GUEST_GET))
			rc = -EPERM;
		if (!rc) {
			a.value = d->arch.hvm_params[a.index];
			if (copy_to_guest(v, arg, &a, sizeof(a)))
				rc = -EFAULT;
		}
	}
	domain_put(d);
	return rc;
}

static long get_mem_type(struct vcpu *v, unsigned long arg)
{
	struct xen_hvm_get_mem_type a;
	struct domain *d;
	enum p2m_type t;
	int rc = 0;

	if (copy_from_guest(v, &a, arg, sizeof(a)))
		return -EFAULT;
	d = domain_get_target(v, a.domid, &rc);
	if (!d)
		return rc;
	p2m_lookup(d, a.pfn, &t, NULL);
	domain_put(d);
	switch (t) {
	case P2M_RAM:
	case P2M_GRANT_MAP_RW:
	case P2M_MAP_FOREIGN:
		a.mem_type = HVMMEM_ram_rw;
		break;
	case P2M_GRANT_MAP_RO:
		a.mem_type = HVMMEM_ram_ro;
		break;
	default:
		a.mem_type = HVMMEM_mmio_dm;
		break;
	}
	return copy_to_guest(v, arg, &a, sizeof(a)) ? -EFAULT : 0;
}

/* System time: the guest's pvclock time, ns since Lamina started it. */
static long get_time(struct vcpu *v, unsigned long arg)
{
	struct xen_hvm_get_time t = { .now = (uint64_t)NOW() };

	return copy_to_guest(v, arg, &t, sizeof(t)) ? -EFAULT : 0;
}

/* A hint for shadow paging; with nested paging Xen refuses it. */
static long pagetable_dying(struct vcpu *v, unsigned long arg)
{
	struct xen_hvm_pagetable_dying a;
	struct domain *d;
	int rc = 0;

	if (copy_from_guest(v, &a, arg, sizeof(a)))
		return -EFAULT;
	d = domain_get_target(v, a.domid, &rc);
	if (!d)
		return rc == -EPERM ? -ESRCH : rc;
	rc = d == v->domain ? -EINVAL : -EOPNOTSUPP;
	domain_put(d);
	return rc;
}

/*
 * The per-vCPU upcall vector: events for that vCPU arrive as a fixed,
 * edge interrupt of its local APIC (which the guest EOIs), rather than
 * through the domain's callback vector. Xen's checks, in its order.
 */
static long set_upcall_vector(struct vcpu *v, unsigned long arg)
{
	struct xen_hvm_evtchn_upcall_vector a;
	struct domain *d = v->domain;
	struct vcpu *target;

	if (copy_from_guest(v, &a, arg, sizeof(a)))
		return -EFAULT;
	if (a.vector < 0x10)
		return -EINVAL;
	if (a.vcpu >= d->max_vcpus)
		return -ENOENT;
	target = d->vcpu[a.vcpu];
	__atomic_store_n(&target->arch.upcall_vector, a.vector,
			 __ATOMIC_SEQ_CST);
	hvm_assert_evtchn_irq(target);
	return 0;
}

long do_hvm_op(struct vcpu *v, unsigned long *args)
{
	if (!hypercall_64bit(v))
		return -ENOSYS;
	switch (args[0]) {
	case HVMOP_set_param:
	case HVMOP_get_param:
		return param_op(v, args[0], args[1]);
	case HVMOP_get_mem_type:
		return get_mem_type(v, args[1]);
	case HVMOP_pagetable_dying:
		return pagetable_dying(v, args[1]);
	case HVMOP_set_evtchn_upcall_vector:
		return set_upcall_vector(v, args[1]);
	case HVMOP_get_time:
		return get_time(v, args[1]);
	default:
		return -ENOSYS;
	}
}
