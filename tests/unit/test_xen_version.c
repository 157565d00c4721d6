// SPDX-License-Identifier: GPL-2.0
/*
 * xen_version (common/version.c) on a simulated vCPU: every sub-op of
 * Xen 4.17, for the hardware domain and for another domain, with bad
 * buffers.
 */
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/hypercall.h>
#include <xen/version.h>

#define BUF	0x4000ULL

static struct vcpu *v = &env.vcpu;

static long xv(unsigned long cmd, uint64_t arg)
{
	unsigned long args[HYPERCALL_NR_ARGS] = { cmd, arg };

	return do_xen_version(v, args);
}

static char *guest(uint64_t gpa)
{
	return hvm_env_gpa(gpa);
}

/* The whole array is written: a string, then zeros to its size. */
static void expect_string(unsigned long cmd, const char *want, size_t size)
{
	memset(guest(BUF), 'x', size + 1);
	ck_assert_int_eq(xv(cmd, BUF), 0);
	ck_assert_str_eq(guest(BUF), want);
	ck_assert_uint_eq(guest(BUF)[size - 1], 0);
	ck_assert_uint_eq(guest(BUF)[size], 'x');
	ck_assert_int_eq(xv(cmd, HVM_ENV_NOT_RAM), -EFAULT);
	ck_assert_int_eq(xv(cmd, HVM_ENV_NOT_RAM - size + 1), -EFAULT);
}

START_TEST(version)
{
	ck_assert_int_eq(xv(XENVER_version, 0), (4 << 16) | 17);
	ck_assert_int_eq(xv(XENVER_version, BUF), (4 << 16) | 17);
}
END_TEST

START_TEST(strings)
{
	xen_compile_info_t *ci = (xen_compile_info_t *)guest(BUF);

	expect_string(XENVER_extraversion, "-lamina",
		      sizeof(xen_extraversion_t));
	expect_string(XENVER_capabilities,
		      "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ",
		      sizeof(xen_capabilities_info_t));
	expect_string(XENVER_changeset, "git:unknown",
		      sizeof(xen_changeset_info_t));
	memset(ci, 'x', sizeof(*ci));
	ck_assert_int_eq(xv(XENVER_compile_info, BUF), 0);
	ck_assert_str_eq(ci->compiler, "unknown");
	ck_assert_str_eq(ci->compile_date, "unknown");
	ck_assert_uint_eq(ci->compile_domain[31], 0);
	ck_assert_int_eq(xv(XENVER_compile_info, HVM_ENV_NOT_RAM), -EFAULT);
}
END_TEST

START_TEST(platform_parameters)
{
	uint64_t *p = (uint64_t *)guest(BUF);

	*p = ~0ULL;
	ck_assert_int_eq(xv(XENVER_platform_parameters, BUF), 0);
	ck_assert_uint_eq(*p, 0xffffffff00000000ULL);	/* 4 bytes of 0 */
	hvm_env_long_mode();
	hvm_env_map(BUF, BUF, PTE_P | PTE_RW);
	ck_assert_int_eq(xv(XENVER_platform_parameters, BUF), 0);
	ck_assert_uint_eq(*p, 0xffff800000000000ULL);
	ck_assert_int_eq(xv(XENVER_platform_parameters, BUF + 0x1000),
			 -EFAULT);
}
END_TEST

START_TEST(features)
{
	xen_feature_info_t *fi = (xen_feature_info_t *)guest(BUF);
	const uint32_t domu = (1U << XENFEAT_writable_page_tables) |
			      (1U << XENFEAT_auto_translated_physmap) |
			      (1U << XENFEAT_not_direct_mapped) |
			      (1U << XENFEAT_hvm_callback_vector) |
			      (1U << XENFEAT_hvm_safe_pvclock);

	fi->submap_idx = 0;
	fi->submap = 0xdead;
	ck_assert_int_eq(xv(XENVER_get_features, BUF), 0);
	ck_assert_uint_eq(fi->submap, domu);
	env.dom.is_hardware = true;
	ck_assert_int_eq(xv(XENVER_get_features, BUF), 0);
	ck_assert_uint_eq(fi->submap, domu | (1U << XENFEAT_dom0));
	fi->submap_idx = 1;
	fi->submap = 0xdead;
	ck_assert_int_eq(xv(XENVER_get_features, BUF), -EINVAL);
	ck_assert_uint_eq(fi->submap, 0xdead);
	ck_assert_int_eq(xv(XENVER_get_features, HVM_ENV_NOT_RAM), -EFAULT);
}
END_TEST

START_TEST(pagesize_handle)
{
	ck_assert_int_eq(xv(XENVER_pagesize, 0), 4096);
	ck_assert_int_eq(xv(XENVER_pagesize, BUF), -EINVAL);
	memset(guest(BUF), 'x', 17);
	ck_assert_int_eq(xv(XENVER_guest_handle, BUF), 0);
	ck_assert_mem_eq(guest(BUF), "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0x", 17);
	ck_assert_int_eq(xv(XENVER_guest_handle, HVM_ENV_NOT_RAM), -EFAULT);
}
END_TEST

/* Hardware domain only: others get "<denied>" and -EPERM (Xen's XSM). */
START_TEST(commandline)
{
	memset(guest(BUF), 'x', 1025);
	ck_assert_int_eq(xv(XENVER_commandline, BUF), 0);
	ck_assert_str_eq(guest(BUF), "<denied>");
	ck_assert_uint_eq(guest(BUF)[9], 'x');
	env.dom.is_hardware = true;
	expect_string(XENVER_commandline, "console=com1 marker=42", 1024);
}
END_TEST

START_TEST(build_id)
{
	uint32_t *len = (uint32_t *)guest(BUF);

	*len = 64;
	ck_assert_int_eq(xv(XENVER_build_id, BUF), -EPERM);
	env.dom.is_hardware = true;
	ck_assert_int_eq(xv(XENVER_build_id, 0), -ENODATA);
	ck_assert_int_eq(xv(XENVER_build_id, BUF), -ENODATA);
	*len = 0;
	ck_assert_int_eq(xv(XENVER_build_id, BUF), -EINVAL);
	ck_assert_int_eq(xv(XENVER_build_id, HVM_ENV_NOT_RAM), -EFAULT);
}
END_TEST

START_TEST(unknown)
{
	ck_assert_int_eq(xv(11, BUF), -ENOSYS);
	ck_assert_int_eq(xv(0x80000000UL, BUF), -ENOSYS);
	ck_assert_int_eq(xv(~0UL, 0), -ENOSYS);
}
END_TEST

SUITE(xen_version)
{
	Suite *s = suite_create("xen_version");
	TCase *tc = tcase_create("subops");

	tcase_add_checked_fixture(tc, hvm_env_setup, hvm_env_teardown);
	tcase_add_test(tc, version);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, platform_parameters);
	tcase_add_test(tc, features);
	tcase_add_test(tc, pagesize_handle);
	tcase_add_test(tc, commandline);
	tcase_add_test(tc, build_id);
	tcase_add_test(tc, unknown);
	suite_add_tcase(s, tc);
	return s;
}
