// SPDX-License-Identifier: GPL-2.0
/*
 * SVM exit dispatch: one const table indexed by exit code. Each handler
 * decodes the vendor-specific exit information, calls the vendor-neutral
 * handler (hvm/) and completes the instruction (svm/insn.c finds its
 * length: NRIP save or the decoder). An exit without a handler crashes
 * the domain, never the host.
 *
 * Intercepted instructions and what the guest gets (docs/cpuid-msr.md).
 * RDTSC, RDTSCP and RDPID run natively: the VMCB's TSC offset and the
 * guest's TSC_AUX, loaded before VMRUN (hvm_load_tsc_aux()).
 *   CPUID, RDMSR/WRMSR, IN/OUT, INS/OUTS, VMMCALL   emulated
 *   HLT                  hvm_halt(): blocks, or the vCPU goes down
 *   INVD, WBINVD         no-ops (no device reaches guest memory but
 *                        through the hypervisor), as Xen
 *   VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA
 *                        #UD: no nested virtualization (Xen, nested off)
 *   MONITOR, MWAIT, RDPRU  #UD: not in the guest's CPUID (Xen)
 *   an access outside RAM  nested page fault: hvm_npf() (MMIO emulation)
 *   RDPMC                unhandled: there is no virtual PMU and the host's
 *                        counters must not leak. From CPL 0 the domain is
 *                        crashed with a register dump; above CPL 0 the
 *                        guest gets #UD (Xen's svm_crash_or_fault()).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>

typedef void (*svm_exit_fn)(struct vcpu *v, struct vmcb *vmcb);

static const struct svm_insn_enc enc_cpuid = { INSN_MAP_0F, 0xa2, -1 };
static const struct svm_insn_enc enc_hlt = { INSN_MAP_1BYTE, 0xf4, -1 };
static const struct svm_insn_enc enc_vmmcall = { INSN_MAP_0F, 0x01, 0xd9 };
static const struct svm_insn_enc enc_cache[] = {
	{ INSN_MAP_0F, 0x08, -1 },		/* INVD */
	{ INSN_MAP_0F, 0x09, -1 },		/* WBINVD */
};

/* Handled once the host has interrupts on again: nothing to do here. */
static void exit_nothing(struct vcpu *v, struct vmcb *vmcb)
{
}

static void exit_cpuid(struct vcpu *v, struct vmcb *vmcb)
{
	struct guest_regs *r = &v->regs;
	unsigned int len = svm_insn_len(v, &enc_cpuid);
	uint32_t res[4];

	if (!len)
		return;
	hvm_cpuid(v, r->rax, r->rcx, res);
	r->rax = res[0];
	r->rbx = res[1];
	r->rcx = res[2];
	r->rdx = res[3];
	svm_skip(v, len);
}

static void exit_hlt(struct vcpu *v, struct vmcb *vmcb)
{
	unsigned int len = svm_insn_len(v, &enc_hlt);

	if (!len)
		return;
	svm_skip(v, len);
	hvm_halt(v);
}

static void exit_vmmcall(struct vcpu *v, struct vmcb *vmcb)
{
	unsigned int len = svm_insn_len(v, &enc_vmmcall);
	uint64_t rip = v->regs.rip;

	if (!len)
		return;
	svm_skip(v, len);
	hvm_hypercall(v, rip);
}

/*
 * INVD and WBINVD: nothing to write back or throw away for the guest.
 * QEMU 7.2 reports both as a WBINVD exit (fixed in 8.1): the two are
 * handled alike, so either instruction completes either exit.
 */
static void exit_cache(struct vcpu *v, struct vmcb *vmcb)
{
	unsigned int len = svm_insn_len_of(v, enc_cache,
					   ARRAY_SIZE(enc_cache), NULL);

	if (len)
		svm_skip(v, len);
}

/* Instructions the guest's CPU does not have: the exception is the
 * instruction's, so RIP stays. */
static void exit_ud(struct vcpu *v, struct vmcb *vmcb)
{
	hvm_inject_ud(v);
}

static void exit_rdpmc(struct vcpu *v, struct vmcb *vmcb)
{
	if (svm_vcpu_cpl(v))
		hvm_inject_ud(v);
	else
		domain_crash(v->domain, "unhandled intercept: RDPMC");
}

static void exit_shutdown(struct vcpu *v, struct vmcb *vmcb)
{
	domain_crash(v->domain, "triple fault");
}

/* INS/OUTS: the decoded instruction must be what the exit describes. */
static bool string_io_matches(const struct insn *in, bool is_in,
			      unsigned int size)
{
	unsigned int op = is_in ? 0x6c : 0x6e;

	if (in->map != INSN_MAP_1BYTE || (in->opcode & ~1) != op)
		return false;
	return size == (in->opcode & 1 ? MIN(in->op_bytes, 4) : 1);
}

