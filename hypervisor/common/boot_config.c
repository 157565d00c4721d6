// SPDX-License-Identifier: GPL-2.0
/*
 * Which domains to build at boot, from the boot modules: Xen's module
 * convention or a hyperlaunch device tree. See lamina/boot_domains.h.
 */
#include <lamina/boot_domains.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/param.h>

int dom0_mem_parse(const char *s, uint64_t *bytes)
{
	uint64_t v;

	if (!s || parse_size(s, &v) || v == 0 || v > (UINT64_MAX >> 1))
		return -EINVAL;
	*bytes = ALIGN_UP(v, PAGE_SIZE);
	return 0;
}

/* The first module holding a device tree, or -1. */
static int find_fdt(const struct boot_info *bi)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (bootfdt_is_fdt(maddr_to_virt(m->start), m->end - m->start))
			return (int)i;
	}
	return -1;
}

static unsigned int xen_convention(const struct boot_info *bi,
				   const struct boot_domain_opts *o,
				   unsigned long free_pages,
				   struct boot_domain *d)
{
	uint64_t half = (uint64_t)(free_pages / 2) << PAGE_SHIFT;

	if (!bi->nr_modules) {
		printk("(lamina) no dom0 module\n");
		return 0;
	}
	*d = (struct boot_domain){
		.domid = 0, .is_hardware = true, .is_control = true,
		.max_vcpus = o->dom0_max_vcpus ? o->dom0_max_vcpus : 1,
		.weight = BOOT_DOMAIN_WEIGHT_DEFAULT,
		.mem = o->dom0_mem ? o->dom0_mem :
		       MIN(DOM0_MEM_DEFAULT_MAX, half),
		.kernel = 0, .ramdisk = bi->nr_modules > 1 ? 1 : -1,
		.cmdline = bootfdt_module_args(bi->modules[0].string),
	};
	cpumask_fill(&d->affinity);
	printk("(lamina) boot domains: Xen's module convention: dom0 kernel "
	       "module 0%s\n", d->ramdisk == 1 ? ", initrd module 1" : "");
	return 1;
}

static bool fdt_is_hardware(const struct boot_domain_config *c)
{
	return (c->permissions & BOOT_PERMISSION_HARDWARE) ||
	       (c->functions & BOOT_FUNCTION_LEGACY_DOM0);
}

static void from_fdt(const struct boot_domain_config *c, bool hardware,
		     struct boot_domain *d)
{
	*d = (struct boot_domain){
		.domid = c->domid, .is_hardware = hardware,
		.is_control = hardware ||
			      (c->permissions & BOOT_PERMISSION_CONTROL),
		.max_vcpus = c->vcpus, .weight = c->weight, .cap = c->cap,
		.pinned = c->pinned, .affinity = c->affinity,
		/* KiB to whole pages; absurd sizes stay absurd (no wrap). */
		.mem = ALIGN_UP(MIN(c->memory_kib, UINT64_MAX >> 12), 4) << 10,
		.kernel = (unsigned int)c->kernel_mb_index,
		.ramdisk = c->ramdisk_mb_index, .cmdline = c->cmdline,
	};
}

/*
 * A cpu-affinity must name an online CPU (Xen refuses a hard affinity
 * without one); the others it names stay in the mask, unused.
 */
static bool affinity_usable(const struct boot_domain_config *c,
			    const cpumask_t *online)
{
	cpumask_t on, off;
	char list[64];

	if (!c->pinned)
		return true;
	cpumask_and(&on, &c->affinity, online);
	if (cpumask_empty(&on)) {
		printk("(lamina) d%u: cpu-affinity %s names no online CPU: "
		       "not built\n", c->domid,
		       cpumask_print(list, sizeof(list), &c->affinity));
		return false;
	}
	cpumask_andnot(&off, &c->affinity, online);
	if (!cpumask_empty(&off))
		printk("(lamina) d%u: cpu-affinity: CPUs %s not online, "
		       "unused\n", c->domid,
		       cpumask_print(list, sizeof(list), &off));
	return true;
}

static unsigned int hyperlaunch(const struct boot_info *bi, unsigned int idx,
				const cpumask_t *online,
				struct boot_domain *doms, unsigned int max)
{
	static struct boot_domain_config cfg[BOOTFDT_MAX_DOMAINS];
	const struct boot_module *m = &bi->modules[idx];
	unsigned int i, n, nr = 0;
	int hw = -1, rc;

	printk("(lamina) boot domains: hyperlaunch device tree in module "
	       "%u\n", idx);
	rc = bootfdt_parse(maddr_to_virt(m->start), m->end - m->start, idx,
			   bi, cfg, MIN(max, ARRAY_SIZE(cfg)), &n);
	if (rc) {
		printk("(lamina) boot domains: device tree unusable (%d): no "
		       "domain built\n", rc);
		return 0;
	}
	for (i = 0; i < n; i++) {
		bool is_hw = fdt_is_hardware(&cfg[i]);

		if (is_hw && hw >= 0) {
			printk("(lamina) d%u: a second hardware domain (d%u "
			       "is one): not built\n", cfg[i].domid,
			       cfg[hw].domid);
			continue;
		}
		if (!affinity_usable(&cfg[i], online))
			continue;
		if (is_hw)
			hw = (int)i;
		from_fdt(&cfg[i], is_hw, &doms[nr++]);
	}
	if (hw < 0)
		printk("(lamina) boot domains: no hardware domain\n");
	return nr;
}

unsigned int boot_domains_describe(const struct boot_info *bi,
				   const struct boot_domain_opts *o,
				   unsigned long free_pages,
				   struct boot_domain *doms, unsigned int max)
{
	int fdt = find_fdt(bi);

	if (!max)
		return 0;
	if (fdt >= 0)
		return hyperlaunch(bi, (unsigned int)fdt, &o->cpus_online,
				   doms, max);
	return xen_convention(bi, o, free_pages, doms);
}
