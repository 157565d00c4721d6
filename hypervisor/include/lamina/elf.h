/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading PVH kernels from ELF images (common/elf_load.c).
 *
 * elf_parse() validates an ELF32 or ELF64 x86 image held in memory and
 * turns it into a plan: the PT_LOAD segments to copy to guest-physical
 * addresses (p_paddr) and the PVH 32-bit entry point from the "Xen"
 * XEN_ELFNOTE_PHYS32_ENTRY note. elf_load_into() then carries the plan out
 * through callbacks that write guest memory. The plan points into the
 * image, which must stay mapped until the load is done.
 */
#ifndef LAMINA_ELF_H
#define LAMINA_ELF_H

#include <lamina/types.h>

#define ELF_MAX_PHDRS		64	/* program headers accepted */
#define ELF_MAX_SEGMENTS	16	/* non-empty PT_LOAD segments */
#define ELF_MAX_SHDRS		1024	/* section headers scanned for notes */
/* Bound on the sum of the segments' memory sizes (and so on each). */
#define ELF_MAX_MEM		GiB(1)
#define ELF_NOTE_STR_MAX	64	/* string notes kept, NUL included */

struct elf_segment {
	uint64_t paddr;			/* guest-physical destination */
	const void *src;		/* filesz bytes inside the image */
	uint64_t filesz;
	uint64_t memsz;			/* >= filesz; the rest is zeroed */
};

/* The "Xen" notes a PVH domain builder uses. Strings are "" if absent. */
struct elf_xen_notes {
	bool has_phys32_entry;
	uint32_t phys32_entry;		/* XEN_ELFNOTE_PHYS32_ENTRY */
	bool has_supported_features;
	uint32_t supported_features;	/* XEN_ELFNOTE_SUPPORTED_FEATURES */
	char guest_os[ELF_NOTE_STR_MAX];	/* XEN_ELFNOTE_GUEST_OS */
	char features[ELF_NOTE_STR_MAX];	/* XEN_ELFNOTE_FEATURES */
};

struct elf_plan {
	bool is64;
	uint64_t e_entry;		/* the ELF entry, informational */
	uint64_t entry;			/* PVH entry: notes.phys32_entry */
	uint64_t paddr_start;		/* lowest destination byte */
	uint64_t paddr_end;		/* one past the highest */
	unsigned int nr_segs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];	/* in header order */
	struct elf_xen_notes notes;
};

/*
 * Validate img[0, len) and fill *plan. Returns 0, or after a
 * "(lamina) elf: ..." message: -ENOEXEC not an x86 ELF executable, or not
 * a PVH kernel (no PHYS32_ENTRY note), or its entry outside the loaded
 * data; -EINVAL a header or note out of bounds or inconsistent,
 * overlapping segments, address overflow; -E2BIG more segments or memory
 * than the limits above.
 */
int elf_parse(const void *img, size_t len, struct elf_plan *plan);

/* Copy len bytes to guest-physical gpa / zero them; 0 or negative errno. */
typedef int (*elf_write_fn)(void *ctx, uint64_t gpa, const void *src,
			    size_t len);
typedef int (*elf_zero_fn)(void *ctx, uint64_t gpa, size_t len);

/*
 * Load every segment of plan: filesz bytes via write_gpa, then the
 * memsz - filesz tail via zero_gpa. Stops at and returns the first
 * callback error; 0 when done.
 */
int elf_load_into(const struct elf_plan *plan, elf_write_fn write_gpa,
		  elf_zero_fn zero_gpa, void *ctx);

#endif /* LAMINA_ELF_H */
