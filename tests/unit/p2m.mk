# The p2m over simulated machine memory, its tables from the real page
# allocator (so that running out of pages can be arranged).
UNIT_SUITES += p2m
UNIT_SRCS += hypervisor/arch/x86/mm/p2m.c hypervisor/common/page_alloc.c
