// SPDX-License-Identifier: GPL-2.0
/*
 * Building the boot domains and starting them (see lamina/boot_domains.h
 * and docs/boot-domains.md). For each domain, in order:
 *
 *   kernel image ready (bzImage decompressed)   nothing created yet:
 *   memory layout and host memory checked       a failure costs nothing
 *   domain created, RAM populated, console ring from here a failure
 *   kernel loaded, boot data and ACPI written   shuts the domain down
 *   vCPU 0 at the PVH entry, EBX = start info   (the reaper frees it)
 *
 * Every domain is built before any starts, so that their output does not
 * interleave with the building messages.
 */
#include <lamina/boot_domains.h>
#include <lamina/boot_kernel.h>
#include <lamina/domain.h>
#include <lamina/domain_console.h>
#include <lamina/errno.h>
#include <lamina/guest_acpi.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <lamina/param.h>
#include <lamina/pvh_start_info.h>
#include <lamina/sched.h>
#include <lamina/serial_input.h>
#include <lamina/time.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>
#include <xen/sched.h>

#define GPA_4G	GiB(4)

static uint64_t opt_dom0_mem;
static unsigned int opt_dom0_max_vcpus;

static int parse_dom0_mem(const char *s)
{
	return dom0_mem_parse(s, &opt_dom0_mem);
}
custom_param("dom0_mem", parse_dom0_mem);
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

/* One domain on its way: boot-time only, one at a time. */
struct build {
	const struct boot_domain *bd;
	struct boot_kernel k;
	s_time_t xz_ns;
	struct pvh_guest g;
	struct pvh_layout l;
	uint8_t acpi[GUEST_ACPI_SIZE(DOMAIN_MAX_VCPUS)];
};

static int gwrite(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	return copy_to_guest_phys(ctx, gpa, src, len);
}

static int gzero(void *ctx, uint64_t gpa, size_t len)
{
	return clear_guest_phys(ctx, gpa, len);
}

static int prepare_kernel(const struct boot_info *bi, struct build *b)
{
	const struct boot_module *m = &bi->modules[b->bd->kernel];
	s_time_t t0;
	int rc;

	/*
	 * liblzma uses SSE. No guest FPU state is live: this runs at boot
	 * on the boot CPU before any vCPU has been scheduled.
	 */
	ASSERT(!current_vcpu());
	t0 = NOW();
	rc = boot_kernel_prepare(maddr_to_virt(m->start), m->end - m->start,
				 &b->k);
	b->xz_ns = NOW() - t0;
	if (rc)
		printk("(lamina) d%u: module %u is not a PVH kernel (%d)\n",
		       b->bd->domid, b->bd->kernel, rc);
	return rc;
}

/* Layout, and enough free memory for the RAM and its p2m. */
static int plan_memory(const struct boot_info *bi, struct build *b)
{
	const struct boot_domain *bd = b->bd;
	unsigned long need, have = page_alloc_free_pages();
	int rc;

	b->g = (struct pvh_guest){
		.domid = bd->domid, .mem = bd->mem,
		.kernel_start = b->k.plan.paddr_start,
		.kernel_end = b->k.plan.paddr_end, .cmdline = bd->cmdline,
		.flags = (bd->is_hardware ? SIF_INITDOMAIN : 0) |
			 (bd->is_control ? SIF_PRIVILEGED : 0),
		.acpi_size = GUEST_ACPI_SIZE(bd->max_vcpus),
	};
	if (bd->ramdisk >= 0) {
		const struct boot_module *m = &bi->modules[bd->ramdisk];

		b->g.initrd = maddr_to_virt(m->start);
		b->g.initrd_len = m->end - m->start;
		b->g.initrd_cmdline = bootfdt_module_args(m->string);
	}
	rc = pvh_layout(&b->g, &b->l);
	if (rc)
		return rc;
	need = PFN_DOWN(bd->mem);
	need += need / 512 + 64;	/* p2m tables and the vCPUs */
	if (need > have) {
		printk("(lamina) d%u: out of host memory: %lu MiB needed, %lu "
		       "MiB free\n", bd->domid, need >> 8, have >> 8);
		return -ENOMEM;
	}
	return 0;
}

/* The cpu-affinity on every vCPU (boot_config.c checked it names an
 * online CPU). */
static int pin(struct domain *d, const struct boot_domain *bd)
{
	unsigned int i;
	int rc;

	for (i = 0; bd->pinned && i < d->max_vcpus; i++) {
		rc = vcpu_set_affinity(d->vcpu[i], &bd->affinity);
		if (rc) {
			printk("(lamina) d%u: cannot pin vCPU %u (%d)\n",
			       bd->domid, i, rc);
			return rc;
		}
	}
	return 0;
}

