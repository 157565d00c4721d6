// SPDX-License-Identifier: GPL-2.0
/* CPU sets (lamina/cpumask.h, common/cpumask.c). */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include <lamina/cpumask.h>

static char buf[256];

static const char *list(const cpumask_t *m)
{
	return cpumask_print(buf, sizeof(buf), m);
}

START_TEST(print)
{
	char want[32];
	cpumask_t m;

	cpumask_clear(&m);
	ck_assert_str_eq(list(&m), "none");
	cpumask_set(&m, 0);
	ck_assert_str_eq(list(&m), "0");
	cpumask_set(&m, 1);
	cpumask_set(&m, 2);
	ck_assert_str_eq(list(&m), "0-2");
	cpumask_set(&m, 5);
	cpumask_set(&m, CONFIG_NR_CPUS - 1);
	snprintf(want, sizeof(want), "0-2,5,%u", CONFIG_NR_CPUS - 1);
	ck_assert_str_eq(list(&m), want);
	cpumask_fill(&m);
	snprintf(want, sizeof(want), "0-%u", CONFIG_NR_CPUS - 1);
	ck_assert_str_eq(list(&m), want);
}
END_TEST

/* A short buffer gets what fits, NUL-terminated; size 0 is left alone. */
START_TEST(print_truncated)
{
	cpumask_t m;
	unsigned int cpu;

	cpumask_clear(&m);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu += 2)
		cpumask_set(&m, cpu);
	memset(buf, 'x', sizeof(buf));
	cpumask_print(buf, 6, &m);
	ck_assert_str_eq(buf, "0,2,4");
	ck_assert_int_eq(buf[6], 'x');
	cpumask_print(buf, 1, &m);
	ck_assert_str_eq(buf, "");
	buf[0] = 'y';
	cpumask_print(buf, 0, &m);
	ck_assert_int_eq(buf[0], 'y');
	cpumask_clear(&m);
	cpumask_print(buf, 3, &m);
	ck_assert_str_eq(buf, "no");
}
END_TEST

START_TEST(set_ops)
{
	cpumask_t a, b, c;

	cpumask_clear(&a);
	cpumask_clear(&b);
	ck_assert(cpumask_empty(&a));
	ck_assert(!cpumask_test(&a, CONFIG_NR_CPUS));	/* out of range */
	cpumask_set(&a, 1);
	cpumask_set(&a, CONFIG_NR_CPUS - 1);
	cpumask_set(&b, CONFIG_NR_CPUS - 1);
	ck_assert(!cpumask_empty(&a));
	cpumask_and(&c, &a, &b);
	ck_assert(cpumask_test(&c, CONFIG_NR_CPUS - 1));
	ck_assert(!cpumask_test(&c, 1));
	cpumask_andnot(&c, &a, &b);
	ck_assert(cpumask_test(&c, 1));
	ck_assert(!cpumask_test(&c, CONFIG_NR_CPUS - 1));
	cpumask_clear(&b);
	cpumask_and(&c, &a, &b);
	ck_assert(cpumask_empty(&c));
	cpumask_andnot(&c, &a, &b);
	ck_assert(!memcmp(&c, &a, sizeof(c)));
}
END_TEST

SUITE(cpumask)
{
	Suite *s = suite_create("cpumask");
	TCase *tc = tcase_create("cpumask");

	tcase_add_test(tc, print);
	tcase_add_test(tc, print_truncated);
	tcase_add_test(tc, set_ops);
	suite_add_tcase(s, tc);
	return s;
}
