UNIT_SUITES += cmdline
UNIT_SRCS += hypervisor/common/cmdline.c
