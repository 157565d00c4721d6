# Grant tables (common/grant_*.c) with memory_op's add_to_physmap
# (common/memory.c) on the simulated vCPU of hvm_env.c and a second
# domain, over the real p2m, page allocator and domain frames.
UNIT_SUITES += grant_table
UNIT_SRCS += hypervisor/common/grant_table.c hypervisor/common/grant_map.c \
	hypervisor/common/grant_copy.c hypervisor/common/grant_table_op.c \
	hypervisor/common/memory.c hypervisor/common/domain_page.c \
	hypervisor/common/xmalloc.c hypervisor/common/spinlock.c \
	tests/unit/domain_env.c
