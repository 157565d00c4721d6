// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "harness.h"
#include <lamina/spinlock.h>

static DEFINE_SPINLOCK(low, LOCK_LEVEL_TEST_LOW);
static DEFINE_SPINLOCK(high, LOCK_LEVEL_TEST_HIGH);

START_TEST(lock_unlock)
{
	ck_assert(!spin_is_locked(&low));
	spin_lock(&low);
	ck_assert(spin_is_locked(&low));
	ck_assert(!spin_trylock(&low));
	spin_unlock(&low);
	ck_assert(spin_trylock(&low));
	spin_unlock(&low);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

START_TEST(order_ok)
{
	spin_lock(&low);
	spin_lock(&high);
	ck_assert_uint_eq(spin_locks_held(), 2);
	spin_unlock(&low);	/* out-of-order release is allowed */
	spin_unlock(&high);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

START_TEST(order_violation_panics)
{
	spin_lock(&high);
	EXPECT_PANIC(spin_lock(&low));
	ck_assert_msg(strstr(harness_panic_msg, "taking low") &&
		      strstr(harness_panic_msg, "holding high"),
		      "message: %s", harness_panic_msg);
}
END_TEST

START_TEST(same_level_twice_panics)
{
	spin_lock(&low);
	EXPECT_PANIC(spin_lock(&low));
}
END_TEST

/* A trylock cannot deadlock: it may take a lower or equal level. */
START_TEST(trylock_ignores_order)
{
	static DEFINE_SPINLOCK(high2, LOCK_LEVEL_TEST_HIGH);

	spin_lock(&high);
	ck_assert(spin_trylock(&low));
	ck_assert(spin_trylock(&high2));
	ck_assert_uint_eq(spin_locks_held(), 3);
	spin_unlock(&high2);
	spin_unlock(&low);
	spin_unlock(&high);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

START_TEST(unlock_not_held_panics)
{
	EXPECT_PANIC(spin_unlock(&low));
}
END_TEST

START_TEST(irqsave_restores)
{
	unsigned long f;

	local_irq_enable();
	f = spin_lock_irqsave(&low);
	ck_assert(!local_irq_is_enabled());
	spin_unlock_irqrestore(&low, f);
	ck_assert(local_irq_is_enabled());
}
END_TEST

/* Two locks of one level: the second nested, as level + 1. */
START_TEST(nested_same_level)
{
	static DEFINE_SPINLOCK(low2, LOCK_LEVEL_TEST_LOW);

	spin_lock(&low);
	spin_lock_nested(&low2, 1);
	ck_assert_uint_eq(spin_locks_held(), 2);
	spin_lock(&high);		/* above both */
	spin_unlock(&high);
	spin_unlock(&low2);
	spin_unlock(&low);
	ck_assert_uint_eq(spin_locks_held(), 0);
}
END_TEST

/* The nested lock counts as level + 1: a lock at that level after it,
 * or a second one of the same level without nesting, is out of order. */
START_TEST(nested_level_is_checked)
{
	static DEFINE_SPINLOCK(low2, LOCK_LEVEL_TEST_LOW);
	static DEFINE_SPINLOCK(low_plus1, LOCK_LEVEL_TEST_LOW + 1);

	spin_lock(&low);
	spin_lock_nested(&low2, 1);
	EXPECT_PANIC(spin_lock(&low_plus1));
	ck_assert_msg(strstr(harness_panic_msg, "holding low2 (level 11)"),
		      "message: %s", harness_panic_msg);
}
END_TEST

START_TEST(nested_zero_is_plain)
{
	static DEFINE_SPINLOCK(low2, LOCK_LEVEL_TEST_LOW);

	spin_lock(&low);
	EXPECT_PANIC(spin_lock_nested(&low2, 0));
}
END_TEST

/* Releasing the first of the pair leaves the nested one's level. */
START_TEST(nested_release_first)
{
	static DEFINE_SPINLOCK(low2, LOCK_LEVEL_TEST_LOW);
	static DEFINE_SPINLOCK(low_plus1, LOCK_LEVEL_TEST_LOW + 1);

	spin_lock(&low);
	spin_lock_nested(&low2, 1);
	spin_unlock(&low);
	EXPECT_PANIC(spin_lock(&low_plus1));
}
END_TEST

SUITE(spinlock)
{
	Suite *s = suite_create("spinlock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, lock_unlock);
	tcase_add_test(tc, order_ok);
	tcase_add_test(tc, order_violation_panics);
	tcase_add_test(tc, same_level_twice_panics);
	tcase_add_test(tc, trylock_ignores_order);
	tcase_add_test(tc, unlock_not_held_panics);
	tcase_add_test(tc, irqsave_restores);
	tcase_add_test(tc, nested_same_level);
	tcase_add_test(tc, nested_level_is_checked);
	tcase_add_test(tc, nested_zero_is_plain);
	tcase_add_test(tc, nested_release_first);
	suite_add_tcase(s, tc);
	return s;
}
