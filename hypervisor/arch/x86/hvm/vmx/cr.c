// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's control registers and EFER under VMX.
 *
 * The guest owns every CR0 and CR4 bit except those VMX operation fixes
 * (CR0.NE, CR4.VMXE: the CPU requires them set; PE and PG are free with
 * unrestricted guest), CR0.CD and NW (VM entries and exits never change
 * them: host and guest share the real ones, so the guest's live in the
 * read shadow only and caching stays the host's), and those it cannot
 * have: bits VMX forbids, SMXE (GETSEC is not emulated), PKE, CET and
 * PKS (their state is not switched; the CPUID policy hides them too)
 * and OSXSAVE while the host has not enabled XSAVE (XSETBV would exit
 * into a host that cannot execute it). Those bits are host-owned: the
 * guest reads its own value from the read shadow, and a write that
 * changes one exits here, where it is checked and emulated, with what
 * the hardware would have done on its own: long mode activation with
 * EFER.LME, PDPTE loads for PAE paging, TLB flushes, #GP for bad values.
 * CR3 and CR8 never exit (EPT, true controls), nor do guest reads.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vmx/vmx.h>
#include <asm/processor.h>

#define CR0_ET		(1ULL << 4)
#define CR0_AM		(1ULL << 18)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)
#define CR0_VALID	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
			 CR0_ET | X86_CR0_NE | X86_CR0_WP | CR0_AM | CR0_NW | \
			 CR0_CD | X86_CR0_PG)

#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define CR4_PGE		(1ULL << 7)
#define CR4_LA57	(1ULL << 12)
#define CR4_VMXE	(1ULL << 13)
#define CR4_SMXE	(1ULL << 14)
#define CR4_PCIDE	(1ULL << 17)
#define CR4_OSXSAVE	(1ULL << 18)
#define CR4_SMEP	(1ULL << 20)
#define CR4_SMAP	(1ULL << 21)
#define CR4_PKE		(1ULL << 22)
#define CR4_CET		(1ULL << 23)
#define CR4_PKS		(1ULL << 24)
/* Changing one of these flushes the TLB (SDM vol. 3A, 4.10.4.1). */
#define CR4_TLB_BITS	(CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | \
			 CR4_SMEP | CR4_SMAP | CR4_PKE | CR4_LA57)

/* PAE PDPTE bits that must be 0 (below MAXPHYADDR). */
#define PDPTE_RSVD	0x1e6ULL

/* Bits VMX sets in the real CR0 whatever the guest writes. */
static uint64_t cr0_forced(void)
{
	return vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

/*
 * The host-owned bits, fixed when the VMCS is set up (the host's XSAVE
 * state is settled by then); afterwards the masks in the VMCS are the
 * one record of them.
 */
void vmx_cr_setup(void)
{
	uint64_t cr4_reserved = ~vmx_caps.cr4_fixed1 | CR4_VMXE | CR4_SMXE |
				CR4_PKE | CR4_CET | CR4_PKS;

	if (!(read_cr4() & CR4_OSXSAVE))
		cr4_reserved |= CR4_OSXSAVE;
	vmwrite(CR0_GUEST_HOST_MASK, cr0_forced() | CR0_CD | CR0_NW |
		~vmx_caps.cr0_fixed1);
	vmwrite(CR4_GUEST_HOST_MASK, vmx_caps.cr4_fixed0 | cr4_reserved);
}

/* CR4 bits the guest may not set: every host-owned one (VMXE too). */
static uint64_t cr4_reserved(void)
{
	return vmread(CR4_GUEST_HOST_MASK);
}

/* The values the guest sees (its own bits, the shadow for the rest). */
uint64_t vmx_guest_cr0(void)
{
	uint64_t mask = vmread(CR0_GUEST_HOST_MASK);

	return (vmread(GUEST_CR0) & ~mask) | (vmread(CR0_READ_SHADOW) & mask);
}

uint64_t vmx_guest_cr4(void)
{
	uint64_t mask = vmread(CR4_GUEST_HOST_MASK);

	return (vmread(GUEST_CR4) & ~mask) | (vmread(CR4_READ_SHADOW) & mask);
}

/* CD and NW of the CR0 field are ignored by VM entry: keep them 0. */
static void cr0_fields(uint64_t val)
{
	vmwrite(GUEST_CR0, (val | cr0_forced()) & vmx_caps.cr0_fixed1 &
		~(CR0_CD | CR0_NW));
	vmwrite(CR0_READ_SHADOW, val);
}

static void cr4_fields(uint64_t val)
{
	vmwrite(GUEST_CR4, val | vmx_caps.cr4_fixed0);
	vmwrite(CR4_READ_SHADOW, val);
}

/* PVH start: CR0 = PE | ET, CR4 = 0, as the guest sees them. */
void vmx_cr_reset(void)
{
	cr0_fields(X86_CR0_PE | CR0_ET);
	cr4_fields(0);
}

/*
 * Entering PAE paging: with EPT the CPU takes the four PDPTEs from the
 * VMCS, so load them as MOV to CR0/CR4 would. 0, -EINVAL for reserved
 * bits (#GP), -EFAULT if the table is not in guest RAM (domain crashed,
 * as Xen does).
 */
static int load_pdptes(struct vcpu *v, uint64_t cr3)
{
	uint64_t e[4], rsvd;
	unsigned int i;

	rsvd = PDPTE_RSVD |
	       ~((1ULL << cpuid_maxphyaddr(&v->domain->arch.cpuid)) - 1);
	if (copy_from_guest_phys(v->domain, e, cr3 & 0xffffffe0, sizeof(e))) {
		printk("(lamina) d%u: PAE PDPTEs at %#lx are not in RAM\n",
		       v->domain->domain_id, cr3 & 0xffffffe0);
		vcpu_crash(v, "bad PAE CR3");
		return -EFAULT;
	}
	for (i = 0; i < 4; i++)
		if ((e[i] & 1) && (e[i] & rsvd))
			return -EINVAL;
	for (i = 0; i < 4; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, e[i]);
	return 0;
}

/*
 * A whole new context (vmx_vcpu_load_state()): control registers and
 * EFER as given (the caller checked them against the CPUID policy),
 * IA-32e mode following EFER.LMA, the PDPTEs loaded for PAE paging.
 * 0, or the PDPTEs were bad (-EINVAL) or outside RAM (-EFAULT, domain
 * crashed).
 */
int vmx_cr_load(struct vcpu *v, uint64_t cr0, uint64_t cr3, uint64_t cr4,
		uint64_t efer)
{
	uint32_t entry = vmread(VM_ENTRY_CONTROLS) & ~ENTRY_IA32E_MODE;

	cr0_fields(cr0);
	cr4_fields(cr4);
	vmwrite(GUEST_CR3, cr3);
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(VM_ENTRY_CONTROLS, efer & EFER_LMA ? entry | ENTRY_IA32E_MODE :
		entry);
	vmx_flush_vpid(v->hvm);
	if ((cr0 & X86_CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LMA))
		return load_pdptes(v, cr3);
	return 0;
}

static int set_cr0(struct vcpu *v, uint64_t val)
{
	uint64_t old = vmx_guest_cr0(), cr4 = vmx_guest_cr4();
	uint64_t efer = vmread(GUEST_IA32_EFER);
	uint32_t entry = vmread(VM_ENTRY_CONTROLS);
	int rc;

	val |= CR0_ET;
	if ((val & ~CR0_VALID) ||
	    ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)))
		return -EINVAL;
	if ((val & ~old & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(cr4 & CR4_PAE) || (vmread(GUEST_CS_AR_BYTES) & VMX_AR_L))
			return -EINVAL;
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE;
	} else if ((old & ~val & X86_CR0_PG) && (efer & EFER_LMA)) {
		if (vmx_vcpu_is_64bit(v))
			return -EINVAL;
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE;
	}
	if ((val & X86_CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LMA)) {
		rc = load_pdptes(v, vmread(GUEST_CR3));
		if (rc)
			return rc;
	}
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(VM_ENTRY_CONTROLS, entry);
	cr0_fields(val);
	if ((val ^ old) & (X86_CR0_PG | X86_CR0_WP))
		vmx_flush_vpid(v->hvm);
	return 0;
}

