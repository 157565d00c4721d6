/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot domains: the domains built from the boot modules and started at
 * boot. Two conventions (docs/boot-domains.md):
 *
 *  - Xen's, when no module is a device tree: module 0 is dom0's kernel
 *    (its string after the file name is dom0's command line), module 1
 *    dom0's initrd; dom0 is the hardware domain, domid 0, with
 *    dom0_mem= of memory (default min(512 MiB, half the free memory))
 *    and dom0_max_vcpus= vCPUs (default 1).
 *  - A hyperlaunch device tree (lamina/bootfdt.h), the first module with
 *    the FDT magic: one domain per xen,domain node. The hardware domain
 *    is the one whose permissions has PERMISSION_HARDWARE (bit 1) or
 *    whose functions has FUNCTION_LEGACY_DOM0 (bit 31), as in Xen's
 *    hyperlaunch; at most one (a second is not built); there may be none.
 *    A domain whose cpu-affinity names no online CPU is not built (as
 *    Xen refuses such a hard affinity); CPUs of it that are not online
 *    stay in its vCPUs' affinity, unused (there is no CPU hotplug).
 */
#ifndef LAMINA_BOOT_DOMAINS_H
#define LAMINA_BOOT_DOMAINS_H

#include <lamina/types.h>
#include <lamina/bootfdt.h>

#define BOOT_DOMAINS_MAX	BOOTFDT_MAX_DOMAINS
#define DOM0_MEM_DEFAULT_MAX	MiB(512)

/* Hyperlaunch permissions and functions bits (Xen's binding). */
#define BOOT_PERMISSION_CONTROL		(1u << 0)
#define BOOT_PERMISSION_HARDWARE	(1u << 1)
#define BOOT_FUNCTION_LEGACY_DOM0	(1u << 31)

/* One domain to build. */
struct boot_domain {
	uint32_t domid;
	bool is_hardware;		/* SIF_INITDOMAIN | SIF_PRIVILEGED */
	bool is_control;		/* SIF_PRIVILEGED */
	unsigned int max_vcpus;
	unsigned int weight;
	unsigned int cap;		/* percent of one CPU; 0: none */
	bool pinned;			/* affinity is not every CPU */
	cpumask_t affinity;		/* of every vCPU */
	uint64_t mem;			/* bytes, whole pages */
	unsigned int kernel;		/* boot module index */
	int ramdisk;			/* boot module index, -1: none */
	const char *cmdline;		/* never NULL */
};

/* What shapes the boot domains: the command-line options for dom0
 * (Xen's convention only), and the CPUs online (hyperlaunch affinity). */
struct boot_domain_opts {
	uint64_t dom0_mem;		/* bytes; 0: the default */
	unsigned int dom0_max_vcpus;	/* 0: 1 */
	cpumask_t cpus_online;
};

/*
 * The domains to build from bi's modules (common/boot_config.c), with
 * free_pages free for them. Returns how many it put in doms[] (at most
 * max), after one "(lamina) boot domains: ..." line saying which
 * convention applies and a message for each domain left out; 0 when
 * there is no module or the device tree is unusable.
 */
unsigned int boot_domains_describe(const struct boot_info *bi,
				   const struct boot_domain_opts *o,
				   unsigned long free_pages,
				   struct boot_domain *doms, unsigned int max);

/* dom0_mem=<size> (Xen syntax, KiB without a suffix): 0 or -EINVAL. */
int dom0_mem_parse(const char *s, uint64_t *bytes);

/*
 * Build every boot domain, then start them all (common/boot_domains.c).
 * Returns the number started; each domain that could not be built is
 * reported and left out. Boot CPU, before any vCPU runs.
 */
int boot_domains_create(const struct boot_info *bi);

#endif /* LAMINA_BOOT_DOMAINS_H */
