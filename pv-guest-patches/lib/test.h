/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test framework. Each check prints one line,
 *
 *	ok 3 - xen_version(XENVER_version, NULL) == 0x40011
 *	not ok 4 - console_io bad pointer: got 0 want -14
 *
 * and the end of the program (start.c) prints "N passed, N failed"
 * when anything was checked, then powers the domain off: the summary
 * line carries the result.
 *
 * A program with several tests lists them,
 *
 *	static void test_cpuid(void) { CHECK(...); }
 *	static const struct test tests[] = { TEST(cpuid), ... };
 *	void guest_main(void) { RUN_TESTS(tests); }
 *
 * and "test=cpuid" on its command line runs only that one.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>
#include "hypercall.h"
#include "string.h"

void check(bool ok, const char *name);
void check_eq(const char *name, long got, long want);
/* Counted as neither: "ok N - name # SKIP why". */
void skip(const char *name, const char *why);

#define CHECK(expr)		check((expr), #expr)
#define CHECK_EQ(got, want)	check_eq(#got " == " #want, (long)(got), \
					 (long)(want))

/*
 * For make xen-compare, which runs a program on Lamina and on Xen 4.17
 * and pairs their checks by name (tests/boot/xen_compare.py):
 *
 * CHECK_BY_HV(lamina, other): a fact of the hypervisor's identity (its
 * version string, its build), not of the ABI: `lamina` is checked on
 * Lamina, `other` elsewhere, under one name, #lamina.
 *
 * CHECK_EQ_LAMINA(got, want, why): a documented difference from Xen that
 * would end the run there (docs/xen-differences.md): `got` is evaluated
 * on Lamina only; elsewhere the check is skipped, under the same name.
 */
#define CHECK_BY_HV(lamina, other)					\
	check(on_lamina() ? (lamina) : (other), #lamina)
#define CHECK_EQ_LAMINA(got, want, why)					\
	do {								\
		if (on_lamina())					\
			check_eq(#got " == " #want, (long)(got),	\
				 (long)(want));				\
		else							\
			skip(#got " == " #want, why);			\
	} while (0)

struct test {
	const char *name;
	void (*fn)(void);
};
#define TEST(name)		{ #name, test_##name }

/* Every test, or the one named by test=NAME. */
void run_tests(const struct test *tests, unsigned int n);
#define RUN_TESTS(tests)	run_tests(tests, ARRAY_SIZE(tests))

/* For start.c: print the summary if anything was checked. */
void tests_summary(void);

#endif
