// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: creation with one vCPU and a p2m, guest RAM, shutdown, crash
 * and destruction. Everything a domain owns is freed by domain_destroy(),
 * so the free page count returns to what it was before domain_create().
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/xmalloc.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>
#include <xen/sched.h>

struct domain *domain_create(domid_t domid, bool is_hardware)
{
	struct domain *d;
	struct vcpu *v;

	if (!hvm_ops)
		return NULL;
	d = xzalloc(struct domain);
	if (!d)
		return NULL;
	d->domain_id = domid;
	d->is_hardware = is_hardware;
	d->page_list = PG_LINK_NONE;
	if (p2m_init(d))
		goto out_domain;
	v = xzalloc(struct vcpu);
	if (!v)
		goto out_p2m;
	v->domain = d;
	d->vcpu0 = v;
	if (hvm_ops->vcpu_init(v))
		goto out_vcpu;
	return d;

out_vcpu:
	xfree(v);
out_p2m:
	p2m_teardown(d);
out_domain:
	xfree(d);
	return NULL;
}

int domain_populate(struct domain *d, unsigned long nr_pages)
{
	unsigned long gfn;
	int rc;

	for (gfn = 0; gfn < nr_pages; gfn++) {
		struct page_info *pg = alloc_pages(0, MEMF_zero);

		if (!pg)
			return -ENOMEM;
		pg->owner = d;
		pg->next = d->page_list;
		d->page_list = page_to_mfn(pg);
		d->tot_pages++;
		rc = p2m_set_entry(d, gfn, page_to_mfn(pg));
		if (rc)
			return rc;
	}
	return 0;
}

static void free_domain_pages(struct domain *d)
{
	while (d->page_list != PG_LINK_NONE) {
		struct page_info *pg = mfn_to_page(d->page_list);

		d->page_list = pg->next;
		pg->owner = NULL;
		free_pages(pg, 0);
		d->tot_pages--;
	}
	BUG_ON(d->tot_pages);
}

void domain_destroy(struct domain *d)
{
	if (d->vcpu0) {
		hvm_ops->vcpu_destroy(d->vcpu0);
		xfree(d->vcpu0);
	}
	p2m_teardown(d);
	free_domain_pages(d);
	printk("(lamina) domain %u destroyed\n", d->domain_id);
	xfree(d);
}

static const char *const shutdown_names[] = {
	[SHUTDOWN_poweroff] = "poweroff",
	[SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend",
	[SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog",
};

void domain_shutdown(struct domain *d, unsigned int reason)
{
	const char *name = reason < ARRAY_SIZE(shutdown_names) ?
			   shutdown_names[reason] : NULL;

	printk("(lamina) domain %u shut down (%s)\n", d->domain_id,
	       name ? name : "unknown reason");
	d->shutdown_reason = reason;
	d->is_dying = true;
}

void domain_crash(struct domain *d, const char *why)
{
	if (d->is_dying)
		return;
	printk("(lamina) domain %u crashed: %s\n", d->domain_id, why);
	hvm_ops->vcpu_dump(d->vcpu0);
	d->shutdown_reason = SHUTDOWN_crash;
	d->is_dying = true;
}

void domain_run(struct domain *d)
{
	hvm_ops->vcpu_run(d->vcpu0);
}

void guest_line_put(struct domain *d, struct guest_line *l, char c)
{
	if (c != '\n' && c != '\0')
		l->buf[l->len++] = c;
	if (c == '\n' || l->len == GUEST_LINE_MAX - 1) {
		l->buf[l->len] = '\0';
		printk("(d%u) %s\n", d->domain_id, l->buf);
		l->len = 0;
	}
}
