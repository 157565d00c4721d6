// SPDX-License-Identifier: GPL-2.0
/*
 * Hyperlaunch device-tree tests: the dtc-compiled fixtures in
 * fixtures/fdt/, and mutations of them made here with libfdt's
 * read-write functions, one rule broken at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/bootfdt.h>
#include <libfdt.h>

extern const uint8_t _binary_hyperlaunch_dtb_start[];
extern const uint8_t _binary_hyperlaunch_dtb_end[];
extern const uint8_t _binary_no_hypervisor_dtb_start[];
extern const uint8_t _binary_no_hypervisor_dtb_end[];

#define DOM1	"/chosen/hypervisor/domain@1"
#define DOM7	"/chosen/hypervisor/guest"

/* libfdt wants 8-byte aligned trees; ld -b binary blobs are not. */
static uint8_t hl_dtb[2048] __aligned(8);
static uint8_t nohv_dtb[512] __aligned(8);
static size_t hl_len, nohv_len;

static struct boot_info bi;
static struct boot_domain_config doms[BOOTFDT_MAX_DOMAINS];
static unsigned int nr;
static uint8_t tree[4096] __aligned(8);

static void setup(void)
{
	static const char *const strings[] = {
		"hl.dtb", "config.bin", "vmlinuz-a console=ttyS0",
		"initrd-a", "/boot/vmlinuz-b  quiet loglevel=3",
	};
	unsigned int i;

	memset(&bi, 0, sizeof(bi));
	bi.nr_modules = ARRAY_SIZE(strings);
	for (i = 0; i < bi.nr_modules; i++)
		bi.modules[i].string = strings[i];
	hl_len = _binary_hyperlaunch_dtb_end - _binary_hyperlaunch_dtb_start;
	nohv_len = _binary_no_hypervisor_dtb_end -
		   _binary_no_hypervisor_dtb_start;
	ck_assert_uint_le(hl_len, sizeof(hl_dtb));
	ck_assert_uint_le(nohv_len, sizeof(nohv_dtb));
	memcpy(hl_dtb, _binary_hyperlaunch_dtb_start, hl_len);
	memcpy(nohv_dtb, _binary_no_hypervisor_dtb_start, nohv_len);
	memset(tree, 0, sizeof(tree));
	ck_assert_int_eq(fdt_open_into(hl_dtb, tree, sizeof(tree)), 0);
}

static int parse_tree(const void *fdt, size_t len)
{
	harness_log_clear();
	memset(doms, 0xa5, sizeof(doms));
	return bootfdt_parse(fdt, len, 0, &bi, doms, BOOTFDT_MAX_DOMAINS,
			     &nr);
}

static int parse(void)
{
	return parse_tree(tree, sizeof(tree));
}

static int node(const char *path)
{
	int n = fdt_path_offset(tree, path);

	ck_assert_int_ge(n, 0);
	return n;
}

static void set_u32(const char *path, const char *prop, uint32_t v)
{
	ck_assert_int_eq(fdt_setprop_u32(tree, node(path), prop, v), 0);
}

static void set_raw(const char *path, const char *prop, const void *v,
		    int len)
{
	ck_assert_int_eq(fdt_setprop(tree, node(path), prop, v, len), 0);
}

static void del(const char *path, const char *prop)
{
	ck_assert_int_eq(fdt_delprop(tree, node(path), prop), 0);
}

static void del_node(const char *path)
{
	ck_assert_int_eq(fdt_del_node(tree, node(path)), 0);
}

/* m holds exactly the CPUs of the low bits of bits (CPUs 0-31). */
static bool cpu_list_is(const cpumask_t *m, uint32_t bits)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpumask_test(m, cpu) != (cpu < 32 && (bits >> cpu) & 1))
			return false;
	return true;
}