static int set_cr4(struct vcpu *v, uint64_t val)
{
	uint64_t old = vmx_guest_cr4(), cr0 = vmx_guest_cr0();
	uint64_t efer = vmread(GUEST_IA32_EFER);
	int rc;

	if (val & cr4_reserved())
		return -EINVAL;
	if ((efer & EFER_LMA) &&
	    (!(val & CR4_PAE) || ((val ^ old) & CR4_LA57)))
		return -EINVAL;
	if ((val & ~old & CR4_PCIDE) &&
	    (!(efer & EFER_LMA) || (vmread(GUEST_CR3) & 0xfff)))
		return -EINVAL;
	if ((cr0 & X86_CR0_PG) && (val & CR4_PAE) && !(efer & EFER_LMA)) {
		rc = load_pdptes(v, vmread(GUEST_CR3));
		if (rc)
			return rc;
	}
	cr4_fields(val);
	if ((val ^ old) & CR4_TLB_BITS)
		vmx_flush_vpid(v->hvm);
	return 0;
}

void vmx_exit_cr_access(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->hvm;
	uint64_t q = vx->exit_qual, val;
	unsigned int cr = CR_QUAL_NUM(q);
	int rc;

	switch (CR_QUAL_TYPE(q)) {
	case CR_TYPE_MOV_TO:
		if (cr != 0 && cr != 4)
			goto unexpected;
		val = *guest_gpr(&v->regs, CR_QUAL_GPR(q));
		if (!vmx_vcpu_is_64bit(v))
			val = (uint32_t)val;
		rc = cr ? set_cr4(v, val) : set_cr0(v, val);
		break;
	case CR_TYPE_CLTS:
		rc = set_cr0(v, vmx_guest_cr0() & ~X86_CR0_TS);
		break;
	case CR_TYPE_LMSW:
		/* LMSW loads MP, EM and TS, and can set PE but not clear it. */
		val = (q >> 16) & 0xf;
		rc = set_cr0(v, (vmx_guest_cr0() & ~0xeULL) | val);
		break;
	default:
		goto unexpected;
	}
	if (!rc)
		vmx_skip_insn(v);
	else if (rc == -EINVAL)
		hvm_inject_gp0(v);
	return;

unexpected:
	/* Reads, CR3 and CR8 never exit: the controls are off. */
	vcpu_crash(v, "unexpected control-register exit");
}

/* WRMSR EFER: the policy's checks (hvm/msr.c); LMA follows CR0.PG. */
int vmx_set_efer(struct vcpu *v, uint64_t val)
{
	uint64_t efer = vmread(GUEST_IA32_EFER);

	if (hvm_efer_check(&v->domain->arch.cpuid, efer, val,
			   vmx_guest_cr0() & X86_CR0_PG))
		return -EPERM;
	vmwrite(GUEST_IA32_EFER, (val & ~EFER_LMA) | (efer & EFER_LMA));
	return 0;
}
