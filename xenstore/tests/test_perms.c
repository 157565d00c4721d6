// SPDX-License-Identifier: GPL-2.0
/* Permissions: owner and inheritance rules, EACCES hiding, SET_PERMS. */
#include <string.h>
#include "harness.h"

static struct tconn *d0, *d5, *d6;

static void setup(void)
{
	h_setup();
	d0 = h_conn(0, true);
	d5 = h_conn(5, false);
	d6 = h_conn(6, false);
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/p/q\nsecret"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/p/q\nn0\nr5"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/p\nr0"), "OK");
	ck_assert_str_eq(h_do(d0, XS_MKDIR, 0, "/local/domain/5"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0,
			      "/local/domain/5\nn5\nr0"), "OK");
}

START_TEST(read_write_access)
{
	ck_assert_str_eq(h_do(d5, XS_READ, 0, "/p/q"), "secret");
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/p/q"), "EACCES");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "/p/q\nx"), "EACCES");
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/p/q"), "n0\nr5");
	ck_assert_str_eq(h_do(d6, XS_GET_PERMS, 0, "/p/q"), "EACCES");
	/* /p is readable by all: d6 may learn q does not exist below. */
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/p/none"), "ENOENT");
	/* but not whether something exists below the unreadable q */
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/p/q/none"), "EACCES");
	/* root is n0: nobody else may create there */
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "/new\n1"), "EACCES");
	ck_assert_str_eq(h_do(d5, XS_RM, 0, "/p/q"), "EACCES");
	ck_assert_str_eq(h_do(d0, XS_READ, 0, "/p/q"), "secret");
}
END_TEST

START_TEST(owner_and_inheritance)
{
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0,
			      "/local/domain/5\nn0\nb5\nr6"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "dev/vif\n1"), "OK");
	/* created by 5: owned by 5, other entries inherited */
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/local/domain/5/dev"),
			 "n5\nb5\nr6");
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/local/domain/5/dev/vif"), "1");
	/* dom0 creations inherit the parent's perms unchanged */
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/local/domain/5/x\n1"), "OK");
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/local/domain/5/x"),
			 "n0\nb5\nr6");
	/* 5 owns dev: it may change perms but not give it away */
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "dev\nn5\nr6"), "OK");
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "dev\nn6"), "EPERM");
	/* 5 may write x (b5) but does not own it */
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "x\n2"), "OK");
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "x\nn5"), "EACCES");
	h_check_tree();
}
END_TEST

START_TEST(bad_perm_strings)
{
	static const char *const bad[] = {
		"/p\nx5", "/p\nr", "/p\nr-1", "/p\nr99999999999", "/p\nr32752",
		"/p\nr5x", "/p", "/p\n", "/p\nr 5",
	};
	size_t i;
	char rep[32];
	size_t len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!strcmp(h_do(d0, XS_SET_PERMS, 0, bad[i]),
				      "EINVAL"), "accepted %s", bad[i]);
	/* permission list without terminating NUL */
	ck_assert_uint_eq(h_req(d0, XS_SET_PERMS, 0, "/p\0r5", 5, rep, &len),
			  XS_ERROR);
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/p\nr32751"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/none\nr1"), "ENOENT");
}
END_TEST

START_TEST(privileged_only)
{
	static const uint32_t ops[] = {
		XS_CONTROL, XS_INTRODUCE, XS_RELEASE, XS_IS_DOMAIN_INTRODUCED,
		XS_RESUME, XS_SET_TARGET,
	};
	char rep[32];
	size_t i, len;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		ck_assert_uint_eq(h_req(d5, ops[i], 0, "1", 2, rep, &len),
				  XS_ERROR);
		ck_assert_str_eq(rep, "EACCES");
	}
	ck_assert_str_eq(h_do(d5, XS_GET_DOMAIN_PATH, 0, "7"),
			 "/local/domain/7");
}
END_TEST

START_TEST(special_nodes)
{
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "@releaseDomain"), "n0");
	ck_assert_str_eq(h_do(d5, XS_GET_PERMS, 0, "@releaseDomain"),
			 "EACCES");
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "@releaseDomain\nr5"),
			 "EACCES");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "@releaseDomain\nn0\nr5"),
			 "OK");
	ck_assert_str_eq(h_do(d5, XS_GET_PERMS, 0, "@releaseDomain"),
			 "n0\nr5");
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "@bogus"), "ENOENT");
}
END_TEST

START_TEST(target)
{
	/* A stub domain acting for domain 5 gets 5's rights. */
	d6->c->target = 5;
	ck_assert_str_eq(h_do(d6, XS_WRITE, 0, "/local/domain/5/t\n1"), "OK");
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/p/q"), "secret");
	/* the creator itself owns what it creates, as in Xen */
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/local/domain/5/t"),
			 "n6\nr0");
	d6->c->target = ~0u;
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/p/q"), "EACCES");
	ck_assert_str_eq(h_do(d6, XS_READ, 0, "/local/domain/5"), "EACCES");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("perms");
	TCase *tc = tcase_create("perms");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, read_write_access);
	tcase_add_test(tc, owner_and_inheritance);
	tcase_add_test(tc, bad_perm_strings);
	tcase_add_test(tc, privileged_only);
	tcase_add_test(tc, special_nodes);
	tcase_add_test(tc, target);
	suite_add_tcase(s, tc);
	return h_run(s);
}
