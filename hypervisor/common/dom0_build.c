// SPDX-License-Identifier: GPL-2.0
/*
 * Building and running domain 0 from multiboot module 0 (Xen's
 * convention: module 0 is the initial domain's kernel), a PVH ELF,
 * with one vCPU.
 */
#include <lamina/bootinfo.h>
#include <lamina/domain.h>
#include <lamina/elf.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>
#include <xen/sched.h>

/* dom0's RAM, from guest-physical 0 (a dom0_mem= option comes later). */
#define DOM0_MEM	MiB(16)

static int dom0_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	return copy_to_guest_phys(ctx, gpa, src, len);
}

static int dom0_zero(void *ctx, uint64_t gpa, size_t len)
{
	return clear_guest_phys(ctx, gpa, len);
}

/* Memory and kernel; the start state. EBX = 0: no hvm_start_info yet. */
static int dom0_load(struct domain *d, const struct elf_plan *plan)
{
	int rc;

	if (plan->paddr_end > DOM0_MEM) {
		printk("(lamina) dom0: kernel ends at %#lx, beyond its %lu "
		       "MiB\n", plan->paddr_end, DOM0_MEM >> 20);
		return -E2BIG;
	}
	rc = domain_populate(d, 0, PFN_DOWN(DOM0_MEM));
	if (!rc)
		rc = elf_load_into(plan, dom0_write, dom0_zero, d);
	if (rc)
		return rc;
	hvm_ops->vcpu_set_pvh_entry(d->vcpu[0], plan->entry, 0);
	return 0;
}

int dom0_build(const struct boot_module *mod)
{
	static struct elf_plan plan;
	struct domain_config cfg = { .domid = 0, .is_hardware = true,
				     .max_vcpus = 1 };
	struct domain *d;
	int rc;

	rc = elf_parse(maddr_to_virt(mod->start), mod->end - mod->start,
		       &plan);
	if (rc) {
		printk("(lamina) dom0: module 0 is not a PVH kernel (%d)\n",
		       rc);
		return rc;
	}
	d = domain_create(&cfg, &rc);
	if (!d) {
		printk("(lamina) dom0: cannot create the domain (%d)\n", rc);
		return rc;
	}
	rc = dom0_load(d, &plan);
	if (rc) {
		printk("(lamina) dom0: cannot load the kernel (%d)\n", rc);
		domain_shutdown(d, SHUTDOWN_crash);
		return rc;
	}
	printk("(lamina) dom0: %lu MiB, entry %#lx\n", DOM0_MEM >> 20,
	       plan.entry);
	domain_start(d);
	return 0;
}
