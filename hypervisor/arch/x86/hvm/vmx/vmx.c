// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: detection and per-CPU enabling.
 *
 * The back end needs EPT (4-level walk, write-back paging structures,
 * INVEPT), unrestricted guest (PVH starts with paging off), the
 * load/save EFER and PAT controls, and VM exits that store EFER.LMA in
 * the "IA-32e mode guest" entry control (so that a guest enabling long
 * mode needs no exit). VPIDs are used when the CPU has them with
 * INVVPID. A CPU without one of the required features runs no guests;
 * the probe says which feature is missing.
 *
 * Each CPU enters VMX root operation once, in cpu_up(), with its own
 * VMXON region, and stays there.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define CPUID1_ECX_VMX		(1U << 5)
#define MEMTYPE_WB		6

struct vmx_caps vmx_caps;
struct vmx_cpu vmx_cpus[CONFIG_NR_CPUS];

/* Source of vmx_vcpu.uid (0: none). */
static uint64_t next_uid = 1;

uint64_t vmx_new_uid(void)
{
	return __atomic_fetch_add(&next_uid, 1, __ATOMIC_RELAXED);
}

/* VPIDs in use, one bit each; VPID 0 is the host's. Atomic bit ops. */
static unsigned long vpid_map[65536 / 64] = { 1 };

void vmx_field_fail(const char *insn, unsigned long field)
{
	uint64_t err = 0;
	bool ok;

	__asm__ __volatile__("vmread %2, %1; seta %0"
			     : "=qm"(ok), "=rm"(err)
			     : "r"((unsigned long)VM_INSTRUCTION_ERROR) : "cc");
	if (ok)
		panic("VMX: %s of field %#lx failed (VM-instruction error "
		      "%lu)", insn, field, err);
	panic("VMX: %s of field %#lx failed (no current VMCS)", insn, field);
}

/*
 * A control word from its capability MSR: the low half holds the bits
 * that must be 1, the high half those that may be 1. Every required bit
 * must be allowed; optional bits are taken where allowed.
 */
static bool controls(const char *what, uint32_t msr, uint32_t required,
		     uint32_t optional, uint32_t *out)
{
	uint64_t cap = rdmsr(msr);
	uint32_t must = cap, may = cap >> 32;

	if (required & ~may) {
		printk("(lamina) VMX: no %s control(s) %#x: no guests\n", what,
		       required & ~may);
		return false;
	}
	*out = must | required | (optional & may);
	return true;
}

static bool probe_controls(uint64_t basic)
{
	bool tru = basic & VMX_BASIC_TRUE_CTLS;
	struct vmx_caps *c = &vmx_caps;

	if (!controls("pin-based", tru ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
		      MSR_IA32_VMX_PINBASED_CTLS,
		      PIN_EXT_INTR_EXITING | PIN_NMI_EXITING, PIN_VIRTUAL_NMIS,
		      &c->pin) ||
	    !controls("processor-based", tru ?
		      MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
		      MSR_IA32_VMX_PROCBASED_CTLS,
		      CPU_HLT_EXITING | CPU_RDPMC_EXITING |
		      CPU_MWAIT_EXITING | CPU_MONITOR_EXITING |
		      CPU_USE_TSC_OFFSETTING | CPU_USE_IO_BITMAPS |
		      CPU_USE_MSR_BITMAPS | CPU_SECONDARY_CONTROLS |
		      CPU_INTR_WINDOW_EXITING, CPU_NMI_WINDOW_EXITING,
		      &c->cpu) ||
	    !controls("secondary", MSR_IA32_VMX_PROCBASED_CTLS2,
		      CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST,
		      CPU2_ENABLE_VPID | CPU2_ENABLE_RDTSCP |
		      CPU2_ENABLE_INVPCID | CPU2_WBINVD_EXITING, &c->cpu2) ||
	    !controls("VM-exit", tru ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
		      MSR_IA32_VMX_EXIT_CTLS,
		      EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_PAT | EXIT_LOAD_PAT |
		      EXIT_SAVE_EFER | EXIT_LOAD_EFER, EXIT_SAVE_DEBUG_CONTROLS,
		      &c->exit) ||
	    !controls("VM-entry", tru ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
		      MSR_IA32_VMX_ENTRY_CTLS, ENTRY_LOAD_PAT | ENTRY_LOAD_EFER,
		      ENTRY_LOAD_DEBUG_CONTROLS, &c->entry))
		return false;
	/* Without true controls these may be forced on: we emulate none. */
	if (c->cpu & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING |
		      CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING)) {
		printk("(lamina) VMX: CR3/CR8 exiting cannot be disabled: no "
		       "guests\n");
		return false;
	}
	/* Set per vCPU, as EFER.LMA; the CPU must allow it. */
	if (!(rdmsr(tru ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
		    MSR_IA32_VMX_ENTRY_CTLS) >> 32 & ENTRY_IA32E_MODE)) {
		printk("(lamina) VMX: no 64-bit guests: no guests\n");
		return false;
	}
	c->entry &= ~ENTRY_IA32E_MODE;
	/* Window exits are switched on when needed (vmx/intr.c). */
	c->vnmi = (c->pin & PIN_VIRTUAL_NMIS) &&
		  (c->cpu & CPU_NMI_WINDOW_EXITING);
	if (!c->vnmi)
		c->pin &= ~PIN_VIRTUAL_NMIS;
	c->cpu &= ~(CPU_INTR_WINDOW_EXITING | CPU_NMI_WINDOW_EXITING);
	return true;
}

