/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot domains from a hyperlaunch device tree (Xen's binding, see
 * docs/designs/launch/hyperlaunch-devicetree.rst in Xen): a flattened
 * device tree passed as a boot module whose /chosen/hypervisor node has
 * one child with compatible "xen,domain" per domain to build:
 *
 *   domid (u32, required, below DOMID_FIRST_RESERVED), permissions and
 *   functions (u32 bit sets, default 0), mode (u32, required; only 4, a
 *   64-bit PVH domain, is supported), cpus (u32, default 1), memory (two
 *   cells: a u64 in KiB, required), and our extensions for the credit
 *   scheduler: weight (u32, 1-65535, default 256), cap (u32, percent of
 *   one CPU the domain may use, 0-100 x cpus, default 0: no cap) and
 *   cpu-affinity (u32 CPU numbers below CONFIG_NR_CPUS, at least one:
 *   the physical CPUs every vCPU of the domain may run on; default all);
 *
 * and, as children of a domain, modules with compatible "module,kernel"
 * (exactly one) or "module,ramdisk" (at most one), each with mb-index
 * (u32: the index in the boot loader's module list, where the device
 * tree itself is one of the modules) and optionally, on the kernel,
 * bootargs (the domain's command line; default: the kernel module's
 * string after its first word, the file name). Nodes are matched on
 * compatible, never on names; other nodes are ignored.
 */
#ifndef LAMINA_BOOTFDT_H
#define LAMINA_BOOTFDT_H

#include <lamina/types.h>
#include <lamina/bootinfo.h>
#include <lamina/cpumask.h>

#define FDT_MAGIC_VALUE			0xd00dfeed	/* big-endian */
#define BOOTFDT_MAX_DOMAINS		32
#define BOOT_DOMAIN_MODE_PVH64		4
#define BOOT_DOMAIN_WEIGHT_DEFAULT	256
#define BOOT_DOMAIN_WEIGHT_MAX		65535
#define BOOT_DOMAIN_MAX_VCPUS		128
/* A cap is at most 100% per vCPU (the limit of Xen's libxl). */
#define BOOT_DOMAIN_CAP_PER_VCPU	100

struct boot_domain_config {
	uint32_t domid;
	uint32_t permissions;
	uint32_t functions;
	uint32_t mode;
	uint32_t vcpus;
	uint64_t memory_kib;
	uint32_t weight;
	uint32_t cap;			/* percent of one CPU; 0: none */
	bool pinned;			/* cpu-affinity given */
	cpumask_t affinity;		/* all CPUs unless pinned */
	int kernel_mb_index;
	int ramdisk_mb_index;		/* -1 if none */
	const char *cmdline;		/* never NULL after parsing; points
					 * into the tree or a module string */
};

/* True if the module starts with the FDT magic (common/bootfdt.c). */
bool bootfdt_is_fdt(const void *mod, size_t len);

/* The module string less its first word (the file name), "" if none. */
const char *bootfdt_module_args(const char *string);

/*
 * Cross-checks of parsed domains against each other and the module list
 * (common/bootfdt.c): mb-indexes below bi->nr_modules and not fdt_index,
 * distinct domids, kernel and ramdisk distinct; a NULL cmdline becomes
 * the kernel module's arguments. Returns 0 or, after a "(lamina) boot
 * fdt: ..." message, -EINVAL.
 */
int bootfdt_validate(struct boot_domain_config *doms, unsigned int nr,
		     unsigned int fdt_index, const struct boot_info *bi);

/*
 * Parse the tree fdt[0, len), boot module fdt_index of bi, into doms[]
 * (at most max entries), *nr set to the count; calls bootfdt_validate().
 * libfdt based (common/loader/bootfdt_parse.c). Returns 0, or after a
 * "(lamina) boot fdt: ..." message: -EINVAL a bad header or structure,
 * a property of the wrong length or value, a domain without exactly one
 * kernel; -ENOENT no /chosen/hypervisor or no domain in it; -E2BIG more
 * than max domains.
 */
int bootfdt_parse(const void *fdt, size_t len, unsigned int fdt_index,
		  const struct boot_info *bi, struct boot_domain_config *doms,
		  unsigned int max, unsigned int *nr);

#endif /* LAMINA_BOOTFDT_H */
