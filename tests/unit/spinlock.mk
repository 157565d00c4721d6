UNIT_SUITES += spinlock
UNIT_SRCS += hypervisor/common/spinlock.c