static void set_cells(const char *path, const char *prop,
		      const uint32_t *cells, unsigned int n)
{
	fdt32_t be[16];
	unsigned int i;

	ck_assert_uint_le(n, ARRAY_SIZE(be));
	for (i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	set_raw(path, prop, be, (int)(n * 4));
}

#define EXPECT_ERR(err, text) do {					\
	int rc__ = parse();						\
	ck_assert_int_eq(rc__, (err));					\
	ck_assert_msg(harness_log_has(text), "log: %s", harness_log);	\
} while (0)

START_TEST(fixture)
{
	ck_assert(bootfdt_is_fdt(hl_dtb, hl_len));
	ck_assert_int_eq(parse_tree(hl_dtb, hl_len), 0);
	ck_assert_uint_eq(nr, 2);
	ck_assert_uint_eq(doms[0].domid, 1);
	ck_assert_uint_eq(doms[0].permissions, 3);
	ck_assert_uint_eq(doms[0].functions, 0xc0000006);
	ck_assert_uint_eq(doms[0].mode, BOOT_DOMAIN_MODE_PVH64);
	ck_assert_uint_eq(doms[0].vcpus, 2);
	ck_assert_uint_eq(doms[0].memory_kib, 0x80000);
	ck_assert_uint_eq(doms[0].weight, 512);
	ck_assert_uint_eq(doms[0].cap, 150);
	ck_assert(doms[0].pinned);
	ck_assert(cpu_list_is(&doms[0].affinity, 0x5));	/* 2, 0, 2 */
	ck_assert_int_eq(doms[0].kernel_mb_index, 2);
	ck_assert_int_eq(doms[0].ramdisk_mb_index, 3);
	ck_assert_str_eq(doms[0].cmdline, "console=hvc0 root=/dev/xvda");
	/* The second domain takes every default. */
	ck_assert_uint_eq(doms[1].domid, 7);
	ck_assert_uint_eq(doms[1].permissions, 0);
	ck_assert_uint_eq(doms[1].functions, 0);
	ck_assert_uint_eq(doms[1].vcpus, 1);
	ck_assert_uint_eq(doms[1].memory_kib, 0x100000000ull);
	ck_assert_uint_eq(doms[1].weight, BOOT_DOMAIN_WEIGHT_DEFAULT);
	ck_assert_uint_eq(doms[1].cap, 0);
	ck_assert(!doms[1].pinned);
	ck_assert(cpumask_test(&doms[1].affinity, 0));
	ck_assert(cpumask_test(&doms[1].affinity, CONFIG_NR_CPUS - 1));
	ck_assert_int_eq(doms[1].kernel_mb_index, 4);
	ck_assert_int_eq(doms[1].ramdisk_mb_index, -1);
	ck_assert_str_eq(doms[1].cmdline, "quiet loglevel=3");
}
END_TEST

START_TEST(module_args)
{
	ck_assert_str_eq(bootfdt_module_args("vmlinuz a  b"), "a  b");
	ck_assert_str_eq(bootfdt_module_args(" vmlinuz\ta"), "a");
	ck_assert_str_eq(bootfdt_module_args("vmlinuz"), "");
	ck_assert_str_eq(bootfdt_module_args(""), "");
	ck_assert(!bootfdt_is_fdt("\xd0\x0d\xfe", 3));
	ck_assert(!bootfdt_is_fdt("\xed\xfe\x0d\xd0", 4));
}
END_TEST

START_TEST(bad_header)
{
	size_t len = hl_len;
	uint8_t *copy = malloc(len + 8);

	memcpy(copy + 1, hl_dtb, len);		/* misaligned */
	ck_assert_int_eq(parse_tree(copy + 1, len), -EINVAL);
	ck_assert(harness_log_has("not 8-byte aligned"));
	memcpy(copy, hl_dtb, len);
	ck_assert_int_eq(parse_tree(copy, 39), -EINVAL);
	ck_assert(harness_log_has("no device-tree magic"));
	ck_assert_int_eq(parse_tree(copy, len - 1), -EINVAL);
	ck_assert(harness_log_has("in a"));
	copy[0] ^= 1;
	ck_assert_int_eq(parse_tree(copy, len), -EINVAL);
	ck_assert(harness_log_has("no device-tree magic"));
	copy[0] ^= 1;
	copy[24 + 3] = 99;			/* last_comp_version */
	ck_assert_int_eq(parse_tree(copy, len), -EINVAL);
	ck_assert(harness_log_has("bad device tree"));
	copy[24 + 3] = 16;
	copy[8 + 3] += 4;			/* off_dt_struct */
	ck_assert_int_eq(parse_tree(copy, len), -EINVAL);
	ck_assert(harness_log_has("bad device tree"));
	free(copy);
}
END_TEST

