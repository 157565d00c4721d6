# CPU sets as text (common/cpumask.c) and the inline set operations.
UNIT_SUITES += cpumask
UNIT_SRCS += hypervisor/common/cpumask.c
