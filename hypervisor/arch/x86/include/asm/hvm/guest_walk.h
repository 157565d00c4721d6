/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page-table walks: guest-virtual (linear) to guest-physical
 * addresses through the guest's own paging structures, for instruction
 * fetch and emulation when the hardware gives no decode assists.
 *
 * Guest memory is reached only through callbacks, so the same code serves
 * the p2m-backed implementation and the unit tests' simulated memory.
 *
 * Modelled: no paging (CR0.PG=0), 32-bit paging with 4 MiB pages (CR4.PSE)
 * and PSE-36, PAE paging, 4- and 5-level (CR4.LA57) paging with 2 MiB and
 * 1 GiB pages; present, R/W with CR0.WP, U/S, NX (EFER.NXE), SMEP, SMAP
 * (with RFLAGS.AC) and reserved bits against the guest's MAXPHYADDR.
 * Not modelled: protection keys (CR4.PKE/PKS), shadow stacks, segment
 * limits, CPUs without 1 GiB pages (the walker always allows them).
 *
 * Accessed and dirty bits are set like the hardware does when
 * update_pte is given (A in every entry used, D in the leaf on a write),
 * with compare-and-exchange so that a concurrent change by another vCPU
 * makes the walk start again; with update_pte NULL they are left alone.
 */
#ifndef ASM_X86_HVM_GUEST_WALK_H
#define ASM_X86_HVM_GUEST_WALK_H

#include <lamina/types.h>
#include <asm/hvm/insn.h>

/* The guest control-register bits the walker reads. */
#define GW_CR0_WP	(1ULL << 16)
#define GW_CR0_PG	(1ULL << 31)
#define GW_CR4_PSE	(1ULL << 4)
#define GW_CR4_PAE	(1ULL << 5)
#define GW_CR4_LA57	(1ULL << 12)
#define GW_CR4_SMEP	(1ULL << 20)
#define GW_CR4_SMAP	(1ULL << 21)
#define GW_EFER_LMA	(1ULL << 10)
#define GW_EFER_NXE	(1ULL << 11)
#define GW_RFLAGS_AC	(1ULL << 18)

/* #PF error code bits. */
#define PFEC_PRESENT	(1u << 0)	/* protection (or RSVD), not absence */
#define PFEC_WRITE	(1u << 1)
#define PFEC_USER	(1u << 2)
#define PFEC_RSVD	(1u << 3)
#define PFEC_INSN	(1u << 4)

/* Access flags for guest_walk(); the first three match the PFEC bits. */
#define GW_WRITE	PFEC_WRITE
#define GW_USER		PFEC_USER	/* user-mode access (CPL 3) */
#define GW_FETCH	PFEC_INSN
#define GW_IMPLICIT	(1u << 8)	/* implicit supervisor access
					 * (GDT, IDT, TSS...): SMAP
					 * applies whatever RFLAGS.AC */

struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;	/* guest values (EFER with LMA) */
	uint64_t rflags;		/* for AC (SMAP) */
	unsigned int cpl;		/* 3 makes the helpers' accesses user */
	unsigned int maxphyaddr;	/* guest's; 0 means 52 */
	/*
	 * PAE paging: the four PDPTEs if the CPU caches them at CR3 load
	 * (Intel with EPT: from the VMCS), or NULL to read them from the
	 * 32-byte aligned table at CR3 on every walk (AMD with NPT).
	 */
	const uint64_t *pdptes;
	void *ctx;
	/* Read/write guest-physical memory; -EFAULT if it is not RAM. */
	int (*read_gpa)(void *ctx, uint64_t gpa, void *buf, size_t len);
	int (*write_gpa)(void *ctx, uint64_t gpa, const void *buf,
			 size_t len);
	/*
	 * Optional: replace the 4- or 8-byte paging entry at gpa with nval
	 * if it still holds old (atomically on real memory). 0 on success,
	 * -EAGAIN if it changed, another negative errno on failure.
	 */
	int (*update_pte)(void *ctx, uint64_t gpa, uint64_t old,
			  uint64_t nval, size_t size);
};

