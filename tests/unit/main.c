// SPDX-License-Identifier: GPL-2.0
/* Runs every unit-test suite in one Check runner: one summary line. */
#include <stdlib.h>

#include "harness.h"

#define X(name) SUITE(name);
#include "suites.h"
#undef X

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

#define X(name) srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef X
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