/* NULL after a message; or the domain, with *rc set if unusable. */
static struct domain *create(const struct boot_domain *bd, int *rc)
{
	struct domain_config cfg = {
		.domid = (domid_t)bd->domid, .is_hardware = bd->is_hardware,
		.max_vcpus = bd->max_vcpus, .weight = bd->weight,
		.cap = bd->cap,
	};
	struct domain *d;

	if (bd->max_vcpus > DOMAIN_MAX_VCPUS) {
		printk("(lamina) d%u: %u vCPUs, at most %u\n", bd->domid,
		       bd->max_vcpus, DOMAIN_MAX_VCPUS);
		return NULL;
	}
	d = domain_create(&cfg, rc);
	if (!d)
		printk("(lamina) d%u: cannot create the domain (%d%s)\n",
		       bd->domid, *rc, *rc == -EEXIST ? ": domid in use" : "");
	else
		*rc = pin(d, bd);
	return d;
}

/*
 * The ACPI tables (lamina/guest_acpi.h) with one MADT entry per vCPU,
 * each with the APIC ID the vCPU's CPUID and LAPIC report. The same for
 * every boot domain, dom0 included (docs/guest-acpi.md).
 */
static int write_acpi(struct domain *d, struct build *b)
{
	uint32_t ids[DOMAIN_MAX_VCPUS];
	unsigned int i;
	int rc;

	BUILD_BUG_ON(ARRAY_SIZE(ids) > GUEST_ACPI_MAX_CPUS);
	for (i = 0; i < d->max_vcpus; i++)
		ids[i] = hvm_vcpu_apic_id(d->vcpu[i]);
	rc = guest_acpi_build(b->l.acpi, ids, d->max_vcpus, b->acpi,
			      sizeof(b->acpi));
	if (!rc)
		rc = gwrite(d, b->l.acpi, b->acpi,
			    GUEST_ACPI_SIZE(d->max_vcpus));
	if (rc)
		printk("(lamina) d%u: cannot build its ACPI tables at %#llx "
		       "(%d)\n", d->domain_id,
		       (unsigned long long)b->l.acpi, rc);
	return rc;
}

/* RAM, kernel, boot data, ACPI tables, start state. */
static int fill(struct domain *d, struct build *b)
{
	const struct pvh_layout *l = &b->l;
	unsigned int id = b->bd->domid;
	int rc;

	rc = domain_populate(d, 0, PFN_DOWN(l->ram_low_end));
	if (!rc && l->ram_high_end)
		rc = domain_populate(d, PFN_DOWN(GPA_4G),
				     PFN_DOWN(l->ram_high_end - GPA_4G));
	if (rc) {
		printk("(lamina) d%u: out of host memory for its RAM (%d)\n",
		       id, rc);
		return rc;
	}
	if (!d->is_hardware) {
		rc = domain_console_create(d);
		if (rc)
			return rc;
	}
	d->max_pages = d->tot_pages;
	rc = domain_set_memmap(d, l->map, l->nr_memmap);
	if (rc)
		return rc;
	rc = elf_load_into(&b->k.plan, gwrite, gzero, d);
	if (rc) {
		printk("(lamina) d%u: cannot load the kernel (%d)\n", id, rc);
		return rc;
	}
	rc = pvh_write(&b->g, l, gwrite, d);
	if (!rc)
		rc = write_acpi(d, b);
	if (rc)
		return rc;
	hvm_ops->vcpu_set_pvh_entry(d->vcpu[0], (uint32_t)b->k.plan.entry,
				    (uint32_t)l->start_info);
	return 0;
}

/* "12.3 MB": bytes in decimal megabytes, one decimal. */
static void print_mb(const char *fmt, uint64_t bytes)
{
	uint64_t tenths = (bytes + 50000) / 100000;

	printk(fmt, (unsigned long)(tenths / 10), (unsigned int)(tenths % 10));
}

/* The module's file name: its string's first word less the path. */
static const char *file_name(const struct boot_module *m, int *len)
{
	const char *s = m->string, *base = s;

	for (; *s && *s != ' ' && *s != '\t'; s++)
		if (*s == '/')
			base = s + 1;
	*len = (int)(s - base);
	return base;
}

static void print_module(const char *what, const struct boot_module *m,
			 unsigned int idx)
{
	int len;
	const char *name = file_name(m, &len);

	if (len)
		printk(", %s %.*s", what, len, name);
	else
		printk(", %s module %u", what, idx);
}

