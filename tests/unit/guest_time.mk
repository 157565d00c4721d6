# Guest time: pvclock parameters against Linux's formula, across vCPUs
# with different TSC offsets, the wallclock, the version protocol, the
# registered time and runstate areas, vm_assist and vcpu_op's time
# sub-ops, on the simulated vCPU of hvm_env.c.
UNIT_SUITES += guest_time
UNIT_SRCS += hypervisor/common/guest_time.c \
	hypervisor/common/runstate.c hypervisor/common/vcpu_op.c \
	hypervisor/common/shared_info.c hypervisor/common/domain_page.c \
	hypervisor/arch/x86/hvm/intr.c hypervisor/common/timer.c \
	hypervisor/common/softirq.c hypervisor/common/sched_credit.c
