// SPDX-License-Identifier: GPL-2.0
/*
 * Which domains boot (common/boot_config.c): Xen's module convention and
 * hyperlaunch device trees (the fixtures of test_bootfdt.c, changed here
 * with libfdt), modules placed in simulated machine memory.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/boot_domains.h>
#include <lamina/errno.h>
#include <lamina/mm.h>
#include <libfdt.h>

extern const uint8_t _binary_hyperlaunch_dtb_start[];
extern const uint8_t _binary_hyperlaunch_dtb_end[];

#define MOD_SIZE	0x1000		/* each module's slot */
#define DOM1		"/chosen/hypervisor/domain@1"
#define DOM7		"/chosen/hypervisor/guest"

static struct boot_info bi;
static struct boot_domain doms[BOOT_DOMAINS_MAX];
static struct boot_domain_opts opts;
static uint8_t *mem;

/* Module i at machine address i * MOD_SIZE, filled with junk. */
static void set_modules(const char *const *strings, unsigned int n)
{
	unsigned int i;

	memset(&bi, 0, sizeof(bi));
	bi.nr_modules = n;
	for (i = 0; i < n; i++) {
		bi.modules[i].start = (uint64_t)i * MOD_SIZE;
		bi.modules[i].end = (uint64_t)i * MOD_SIZE + 100;
		bi.modules[i].string = strings[i];
		memset(mem + i * MOD_SIZE, 0x40 + i, MOD_SIZE);
	}
}

/* Module idx becomes the hyperlaunch fixture; returns the tree. */
static void *put_fdt(unsigned int idx)
{
	/* libfdt wants 8-byte aligned trees; ld -b binary blobs are not. */
	static uint8_t blob[MOD_SIZE] __aligned(8);
	void *fdt = mem + idx * MOD_SIZE;
	size_t len = _binary_hyperlaunch_dtb_end -
		     _binary_hyperlaunch_dtb_start;

	ck_assert_uint_le(len, MOD_SIZE);
	memcpy(blob, _binary_hyperlaunch_dtb_start, len);
	ck_assert_int_eq(fdt_open_into(blob, fdt, MOD_SIZE), 0);
	bi.modules[idx].end = bi.modules[idx].start + MOD_SIZE;
	return fdt;
}

static void setup(void)
{
	static const char *const strings[] = {
		"hl.dtb", "config.bin", "vmlinuz-a console=ttyS0",
		"initrd-a", "/boot/vmlinuz-b  quiet loglevel=3",
	};

	mem = harness_machine_memory(0, 16 * MOD_SIZE);
	memset(&opts, 0, sizeof(opts));
	cpumask_set(&opts.cpus_online, 0);	/* two CPUs online */
	cpumask_set(&opts.cpus_online, 1);
	set_modules(strings, ARRAY_SIZE(strings));
}

static void teardown(void)
{
	harness_machine_memory_free();
}

static unsigned int describe(unsigned long free_pages)
{
	harness_log_clear();
	memset(doms, 0xa5, sizeof(doms));
	return boot_domains_describe(&bi, &opts, free_pages, doms,
				     BOOT_DOMAINS_MAX);
}

START_TEST(no_modules)
{
	bi.nr_modules = 0;
	ck_assert_uint_eq(describe(100000), 0);
	ck_assert(harness_log_has("(lamina) no dom0 module"));
}
END_TEST

START_TEST(xen_convention_kernel_only)
{
	static const char *const s[] = { "/boot/vmlinuz console=hvc0 quiet" };

	set_modules(s, 1);
	ck_assert_uint_eq(describe(MiB(4096) >> PAGE_SHIFT), 1);
	ck_assert(harness_log_has("Xen's module convention: dom0 kernel "
				  "module 0\n"));
	ck_assert_uint_eq(doms[0].domid, 0);
	ck_assert(doms[0].is_hardware);
	ck_assert(doms[0].is_control);
	ck_assert_uint_eq(doms[0].max_vcpus, 1);
	ck_assert_uint_eq(doms[0].weight, 256);
	ck_assert_uint_eq(doms[0].cap, 0);
	ck_assert(!doms[0].pinned);
	ck_assert(cpumask_test(&doms[0].affinity, CONFIG_NR_CPUS - 1));
	ck_assert_uint_eq(doms[0].mem, MiB(512));	/* the cap */
	ck_assert_uint_eq(doms[0].kernel, 0);
	ck_assert_int_eq(doms[0].ramdisk, -1);
	ck_assert_str_eq(doms[0].cmdline, "console=hvc0 quiet");
	/* Half the free memory when that is less than 512 MiB. */
	ck_assert_uint_eq(describe(1001), 1);
	ck_assert_uint_eq(doms[0].mem, 500 * PAGE_SIZE);
}
END_TEST

