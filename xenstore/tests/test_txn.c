// SPDX-License-Identifier: GPL-2.0
/* Transactions: isolation, conflicts (EAGAIN), abort, watches at commit,
 * error paths, and a randomized run that must leave a sound tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct tconn *a, *b;

static void setup(void)
{
	h_setup();
	a = h_conn(0, true);
	b = h_conn(0, true);
	ck_assert_str_eq(h_do(a, XS_WRITE, 0, "/t/x\nold"), "OK");
}

static uint32_t start(struct tconn *t)
{
	return (uint32_t)atoi(h_do(t, XS_TRANSACTION_START, 0, ""));
}

START_TEST(isolation_and_commit)
{
	uint32_t tx = start(a);

	ck_assert_uint_ne(tx, 0);
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/x\nnew"), "OK");
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/y/z\n1"), "OK");
	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/x"), "new");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/x"), "old");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/y/z"), "ENOENT");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "OK");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/x"), "new");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/y/z"), "1");
	ck_assert_str_eq(h_do(b, XS_DIRECTORY, 0, "/t"), "x\ny");
	h_check_tree();
}
END_TEST

START_TEST(conflict)
{
	uint32_t tx = start(a);

	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/x"), "old");
	ck_assert_str_eq(h_do(b, XS_WRITE, 0, "/t/x\nother"), "OK");
	/* reads stay repeatable inside the transaction */
	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/x"), "old");
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/x\nmine"), "OK");
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/w\nmine"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "EAGAIN");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/x"), "other");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/w"), "ENOENT");
	/* the transaction is gone after EAGAIN */
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "ENOENT");
	h_check_tree();
}
END_TEST

START_TEST(conflict_on_absent_and_children)
{
	uint32_t tx = start(a);

	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/new"), "ENOENT");
	ck_assert_str_eq(h_do(b, XS_WRITE, 0, "/t/new\n1"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "EAGAIN");
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_DIRECTORY, tx, "/t"), "x\nnew");
	ck_assert_str_eq(h_do(b, XS_RM, 0, "/t/new"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "EAGAIN");
}
END_TEST

START_TEST(disjoint_commit)
{
	uint32_t t1, t2;

	ck_assert_str_eq(h_do(a, XS_WRITE, 0, "/u/1\n"), "OK");
	ck_assert_str_eq(h_do(a, XS_WRITE, 0, "/v/1\n"), "OK");
	t1 = start(a);
	t2 = start(b);
	ck_assert_str_eq(h_do(a, XS_WRITE, t1, "/u/1\na"), "OK");
	ck_assert_str_eq(h_do(b, XS_WRITE, t2, "/v/1\nb"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, t1, "T"), "OK");
	ck_assert_str_eq(h_do(b, XS_TRANSACTION_END, t2, "T"), "OK");
	ck_assert_str_eq(h_do(a, XS_READ, 0, "/u/1"), "a");
	ck_assert_str_eq(h_do(a, XS_READ, 0, "/v/1"), "b");
}
END_TEST

START_TEST(abort_and_rm)
{
	uint32_t tx = start(a);

	ck_assert_str_eq(h_do(a, XS_RM, tx, "/t"), "OK");
	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/x"), "ENOENT");
	ck_assert_str_eq(h_do(b, XS_READ, 0, "/t/x"), "old");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "F"), "OK");
	ck_assert_str_eq(h_do(a, XS_READ, 0, "/t/x"), "old");
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_RM, tx, "/t"), "OK");
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/again\n2"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "OK");
	ck_assert_str_eq(h_do(a, XS_DIRECTORY, 0, "/t"), "again");
	h_check_tree();
}
END_TEST

START_TEST(errors)
{
	uint32_t tx;

	ck_assert_str_eq(h_do(a, XS_READ, 77, "/t/x"), "ENOENT");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, 0, "T"), "ENOENT");
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_START, tx, ""), "EBUSY");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "X"), "EINVAL");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "TT"), "EINVAL");
	/* transactions belong to their connection */
	ck_assert_str_eq(h_do(b, XS_READ, tx, "/t/x"), "ENOENT");
	/* WATCH ignores the transaction id */
	ck_assert_str_eq(h_do(a, XS_WATCH, 999, "/t\ntok"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "F"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "F"), "ENOENT");
	/* RESET_WATCHES also ends transactions, even when sent in one */
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_RESET_WATCHES, 999, ""), "ENOENT");
	ck_assert_str_eq(h_do(a, XS_RESET_WATCHES, tx, ""), "OK");
	ck_assert_str_eq(h_do(a, XS_READ, tx, "/t/x"), "ENOENT");
}
END_TEST

START_TEST(watches_fire_at_commit)
{
	uint32_t tx;

	ck_assert_str_eq(h_do(b, XS_WATCH, 0, "/t\ntok"), "OK");
	ck_assert_str_eq(h_event(b), "/t tok");
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/x\n1"), "OK");
	ck_assert_ptr_null(h_event(b));
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "T"), "OK");
	ck_assert_str_eq(h_event(b), "/t/x tok");
	ck_assert_ptr_null(h_event(b));
	tx = start(a);
	ck_assert_str_eq(h_do(a, XS_WRITE, tx, "/t/x\n2"), "OK");
	ck_assert_str_eq(h_do(a, XS_TRANSACTION_END, tx, "F"), "OK");
	ck_assert_ptr_null(h_event(b));
}
END_TEST

/* Random operations from several connections, some in transactions:
 * whatever commits or fails, the tree must stay sound. */
START_TEST(random_ops)
{
	struct tconn *c[4] = { a, b, h_conn(0, true), h_conn(0, true) };
	uint32_t tx[4] = { 0 };
	char arg[64];
	int i, k, op;

	srandom(1234);
	for (i = 0; i < 20000; i++) {
		k = (int)(random() % 4);
		op = (int)(random() % 8);
		snprintf(arg, sizeof(arg), "/r/%ld/%ld", random() % 4,
			 random() % 4);
		switch (op) {
		case 0: case 1:
			strcat(arg, "\nv");
			h_do(c[k], XS_WRITE, tx[k], arg);
			break;
		case 2:
			h_do(c[k], XS_RM, tx[k], arg);
			break;
		case 3:
			h_do(c[k], XS_READ, tx[k], arg);
			break;
		case 4:
			h_do(c[k], XS_DIRECTORY, tx[k], "/r");
			break;
		case 5:
			if (!tx[k])
				tx[k] = start(c[k]);
			break;
		default:
			if (tx[k])
				h_do(c[k], XS_TRANSACTION_END, tx[k],
				     op == 6 ? "T" : "F");
			tx[k] = 0;
			break;
		}
	}
	h_check_tree();
	ck_assert_uint_gt(txn_conflicts, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("transactions");
	TCase *tc = tcase_create("transactions");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, isolation_and_commit);
	tcase_add_test(tc, conflict);
	tcase_add_test(tc, conflict_on_absent_and_children);
	tcase_add_test(tc, disjoint_commit);
	tcase_add_test(tc, abort_and_rm);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, watches_fire_at_commit);
	tcase_add_test(tc, random_ops);
	suite_add_tcase(s, tc);
	return h_run(s);
}
