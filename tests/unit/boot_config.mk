# Which boot domains to build (common/boot_config.c): Xen's module
# convention, hyperlaunch device trees (the bootfdt fixtures), dom0_mem.
UNIT_SUITES += boot_config
UNIT_SRCS += hypervisor/common/boot_config.c hypervisor/common/bootfdt.c \
	hypervisor/common/loader/bootfdt_parse.c hypervisor/common/cmdline.c
UNIT_LIBS += -l:libfdt.a
