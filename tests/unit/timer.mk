# kill_timer(): waiting for a timer function running on another CPU.
UNIT_SUITES += timer
UNIT_SRCS += hypervisor/common/timer.c hypervisor/common/softirq.c
