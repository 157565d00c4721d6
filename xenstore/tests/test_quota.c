// SPDX-License-Identifier: GPL-2.0
/* Quotas for unprivileged domains; socket clients are never limited. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct tconn *d0, *d5;

static void setup(void)
{
	h_setup();
	d0 = h_conn(0, true);
	d5 = h_conn(5, false);
	ck_assert_str_eq(h_do(d0, XS_MKDIR, 0, "/local/domain/5"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/local/domain/5\nn5"),
			 "OK");
}

START_TEST(defaults)
{
	ck_assert_uint_eq(quota.nodes, 1000);
	ck_assert_uint_eq(quota.watches, 128);
	ck_assert_uint_eq(quota.node_size, 2048);
	ck_assert_uint_eq(quota.transactions, 10);
	ck_assert_uint_eq(quota.perms, 5);
	ck_assert_uint_eq(quota.path_max, 2048);
	ck_assert_uint_eq(quota.outstanding, 20);
	ck_assert_uint_eq(quota.trans_nodes, 1024);
	ck_assert_int_eq(quota_set("memory"), -EINVAL);
	ck_assert_int_eq(quota_set("bogus=1"), -EINVAL);
	ck_assert_int_eq(quota_set("memory=-1"), -EINVAL);
	ck_assert_int_eq(quota_set("outstanding=5"), 0);
	ck_assert_uint_eq(quota.outstanding, 5);
}
END_TEST

START_TEST(nodes)
{
	char p[64];
	int i;

	quota.nodes = 10;
	/* /local/domain/5 itself counts: 9 more fit. */
	for (i = 0; i < 9; i++) {
		snprintf(p, sizeof(p), "n%d\n", i);
		ck_assert_str_eq(h_do(d5, XS_WRITE, 0, p), "OK");
	}
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "more\n"), "ENOSPC");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "a/b\n"), "ENOSPC");
	ck_assert_str_eq(h_do(d5, XS_RM, 0, "n0"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "more\n"), "OK");
	/* dom0 is not limited */
	for (i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "/d0/n%d\n", i);
		ck_assert_str_eq(h_do(d0, XS_WRITE, 0, p), "OK");
	}
	ck_assert_int_eq(quota_nodes_count(5), 10);
	h_check_tree();
}
END_TEST

START_TEST(entry_size)
{
	static char body[2100];

	memcpy(body, "big", 4);
	memset(body + 4, 'x', 2048);
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 4 + 2048, NULL, NULL),
			  XS_ERROR);
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 4 + 1000, NULL, NULL),
			  XS_WRITE);
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 4 + 2040, NULL, NULL),
			  XS_ERROR);
	ck_assert_uint_eq(h_req(d0, XS_WRITE, 0, body, 4 + 2048, NULL, NULL),
			  XS_WRITE);
}
END_TEST

START_TEST(watches)
{
	/* Xen's rule: refused once more than the quota exist */
	quota.watches = 2;
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "a\nt1"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "a\nt2"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "a\nt3"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "a\nt4"), "E2BIG");
	ck_assert_str_eq(h_do(d5, XS_UNWATCH, 0, "a\nt1"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "a\nt4"), "OK");
	ck_assert_str_eq(h_do(d0, XS_WATCH, 0, "a\nt5"), "OK");
}
END_TEST

START_TEST(transactions)
{
	quota.transactions = 1;
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_START, 0, ""), "1");
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_START, 0, ""), "2");
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_START, 0, ""), "ENOSPC");
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_END, 1, "F"), "OK");
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_START, 0, ""), "3");
}
END_TEST

START_TEST(path_length)
{
	static char p[XENSTORE_REL_PATH_MAX + 8];
	int i;

	/* 20 components of 100 characters, then 48: exactly the limit */
	memset(p, 'a', sizeof(p));
	for (i = 1; i <= 20; i++)
		p[i * 100 - 1] = '/';
	p[XENSTORE_REL_PATH_MAX] = '\0';
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, p), "OK");
	p[XENSTORE_REL_PATH_MAX] = 'a';
	p[XENSTORE_REL_PATH_MAX + 1] = '\0';
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, p), "EINVAL");
	quota.path_max = 10;
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "abcdefghijk"), "EINVAL");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "abcdefghij"), "OK");
	/* Xen 4.17 applies the path limit to dom0 as well */
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "abcdefghijklmnop"), "EINVAL");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "abcdefghij"), "OK");
}
END_TEST

START_TEST(perm_count)
{
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "\nn5\nr1\nr2\nr3\nr4"),
			 "EINVAL");
	ck_assert_str_eq(h_do(d5, XS_WRITE, 0, "x\n"), "OK");
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0, "x\nn5\nr1\nr2\nr3\nr4"),
			 "OK");
	ck_assert_str_eq(h_do(d5, XS_SET_PERMS, 0,
			      "x\nn5\nr1\nr2\nr3\nr4\nr6"), "ENOSPC");
}
END_TEST

START_TEST(outstanding)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, 17 };
	static char buf[30 * (sizeof(h) + 17)];
	size_t i, off = 0;
	long used;

	for (i = 0; i < 30; i++) {
		memcpy(buf + off, &h, sizeof(h));
		memcpy(buf + off + sizeof(h), "/local/domain/5", 16);
		off += sizeof(h) + 17;
	}
	/* Replies are not collected: input stops after 20 requests. */
	used = conn_feed(d5->c, buf, off);
	ck_assert_int_eq(used, 20 * (long)(sizeof(h) + 17));
	ck_assert(!conn_can_take_input(d5->c));
	conn_handle_output(d5->c);
	ck_assert(conn_can_take_input(d5->c));
	/* dom0 is not limited */
	ck_assert_int_eq(conn_feed(d0->c, buf, off), (long)off);
}
END_TEST

START_TEST(transaction_nodes)
{
	char p[64];
	int i;

	quota.trans_nodes = 4;
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_START, 0, ""), "1");
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "t%d\n", i);
		ck_assert_str_eq(h_do(d5, XS_WRITE, 1, p), "OK");
	}
	ck_assert_str_eq(h_do(d5, XS_WRITE, 1, "t9\n"), "ENOSPC");
	ck_assert_str_eq(h_do(d5, XS_TRANSACTION_END, 1, "F"), "OK");
}
END_TEST

START_TEST(memory)
{
	static char body[1100];

	quota.memory = 3000;
	memcpy(body, "m0", 3);
	memset(body + 3, 'x', 1000);
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 1003, NULL, NULL),
			  XS_WRITE);
	body[1] = '1';
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 1003, NULL, NULL),
			  XS_WRITE);
	body[1] = '2';
	ck_assert_uint_eq(h_req(d5, XS_WRITE, 0, body, 1003, NULL, NULL),
			  XS_ERROR);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("quota");
	TCase *tc = tcase_create("quota");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, nodes);
	tcase_add_test(tc, entry_size);
	tcase_add_test(tc, watches);
	tcase_add_test(tc, transactions);
	tcase_add_test(tc, path_length);
	tcase_add_test(tc, perm_count);
	tcase_add_test(tc, outstanding);
	tcase_add_test(tc, transaction_nodes);
	tcase_add_test(tc, memory);
	suite_add_tcase(s, tc);
	return h_run(s);
}
