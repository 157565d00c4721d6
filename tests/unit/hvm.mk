# The vendor-neutral HVM code: CPUID and MSR policies, instruction fetch,
# string I/O, guest-virtual copies, xen_version, MMIO emulation, the
# vLAPIC, INIT/SIPI and vcpu_op; on a simulated domain (hvm_env.c) whose
# guest RAM sits in the real p2m; the SVM back end's guest-state
# operations and instruction lengths on a VMCB in host memory.
UNIT_SUITES += cpuid msr hvm_emulate xen_version svm_guest mmio vlapic \
	vcpu_op
UNIT_SRCS += hypervisor/arch/x86/hvm/cpuid.c hypervisor/arch/x86/hvm/msr.c \
	hypervisor/arch/x86/hvm/io.c hypervisor/arch/x86/hvm/emulate.c \
	hypervisor/arch/x86/hvm/mmio.c hypervisor/arch/x86/hvm/vlapic.c \
	hypervisor/arch/x86/hvm/vcpu_power.c hypervisor/common/vcpu_op.c \
	hypervisor/arch/x86/hvm/intr.c hypervisor/common/shared_info.c \
	hypervisor/arch/x86/hvm/guest_access.c \
	hypervisor/arch/x86/hvm/guest_walk.c hypervisor/arch/x86/hvm/insn.c \
	hypervisor/common/version.c hypervisor/common/cmdline.c \
	hypervisor/arch/x86/mm/p2m.c hypervisor/common/page_alloc.c \
	hypervisor/arch/x86/hvm/svm/guest.c hypervisor/arch/x86/hvm/svm/insn.c \
	tests/unit/hvm_env.c