START_TEST(no_hypervisor)
{
	ck_assert_int_eq(parse_tree(nohv_dtb, nohv_len), -ENOENT);
	ck_assert(harness_log_has("no /chosen/hypervisor"));
}
END_TEST

START_TEST(no_domains)
{
	del_node(DOM1);
	del_node(DOM7);
	EXPECT_ERR(-ENOENT, "no xen,domain node");
}
END_TEST

START_TEST(too_many_domains)
{
	harness_log_clear();
	ck_assert_int_eq(bootfdt_parse(tree, sizeof(tree), 0, &bi, doms, 1,
				       &nr), -E2BIG);
	ck_assert(harness_log_has("more than 1 domains"));
}
END_TEST

START_TEST(duplicate_domid)
{
	set_u32(DOM7, "domid", 1);
	EXPECT_ERR(-EINVAL, "domid 1 defined twice");
}
END_TEST

START_TEST(domid_range)
{
	set_u32(DOM7, "domid", 0x7ff0);
	EXPECT_ERR(-EINVAL, "domid 0x7ff0 out of range");
	set_u32(DOM7, "domid", 0xffffffff);
	EXPECT_ERR(-EINVAL, "out of range");
	del(DOM7, "domid");
	EXPECT_ERR(-EINVAL, "guest: no domid property");
}
END_TEST

START_TEST(kernel_count)
{
	del_node(DOM7 "/linux");
	EXPECT_ERR(-EINVAL, "domain 7 has no kernel module");
	setup();
	ck_assert_int_eq(fdt_setprop_string(tree, node(DOM1 "/module@3"),
					    "compatible", "module,kernel"), 0);
	EXPECT_ERR(-EINVAL, "more than one kernel module");
	setup();
	ck_assert_int_eq(fdt_setprop_string(tree, node(DOM1 "/module@5"),
					    "compatible", "module,ramdisk"),
			 0);
	EXPECT_ERR(-EINVAL, "more than one ramdisk module");
}
END_TEST

START_TEST(mb_index)
{
	set_u32(DOM1 "/module@2", "mb-index", 5);
	EXPECT_ERR(-EINVAL, "kernel mb-index 5, but there are 5 modules");
	set_u32(DOM1 "/module@2", "mb-index", 0xffffffff);
	EXPECT_ERR(-EINVAL, "mb-index 4294967295 out of range");
	set_u32(DOM1 "/module@2", "mb-index", 0);
	EXPECT_ERR(-EINVAL, "kernel mb-index 0 is the device tree itself");
	setup();
	set_u32(DOM1 "/module@3", "mb-index", 0);
	EXPECT_ERR(-EINVAL, "ramdisk mb-index 0 is the device tree");
	set_u32(DOM1 "/module@3", "mb-index", 2);
	EXPECT_ERR(-EINVAL, "kernel and ramdisk are both module 2");
	del(DOM1 "/module@3", "mb-index");
	EXPECT_ERR(-EINVAL, "module@3: no mb-index property");
}
END_TEST