START_TEST(xen_convention_initrd_and_options)
{
	static const char *const s[] = { "k", "initrd.gz", "extra" };

	set_modules(s, 3);
	opts.dom0_mem = GiB(2);
	opts.dom0_max_vcpus = 4;
	ck_assert_uint_eq(describe(1000), 1);
	ck_assert(harness_log_has("dom0 kernel module 0, initrd module 1"));
	ck_assert_uint_eq(doms[0].mem, GiB(2));	/* even beyond free */
	ck_assert_uint_eq(doms[0].max_vcpus, 4);
	ck_assert_int_eq(doms[0].ramdisk, 1);
	ck_assert_str_eq(doms[0].cmdline, "");
}
END_TEST

START_TEST(hyperlaunch_two_domains)
{
	put_fdt(0);
	opts.dom0_mem = MiB(64);		/* not for device trees */
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(harness_log_has("hyperlaunch device tree in module 0"));
	ck_assert(!harness_log_has("no hardware domain"));
	ck_assert_uint_eq(doms[0].domid, 1);
	ck_assert(doms[0].is_hardware);		/* permissions = 3 */
	ck_assert(doms[0].is_control);
	ck_assert_uint_eq(doms[0].max_vcpus, 2);
	ck_assert_uint_eq(doms[0].weight, 512);
	ck_assert_uint_eq(doms[0].cap, 150);
	ck_assert(doms[0].pinned);
	ck_assert(cpumask_test(&doms[0].affinity, 0));
	ck_assert(!cpumask_test(&doms[0].affinity, 1));
	ck_assert(cpumask_test(&doms[0].affinity, 2));	/* kept, unused */
	ck_assert(harness_log_has("d1: cpu-affinity: CPUs 2 not online, "
				  "unused"));
	ck_assert_uint_eq(doms[0].mem, MiB(512));
	ck_assert_uint_eq(doms[0].kernel, 2);
	ck_assert_int_eq(doms[0].ramdisk, 3);
	ck_assert_str_eq(doms[0].cmdline, "console=hvc0 root=/dev/xvda");
	ck_assert_uint_eq(doms[1].domid, 7);
	ck_assert(!doms[1].is_hardware);
	ck_assert(!doms[1].is_control);
	ck_assert_uint_eq(doms[1].max_vcpus, 1);
	ck_assert_uint_eq(doms[1].weight, 256);
	ck_assert_uint_eq(doms[1].cap, 0);
	ck_assert(!doms[1].pinned);
	ck_assert_uint_eq(doms[1].mem, GiB(4096));	/* 2^32 KiB */
	ck_assert_uint_eq(doms[1].kernel, 4);
	ck_assert_int_eq(doms[1].ramdisk, -1);
	ck_assert_str_eq(doms[1].cmdline, "quiet loglevel=3");
}
END_TEST

/* The tree is found by its magic wherever it is in the module list. */
START_TEST(hyperlaunch_fdt_not_first)
{
	static const char *const s[] = {
		"config.bin", "hl.dtb", "vmlinuz-a", "initrd-a", "vmlinuz-b",
	};

	set_modules(s, 5);
	put_fdt(1);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(harness_log_has("hyperlaunch device tree in module 1"));
}
END_TEST

START_TEST(hyperlaunch_second_hardware_domain)
{
	void *fdt = put_fdt(0);

	ck_assert_int_eq(fdt_setprop_u32(fdt, fdt_path_offset(fdt, DOM7),
					 "functions", 0x80000000), 0);
	ck_assert_uint_eq(describe(1000), 1);
	ck_assert_uint_eq(doms[0].domid, 1);
	ck_assert(harness_log_has("d7: a second hardware domain (d1 is one): "
				  "not built"));
}
END_TEST

