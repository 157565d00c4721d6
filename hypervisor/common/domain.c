// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: creation with their vCPUs and p2m, guest RAM, the domain list
 * and references, pause counts, shutdown and crash, and destruction.
 *
 * A domain that shuts down or crashes is destroyed at once: there is no
 * toolstack yet to keep it for inspection. Destruction waits until none
 * of its vCPUs is on a CPU (the reaper below), then drops the list's
 * reference; the last reference frees everything the domain owned, so
 * the free page count returns to its value before domain_create().
 */
#include <lamina/domain.h>
#include <lamina/domain_console.h>
#include <lamina/errno.h>
#include <lamina/event.h>
#include <lamina/grant_table.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <lamina/xmalloc.h>
#include <asm/fpu.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <xen/sched.h>

static DEFINE_SPINLOCK(domlist_lock, LOCK_LEVEL_DOMLIST);
static struct domain *domain_list;	/* by domid */
static unsigned int nr_domains;

static void vcpu_free(struct vcpu *v)
{
	sched_destroy_vcpu(v);
	vcpu_info_release(v);
	if (v->hvm)
		hvm_ops->vcpu_destroy(v);
	vcpu_fpu_destroy(v);
	xfree(v);
}

static struct vcpu *vcpu_alloc(struct domain *d, unsigned int id)
{
	struct vcpu *v = xzalloc(struct vcpu);

	if (!v)
		return NULL;
	v->domain = d;
	v->vcpu_id = id;
	v->pause_flags = VPF_down;
	cpumask_fill(&v->affinity);
	vcpu_info_init(v);
	if (vcpu_fpu_init(v) ||
	    sched_init_vcpu(v, (d->domain_id + id) % nr_cpus_online) ||
	    hvm_ops->vcpu_init(v)) {
		vcpu_free(v);
		return NULL;
	}
	vcpu_time_init(v);
	return v;
}

static int config_check(const struct domain_config *cfg)
{
	if (cfg->domid >= DOMID_FIRST_RESERVED || !cfg->max_vcpus ||
	    cfg->max_vcpus > DOMAIN_MAX_VCPUS ||
	    cfg->weight > SCHED_MAX_WEIGHT ||
	    cfg->cap > 100 * cfg->max_vcpus)
		return -EINVAL;
	return 0;
}

/* Insert d by domid: -EEXIST if the domid is taken. */
static int domlist_insert(struct domain *d)
{
	struct domain **pp;
	int rc = 0;

	spin_lock(&domlist_lock);
	for (pp = &domain_list; *pp && (*pp)->domain_id < d->domain_id;
	     pp = &(*pp)->next_in_list)
		;
	if (*pp && (*pp)->domain_id == d->domain_id) {
		rc = -EEXIST;
	} else {
		d->next_in_list = *pp;
		*pp = d;
		nr_domains++;
	}
	spin_unlock(&domlist_lock);
	return rc;
}

static void domain_free(struct domain *d);

struct domain *domain_create(const struct domain_config *cfg, int *err)
{
	struct domain *d;
	unsigned int i;
	int rc = -ENOSYS;

	if (!hvm_ops)
		goto fail;
	rc = config_check(cfg);
	if (rc)
		goto fail;
	rc = -ENOMEM;
	d = xzalloc(struct domain);
	if (!d)
		goto fail;
	d->domain_id = cfg->domid;
	d->is_hardware = cfg->is_hardware;
	d->refcnt = 1;
	d->pause_count = 1;		/* until domain_start() */
	d->max_vcpus = cfg->max_vcpus;
	d->weight = cfg->weight ? cfg->weight : SCHED_DEFAULT_WEIGHT;
	d->cap = cfg->cap;
	d->page_list = PG_LINK_NONE;
	spin_lock_init(&d->page_lock, LOCK_LEVEL_DOMAIN, "domain_pages");
	d->vcpu = xzalloc_array(struct vcpu *, d->max_vcpus);
	if (!d->vcpu || shared_info_init(d) || gnttab_domain_init(d) ||
	    p2m_init(d, hvm_ops->p2m_format)) {
		domain_free(d);
		goto fail;
	}
	for (i = 0; i < d->max_vcpus; i++) {
		d->vcpu[i] = vcpu_alloc(d, i);
		if (!d->vcpu[i]) {
			domain_free(d);
			goto fail;
		}
	}
	if (evtchn_domain_init(d)) {
		domain_free(d);
		goto fail;
	}
	rc = domlist_insert(d);
	if (rc) {
		domain_free(d);
		goto fail;
	}
	return d;

fail:
	if (err)
		*err = rc;
	return NULL;
}