START_TEST(vcpus_memory_weight)
{
	set_u32(DOM1, "cpus", 0);
	EXPECT_ERR(-EINVAL, "domain 1: 0 cpus");
	set_u32(DOM1, "cpus", BOOT_DOMAIN_MAX_VCPUS + 1);
	EXPECT_ERR(-EINVAL, "domain 1: 129 cpus");
	setup();
	ck_assert_int_eq(fdt_setprop_u64(tree, node(DOM1), "memory", 0), 0);
	EXPECT_ERR(-EINVAL, "memory 0 KiB");
	ck_assert_int_eq(fdt_setprop_u64(tree, node(DOM1), "memory",
					 UINT64_MAX), 0);
	EXPECT_ERR(-EINVAL, "memory 18446744073709551615 KiB");
	del(DOM1, "memory");
	EXPECT_ERR(-EINVAL, "domain@1: no memory property");
	setup();
	set_u32(DOM1, "weight", 0);
	EXPECT_ERR(-EINVAL, "weight 0");
	set_u32(DOM1, "weight", 65536);
	EXPECT_ERR(-EINVAL, "weight 65536");
}
END_TEST

/* cap: percent of one CPU, at most 100 per vCPU (Xen's libxl). */
START_TEST(cap_values)
{
	set_u32(DOM1, "cap", 200);		/* cpus = 2: the most */
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(doms[0].cap, 200);
	set_u32(DOM1, "cap", 201);
	EXPECT_ERR(-EINVAL, "domain 1: cap 201% (0-200 for 2 cpus)");
	set_u32(DOM1, "cap", 0);		/* no cap */
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(doms[0].cap, 0);
	set_u32(DOM7, "cap", 101);		/* cpus defaults to 1 */
	EXPECT_ERR(-EINVAL, "domain 7: cap 101% (0-100 for 1 cpus)");
	set_u32(DOM7, "cap", 0xffffffff);
	EXPECT_ERR(-EINVAL, "domain 7: cap 4294967295%");
	set_u32(DOM7, "cpus", BOOT_DOMAIN_MAX_VCPUS);
	set_u32(DOM7, "cap", BOOT_DOMAIN_MAX_VCPUS * 100);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(doms[1].cap, BOOT_DOMAIN_MAX_VCPUS * 100);
	/* The cpus check comes first: no cap message for 0 cpus. */
	set_u32(DOM7, "cpus", 0);
	EXPECT_ERR(-EINVAL, "domain 7: 0 cpus");
	ck_assert(!harness_log_has("cap"));
}
END_TEST

/* cpu-affinity: one or more u32 CPU numbers below CONFIG_NR_CPUS. */
START_TEST(cpu_affinity_values)
{
	static const uint32_t last[] = { CONFIG_NR_CPUS - 1 };
	static const uint32_t beyond[] = { 1, CONFIG_NR_CPUS };
	static const uint32_t huge[] = { 0xffffffff };
	char want[80];

	set_cells(DOM7, "cpu-affinity", last, 1);
	ck_assert_int_eq(parse(), 0);
	ck_assert(doms[1].pinned);
	ck_assert(cpumask_test(&doms[1].affinity, CONFIG_NR_CPUS - 1));
	ck_assert(!cpumask_test(&doms[1].affinity, 0));
	set_cells(DOM7, "cpu-affinity", beyond, 2);
	snprintf(want, sizeof(want), "guest: cpu-affinity names CPU %u, "
		 "beyond CONFIG_NR_CPUS (%u)", CONFIG_NR_CPUS, CONFIG_NR_CPUS);
	EXPECT_ERR(-EINVAL, want);
	set_cells(DOM7, "cpu-affinity", huge, 1);
	EXPECT_ERR(-EINVAL, "cpu-affinity names CPU 4294967295");
	/* Online or not is the builder's business (boot_config.c). */
	del(DOM7, "cpu-affinity");
	ck_assert_int_eq(parse(), 0);
	ck_assert(!doms[1].pinned);
}
END_TEST

START_TEST(mode)
{
	set_u32(DOM7, "mode", 5);
	EXPECT_ERR(-EINVAL, "mode 5 not supported");
	set_u32(DOM7, "mode", 0);
	EXPECT_ERR(-EINVAL, "mode 0 not supported");
	del(DOM7, "mode");
	EXPECT_ERR(-EINVAL, "guest: no mode property");
}
END_TEST

