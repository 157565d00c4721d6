UNIT_SUITES += serial
UNIT_SRCS += hypervisor/common/serial_spec.c
