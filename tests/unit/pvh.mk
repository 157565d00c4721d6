# The PVH boot layout and hvm_start_info writer, over simulated guest
# memory (common/pvh_start_info.c).
UNIT_SUITES += pvh
UNIT_SRCS += hypervisor/common/pvh_start_info.c
