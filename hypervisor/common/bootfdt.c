// SPDX-License-Identifier: GPL-2.0
/*
 * Hyperlaunch boot domains: the checks that need no device-tree access
 * (the libfdt walk is in common/loader/bootfdt_parse.c). See
 * lamina/bootfdt.h for the binding and the contracts.
 */
#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/errno.h>
#include <lamina/bootfdt.h>

bool bootfdt_is_fdt(const void *mod, size_t len)
{
	const uint8_t *p = mod;

	return len >= 4 && ((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 |
			    p[3]) == FDT_MAGIC_VALUE;
}

const char *bootfdt_module_args(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int check_index(const struct boot_domain_config *d, const char *what,
		       int idx, unsigned int fdt_index,
		       const struct boot_info *bi)
{
	if (idx < 0 || (unsigned int)idx >= bi->nr_modules) {
		printk("(lamina) boot fdt: domain %u: %s mb-index %d, but "
		       "there are %u modules\n", d->domid, what, idx,
		       bi->nr_modules);
		return -EINVAL;
	}
	if ((unsigned int)idx == fdt_index) {
		printk("(lamina) boot fdt: domain %u: %s mb-index %d is the "
		       "device tree itself\n", d->domid, what, idx);
		return -EINVAL;
	}
	return 0;
}

static int check_domain(struct boot_domain_config *d, unsigned int fdt_index,
			const struct boot_info *bi)
{
	int rc;

	rc = check_index(d, "kernel", d->kernel_mb_index, fdt_index, bi);
	if (rc)
		return rc;
	if (d->ramdisk_mb_index != -1) {
		rc = check_index(d, "ramdisk", d->ramdisk_mb_index, fdt_index,
				 bi);
		if (rc)
			return rc;
		if (d->ramdisk_mb_index == d->kernel_mb_index) {
			printk("(lamina) boot fdt: domain %u: kernel and "
			       "ramdisk are both module %d\n", d->domid,
			       d->kernel_mb_index);
			return -EINVAL;
		}
	}
	if (!d->cmdline)
		d->cmdline = bootfdt_module_args(
			bi->modules[d->kernel_mb_index].string);
	return 0;
}

int bootfdt_validate(struct boot_domain_config *doms, unsigned int nr,
		     unsigned int fdt_index, const struct boot_info *bi)
{
	unsigned int i, j;
	int rc;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < i; j++) {
			if (doms[i].domid == doms[j].domid) {
				printk("(lamina) boot fdt: domid %u defined "
				       "twice\n", doms[i].domid);
				return -EINVAL;
			}
		}
		rc = check_domain(&doms[i], fdt_index, bi);
		if (rc)
			return rc;
	}
	return 0;
}
