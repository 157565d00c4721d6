// SPDX-License-Identifier: GPL-2.0
/* Check lines and the summary. */
#include "cmdline.h"
#include "console.h"
#include "test.h"

static unsigned int nr_checks, nr_failed;

void check(bool ok, const char *name)
{
	nr_checks++;
	if (!ok)
		nr_failed++;
	printf("%s %u - %s\n", ok ? "ok" : "not ok", nr_checks, name);
}

/* Small numbers in decimal (error codes), large ones in hex. */
static void print_value(char *buf, size_t size, long v)
{
	if (v > -100000 && v < 100000)
		snprintf(buf, size, "%ld", v);
	else
		snprintf(buf, size, "%#lx", v);
}

void check_eq(const char *name, long got, long want)
{
	char g[24], w[24];

	nr_checks++;
	if (got == want) {
		printf("ok %u - %s\n", nr_checks, name);
		return;
	}
	nr_failed++;
	print_value(g, sizeof(g), got);
	print_value(w, sizeof(w), want);
	printf("not ok %u - %s: got %s want %s\n", nr_checks, name, g, w);
}

void skip(const char *name, const char *why)
{
	printf("ok - %s # SKIP %s\n", name, why);
}

void run_tests(const struct test *tests, unsigned int n)
{
	char only[64];
	bool selected = cmdline_arg("test", only, sizeof(only));
	bool found = false;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (selected && strcmp(tests[i].name, only))
			continue;
		found = true;
		printf("# %s\n", tests[i].name);
		tests[i].fn();
	}
	if (selected && !found)
		check(false, "test= names a test of this program");
}

void tests_summary(void)
{
	if (nr_checks)
		printf("%u passed, %u failed\n", nr_checks - nr_failed,
		       nr_failed);
}
