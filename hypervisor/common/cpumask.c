// SPDX-License-Identifier: GPL-2.0
/* CPU sets as text, for the log (lamina/cpumask.h). */
#include <lamina/cpumask.h>
#include <lamina/lib.h>

char *cpumask_print(char *buf, size_t size, const cpumask_t *m)
{
	unsigned int cpu = 0, last;
	size_t used = 0, at;

	if (!size)
		return buf;
	snprintf(buf, size, "none");
	while (cpu < CONFIG_NR_CPUS) {
		if (!cpumask_test(m, cpu)) {
			cpu++;
			continue;
		}
		for (last = cpu; cpumask_test(m, last + 1); last++)
			;
		/* Past the end, snprintf only counts (at is its NUL). */
		at = MIN(used, size - 1);
		if (last == cpu)
			used += snprintf(buf + at, size - at, "%s%u",
					 used ? "," : "", cpu);
		else
			used += snprintf(buf + at, size - at, "%s%u-%u",
					 used ? "," : "", cpu, last);
		cpu = last + 1;
	}
	return buf;
}
