// SPDX-License-Identifier: GPL-2.0
/*
 * Hyperlaunch device trees, walked with Debian's libfdt (libfdt-dev's
 * libfdt.a in the hypervisor, with lamina's libfdt_env.h; the same
 * archive in the unit tests). See lamina/bootfdt.h for the binding.
 *
 * The tree is untrusted until fdt_check_full() has walked it: after that
 * libfdt's accessors stay within totalsize, and every property read here
 * has its length checked before use.
 */
#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/errno.h>
#include <lamina/bootfdt.h>

#include <libfdt.h>
#include <xen/xen.h>

/* Where a property is, for messages: the node's name in the tree. */
static const char *node_name(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	return name ? name : "?";
}

/*
 * A u32 property: *val gets it, or def if absent and not required.
 * -EINVAL (after a message) if absent and required, or not 4 bytes.
 */
static int prop_u32(const void *fdt, int node, const char *prop,
		    bool required, uint32_t def, uint32_t *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p && required) {
		printk("(lamina) boot fdt: %s: no %s property\n",
		       node_name(fdt, node), prop);
		return -EINVAL;
	}
	if (!p) {
		*val = def;
		return 0;
	}
	if (len != 4) {
		printk("(lamina) boot fdt: %s: %s is %d bytes, expected one "
		       "cell (4)\n", node_name(fdt, node), prop, len);
		return -EINVAL;
	}
	*val = fdt32_ld(p);
	return 0;
}

/* memory: two cells, a u64 number of KiB (as in Xen's examples). */
static int prop_memory(const void *fdt, int node, uint64_t *kib)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, "memory", &len);
	if (!p) {
		printk("(lamina) boot fdt: %s: no memory property\n",
		       node_name(fdt, node));
		return -EINVAL;
	}
	if (len != 8) {
		printk("(lamina) boot fdt: %s: memory is %d bytes, expected "
		       "two cells (u64 KiB)\n", node_name(fdt, node), len);
		return -EINVAL;
	}
	*kib = fdt64_ld(p);
	return 0;
}

/*
 * cpu-affinity: u32 CPU numbers, each below CONFIG_NR_CPUS, at least one
 * (repeats are harmless). Absent: every CPU. Whether the CPUs are online
 * is for the builder (boot_config.c), which knows.
 */
static int prop_cpus(const void *fdt, int node, struct boot_domain_config *d)
{
	const fdt32_t *p;
	int len, i;

	cpumask_fill(&d->affinity);
	p = fdt_getprop(fdt, node, "cpu-affinity", &len);
	if (!p)
		return 0;
	if (len == 0 || len % 4) {
		printk("(lamina) boot fdt: %s: cpu-affinity is %d bytes, "
		       "expected one or more cells (u32 CPU numbers)\n",
		       node_name(fdt, node), len);
		return -EINVAL;
	}
	cpumask_clear(&d->affinity);
	for (i = 0; i < len / 4; i++) {
		uint32_t cpu = fdt32_ld(&p[i]);

		if (cpu >= CONFIG_NR_CPUS) {
			printk("(lamina) boot fdt: %s: cpu-affinity names CPU "
			       "%u, beyond CONFIG_NR_CPUS (%u)\n",
			       node_name(fdt, node), cpu, CONFIG_NR_CPUS);
			return -EINVAL;
		}
		cpumask_set(&d->affinity, cpu);
	}
	d->pinned = true;
	return 0;
}

/* A property holding exactly one NUL-terminated string, or absent. */
static int prop_string(const void *fdt, int node, const char *prop,
		       const char **val)
{
	const char *p;
	int len;

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p)
		return 0;
	if (len < 1 || strnlen(p, len) != (size_t)len - 1) {
		printk("(lamina) boot fdt: %s: %s is not one string\n",
		       node_name(fdt, node), prop);
		return -EINVAL;
	}
	*val = p;
	return 0;
}

/* A kernel or ramdisk module node: its mb-index into *idx, once. */
static int read_module(const void *fdt, int node, const char *what,
		       struct boot_domain_config *d, int *idx)
{
	uint32_t v;
	int rc;

	if (*idx != -1) {
		printk("(lamina) boot fdt: domain %u: more than one %s "
		       "module\n", d->domid, what);
		return -EINVAL;
	}
	rc = prop_u32(fdt, node, "mb-index", true, 0, &v);
	if (rc)
		return rc;
	if (v >= BOOT_MAX_MODULES) {
		printk("(lamina) boot fdt: domain %u: %s mb-index %u out of "
		       "range\n", d->domid, what, v);
		return -EINVAL;
	}
	*idx = v;	/* checked against the module count by validate */
	return 0;
}

static int read_modules(const void *fdt, int dom, struct boot_domain_config *d)
{
	int node, rc = 0;

	d->kernel_mb_index = d->ramdisk_mb_index = -1;
	fdt_for_each_subnode(node, fdt, dom) {
		if (!fdt_node_check_compatible(fdt, node, "module,kernel")) {
			rc = read_module(fdt, node, "kernel", d,
					 &d->kernel_mb_index);
			if (!rc)
				rc = prop_string(fdt, node, "bootargs",
						 &d->cmdline);
		} else if (!fdt_node_check_compatible(fdt, node,
						      "module,ramdisk")) {
			rc = read_module(fdt, node, "ramdisk", d,
					 &d->ramdisk_mb_index);
		}
		if (rc)
			return rc;
	}
	if (d->kernel_mb_index == -1) {
		printk("(lamina) boot fdt: domain %u has no kernel module\n",
		       d->domid);
		return -EINVAL;
	}
	return 0;
}

