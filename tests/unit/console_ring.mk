# The console page's rings from the backend's side, with hostile indices
# (common/console_ring.c).
UNIT_SUITES += console_ring
UNIT_SRCS += hypervisor/common/console_ring.c
