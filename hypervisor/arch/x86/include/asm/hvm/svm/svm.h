/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_HVM_SVM_SVM_H
#define ASM_X86_HVM_SVM_SVM_H

#include <lamina/domain.h>
#include <lamina/types.h>
#include <asm/hvm/insn.h>
#include <asm/hvm/svm/vmcb.h>

struct vcpu;
struct guest_paging;

/* Per physical CPU; written by that CPU only. */
struct svm_cpu {
	paddr_t hsave_pa;		/* MSR_VM_HSAVE_PA */
	paddr_t host_vmcb_pa;		/* host FS/GS/TR...: VMLOAD on exit */
	uint32_t next_asid;		/* next ASID to hand out, from 1 */
	uint32_t asid_gen;		/* bumped when the ASIDs run out */
};
extern struct svm_cpu svm_cpus[];
extern unsigned int svm_nr_asids;
/* CPUID 0x8000000A EDX[3]: the VMCB gives the next RIP (not QEMU). */
extern bool svm_has_nrips;

/* Per vCPU: the control block and the intercept bitmaps. */
#define SVM_SAVE_OFFSET		0x400	/* the VMCB's state save area */
#define SVM_SAVE_COPY_LEN	0x298	/* up to the last field Lamina uses */

struct svm_vcpu {
	struct vmcb *vmcb;
	paddr_t vmcb_pa;
	void *iopm, *msrpm;
	/* The ASID is valid on asid_cpu while its generation is current. */
	uint32_t asid_gen;
	unsigned int asid_cpu;
	/* The instruction at RIP, decoded at most once per exit. */
	bool insn_valid;
	struct insn insn;
	/* An NMI was injected and the guest has not reached IRET yet. */
	bool nmi_blocked;
	/* Intercepted instructions whose length came from the VMCB's next
	 * RIP, and those decoded (svm_insn_len_of()); printed at destroy. */
	unsigned long nrip_lens, decoded_lens;
	/* The state save area as the last VMRUN was given it: see
	 * svm_vmrun_lost_state() (svm/vcpu.c). */
	uint8_t save_copy[SVM_SAVE_COPY_LEN];
	unsigned long lost_state_retries;
};

static inline struct vmcb *svm_vmcb(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->hvm)->vmcb;
}

/* Whether the VMCB's state is the host's (CR3, GDT and IDT bases, and
 * RIP the instruction after VMRUN): svm_vmrun_lost_state(). */
bool svm_vmcb_holds_host(const struct vmcb *vmcb, uint64_t cr3,
			 uint64_t gdt_base, uint64_t idt_base, uint64_t rip);

int svm_vcpu_init(struct vcpu *v);
void svm_vcpu_destroy(struct vcpu *v);
void svm_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t ebx);
struct hvm_vcpu_state;
void svm_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *s);
void svm_vcpu_run(struct vcpu *v);
void svm_vcpu_dump(struct vcpu *v);
bool svm_vcpu_is_64bit(struct vcpu *v);
unsigned int svm_vcpu_cpl(struct vcpu *v);

/* Inject what hvm_pending_intr() has, or ask for a window (svm/intr.c);
 * host interrupts off, just before VMRUN. */
void svm_intr_assist(struct vcpu *v);
void svm_exit_vintr(struct vcpu *v, struct vmcb *vmcb);
void svm_exit_iret(struct vcpu *v, struct vmcb *vmcb);

/* One exit: dispatch by exit code (svm/exits.c). */
void svm_handle_exit(struct vcpu *v);

/*
 * The intercepted instruction (svm/insn.c). An encoding: opcode map,
 * opcode, and the ModRM byte for the 0F 01 group (-1: any).
 */
struct svm_insn_enc {
	uint8_t map;
	uint8_t opcode;
	int16_t modrm;
};

/* The decoded instruction at RIP, or NULL (the guest got a fault, or
 * the domain crashed: return). Decoded once per exit. */
const struct insn *svm_insn(struct vcpu *v);
/* Does the decoded instruction have this encoding? */
bool svm_insn_is(const struct insn *in, const struct svm_insn_enc *enc);
/*
 * Length of the intercepted instruction, which must be one of the n
 * encodings: NRIP when the CPU saves it, else decoded (*which, if not
 * NULL, then says which encoding it is; with NRIP save it is 0). 0 if
 * it cannot be had: the guest got #GP (the bytes are something else
 * now) or a fetch fault, or the domain crashed; the handler then does
 * nothing.
 */
unsigned int svm_insn_len_of(struct vcpu *v, const struct svm_insn_enc *encs,
			     unsigned int n, unsigned int *which);
static inline unsigned int svm_insn_len(struct vcpu *v,
					const struct svm_insn_enc *enc)
{
	return svm_insn_len_of(v, enc, 1, NULL);
}
/*
 * The instruction completed: RIP to next_rip (wrapped as the CPU wraps
 * IP/EIP), RF and the interrupt shadow cleared, #DB if RFLAGS.TF.
 */
void svm_complete(struct vcpu *v, uint64_t next_rip);
static inline void svm_skip(struct vcpu *v, unsigned int len)
{
	svm_complete(v, v->regs.rip + len);
}

/* MSR exits and the MSR permission map (svm/msr.c). */
void svm_msrpm_init(void *msrpm);
void svm_exit_msr(struct vcpu *v, struct vmcb *vmcb);

/* Guest state for the vendor-neutral layer (svm/guest.c): hvm_ops. */
void svm_vcpu_paging(struct vcpu *v, struct guest_paging *p);
void svm_vcpu_inject_exception(struct vcpu *v, unsigned int vec,
			       bool has_ec, uint32_t ec, uint64_t cr2);
uint64_t svm_vcpu_seg_base(struct vcpu *v, enum insn_seg seg);
enum insn_mode svm_vcpu_insn_mode(struct vcpu *v);
void svm_vcpu_set_tsc_offset(struct vcpu *v, int64_t offset);

/*
 * The trampoline (svm/entry.S): load the guest GPRs from *regs, switch
 * to the guest with VMLOAD + VMRUN, and on #VMEXIT save them back, VMSAVE
 * the guest's segment state and VMLOAD the host's. Entered and left with
 * interrupts off; opens them only around VMRUN (GIF=0 outside).
 */
struct guest_regs;
void svm_vmrun(struct guest_regs *regs, paddr_t vmcb_pa,
	       paddr_t host_vmcb_pa);

#endif /* ASM_X86_HVM_SVM_SVM_H */
