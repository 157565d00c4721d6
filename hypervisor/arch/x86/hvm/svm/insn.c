// SPDX-License-Identifier: GPL-2.0
/*
 * The intercepted instruction: its length and, where needed, its
 * operands. With NRIP save the VMCB gives the next RIP; without it (QEMU)
 * the instruction is fetched through the guest's page tables and decoded
 * (hvm_fetch_insn), at most once per exit. As Xen does, a decoded
 * instruction that is not the one the exit reports (another vCPU
 * rewrote the bytes, or a stale TLB entry ran different code) gets #GP
 * instead of being skipped by a wrong length.
 */
#include <lamina/domain.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>

#define RFLAGS_TF	(1ULL << 8)
#define RFLAGS_RF	(1ULL << 16)
#define DR6_BS		(1ULL << 14)

const struct insn *svm_insn(struct vcpu *v)
{
	struct svm_vcpu *s = v->hvm;

	if (!s->insn_valid) {
		if (hvm_fetch_insn(v, &s->insn))
			return NULL;
		s->insn_valid = true;
	}
	return &s->insn;
}

bool svm_insn_is(const struct insn *in, const struct svm_insn_enc *enc)
{
	if (in->map != enc->map || in->opcode != enc->opcode ||
	    (in->prefixes & INSN_PFX_VEX))
		return false;
	return enc->modrm < 0 || (in->has_modrm && in->modrm == enc->modrm);
}

unsigned int svm_insn_len_of(struct vcpu *v, const struct svm_insn_enc *encs,
			     unsigned int n, unsigned int *which)
{
	struct svm_vcpu *s = v->hvm;
	uint64_t nrip_len = s->vmcb->nrip - v->regs.rip;
	const struct insn *in;
	unsigned int i;

	if (which)
		*which = 0;
	/* A next RIP that is no instruction length (a 16-bit IP that
	 * wrapped, say): decode rather than trust it. */
	if (svm_has_nrips && nrip_len && nrip_len <= INSN_MAX_LEN) {
		s->nrip_lens++;
		return nrip_len;
	}
	s->decoded_lens++;
	in = svm_insn(v);
	if (!in)
		return 0;
	for (i = 0; i < n; i++) {
		if (svm_insn_is(in, &encs[i])) {
			if (which)
				*which = i;
			return in->len;
		}
	}
	hvm_inject_gp0(v);
	return 0;
}

void svm_complete(struct vcpu *v, uint64_t next_rip)
{
	struct vmcb *vmcb = svm_vmcb(v);

	switch (svm_vcpu_insn_mode(v)) {
	case INSN_MODE_16:
		next_rip &= 0xffff;
		break;
	case INSN_MODE_32:
		next_rip &= 0xffffffffULL;
		break;
	case INSN_MODE_64:
		break;
	}
	v->regs.rip = next_rip;
	v->regs.rflags &= ~RFLAGS_RF;
	vmcb->interrupt_shadow &= ~SVM_INTERRUPT_SHADOW;
	if (v->regs.rflags & RFLAGS_TF) {
		vmcb->dr6 |= DR6_BS;
		hvm_ops->vcpu_inject_exception(v, X86_EXC_DB, false, 0, 0);
	}
}