enum guest_paging_mode {
	GPM_NONE,	/* CR0.PG=0: linear == physical */
	GPM_32,		/* 2-level, 4-byte entries */
	GPM_PAE,	/* PDPTEs + 2 levels */
	GPM_LONG4,	/* 4-level (EFER.LMA) */
	GPM_LONG5,	/* 5-level (EFER.LMA and CR4.LA57) */
};

enum guest_paging_mode guest_paging_mode(const struct guest_paging *p);

/*
 * Translate gva for an access of the given GW_* kind.
 *   0        *gpa is the guest-physical address.
 *   -EFAULT  a #PF: inject it with error code *pfec and CR2 = gva.
 *   -EINVAL  non-canonical address in long mode: #GP(0) (#SS(0) for a
 *            stack access); *pfec is 0.
 *   -ENXIO   a paging structure is not in guest RAM (read_gpa failed),
 *            or update_pte failed: the caller decides (Xen gives up
 *            emulating); *pfec is 0.
 *   -EAGAIN  the entries kept changing under the A/D update.
 * Outside long mode gva is truncated to 32 bits.
 */
int guest_walk(const struct guest_paging *p, uint64_t gva,
	       unsigned int access, uint64_t *gpa, uint32_t *pfec);

/* A failed access over a range: what to inject. */
struct guest_fault {
	int rc;			/* the error: -EFAULT for a #PF, see above */
	uint64_t addr;		/* linear address of the fault (CR2) */
	uint32_t pfec;		/* #PF error code when rc is -EFAULT */
};

/*
 * Called for each piece of a range that lies within one guest page:
 * gpa of the piece, offset of the piece from the range's start, length.
 * A negative return stops the iteration and is returned.
 */
typedef int (*guest_chunk_fn)(void *arg, uint64_t gpa, size_t done,
			      size_t len);

/*
 * Walk [gva, gva + len) page by page in order, calling fn on each piece;
 * the page-split logic shared by every copy helper. *done (if non-NULL)
 * is the number of bytes handed to fn successfully. On a walk error, f
 * says which address faulted. Linear addresses wrap at 4 GiB outside
 * long mode.
 */
int guest_virt_iterate(const struct guest_paging *p, uint64_t gva,
		       size_t len, unsigned int access, guest_chunk_fn fn,
		       void *arg, size_t *done, struct guest_fault *f);

/*
 * Copy between a hypervisor buffer and guest-virtual memory. flags:
 * GW_FETCH, GW_IMPLICIT (GW_WRITE is implied by copy_to); the access is a
 * user one if p->cpl == 3 and GW_IMPLICIT is not given. Returns 0, an
 * error from guest_walk() (with *f filled), or -ENXIO if a page maps to
 * guest-physical memory that is not RAM (MMIO: f->addr is its address).
 * On error the bytes before f->addr have been copied.
 */
int copy_from_guest_virt(const struct guest_paging *p, void *dst,
			 uint64_t gva, size_t len, unsigned int flags,
			 struct guest_fault *f);
int copy_to_guest_virt(const struct guest_paging *p, uint64_t gva,
		       const void *src, size_t len, unsigned int flags,
		       struct guest_fault *f);

/*
 * Fetch up to INSN_MAX_LEN instruction bytes at CS:RIP (the CS base is
 * ignored in 64-bit mode; elsewhere the linear address wraps at 4 GiB).
 * Returns how many bytes were fetched (> 0), stopping early at a page
 * that cannot be fetched; *f then describes that page's fault, to inject
 * if insn_decode() returns -EFAULT on the short buffer. Returns a
 * negative error (as copy_from_guest_virt) if not even the first byte
 * can be fetched.
 */
int insn_fetch(const struct guest_paging *p, uint64_t cs_base, uint64_t rip,
	       enum insn_mode mode, uint8_t buf[INSN_MAX_LEN],
	       struct guest_fault *f);

#endif /* ASM_X86_HVM_GUEST_WALK_H */
