UNIT_SUITES += guest_walk
UNIT_SRCS += hypervisor/arch/x86/hvm/guest_walk.c