void domain_start(struct domain *d)
{
	d->start_time = NOW();
	hvm_vcpu_boot_start(d->vcpu[0]);
	domain_unpause(d);
}

static void domain_free(struct domain *d)
{
	unsigned int i;

	/* First: no timer may raise an event in a domain going away. */
	for (i = 0; d->vcpu && i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_time_destroy(d->vcpu[i]);
	evtchn_domain_free(d);
	for (i = 0; d->vcpu && i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_free(d->vcpu[i]);
	xfree(d->vcpu);
	if (d->p2m.root)
		p2m_teardown(d);
	gnttab_domain_destroy(d);
	domain_console_destroy(d);
	domain_relinquish_frames(d);
	shared_info_free(d);
	xfree(d->arch.memmap);
	xfree(d);
}

struct domain *domain_get_by_id(domid_t domid)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != domid; d = d->next_in_list)
		;
	if (d)
		domain_get(d);
	spin_unlock(&domlist_lock);
	return d;
}

void domain_get(struct domain *d)
{
	__atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
	if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST))
		return;
	BUG_ON(!d->is_dying);
	domain_free(d);
}

unsigned int domain_count(void)
{
	return __atomic_load_n(&nr_domains, __ATOMIC_SEQ_CST);
}

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d; d = d->next_in_list)
		fn(d, arg);
	spin_unlock(&domlist_lock);
}

void domain_pause(struct domain *d)
{
	unsigned int i;

	__atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < d->max_vcpus; i++)
		vcpu_sleep_sync(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
	unsigned int i;

	if (__atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST))
		return;
	for (i = 0; i < d->max_vcpus; i++)
		vcpu_wake(d->vcpu[i]);
}

/*
 * The reaper: destroys shut-down domains once none of their vCPUs is on
 * a CPU. It runs from a timer on the boot CPU, never inside an exit
 * handler of the domain it destroys.
 */
static struct timer reaper_timer;
static unsigned long free_pages_before;
static void reaper(void *unused);

void domains_baseline_add(unsigned long pages)
{
	free_pages_before += pages;
}

void domains_init(void)
{
	free_pages_before = page_alloc_free_pages();
	timer_init(&reaper_timer, reaper, NULL, 0);
}

static bool vcpus_off_cpu(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (__atomic_load_n(&d->vcpu[i]->cpu_refs, __ATOMIC_SEQ_CST))
			return false;
	return true;
}

/*
 * Each vCPU's run time, of the domain's life since domain_start(), and
 * the CPUs it ran on (no vCPU of the domain is on a CPU any more).
 */
static void print_runtimes(const struct domain *d)
{
	s_time_t life = d->start_time ? NOW() - d->start_time : 0;
	char cpus[64];
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		printk("(lamina) d%uv%u ran %lu ms of %lu, on CPUs %s\n",
		       d->domain_id, i, vcpu_runtime(d->vcpu[i]) / 1000000,
		       life / 1000000, cpumask_print(cpus, sizeof(cpus),
						     &d->vcpu[i]->ran_on));
}

static void machine_follows(unsigned int reason)
{
	if (reason == SHUTDOWN_reboot)
		machine_restart();
	machine_power_off();
}

/*
 * What a dead domain holds of other domains goes while it can still be
 * found (Xen relinquishes before a domain disappears): once another
 * domain sees it gone, its grant mappings are gone too.
 */
static void relinquish(struct domain *d)
{
	evtchn_domain_destroy(d);	/* peers' ports become unbound */
	gnttab_release_mappings(d);
	d->is_relinquished = true;
}

/*
 * Take one dead domain off the list (once relinquished; before that it
 * is returned listed, with a reference); NULL if none can go yet.
 */
static struct domain *reap_one(bool *pending)
{
	struct domain **pp, *d;

