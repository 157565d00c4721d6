# A PVH guest's ACPI tables (common/guest_acpi.c) placed by the PVH layout
# (common/pvh_start_info.c) over simulated guest memory, read back by hand
# and by the host ACPI parser (common/acpi_tables.c).
UNIT_SUITES += guest_acpi
UNIT_SRCS += hypervisor/common/guest_acpi.c hypervisor/common/pvh_start_info.c \
	hypervisor/common/acpi_tables.c hypervisor/common/acpi_aml.c
