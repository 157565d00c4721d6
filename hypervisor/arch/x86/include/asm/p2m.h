/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_P2M_H
#define ASM_X86_P2M_H

#include <lamina/types.h>

struct domain;

/*
 * A domain's guest-physical to machine map, in the host's 4-level page
 * table format so that it serves directly as the nested page table
 * (SVM NPT). Only 4 KiB leaves for now. Built and torn down by one CPU
 * while the domain does not run: no lock yet.
 */
struct p2m {
	paddr_t root;			/* PML4 machine address, 0: none */
	unsigned long nr_tables;	/* table pages, root included */
};

#define INVALID_MFN	(~0UL)

int p2m_init(struct domain *d);
/* Free every table page (not the memory it maps). */
void p2m_teardown(struct domain *d);
/* Map gfn to mfn read/write/execute; 0, -ENOMEM, -EINVAL (gfn too big). */
int p2m_set_entry(struct domain *d, unsigned long gfn, unsigned long mfn);
/* The mfn behind gfn, or INVALID_MFN. */
unsigned long p2m_lookup(const struct domain *d, unsigned long gfn);

/*
 * Copy to / from guest-physical memory through the p2m: 0, or -EFAULT
 * if any page of the range is not mapped (then a prefix may have been
 * copied).
 */
int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *buf,
		       size_t len);
int copy_from_guest_phys(struct domain *d, void *buf, uint64_t gpa,
			 size_t len);
int clear_guest_phys(struct domain *d, uint64_t gpa, size_t len);

#endif /* ASM_X86_P2M_H */