START_TEST(wrong_lengths)
{
	static const uint8_t eight[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };

	set_raw(DOM1, "domid", eight, 8);
	EXPECT_ERR(-EINVAL, "domid is 8 bytes");
	setup();
	set_raw(DOM1, "weight", NULL, 0);
	EXPECT_ERR(-EINVAL, "weight is 0 bytes");
	setup();
	set_raw(DOM1, "cap", eight, 8);
	EXPECT_ERR(-EINVAL, "cap is 8 bytes, expected one cell");
	set_raw(DOM1, "cap", eight, 2);
	EXPECT_ERR(-EINVAL, "cap is 2 bytes");
	setup();
	set_raw(DOM1, "cpu-affinity", NULL, 0);	/* empty */
	EXPECT_ERR(-EINVAL, "domain@1: cpu-affinity is 0 bytes, expected "
		   "one or more cells");
	set_raw(DOM1, "cpu-affinity", eight, 6);
	EXPECT_ERR(-EINVAL, "cpu-affinity is 6 bytes");
	set_raw(DOM1, "cpu-affinity", eight, 1);
	EXPECT_ERR(-EINVAL, "cpu-affinity is 1 bytes");
	set_raw(DOM1, "cpu-affinity", "0", 2);	/* a string */
	EXPECT_ERR(-EINVAL, "cpu-affinity is 2 bytes");
	setup();
	set_u32(DOM1, "memory", 0x80000);	/* one cell */
	EXPECT_ERR(-EINVAL, "memory is 4 bytes, expected two cells");
	setup();
	set_raw(DOM1, "permissions", eight, 3);
	EXPECT_ERR(-EINVAL, "permissions is 3 bytes");
	setup();
	set_raw(DOM1 "/module@2", "mb-index", eight, 8);
	EXPECT_ERR(-EINVAL, "mb-index is 8 bytes");
	setup();
	set_raw(DOM1 "/module@2", "bootargs", "abc", 3);
	EXPECT_ERR(-EINVAL, "bootargs is not one string");
	set_raw(DOM1 "/module@2", "bootargs", "a\0b", 4);
	EXPECT_ERR(-EINVAL, "bootargs is not one string");
}
END_TEST

/*
 * Random corruption of the compiled fixture, in an exactly sized heap
 * block (ASan catches any read outside it): the result is 0 or a
 * negative errno, never a crash.
 */
START_TEST(mutations)
{
	size_t len = hl_len;
	unsigned int iter, k;
	uint8_t *copy;
	int rc;

	srandom(42);
	for (iter = 0; iter < 4000; iter++) {
		copy = malloc(len);
		memcpy(copy, hl_dtb, len);
		for (k = 0; k < 1 + iter % 4; k++)
			copy[random() % len] = random();
		rc = parse_tree(copy, len);
		ck_assert_int_le(rc, 0);
		free(copy);
	}
}
END_TEST

SUITE(bootfdt)
{
	Suite *s = suite_create("bootfdt");
	TCase *tc = tcase_create("bootfdt");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, fixture);
	tcase_add_test(tc, module_args);
	tcase_add_test(tc, bad_header);
	tcase_add_test(tc, no_hypervisor);
	tcase_add_test(tc, no_domains);
	tcase_add_test(tc, too_many_domains);
	tcase_add_test(tc, duplicate_domid);
	tcase_add_test(tc, domid_range);
	tcase_add_test(tc, kernel_count);
	tcase_add_test(tc, mb_index);
	tcase_add_test(tc, vcpus_memory_weight);
	tcase_add_test(tc, cap_values);
	tcase_add_test(tc, cpu_affinity_values);
	tcase_add_test(tc, mode);
	tcase_add_test(tc, wrong_lengths);
	tcase_add_test(tc, mutations);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
