UNIT_SUITES += rtc
UNIT_SRCS += hypervisor/common/rtc.c