	spin_lock(&domlist_lock);
	for (pp = &domain_list; (d = *pp); pp = &d->next_in_list) {
		if (!d->is_shut_down)
			continue;
		if (!vcpus_off_cpu(d)) {
			*pending = true;
			continue;
		}
		if (!d->is_relinquished) {
			domain_get(d);	/* reaper() relinquishes it, listed */
			break;
		}
		*pp = d->next_in_list;
		nr_domains--;
		d->is_dying = true;
		break;
	}
	spin_unlock(&domlist_lock);
	return d;
}

static void report_free_pages(void)
{
	printk("(lamina) free pages: %lu before domains, %lu after\n",
	       free_pages_before, page_alloc_free_pages());
}

static void reaper(void *unused)
{
	bool pending = false;
	struct domain *d;

	while ((d = reap_one(&pending))) {
		bool hw = d->is_hardware;
		unsigned int reason = d->shutdown_reason, id = d->domain_id;

		if (!d->is_dying) {
			relinquish(d);
			domain_put(d);
			continue;
		}

		print_runtimes(d);
		domain_put(d);
		printk("(lamina) domain %u destroyed\n", id);
		if (hw) {
			if (!domain_count())
				report_free_pages();
			printk("(lamina) hardware domain gone: the machine "
			       "follows\n");
			machine_follows(reason);
		}
	}
	if (pending) {
		set_timer(&reaper_timer, NOW() + MILLISECS(1));
		return;
	}
	if (!domain_count()) {
		printk("(lamina) no domains left\n");
		report_free_pages();
		machine_power_off();
	}
}

static void reaper_kick(void)
{
	set_timer(&reaper_timer, NOW());
}

static const char *const shutdown_names[] = {
	[SHUTDOWN_poweroff] = "poweroff",
	[SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend",
	[SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog",
};

/* Once per domain: the first shutdown or crash wins. */
static bool shutdown_once(struct domain *d, unsigned int reason)
{
	unsigned int i;

	if (__atomic_exchange_n(&d->is_shut_down, true, __ATOMIC_SEQ_CST))
		return false;
	d->shutdown_reason = reason;
	for (i = 0; i < d->max_vcpus; i++)
		vcpu_sleep_nosync(d->vcpu[i]);
	reaper_kick();
	return true;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	const char *name = reason < ARRAY_SIZE(shutdown_names) ?
			   shutdown_names[reason] : NULL;

	if (shutdown_once(d, reason))
		printk("(lamina) domain %u shut down (%s)\n", d->domain_id,
		       name ? name : "unknown reason");
}

void vcpu_crash(struct vcpu *v, const char *why)
{
	struct domain *d = v->domain;

	if (d->is_shut_down)
		return;
	printk("(lamina) domain %u crashed: %s\n", d->domain_id, why);
	if (v == current_vcpu())
		hvm_ops->vcpu_dump(v);
	d->is_crashed = true;
	shutdown_once(d, SHUTDOWN_crash);
}

void domain_crash(struct domain *d, const char *why)
{
	struct vcpu *v = current_vcpu();

	vcpu_crash(v && v->domain == d ? v : d->vcpu[0], why);
}

void domain_tlb_flush(struct domain *d)
{
	unsigned int i, self = smp_processor_id();
	uint32_t gen = __atomic_add_fetch(&d->tlb_gen, 1, __ATOMIC_SEQ_CST);

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];
		unsigned int cpu = v->processor;

		if (cpu == self || !__atomic_load_n(&v->in_guest,
						    __ATOMIC_SEQ_CST))
			continue;
		arch_kick_cpu(cpu);
		while (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) &&
		       __atomic_load_n(&v->tlb_gen, __ATOMIC_SEQ_CST) != gen)
			cpu_relax();
	}
}

void p2m_tlb_flush(struct domain *d)
{
	domain_tlb_flush(d);
}

/* As Xen: only printable ASCII and tabs reach the console from a guest
 * line, so that a guest cannot drive the terminal with escapes. */
static bool line_char(char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t';
}

void guest_line_put(struct domain *d, struct guest_line *l, char c)
{
	if (line_char(c))
		l->buf[l->len++] = c;
	if (c == '\n' || l->len == GUEST_LINE_MAX - 1) {
		l->buf[l->len] = '\0';
		printk("(d%u) %s\n", d->domain_id, l->buf);
		l->len = 0;
	}
}
