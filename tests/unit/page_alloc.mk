UNIT_SUITES += page_alloc
UNIT_SRCS += hypervisor/common/page_alloc.c
