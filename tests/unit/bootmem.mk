UNIT_SUITES += bootmem
UNIT_SRCS += hypervisor/common/bootmem.c
