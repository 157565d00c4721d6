// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table: handler, name and the privilege each hypercall
 * needs. The dispatcher checks the privilege once; handlers never do.
 * Numbers are Xen's (__HYPERVISOR_* from xen/xen.h).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <xen/xen.h>

typedef long (*hypercall_fn)(struct vcpu *v, unsigned long *args);

enum hypercall_priv {
	HC_ANY,			/* every domain */
	HC_HWDOM,		/* the hardware domain (dom0) only */
};

struct hypercall_desc {
	hypercall_fn fn;
	enum hypercall_priv priv;
	const char *name;
};

static const struct hypercall_desc hypercall_table[] = {
	/* console_io: Xen lets domUs write in debug builds; so do we. */
	[__HYPERVISOR_console_io] = { do_console_io, HC_ANY, "console_io" },
	[__HYPERVISOR_xen_version] = { do_xen_version, HC_ANY,
				       "xen_version" },
	[__HYPERVISOR_sched_op] = { do_sched_op, HC_ANY, "sched_op" },
	[__HYPERVISOR_memory_op] = { do_memory_op, HC_ANY, "memory_op" },
	[__HYPERVISOR_hvm_op] = { do_hvm_op, HC_ANY, "hvm_op" },
	[__HYPERVISOR_vcpu_op] = { do_vcpu_op, HC_ANY, "vcpu_op" },
	/* Checks the privilege itself: Xen's -EPERM comes before -EFAULT. */
	[__HYPERVISOR_platform_op] = { do_platform_op, HC_ANY,
				       "platform_op" },
	[__HYPERVISOR_grant_table_op] = { do_grant_table_op, HC_ANY,
					  "grant_table_op" },
	[__HYPERVISOR_event_channel_op] = { do_event_channel_op, HC_ANY,
					    "event_channel_op" },
	[__HYPERVISOR_set_timer_op] = { do_set_timer_op, HC_ANY,
					"set_timer_op" },
	[__HYPERVISOR_vm_assist] = { do_vm_assist, HC_ANY, "vm_assist" },
};

/* Calls per hypercall number, all domains (to be exported to dom0). */
static unsigned long hypercall_count[ARRAY_SIZE(hypercall_table)];

long hypercall_dispatch(struct vcpu *v, unsigned long nr,
			unsigned long args[HYPERCALL_NR_ARGS])
{
	const struct hypercall_desc *hc;

	if (nr >= ARRAY_SIZE(hypercall_table) || !hypercall_table[nr].fn)
		return -ENOSYS;
	hc = &hypercall_table[nr];
	if (hc->priv == HC_HWDOM && !v->domain->is_hardware)
		return -EPERM;
	hypercall_count[nr]++;
	return hc->fn(v, args);
}

bool hypercall_preempt_check(void)
{
	return softirq_pending(smp_processor_id());
}

long hypercall_continue(struct vcpu *v)
{
	v->hcall_continue = true;
	return 0;
}
