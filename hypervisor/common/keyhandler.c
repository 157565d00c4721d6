// SPDX-License-Identifier: GPL-2.0
/*
 * Debug keys (lamina/keyhandler.h). With the serial input on Lamina
 * (Ctrl-A three times, past the last domain that takes input), each key
 * prints some hypervisor state, as Xen's debug keys do:
 *
 *   h  the keys
 *   q  every domain and vCPU: scheduling state, events, interrupts
 *
 * A dump reads state other CPUs change without their locks: a snapshot
 * that may be a little inconsistent, which is what it is for (a hang).
 * It runs in the console softirq on the boot CPU.
 */
#include <lamina/domain.h>
#include <lamina/keyhandler.h>
#include <lamina/lib.h>
#include <lamina/sched.h>
#include <asm/hvm/intr.h>

static const char *const runstate_names[] = {
	"running", "runnable", "blocked", "offline",
};

static const char *const intr_names[] = {
	[HVM_INTR_NONE] = "none", [HVM_INTR_NMI] = "NMI",
	[HVM_INTR_CALLBACK] = "callback", [HVM_INTR_LAPIC] = "LAPIC",
};

static void dump_vcpu(struct vcpu *v)
{
	struct hvm_intr intr = hvm_pending_intr(v);
	int rs = __atomic_load_n(&v->runstate, __ATOMIC_RELAXED);

	printk("(lamina)   d%uv%u: %s on CPU %u%s%s, pause flags %#lx "
	       "count %u, event %s\n", v->domain->domain_id, v->vcpu_id,
	       rs >= 0 && rs < (int)ARRAY_SIZE(runstate_names) ?
	       runstate_names[rs] : "?", v->processor,
	       v->is_running ? ", loaded" : "",
	       v->in_guest ? ", in guest" : "", v->pause_flags,
	       v->pause_count, v->event_pending ? "pending" : "none");
	printk("(lamina)     upcall pending %u mask %u sel 0x%lx; next "
	       "interrupt %s 0x%x; rip 0x%lx rflags 0x%lx\n",
	       v->vcpu_info->evtchn_upcall_pending,
	       v->vcpu_info->evtchn_upcall_mask,
	       (unsigned long)v->vcpu_info->evtchn_pending_sel,
	       intr_names[intr.src], intr.vector,
	       (unsigned long)v->regs.rip, (unsigned long)v->regs.rflags);
}

static void dump_domain(struct domain *d, void *arg)
{
	unsigned int i;

	(void)arg;
	printk("(lamina) d%u%s: %s%s, pause count %u, %lu pages, "
	       "%u vCPUs\n", d->domain_id, d->is_hardware ? " (hardware)" : "",
	       d->is_crashed ? "crashed" : d->is_shut_down ? "shut down" :
	       "live", d->is_dying ? ", dying" : "", d->pause_count,
	       d->tot_pages, d->max_vcpus);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			dump_vcpu(d->vcpu[i]);
}

static void key_help(void);

static void key_domains(void)
{
	printk("(lamina) 'q': domains (%u)\n", domain_count());
	domain_for_each(dump_domain, NULL);
}

static const struct {
	char key;
	const char *what;
	void (*fn)(void);
} keys[] = {
	{ 'h', "the keys", key_help },
	{ 'q', "domains and vCPUs", key_domains },
};

static void key_help(void)
{
	unsigned int i;

	printk("(lamina) 'h': debug keys\n");
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		printk("(lamina)   %c  %s\n", keys[i].key, keys[i].what);
}

void handle_keypress(char c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].key == c) {
			keys[i].fn();
			return;
		}
	if (c >= ' ' && c < 0x7f)
		printk("(lamina) '%c': no such debug key ('h' lists them)\n",
		       c);
}
