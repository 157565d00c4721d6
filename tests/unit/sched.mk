UNIT_SUITES += sched
UNIT_SRCS += hypervisor/common/sched_credit.c hypervisor/common/timer.c \
	hypervisor/common/softirq.c