/* One line per domain built (printk takes 511 bytes at a time). */
static void print_built(const struct boot_info *bi, const struct build *b)
{
	const struct boot_domain *bd = b->bd;
	const char *s;
	char cpus[64];

	printk("(lamina) d%u: %lu MiB, %u vCPU%s, weight %u", bd->domid,
	       (unsigned long)(bd->mem >> 20), bd->max_vcpus,
	       bd->max_vcpus == 1 ? "" : "s", bd->weight);
	if (bd->cap)
		printk(", cap %u%%", bd->cap);
	if (bd->pinned)
		printk(", on CPUs %s", cpumask_print(cpus, sizeof(cpus),
						     &bd->affinity));
	printk("%s", bd->is_hardware ? ", hardware domain" : "");
	print_module("kernel", &bi->modules[bd->kernel], bd->kernel);
	if (b->k.is_bzimage) {
		print_mb(" (bzImage, xz %lu.%u MB", b->k.xz_len);
		print_mb(" -> %lu.%u MB", b->k.elf_len);
		printk(" in %lu.%lu s)", (unsigned long)(b->xz_ns / 1000000000),
		       (unsigned long)(b->xz_ns / 100000000 % 10));
	} else {
		printk(" (ELF)");
	}
	if (bd->ramdisk >= 0) {
		print_module("initrd", &bi->modules[bd->ramdisk],
			     (unsigned int)bd->ramdisk);
		if (b->g.initrd_len < MiB(1))
			printk(" (%lu KiB)", (unsigned long)
			       DIV_ROUND_UP(b->g.initrd_len, 1024));
		else
			print_mb(" (%lu.%u MB)", b->g.initrd_len);
	}
	printk(", entry %#lx, start info %#lx, cmdline \"",
	       (unsigned long)b->k.plan.entry,
	       (unsigned long)b->l.start_info);
	for (s = bd->cmdline; *s; s += strnlen(s, 400))
		printk("%.400s", s);
	printk("\"\n");
}

/*
 * Build one domain: 0 and *d ready to start; or, after saying why, an
 * error with *d NULL, or with *d created but unusable (to shut down).
 */
static int build_one(const struct boot_info *bi, const struct boot_domain *bd,
		     struct domain **d)
{
	static struct build b;
	int rc;

	*d = NULL;
	memset(&b, 0, sizeof(b));
	b.bd = bd;
	rc = prepare_kernel(bi, &b);
	if (!rc)
		rc = plan_memory(bi, &b);
	if (!rc) {
		*d = create(bd, &rc);
		if (!*d)
			rc = -EINVAL;
		else if (!rc)
			rc = fill(*d, &b);
	}
	if (!rc)
		print_built(bi, &b);
	else
		printk("(lamina) d%u: not built\n", bd->domid);
	boot_kernel_release(&b.k);
	return rc;
}

/* Every domain is built: the modules' memory goes back to the heap. */
static void release_modules(const struct boot_info *bi)
{
	unsigned long freed = 0, first, last;
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++) {
		first = PFN_UP(bi->modules[i].start);
		last = PFN_DOWN(bi->modules[i].end);
		if (first < last)
			freed += page_alloc_reclaim(first, last - first);
	}
	domains_baseline_add(freed);
	if (freed)
		printk("(lamina) boot modules: %lu KiB freed\n", freed * 4);
}

int boot_domains_create(const struct boot_info *bi)
{
	static struct boot_domain descs[BOOT_DOMAINS_MAX];
	static struct domain *built[BOOT_DOMAINS_MAX];
	static struct domain *failed[BOOT_DOMAINS_MAX];
	struct boot_domain_opts o = {
		.dom0_mem = opt_dom0_mem, .dom0_max_vcpus = opt_dom0_max_vcpus,
	};
	unsigned int nr, i, n = 0, nf = 0;
	struct domain *d;

	cpumask_clear(&o.cpus_online);
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		if (sched_cpu_online(i))
			cpumask_set(&o.cpus_online, i);

	nr = boot_domains_describe(bi, &o, page_alloc_free_pages(), descs,
				   ARRAY_SIZE(descs));
	if (nr && !hvm_ops) {
		printk("(lamina) boot domains: no SVM or VMX to run them\n");
		return 0;
	}
	for (i = 0; i < nr; i++) {
		if (!build_one(bi, &descs[i], &d))
			built[n++] = d;
		else if (d)
			failed[nf++] = d;
	}
	if (nr)
		printk("(lamina) boot domains: %u of %u built%s\n", n, nr,
		       n ? ", starting" : "");
	release_modules(bi);
	if (n)
		serial_input_boot_focus();
	for (i = 0; i < n; i++)
		domain_start(built[i]);
	/*
	 * Only now, so that the reaper does not find the domain list empty
	 * half-way. A hardware domain among them takes the machine down
	 * with it, as a hardware domain that crashes does.
	 */
	for (i = 0; i < nf; i++)
		domain_shutdown(failed[i], SHUTDOWN_crash);
	return (int)n;
}