/* The u32 properties of a domain node, each with its default. */
static int read_numbers(const void *fdt, int node,
			struct boot_domain_config *d)
{
	int rc;

	rc = prop_u32(fdt, node, "domid", true, 0, &d->domid);
	if (!rc)
		rc = prop_u32(fdt, node, "permissions", false, 0,
			      &d->permissions);
	if (!rc)
		rc = prop_u32(fdt, node, "functions", false, 0, &d->functions);
	if (!rc)
		rc = prop_u32(fdt, node, "mode", true, 0, &d->mode);
	if (!rc)
		rc = prop_u32(fdt, node, "cpus", false, 1, &d->vcpus);
	if (!rc)
		rc = prop_u32(fdt, node, "weight", false,
			      BOOT_DOMAIN_WEIGHT_DEFAULT, &d->weight);
	if (!rc)
		rc = prop_u32(fdt, node, "cap", false, 0, &d->cap);
	if (!rc)
		rc = prop_cpus(fdt, node, d);
	if (!rc)
		rc = prop_memory(fdt, node, &d->memory_kib);
	return rc;
}

static int check_values(const struct boot_domain_config *d, const char *name)
{
	if (d->domid >= DOMID_FIRST_RESERVED) {
		printk("(lamina) boot fdt: %s: domid %#x out of range (below "
		       "%#x)\n", name, d->domid, DOMID_FIRST_RESERVED);
		return -EINVAL;
	}
	if (d->mode != BOOT_DOMAIN_MODE_PVH64) {
		printk("(lamina) boot fdt: domain %u: mode %u not supported "
		       "(only %d, 64-bit PVH)\n", d->domid, d->mode,
		       BOOT_DOMAIN_MODE_PVH64);
		return -EINVAL;
	}
	if (d->vcpus == 0 || d->vcpus > BOOT_DOMAIN_MAX_VCPUS) {
		printk("(lamina) boot fdt: domain %u: %u cpus (1-%d)\n",
		       d->domid, d->vcpus, BOOT_DOMAIN_MAX_VCPUS);
		return -EINVAL;
	}
	if (d->memory_kib == 0 || d->memory_kib > (UINT64_MAX >> 10)) {
		printk("(lamina) boot fdt: domain %u: memory %llu KiB\n",
		       d->domid, (unsigned long long)d->memory_kib);
		return -EINVAL;
	}
	if (d->weight == 0 || d->weight > BOOT_DOMAIN_WEIGHT_MAX) {
		printk("(lamina) boot fdt: domain %u: weight %u (1-%d)\n",
		       d->domid, d->weight, BOOT_DOMAIN_WEIGHT_MAX);
		return -EINVAL;
	}
	/* cpus is at most BOOT_DOMAIN_MAX_VCPUS here: no overflow. */
	if (d->cap > BOOT_DOMAIN_CAP_PER_VCPU * d->vcpus) {
		printk("(lamina) boot fdt: domain %u: cap %u%% (0-%u for %u "
		       "cpus)\n", d->domid, d->cap,
		       BOOT_DOMAIN_CAP_PER_VCPU * d->vcpus, d->vcpus);
		return -EINVAL;
	}
	return 0;
}

static int read_domain(const void *fdt, int node,
		       struct boot_domain_config *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	rc = read_numbers(fdt, node, d);
	if (!rc)
		rc = check_values(d, node_name(fdt, node));
	if (!rc)
		rc = read_modules(fdt, node, d);
	return rc;
}

static int check_tree(const void *fdt, size_t len)
{
	int rc;

	if (len < sizeof(struct fdt_header) || !bootfdt_is_fdt(fdt, len)) {
		printk("(lamina) boot fdt: no device-tree magic\n");
		return -EINVAL;
	}
	/* libfdt's own check; its fdt_strerror() has no text for it. */
	if (!IS_ALIGNED((uintptr_t)fdt, 8)) {
		printk("(lamina) boot fdt: tree at %p is not 8-byte aligned\n",
		       fdt);
		return -EINVAL;
	}
	rc = fdt_check_header(fdt);
	if (!rc && fdt_totalsize(fdt) > len) {
		printk("(lamina) boot fdt: tree of %u bytes in a %zu-byte "
		       "module\n", fdt_totalsize(fdt), len);
		return -EINVAL;
	}
	if (!rc)
		rc = fdt_check_full(fdt, len);
	if (rc) {
		printk("(lamina) boot fdt: bad device tree: %s (%d)\n",
		       fdt_strerror(rc), rc);
		return -EINVAL;
	}
	return 0;
}

int bootfdt_parse(const void *fdt, size_t len, unsigned int fdt_index,
		  const struct boot_info *bi, struct boot_domain_config *doms,
		  unsigned int max, unsigned int *nr)
{
	int hv, node, rc;

	*nr = 0;
	rc = check_tree(fdt, len);
	if (rc)
		return rc;
	hv = fdt_path_offset(fdt, "/chosen/hypervisor");
	if (hv < 0) {
		printk("(lamina) boot fdt: no /chosen/hypervisor node\n");
		return -ENOENT;
	}
	fdt_for_each_subnode(node, fdt, hv) {
		if (fdt_node_check_compatible(fdt, node, "xen,domain"))
			continue;
		if (*nr == max) {
			printk("(lamina) boot fdt: more than %u domains\n",
			       max);
			return -E2BIG;
		}
		rc = read_domain(fdt, node, &doms[*nr]);
		if (rc)
			return rc;
		++*nr;
	}
	if (*nr == 0) {
		printk("(lamina) boot fdt: no xen,domain node in "
		       "/chosen/hypervisor\n");
		return -ENOENT;
	}
	return bootfdt_validate(doms, *nr, fdt_index, bi);
}