static void exit_ioio(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t info = vmcb->exitinfo1;
	unsigned int size = (info >> SVM_IOIO_SIZE_SHIFT) & 7;
	uint16_t port = info >> SVM_IOIO_PORT_SHIFT;
	bool in = info & SVM_IOIO_IN;
	uint32_t val = v->regs.rax;
	const struct insn *insn;

	if (info & SVM_IOIO_STR) {
		insn = svm_insn(v);
		if (!insn)
			return;
		if (!string_io_matches(insn, in, size)) {
			hvm_inject_gp0(v);
			return;
		}
		if (hvm_string_io(v, insn, port, size, in,
				  info & SVM_IOIO_REP))
			svm_complete(v, vmcb->exitinfo2);
		return;
	}
	hvm_portio(v, port, size, in, &val);
	if (in) {
		uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;

		v->regs.rax = size == 4 ? val : (v->regs.rax & ~mask) |
			      (val & mask);
	}
	svm_complete(v, vmcb->exitinfo2);
}

/*
 * Nested page fault: EXITINFO1 is a #PF-style error code (bit 1 write,
 * bit 4 fetch) with bit 33 set when the access was to a guest paging
 * entry; EXITINFO2 the guest-physical address. EXITINTINFO tells an
 * event was being delivered (reinject_exitintinfo() has re-queued it).
 */
#define NPF_WRITE	(1ULL << 1)
#define NPF_FETCH	(1ULL << 4)
#define NPF_WALK	(1ULL << 33)

static void exit_npf(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t info = vmcb->exitinfo1;
	unsigned int flags = 0;

	if (info & NPF_WRITE)
		flags |= HVM_NPF_WRITE;
	if (info & NPF_FETCH)
		flags |= HVM_NPF_FETCH;
	if (info & NPF_WALK)
		flags |= HVM_NPF_WALK;
	if (vmcb->exitintinfo & SVM_EVTINJ_VALID)
		flags |= HVM_NPF_DELIVERY;
	hvm_npf(v, vmcb->exitinfo2, flags);
}

static const svm_exit_fn svm_exit_table[] = {
	[SVM_EXIT_INTR] = exit_nothing,
	[SVM_EXIT_NMI] = exit_nothing,
	[SVM_EXIT_SMI] = exit_nothing,
	[SVM_EXIT_RDPMC] = exit_rdpmc,
	[SVM_EXIT_CPUID] = exit_cpuid,
	[SVM_EXIT_INVD] = exit_cache,
	[SVM_EXIT_HLT] = exit_hlt,
	[SVM_EXIT_INVLPGA] = exit_ud,
	[SVM_EXIT_IOIO] = exit_ioio,
	[SVM_EXIT_MSR] = svm_exit_msr,
	[SVM_EXIT_VINTR] = svm_exit_vintr,
	[SVM_EXIT_IRET] = svm_exit_iret,
	[SVM_EXIT_SHUTDOWN] = exit_shutdown,
	[SVM_EXIT_VMRUN] = exit_ud,
	[SVM_EXIT_VMMCALL] = exit_vmmcall,
	[SVM_EXIT_VMLOAD] = exit_ud,
	[SVM_EXIT_VMSAVE] = exit_ud,
	[SVM_EXIT_STGI] = exit_ud,
	[SVM_EXIT_CLGI] = exit_ud,
	[SVM_EXIT_SKINIT] = exit_ud,
	[SVM_EXIT_WBINVD] = exit_cache,
	[SVM_EXIT_MONITOR] = exit_ud,
	[SVM_EXIT_MWAIT] = exit_ud,
	[SVM_EXIT_MWAIT_COND] = exit_ud,
	[SVM_EXIT_RDPRU] = exit_ud,
};

/*
 * An exit taken while an event was being delivered: deliver it again.
 * This QEMU reports an interrupted external interrupt or NMI as an
 * exception with vector >= 32 or 2, which VMRUN would refuse: fix the
 * type first.
 */
static void reinject_exitintinfo(struct vmcb *vmcb)
{
	uint64_t info = vmcb->exitintinfo;
	unsigned int vec = info & 0xff, type = (info >> 8) & 7;

	if (!(info & SVM_EVTINJ_VALID))
		return;
	if (type == 3 && vec >= 32)
		type = 0;
	else if (type == 3 && vec == 2)
		type = 2;
	vmcb->eventinj = (info & ~(7ULL << 8)) | ((uint64_t)type << 8);
}

void svm_handle_exit(struct vcpu *v)
{
	struct vmcb *vmcb = svm_vmcb(v);
	uint64_t code = vmcb->exitcode;
	svm_exit_fn fn = code < ARRAY_SIZE(svm_exit_table) ?
			 svm_exit_table[code] : NULL;

	/* The one exit code beyond the table's dense range. */
	if (code == SVM_EXIT_NPF)
		fn = exit_npf;

	((struct svm_vcpu *)v->hvm)->insn_valid = false;
	vmcb->eventinj = 0;
	reinject_exitintinfo(vmcb);
	if (!fn) {
		domain_crash(v->domain, code == SVM_EXIT_INVALID ?
			     "VMRUN refused the guest state" :
			     "unhandled exit");
		return;
	}
	fn(v, vmcb);
}
