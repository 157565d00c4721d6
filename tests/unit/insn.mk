UNIT_SUITES += insn
UNIT_SRCS += hypervisor/arch/x86/hvm/insn.c
