UNIT_SUITES += xmalloc
UNIT_SRCS += hypervisor/common/xmalloc.c
