# Serial input: focus, Ctrl-A switching, dom0's buffer and CONSOLEIO_read's
# worker (common/serial_input.c). The domain list and console rings it
# calls (and the debug keys') are the test's own stand-ins, renamed si_*
# for this one object so
# that they do not clash with other suites' (test_sched.c has a
# domain_for_each).
UNIT_SUITES += serial_input
UNIT_SRCS += hypervisor/common/serial_input.c hypervisor/common/softirq.c \
	hypervisor/common/spinlock.c
$(OUT)/hypervisor/common/serial_input.o: CFLAGS += \
	$(foreach f,domain_get_by_id domain_put domain_for_each \
		domain_has_console domain_console_input domain_console_service \
		evtchn_send_global_virq handle_keypress,\
		-D$(f)=si_$(f))
