/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated MMIO (hvm/mmio.c). A guest access to guest-physical memory
 * that is not RAM exits as a nested page fault (SVM NPF, VMX EPT
 * violation); the back end hands it to hvm_npf(), which fetches and
 * decodes the instruction (no decode assists under QEMU), translates
 * its memory operand through the guest's page tables, makes the access
 * through the handler that claims the address (the vLAPIC), writes the
 * result back and completes the instruction.
 *
 * An address no handler claims behaves as Xen 4.17 without a device
 * model (hvmemul_do_io's null handler): reads return all ones, writes
 * are dropped. The instructions emulated, and what happens to the
 * others, are in docs/vlapic.md.
 */
#ifndef ASM_X86_HVM_MMIO_H
#define ASM_X86_HVM_MMIO_H

#include <lamina/types.h>

struct vcpu;
struct domain;

/*
 * An MMIO region. accepts() says whether gpa is v's (the vLAPIC page
 * depends on v's APIC base MSR). read and write get an access of 1 to
 * 8 bytes that starts at gpa and stays within the page; *val is read
 * zero-extended. They return 0, or a negative errno once they have
 * injected an exception or crashed the domain: the instruction is then
 * not completed.
 */
struct hvm_mmio_ops {
	const char *name;
	bool (*accepts)(struct vcpu *v, uint64_t gpa);
	int (*read)(struct vcpu *v, uint64_t gpa, unsigned int len,
		    uint64_t *val);
	int (*write)(struct vcpu *v, uint64_t gpa, unsigned int len,
		     uint64_t val);
};

#define HVM_MMIO_MAX_HANDLERS	4

/*
 * Add a region to d, before d first runs (the list is read without a
 * lock afterwards). 0, or -ENOSPC when HVM_MMIO_MAX_HANDLERS are in.
 */
int hvm_mmio_register(struct domain *d, const struct hvm_mmio_ops *ops);

/* What the back end knows about a nested page fault. */
#define HVM_NPF_WRITE		(1u << 0)	/* a write access */
#define HVM_NPF_FETCH		(1u << 1)	/* an instruction fetch */
#define HVM_NPF_WALK		(1u << 2)	/* to a guest paging entry */
#define HVM_NPF_DELIVERY	(1u << 3)	/* while delivering an event */

/*
 * A nested page fault of v at gpa, with v->regs current, from its own
 * exit handler:
 *   gpa is now memory of the right kind   nothing: run it again (the
 *                                         p2m changed under the access)
 *   a fetch outside RAM, a guest paging   the domain is crashed (Xen
 *   entry outside RAM, an event delivered injects #GP or fails the
 *   through non-RAM                       entry; Lamina keeps the dump)
 *   otherwise                             the instruction is emulated
 * Emulation raises the exceptions the CPU would (#PF, #GP for a
 * non-canonical address) and #GP for an instruction it does not
 * emulate, as Xen does when its emulator gives up.
 */
void hvm_npf(struct vcpu *v, uint64_t gpa, unsigned int flags);

#endif /* ASM_X86_HVM_MMIO_H */
