# Frame ownership of domains (page lists, references, release) over the
# real page allocator and p2m on simulated machine memory.
UNIT_SUITES += domain_page
UNIT_SRCS += hypervisor/common/domain_page.c hypervisor/common/page_alloc.c \
	hypervisor/arch/x86/mm/p2m.c
