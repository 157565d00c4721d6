# Event channels and SCHEDOP_poll over real shared_info pages, the real
# scheduler and interrupt sources (for blocking and kicks), and hvm_env's
# guest memory for the hypercall handlers; event_smp runs threads as
# CPUs against the same code.
UNIT_SUITES += event event_smp
UNIT_SRCS += hypervisor/common/event_channel.c hypervisor/common/event_2l.c \
	hypervisor/common/event_poll.c hypervisor/common/event_channel_op.c \
	hypervisor/common/sched_op.c hypervisor/common/shared_info.c \
	hypervisor/arch/x86/hvm/intr.c hypervisor/common/sched_credit.c \
	hypervisor/common/timer.c hypervisor/common/softirq.c \
	hypervisor/common/domain_page.c hypervisor/common/page_alloc.c \
	hypervisor/common/xmalloc.c hypervisor/arch/x86/mm/p2m.c \
	tests/unit/event_env.c tests/unit/domain_env.c tests/unit/hvm_env.c
