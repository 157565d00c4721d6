UNIT_SUITES += multiboot
UNIT_SRCS += hypervisor/common/multiboot.c
