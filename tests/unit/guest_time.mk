# Guest time: pvclock parameters against Linux's formula, across vCPUs
# with different TSC offsets, the wallclock, the version protocol, the
# registered time and runstate areas, the vCPU timers on the timer
# queues raising VIRQ_TIMER through real event channels, vm_assist and
# vcpu_op's time sub-ops, on event_env's domain 1 (hvm_env's simulated
# vCPU and a second one); and the timer queues' migrate_timer and
# kill_timer.
UNIT_SUITES += guest_time
UNIT_SRCS += hypervisor/common/guest_time.c hypervisor/common/vcpu_timer.c \
	hypervisor/common/runstate.c hypervisor/common/vcpu_op.c \
	hypervisor/common/shared_info.c hypervisor/common/domain_page.c \
	hypervisor/common/event_channel.c hypervisor/common/event_2l.c \
	hypervisor/arch/x86/hvm/intr.c hypervisor/common/timer.c \
	hypervisor/common/softirq.c hypervisor/common/sched_credit.c \
	tests/unit/event_env.c tests/unit/hvm_env.c