static bool probe_ept_vpid(void)
{
	uint64_t cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	uint64_t need = VMX_EPT_WALK_4 | VMX_EPT_MEMTYPE_WB | VMX_EPT_INVEPT;

	if ((cap & need) != need ||
	    !(cap & (VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL))) {
		printk("(lamina) VMX: EPT lacks a 4-level walk, write-back or "
		       "INVEPT (cap %#lx): no guests\n", cap);
		return false;
	}
	if (!(rdmsr(MSR_IA32_VMX_MISC) & VMX_MISC_STORE_LMA)) {
		printk("(lamina) VMX: exits do not store EFER.LMA: no "
		       "guests\n");
		return false;
	}
	vmx_caps.ept_vpid = cap;
	vmx_caps.vpid = (vmx_caps.cpu2 & CPU2_ENABLE_VPID) &&
			(cap & VMX_VPID_INVVPID) &&
			(cap & (VMX_VPID_INVVPID_SINGLE | VMX_VPID_INVVPID_ALL));
	if (!vmx_caps.vpid)
		vmx_caps.cpu2 &= ~CPU2_ENABLE_VPID;
	return true;
}

static int vmx_cpu_up(void)
{
	struct vmx_cpu *vc = &vmx_cpus[smp_processor_id()];
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	struct page_info *pg;

	if ((rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_REVISION_MASK) !=
	    vmx_caps.revision)
		return -ENODEV;
	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		fc |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
	}
	if (!(fc & FEATURE_CONTROL_VMXON))
		return -ENODEV;
	pg = alloc_pages(0, MEMF_zero);
	if (!pg)
		return -ENOMEM;
	*(uint32_t *)page_to_virt(pg) = vmx_caps.revision;
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
	if (!vmx_on(page_to_maddr(pg))) {
		free_pages(pg, 0);
		return -EIO;
	}
	vc->vmxon_pa = page_to_maddr(pg);
	vc->current = NULL;
	return 0;
}

uint16_t vmx_vpid_alloc(void)
{
	unsigned int i;

	for (i = 0; vmx_caps.vpid && i < ARRAY_SIZE(vpid_map); i++) {
		unsigned long w = READ_ONCE(vpid_map[i]);

		while (~w) {
			unsigned long bit = 1UL << __builtin_ctzl(~w);

			w = __atomic_fetch_or(&vpid_map[i], bit,
					      __ATOMIC_ACQ_REL);
			if (!(w & bit))
				return i * 64 + __builtin_ctzl(bit);
			w |= bit;
		}
	}
	return 0;
}

void vmx_vpid_free(uint16_t vpid)
{
	if (vpid)
		__atomic_fetch_and(&vpid_map[vpid / 64],
				   ~(1UL << (vpid % 64)), __ATOMIC_RELEASE);
}

static void vmcs_clear_irq(struct cpu_regs *regs)
{
	vmx_vmcs_clear_ipi();
}

static const struct hvm_ops vmx_ops = {
	.name = "VMX",
	.p2m_format = P2M_FORMAT_EPT,
	.cpu_up = vmx_cpu_up,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_set_pvh_entry = vmx_vcpu_set_pvh_entry,
	.vcpu_load_state = vmx_vcpu_load_state,
	.vcpu_run = vmx_vcpu_run,
	.vcpu_ctxt_switch_from = vmx_vcpu_ctxt_switch_from,
	.vcpu_dump = vmx_vcpu_dump,
	.vcpu_is_64bit = vmx_vcpu_is_64bit,
	.vcpu_cpl = vmx_vcpu_cpl,
	.vcpu_paging = vmx_vcpu_paging,
	.vcpu_inject_exception = vmx_vcpu_inject_exception,
	.vcpu_seg_base = vmx_vcpu_seg_base,
	.vcpu_insn_mode = vmx_vcpu_insn_mode,
	.vcpu_skip_insn = vmx_skip_len,
	.vcpu_set_tsc_offset = vmx_vcpu_set_tsc_offset,
	.hypercall_insn = { 0x0f, 0x01, 0xc1 },	/* VMCALL */
};

const struct hvm_ops *vmx_probe(void)
{
	uint32_t a, b, c, d;
	uint64_t basic, fc;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_VMX))
		return NULL;
	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMXON)) {
		printk("(lamina) VMX: disabled by the firmware: no guests\n");
		return NULL;
	}
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	if (((basic >> VMX_BASIC_SIZE_SHIFT) & 0x1fff) > PAGE_SIZE ||
	    (basic & VMX_BASIC_32BIT_ADDRESSES) ||
	    ((basic >> VMX_BASIC_MEMTYPE_SHIFT) & 0xf) != MEMTYPE_WB) {
		printk("(lamina) VMX: unusable VMCS format (basic %#lx): no "
		       "guests\n", basic);
		return NULL;
	}
	vmx_caps.revision = basic & VMX_BASIC_REVISION_MASK;
	if (!probe_controls(basic) || !probe_ept_vpid())
		return NULL;
	vmx_caps.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	vmx_caps.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx_caps.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx_caps.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	set_irq_handler(VECTOR_VMCS_CLEAR, vmcs_clear_irq);
	printk("(lamina) VMX: EPT, unrestricted guest, %s\n",
	       vmx_caps.vpid ? "VPID" : "no VPID");
	return &vmx_ops;
}
