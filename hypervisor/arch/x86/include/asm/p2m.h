/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_P2M_H
#define ASM_X86_P2M_H

#include <lamina/spinlock.h>
#include <lamina/types.h>

struct domain;

/*
 * A domain's guest-physical to machine map, kept in the hardware's own
 * format so that it serves directly as the nested page table: 4 levels,
 * 48-bit guest-physical addresses, leaves of 4 KiB, 2 MiB and 1 GiB.
 *
 * Locking: p2m.lock serialises changes and lookups (a lookup must not
 * walk a table that a change is freeing). The CPU's own walks are not
 * locked out, hence entries are written whole, a new table is filled
 * before it is linked in, and a table is freed only after the TLB hook.
 * Under the lock the p2m allocates and frees table pages and calls the
 * TLB hook (LOCK_LEVEL_P2M: above a domain's page lock, below the page
 * allocator). It does not keep the mapped frames alive: callers that
 * copy to a frame while another CPU may unmap it need page references.
 */

/* The entry format, fixed at p2m_init(). */
enum p2m_format {
	P2M_FORMAT_NPT,		/* AMD NPT: the host's long-mode PTEs */
	P2M_FORMAT_EPT,		/* Intel EPT */
};

/*
 * What a guest frame is; stored in the leaf entry (bits 52-55, ignored
 * by both formats). Values are part of the entry format: append only.
 *
 *   type          access       cache (EPT; NPT via PAT)  copy helpers
 *   RAM           read/write/exec  WB                    yes
 *   MMIO          read/write       UC                    no (-EFAULT)
 *   GRANT_MAP_RW  read/write       WB                    yes
 *   GRANT_MAP_RO  read             WB                    read only
 *   MAP_FOREIGN   read/write       WB                    yes
 *
 * Grant and foreign frames belong to another domain; they are RAM, so
 * the hypervisor may copy to and from them, but never execute them.
 */
enum p2m_type {
	P2M_INVALID = 0,	/* nothing mapped (lookup result only) */
	P2M_RAM,		/* the domain's own RAM */
	P2M_MMIO,		/* a device's registers or memory */
	P2M_GRANT_MAP_RW,	/* a frame granted by another domain */
	P2M_GRANT_MAP_RO,	/* the same, granted read-only */
	P2M_MAP_FOREIGN,	/* another domain's frame (privileged map) */
	P2M_NR_TYPES
};

/* Mapping orders: log2 of the number of 4 KiB frames. */
#define P2M_ORDER_4K	0
#define P2M_ORDER_2M	9
#define P2M_ORDER_1G	18

struct p2m {
	spinlock_t lock;
	enum p2m_format format;
	paddr_t root;			/* top table (maddr); 0: none */
	unsigned long nr_tables;	/* table pages, root included */
};

#define INVALID_MFN	(~0UL)

/* An empty p2m in the given format: 0, -EINVAL (format), -ENOMEM. */
int p2m_init(struct domain *d, enum p2m_format fmt);
/*
 * Free every table page, not the frames mapped (the domain's page list
 * owns those). No vCPU of d may be able to use the p2m any more.
 */
void p2m_teardown(struct domain *d);

/*
 * Map the 2^order frames from gfn to those from mfn, as type t,
 * replacing whatever mapped them; a superpage mapped over in part is
 * split first. order is 0, 9 or 18.
 *   0        done (the TLB hook was called if a present entry changed)
 *   -EINVAL  bad order or type, gfn or mfn not aligned to the order,
 *            gfn beyond the format's guest-physical width (48 bits) or
 *            mfn beyond 52-bit machine addresses
 *   -ENOMEM  no page for a table; the p2m is unchanged
 */
int p2m_map(struct domain *d, unsigned long gfn, unsigned long mfn,
	    unsigned int order, enum p2m_type t);
/*
 * Unmap the 2^order frames from gfn, splitting a superpage covering them
 * in part. Holes are fine. 0, -EINVAL (order, alignment, range) or
 * -ENOMEM (the p2m is unchanged).
 */
int p2m_unmap(struct domain *d, unsigned long gfn, unsigned int order);

/*
 * The mfn behind gfn, or INVALID_MFN. If t is given: the type, or
 * P2M_INVALID for a hole. If order is given: the order of the leaf that
 * maps gfn (0, 9, 18), or for a hole the order of the aligned empty
 * region found around gfn (0, 9, 18, 27), so callers can skip it.
 */
unsigned long p2m_lookup(struct domain *d, unsigned long gfn,
			 enum p2m_type *t, unsigned int *order);
/*
 * The mfn behind gfn if the hypervisor may access it as memory, for
 * writing if write: RAM, granted and foreign frames (read-only grants
 * only for reading). INVALID_MFN otherwise (holes, MMIO).
 */
unsigned long p2m_lookup_ram(struct domain *d, unsigned long gfn,
			     bool write);

/* EPT pointer for the VMCS: the root, write-back, 4-level walk. */
uint64_t p2m_eptp(const struct p2m *p2m);

/*
 * The hook the p2m calls after it removed or changed a present entry:
 * on return no CPU may use a translation from before the change.
 * Implemented outside the p2m (domain_tlb_flush()); the unit tests
 * count the calls.
 */
void p2m_tlb_flush(struct domain *d);

/*
 * Copy to / from guest-physical memory through the p2m: 0, or -EFAULT
 * if any page of the range is not memory the hypervisor may access that
 * way (see p2m_lookup_ram(); never MMIO). On -EFAULT the pages before
 * the faulting one have been copied.
 */
int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *buf,
		       size_t len);
int copy_from_guest_phys(struct domain *d, void *buf, uint64_t gpa,
			 size_t len);
int clear_guest_phys(struct domain *d, uint64_t gpa, size_t len);

#endif /* ASM_X86_P2M_H */