/* Bit 31 of functions alone makes the hardware domain; none is fine. */
START_TEST(hyperlaunch_hardware_by_function)
{
	void *fdt = put_fdt(0);
	int dom1 = fdt_path_offset(fdt, DOM1);

	ck_assert_int_eq(fdt_setprop_u32(fdt, dom1, "permissions", 0), 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(doms[0].is_hardware);		/* functions bit 31 */
	ck_assert_int_eq(fdt_setprop_u32(fdt, dom1, "functions", 6), 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(!doms[0].is_hardware && !doms[1].is_hardware);
	ck_assert(harness_log_has("boot domains: no hardware domain"));
	ck_assert_int_eq(fdt_setprop_u32(fdt, dom1, "permissions", 1), 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(!doms[0].is_hardware && doms[0].is_control);
}
END_TEST

/*
 * cpu-affinity against the CPUs online (fixture: d1 on 0 and 2): one
 * online is enough, the others stay, unused; none online and the domain
 * is not built (Xen refuses such a hard affinity), as if absent: here
 * it was the hardware domain.
 */
START_TEST(hyperlaunch_affinity_online)
{
	void *fdt = put_fdt(0);
	uint32_t all[] = { cpu_to_fdt32(0), cpu_to_fdt32(1) };

	cpumask_clear(&opts.cpus_online);
	cpumask_set(&opts.cpus_online, 2);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(harness_log_has("d1: cpu-affinity: CPUs 0 not online"));
	cpumask_clear(&opts.cpus_online);
	cpumask_set(&opts.cpus_online, 1);
	cpumask_set(&opts.cpus_online, 3);
	ck_assert_uint_eq(describe(1000), 1);
	ck_assert(harness_log_has("d1: cpu-affinity 0,2 names no online CPU: "
				  "not built"));
	ck_assert(harness_log_has("boot domains: no hardware domain"));
	ck_assert_uint_eq(doms[0].domid, 7);	/* not pinned: built */
	ck_assert_int_eq(fdt_setprop(fdt, fdt_path_offset(fdt, DOM1),
				     "cpu-affinity", all, sizeof(all)), 0);
	cpumask_set(&opts.cpus_online, 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert(!harness_log_has("not online"));
	ck_assert(doms[0].pinned);
}
END_TEST

/* memory in KiB becomes whole pages, without wrapping. */
START_TEST(hyperlaunch_memory_rounding)
{
	void *fdt = put_fdt(0);
	int dom1 = fdt_path_offset(fdt, DOM1);

	ck_assert_int_eq(fdt_setprop_u64(fdt, dom1, "memory", 5), 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert_uint_eq(doms[0].mem, KiB(8));
	ck_assert_int_eq(fdt_setprop_u64(fdt, dom1, "memory",
					 UINT64_MAX >> 10), 0);
	ck_assert_uint_eq(describe(1000), 2);
	ck_assert_uint_ge(doms[0].mem, UINT64_MAX >> 2);
}
END_TEST

START_TEST(hyperlaunch_unusable_tree)
{
	void *fdt = put_fdt(0);

	ck_assert_int_eq(fdt_delprop(fdt, fdt_path_offset(fdt, DOM7),
				     "memory"), 0);
	ck_assert_uint_eq(describe(1000), 0);
	ck_assert(harness_log_has("guest: no memory property"));
	ck_assert(harness_log_has("device tree unusable (-22): no domain "
				  "built"));
	put_fdt(0);
	bi.modules[0].end = bi.modules[0].start + 64;	/* truncated */
	ck_assert_uint_eq(describe(1000), 0);
	ck_assert(harness_log_has("device tree unusable"));
	put_fdt(0);
	ck_assert_uint_eq(boot_domains_describe(&bi, &opts, 1000, doms, 1), 0);
	ck_assert(harness_log_has("more than 1 domains"));
	ck_assert_uint_eq(boot_domains_describe(&bi, &opts, 1000, doms, 0), 0);
}
END_TEST

START_TEST(dom0_mem_values)
{
	uint64_t v = 1;

	ck_assert_int_eq(dom0_mem_parse("512M", &v), 0);
	ck_assert_uint_eq(v, MiB(512));
	ck_assert_int_eq(dom0_mem_parse("2g", &v), 0);
	ck_assert_uint_eq(v, GiB(2));
	ck_assert_int_eq(dom0_mem_parse("524288", &v), 0);	/* KiB */
	ck_assert_uint_eq(v, MiB(512));
	ck_assert_int_eq(dom0_mem_parse("4097", &v), 0);	/* to pages */
	ck_assert_uint_eq(v, KiB(4100));
	v = 7;
	ck_assert_int_eq(dom0_mem_parse("max:1G", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("min:1G,2G", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("-1G", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("10%", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("0", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("1X", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse("16777215T", &v), -EINVAL);
	ck_assert_int_eq(dom0_mem_parse(NULL, &v), -EINVAL);
	ck_assert_uint_eq(v, 7);
}
END_TEST

SUITE(boot_config)
{
	Suite *s = suite_create("boot_config");
	TCase *tc = tcase_create("describe");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_modules);
	tcase_add_test(tc, xen_convention_kernel_only);
	tcase_add_test(tc, xen_convention_initrd_and_options);
	tcase_add_test(tc, hyperlaunch_two_domains);
	tcase_add_test(tc, hyperlaunch_fdt_not_first);
	tcase_add_test(tc, hyperlaunch_second_hardware_domain);
	tcase_add_test(tc, hyperlaunch_hardware_by_function);
	tcase_add_test(tc, hyperlaunch_affinity_online);
	tcase_add_test(tc, hyperlaunch_memory_rounding);
	tcase_add_test(tc, hyperlaunch_unusable_tree);
	tcase_add_test(tc, dom0_mem_values);
	suite_add_tcase(s, tc);
	return s;
}
