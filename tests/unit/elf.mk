UNIT_SUITES += elf
UNIT_SRCS += hypervisor/common/elf_load.c
